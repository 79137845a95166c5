"""Full-text search in both official languages: a weighted tsvector kept on each petition.

The vector spans several tables (topic, prayer items, grievances, responses), so it is a stored
column that `reindex()` rewrites in one UPDATE rather than a generated column. It holds the
English texts read with PostgreSQL's `english` configuration and the French texts read with its
`french` one (numbers with `simple`), with the same weights in both languages. A query is read in
both languages and a petition matches either reading, on either site.

Accents are folded on both sides with the same table (core PostgreSQL's `translate`, no
`unaccent` extension), so "Québec" finds "Quebec". English is folded before it is stemmed;
French is stemmed with its accents and its stems folded afterwards, because the French stemmer
reads accents ("présentée" and "présenter" share the stem 'présent', but folded first they give
'presente' and 'present'); see `french_vector`.
"""

import re

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import mark_safe

CONFIG = "english"
FRENCH = "french"
CONFIGS = {"en": CONFIG, "fr": FRENCH}
# Where a search headline marks its matches (characters no page text contains).
START, STOP = "\x02", "\x03"
ACCENTED = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿœæ"
PLAIN = "aaaaaaceeeeiiiinoooooouuuuyyoa"
_FOLD = str.maketrans(ACCENTED, PLAIN)
# A token of web-search text: a quoted phrase (maybe negated) or a word.
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


def fold(text: str) -> str:
    """Lower case without accents, exactly as `reindex` folds the documents."""
    return text.lower().translate(_FOLD)


def folded(sql: str, lower: bool = True) -> str:
    """SQL that lower-cases and accent-folds an SQL text expression, as `fold` does in Python."""
    return f"translate({f'lower({sql})' if lower else sql}, '{ACCENTED}', '{PLAIN}')"


class FoldedQuery(SearchQuery):
    """A query parsed and stemmed with its accents, whose stems are folded afterwards, as the
    French side of the vector is."""

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = Func.as_sql(self, compiler, connection, function, template)
        sql = f"{folded(f'({sql})::text', lower=False)}::tsquery"
        return (f"!!({sql})" if self.invert else sql), params


def _readings(text: str) -> tuple[SearchQuery, SearchQuery, SearchQuery]:
    """Web-search text read as its side of the vector is: as English (folded, then stemmed), as
    French (stemmed, then folded) and as French typed without accents (folded, then stemmed,
    which the vector's position-less French stems answer)."""
    return (
        SearchQuery(fold(text), search_type="websearch", config=CONFIG),
        FoldedQuery(text, search_type="websearch", config=FRENCH),
        SearchQuery(fold(text), search_type="websearch", config=FRENCH),
    )


# A petition's number as people type it: e2835, E-2835, e 2835; 432-00309; or digits alone.
E_FORM = re.compile(r"^\s*e\s*-?\s*([0-9]{1,6})\s*$", re.IGNORECASE)
PRESENTED_FORM = re.compile(r"^\s*([0-9]{3})\s*-\s*([0-9]{5})\s*$")
DIGITS = re.compile(r"^\s*#?([0-9]{1,6})\s*$")


def petition_number(q: str) -> str:
    """The canonical number a query spells (e-2835, 432-00309), or "" if it spells none."""
    if match := E_FORM.match(q or ""):
        return f"e-{int(match.group(1))}"
    if match := PRESENTED_FORM.match(q or ""):
        return "-".join(match.groups())
    return ""


def bare_number(q: str) -> Q | None:
    """For digits alone (2835, 309): the petitions they may name, an e-petition's number or a
    presentation number's sequence (…-02835); None for any other query."""
    match = DIGITS.match(q or "")
    if not match:
        return None
    n = int(match.group(1))
    found = Q(number=f"e-{n}")
    return found | Q(presented_number__endswith=f"-{n:05d}") if n < 100_000 else found


def excluded(q: str) -> list[str]:
    """The words and phrases `q` excludes with a leading hyphen (-word, -"a phrase")."""
    return [token[1:] for token in _TOKEN.findall(q) if len(token) > 1 and token[0] == "-"]


