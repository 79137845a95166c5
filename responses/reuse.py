"""Text used again: response paragraphs shared between responses, prayers shared by petitions.

Fingerprints are computed when a petition is written (`refresh`, called by the importer's writer
and at the end of `synthesize_corpus`) and matched in PostgreSQL, one query per petition page.

Text is compared by its words: lower case, accents folded, punctuation and spacing ignored, and a
paragraph's leading number ("1.", "(a)") dropped.

- A response paragraph counts when it has at least MIN_WORDS words; two responses share it when
  its words are identical. Shorter paragraphs ("Thank you.") and overlaps of a few words inside
  otherwise different paragraphs never count. A paragraph found in more than STANDARD other
  responses is standard text: the page gives its count instead of listing the responses.
- A prayer (its text and numbered items, at least MIN_WORDS words) is *the same* as another's
  when its words are identical, and *nearly the same* when the two sets of 5-word sequences
  (shingles) have a Jaccard similarity of at least NEAR_DUPLICATE. Candidates are found with
  MinHash (32 hashes, 8 bands of 4) through a GIN index; the similarity of each candidate is then
  computed exactly from the stored shingles.
"""

import hashlib
import re
import struct
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.urls import reverse

from petitions import search
from petitions.bulk import copy_rows
from responses.models import Response

MIN_WORDS = 8
SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.8
BANDS, ROWS = 8, 4  # MinHash: BANDS × ROWS hashes; a candidate shares one band's ROWS minima
HASHES = struct.Struct(f"<{BANDS * ROWS}i")  # a shingle's hashes; the first also names it
_MINHASH_A = hashlib.blake2b(digest_size=64, person=b"minhash-a")
_MINHASH_B = hashlib.blake2b(digest_size=64, person=b"minhash-b")
SHOWN = 10  # other responses or petitions listed by name; the rest are counted
STANDARD = 50  # a paragraph in more other responses than this is standard text: only counted
CHUNK = 2_000  # petitions per batch when refreshing the whole archive

NUMBERING = re.compile(r"^\s*\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)]\s+", re.IGNORECASE)
WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words that are compared: folded to lower case without accents, numbering dropped."""
    return WORD.findall(search.fold(NUMBERING.sub("", text, count=1)))


def digest(text_words: list[str]) -> uuid.UUID:
    return uuid.UUID(hashlib.md5(" ".join(text_words).encode()).hexdigest())


def paragraph_fingerprints(text: str) -> list[tuple[int, uuid.UUID, int]]:
    """(position, digest, word count) of a response's paragraphs long enough to compare.

    Positions are those of `Response.paragraphs`, the ¶ anchors of the petition page; a paragraph
    repeated within the response is kept at its first position only.
    """
    result, seen = [], set()
    for position, (_anchor, paragraph) in enumerate(Response(text=text).paragraphs, start=1):
        found = words(paragraph)
        if len(found) >= MIN_WORDS and (value := digest(found)) not in seen:
            seen.add(value)
            result.append((position, value, len(found)))
    return result


@dataclass
class PrayerPrint:
    digest: uuid.UUID
    words: int
    shingles: list[int]
    bands: list[int]


def _hashes(data: bytes) -> tuple[int, ...]:
    """32 signed 32-bit hashes of a shingle, from two keyed 64-byte digests."""
    first, second = _MINHASH_A.copy(), _MINHASH_B.copy()
    first.update(data)
    second.update(data)
    return HASHES.unpack(first.digest() + second.digest())


def prayer_fingerprint(text: str) -> PrayerPrint | None:
    """Digest, shingles and MinHash bands of a prayer; None when it is under MIN_WORDS words."""
    found = words(text)
    if len(found) < MIN_WORDS:
        return None
    grams = {" ".join(found[i : i + SHINGLE_WORDS]) for i in range(len(found) - SHINGLE_WORDS + 1)}
    hashes = [_hashes(gram.encode()) for gram in grams]
    minima = [min(column) for column in zip(*hashes, strict=True)]
    bands = []
    for band in range(BANDS):
        packed = struct.pack(f"<B{ROWS}i", band, *minima[band * ROWS : (band + 1) * ROWS])
        bands.append(struct.unpack("<q", hashlib.blake2b(packed, digest_size=8).digest())[0])
    shingles = sorted({row[0] for row in hashes})
    return PrayerPrint(digest(found), len(found), shingles, bands)


def prayer_of(prayer_text: str, items: Iterable[str]) -> str:
    return " ".join([prayer_text, *items])


PETITIONS_SQL = """
SELECT p.id, coalesce(nullif(p.prayer_text, ''), p.prayer_text_fr),
       coalesce((SELECT array_agg(coalesce(nullif(i.text, ''), i.text_fr) ORDER BY i.position)
                 FROM petitions_prayeritem i
                 WHERE i.petition_id = p.id), '{}')
