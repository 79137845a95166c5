"""One door for every page the archive imports: a petition, a news article or a briefing note.

`import_any` recognises the kind of page and hands it to the petition importer or the document
importer. Both are atomic per page, idempotent and report the same `Outcome`, with its `kind`;
a document's slug stands in its `number`. A page that is neither is refused with the reason.
"""

from dataclasses import dataclass

from django.db import transaction

from documents import similarity
from importer.documents.data import NotADocumentPage
from importer.documents.parse import parse_document
from importer.documents.write import write_document
from importer.petitions.data import NotAPetitionPage
from importer.petitions.write import UNCHANGED, Outcome, import_page

PETITION = "petition"
NEITHER = (
    "this looks like neither a petition page nor a news article or briefing note: it has no "
    "petition number heading such as 'e-2835 (Topic)', and {reason}"
)


@dataclass
class PageOutcome(Outcome):
    kind: str = PETITION  # "petition", "news article" or "briefing note"

    @property
    def label(self) -> str:
        """How a person names the record: "e-2835", "briefing note foreign-interference-…"."""
        return self.number if self.kind == PETITION else f"{self.kind} {self.number}"


def import_any(
    raw: bytes,
    source: str,
    imported_by: str,
    dry_run: bool = False,
    allow_removals: bool = False,
) -> PageOutcome:
    """Import one page of any kind. Raises a PageError (and writes nothing) if it cannot.

    `allow_removals`: a petition page may remove part of the stored record (write.import_page).
    """
    try:
        with transaction.atomic():
            outcome = import_page(
                raw, source, imported_by, dry_run=dry_run, allow_removals=allow_removals
            )
            if not dry_run and outcome.action != UNCHANGED:  # its own suggestions are written
                similarity.refresh_stale_documents()
        return PageOutcome(
            outcome.number, outcome.action, outcome.changes, outcome.removals, outcome.language
        )
    except NotAPetitionPage:
        pass
    try:
        data = parse_document(raw)
    except NotADocumentPage as error:
        raise NotAPetitionPage(NEITHER.format(reason=error.message)) from error
    slug, action, changes = write_document(data, raw, source, imported_by, dry_run=dry_run)
    return PageOutcome(slug, action, changes, kind=data.kind_label)
