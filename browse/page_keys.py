"""What a petition's page and its JSON twin show, read as one token in one query, so that the
page cache keys them on the petition instead of on the whole archive: an import of other
petitions leaves their stored pages, and their ETags, as they were.

The token is made of:
- the petition's own rows: the stored JSON text of the page's language (`stored_json`), whose
  row triggers delete whenever any row the petition's record reads changes (the petition, its
  grievances, prayer items, responses and sources, its topic, members, caucuses, portfolios
  and signers). The token names that row's version (`xmin`): a petition whose JSON is not
  stored yet has no token, and its page is keyed on the archive's version as before;
- what the clock changes: the signing period open or closed (the date is in every page key);
- for the page, the result of each query its other parts run, hashed: the record history
  (the history tables), the context documents, the petitions with the same prayer and the
  responses sharing paragraphs. These read other petitions and change when they are imported,
  so the token runs the same statements the page runs: a part that changed changes the token.

The page's: one statement per language, compiled once per process with the values put in, so
it is prepared by PostgreSQL after a few uses; the number is its only parameter. The JSON
twin's is read by the statement its view reads the stored text with (`twin_token`), and the
view is given that row: its first render costs one query.
"""

import functools
import re

from django.db import connection
from django.urls import Resolver404, resolve
from django.utils import timezone

from browse.compiled import bind
from browse.history import events_statement
from browse.reads import rows_digest
from browse.stored_json import (
    SENTINEL,
    TABLE as STORED,
    builder,
    fill_in_background,
    find_stored,
    finding,
)
from documents.models import HEAVY, Document
from petitions.compiled import PETITION_MARK, Compiled
from petitions.models import Petition
from petitions.querysets import number_key
from responses import reuse

VIEWS = {"petitions:detail": True, "petitions:detail-json": False}  # view: is it the page
FOUND = "found.id"


def inline(sql: str, params) -> str:
    """`sql` with its parameters quoted in place, as the driver quotes them, and the petition's
    mark (`PETITION_MARK`) replaced by the petition the token's statement found."""
    text = bind(sql, params)
    marked = re.compile(rf"(?<![\w.]){PETITION_MARK}(?!\w)")
    assert marked.search(text), "the statement must read the petition"
    return marked.sub(FOUND, text)


def page_parts() -> list[str]:
    """The statements of the page's parts beyond the petition's own record, with the petition
    found by the token's statement in place."""
    history = events_statement()
    documents = Document.objects.public().related_to(PETITION_MARK).defer(*HEAVY, "summary")
    sql, params = documents.query.sql_with_params()
    values = {
        "petition": PETITION_MARK,
        "threshold": reuse.NEAR_DUPLICATE,
        "shown": reuse.SHOWN,
        "standard": reuse.STANDARD,
    }
    return [
        inline(history.sql, history.params_with(PETITION_MARK)),
        inline(sql, params),
        inline(reuse.SIMILAR_PRAYERS_SQL, values),
        inline(reuse.SHARED_PARAGRAPHS_SQL, values),
    ]


@functools.lru_cache(maxsize=8)
def token_statement(language: str) -> Compiled:
    """(number, withdrawn, token or NULL) of the petition `Petition.objects.find` finds for a
    number, as the detail views find it (`stored_json.finding`); the number goes where
    `SENTINEL` is."""
    _, build = builder(language)
    found = finding()
    own = (
        f"(SELECT s.xmin::text FROM {STORED} s WHERE s.petition_id = found.id "
        f"AND s.language = '{language}' AND s.build = '{build}')"
    )
    parts = [own, "found.stage", "COALESCE((found.closed_at > now())::text, '')"]
    parts += [rows_digest(sql, in_order=False) for sql in page_parts()]
    keyed = ", ".join(part.replace("%", "%%") for part in parts)
    return Compiled(
        f"WITH found AS MATERIALIZED (SELECT p.id, p.number, p.withdrawn_at, p.stage, p.closed_at "
        f"FROM {Petition._meta.db_table} p WHERE p.id = ({found.sql})) "
        f"SELECT found.number, found.withdrawn_at IS NOT NULL, "
        f"CASE WHEN {own} IS NOT NULL THEN concat_ws('|', {keyed}) END FROM found",
        found.params,
        SENTINEL,
    )


def petition_token(language: str, number: str) -> str | None:
    """The token of the petition page at this number; None when it is not a petition's
    canonical number, the petition is withdrawn, or its JSON is not stored (a background fill
    is then started, as a JSON page that had to build some starts one)."""
    statement = token_statement(language)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params_with(number_key(number)))
        row = cursor.fetchone()
    if row is None or row[0] != number or row[1]:
        return None
    if row[2] is None:  # just imported or edited: stored by the next fill
        fill_in_background()
    return row[2]


def token_for(request, language: str) -> str | None:
    """The petition token of a request for a petition's page or JSON twin; None otherwise."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    page = VIEWS.get(match.view_name)
    if page is None or "number" not in match.kwargs:
        return None
    number = match.kwargs["number"]
    token = petition_token(language, number) if page else twin_token(request, language, number)
    return None if token is None else f"{match.view_name}|{token}"


def twin_token(request, language: str, number: str) -> str | None:
    """The token of the JSON twin at this number, as `petition_token` for the page: its stored
    JSON row's version and the clock. Read by the statement the twin's view reads its stored
    text with (`stored_json.find_stored`), which it leaves on the request for the view: a twin
    rendered for the first time costs one query, not two."""
    base = request.build_absolute_uri("/")[:-1]
    found = find_stored(language, base, number)
    request.stored_json = (language, base, number, found)
    if found is None or found[1] != number or found[2]:
        return None
    own, stage, closed_at = found[4:]
    if own is None:  # just imported or edited: stored by the next fill
        fill_in_background()
        return None
    closing = "" if closed_at is None else str(closed_at > timezone.now()).lower()
    return "|".join((own, stage, closing))