def query(q: str):
    """A web-search query ("exact phrase", -word, or): a petition matches any reading.

    A word marked -word excludes a petition having it in either language: each reading alone
    negates only its own stem, so (en(a) & !en(b)) | (fr(a) & !fr(b)) would let through a
    petition whose b has a French stem different from its English one."""
    english, french, unaccented = _readings(q)
    combined = (
        english
        | french
        | unaccented
        | SearchQuery(fold(q), search_type="websearch", config="simple")
    )
    for word in excluded(q):
        for reading in _readings(word):
            combined = combined & ~reading
    return combined


def rank(q: str) -> Greatest:
    """How well a petition (or document) matches: the better of its English and French ranks,
    each ranked alone so that the proximity of a reading's words counts, as with one language."""
    english, french, _ = _readings(q)
    return Greatest(SearchRank(F("search_vector"), english), SearchRank(F("search_vector"), french))


def highlight_query(q: str):
    """What a headline marks: the query's words stemmed as the page's text is read (with its
    accents) in both languages, so "protéger" marks "protège" and "environment" marks
    "environnement" in a French text."""
    return (
        SearchQuery(fold(q), search_type="websearch", config=CONFIG)
        | SearchQuery(q, search_type="websearch", config=FRENCH)
        | SearchQuery(fold(q), search_type="websearch", config=FRENCH)
    )


def english_vector(sql: str) -> str:
    """English text, folded then stemmed (as the query's English reading)."""
    return f"to_tsvector('{CONFIG}', {folded(sql)})"


def french_vector(sql: str) -> str:
    """French text stemmed with its accents, then each stem folded (positions kept). The stems
    of the folded text follow, without positions, so a query typed without accents
    ("securite", stem 'securit') still finds "sécurité" (stem 'sécur')."""
    stem = folded("lexeme", lower=False)
    quoted = f"replace(replace({stem}, '\\', '\\\\'), '''', '''''')"
    entry = f"'''' || {quoted} || ''':' || array_to_string(positions, ',')"
    return (
        f"(SELECT coalesce(string_agg({entry}, ' '), '')::tsvector"
        f" FROM unnest(to_tsvector('{FRENCH}', {sql})))"
        f" || strip(to_tsvector('{FRENCH}', {folded(sql)}))"
    )


def _weighted(weight: str, english: str, french: str) -> str:
    return f"setweight({english_vector(english)} || {french_vector(french)}, '{weight}')"


def _joined(table: str, column: str) -> str:
    return (
        f"coalesce((SELECT string_agg({column}, ' ' ORDER BY position) FROM {table}"
        " WHERE petition_id = p.id), '')"
    )


# Where a petition's children are read from: these tables, or staging tables with their columns.
TABLES = {
    "prayeritem": "petitions_prayeritem",
    "grievance": "petitions_grievance",
    "response": "responses_response",
}


def _texts(column: str, addressee: str, tables: dict[str, str]) -> tuple[str, str, str]:
    """The prayer, grievances (with the addressee) and responses of one language."""
    suffix = column.removeprefix("text")
    return (
        f"p.prayer_text{suffix} || ' ' || {_joined(tables['prayeritem'], column)}",
        f"{_joined(tables['grievance'], column)} || ' ' || p.{addressee}",
        _joined(tables["response"], column),
    )


def _member(role: str, column: str) -> str:
    return f"coalesce((SELECT m.{column} FROM petitions_member m WHERE m.id = p.{role}_id), '')"


def _people(tables: dict[str, str]) -> str:
    """The people of a petition: initiator, sponsor, presenter, the responses' signers."""
    return " || ' ' || ".join(
        [
            "p.initiator_name",
            _member("sponsor", "name"),
            _member("presenter", "name"),
            f"coalesce((SELECT string_agg(s.name, ' ') FROM {tables['response']} r"
            " JOIN responses_signer s ON s.id = r.signer_id WHERE r.petition_id = p.id), '')",
        ]
    )


def _places(tables: dict[str, str]) -> str:
    """The places of a petition (the initiator's city, the MPs' ridings), its sessional papers."""
    return " || ' ' || ".join(
        [
            "p.initiator_city",
            *(
                _member(role, col)
                for role in ("sponsor", "presenter")
                for col in ("riding", "riding_fr")
            ),
            _joined(tables["response"], "sessional_paper"),
        ]
    )


