"""Suggested links between documents and petitions, found by the words they share.

Core PostgreSQL only (no pg_trgm): both sides already have a tsvector in the same configuration,
with the same accent folding, so their lexemes compare directly.

Terms. A document's terms are its most distinctive stemmed words: each lexeme of its search
vector counts by where it stands (title 3, a briefing note's issue 2, body 1; credits not at all)
and how often, dampened (1 + ln), times its rarity among petitions (smoothed inverse document
frequency, ln((N + 1) / (df + 1)) + 1). Lexemes found in no petition connect nothing and lexemes
found in more than half of them connect everything: both are left out. The best `TERMS` are kept
on the document (`match_terms`, lexeme → weight).

Suggestions. A petition's score for a document is the sum of the weights of the terms its search
vector shares with the document. It is suggested when it shares at least `MIN_SHARED` terms
carrying at least `MIN_COVER` of the weight of all the document's terms: a few common words in
common are not enough. (The price: a short petition that shares only two of a document's words
is not suggested; staff link it by hand.) The GIN index on petitions' vectors finds the
candidates (the terms OR-ed), the score is computed on those rows only, and the best `KEEP` per
document are stored in `Suggestion`.

When. Nothing is computed on a request: pages read `Suggestion` by index. A document's terms and
suggestions are computed when it is imported or edited; a petition's when it is imported (its
vector against every document's stored terms: a few comparisons per document); a document's
terms are chosen again once the archive holds more than twice the petitions it held when they were
chosen, so a document imported before the petitions still finds them. `manage.py
refresh_suggestions` recomputes everything, e.g. after a bulk load.
"""

import math
import re

from django.db import connection

from documents.models import Document, Suggestion
from petitions.models import Petition

TERMS = 16  # terms kept per document
CANDIDATES = 48  # lexemes, most frequent in the document first, whose rarity is counted
MIN_SHARED = 3  # terms a petition must share with a document to be suggested
MIN_COVER = 0.3  # the share of the weight of the document's terms they must carry
KEEP = 25  # suggestions stored per document when its terms are chosen
PLACE_WEIGHTS = {"A": 3.0, "B": 2.0, "C": 1.0, "D": 0.0}
# Lexemes usable as a tsquery literal as they are: letters first, no quotes or operators.
_SAFE_LEXEME = re.compile(r"^[a-z][a-z0-9-]{2,40}$")
# Stems of words that say nothing about a subject, which the English stop list lets through.
_FILLER = """
    also could would should might may must howev therefor although though yet still even
    includ exampl instanc such mani much well alreadi recent current last next first second
    new said say told ask year day time one two three way made make take use like mr ms
"""
FILLER = frozenset(_FILLER.split())


def _tsquery(lexeme: str) -> str:
    return f"'{lexeme}'"


