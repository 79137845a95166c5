"""Fill a benchmark database with a synthetic corpus of petitions (never the real archive)."""

import hashlib
import multiprocessing
import os
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone

from bench import synthetic as syn
from bench.corpus_write import (
    PETITION_COLUMNS,
    RESPONSE_COLUMNS,
    delete_synthetic,
    next_ids,
    write_batch,
)
from browse import stored_json
from importer.petitions.write import named
from petitions.models import Caucus, Member, SourceRecord, Topic
from petitions.summary import summarise
from petitions.vocabulary import unique_slug
from responses import reuse
from responses.models import Portfolio, Signer

CHUNK = 5_000  # petitions per batch: memory holds one batch of rows, whatever the total
MAX_WORKERS = 4
MAX_PETITIONS = 1_200_000  # the reserved e-petition numbers hold 900,000
MEMBERS, SIGNERS = 300, 120
TABLES = [
    "petitions_petition", "petitions_grievance", "petitions_prayeritem", "responses_response",
    "petitions_sourcerecord", "petitions_member", "petitions_topic", "petitions_caucus",
    "responses_portfolio", "responses_signer", "responses_paragraphfingerprint",
    "responses_prayerfingerprint", "petition_json",
    # Kept by triggers as petitions are written: each write leaves a dead row, and an index-only
    # scan reads the heap until VACUUM marks the pages all-visible (autovacuum may be off).
    "facet_cube", "facet_tally",
]  # fmt: skip
GRIEVANCE_WEIGHTS = [10, 8, 12, 16, 16, 14, 10, 8, 6]  # 0–8 grievances
PRAYER_ITEM_WEIGHTS = [45, 8, 14, 15, 11, 7]  # 0–5 prayer items
WHO = ["citizens and residents of Canada", "residents of Canada", "citizens of Canada"]


@dataclass
class Lookups:
    """Primary keys of the rows petitions point to, in the order of `synthetic`'s lists."""

    topics: list[int]
    members: list[int]
    portfolios: list[int]
    signers: dict[int, list[int]]  # portfolio id → signer ids


def person(rng: random.Random) -> str:
    return f"{rng.choice(syn.FIRST_NAMES)} {rng.choice(syn.LAST_NAMES)}"


def place(rng: random.Random) -> tuple[str, str, str]:
    """(code, name, town) of a province or territory drawn by population."""
    code, name, _share, towns = rng.choices(syn.PROVINCES, [p[2] for p in syn.PROVINCES])[0]
    return code, name, rng.choice(towns.split()).replace("_", " ")


def riding_name(rng: random.Random, town: str, taken: set[str]) -> str:
    """A riding named after its town, qualified or joined with a neighbour when taken."""
    riding, tries = town, 0
    while riding in taken:
        tries += 1
        suffix = rng.choice(["Centre", "North", "South", "East", "West"])
        riding = f"{town} {suffix}" if tries < 4 else f"{town}—{place(rng)[2]}"
    taken.add(riding)
    return riding


def make_lookups() -> Lookups:
    """Topics, caucuses, ~300 MPs, ~35 portfolios and ~120 signers, the same for every seed."""
    rng = random.Random(0)
    topics = [named(Topic, name).pk for name, _ in syn.TOPICS]
    caucuses = [named(Caucus, name) for name, _ in syn.CAUCUSES]
    names: dict[str, None] = {}
    while len(names) < MEMBERS:
        names[person(rng)] = None
    ridings: set[str] = set()
    members, liberals = [], []
    for name in names:
        caucus = rng.choices(caucuses, [share for _, share in syn.CAUCUSES])[0]
        code, _province, town = place(rng)
        riding = riding_name(rng, town, ridings)
        member = Member.objects.filter(name=name).first() or Member.objects.create(
            name=name, slug=unique_slug(Member, name), riding=riding, caucus=caucus, province=code
        )
        members.append(member.pk)
        if caucus.name == "Liberal":
            liberals.append(name)
    signer_names = (liberals + list(names))[:SIGNERS]
    signers = [named(Signer, name).pk for name in signer_names]
    portfolios = [named(Portfolio, name).pk for name in syn.PORTFOLIOS]
    pools = {pk: signers[i :: len(portfolios)] for i, pk in enumerate(portfolios)}
    return Lookups(topics, members, portfolios, pools)