FROM petitions_petition p WHERE p.id = ANY(%s) AND p.withdrawn_at IS NULL
"""
# A withdrawn petition has no fingerprints: other pages never list it as reusing text.
RESPONSES_SQL = """
SELECT r.id, coalesce(nullif(r.text, ''), r.text_fr) FROM responses_response r JOIN petitions_petition p ON p.id = r.petition_id
WHERE r.petition_id = ANY(%s) AND p.withdrawn_at IS NULL
"""


def refresh(petition_ids: Iterable[int] | None = None) -> None:
    """Rewrite the fingerprints of these petitions' prayers and responses (all when None);
    withdrawn petitions' are removed."""
    with connection.cursor() as cursor:
        if petition_ids is not None:
            _refresh(cursor, list(petition_ids))
            return
        cursor.execute("TRUNCATE responses_paragraphfingerprint, responses_prayerfingerprint")
        cursor.execute("SELECT id FROM petitions_petition ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(ids), CHUNK):
            _refresh(cursor, ids[start : start + CHUNK], replace=False)


def _refresh(cursor, ids: list[int], replace: bool = True) -> None:
    if replace:
        cursor.execute("DELETE FROM responses_prayerfingerprint WHERE petition_id = ANY(%s)", [ids])
        cursor.execute(
            "DELETE FROM responses_paragraphfingerprint f USING responses_response r"
            " WHERE r.id = f.response_id AND r.petition_id = ANY(%s)",
            [ids],
        )
    cursor.execute(PETITIONS_SQL, [ids])
    prayers = prayer_rows(cursor.fetchall())
    cursor.execute(RESPONSES_SQL, [ids])
    write(prayers, paragraph_rows(cursor.fetchall()))


def prayer_rows(petitions: Iterable[tuple[int, str, list[str]]]) -> list[tuple]:
    """Prayer fingerprint rows of (petition id, prayer text, item texts)."""
    rows = []
    for pid, prayer_text, items in petitions:
        if found := prayer_fingerprint(prayer_of(prayer_text, items)):
            shingles, bands = _array(found.shingles), _array(found.bands)
            rows.append((pid, found.digest, found.words, len(found.shingles), shingles, bands))
    return rows


def paragraph_rows(responses: Iterable[tuple[int, str]]) -> list[tuple]:
    """Paragraph fingerprint rows of (response id, response text)."""
    return [
        (rid, position, value, count)
        for rid, text in responses
        for position, value, count in paragraph_fingerprints(text)
    ]


def write(prayers: list[tuple], paragraphs: list[tuple]) -> None:
    """COPY fingerprint rows made by `prayer_rows` and `paragraph_rows`."""
    copy_rows(
        "responses_prayerfingerprint",
        ("petition_id", "digest", "words", "shingle_count", "shingles", "bands"),
        prayers,
    )
    copy_rows(
        "responses_paragraphfingerprint", ("response_id", "position", "digest", "words"), paragraphs
    )


def _array(values: list[int]) -> str:
    """A PostgreSQL array literal, for COPY."""
    return "{" + ",".join(map(str, values)) + "}"


# The petition page: one query for the responses' shared paragraphs, one for similar prayers.

SHARED_PARAGRAPHS_SQL = """
WITH mine AS MATERIALIZED (
    SELECT f.response_id, f.position, f.digest, (
        SELECT count(*) - 1 FROM responses_paragraphfingerprint o WHERE o.digest = f.digest
    ) AS uses
    FROM responses_paragraphfingerprint f JOIN responses_response r ON r.id = f.response_id
    WHERE r.petition_id = %(petition)s
), shared AS (
    SELECT m.response_id, o.response_id AS other_id, count(*) AS shared,
           array_agg(m.position ORDER BY m.position) AS positions, min(o.position) AS first_other
    FROM mine m
    JOIN responses_paragraphfingerprint o ON o.digest = m.digest AND o.response_id <> m.response_id
    WHERE m.uses BETWEEN 1 AND %(standard)s
    GROUP BY m.response_id, o.response_id
), ranked AS (
    SELECT s.*, count(*) OVER (PARTITION BY s.response_id) AS total,
           row_number() OVER (PARTITION BY s.response_id ORDER BY s.shared DESC, s.other_id DESC)
               AS rank
    FROM shared s
)
SELECT k.response_id, k.rank, k.total, k.shared, k.positions, k.first_other, other.*
FROM ranked k
CROSS JOIN LATERAL (
    SELECT p.number, r.position, r.tabled_on, pf.name
    FROM responses_response r
    JOIN petitions_petition p ON p.id = r.petition_id
    LEFT JOIN responses_portfolio pf ON pf.id = r.portfolio_id
    WHERE r.id = k.other_id
    OFFSET 0  -- looked up for the rows shown only
) other
WHERE k.rank <= %(shown)s
UNION ALL  -- standard paragraphs: counted, not listed response by response
SELECT m.response_id, 0, m.uses, NULL, ARRAY[m.position], NULL, NULL, NULL, NULL, NULL
FROM mine m WHERE m.uses > %(standard)s
ORDER BY 1, 2, 5
"""


@dataclass
class SharedWith:
    """Another response that has some of this response's paragraphs."""

    number: str
    position: int
    portfolio: str
    tabled_on: date | None
    shared: int
    url: str
    paragraphs: list[tuple[int, str]]  # (number, anchor) of this response's shared paragraphs


@dataclass
class StandardParagraph:
    """A paragraph of this response found in more than STANDARD other responses."""

    position: int
    anchor: str
    uses: int


@dataclass
class ResponseReuse:
    response: Response
    paragraphs: int
    others: list[SharedWith] = field(default_factory=list)
    total: int = 0
    standard: list[StandardParagraph] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.others)


