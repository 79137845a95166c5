"""The public JSON form of a context document, `/documents/<slug>.json`: keys may be added,
never renamed. Absent values are null; dates are ISO 8601. Staff-confirmed petitions and the
archive's suggestions are kept apart, the suggestions labelled as such."""

from typing import Any

from django.utils.translation import gettext as _, gettext_lazy

SUGGESTIONS_RULE = gettext_lazy(
    "Petitions that share this document's most distinctive words, found by the archive's "
    "full-text index; not checked by its staff."
)


def petition_ref(petition, base_url: str) -> dict:
    return {
        "number": petition.number,
        "url": base_url + petition.get_absolute_url(),
        "topic": petition.topic.local_name.text,
    }


def document_json(document, suggestions, base_url: str) -> dict[str, Any]:
    """`document` as `Document.objects.for_detail()` gives it; `suggestions` as the page's."""
    source = document.latest_source
    return {
        "slug": document.slug,
        "url": base_url + document.get_absolute_url(),
        "kind": document.kind,
        "title": document.title,
        "date": document.published_on.isoformat() if document.published_on else None,
        "publisher": document.publisher or None,
        "credit": document.byline or None,
        "language": document.language,
        "classification": document.classification or None,
        "branch": document.branch or None,
        "prepared_by": document.prepared_by or None,
        "approved_by": document.approved_by or None,
        "issue": document.summary or None,
        "paragraphs": [
            {"anchor": p.anchor, "heading": p.is_heading, "text": p.text}
            for p in document.paragraphs.all()
        ],
        "petitions": [
            {**petition_ref(link.petition, base_url), "note": link.note or None}
            for link in document.petition_links.all()
        ],
        "topics": [
            {
                "name": topic.local_name.text,
                "slug": topic.local_slug,
                "url": base_url + topic.get_absolute_url(),
            }
            for topic in document.linked_topics
        ],
        "suggestions": {
            "label": _("suggestion"),
            "rule": str(SUGGESTIONS_RULE),
            "petitions": [petition_ref(s.petition, base_url) for s in suggestions],
        },
        "source": {
            "imported_at": source.imported_at.isoformat() if source else None,
            "content_hash": source.content_hash if source else None,
        },
    }
