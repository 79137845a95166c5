"""Pages kept under what they read: a list is still the same page after an import that did not
touch what it shows.

While a public page renders, every statement it runs is recorded (`recording`): the SQL and
its parameters, once each, and the time they took. Counts and facets kept in the cache until
the archive changes (`browse.facets.while_unchanged`) keep the statements that computed them,
and add them to the page's record whenever they are read, so a page's record is everything it
read, computed or not. A statement whose rows follow from cheaper ones (highlighted snippets
from their texts) is recorded as those (`standing_in`). After the archive changes, the page
cache (`config.http_cache`, and right after an import `config.revalidation`) asks `token()`:
one statement that runs them all again and digests their rows. The same digest means the same
rows, so the stored page is served as it was, with no view, no ORM and no template. The digest
of a page's own rows is taken by the same statement, after the page is sent (`digest_waiting`,
by the server's pass) or, with the pass off, before. A page whose statements took most of its
time to render is not kept this way (`ARCHIVE_READS_MAX_SHARE`): asking again would cost about
as much as rendering it.
"""

import logging
import re
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from typing import NamedTuple

from django.core.cache import cache
from django.db import DatabaseError, connection

log = logging.getLogger(__name__)

# Statements a page may be kept under: reads. Any other (a write, a lock) makes the record
# unusable, and the page is kept under the archive's version only.
READ = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)
# The driver's own lookups of types on a new connection: not what a page shows.
CATALOG = re.compile(r"\s*SELECT\b[^()]*\bFROM pg_type\b", re.IGNORECASE)
LOCKING = re.compile(r"\bFOR\s+(UPDATE|SHARE|NO KEY UPDATE|KEY SHARE)\b", re.IGNORECASE)


class Statements(list):
    """(sql, params) of the statements a render ran, in order, each once; `seconds`, their time
    in PostgreSQL and the driver; `usable`, False once one of them was not a plain read."""

    def __init__(self, entries=(), seconds: float = 0.0, usable: bool = True):
        super().__init__()
        self.seconds, self.usable = seconds, usable
        for sql, params in entries:
            self.add(sql, params)

    def add(self, sql: str, params) -> None:
        entry = (sql, tuple(params or ()))
        if entry not in self:
            self.append(entry)

    def merge(self, other: "Statements") -> None:
        for sql, params in other:
            self.add(sql, params)
        self.seconds += other.seconds
        self.usable = self.usable and other.usable

    def kept(self) -> tuple:
        """A plain form for the cache."""
        return list(self), self.seconds, self.usable

    @classmethod
    def from_kept(cls, kept) -> "Statements":
        entries, seconds, usable = kept
        return cls(entries, seconds, usable)


_recording: ContextVar[Statements | None] = ContextVar("reads", default=None)