class Builder:
    """Turns plans into rows for COPY: one petition's text, grievances, prayer and responses."""

    def __init__(self, rng: random.Random, corpus: "Corpus"):
        self.rng, self.lookups, self.marker = rng, corpus.lookups, corpus.marker
        self.planted = corpus.planted
        self.writer = syn.Writer(rng, corpus.words)
        self.now = corpus.now
        self.portfolio_of = {name: i for i, name in enumerate(syn.PORTFOLIOS)}

    def passages(self, slots: Sequence[tuple[int, int]], planted: Iterable[str]) -> list[str]:
        """One passage per (low, high) length slot; each planted string lands in one of them."""
        where: dict[int, list[str]] = {}
        for item in planted:
            where.setdefault(self.rng.randrange(len(slots)), []).append(item)
        return [self.writer.passage(lo, hi, where.get(i, ())) for i, (lo, hi) in enumerate(slots)]

    def rows(self, plan: syn.Plan, pid: int, sid: int) -> dict[str, list[tuple]]:
        """Rows of each table for one petition, its id `pid` and its source record's `sid`;
        responses without their id (given by the batch)."""
        rng, lookups = self.rng, self.lookups
        topic_name, portfolio_name = syn.TOPICS[plan.topic]
        addressee = rng.choices([*syn.ADDRESSEES, portfolio_name], [50, 30, 5, 15])[0]
        lead = f"We, the undersigned, {rng.choice(WHO)}, call upon the {addressee} to"
        items = rng.choices(range(6), PRAYER_ITEM_WEIGHTS)[0]
        grievances = rng.choices(range(9), GRIEVANCE_WEIGHTS)[0]
        answers = (1 if rng.random() < 0.85 else 2) if plan.response_tabled_on else 0
        paragraphs = [round(rng.triangular(3, 12, 5)) for _ in range(answers)]
        prayer = [(80, 350)] * items or [(max(40, 200 - len(lead)), 600 - len(lead))]
        slots = prayer + [(100, 400)] * grievances + [(300, 1200)] * sum(paragraphs)
        texts = self.passages(slots, self.planted.get(plan.index, ()))
        if items:
            prayer_text = lead + ":"
        else:
            body = texts.pop(0)
            prayer_text = f"{lead} {body[:1].lower()}{body[1:]}"
        item_texts, texts = texts[:items], texts[items:]
        grievance_texts, texts = texts[:grievances], texts[grievances:]
        out: dict[str, list[tuple]] = {
            "prayeritem": [(pid, i, t) for i, t in enumerate(item_texts, start=1)],
            "grievance": [(pid, i, t) for i, t in enumerate(grievance_texts, start=1)],
            "response": [],
        }
        for position, count in enumerate(paragraphs, start=1):
            portfolio = lookups.portfolios[self.portfolio_of[portfolio_name]]
            if rng.random() < 0.2:
                portfolio = rng.choice(lookups.portfolios)
            role = rng.choices(["", "minister", "parliamentary_secretary"], [70, 10, 20])[0]
            paper = f"8545-{plan.parliament}{plan.session}-{rng.randint(1, 120)}-{position:02d}"
            text = "\n\n".join(texts[:count])
            texts = texts[count:]
            signer = rng.choice(lookups.signers[portfolio] or [None])
            out["response"].append(
                (pid, position, portfolio, signer, role, text, plan.response_tabled_on, paper)
            )
        code, province, town = place(rng) if plan.kind == "e-petition" else ("", "", "")
        member = lookups.members
        out["petition"] = [
            (
                pid, plan.number, plan.kind, plan.presented_number, plan.parliament, plan.session,
                lookups.topics[plan.topic], person(rng) if code else "", town, code, province,
                "fr" if rng.random() < 0.15 else "en", "en", addressee, prayer_text,
                plan.signatures, plan.opened_at, plan.closed_at, plan.presented_on,
                None if plan.presenter is None else member[plan.presenter],
                None if plan.sponsor is None else member[plan.sponsor],
                plan.response_tabled_on, plan.end_state, sid, self.now, self.now,
                summarise(prayer_text, item_texts, grievance_texts, "en"),
            )
        ]  # fmt: skip
        raw = (
            f"Synthetic petition {plan.number} ({topic_name}), made up by `manage.py "
            f"synthesize_corpus` ({self.marker}). Not a House of Commons page."
        )
        digest = hashlib.sha256(raw.encode()).hexdigest()
        out["sourcerecord"] = [
            (sid, pid, syn.SOURCE, raw, digest, self.now, syn.IMPORTED_BY),
        ]
        return out


