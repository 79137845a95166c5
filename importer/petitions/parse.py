"""Read a petition page of the House of Commons into PetitionData.

`read_text` turns the bytes of a saved page (text or HTML) into text, `parse_petition` reads
that text, `parse_page` does both. Every problem is reported as a PageError subclass.
"""

from __future__ import annotations

import re
import string

from . import labels as L
from .data import (
    MalformedPage,
    NotAPetitionPage,
    PetitionData,
    ResponseData,
    UnreadableInput,
)
from .ending import cut_off, quote
from .sections import Line, TailReader
from .text import html_to_text

EMPTY = "the file is empty"
BINARY = "this is not a text file (it looks binary)"
ENCODING = "the text is in an unknown encoding (it is neither UTF-8 nor Windows-1252)"

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13} | {127}
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_TEXTUAL = frozenset(string.punctuation + "’‘“”–—•…«»°§€£¢©®™")
_INVISIBLE = {
    0xA0: " ",
    0x202F: " ",
    0x2007: " ",
    0x2028: "\n",
    0x2029: "\n",
    0x0B: "\n",
    0x0C: "\n",
    0xFEFF: None,
    0x200B: None,
    **{code: None for code in _CONTROL if code != 0x0B},
}
_SPLIT_PLACE = {
    "en": re.compile(r"\s+from\s+", re.IGNORECASE),
    "fr": re.compile(r"\s+de\s+|\s+d['’](?=\S)", re.IGNORECASE),
}
_PLACE = (
    re.compile(r"^(?P<city>.+?)\s*\((?P<prov>[^()]+)\)$"),
    re.compile(r"^(?P<city>.+),\s*(?P<prov>[^,]+)$"),
)


def parse_page(raw: bytes) -> PetitionData:
    """Read the bytes of a saved petition page (text or HTML)."""
    return parse_petition(read_text(raw))


def read_text(raw: bytes) -> str:
    """Decode a saved page to text; HTML is reduced to the text a browser would save."""
    text = raw if isinstance(raw, str) else decode(bytes(raw))
    if _looks_like_html(text):
        text = html_to_text(text)
    text = normalise(text)
    if not text.strip():
        raise UnreadableInput(EMPTY)
    return text