@dataclass
class ParagraphReuse:
    responses: list[ResponseReuse]
    min_words: int = MIN_WORDS
    standard: int = STANDARD

    def __bool__(self) -> bool:
        return bool(self.responses)


def shared_paragraphs(petition) -> ParagraphReuse:
    """For each response that shares paragraphs with others, the others, most shared first."""
    responses = {r.pk: r for r in petition.responses.all()}
    if not any(r.text for r in responses.values()):
        return ParagraphReuse([])
    with connection.cursor() as cursor:
        cursor.execute(
            SHARED_PARAGRAPHS_SQL, {"petition": petition.pk, "shown": SHOWN, "standard": STANDARD}
        )
        rows = cursor.fetchall()
    found: dict[int, ResponseReuse] = {}
    for rid, rank, total, shared, positions, first, number, position, tabled_on, name in rows:
        response = responses.get(rid)
        if response is None:  # added by an import since the page's responses were read
            continue
        item = found.setdefault(rid, ResponseReuse(response, len(response.paragraphs)))
        anchors = [(n, f"{response.anchor}-p{n}") for n in positions]
        if rank == 0:
            item.standard.append(StandardParagraph(*anchors[0], uses=total))
            continue
        item.total = total
        url = f"{reverse('petitions:detail', args=[number])}#response-{position}-p{first}"
        item.others.append(
            SharedWith(number, position, name or "", tabled_on, shared, url, anchors)
        )
    return ParagraphReuse([found[pk] for pk in responses if pk in found])


SIMILAR_PRAYERS_SQL = """
WITH mine AS (SELECT * FROM responses_prayerfingerprint WHERE petition_id = %(petition)s),
matched AS (
    SELECT o.petition_id, o.digest = m.digest AS same,
           overlap.n::float / (m.shingle_count + o.shingle_count - overlap.n) AS similarity
    FROM mine m
    JOIN responses_prayerfingerprint o
      ON o.bands && m.bands AND o.petition_id <> m.petition_id
     AND o.shingle_count BETWEEN m.shingle_count * %(threshold)s
                             AND m.shingle_count / %(threshold)s
    CROSS JOIN LATERAL (
        SELECT CASE WHEN o.digest = m.digest THEN o.shingle_count ELSE (
            SELECT count(*) FROM (SELECT unnest(o.shingles) INTERSECT SELECT unnest(m.shingles)) s
        ) END AS n
        OFFSET 0  -- computed once per candidate, not once per use
    ) overlap
), kept AS (
    SELECT x.*, count(*) OVER (PARTITION BY x.same) AS total,
           row_number() OVER (PARTITION BY x.same ORDER BY x.similarity DESC, x.petition_id DESC)
               AS rank
    FROM matched x WHERE x.same OR x.similarity >= %(threshold)s
)
SELECT k.same, k.total, k.similarity, p.number, t.name, p.presented_on
FROM kept k
JOIN petitions_petition p ON p.id = k.petition_id
JOIN petitions_topic t ON t.id = p.topic_id
WHERE k.rank <= %(shown)s
ORDER BY k.same DESC, k.rank
"""


@dataclass
class SimilarPrayer:
    number: str
    topic: str
    presented_on: date | None
    similarity: float
    url: str

    @property
    def percent(self) -> int:
        return int(self.similarity * 100)


@dataclass
class SimilarPrayers:
    same: list[SimilarPrayer] = field(default_factory=list)
    same_total: int = 0
    near: list[SimilarPrayer] = field(default_factory=list)
    near_total: int = 0

    @property
    def same_more(self) -> int:
        return self.same_total - len(self.same)

    @property
    def near_more(self) -> int:
        return self.near_total - len(self.near)

    @property
    def threshold_percent(self) -> int:
        return round(NEAR_DUPLICATE * 100)

    def __bool__(self) -> bool:
        return bool(self.same or self.near)


def similar_prayers(petition) -> SimilarPrayers:
    """Other petitions whose prayer is the same or nearly the same as this one's."""
    result = SimilarPrayers()
    with connection.cursor() as cursor:
        cursor.execute(
            SIMILAR_PRAYERS_SQL,
            {"petition": petition.pk, "threshold": NEAR_DUPLICATE, "shown": SHOWN},
        )
        rows = cursor.fetchall()
    for same, total, similarity, number, topic, presented_on in rows:
        url = reverse("petitions:detail", args=[number]) + "#prayer"
        item = SimilarPrayer(number, topic, presented_on, similarity, url)
        if same:
            result.same.append(item)
            result.same_total = total
        else:
            result.near.append(item)
            result.near_total = total
    return result