def choose_terms(document: Document, total: int | None = None) -> dict[str, float]:
    """Choose and store the document's terms among the archive's `total` petitions (counted
    when not given); return them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, weights FROM documents_document, unnest(search_vector) WHERE id = %s",
            [document.pk],
        )
        counts = {}
        for lexeme, weights in cursor.fetchall():
            count = sum(PLACE_WEIGHTS[w] for w in weights)
            if count and _SAFE_LEXEME.match(lexeme) and lexeme not in FILLER:
                counts[lexeme] = count
        candidates = sorted(counts, key=lambda lexeme: (-counts[lexeme], lexeme))[:CANDIDATES]
        if total is None:
            total = Petition.objects.count()
        found = _petitions_with(cursor, candidates, cap=total // 2 + 1)
    weights = {}
    for lexeme in candidates:
        df = found[lexeme]
        if df == 0 or (total >= 4 and df > total / 2):
            continue
        idf = math.log((total + 1) / (df + 1)) + 1
        weights[lexeme] = round((1 + math.log(counts[lexeme])) * idf, 4)
    best = sorted(weights, key=lambda lexeme: (-weights[lexeme], lexeme))[:TERMS]
    terms = {lexeme: weights[lexeme] for lexeme in best}
    Document.objects.filter(pk=document.pk).update(match_terms=terms, terms_chosen_among=total)
    document.match_terms, document.terms_chosen_among = terms, total
    return terms


def _petitions_with(cursor, lexemes: list[str], cap: int) -> dict[str, int]:
    """How many petitions hold each lexeme, counted no further than `cap`."""
    if not lexemes:
        return {}
    cursor.execute(
        """
        SELECT t.lexeme, (
            SELECT count(*) FROM (
                SELECT 1 FROM petitions_petition p
                WHERE p.search_vector @@ t.query LIMIT %s
            ) AS hits
        )
        FROM unnest(%s::text[], %s::tsquery[]) AS t(lexeme, query)
        """,
        [cap, lexemes, [_tsquery(lexeme) for lexeme in lexemes]],
    )
    return dict(cursor.fetchall())


def suggest_for_document(document: Document) -> int:
    """Replace the document's suggestions with its best `KEEP` petitions; return how many."""
    Suggestion.objects.filter(document=document).delete()
    terms = document.match_terms
    if len(terms) < MIN_SHARED:
        return 0
    lexemes = sorted(terms)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO documents_suggestion (document_id, petition_id, score, shared_terms)
            SELECT %s, p.id, sum(t.weight), count(*)
            FROM petitions_petition p
            JOIN unnest(%s::tsquery[], %s::float8[]) AS t(query, weight)
              ON p.search_vector @@ t.query
            WHERE p.search_vector @@ %s::tsquery
            GROUP BY p.id
            HAVING count(*) >= %s AND sum(t.weight) >= %s
            ORDER BY sum(t.weight) DESC, p.id DESC
            LIMIT %s
            ON CONFLICT (document_id, petition_id) DO UPDATE
              SET score = EXCLUDED.score, shared_terms = EXCLUDED.shared_terms
            """,
            [
                document.pk,
                [_tsquery(lexeme) for lexeme in lexemes],
                [terms[lexeme] for lexeme in lexemes],
                " | ".join(_tsquery(lexeme) for lexeme in lexemes),
                MIN_SHARED,
                MIN_COVER * sum(terms.values()),
                KEEP,
            ],
        )
        return cursor.rowcount


def suggest_for_petition(petition_id: int) -> int:
    """Replace the petition's suggestions: every document it shares enough terms with."""
    Suggestion.objects.filter(petition_id=petition_id).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO documents_suggestion (document_id, petition_id, score, shared_terms)
            SELECT d.id, p.id, sum(t.value::float8), count(*)
            FROM petitions_petition p
            CROSS JOIN documents_document d
            CROSS JOIN LATERAL jsonb_each_text(d.match_terms) AS t
            WHERE p.id = %s AND p.search_vector @@ ('''' || t.key || '''')::tsquery
            GROUP BY d.id, p.id
            HAVING count(*) >= %s AND sum(t.value::float8) >= %s * (
                SELECT sum(w.value::float8) FROM jsonb_each_text(d.match_terms) AS w
            )
            ON CONFLICT (document_id, petition_id) DO UPDATE
              SET score = EXCLUDED.score, shared_terms = EXCLUDED.shared_terms
            """,
            [petition_id, MIN_SHARED, MIN_COVER],
        )
        return cursor.rowcount


def refresh_document(document: Document, total: int | None = None) -> int:
    """Choose the document's terms again and replace its suggestions."""
    choose_terms(document, total)
    return suggest_for_document(document)


def refresh_stale_documents() -> int:
    """Documents whose terms were chosen when the archive held under half its petitions (or
    none) choose them again. Returns how many did."""
    total = Petition.objects.count()
    stale = Document.objects.filter(terms_chosen_among__lt=(total + 1) // 2)
    refreshed = 0
    for document in stale.only("pk", "match_terms", "terms_chosen_among"):
        refresh_document(document, total)
        refreshed += 1
    return refreshed


def refresh_all() -> tuple[int, int]:
    """Every document's terms and suggestions; returns (documents, suggestions)."""
    documents = suggestions = 0
    total = Petition.objects.count()
    for document in Document.objects.only("pk", "match_terms", "terms_chosen_among"):
        suggestions += refresh_document(document, total)
        documents += 1
    return documents, suggestions
