"""The filtered list as data: `/petitions.csv` (every row, streamed) and `/petitions.json` (paged).

Both take the list's query parameters and start from the list's `Selection`, so they hold the
same petitions in the same order as `/petitions/`. Each row is the petition's public JSON
(`serialize.petition_json`); the CSV flattens it into the columns below, which `/about/data/`
documents from this very list.
"""

import csv
import io
import itertools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from browse.listing import ArchivePaginator
from browse.serialize import petition_json
from browse.views import Selection, bad_request
from publish.headers import header
from publish.spreadsheet import cells

JOINER = " | "  # between the values of a multi-valued CSV column
BOM = "\ufeff"  # lets spreadsheets read the file as UTF-8
FLUSH_BYTES = 64 * 1024
PER_PAGE, MAX_PER_PAGE = 100, 500

logger = logging.getLogger(__name__)


def export_queryset(selection: Selection):
    """The selected petitions in the list's order, with everything their JSON needs."""
    return selection.ordered().for_detail()


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def petition_rows(selection: Selection, base: str) -> Iterator[dict[str, Any]]:
    """Every selected petition's JSON, read through a server-side cursor a chunk at a time.

    Each chunk costs one fetch and one query per related table, whatever the number of rows.
    """
    qs = export_queryset(selection)
    for petition in qs.iterator(chunk_size=settings.ARCHIVE_EXPORT_CHUNK_SIZE):
        yield petition_json(petition, base)


# CSV ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    value: Callable[[dict], Any]

    @property
    def header(self) -> str:
        """The column's name in the header row: as is in English, translated on the French site."""
        return header(self.name)


def _part(key: str, field: str) -> Callable[[dict], Any]:
    return lambda p: (p[key] or {}).get(field)


def _each(key: str, field: str | None = None) -> Callable[[dict], str]:
    def joined(p: dict) -> str:
        values = p[key] if field is None else [item[field] for item in p[key]]
        return JOINER.join("" if v is None else str(v) for v in values)

    return joined


def _timeline(field: str) -> Callable[[dict], Any]:
    return lambda p: p["timeline"][field]


COLUMNS = [
    Column("number", _("The petition's number: e-2835 for an e-petition, the presentation "
           "number (432-00309) for a paper petition."), lambda p: p["number"]),
    Column("url", _("The petition's permanent page in the archive."), lambda p: p["url"]),
    Column("official_url_en", _("Its page on the House of Commons' site, in English."),
           _part("official_urls", "en")),
    Column("official_url_fr", _("Its page on the House of Commons' site, in French."),
           _part("official_urls", "fr")),
    Column("kind", _("e-petition or paper."), lambda p: p["kind"]),
    Column("status", _("open, closed, presented, responded, not_certified, closed_dissolution or "
           "unanswered_dissolution (presented, unanswered, and its Parliament since dissolved); "
           "derived from the timeline."), lambda p: p["status"]),
    Column("topic", _("The subject in the petition's heading."), _part("topic", "name")),
    Column("topic_slug", _("The topic's slug, as in /topics/<slug>/ and ?topic=."),
           _part("topic", "slug")),
    Column("presented_number", _("The number given when the petition was presented to the House "
           "(432-00309: 43rd Parliament, 2nd session, 309th)."), lambda p: p["presented_number"]),
    Column("parliament", _("The Parliament it belongs to (43)."), lambda p: p["parliament"]),
    Column("session", _("The session of that Parliament (2)."), lambda p: p["session"]),
    Column("original_language", _("en or fr, when the page says."),
           lambda p: p["original_language"]),
    Column("addressee", _("Whom the petition addresses, as printed (may be empty)."),
           lambda p: p["addressee"]),
    Column("initiator_name", _("The e-petition's initiator, as typed by the public."),
           _part("initiator", "name")),
    Column("initiator_city", _("The initiator's city, as typed."), _part("initiator", "city")),
    Column("initiator_province", _("The initiator's province or territory, as printed."),
           _part("initiator", "province")),
    Column("signatures", _("Number of signatures, when known."), lambda p: p["signatures"]),
    Column("opened_at", _("Opened for signature (ISO 8601 date-time, UTC)."),
           _timeline("opened_at")),
    Column("closed_at", _("Closed for signature (ISO 8601 date-time, UTC)."),
           _timeline("closed_at")),
    Column("presented_on", _("Presented to the House (ISO 8601 date)."), _timeline("presented_on")),
    Column("response_tabled_on", _("The government's response tabled (ISO 8601 date)."),
           _timeline("response_tabled_on")),
    Column("response_days", _("Calendar days from presentation to the response."),
           lambda p: p["response_days"]),
    Column("response_due_on", _("Presentation plus 45 days (Standing Order 36(8)(a))."),
           lambda p: p["response_deadline"]["due_on"]),
    Column("response_deadline", _("on_time, late, overdue or pending against the 45 days; empty "
           "when not presented or when its Parliament was dissolved within the 45 days."), lambda p: p["response_deadline"]["state"]),
    Column("sponsor_name", _("The MP who sponsored the e-petition (or presented the paper one)."),
           _part("sponsor", "name")),
    Column("sponsor_riding", _("The sponsor's riding."), _part("sponsor", "riding")),
    Column("sponsor_caucus", _("The sponsor's caucus (party)."), _part("sponsor", "caucus")),
    Column("sponsor_province", _("The sponsor's province."), _part("sponsor", "province")),
    Column("presenter_name", _("The MP who presented the petition in the House."),
           _part("presenter", "name")),
    Column("presenter_riding", _("The presenter's riding."), _part("presenter", "riding")),
    Column("presenter_caucus", _("The presenter's caucus (party)."), _part("presenter", "caucus")),
    Column("presenter_province", _("The presenter's province."), _part("presenter", "province")),
    Column("keywords", _("The index terms an older page lists under “Keywords”, joined with “ | ”."),
           _each("keywords")),
    Column("grievances", _("The “whereas” points, in order, joined with “ | ”."),
           _each("grievances")),
    Column("prayer_text", _("The prayer: “We, the undersigned … call upon …”."),
           _part("prayer", "text")),
    Column("prayer_items", _("The prayer's numbered items, in order, joined with “ | ”."),
           lambda p: JOINER.join(p["prayer"]["items"])),
    Column("response_count", _("How many government responses the petition has."),
           lambda p: len(p["responses"])),
    Column("response_portfolios", _("Each response's responding office (“Minister of Foreign "
           "Affairs”), joined with “ | ”."), _each("responses", "portfolio")),
    Column("response_signers", _("Who signed each response, joined with “ | ”."),
           _each("responses", "signed_by")),
    Column("response_dates", _("Each response's tabling date (ISO 8601), joined with “ | ”."),
           _each("responses", "tabled_on")),
    Column("response_sessional_papers", _("Each response's sessional paper number, joined with "
           "“ | ”."), _each("responses", "sessional_paper")),
    Column("response_texts", _("Each response's text (its paragraphs separated by a blank line), "
           "joined with “ | ”; empty for a response published without text."),
           _each("responses", "text")),
    Column("source_imported_at", _("When the archive last imported the petition's page."),
           _part("source", "imported_at")),
    Column("source_content_hash", _("SHA-256 of that page as imported."),
           _part("source", "content_hash")),
]  # fmt: skip


