"""Full-text search: a weighted tsvector kept on each petition, written when the petition is.

The vector spans several tables (topic, prayer items, grievances, responses), so it is a stored
column that `reindex()` rewrites in one UPDATE rather than a generated column. Accents are folded
on both sides with the same table (core PostgreSQL's `translate`, no `unaccent` extension), so
"Québec" finds "Quebec" on the embedded server and on any other.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection
from django.db.models import OuterRef, Subquery, TextField
from django.utils.html import escape
from django.utils.safestring import mark_safe

CONFIG = "english"
# Where a search headline marks its matches (characters no page text contains).
START, STOP = "\x02", "\x03"
ACCENTED = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿœæ"
PLAIN = "aaaaaaceeeeiiiinoooooouuuuyyoa"
_FOLD = str.maketrans(ACCENTED, PLAIN)


def fold(text: str) -> str:
    """Lower case without accents, exactly as `reindex` folds the documents."""
    return text.lower().translate(_FOLD)


def query(q: str) -> SearchQuery:
    """A web-search query ("exact phrase", -word, or) in the archive's configuration."""
    return SearchQuery(fold(q), search_type="websearch", config=CONFIG)


def folded(sql: str) -> str:
    """SQL that lower-cases and accent-folds an SQL text expression, as `fold` does in Python."""
    return f"translate(lower({sql}), '{ACCENTED}', '{PLAIN}')"


def _joined(table: str) -> str:
    return (
        f"coalesce((SELECT string_agg(text || ' ' || text_fr, ' ' ORDER BY position) FROM {table}"
        " WHERE petition_id = p.id), '')"
    )


REINDEX_SQL = f"""
UPDATE petitions_petition AS p SET search_vector =
    setweight(to_tsvector('{CONFIG}', {folded("p.number || ' ' || coalesce(p.presented_number, '') ||  ' ' || t.name || ' ' || t.name_fr")}), 'A')
    || setweight(to_tsvector('{CONFIG}', {folded("p.prayer_text || ' ' || p.prayer_text_fr || ' ' || " + _joined("petitions_prayeritem"))}), 'B')
    || setweight(to_tsvector('{CONFIG}', {folded(_joined("petitions_grievance") + " || ' ' || p.addressee || ' ' || p.addressee_fr")}), 'C')
    || setweight(to_tsvector('{CONFIG}', {folded(_joined("responses_response"))}), 'D')
FROM petitions_topic AS t
WHERE t.id = p.topic_id
"""


def reindex(petition_ids: list[int] | None = None) -> None:
    """Rewrite the search vector of these petitions (all of them when None)."""
    with connection.cursor() as cursor:
        if petition_ids is None:
            cursor.execute(REINDEX_SQL)
        else:
            cursor.execute(REINDEX_SQL + " AND p.id = ANY(%s)", [list(petition_ids)])


def ordered_text(model, parent: str, separator: str) -> Subquery:
    """The texts of a record's numbered parts (grievances, paragraphs…) joined in order."""
    return Subquery(
        model.objects.filter(**{parent: OuterRef("pk")})
        .values(parent)
        .annotate(text=StringAgg("text", separator, order_by="position"))
        .values("text"),
        output_field=TextField(),
    )


def headline(text, query: SearchQuery) -> SearchHeadline:
    """Up to two fragments of `text` around the matches of `query`, marked with START/STOP."""
    return SearchHeadline(
        text,
        query,
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_fragments=2,
        max_words=30,
        min_words=12,
    )


def marked(text: str | None) -> str:
    """A headline as escaped HTML with its matches in <mark>; "" when nothing matched."""
    if not text or START not in text:
        return ""
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))
