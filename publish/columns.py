"""The columns of /petitions.csv: each petition's JSON (`serialize.petition_json`) flattened.

`/about/data/` documents every column from this list; `value` says how each column reads the
petition's JSON, which is how the tests check the CSV PostgreSQL writes (`petition_sql`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from browse.petition_sql import JOINER
from publish.headers import header


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


def _local(read: Callable[[dict], Any]) -> Callable[[dict], Any]:
    """A date-time of the JSON (UTC) as the pages show it: the archive's time, with its offset."""

    def local(p: dict) -> str | None:
        value = read(p)
        return timezone.localtime(datetime.fromisoformat(value)).isoformat() if value else None

    return local


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
    Column("opened_at", _("Opened for signature (ISO 8601 date-time in Ottawa's time, with its "
           "offset: 2020-09-15T15:23:00-04:00)."), _local(_timeline("opened_at"))),
    Column("closed_at", _("Closed for signature (ISO 8601 date-time in Ottawa's time, with its "
           "offset)."), _local(_timeline("closed_at"))),
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
    Column("response_texts", _("Each response's text (its paragraphs joined with “ ¶ ”), joined "
           "with “ | ”; empty for a response published without text."),
           _each("responses", "text")),
    Column("source_imported_at", _("When the archive last imported the petition's page (Ottawa's "
           "time, with its offset)."), _local(_part("source", "imported_at"))),
    Column("source_content_hash", _("SHA-256 of that page as imported."),
           _part("source", "content_hash")),
]  # fmt: skip
