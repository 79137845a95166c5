"""Write a parsed document: one atomic upsert per page, keyed on the document's slug.

The slug is derived from the title and the date, so a page with the same title and date is the
same document: importing it again changes nothing, a changed page updates the record and keeps
the new source beside the old. A metadata field the page leaves out (an article's outlet, say)
keeps what staff entered by hand.
"""

import hashlib
from typing import Any

from django.db import connection, transaction
from django.utils.text import slugify

from documents.models import Document, Paragraph
from importer.documents import derived
from importer.documents.data import DocumentData, MalformedPage
from importer.petitions.write import CREATED, UNCHANGED, UPDATED, keep_source

SLUG_TITLE_CHARS = 100
# Printed metadata that staff may fill in when a page leaves it out.
METADATA = [
    "published_on", "publisher", "byline", "classification", "branch", "prepared_by",
    "approved_by",
]  # fmt: skip
TEXT = ["kind", "title", "language", "summary"]


def document_slug(data: DocumentData) -> str:
    """The title's slug, cut at a word, then the date: "foreign-interference-2020-11-24"."""
    base = slugify(data.title)
    if len(base) > SLUG_TITLE_CHARS:
        base = base[:SLUG_TITLE_CHARS].rsplit("-", 1)[0]
    if not base:  # a title with no Latin letters or digits
        base = "document-" + hashlib.sha256(data.title.encode()).hexdigest()[:10]
    return f"{base}-{data.published_on.isoformat()}" if data.published_on else base


def write_document(
    data: DocumentData, raw: bytes, source: str, imported_by: str, dry_run: bool = False
) -> tuple[str, str, dict[str, tuple[Any, Any]]]:
    """Upsert one document; return (slug, action, changes). Writes nothing if it raises."""
    slug = document_slug(data)
    with transaction.atomic():
        with connection.cursor() as cursor:  # serialise concurrent imports of one document
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"document:{slug}"])
        document = Document.objects.prefetch_related("paragraphs").filter(slug=slug).first()
        if document is not None and document.kind != data.kind:
            raise MalformedPage(
                f"{document.get_absolute_url()} is a {document.get_kind_display().lower()} with "
                f"the same title and date; this page is a {data.kind_label}"
            )
        new = values_from_data(data)
        old = stored_values(document, seen=new) if document else {}
        changes = {k: (old.get(k), v) for k, v in new.items() if old.get(k) != v}
        if document is not None and not changes:
            return slug, UNCHANGED, {}
        action = UPDATED if document else CREATED
        if not dry_run:
            save(document or Document(slug=slug), new, raw, source, imported_by)
        return slug, action, changes


def values_from_data(data: DocumentData) -> dict[str, Any]:
    """Everything the archive shows of a document, in the form `stored_values` reads back."""
    return {
        "kind": data.kind,
        "title": data.title,
        "language": data.language,
        "summary": data.summary,
        "published_on": data.published_on,
        "publisher": data.publisher,
        "byline": data.byline,
        "classification": data.classification,
        "branch": data.branch,
        "prepared_by": data.prepared_by,
        "approved_by": data.approved_by,
        "paragraphs": [(block.text, block.is_heading) for block in data.blocks],
    }


def stored_values(document: Document, seen: dict[str, Any]) -> dict[str, Any]:
    values = {name: getattr(document, name) for name in TEXT + METADATA}
    values["paragraphs"] = [(p.text, p.is_heading) for p in document.paragraphs.all()]
    for name in METADATA:  # left out by the page: whatever is stored stands
        if seen.get(name) in (None, ""):
            values[name] = seen[name]
    return values


def save(document: Document, values: dict[str, Any], raw: bytes, source: str, by: str) -> None:
    for name in TEXT:
        setattr(document, name, values[name])
    for name in METADATA:
        if values[name] not in (None, ""):
            setattr(document, name, values[name])
    document.save()
    document.paragraphs.all().delete()
    Paragraph.objects.bulk_create(
        Paragraph(document=document, position=i, text=text, is_heading=is_heading)
        for i, (text, is_heading) in enumerate(values["paragraphs"], start=1)
    )
    derived.refresh(document)
    keep_source(document, raw, source, by)
