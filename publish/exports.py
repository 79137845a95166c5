"""The filtered list as data: `/petitions.csv` (every row, streamed) and `/petitions.json` (paged).

Both take the list's query parameters and start from the list's `Selection`, so they hold the
same petitions in the same order as `/petitions/`. Each row is the petition's public JSON
(`serialize.petition_json`); the CSV flattens it into the columns `columns.COLUMNS` lists and
`/about/data/` documents. PostgreSQL computes both (`petition_sql`): the CSV is one
`COPY … TO STDOUT` streamed as it comes, in constant memory; a JSON page is one query.
"""

import csv
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.db import connection
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from psycopg.adapt import Loader

from browse.compiled import bind
from browse.facets import while_unchanged
from browse.listing import ArchivePaginator
from browse.petition_sql import JOINER as JOINER, columns_query
from browse.stored_json import fill_in_background, json_query
from browse.views import Selection, bad_request
from petitions.i18n import reduce
from publish.columns import COLUMNS as COLUMNS
from publish.spreadsheet import BLANK_LINES, FORMULA_STARTS, LINE_BREAK, PARAGRAPH, cell as cell

log = logging.getLogger(__name__)
BOM = "\ufeff"  # lets spreadsheets read the file as UTF-8
FLUSH_BYTES = 64 * 1024
PER_PAGE, MAX_PER_PAGE = 100, 500


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def selection_sql(qs) -> tuple[str, list]:
    """The ids of a queryset's rows, in its order (and within its slice), with the parameters."""
    sql, params = qs.values("id").query.sql_with_params()
    return sql, list(params)


# CSV ---------------------------------------------------------------------------------------


def cell_sql(expr: str) -> str:
    """`cell` in SQL, for a text column: NULL (an empty cell) for null or "", an apostrophe
    before a formula's first character, and no line break (`spreadsheet.one_line`)."""
    starts = ", ".join("'" + c + "'" for c in FORMULA_STARTS if c != "'")
    guarded = (
        f"CASE WHEN left({expr}, 1) IN ({starts}) THEN '''' || {expr} ELSE NULLIF({expr}, '') END"
    )
    paragraphs = f"regexp_replace({guarded}, '{BLANK_LINES}', '{PARAGRAPH}', 'g')"
    one_line = f"regexp_replace({paragraphs}, '{LINE_BREAK}', ' ', 'g')"
    # The regular expressions are most of the export's time: only cells with a line break need
    # them (the whole CSV comes 1.4 times faster, byte for byte the same).
    return (
        f"CASE WHEN strpos({expr}, E'\\n') = 0 AND strpos({expr}, E'\\r') = 0 "
        f"THEN {guarded} ELSE {one_line} END"
    )


def csv_statement(language: str, base: str, selection: tuple[str, list]) -> str:
    """The `COPY … TO STDOUT` of the CSV's rows: each cell as `cell` makes it."""
    names = [column.name for column in COLUMNS]
    rows = columns_query(reduce(language), base, selection[0], names)
    cells = ", ".join(cell_sql(f"c{i}") for i in range(len(names)))
    query = f"SELECT {cells} FROM ({rows}) AS row ORDER BY ord"
    return f"COPY ({bind(query, selection[1])}) TO STDOUT (FORMAT csv)"


def header_line(language: str) -> bytes:
    """The byte-order mark (so that spreadsheets read UTF-8) and the header row."""
    buffer = io.StringIO()
    with translation.override(language):
        csv.writer(buffer, lineterminator="\n").writerow([c.header for c in COLUMNS])
    return (BOM + buffer.getvalue()).encode()


PLAN = {"jit": "off", "enable_hashjoin": "off"}


@contextmanager
def export_cursor():
    """A cursor planned for the exports' queries, as they are: each petition's row is a handful
    of index lookups, which PostgreSQL would otherwise join by hashing small tables again for
    every row; and the query is long and its estimates large, so it would be compiled (JIT)
    for seconds before the first row. The connection's own settings come back after."""
    settings = ", ".join(f"current_setting('{name}')" for name in PLAN)
    changes = ", ".join(f"set_config('{name}', '{value}', false)" for name, value in PLAN.items())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {settings}, {changes}")
        before = cursor.fetchone()[: len(PLAN)]
        try:
            yield cursor
        finally:
            restore = ", ".join(f"set_config('{name}', %s, false)" for name in PLAN)
            cursor.execute(f"SELECT {restore}", list(before))


def copy_out(statement: str) -> Iterator[bytes]:
    """What a `COPY … TO STDOUT` writes, in pieces of about FLUSH_BYTES."""
    with export_cursor() as cursor, cursor.cursor.copy(statement) as copy:
        buffer = bytearray()
        for data in copy:
            buffer += data
            if len(buffer) >= FLUSH_BYTES:
                yield bytes(buffer)
                buffer.clear()
        yield bytes(buffer)


