"""Serve the benchmark corpus as `make run` does and load every public page with wrk."""

import os
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import httpbench as hb
from bench.management.commands.benchmark import Command as InProcess, touch_a_petition
from bench.slowclients import held, timed_get
from petitions.models import Petition

COLD_SAMPLE = 20_000  # petitions a cold run draws from: few are drawn twice in a run
WARM_SAMPLE = 200  # petitions a warm run draws from, each served once before the run
COLD_SAMPLES = 3
WARM_GETS = 4  # gets of each warm petition before a run, so that every worker has served it


def bump_archive() -> None:
    """An import (`touch_a_petition`), then the time the servers take to see it: their memo of
    the version (ARCHIVE_VERSION_MEMO_SECONDS), and the round of the thread that asks pages
    again (ARCHIVE_REVALIDATE_EVERY), whichever is longer."""
    touch_a_petition()
    seen = max(settings.ARCHIVE_VERSION_MEMO_SECONDS, settings.ARCHIVE_REVALIDATE_EVERY)
    time.sleep(seen + 0.1)


@dataclass
class Page:
    name: str
    path: str
    script: Path | None = None
    # For runs over random petitions: "warm" (each served since the archive changed; its cold
    # figure is the first request after an import, of petitions served before it) or "first
    # render" (the archive changed just before the run, and each petition is drawn about once).
    mode: str | None = None
    paths: list[str] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "HTTP benchmark: start the server exactly as `make run` does (the Makefile's SERVE) "
        "against this database, with ARCHIVE_BENCH_HELLO=1, and load each public page with wrk "
        "(16 connections), each round next to a hello-world round; then the first request after "
        "an import (cold; for the petition page and its JSON, of petitions served before it) "
        "and a petition page while idle and half-sent connections are held."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=5, help="per wrk run (5)")
        parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
        parser.add_argument("--rounds", type=int, default=2, help="rounds per page (2)")
        parser.add_argument("--idle", type=int, default=200, help="idle connections held (200)")
        parser.add_argument("--half-sent", type=int, default=50, help="half-sent requests (50)")
        parser.add_argument("--only", default="", help="run only pages whose name contains this")

    def handle(self, *args, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if not name.endswith("_bench"):
            raise CommandError(f"Refusing: database {name!r} is not a _bench database.")
        if subprocess.run(["which", "wrk"], capture_output=True).returncode:
            raise CommandError("wrk is not installed: apt-get install -y wrk (make bench-http)")
        port, root = hb.free_port(), Path(settings.BASE_DIR)
        env = {"ARCHIVE_BENCH_HELLO": "1"}  # and this database's DATABASE_URL/ARCHIVE_DB_NAME
        with hb.scratch() as folder, hb.server(root, port, env, Path(folder) / "server.log") as cmd:
            self.stdout.write(f"Server: {' '.join(cmd)}")
            self.stdout.write(
                f"Database {name}: {Petition.objects.count():,} petitions; load average "
                f"{load()}; wrk -c{options['connections']} -d{options['seconds']}s, "
                f"{options['rounds']} rounds, hello world before each page"
            )
            self.table(f"http://127.0.0.1:{port}", Path(folder), options)
            self.slow_clients(port, options["idle"], options["half_sent"])
            self.stdout.write(f"Load average after: {load()}")

    def pages(self, folder: Path) -> list[Page]:
        """Every public page; the petition page and its JSON twice, over random petitions:
        warm (each served since the archive changed) and first render (the archive changed
        just before the run, and a run draws each petition about once)."""
        numbers = list(
            Petition.objects.order_by("?").values_list("number", flat=True)[:COLD_SAMPLE]
        )
        pages = [Page(n, u) for n, u in InProcess().cases() if n != "petition page"]
        random_pages = []
        for name, form in [
            ("petition page", "/petitions/{}/"),
            ("petition JSON", "/petitions/{}.json"),
        ]:
            for mode, sample in [("warm", numbers[:WARM_SAMPLE]), ("first render", numbers)]:
                paths = [form.format(n) for n in sample]
                (folder / f"{name}-{mode}").mkdir()
                script = hb.random_paths_script(paths, folder / f"{name}-{mode}")
                random_pages.append(Page(f"{name}, {mode}", paths[0], script, mode, paths))
        return [pages[0], *random_pages, *pages[1:], Page("stats", "/stats/")]

    def table(self, base: str, folder: Path, options) -> None:
        seconds, conns, rounds = options["seconds"], options["connections"], options["rounds"]
        pages = [p for p in self.pages(folder) if options["only"] in p.name]
        self.stdout.write(
            f"{'page':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'hello/s':>9}{'ratio':>7}"
            f"{'errors':>7}{'cold ms':>9}{'cold ratio':>11}  URL"
        )
        hello_ms = statistics.median(
            timed_get("127.0.0.1", port(base), hb.HELLO, 10)[1] * 1000 for _ in range(5)
        )
        for page in pages:
            runs, hellos = [], []
            for _ in range(rounds):
                hellos.append(hb.wrk(base, hb.HELLO, seconds, conns))
                if page.mode == "first render":
                    bump_archive()
                elif page.mode == "warm":  # each worker process keeps its own cache
                    for path in page.paths * WARM_GETS:
                        timed_get("127.0.0.1", port(base), path, 30)
                runs.append(hb.wrk(base, page.path, seconds, conns, page.script))
            cold = 0.0
            if page.mode is None:
                cold = self.cold(base, page.path)
            elif page.mode == "warm":
                cold = self.after_import(base, page.paths)
            self.row(page.name, page.path, runs, hellos, cold, hello_ms)
        self.conditional(base, seconds, conns, rounds)

    def row(self, name, path, runs, hellos, cold, hello_ms) -> None:
        rps = statistics.mean(r.rps for r in runs)
        ratios = [r.rps / h.rps for r, h in zip(runs, hellos, strict=True) if h.rps]
        ratio = statistics.mean(ratios) if ratios else 0.0
        p50 = statistics.mean(r.p50 for r in runs)
        p99 = max(r.p99 for r in runs)
        errors = sum(r.errors + r.bad for r in runs)
        hello = statistics.mean(h.rps for h in hellos)
        cold_text = f"{cold:>9.0f}{hello_ms / cold:>11.2f}" if cold else f"{'–':>9}{'–':>11}"
        self.stdout.write(
            f"{name:<28}{rps:>9.1f}{p50:>9.1f}{p99:>9.1f}{hello:>9.0f}{ratio:>7.2f}"
            f"{errors:>7}{cold_text}  {path}"
        )

    def cold(self, base: str, path: str) -> float:
        """Median ms of the first request after an import (the version bumped just before)."""
        times = []
        for _ in range(COLD_SAMPLES):
            bump_archive()
            status, seconds = timed_get("127.0.0.1", port(base), path, 30)
            if status is None:
                return 0.0
            times.append(seconds * 1000)
        return statistics.median(times)

    def after_import(self, base: str, paths: list[str]) -> float:
        """Median ms of the first request for each of `paths` (served before) after an import
        of another petition: a petition's page is keyed on what it shows, not on the archive."""
        bump_archive()
        times = []
        for path in paths:
            status, seconds = timed_get("127.0.0.1", port(base), path, 30)
            if status != 200:
                return 0.0
            times.append(seconds * 1000)
        return statistics.median(times)

    def conditional(self, base: str, seconds: int, conns: int, rounds: int) -> None:
        path = petition_path("id")
        etag = hb.etag("127.0.0.1", port(base), path)
        if not etag:
            self.stdout.write(f"conditional GET: {path} sends no ETag, nothing to measure")
            return
        runs, hellos = [], []
        for _ in range(rounds):
            hellos.append(hb.wrk(base, hb.HELLO, seconds, conns))
            runs.append(hb.wrk(base, path, seconds, conns, headers=[f"If-None-Match: {etag}"]))
        self.row("conditional GET 304", path, runs, hellos, 0.0, 0.0)

    def slow_clients(self, port_number: int, idle: int, half_sent: int) -> None:
        path = petition_path("-id")
        before = timed_get("127.0.0.1", port_number, path, 30)
        with held("127.0.0.1", port_number, idle, half_sent) as holding:
            during = [timed_get("127.0.0.1", port_number, path, 10) for _ in range(5)]
            hello = timed_get("127.0.0.1", port_number, hb.HELLO, 10)
        answered = [s for status, s in during if status == 200]
        worst = f"{max(answered) * 1000:.0f} ms" if answered else "none"
        self.stdout.write(
            f"Slow clients: {holding.idle} idle + {holding.half_sent} half-sent connections held "
            f"({holding.refused} refused); petition page alone {before[1] * 1000:.0f} ms, while "
            f"held {len(answered)}/5 answered, slowest {worst}; hello world "
            f"{hello[0]} in {hello[1] * 1000:.0f} ms"
        )


def petition_path(order: str) -> str:
    return f"/petitions/{Petition.objects.order_by(order).values_list('number', flat=True)[0]}/"


def port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
