"""Time the archive's main pages in-process against the synthetic corpus."""

import codecs
import csv
import json
import logging
import math
import resource
import statistics
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from bench import synthetic
from browse import reads
from browse.views import PetitionListView
from petitions import version as archive_version
from petitions.models import Petition, SourceRecord, Topic

WARM_UPS = 3
DEEP_PAGE = 3000
PLAIN_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


@dataclass
class Result:
    name: str
    url: str
    statuses: list[int] = field(default_factory=list)
    queries: int = 0
    times_ms: list[float] = field(default_factory=list)
    cold_ms: list[float] = field(default_factory=list)
    after_import_ms: list[float] = field(default_factory=list)
    peak_kib: float | None = None
    error: str = ""

    @property
    def status(self) -> str:
        return "/".join(str(s) for s in sorted(set(self.statuses)))

    def percentile(self, p: float, timings: str = "times_ms") -> float:
        """Nearest-rank percentile of the timings: with a warm cache (`times_ms`), an empty one
        (`cold_ms`), or right after an import (`after_import_ms`)."""
        ordered = sorted(getattr(self, timings))
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def touch_a_petition() -> None:
    """What an import does to the caches: a petition's `updated_at` moves, the version changes
    (a petition no list shows before the last page)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE petitions_petition SET updated_at = now() "
            "WHERE id = (SELECT max(id) FROM petitions_petition)"
        )


def host() -> str:
    """A host name that the settings' ALLOWED_HOSTS accept."""
    for name in settings.ALLOWED_HOSTS:
        if name and name != "*":
            return name.lstrip(".")
    return "127.0.0.1"


def url(path: str, **params: str | int) -> str:
    return f"{path}?{urlencode(params)}" if params else path


@dataclass
class ExportRun:
    """One CSV export read to the end: rows parsed back, time spent producing it, memory."""

    name: str
    url: str
    expected: int
    status: int = 0
    rows: int = 0
    megabytes: float = 0.0
    seconds: float = 0.0
    first_byte_s: float = 0.0
    queries: int = 0
    peak_rss_mib: float = 0.0
    traced_peak_mib: float | None = None


def peak_rss_mib() -> float:
    """The process's resident-memory high-water mark (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def csv_records(chunks: Iterable[bytes]) -> Iterator[list[str]]:
    """Parse a streamed CSV as it arrives (quoted line breaks included), holding one line."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()

    def lines() -> Iterator[str]:
        tail = ""
        for chunk in chunks:
            *complete, tail = (tail + decoder.decode(chunk)).split("\n")
            yield from (line + "\n" for line in complete)
        if tail := tail + decoder.decode(b"", final=True):
            yield tail

    return csv.reader(lines())


def read_export(client: Client, run: ExportRun) -> None:
    """Request the export and read it to the end; time only the server's work (not parsing)."""
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(run.url)
        chunks = iter(response.streaming_content if response.streaming else [response.content])
        spent, size = time.perf_counter() - started, 0

        def timed() -> Iterator[bytes]:
            nonlocal spent, size
            while True:
                begun = time.perf_counter()
                chunk = next(chunks, None)
                spent += time.perf_counter() - begun
                if chunk is None:
                    return
                if not size:
                    run.first_byte_s = time.perf_counter() - started
                size += len(chunk)
                yield chunk

        run.rows = sum(1 for _ in csv_records(timed())) - 1  # the header is not a petition
    run.status, run.queries = response.status_code, len(queries)
    run.seconds, run.megabytes = spent, size / 1e6


def json_pages(client: Client, most: int = 10) -> ExportRun:
    """/petitions.json?per_page=500, its first pages (at most `most`), each read whole, after
    one warm-up."""
    pages = max(1, min(most, math.ceil(Petition.objects.public().count() / 500)))
    client.get(url("/petitions.json", per_page=500, page=pages))
    run = ExportRun("JSON, 500 a page", url("/petitions.json", per_page=500), pages * 500)
    run.rows = run.seconds = run.megabytes = 0
    with CaptureQueriesContext(connection) as queries:
        for page in range(1, pages + 1):
            started = time.perf_counter()
            response = client.get(url("/petitions.json", per_page=500, page=page))
            run.seconds += time.perf_counter() - started  # the server's work, not the parsing
            run.rows += len(json.loads(response.content)["items"])
            run.megabytes += len(response.content) / 1e6
    run.status, run.queries = response.status_code, len(queries)
    run.first_byte_s, run.peak_rss_mib = run.seconds / pages, peak_rss_mib()
    return run


