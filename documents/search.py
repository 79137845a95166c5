"""Full-text search of documents: a weighted tsvector on each document, built as petitions' is.

Same configuration and the same accent folding as `petitions.search`, so one query finds both,
and a document's words compare with petitions' words lexeme for lexeme (see `similarity`).
Weights: A the title, B a briefing note's issue, C the body, D the credits and metadata.
"""

from django.db import connection

from petitions.search import CONFIG, folded

_BODY = (
    "coalesce((SELECT string_agg(text, ' ' ORDER BY position) FROM documents_paragraph"
    " WHERE document_id = d.id), '')"
)
_CREDITS = "concat_ws(' ', d.publisher, d.byline, d.branch, d.prepared_by, d.approved_by)"

REINDEX_SQL = f"""
UPDATE documents_document AS d SET search_vector =
    setweight(to_tsvector('{CONFIG}', {folded("d.title")}), 'A')
    || setweight(to_tsvector('{CONFIG}', {folded("d.summary")}), 'B')
    || setweight(to_tsvector('{CONFIG}', {folded(_BODY)}), 'C')
    || setweight(to_tsvector('{CONFIG}', {folded(_CREDITS)}), 'D')
"""


def reindex(document_ids: list[int] | None = None) -> None:
    """Rewrite the search vector of these documents (all of them when None)."""
    with connection.cursor() as cursor:
        if document_ids is None:
            cursor.execute(REINDEX_SQL)
        else:
            cursor.execute(REINDEX_SQL + " WHERE d.id = ANY(%s)", [list(document_ids)])
