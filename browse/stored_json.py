"""Each petition's public JSON, kept as PostgreSQL built it, so that the JSON pages, the JSON
twin and the JSON Lines download read it instead of building it again for every request.

`petition_json` (`browse.models.StoredJson`) holds a petition's JSON text per language, built by
`petition_sql` with `stored=True`: its `url` without the site's address, and "?" for the two
values the clock changes (`status`, `response_deadline.state`). `json_query` puts those in as it
reads, from the petition's own columns, and builds the JSON of a petition with no stored text as
before: the answer is the same text either way (the tests compare them).

Kept exact by PostgreSQL: triggers (migration `0001_stored_json`) on every table the JSON reads
delete the stored texts of the petitions a write changed, in the writing transaction. A text
also names its build (`build`, a digest of the statement): a release that changes the JSON's
form or its labels ignores the older texts and builds them again.

`store()` fills what is missing, in batches: `build_downloads` and the benchmark corpus fill
every petition; a JSON page that had to build some starts `fill_in_background()` (one thread per
server process). A fill holds the advisory lock `LOCK` exclusive while it reads and writes;
the triggers take it shared, so a fill reads only committed rows and a write that commits after
the fill began deletes what the fill stored.
"""

import functools
import hashlib
import json
import threading
import time
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from browse.background import once_in_background
from browse.models import StoredJson
from browse.petition_sql import NOW, PetitionSql, at_now, built, each_selected, lit
from petitions.compiled import Compiled
from petitions.models import Petition
from petitions.querysets import number_key

LOCK = 742_014  # the advisory lock of a fill (migration 0001_stored_json takes it shared)
LANGUAGES = ("en", "fr")
BATCH = 2_000  # petitions a fill builds in one transaction (the lock is held that long)
TABLE, PETITIONS = StoredJson._meta.db_table, Petition._meta.db_table
# The stored text's placeholders, as json_build_object writes them (`"key" : value`). A text
# inside the JSON cannot hold them: its quotation marks are escaped.
URL, STATUS, STATE = '"url" : "', '"status" : "?"', '"state" : "?"'
_filling = threading.Lock()  # one background fill per server process


@functools.lru_cache(maxsize=4)
def builder(language: str) -> tuple[PetitionSql, str]:
    """The parts that build a stored text, and the build's digest."""
    q = PetitionSql(language, "", stored=True)
    assert NOW not in q.json, "a stored text must not depend on the moment it was built"
    return q, hashlib.sha256(f"{q.json}|{q.joined}".encode()).hexdigest()[:16]


def read(live: PetitionSql, base_url: str) -> str:
    """The stored text of petition `p`, as `kept.json`, with the site's address, the status
    and the deadline's state put in; no row when there is none of this build."""
    _, build = builder(live.lang)
    base = json.dumps(base_url)[1:-1]
    text = f"replace(s.body, {lit(URL)}, {lit(URL + base)})"
    status = f"{lit(STATUS[:-3])} || to_json({live.status()})::text"
    text = f"replace({text}, {lit(STATUS)}, {status})"
    state = f"{lit(STATE[:-3])} || COALESCE(to_json({live.deadline()})::text, 'null')"
    text = f"replace({text}, {lit(STATE)}, {state})"
    return (
        f"LEFT JOIN LATERAL (SELECT {text} AS json, s.xmin::text AS own FROM {TABLE} s "
        f"WHERE s.petition_id = p.id "
        f"AND s.language = {lit(live.lang)} AND s.build = {lit(build)}) kept ON TRUE"
    )


@functools.lru_cache(maxsize=16)
def lookup_statement(language: str, base_url: str, today: date) -> Compiled:
    """The statement that finds a petition as `Petition.objects.find` does (any form of its
    number, `finding`) with its stored text, read as `read` reads it, and what the JSON twin's
    page key is made of (`browse.page_keys`): (pk, number, withdrawn_at, text or NULL, the
    stored row's version or NULL, stage, closed_at). A short statement, where building the
    JSON afresh is a long one to plan; built once a day, as the JSON's statement is built
    (compiling it through the ORM took a quarter of a stored JSON twin's time)."""
    live = built(language, base_url, today)
    found = finding()
    # The moment is a parameter, not a literal: the statement's text stays the same, and
    # PostgreSQL parses it once per connection (ARCHIVE_DB_PREPARE_AFTER).
    kept = read(live, base_url)
    return Compiled(
        f"SELECT p.id, p.number, p.withdrawn_at, kept.json, kept.own, p.stage, p.closed_at "
        f"FROM {PETITIONS} p "
        f"{kept.replace(NOW, '%s::timestamptz')} WHERE p.id = ({found.sql})",
        (NOW,) * kept.count(NOW) + found.params,
        SENTINEL,
    )