class Command(BaseCommand):
    help = (
        "Time the home page, a petition page, the list with filters, a deep page and searches "
        "in-process (django.test.Client, no network) on the synthetic corpus; prints p50/p95/"
        "mean/max server time (with a warm cache, then with an emptied cache before each request) "
        "and SQL query counts. Build the corpus first: `make bench`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="timed requests per URL (30)")
        parser.add_argument(
            "--memory-export",
            action="store_true",
            help="also record each URL's peak Python memory (tracemalloc, one extra request) and "
            "write all results as JSON to .benchmarks/",
        )
        parser.add_argument(
            "--csv",
            choices=["yes", "no", "only"],
            default="yes",
            help="also (yes), never (no) or only (only) read the CSV exports of the largest topic "
            "and of the whole corpus: rows, seconds, peak memory (minutes on 100,000)",
        )

    def handle(self, *args, runs: int, memory_export: bool, csv: str, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        name = settings.DATABASES["default"]["NAME"]
        corpus = SourceRecord.objects.filter(source=synthetic.SOURCE).count()
        if not corpus:
            raise CommandError(
                f"Database {name!r} holds no synthetic corpus. Build one first: `make bench`, or "
                "ARCHIVE_DB_NAME=archive_bench .venv/bin/python manage.py synthesize_corpus "
                "--petitions 100000 (after migrate)."
            )
        cases = [] if csv == "only" else self.cases()
        static = settings.STORAGES["staticfiles"]["BACKEND"]
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        plain = "Manifest" in static and not manifest.exists()
        storages = {**settings.STORAGES, "staticfiles": PLAIN_STATIC}
        self.stdout.write(
            f"Benchmark on database {name}: {Petition.objects.count():,} petitions "
            f"({corpus:,} synthetic); {WARM_UPS} warm-ups and {runs} timed requests per URL"
            + ("; static files without manifest (no collectstatic)" if plain else "")
        )
        request_log = logging.getLogger("django.request")
        level = request_log.level
        request_log.setLevel(logging.CRITICAL)  # statuses are reported in the table instead
        try:
            # The server's pass on, as `make run` serves (a list's reads are digested after its
            # response is sent), but its thread's rounds an hour apart: what they do, digesting
            # reads, is done here between the timings, not behind them.
            quiet = {"ARCHIVE_REVALIDATE_EVERY": 3600}
            with override_settings(**quiet, **({"STORAGES": storages} if plain else {})):
                client = Client(HTTP_HOST=host(), raise_request_exception=False)
                exports = [] if csv == "no" else self.measure_exports(client, memory_export)
                results = [self.measure(client, n, u, runs, memory_export) for n, u in cases]
        finally:
            request_log.setLevel(level)
            reads.forget_waiting()
        if results:
            self.report(results, memory_export)
        self.report_exports(exports)
        if memory_export:
            self.export(results, name, runs, exports)

    def cases(self) -> list[tuple[str, str]]:
        """(name, URL) of each request, picked from the corpus."""
        synthetic_petitions = Petition.objects.filter(sources__source=synthetic.SOURCE)
        answered = synthetic_petitions.filter(stage="responded").order_by("id").first()
        topic = (
            Topic.objects.filter(petitions__sources__source=synthetic.SOURCE)
            .annotate(n=Count("petitions"))
            .order_by("-n", "name")
            .first()
        )
        per_page = getattr(PetitionListView, "paginate_by", None) or 25
        pages = max(1, math.ceil(Petition.objects.count() / per_page))
        rare = next(iter(synthetic.RARE_TOKENS))
        return [
            ("home", "/"),
            ("petition page", answered.get_absolute_url() if answered else "/petitions/e-0/"),
            ("list", "/petitions/"),
            (
                "list, 3 filters",
                url(
                    "/petitions/",
                    topic=topic.slug if topic else "",
                    status="responded",
                    parliament=44,
                ),
            ),
            ("list, deep page", url("/petitions/", page=min(DEEP_PAGE, pages))),
            ("search, rare word", url("/petitions/", q=rare)),
            ("search, common word", url("/petitions/", q="government")),
            ("search, phrase", url("/petitions/", q=f'"{synthetic.PHRASE}"')),
            ("rare word, newest", url("/petitions/", q=rare, sort="newest")),
        ]

    def measure(self, client: Client, name: str, path: str, runs: int, memory: bool) -> Result:
        result = Result(name, path)
        for i in range(WARM_UPS):
            if i == WARM_UPS - 1:
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
                result.queries = len(queries)
            else:
                response = client.get(path)
            if response.status_code >= 500 and getattr(response, "exc_info", None):
                error = response.exc_info[1]
                result.error = f"{type(error).__name__}: {str(error).strip().splitlines()[0]}"
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            result.times_ms.append((time.perf_counter() - started) * 1000)
            result.statuses.append(response.status_code)
        for _ in range(runs):  # as the first request after an import, which empties the cache
            cache.clear()
            started = time.perf_counter()
            response = client.get(path)
            result.cold_ms.append((time.perf_counter() - started) * 1000)
            result.statuses.append(response.status_code)
        client.get(path)
        with override_settings(ARCHIVE_VERSION_MEMO_SECONDS=0):  # the import is seen at once
            for _ in range(runs):  # the first request right after an import, before any other
                reads.digest_waiting(archive_version.read().number)  # as the pass would
                touch_a_petition()
                started = time.perf_counter()
                response = client.get(path)
                result.after_import_ms.append((time.perf_counter() - started) * 1000)
                result.statuses.append(response.status_code)
        if memory:
            tracemalloc.start()
            client.get(path)
            result.peak_kib = tracemalloc.get_traced_memory()[1] / 1024
            tracemalloc.stop()
        return result

    def measure_exports(self, client: Client, memory: bool) -> list[ExportRun]:
        """The CSV of the largest topic, then of every petition: first, while the process is
        small, so that the peak RSS after each shows whether memory grows with the rows."""
        topic = Topic.objects.annotate(n=Count("petitions")).order_by("-n", "name").first()
        runs = [
            ExportRun("CSV, one topic", url("/petitions.csv", topic=topic.slug), topic.n),
            ExportRun("CSV, everything", "/petitions.csv", Petition.objects.count()),
        ]
        read_export(client, ExportRun("warm-up", url("/petitions.csv", topic="-"), 0))
        for run in runs:
            read_export(client, run)
            run.peak_rss_mib = peak_rss_mib()
        runs.append(json_pages(client))
        for run in runs[:2] if memory else []:  # after, as tracing itself takes memory
            tracemalloc.start()
            read_export(client, ExportRun(run.name, run.url, run.expected))
            run.traced_peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        return runs

    def report_exports(self, runs: list[ExportRun]) -> None:
        for r in runs:
            if r.name.startswith("JSON"):
                self.stdout.write(
                    f"{r.name}: {r.url}, pages 1-{r.expected // 500} status {r.status}: "
                    f"{r.rows:,} "
                    f"rows, {r.megabytes:,.0f} MB in {r.seconds:.2f} s "
                    f"({r.expected / 500 / max(r.seconds, 1e-9):.1f} pages/s, "
                    f"{r.first_byte_s * 1000:.0f} ms a page), {r.queries} queries; "
                    f"peak RSS {r.peak_rss_mib:.0f} MiB"
                )
                continue
            traced = f", traced peak {r.traced_peak_mib:.0f} MiB" if r.traced_peak_mib else ""
            self.stdout.write(
                f"{r.name}: {r.url} status {r.status}: {r.rows:,} rows of {r.expected:,}, "
                f"{r.megabytes:,.0f} MB in {r.seconds:.1f} s (first byte {r.first_byte_s:.1f} s, "
                f"{r.rows / max(r.seconds, 1e-9):,.0f} rows/s), {r.queries} queries; "
                f"peak RSS {r.peak_rss_mib:.0f} MiB{traced}"
            )

    def report(self, results: list[Result], memory: bool) -> None:
        width = max(len(r.url) for r in results)
        header = f"{'request':<19} {'URL':<{width}} {'status':>6} {'queries':>7}"
        header += f" {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'max ms':>8}"
        header += f" {'cold p50':>8} {'cold p95':>8} {'import50':>8} {'import95':>8}"
        header += f" {'peak KiB':>9}" if memory else ""
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in results:
            line = f"{r.name:<19} {r.url:<{width}} {r.status:>6} {r.queries:>7}"
            line += f" {r.percentile(50):>8.1f} {r.percentile(95):>8.1f}"
            line += f" {statistics.fmean(r.times_ms):>8.1f} {max(r.times_ms):>8.1f}"
            for timings in ("cold_ms", "after_import_ms"):
                line += f" {r.percentile(50, timings):>8.1f} {r.percentile(95, timings):>8.1f}"
            line += f" {r.peak_kib:>9.0f}" if memory and r.peak_kib is not None else ""
            self.stdout.write(line)
        for r in results:
            if r.error:
                self.stdout.write(f"{r.name}: {r.error}")
        worst = max(results, key=lambda r: r.percentile(95))
        coldest = max(results, key=lambda r: r.percentile(95, "cold_ms"))
        failing = [r for r in results if set(r.statuses) != {200}]
        self.stdout.write(
            f"Worst p95: {worst.percentile(95):.1f} ms ({worst.name}, {worst.url}); "
            f"with an empty cache {coldest.percentile(95, 'cold_ms'):.1f} ms ({coldest.name})"
            + (f"; {len(failing)} URL(s) did not answer 200" if failing else "")
        )

    def export(self, results: list[Result], name: str, runs: int, exports: list[ExportRun]) -> None:
        folder = Path(settings.BASE_DIR) / ".benchmarks"
        folder.mkdir(exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        path = folder / f"{name}-{stamp}.json"
        rows = [
            {
                **asdict(r),
                "p50_ms": r.percentile(50),
                "p95_ms": r.percentile(95),
                "cold_p50_ms": r.percentile(50, "cold_ms"),
                "cold_p95_ms": r.percentile(95, "cold_ms"),
                "after_import_p50_ms": r.percentile(50, "after_import_ms"),
                "after_import_p95_ms": r.percentile(95, "after_import_ms"),
            }
            for r in results
        ]
        data = {"database": name, "runs": runs, "warm_ups": WARM_UPS, "results": rows}
        data["csv_exports"] = [asdict(run) for run in exports]
        path.write_text(json.dumps(data, indent=2) + "\n")
        self.stdout.write(f"Results written to {path}")