@dataclass
class Corpus:
    """What every batch reads: the plans of all petitions and what is planted in them."""

    seed: int
    marker: str
    lookups: Lookups
    plans: list[syn.Plan]
    planted: dict[int, list[str]]  # plan index → rare tokens and phrase its text holds
    words: list[str]
    now: datetime

    def batch_rng(self, start: int) -> random.Random:
        """The texts of the batch starting at plan `start`: the same whoever writes it."""
        return random.Random(f"{self.seed}/{start}")


def build_batch(corpus: Corpus, start: int) -> dict[str, int]:
    """Write the petitions of plans[start:start + CHUNK] with everything derived from them:
    search vectors, summaries, text-reuse fingerprints. Returns the rows written per table."""
    chunk = corpus.plans[start : start + CHUNK]
    builder = Builder(corpus.batch_rng(start), corpus)
    pids = next_ids("petitions_petition", len(chunk))
    sids = next_ids("petitions_sourcerecord", len(chunk))
    rows: dict[str, list[tuple]] = {}
    for plan, pid, sid in zip(chunk, pids, sids, strict=True):
        for table, table_rows in builder.rows(plan, pid, sid).items():
            rows.setdefault(table, []).extend(table_rows)
    rids = next_ids("responses_response", len(rows["response"]))
    rows["response"] = [(rid, *row) for rid, row in zip(rids, rows["response"], strict=True)]
    items: dict[int, list[str]] = {}
    for pid, _position, text in rows["prayeritem"]:  # in position order
        items.setdefault(pid, []).append(text)
    prayer, text = PETITION_COLUMNS.index("prayer_text"), RESPONSE_COLUMNS.index("text")
    prayers = reuse.prayer_rows((r[0], r[prayer], items.get(r[0], [])) for r in rows["petition"])
    paragraphs = reuse.paragraph_rows((r[0], r[text]) for r in rows["response"])
    write_batch(rows, prayers, paragraphs)
    for language in stored_json.LANGUAGES:  # each petition's JSON, as build_downloads stores it
        stored_json.store(language, pids)
    return {
        table: len(rows[table]) for table in ("petition", "grievance", "prayeritem", "response")
    }


_corpus: Corpus | None = None  # a worker's, inherited when it is forked