def csv_bytes(statement: str, language: str) -> Iterator[bytes]:
    """The CSV file, its parameters checked before (a 400 comes before any byte). The COPY starts
    as the file is read, so a connection is busy with it only while its reader reads; a failure
    once the file has begun (no status can be sent any more) is logged and ends it early."""
    yield header_line(language)
    try:
        yield from copy_out(statement)
    except Exception:
        log.exception("The CSV export stopped before its end")


def petitions_csv(request):
    """Every petition the list's parameters select, as CSV, streamed (`page` is ignored)."""
    selection = Selection(request.GET)
    if errors := selection.errors():
        return bad_request(request, errors)
    language = translation.get_language()
    statement = csv_statement(language, base_url(request), selection_sql(selection.ordered()))
    response = StreamingHttpResponse(
        csv_bytes(statement, language), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(selection)}"'
    return response


def csv_filename(selection: Selection) -> str:
    """The file's name says what was chosen: "petitions-status-responded-topic-health.csv"."""
    data, known = selection.filterset.data, selection.filterset.filters
    parts = [
        f"{name}-{value}"
        for name in sorted(data)
        if name in known and name not in ("page", "sort")
        for value in data.getlist(name)
        if value.strip()
    ]
    return (slugify("-".join(["petitions", *parts]))[:120].strip("-") or "petitions") + ".csv"


# JSON --------------------------------------------------------------------------------------


class PagingForm(forms.Form):
    per_page = forms.IntegerField(min_value=1, max_value=MAX_PER_PAGE, required=False)


def json_error(status: int, errors: list[str]) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status, json_dumps_params={"indent": 2})


def applied_sort(selection: Selection) -> str:
    """The order the rows are in: a broad search's "relevance" is newest first (see the list)."""
    sort = selection.filterset.chosen_sort
    return "newest" if sort == "relevance" and selection.broad else sort


def page_link(request, number: int | None) -> str | None:
    if number is None:
        return None
    params = request.GET.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{reverse('petitions:list-json')}?{params.urlencode()}")


def petitions_json(request):
    """A page of the selected petitions, each as on its own JSON page, with the total and the
    links that walk every page."""
    selection = Selection(request.GET)
    paging = PagingForm(request.GET)
    errors = selection.errors()
    if not paging.is_valid():
        errors += [f"{name}: {' '.join(e)}" for name, e in paging.errors.items()]
    if errors:
        return json_error(400, errors)
    ordered = selection.ordered()
    # The total, counted once until the archive changes: a researcher walks every page.
    total = while_unchanged(f"total|{ordered.query}", ordered.count)
    paginator = ArchivePaginator(
        ordered, paging.cleaned_data["per_page"] or PER_PAGE, known_count=total
    )
    number = selection.filterset.form.cleaned_data.get("page") or 1
    if number > paginator.num_pages:
        pages = {"pages": paginator.num_pages}
        return json_error(404, [_("page: there are %(pages)s pages of results.") % pages])
    return page_json(request, selection, paginator, number)


class Utf8(Loader):
    """A text column as the UTF-8 bytes PostgreSQL sent: a page's JSON goes out as it came,
    never decoded and encoded again (4 MB for 500 petitions)."""

    def load(self, data) -> bytes:
        return bytes(data)


def petition_texts(request, qs) -> list[bytes]:
    """The JSON text of each petition of `qs` (sliced to a page), in its order, as UTF-8: one
    query. A petition whose JSON was not stored yet starts storing them (`stored_json`)."""
    sql, params = selection_sql(qs)
    query = json_query(reduce(translation.get_language()), base_url(request), sql)
    with export_cursor() as cursor:
        cursor.cursor.adapters.register_loader("text", Utf8)
        cursor.execute(bind(query, params))
        rows = cursor.fetchall()
    if not all(kept for _, _, kept in rows):
        fill_in_background()
    return [text for _, text, _ in rows]


def page_json(request, selection: Selection, paginator, number: int) -> HttpResponse:
    """The page as JSON: its links and counts, then its petitions as PostgreSQL wrote them."""
    bottom = (number - 1) * paginator.per_page
    rows = petition_texts(request, paginator.object_list[bottom : bottom + paginator.per_page])
    envelope = {
        "total": paginator.count,
        "page": number,
        "per_page": paginator.per_page,
        "pages": paginator.num_pages,
        "sort": applied_sort(selection),
        "first": page_link(request, 1),
        "previous": page_link(request, number - 1 if number > 1 else None),
        "next": page_link(request, number + 1 if number < paginator.num_pages else None),
        "last": page_link(request, paginator.num_pages),
        "csv": request.build_absolute_uri(data_link(request, "petitions:list-csv")),
        "ignored": selection.filterset.ignored,
        "items": [],
    }
    head = JsonResponse(envelope, json_dumps_params={"ensure_ascii": False, "indent": 2})
    body = head.content.removesuffix(b'"items": []\n}')
    content = b"".join([body, b'"items": [', b",\n".join(rows), b"]\n}"])
    return HttpResponse(content, content_type="application/json")


def data_link(request, view_name: str) -> str:
    params = request.GET.copy()
    for name in ("page", "per_page"):
        params.pop(name, None)
    return reverse(view_name) + (f"?{params.urlencode()}" if params else "")