def _record(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        if (reads := _recording.get()) is not None:
            reads.seconds += time.perf_counter() - started
            if many or not READ.match(sql) or LOCKING.search(sql) or isinstance(params, dict):
                reads.usable = False
            elif not CATALOG.match(sql):
                reads.add(sql, params)


@contextmanager
def recording():
    """Yields the `Statements` the block runs; a recording inside another adds its statements
    to the outer one when it ends."""
    reads, outer = Statements(), _recording.get()
    reset = _recording.set(reads)
    try:
        with connection.execute_wrapper(_record) if outer is None else nullcontext():
            yield reads
    finally:
        _recording.reset(reset)
        if outer is not None:
            outer.merge(reads)


@contextmanager
def standing_in(queryset):
    """Record the statements the block runs as `queryset`'s statement instead: a cheaper read
    of their inputs, for statements whose rows follow from those inputs and the page's key
    alone (highlighted snippets from their texts and configurations; the search is in the
    address). Asking again reads the inputs; the same inputs give the same rows. Their time is left out of the record's: asking
    again does not spend it."""
    if (reads := _recording.get()) is None:
        yield
        return
    inner = Statements()
    reset = _recording.set(inner)
    try:
        yield
    finally:
        _recording.reset(reset)
        reads.usable = reads.usable and inner.usable
        sql, params = queryset.query.sql_with_params()
        reads.add(sql, params)


def add(kept) -> None:
    """Add statements read from the cache (`Statements.kept()`) to the recording, if any."""
    if (reads := _recording.get()) is not None:
        reads.merge(Statements.from_kept(kept))


def costly(reads: Statements, render_seconds: float, max_share: float) -> bool:
    """Whether asking the statements again would cost about as much as rendering the page."""
    return reads.seconds > max_share * render_seconds


def rows_digest(sql: str, in_order: bool = True) -> str:
    """SQL for an md5 of the rows `sql` returns ('' for none): of each row's text, so no two
    sets of rows run together the same, in the order `sql` returns them or, with `in_order`
    False, whatever that order."""
    order = "" if in_order else " ORDER BY md5(x::text)"
    return f"(SELECT COALESCE(md5(string_agg(md5(x::text), ','{order})), '') FROM ({sql}) x)"


def token_statement(reads: Statements) -> tuple[str, list]:
    """One statement returning a digest of every statement's rows, in their order, and the
    archive's version number (the same snapshot)."""
    parts, params = [], []
    for sql, values in reads:
        parts.append(rows_digest(sql if values else sql.replace("%", "%%")))
        params.extend(values)
    digests = f"ARRAY[{', '.join(parts)}]::text[]" if parts else "ARRAY[]::text[]"
    query = f"SELECT md5(array_to_string({digests}, '|')), (SELECT number FROM archive_version)"
    return query, params


def token(reads: Statements) -> tuple[str, int]:
    """(digest of what the statements read now, the archive's version number then)."""
    query, params = token_statement(reads)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()


def digest_of(reads: Statements) -> tuple:
    """`token(reads)`; (None, None) when the statement fails (a column renamed since the page
    was kept): the page is rendered instead."""
    try:
        return token(reads)  # in autocommit, a failed statement leaves the connection usable
    except DatabaseError:
        log.warning("a page's reads could not be asked again", exc_info=True)
        return None, None


class Kept(NamedTuple):
    """A page kept under what it read, as the cache holds it (at `config.http_cache.reads_key`)."""

    statements: tuple  # `Statements.kept()`
    digest: str | None  # of their rows; None until the server's pass takes it
    page: tuple  # the stored response (`config.http_cache.stored`)
    version: int  # the archive's version it rendered at


# Pages kept whose reads wait to be digested (by the server's pass, `config.revalidation`, after
# the response was sent): their reads key, and the version they rendered at.
_waiting: OrderedDict[str, int] = OrderedDict()
_waiting_lock = threading.Lock()


def wait_for_digest(key: str, version: int, most: int) -> None:
    """Note that the page kept at `key` (`config.http_cache.reads_key`), rendered at `version`,
    waits for the digest of its reads; the `most` latest are noted."""
    with _waiting_lock:
        _waiting[key] = version
        _waiting.move_to_end(key)
        while len(_waiting) > most:
            _waiting.popitem(last=False)


def waiting() -> list[str]:
    """The keys of the pages whose digest waits, the first kept first."""
    with _waiting_lock:
        return list(_waiting)


def forget_waiting() -> None:
    with _waiting_lock:
        _waiting.clear()


def digest_waiting(version: int) -> int:
    """Digest the reads of the pages kept at `version` whose digest waits, and keep each under
    its digest (`Kept`); how many. A page kept at
    an older version is left without one (its reads now give newer rows): its next request after
    the import renders it again."""
    done = 0
    for key in waiting():
        with _waiting_lock:
            at = _waiting.pop(key, None)
        kept = cache.get(key) if at == version else None  # the cache: a miss when down
        if not kept or kept.digest is not None or kept.version != at:
            continue
        digest, number = digest_of(Statements.from_kept(kept.statements))
        if digest is None:  # the rest wait for the next round; this page is rendered again
            break
        if number != at:
            break  # the archive moved on: the rest were kept at an older version too
        cache.set(key, kept._replace(digest=digest))
        done += 1
    return done
