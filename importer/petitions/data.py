"""Plain data read from a petition page: what the parser returns and the writer stores.

Pure Python, no Django: the parser builds these, the writer turns them into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


class PageError(Exception):
    """Base class of every error the importer reports to a person."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(self.where() + message)

    def where(self) -> str:
        return f"line {self.line}: " if self.line else ""


class UnreadableInput(PageError):
    """The bytes are not text we can read (binary, wrong encoding, empty)."""


class NotAPetitionPage(PageError):
    """The text is readable but is not a petition page (a news article, say)."""


class MalformedPage(PageError):
    """The text is a petition page but breaks off or contradicts itself."""


@dataclass(frozen=True)
class MemberData:
    """A Member of Parliament as printed on the page; any part but the name may be missing."""

    name: str
    riding: str | None = None
    caucus: str | None = (
        None  # as printed, e.g. "Conservative Caucus", "Caucus Nouveau Parti démocratique"
    )
    province: str | None = None  # as printed, e.g. "British Columbia", "Ontario"


@dataclass(frozen=True)
class ResponseData:
    """One government response. Old pages give only the tabled date and sessional paper."""

    portfolio: (
        str | None
    )  # office as printed after "Response by the ": "Minister of Foreign Affairs"
    signed_by: str | None  # "Rob Oliphant" (a trailing ", M.P." is dropped)
    paragraphs: list[str] = field(default_factory=list)  # empty when the page has no text
    tabled_on: date | None = None
    sessional_paper: str | None = None  # "8545-421-66-01"


@dataclass
class PetitionData:
    number: str  # canonical, lower case: "e-2835" or "431-00205"
    kind: str  # "e-petition" or "paper"
    topic: str  # as printed in the heading: "Foreign affairs"
    page_language: str  # "en" or "fr": the language of the page's labels
    original_language: str | None  # "en" or "fr"
    addressee: str  # "House of Commons", "Minister of Public Safety", "" when absent
    initiator_name: str | None = None  # e-petitions only, kept as written
    initiator_city: str | None = None
    initiator_province: str | None = None  # as printed: "Ontario", "Colombie-Britannique"
    grievances: list[str] = field(default_factory=list)
    prayer_text: str = ""  # "We, the undersigned, … call upon the House of Commons to:"
    prayer_items: list[str] = field(default_factory=list)  # numbers stripped
    signatures: int | None = None
    opened_at: datetime | None = None  # aware, America/Toronto
    closed_at: datetime | None = None
    presented_on: date | None = None
    presented_number: str | None = None  # "432-00309"
    presenter: MemberData | None = None  # from "Presented to the House of Commons"
    sponsor: MemberData | None = None  # the MP block ("Photo - …") at the end of the page
    response_tabled_on: date | None = None  # from the timeline
    responses: list[ResponseData] = field(default_factory=list)
    end_state: str | None = None  # "not_certified", "closed_dissolution", "unanswered_dissolution"
    keywords: list[str] = field(default_factory=list)  # index terms of older pages, as printed
