"""Full-text search of documents: a weighted tsvector on each document, built as petitions' is.

A document is in one language: its text is read with that language's configuration and folded
as `petitions.search` folds petitions' texts of that language, so one query (read in both
languages) finds both, and a document's words compare with petitions' words lexeme for lexeme
(see `similarity`).
Weights: A the title, B a briefing note's issue, C the body, D the credits and metadata.
"""

from django.db import connection

from petitions.search import english_vector, french_vector

_BODY = (
    "coalesce((SELECT string_agg(text, ' ' ORDER BY position) FROM documents_paragraph"
    " WHERE document_id = d.id), '')"
)
_CREDITS = "concat_ws(' ', d.publisher, d.byline, d.branch, d.prepared_by, d.approved_by)"


def _vector(sql: str, weight: str) -> str:
    return (
        f"setweight(CASE WHEN d.language = 'fr' THEN {french_vector(sql)}"
        f" ELSE {english_vector(sql)} END, '{weight}')"
    )


REINDEX_SQL = f"""
UPDATE documents_document AS d SET search_vector =
    {_vector("d.title", "A")}
    || {_vector("d.summary", "B")}
    || {_vector(_BODY, "C")}
    || {_vector(_CREDITS, "D")}
"""


def reindex(document_ids: list[int] | None = None) -> None:
    """Rewrite the search vector of these documents (all of them when None)."""
    with connection.cursor() as cursor:
        if document_ids is None:
            cursor.execute(REINDEX_SQL)
        else:
            cursor.execute(REINDEX_SQL + " WHERE d.id = ANY(%s)", [list(document_ids)])