def normalise(text: str) -> str:
    """Unix line endings, ordinary spaces for non-breaking ones, no invisible characters."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)


def decode(raw: bytes) -> str:
    if not raw.strip(b" \t\r\n\x0b\x0c") or raw.strip() in _BOMS:
        raise UnreadableInput(EMPTY)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_utf16(raw)
        if text is not None:
            return text
    if b"\x00" in raw or sum(byte in _CONTROL for byte in raw) > 0.05 * len(raw):
        raise UnreadableInput(BINARY)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.end == len(raw):
            return raw[: error.start].decode("utf-8-sig")  # a file cut inside a character
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _looks_like_text(text):
        return text
    ascii_share = sum(32 <= byte < 127 or byte in (9, 10, 13) for byte in raw) / len(raw)
    raise UnreadableInput(ENCODING if ascii_share > 0.7 else BINARY)


def _decode_utf16(raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-16")
    except UnicodeDecodeError:
        return None
    return text if _looks_like_text(text) else None


def _looks_like_text(text: str) -> bool:
    """Mostly letters, digits, spaces and punctuation, with few characters beyond ASCII."""
    good = sum(c.isalnum() or c.isspace() or c in _TEXTUAL for c in text)
    high = sum(ord(c) > 127 for c in text)
    return good >= 0.85 * len(text) and high <= 0.2 * len(text)


def _looks_like_html(text: str) -> bool:
    head = text[:4096].lower()
    if "<!doctype html" in head or re.search(r"<html[\s>]", head):
        return True
    return len(_TAG.findall(text, 0, 200_000)) >= 10


def parse_petition(text: str) -> PetitionData:
    """Read the text of a petition page.

    Raises NotAPetitionPage for text that is not a petition page and MalformedPage for a
    petition page that is cut off or broken.
    """
    if not isinstance(text, str):
        raise UnreadableInput("the page was not given as text")
    numbered = enumerate(normalise(text).split("\n"), start=1)
    lines = [(number, line.strip()) for number, line in numbered if line.strip()]
    if not lines:
        raise UnreadableInput(EMPTY)
    return _PageReader(lines).read()


class _PageReader(TailReader):
    """Reads the heading, the header fields and the petition's text; the tail is inherited."""

    def read(self) -> PetitionData:
        self._heading()
        self._header()
        self._body(self._collect_body())
        self.read_tail()
        self.check_last_line()
        self._check_complete()
        return self._finish()

    def _heading(self) -> None:
        matches = ((i, L.HEADING.match(line)) for i, (_, line) in enumerate(self.lines))
        index, found = next(((i, m) for i, m in matches if m), (0, None))
        if found is None:
            raise NotAPetitionPage(
                "no petition number heading such as 'e-2835 (Topic)' was found; "
                "this does not look like a petition page"
            )
        if found["paper"]:
            number, kind = found["paper"], "paper"
        else:
            number, kind = f"e-{found['digits']}", "e-petition"
        topic = found["topic"].strip()
        self.data = PetitionData(number, kind, topic, "en", None, "")
        self.pos = index + 1

    def _header(self) -> None:
        addressee_seen = False
        while self.pos < len(self.lines):
            line = self.lines[self.pos][1]
            used = self.meta_at(self.pos)
            if used:
                self.pos += used
                continue
            if L.SKIP.match(line) or L.HEADING.match(line) or self._kind_marker(line):
                self.pos += 1
                continue
            hit = L.match_any(L.INITIATOR, line)
            if hit:
                self._initiator(*hit)
            elif hit := L.match_any(L.ORIGINAL_LANGUAGE, line):
                value = hit[1]["value"].strip().rstrip(".").casefold()
                self.data.original_language = L.LANGUAGE_NAMES.get(value)
            elif not addressee_seen and (hit := L.match_any(L.ADDRESSEE, line)):
                self.data.addressee = hit[1]["value"].strip()
                addressee_seen = True
            else:
                return
            self.vote(hit[0])
            self.pos += 1

    def _kind_marker(self, line: str) -> bool:
        for pattern in (L.PAPER, L.ELECTRONIC):
            if pattern.match(line):
                self.vote("fr" if line.casefold().startswith("pétition") else "en")
                return True
        return False

    def _initiator(self, lang: str, found: re.Match[str]) -> None:
        rest = found["rest"].strip()
        splits = list(_SPLIT_PLACE[lang].finditer(rest))
        for split in reversed(splits):
            place = rest[split.end() :].strip()
            for pattern in _PLACE:
                where = pattern.match(place)
                if where:
                    self._set_initiator(rest[: split.start()], where["city"], where["prov"])
                    return
        if splits:
            last = splits[-1]
            self._set_initiator(rest[: last.start()], rest[last.end() :], None)
        else:
            self._set_initiator(rest, None, None)

    def _set_initiator(self, name: str, city: str | None, province: str | None) -> None:
        self.data.initiator_name = name.strip() or None
        self.data.initiator_city = (city or "").strip() or None
        self.data.initiator_province = (province or "").strip() or None

    def _collect_body(self) -> list[Line]:
        body: list[Line] = []
        self.body_index: dict[int, int] = {}  # line number -> index in self.lines
        while self.pos < len(self.lines):
            number, line = self.lines[self.pos]
            if self.section_start(line):
                break
            used = self.meta_at(self.pos)
            if not used and not L.SKIP.match(line):
                body.append((number, line))
                self.body_index[number] = self.pos
            self.pos += used or 1
        return body

    def _body_role(self, lines: list[Line], name: str) -> None:
        for number, _ in lines:
            self.role(self.body_index[number], name)

    def _body(self, body: list[Line]) -> None:
        """Grievances, then the prayer and its numbered items."""
        prayer_at = self._find_prayer(body)
        before = body if prayer_at is None else body[:prayer_at]
        grievances: list[Line] = []
        for number, line in before:
            heading = L.match_any(L.INTRO, line) or L.match_any(L.THEREFORE, line)
            if heading or _is_attention(line):
                self.vote(heading[0] if heading else _prayer_language(line))
                continue
            text = L.BULLET.sub("", line).strip()
            if text:
                grievances.append((number, text))
                self._body_role([(number, line)], "grievance")
        self.data.grievances = [text for _, text in grievances]
        if prayer_at is None:
            if grievances and self.at_end(self.body_index[grievances[-1][0]]):
                raise cut_off(self.lines[-1], "the grievances (the prayer is missing)")
            if grievances:
                raise MalformedPage(
                    "the petition's grievances are not followed by its prayer (a paragraph "
                    "such as 'We, the undersigned, … call upon …'); the page may be cut off",
                    line=grievances[-1][0],
                )
            return
        self.data.prayer_text = body[prayer_at][1]
        self._body_role([body[prayer_at]], "prayer")
        self._prayer_items(body[prayer_at + 1 :])

    def _find_prayer(self, body: list[Line]) -> int | None:
        for index, (_, line) in enumerate(body):
            lang = _prayer_language(line)
            if lang and not _is_attention(line):
                self.vote(lang)
                return index
        for index, (_, line) in enumerate(body[:-1]):
            if L.match_any(L.THEREFORE, line):
                return index + 1  # "THEREFORE:" then a prayer in words of its own
        for index in range(len(body) - 1, -1, -1):
            line = body[index][1]
            listed = L.BULLET.match(line) or L.NUMBERED.match(line)
            if L.CALL.search(line) and not listed and not _is_attention(line):
                return index
        return None

    def _prayer_items(self, lines: list[Line]) -> None:
        items: list[str] = []
        for line_at in lines:
            line = line_at[1]
            numbered = L.NUMBERED.match(line)
            if numbered or L.BULLET.match(line):
                text = numbered["text"] if numbered else L.BULLET.sub("", line)
                items.append(text.strip())
            elif items:
                items[-1] += "\n" + line
            else:
                self.data.prayer_text += "\n" + line
            self._body_role([line_at], "prayer item" if items else "prayer")
        self.data.prayer_items = [item for item in items if item]

    def _check_complete(self) -> None:
        if self.data.kind == "e-petition":
            needed, french = self.data.opened_at, "Ouverte pour signature"
            label = "the 'Open for signature' date that every e-petition page shows"
        else:
            needed, french = self.data.presented_on, "Présentée à la Chambre des communes"
            label = "the 'Presented to the House of Commons' entry that every paper petition shows"
        if needed is None:
            if self.page_language() == "fr":
                label += f" ('{french}')"
            number, last = self.lines[-1]
            raise MalformedPage(
                f"the page seems cut off after this line ({quote(last)}): {label} is missing",
                line=number,
            )

    def _finish(self) -> PetitionData:
        data = self.data
        data.page_language = self.page_language()
        if data.kind == "paper":
            data.presented_number = data.number
        tabled = self.tabled_dates or self.old_tabled_dates
        data.response_tabled_on = tabled[0] if tabled else None
        undated = [r for r in self.responses if r["tabled_on"] is None]
        paired = len(self.tabled_dates) > 1 and len(self.tabled_dates) == len(undated)
        for index, response in enumerate(undated):
            response["tabled_on"] = self.tabled_dates[index] if paired else data.response_tabled_on
        data.responses = [ResponseData(**response) for response in self.responses]
        return data


def _prayer_language(line: str) -> str | None:
    """The language of a line that opens a prayer ("We, the undersigned…"), else None."""
    for lang, pattern in L.PRAYER.items():
        if pattern.match(line):
            return lang
    for lang, pattern in L.WEAK_PRAYER.items():
        if pattern.match(line) and L.CALL.search(line):
            return lang
    return None


def _is_attention(line: str) -> bool:
    """A "We, the undersigned, draw the attention of the House to the following" opening."""
    return bool(L.ATTENTION.search(line)) and not L.CALL.search(line)


__all__ = ["parse_page", "parse_petition", "read_text"]
