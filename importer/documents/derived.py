"""What the archive derives from a document's text: its search vector, then its chosen terms
and suggested petitions. Rebuilt by the importer after each write and by the admin after each
edit by hand, as `importer.petitions.derived` does for petitions."""

from documents import search, similarity
from documents.models import Document


def refresh(document: Document) -> None:
    search.reindex([document.pk])
    similarity.refresh_document(document)
