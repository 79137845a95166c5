"""Read a context document (a news article or a briefing note) into DocumentData.

`parse_document(raw)` takes the bytes of a saved page, text or HTML, decoded and reduced to text
by the petition importer's `read_text` (one decoder for every page the archive reads), and
`parse_document_text(text)` reads the text. Pure Python, no Django.

A page is a briefing note when it carries a briefing note's labels ("Proposed Response:",
"Classification:", "Branch/Agency:", "Prepared by:", "Approved by:"); any of them may be missing.
Otherwise it is read as a news article: a headline followed by at least three paragraphs of prose.
Anything else is refused with NotADocumentPage and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from importer.petitions.dates import parse_day, split_date
from importer.petitions.labels import BULLET, FOOTER, SKIP
from importer.petitions.parse import normalise, read_text

from .data import BRIEFING_NOTE, NEWS_ARTICLE, Block, DocumentData, MalformedPage, NotADocumentPage

_I = re.IGNORECASE


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _label(names: str) -> re.Pattern[str]:
    """A "Label: value" line; the value may be empty."""
    return re.compile(rf"^(?:{names})\s*:\s*(?P<value>.*)$", _I)


# A briefing note's header fields (English and French), in the order the archive shows them.
BRIEFING_FIELDS = {
    "classification": _label(r"(?:security\s+)?classification(?:\s+de\s+sécurité)?"),
    "branch": _label(
        r"(?:branch|sector|direction(?:\s+générale)?|secteur)\s*(?:/|\s(?:or|ou)\s)\s*"
        r"(?:agency|organisme|agence)"
    ),
    "prepared_by": _label(r"prepared\s+by|préparée?\s+par|rédigée?\s+par"),
    "approved_by": _label(r"approved\s+by|approuvée?\s+par"),
}
DATE = _label(r"date")
DEPARTMENT = _label(r"department|ministère|organi[sz]ation")
OUTLET = _label(r"source|outlet|publication|média|media|publisher|éditeur")
PUBLISHED = re.compile(
    r"^(?:published|posted|publié|publiée|mis en ligne)(?:\s+(?:on|le))?\s*:?\s*(?P<value>.+)$",
    _I,
)
UPDATED = re.compile(r"^(?:updated|last updated|mis à jour|modifié)\b.*\d{4}.*$", _I)

# Sections of a briefing note; "Proposed Response" alone marks a page as one.
PROPOSED = re.compile(r"^(?:proposed|suggested)\s+response|réponse\s+(?:proposée|suggérée)$", _I)
SECTION = re.compile(
    r"^(?P<name>(?:proposed|suggested)\s+response|réponse\s+(?:proposée|suggérée)|issue|enjeu"
    r"|question|background|contexte|context|key\s+messages?|messages?\s+clés?"
    r"|responsive\s+lines?|lignes?\s+de\s+réponse|current\s+status|situation\s+actuelle"
    r"|next\s+steps|prochaines\s+étapes|considerations|considérations|recommendations?"
    r"|recommandations?|summary|résumé|supplementary\s+information"
    r"|information\s+supplémentaire)\s*:\s*(?P<rest>.*)$",
    _I,
)

# A credit line: "By Jane Smith", "Par Hélène Buzzetti", "With Boris Proulx".
BYLINE = re.compile(r"^(?:by|par|with|avec)\s+(?P<names>\S.*)$", _I)
_NAME_JOINERS = _words("and et & de du la le van von der di da des")

# Lines of a news site's frame that are not part of the article.
BOILERPLATE = re.compile(
    r"^(?:to watch on video|watch the video|à voir en vidéo|advertisement|publicité"
    r"|share this article|partager cet article|read also|read more|à lire aussi|lire aussi"
    r"|source site-\d+)\s*:?$",
    _I,
)
# Wording only a petition page has: such a page without its number heading is a broken petition.
PETITION_WORDING = re.compile(
    r"^(?:initiated by|lancée? par|petition to|pétition (?:à|au|aux)\b|we,? the undersigned"
    r"|nous,? (?:les )?soussignés|open for signature|ouverte (?:pour|à la) signature)",
    _I,
)

# Where a sentence ends: terminal punctuation, then closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…:;]['\"’”»)\]]*$")
_ENDS_OPEN = re.compile(r"[,;:\-–—(“\"«]$")
_FRENCH = _words("le la les des du une est dans que qui pour au aux sur pas ont été")
_ENGLISH = _words("the of and to is in that for on with was are has have been by")

# The departments and agencies whose short names close a "Branch/Agency" line.
AGENCIES = {
    "PS": "Public Safety Canada",
    "SP": "Sécurité publique Canada",
    "CSIS": "Canadian Security Intelligence Service",
    "SCRS": "Service canadien du renseignement de sécurité",
    "RCMP": "Royal Canadian Mounted Police",
    "GRC": "Gendarmerie royale du Canada",
    "CBSA": "Canada Border Services Agency",
    "ASFC": "Agence des services frontaliers du Canada",
    "CSC": "Correctional Service Canada",
    "SCC": "Service correctionnel du Canada",
    "PBC": "Parole Board of Canada",
    "CLCC": "Commission des libérations conditionnelles du Canada",
}

MIN_ARTICLE_PARAGRAPHS = 3
MIN_ARTICLE_WORDS = 80
MAX_TITLE_CHARS = 300
MAX_TITLE_WORDS = 40

Para = tuple[int, str]  # (line number, text)


def parse_document(raw: bytes) -> DocumentData:
    """Read the bytes of a saved news article or briefing note (text or HTML)."""
    return parse_document_text(read_text(raw))


def parse_document_text(text: str) -> DocumentData:
    paragraphs = list(_paragraphs(text))
    if not paragraphs:
        raise NotADocumentPage("there is no text on the page besides its frame")
    if _briefing_signs(paragraphs):
        return _BriefingReader(paragraphs).read()
    return _ArticleReader(paragraphs).read()


def _is_label(line: str) -> bool:
    return bool(
        any(p.match(line) for p in BRIEFING_FIELDS.values())
        or DATE.match(line)
        or DEPARTMENT.match(line)
        or OUTLET.match(line)
        or SECTION.match(line)
        or PUBLISHED.match(line)
    )


def _heading_shaped(text: str) -> bool:
    """A short line without closing punctuation that starts with a capital: a sub-heading."""
    words = text.split()
    return (
        0 < len(words) <= 10
        and len(text) <= 90
        and text[0].isupper()
        and not _SENTENCE_END.search(text)
        and not _ENDS_OPEN.search(text)
    )


def _paragraphs(text: str) -> Iterator[Para]:
    """The page's paragraphs. Blank lines separate them; within a run of lines, so do label
    lines, bullets, lines that end a sentence and short heading-shaped lines. Hard-wrapped lines
    are joined. The page frame (skip links, share buttons, a site's footer) is left out."""
    run: list[Para] = []
    for number, line in enumerate(normalise(text).split("\n"), start=1):
        line = line.strip()
        if FOOTER.match(line):
            break
        if not line or SKIP.match(line) or BOILERPLATE.match(line):
            yield from _split_run(run)
            run = []
        else:
            run.append((number, line))
    yield from _split_run(run)


def _split_run(run: list[Para]) -> Iterator[Para]:
    """The paragraphs of a run of lines without a blank line between them."""
    width = max((len(line) for _, line in run), default=0)
    current: list[Para] = []
    for number, line in run:
        label = _is_label(line)
        bullet = BULLET.match(line)
        if (label or bullet) and current:
            yield current[0][0], " ".join(text for _, text in current)
            current = []
        current.append((number, BULLET.sub("", line).strip() if bullet else line))
        # A heading is short beside the run's other lines; a wrapped line is about as long.
        short_heading = _heading_shaped(line) and len(line) < 0.6 * width
        if label or _SENTENCE_END.search(line) or short_heading:
            yield current[0][0], " ".join(text for _, text in current)
            current = []
    if current:
        yield current[0][0], " ".join(text for _, text in current)


def _briefing_signs(paragraphs: list[Para]) -> bool:
    for _, text in paragraphs:
        section = SECTION.match(text)
        if section and PROPOSED.match(section["name"]):
            return True
        if any(pattern.match(text) for pattern in BRIEFING_FIELDS.values()):
            return True
    return False


def _language(texts: list[str], french_labels: int = 0) -> str:
    words = re.findall(r"[^\W\d_]+", " ".join(texts).lower())
    french = sum(w in _FRENCH for w in words) + 5 * french_labels
    english = sum(w in _ENGLISH for w in words)
    return "fr" if french > english else "en"


def _byline(text: str) -> str | None:
    """The credit line as printed, when the paragraph is one."""
    found = BYLINE.match(text)
    if not found or _SENTENCE_END.search(text) or len(text.split()) > 9:
        return None
    words = re.split(r"[\s,]+", found["names"].strip())
    named = [w for w in words if w and w.lower() not in _NAME_JOINERS]
    if named and all(w[0].isupper() for w in named):
        return text
    return None


def _read_date(value: str, line: int, what: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    day = parse_day(value)
    if day is None:
        raise MalformedPage(f"the {what} '{value}' is not a date the archive can read", line=line)
    return day


def _blocks(paragraphs: list[Para], sections: set[int] = frozenset()) -> list[Block]:
    """Paragraphs, with section names and sub-headings (short lines followed by more text)
    marked as headings."""
    last = len(paragraphs) - 1
    return [
        Block(text, is_heading=i in sections or (i < last and _heading_shaped(text)))
        for i, (_, text) in enumerate(paragraphs)
    ]


def _check_title(title: Para, kind: str) -> str:
    line, text = title
    words = text.split()
    if len(text) > MAX_TITLE_CHARS or len(words) > MAX_TITLE_WORDS:
        raise MalformedPage(
            f"the first line of text is a paragraph ({len(words)} words), not the title a "
            f"{kind} opens with",
            line=line,
        )
    return text


class _BriefingReader:
    """A briefing note: title, header fields, the issue, then sections ("Proposed Response")."""

    def __init__(self, paragraphs: list[Para]):
        self.paragraphs = paragraphs
        self.data = DocumentData(BRIEFING_NOTE, "")
        self.french_labels = 0

    def read(self) -> DocumentData:
        data = self.data
        title: Para | None = None
        summary: list[str] = []
        body: list[Para] = []
        sections: set[int] = set()  # indices in body of the section names
        for line, text in self.paragraphs:
            if self._field(line, text):
                continue
            section = SECTION.match(text)
            if section:
                sections.add(len(body))
                body.append((line, section["name"].strip()))
                if section["rest"].strip():
                    body.append((line, section["rest"].strip()))
            elif title is None:
                title = (line, text)
            elif sections:
                body.append((line, text))
            else:
                summary.append(text)
        if title is None:
            raise MalformedPage("the briefing note has header fields but no title")
        data.title = _check_title(title, "briefing note")
        if not sections:  # no sections: everything after the title is the body
            body, summary = [(title[0], text) for text in summary], []
        data.summary = "\n\n".join(summary)
        data.blocks = _blocks(body, sections)
        if not data.summary and not data.paragraphs:
            raise MalformedPage("the briefing note has a title and header fields but no text")
        if not data.publisher:
            agency = re.split(r"[/,\s]+", data.branch.strip())[-1].upper() if data.branch else ""
            data.publisher = AGENCIES.get(agency, "")
        texts = [data.title, data.summary, *data.paragraphs]
        data.language = _language(texts, self.french_labels)
        return data

    def _field(self, line: int, text: str) -> bool:
        """Read a header field into the data; True when the paragraph was one."""
        data = self.data
        for name, pattern in BRIEFING_FIELDS.items():
            found = pattern.match(text)
            if found:
                if not getattr(data, name):
                    setattr(data, name, found["value"].strip())
                self._vote(text)
                return True
        if found := DATE.match(text):
            if data.published_on is None:
                data.published_on = _read_date(found["value"], line, "briefing note's date")
            return True
        if found := DEPARTMENT.match(text):
            data.publisher = data.publisher or found["value"].strip()
            self._vote(text)
            return True
        return False

    def _vote(self, text: str) -> None:
        if re.match(r"^(?:préparée?|rédigée?|approuvée?|direction|secteur|ministère)", text, _I):
            self.french_labels += 1


class _ArticleReader:
    """A news article: a headline, credit and date lines, then paragraphs and sub-headings."""

    def __init__(self, paragraphs: list[Para]):
        self.paragraphs = paragraphs
        self.data = DocumentData(NEWS_ARTICLE, "")

    def read(self) -> DocumentData:
        self._refuse_petition_fragment()
        data = self.data
        title, *rest = self.paragraphs
        if _SENTENCE_END.search(title[1]) and not title[1].endswith(("?", "!")):
            raise NotADocumentPage(
                f"its first line ('{_short(title[1])}') reads as a sentence, not the headline "
                "a news article opens with"
            )
        if len(title[1]) > MAX_TITLE_CHARS or len(title[1].split()) > MAX_TITLE_WORDS:
            raise NotADocumentPage(
                "its first line is a long paragraph, not the headline a news article opens with"
            )
        data.title = title[1]
        rest = self._leading_metadata(rest)
        rest = self._trailing_credits(rest)
        data.blocks = _blocks(rest)
        self._check_prose()
        data.language = _language([data.title, *data.paragraphs])
        return data

    def _leading_metadata(self, rest: list[Para]) -> list[Para]:
        """Credit, date and outlet lines between the headline and the first paragraph."""
        data = self.data
        while rest:
            line, text = rest[0]
            if (credit := _byline(text)) and not data.byline:
                data.byline = credit
            elif (found := PUBLISHED.match(text) or DATE.match(text)) and not data.published_on:
                data.published_on = _read_date(found["value"], line, "article's date")
            elif (found := OUTLET.match(text)) and not data.publisher:
                data.publisher = found["value"].strip()
            elif UPDATED.match(text):
                pass
            elif (
                (parts := split_date(text))
                and not parts[1].strip(" ,.|–—-")
                and not (data.published_on)
            ):
                data.published_on = parts[0]
            else:
                return rest
            rest = rest[1:]
        return rest

    def _trailing_credits(self, rest: list[Para]) -> list[Para]:
        """A credit line after the last paragraph ("With Boris Proulx")."""
        while rest and (credit := _byline(rest[-1][1])):
            self.data.byline = "; ".join(filter(None, [credit, self.data.byline]))
            rest = rest[:-1]
        return rest

    def _check_prose(self) -> None:
        prose = [
            text
            for text in self.data.paragraphs
            if len(text.split()) >= 8 and _SENTENCE_END.search(text)
        ]
        words = sum(len(text.split()) for text in prose)
        if len(prose) < MIN_ARTICLE_PARAGRAPHS or words < MIN_ARTICLE_WORDS:
            raise NotADocumentPage(
                f"after its first line it has {len(prose)} paragraph{'s' * (len(prose) != 1)} "
                f"of prose ({words} words), where a news article has a headline and at least "
                f"{MIN_ARTICLE_PARAGRAPHS} paragraphs ({MIN_ARTICLE_WORDS} words), and it has "
                "none of a briefing note's "
                "labels ('Proposed Response:', 'Classification:', 'Prepared by:')"
            )

    def _refuse_petition_fragment(self) -> None:
        for line, text in self.paragraphs:
            if PETITION_WORDING.match(text):
                raise NotADocumentPage(
                    f"line {line} reads like part of a petition page ('{_short(text)}'), but the "
                    "page has no petition number heading such as 'e-2835 (Topic)'"
                )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = ["parse_document", "parse_document_text"]