def _work(start: int) -> tuple[int, dict[str, int]]:
    try:
        return start, build_batch(_corpus, start)
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = (
        "Fill the current database with a SYNTHETIC corpus of made-up petitions for scale "
        "checks (`make bench`). Refuses unless the database name ends with _bench (or --force). "
        f"Every synthetic petition has a source record '{syn.SOURCE}' and a number in a reserved "
        "range (e-500000 and up; presentation numbers NNN-50000 to NNN-99999). "
        "`make run` never loads this data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--petitions", type=int, default=100_000, help="how many (100000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--force", action="store_true", help="run even if the database is not a _bench one"
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete the synthetic rows first, rebuild"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(os.cpu_count() or 1, MAX_WORKERS),
            help="processes writing batches side by side (the number of CPUs, at most "
            f"{MAX_WORKERS}); one inside a transaction or for a single batch",
        )

    def handle(
        self, *args, petitions: int, seed: int, force: bool, replace: bool, workers: int, **options
    ):
        name = settings.DATABASES["default"]["NAME"]
        if not force and not str(name).endswith("_bench"):
            raise CommandError(
                f"Refusing to write synthetic petitions into database {name!r}: its name does "
                "not end with _bench. Use ARCHIVE_DB_NAME=archive_bench (as `make bench` does), "
                "or pass --force if you really mean this database."
            )
        if not 1 <= petitions <= MAX_PETITIONS:
            raise CommandError(f"--petitions must be between 1 and {MAX_PETITIONS}")
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        marker = f"seed {seed}, {petitions} petitions"
        sources = SourceRecord.objects.filter(source=syn.SOURCE)
        existing = sources.count()
        if existing and not replace:
            sample = sources.values_list("raw_text", flat=True).first() or ""
            if existing == petitions and f"({marker})" in sample:
                self.stdout.write(
                    f"Database {name} already holds the synthetic corpus ({marker}); "
                    "nothing to do (use --replace to rebuild)."
                )
                return
            raise CommandError(
                f"Database {name} holds {existing} synthetic petitions, not the corpus asked for "
                f"({marker}). Run again with --replace to delete and rebuild them."
            )
        self.stdout.write(
            f"SYNTHETIC DATA: building {petitions:,} made-up petitions ({marker}) in database "
            f"{name}. They are not real House of Commons petitions."
        )
        started = time.monotonic()
        if existing:
            self.stdout.write(f"Deleted {delete_synthetic():,} synthetic petitions (--replace).")
        corpus = self.plan(petitions, seed, marker)
        self.stdout.write(f"Planned ({time.monotonic() - started:.0f} s).")
        self.build(corpus, workers, started)
        self.analyze()
        self.stdout.write(
            f"Done: {petitions:,} synthetic petitions in {time.monotonic() - started:.0f} s."
        )

    def plan(self, count: int, seed: int, marker: str) -> Corpus:
        """Every petition's plan and planted words, from one seeded generator."""
        rng = random.Random(seed)
        lookups = make_lookups()
        now = timezone.now()
        try:
            plans = syn.plan_corpus(count, rng, len(lookups.members), now)
        except ValueError as error:
            raise CommandError(str(error)) from error
        planted: dict[int, list[str]] = {}
        for token, share in syn.RARE_TOKENS.items():
            for index in rng.sample(range(count), min(share, count)):
                planted.setdefault(index, []).append(token)
        for index in rng.sample(range(count), max(1, round(count * syn.PHRASE_SHARE))):
            planted.setdefault(index, []).append(syn.PHRASE)
        words = syn.vocabulary(syn.fixture_words(settings.BASE_DIR / "fixtures"))
        return Corpus(seed, marker, lookups, plans, planted, words, now)

    def build(self, corpus: Corpus, workers: int, started: float) -> None:
        """Write the batches, each with its search vectors, summaries and fingerprints: in
        `workers` forked processes (each with its own connection), or here inside a
        transaction (as in tests) or when there is one batch."""
        global _corpus
        count = len(corpus.plans)
        starts = range(0, count, CHUNK)
        workers = min(workers, len(starts))
        if connection.in_atomic_block:
            workers = 1
        self.stdout.write(
            f"Writing {len(starts):,} batches of up to {CHUNK:,} petitions with their search "
            f"vectors, summaries and fingerprints ({workers} worker{'s' * (workers > 1)})…"
        )
        totals = dict.fromkeys(["petition", "grievance", "prayeritem", "response"], 0)
        if workers == 1:
            done = ((start, build_batch(corpus, start)) for start in starts)
            self.tally(done, totals, count, started)
        else:
            _corpus = corpus
            connections.close_all()  # a forked worker must not share this process's connection
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    self.tally(pool.imap_unordered(_work, starts), totals, count, started)
            finally:
                _corpus = None
        self.stdout.write(
            f"Wrote {totals['petition']:,} petitions, {totals['grievance']:,} grievances, "
            f"{totals['prayeritem']:,} prayer items, {totals['response']:,} responses."
        )

    def tally(self, done: Iterable, totals: dict[str, int], count: int, started: float) -> None:
        for _start, written in done:
            for table in totals:
                totals[table] += written[table]
            self.stdout.write(
                f"  {totals['petition']:>9,} / {count:,} petitions written "
                f"({time.monotonic() - started:.0f} s)"
            )

    def analyze(self) -> None:
        """VACUUM ANALYZE the touched tables (only ANALYZE inside a transaction, as in tests)."""
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        self.stdout.write(f"{command} of {len(TABLES)} tables…")
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"{command} {table}")
