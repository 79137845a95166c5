"""The archive's version: what every cache of a page, a count or a facet is keyed on.

`archive_version` (one row, migration `0012_archive_version`) is bumped by statement-level
triggers on every table of the archive, in the writing transaction: readers see the new number
exactly when they can see the new rows. One indexed query reads it with the two moments the
clock changes what pages show without a write (a petition's signing period closing): the next
closing to come and the last one passed.

The version is read once per request: the page cache holds it (`holding`) while the view runs,
so every cached piece of one page is keyed on the same version. A process reuses it across
requests for `ARCHIVE_VERSION_MEMO_SECONDS` (1 s; 0 reads it on every request): the round trip
to PostgreSQL costs more than serving a stored page, and a write shows within that second.
"""

import functools
import hashlib
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

ARCHIVE_APPS = ("petitions", "responses", "documents")
TRIGGER = "archive_version_bump"

QUERY = """
SELECT v.number, v.changed_at,
    (SELECT min(closed_at) FROM petitions_petition WHERE stage = 'signing' AND closed_at > now()),
    (SELECT max(closed_at) FROM petitions_petition WHERE stage = 'signing' AND closed_at <= now())
FROM archive_version v
"""


def install_sql(tables: list[str]) -> str:
    """The statements that make every write to `tables` bump the version."""
    return "\n".join(
        f'CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{t}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION archive_version_bump();"
        for t in tables
    )


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime
    next_close: datetime | None
    last_close: datetime | None

    def __str__(self) -> str:
        return f"{self.number}/{self.closing}"

    @property
    def closing(self) -> str:
        """The next moment the clock changes what pages show (a signing period closing)."""
        return str(self.next_close.timestamp()) if self.next_close else "-"

    @property
    def last_modified(self) -> datetime:
        """The last moment the archive changed, by a write or by the clock closing a petition."""
        return max(filter(None, (self.changed_at, self.last_close)))


_held: ContextVar[Version | None] = ContextVar("archive_version", default=None)
_memo: list = [0.0, None]  # (read at, Version): shared by the process's threads


def read(fresh: bool = False) -> Version:
    """The version held by the current request, or read now (one query); `fresh`: read now
    whatever the process read last."""
    if (held := _held.get()) and not fresh:
        return held
    memo_seconds = getattr(settings, "ARCHIVE_VERSION_MEMO_SECONDS", 0)
    read_at, memo = _memo
    if memo is not None and time.monotonic() - read_at < memo_seconds and not fresh:
        return memo
    with connection.cursor() as cursor:
        cursor.execute(QUERY)
        version = Version(*cursor.fetchone())
    _memo[:] = [time.monotonic(), version]
    return version


@contextmanager
def holding(version: Version):
    """Every `read()` in this block (one request) answers `version` without a query."""
    token = _held.set(version)
    try:
        yield version
    finally:
        _held.reset(token)


@functools.cache
def release() -> str:
    """A digest of what renders the pages: the templates, the translations, the apps' code and
    the static files' manifest. A new release gives every page a new key and ETag, so neither
    the cache nor a browser keeps a page of the previous release (a petition's page is keyed
    on its own rows, which a release does not change)."""
    root = Path(settings.BASE_DIR)
    apps = sorted(
        d.name for d in root.iterdir() if (d / "__init__.py").exists() and d.name != "tests"
    )
    patterns = ["templates/**/*.html", "locale/**/*.mo", "staticfiles/staticfiles.json"]
    patterns += [f"{app}/**/*.py" for app in apps]
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