def csv_lines(rows: Iterator[dict], language: str) -> Iterator[str]:
    """The CSV text in pieces of about FLUSH_BYTES: a byte-order mark, the header, one line
    per petition. Streamed after the view returns, so in the language the request asked for."""
    with translation.override(language):
        yield from _csv_lines(rows)


def started(pieces: Iterator[str], path: str) -> Iterator[str]:
    """The stream with its first piece already made, in the view: the export's first queries
    (and any failure of theirs) come before the status line is sent. A failure after that is
    logged and cuts the transfer short, so a client never takes a partial file for a whole one."""
    first = next(pieces)

    def rest() -> Iterator[str]:
        try:
            yield from pieces
        except Exception:
            logger.exception("The export %s failed part-way; the transfer was cut off.", path)
            raise

    return itertools.chain([first], rest())


def _csv_lines(rows: Iterator[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([c.header for c in COLUMNS])
    for row in rows:
        writer.writerow(cells(c.value(row) for c in COLUMNS))
        if buffer.tell() >= FLUSH_BYTES:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def petitions_csv(request):
    """Every petition the list's parameters select, as CSV, streamed (`page` is ignored)."""
    selection = Selection(request.GET)
    if errors := selection.errors():
        return bad_request(request, errors)
    lines = csv_lines(petition_rows(selection, base_url(request)), translation.get_language())
    response = StreamingHttpResponse(
        started(lines, request.get_full_path()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="petitions.csv"'
    return response


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
    paginator = ArchivePaginator(
        export_queryset(selection), paging.cleaned_data["per_page"] or PER_PAGE
    )
    number = selection.filterset.form.cleaned_data.get("page") or 1
    if number > paginator.num_pages:
        pages = {"pages": paginator.num_pages}
        return json_error(404, [_("page: there are %(pages)s pages of results.") % pages])
    data = page_json(request, selection, paginator.page(number))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


def page_json(request, selection: Selection, page) -> dict[str, Any]:
    base = base_url(request)
    return {
        "total": page.paginator.count,
        "page": page.number,
        "per_page": page.paginator.per_page,
        "pages": page.paginator.num_pages,
        "sort": applied_sort(selection),
        "first": page_link(request, 1),
        "previous": page_link(request, page.number - 1 if page.has_previous() else None),
        "next": page_link(request, page.number + 1 if page.has_next() else None),
        "last": page_link(request, page.paginator.num_pages),
        "csv": request.build_absolute_uri(data_link(request, "petitions:list-csv")),
        "ignored": selection.filterset.ignored,
        "items": [petition_json(p, base) for p in page.object_list],
    }


def data_link(request, view_name: str) -> str:
    params = request.GET.copy()
    for name in ("page", "per_page"):
        params.pop(name, None)
    return reverse(view_name) + (f"?{params.urlencode()}" if params else "")