def _named(weight: str, sql: str) -> str:
    """Names read as printed (folded, 'simple') and as either language reads its words, so a
    name alone or among other words finds the petition."""
    return f"setweight(to_tsvector('simple', {folded(sql)}), '{weight}') || " + _weighted(
        weight, sql, sql
    )


# Numbers are in neither language: 'simple' keeps them as printed, and their digits alone.
_NUMBERS = "p.number || ' ' || coalesce(p.presented_number, '')"


def vector_sql(tables: dict[str, str] = TABLES) -> str:
    """SQL of the search vector of petition `p` (a row with its columns) of topic `t`, its prayer
    items, grievances and responses read from `tables` (by the keys of TABLES)."""
    english = _texts("text", "addressee", tables)
    french = _texts("text_fr", "addressee_fr", tables)
    return f"""setweight(to_tsvector('simple', {_NUMBERS} || ' '
        || regexp_replace({_NUMBERS}, '[^0-9 ]', ' ', 'g')), 'A')
    || {_weighted("A", "t.name", "t.name_fr")}
    || {_named("B", _people(tables))}
    || {_named("C", _places(tables))}
    || {_weighted("B", english[0], french[0])}
    || {_weighted("C", english[1], french[1])}
    || {_weighted("D", english[2], french[2])}"""


REINDEX_SQL = f"""
UPDATE petitions_petition AS p SET search_vector =
    {vector_sql()}
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


def ordered_text(model, parent: str, separator: str, field: str = "text") -> Subquery:
    """The non-blank texts (`field`) of a record's numbered parts (grievances, paragraphs…)
    joined in order."""
    return Subquery(
        model.objects.filter(**{parent: OuterRef("pk")})
        .exclude(**{field: ""})
        .values(parent)
        .annotate(text=StringAgg(field, separator, order_by="position"))
        .values("text"),
        output_field=TextField(),
    )


def headline(text, query, config=CONFIG) -> SearchHeadline:
    """Up to two fragments of `text` around the matches of `query` (a `highlight_query`),
    marked with START/STOP; `config` (a name or an expression) is that of the text's language."""
    return SearchHeadline(
        text,
        query,
        config=config,
        start_sel=START,
        stop_sel=STOP,
        max_fragments=2,
        max_words=30,
        min_words=12,
    )


_WORD = re.compile(rf"{START}([^{STOP}]*){STOP}|(\w+)")


def _same(word: str, term: str) -> bool:
    """A text's word and a query's word are one word, read loosely (shared start, as stems)."""
    word, term = fold(word), fold(term)
    return word[:4] == term[:4] if len(term) > 3 else word == term


def phrase_only(text: str, q: str) -> str:
    """A headline whose marks stand for the query: a quoted phrase's words are marked only
    where they stand together, in order; a word outside phrases stays marked wherever it is.

    PostgreSQL's ts_headline marks each word of a phrase query wherever it occurs."""
    tokens = [token for token in _TOKEN.findall(q) if not token.startswith("-")]
    phrases = [t.strip('"').split() for t in tokens if t.startswith('"') and " " in t.strip('"')]
    if not phrases:
        return text
    singles = [t.strip('"') for t in tokens if " " not in t.strip('"')]
    words = list(_WORD.finditer(text))
    keep = set()
    for phrase in phrases:
        for i in range(len(words) - len(phrase) + 1):
            window = words[i : i + len(phrase)]
            together = all(
                _same(m.group(1) if m.group(1) is not None else m.group(2), term)
                for m, term in zip(window, phrase, strict=True)
            )
            if together:
                keep.update(m.start() for m in window)
    out, last = [], 0
    for m in words:
        if m.group(1) is None:
            continue
        word = m.group(1)
        kept = m.start() in keep or any(_same(word, term) for term in singles)
        out.append(text[last : m.start()] + (m.group(0) if kept else word))
        last = m.end()
    return "".join(out) + text[last:]


def marked(text: str | None, q: str = "") -> str:
    """A headline as escaped HTML with its matches in <mark>; "" when nothing matched. With the
    query `q`, a phrase's words are marked only where the phrase stands (`phrase_only`)."""
    if not text or START not in text:
        return ""
    text = phrase_only(text, q) if q else text
    if START not in text:
        return ""
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))
