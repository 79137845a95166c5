"""Plain data read from a context document: what the parser returns and the writer stores.

Pure Python, no Django. Errors are the petition importer's `PageError` family, so the command and
the admin report them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from importer.petitions.data import MalformedPage, PageError, UnreadableInput

__all__ = ["Block", "DocumentData", "MalformedPage", "NotADocumentPage", "UnreadableInput"]

NEWS_ARTICLE = "news-article"
BRIEFING_NOTE = "briefing-note"
KIND_LABELS = {NEWS_ARTICLE: "news article", BRIEFING_NOTE: "briefing note"}


class NotADocumentPage(PageError):
    """Readable text that is neither a news article nor a briefing note."""


@dataclass(frozen=True)
class Block:
    """One paragraph of the body, or a heading between paragraphs."""

    text: str
    is_heading: bool = False


@dataclass
class DocumentData:
    kind: str  # NEWS_ARTICLE or BRIEFING_NOTE
    title: str
    language: str = "en"  # "en" or "fr"
    published_on: date | None = None
    publisher: str = ""  # the outlet of an article, the department of a briefing note
    byline: str = ""  # as printed: "By Jane Smith", "With Boris Proulx"
    classification: str = ""  # briefing notes only, as printed: "Unclassified"
    branch: str = ""  # briefing notes only: "Branch/Agency" as printed, "NSCB/PS"
    prepared_by: str = ""  # briefing notes only, as printed
    approved_by: str = ""  # briefing notes only, as printed (name, title, telephone)
    summary: str = ""  # a briefing note's issue: the text before its first section
    blocks: list[Block] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks if not block.is_heading]
