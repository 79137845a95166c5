"""Fill a benchmark database with a synthetic corpus of petitions (never the real archive)."""

import hashlib
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from bench import synthetic as syn
from importer.petitions.write import named
from petitions import search, summary
from petitions.bulk import copy_rows
from petitions.models import Caucus, Grievance, Member, Petition, PrayerItem, SourceRecord, Topic
from petitions.vocabulary import unique_slug
from responses import reuse
from responses.models import Portfolio, Response, Signer

CHUNK = 5_000  # petitions per COPY batch: memory holds one batch of rows, whatever the total
MAX_PETITIONS = 1_200_000  # the reserved e-petition numbers hold 900,000
MEMBERS, SIGNERS = 300, 120
PETITION_COLUMNS = (
    "id", "number", "kind", "presented_number", "parliament", "session", "topic_id",
    "initiator_name", "initiator_city", "initiator_province", "initiator_province_text",
    "original_language", "page_language", "addressee", "prayer_text", "signatures", "opened_at",
    "closed_at", "presented_on", "presenter_id", "sponsor_id", "response_tabled_on", "end_state",
    "latest_source_id", "created_at", "updated_at",
)  # fmt: skip
SOURCE_COLUMNS = (
    "id", "petition_id", "source", "raw_text", "content_hash", "imported_at", "imported_by",
)  # fmt: skip
CHILD_COLUMNS = ("petition_id", "position", "text")
RESPONSE_COLUMNS = (
    "petition_id", "position", "portfolio_id", "signer_id", "signer_role", "text", "tabled_on",
    "sessional_paper",
)  # fmt: skip
TABLES = [
    "petitions_petition", "petitions_grievance", "petitions_prayeritem", "responses_response",
    "petitions_sourcerecord", "petitions_member", "petitions_topic", "petitions_caucus",
    "responses_portfolio", "responses_signer", "responses_paragraphfingerprint",
    "responses_prayerfingerprint",
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

    def __init__(
        self, rng: random.Random, lookups: Lookups, marker: str, planted: dict[int, list[str]]
    ):
        self.rng, self.lookups, self.marker, self.planted = rng, lookups, marker, planted
        self.writer = syn.Writer(
            rng, syn.vocabulary(syn.fixture_words(settings.BASE_DIR / "fixtures"))
        )
        self.now = timezone.now()
        self.portfolio_of = {name: i for i, name in enumerate(syn.PORTFOLIOS)}

    def passages(self, slots: Sequence[tuple[int, int]], planted: Iterable[str]) -> list[str]:
        """One passage per (low, high) length slot; each planted string lands in one of them."""
        where: dict[int, list[str]] = {}
        for item in planted:
            where.setdefault(self.rng.randrange(len(slots)), []).append(item)
        return [self.writer.passage(lo, hi, where.get(i, ())) for i, (lo, hi) in enumerate(slots)]

    def rows(self, plan: syn.Plan, pid: int, sid: int) -> dict[str, list[tuple]]:
        """Rows of each table for one petition, its id `pid` and its source record's `sid`."""
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


COPIES = [
    (Petition, PETITION_COLUMNS, "petition"),
    (SourceRecord, SOURCE_COLUMNS, "sourcerecord"),
    (Grievance, CHILD_COLUMNS, "grievance"),
    (PrayerItem, CHILD_COLUMNS, "prayeritem"),
    (Response, RESPONSE_COLUMNS, "response"),
]


def unlisted_defaults(model, columns: Sequence[str]) -> dict[str, object]:
    """The model's required columns missing from `columns`, with the value the ORM would write.

    COPY leaves an unlisted column to the database's default (NULL unless the field has a
    `db_default`), so a NOT NULL field added later (a translation's text, say) gets its Python
    default here and the corpus keeps building.
    """
    extra = {}
    for field in model._meta.concrete_fields:
        if field.column in columns or field.null or field.generated:
            continue
        if field.db_default is not models.NOT_PROVIDED or field.primary_key:
            continue
        extra[field.column] = field.get_default()
    return extra


def copy_with_defaults(model, columns: Sequence[str], rows: list[tuple]) -> None:
    extra = unlisted_defaults(model, columns)
    tail = tuple(extra.values())
    copy_rows(model._meta.db_table, (*columns, *extra), (row + tail for row in rows))


def next_ids(table: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def delete_synthetic() -> int:
    """Delete every synthetic petition with its children and source records."""
    with transaction.atomic():
        sources = SourceRecord.objects.filter(source=syn.SOURCE)
        ids = list(sources.values_list("petition_id", flat=True).distinct())
        Petition.objects.filter(pk__in=ids).update(latest_source=None)
        sources.delete()
        Petition.objects.filter(pk__in=ids).delete()
    return len(ids)


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

    def handle(self, *args, petitions: int, seed: int, force: bool, replace: bool, **options):
        name = settings.DATABASES["default"]["NAME"]
        if not force and not str(name).endswith("_bench"):
            raise CommandError(
                f"Refusing to write synthetic petitions into database {name!r}: its name does "
                "not end with _bench. Use ARCHIVE_DB_NAME=archive_bench (as `make bench` does), "
                "or pass --force if you really mean this database."
            )
        if not 1 <= petitions <= MAX_PETITIONS:
            raise CommandError(f"--petitions must be between 1 and {MAX_PETITIONS}")
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
        self.build(petitions, seed, marker, started)
        self.stdout.write("Filling search vectors (one UPDATE of every petition)…")
        search.reindex()
        self.stdout.write(f"Search vectors filled ({time.monotonic() - started:.0f} s).")
        summary.refresh()
        self.stdout.write(f"Summaries written ({time.monotonic() - started:.0f} s).")
        self.stdout.write("Fingerprinting prayers and response paragraphs (text reuse)…")
        reuse.refresh()
        self.stdout.write(f"Fingerprints written ({time.monotonic() - started:.0f} s).")
        self.analyze()
        self.stdout.write(
            f"Done: {petitions:,} synthetic petitions in {time.monotonic() - started:.0f} s."
        )

    def build(self, count: int, seed: int, marker: str, started: float) -> None:
        rng = random.Random(seed)
        lookups = make_lookups()
        try:
            plans = syn.plan_corpus(count, rng, len(lookups.members), timezone.now())
        except ValueError as error:
            raise CommandError(str(error)) from error
        planted: dict[int, list[str]] = {}
        for token, share in syn.RARE_TOKENS.items():
            for index in rng.sample(range(count), min(share, count)):
                planted.setdefault(index, []).append(token)
        for index in rng.sample(range(count), max(1, round(count * syn.PHRASE_SHARE))):
            planted.setdefault(index, []).append(syn.PHRASE)
        builder = Builder(rng, lookups, marker, planted)
        totals = dict.fromkeys(["petition", "grievance", "prayeritem", "response"], 0)
        for start in range(0, count, CHUNK):
            chunk = plans[start : start + CHUNK]
            with transaction.atomic():
                pids = next_ids("petitions_petition", len(chunk))
                sids = next_ids("petitions_sourcerecord", len(chunk))
                rows: dict[str, list[tuple]] = {}
                for plan, pid, sid in zip(chunk, pids, sids, strict=True):
                    for table, table_rows in builder.rows(plan, pid, sid).items():
                        rows.setdefault(table, []).extend(table_rows)
                for model, columns, key in COPIES:
                    copy_with_defaults(model, columns, rows[key])
            for table in totals:
                totals[table] += len(rows[table])
            self.stdout.write(
                f"  {start + len(chunk):>9,} / {count:,} petitions written "
                f"({time.monotonic() - started:.0f} s)"
            )
        self.stdout.write(
            f"Wrote {totals['petition']:,} petitions, {totals['grievance']:,} grievances, "
            f"{totals['prayeritem']:,} prayer items, {totals['response']:,} responses."
        )

    def analyze(self) -> None:
        """VACUUM ANALYZE the touched tables (only ANALYZE inside a transaction, as in tests)."""
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        self.stdout.write(f"{command} of {len(TABLES)} tables…")
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"{command} {table}")