SENTINEL = "\x00"  # never a petition number (PostgreSQL's texts cannot hold it)


@functools.cache
def finding() -> Compiled:
    """The id of the petition `Petition.objects.find` finds for a number (`SENTINEL`, put in
    by `params_with`): the newest of two that share it, in `find`'s order. Compiled once, for
    the JSON twin's lookup and the petition's page key (`browse.page_keys`)."""
    statement = Compiled.of(Petition.objects.numbered(SENTINEL).values("id")[:1], SENTINEL)
    assert set(statement.params) == {SENTINEL}, "the lookup takes the number and nothing else"
    return statement


def find_stored(language: str, base_url: str, number: str) -> tuple | None:
    """(pk, number, withdrawn_at, stored text or None, its row's version or None, stage,
    closed_at) of the petition `number` names."""
    statement = lookup_statement(language, base_url, timezone.localdate())
    with connection.cursor() as cursor:
        now = timezone.now()
        params = [now if p == NOW else p for p in statement.params_with(number_key(number))]
        cursor.execute(statement.sql, params)
        return cursor.fetchone()


@functools.lru_cache(maxsize=16)
def json_select(language: str, base_url: str, today: date) -> str:
    live = built(language, base_url, today)
    fresh = f"(SELECT ({live.json})::text FROM {live.joined} WHERE p.id = sel.id)"
    return (
        f"SELECT COALESCE(kept.json, {fresh}) AS json, kept.json IS NOT NULL AS kept "
        f"FROM {PETITIONS} p {read(live, base_url)}"
    )


def json_query(language: str, base_url: str, selection_sql: str) -> str:
    """(ord, JSON text, whether it was stored) of each selected petition, in the selection's
    order: the stored text where there is one, else built as `petition_sql` builds it."""
    return at_now(
        each_selected(selection_sql, json_select(language, base_url, timezone.localdate()))
    )


def store(language: str, ids: list[int] | None = None, wait: float = 600) -> int:
    """Build and keep the JSON of the petitions `ids` (every petition when None) that have none
    of this build, BATCH at a time; the number stored. Gives up after `wait` seconds without
    the lock (writes kept it), leaving the rest to be built when read."""
    q, build = builder(language)
    # A subquery for each petition, which the planner cannot turn into a join scanning the
    # stored texts: one index lookup each.
    missing = (
        f"(SELECT s.build FROM {TABLE} s WHERE s.petition_id = p.id AND s.language = "
        f"{lit(language)}) IS DISTINCT FROM {lit(build)}"
    )
    chosen = "p.id = ANY(%s)" if ids is not None else "TRUE"
    insert = (
        f"INSERT INTO {TABLE} (petition_id, language, build, body) "
        f"SELECT p.id, {lit(language)}, {lit(build)}, ({q.json})::text FROM {q.joined} "
        f"WHERE p.id = ANY(%s) AND {missing} ON CONFLICT (petition_id, language) DO UPDATE "
        "SET build = EXCLUDED.build, body = EXCLUDED.body"
    )
    stored, after = 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT array_agg(id) FROM (SELECT p.id FROM {PETITIONS} p WHERE {chosen} AND "
                f"p.id > %s AND {missing} ORDER BY p.id LIMIT {BATCH}) batch",
                ([ids] if ids is not None else []) + [after],
            )
            batch = cursor.fetchone()[0]
        if not batch:
            return stored
        with transaction.atomic(), connection.cursor() as cursor:
            if not locked(cursor, wait):
                return stored
            # As the exports plan it (publish.exports.PLAN), for this transaction only.
            cursor.execute(
                "SELECT set_config('jit', 'off', true), set_config('enable_hashjoin', 'off', true)"
            )
            cursor.execute(insert, [batch])
            stored += cursor.rowcount
        after = max(batch)


def locked(cursor, wait: float) -> bool:
    """Take the fill's lock for this transaction, trying every `POLL` seconds for at most
    `wait`: a fill behind a long import gives up instead of waiting it out (what it leaves
    is built when read, and stored by a later fill)."""
    deadline = time.monotonic() + wait
    while True:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK])
        if cursor.fetchone()[0]:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL)


POLL = 0.05


def store_all(wait: float = 600) -> int:
    return sum(store(language, wait=wait) for language in LANGUAGES)


def fill_in_background() -> threading.Thread | None:
    """Store every missing text in a thread of its own, unless this process runs one already
    or `ARCHIVE_STORED_JSON_FILL` is off."""
    if not settings.ARCHIVE_STORED_JSON_FILL:
        return None
    return once_in_background(_filling, "store-json", lambda: store_all(wait=BACKGROUND_WAIT),
                              "The petitions' JSON could not be stored")  # fmt: skip


BACKGROUND_WAIT = 10  # seconds a background fill waits for writes under way, per batch
