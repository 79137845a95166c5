"""Fragments of pages kept in the cache under a digest of exactly what they show.

A fragment's key is a digest of the release (templates, translations, code: `release`), the
language and the values it shows, so it never needs invalidating: the same values give the
same HTML. After an import a list renders only what changed: the rows of the petitions the
import touched, the facets if their counts moved; the rest is read from the cache (shared by
the servers when `REDIS_URL` is set). Used by the list's rows (`{% petition_rows %}`,
`browse.templatetags.rows`), and its facets and search form (Django's `{% cache %}` under
`fragment_key`).
"""

import hashlib
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Model
from django.utils.translation import get_language

from petitions.version import release

ROW = "petitions/_petition_row.html"
PLAIN = (str, int, float, bool, date, datetime, Decimal, type(None))


def facts(row: Model) -> tuple:
    """The values a model instance was loaded with or given (plain values only), and those of
    the related instances loaded with it, recursively."""
    values = tuple(
        (name, value)
        for name, value in row.__dict__.items()
        if not name.startswith("_") and isinstance(value, PLAIN)
    )
    related = tuple(
        (name, None if other is None else facts(other))
        for name, other in sorted(row._state.fields_cache.items())
    )
    return type(row).__name__, values, related


def fragment_key(*parts) -> str:
    """A digest of `parts` (plain values, lazy texts made strings first), the release and the
    language: the key of a fragment of a page that shows exactly `parts`."""
    seen = repr((release(), get_language(), parts))
    return hashlib.sha256(seen.encode()).hexdigest()


def row_key(petition) -> str:
    return "row:" + fragment_key(ROW, petition.status, facts(petition))
