"""The end of a petition page: responses, the timeline, the MP block and status lines."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from . import labels as L
from .data import MalformedPage, MemberData, PetitionData
from .dates import parse_day, parse_moment, split_date

Line = tuple[int, str]  # (1-based line number, stripped text)

_EXAMPLES = {
    "opened": "September 15, 2020, at 3:23 p.m. (EDT)",
    "closed": "October 15, 2020, at 3:23 p.m. (EDT)",
    "tabled": "January 25, 2021",
    "presented": "November 27, 2020 (Petition No. 432-00309)",
}
_FRENCH_OFFICE = re.compile(r"(?:ministre|premi|présid|leader|secrét|vice)", re.IGNORECASE)
_MEMBER = re.compile(r"^(?P<name>.+?)\s*\((?P<riding>[^()]*)\)$")


def _quote(text: str) -> str:
    return f"'{text[:80]}…'" if len(text) > 80 else f"'{text}'"


def _member(text: str) -> MemberData:
    """Name and riding from "Garnett Genuis (Sherwood Park—Fort Saskatchewan)"."""
    found = _MEMBER.match(text)
    if found and found["name"].strip():
        return MemberData(found["name"].strip(), riding=found["riding"].strip() or None)
    return MemberData(text)


def _parse_value(key: str, value: Line | None) -> Any:
    """The date (or, for the signing period, the moment) a timeline value gives, or None."""
    if value is None:
        return None
    return parse_day(value[1]) if key == "tabled" else parse_moment(value[1])


def _signer(name: str) -> str | None:
    return L.SIGNER_SUFFIX.sub("", name).strip() or None


def _portfolio(lang: str, text: str) -> str | None:
    """The office of a "Response by …" heading, or None when the line is ordinary text."""
    text = text.strip()
    if not text or text[-1] in ".;,!?":
        return None
    if text[0].isupper() or (lang == "fr" and _FRENCH_OFFICE.match(text)):
        return text
    return None


class TailReader:
    """Reads the lines after the petition's text, and holds what the page reader collects."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.pos = 0
        self.votes: Counter[str] = Counter()
        self.responses: list[dict[str, Any]] = []
        self.tabled_dates: list[date] = []
        self.old_tabled_dates: list[date] = []
        self.data: PetitionData

    def vote(self, lang: str | None) -> None:
        if lang:
            self.votes[lang] += 1

    def page_language(self) -> str:
        return "fr" if self.votes["fr"] > self.votes["en"] else "en"

    def section_start(self, line: str) -> bool:
        """True for a line that ends the petition's text or a response's paragraphs."""
        return bool(
            L.FOOTER.match(line)
            or L.PHOTO.match(line)
            or any(L.match_any(table, line) for table in L.TIMELINE.values())
            or self._response_heading(line)
            or L.end_state(line)
        )

    def meta_at(self, index: int) -> int:
        """Read a signature count or a status line at index; return the lines used (0: none)."""
        line = self.lines[index][1]
        state = L.end_state(line)
        if state:
            self.set_end_state(state)
            return 1
        for pattern in L.SIGNATURES:
            found = pattern.match(line)
            if found and self._set_signatures(found["n"]):
                return 1
        following = self.lines[index + 1][1] if index + 1 < len(self.lines) else ""
        label = L.SIGNATURES_LABEL.match(line) and L.COUNT.match(following)
        if label and self._set_signatures(following):
            return 2
        return 0

    def _set_signatures(self, text: str) -> bool:
        digits = re.sub(r"[,. ]", "", text)
        if not digits.isdigit() or len(digits) > 9:
            return False
        if self.data.signatures is None:
            self.data.signatures = int(digits)
        return True

    def set_end_state(self, state: str) -> None:
        if self.data.end_state is None or state == "unanswered_dissolution":
            self.data.end_state = state

    def _response_heading(self, line: str) -> tuple[str, str] | None:
        hit = L.match_any(L.RESPONSE, line)
        if not hit:
            return None
        portfolio = _portfolio(hit[0], hit[1]["portfolio"])
        return (hit[0], portfolio) if portfolio else None

    def read_tail(self) -> None:
        while self.pos < len(self.lines):
            self.pos += self._tail_line(self.pos)

    def _tail_line(self, index: int) -> int:
        line = self.lines[index][1]
        if L.SKIP.match(line) or L.FOOTER.match(line):
            return 1
        for key, table in L.TIMELINE.items():
            hit = L.match_any(table, line)
            if hit:
                self.vote(hit[0])
                return self._timeline(index, key, hit[1]["rest"].strip())
        heading = self._response_heading(line)
        if heading:
            return self._response(index, *heading)
        photo = L.PHOTO.match(line)
        if photo:
            return self._sponsor(index, photo["name"].strip())
        return self.meta_at(index) or 1

    def _next_value(self, index: int) -> Line | None:
        """The line after index when it can hold a value (it starts no other section)."""
        if index + 1 >= len(self.lines):
            return None
        candidate = self.lines[index + 1]
        return None if self.section_start(candidate[1]) else candidate

    def _timeline(self, index: int, key: str, rest: str) -> int:
        number, line = self.lines[index]
        state = L.end_state(line)
        if state:
            self.set_end_state(state)
        if key == "tabled" and L.OLD_RESPONSE_REST.search(rest):
            return self._old_response(index, rest)
        if key == "presented":
            return self._presented(index, rest)
        value, used = ((number, rest), 1) if rest else (self._next_value(index), 2)
        parsed = _parse_value(key, value)
        if parsed is None and state:
            if rest:
                value, used = self._next_value(index), 2
                parsed = _parse_value(key, value)
            if parsed is None:
                return 1
        if parsed is None:
            raise self._missing_date(index, key, value)
        if key == "tabled":
            self.tabled_dates.append(parsed)
        elif key == "opened":
            self.data.opened_at = self.data.opened_at or parsed
        else:
            self.data.closed_at = self.data.closed_at or parsed
        return used

    def _missing_date(self, index: int, key: str, value: Line | None) -> MalformedPage:
        number, label = self.lines[index]
        wanted = f"{_quote(label)} should be followed by a date such as '{_EXAMPLES[key]}'"
        if value is None:
            return MalformedPage(f"{wanted}, but no date follows it", line=number)
        return MalformedPage(f"{wanted}, but this line reads {_quote(value[1])}", line=value[0])

    def _old_response(self, index: int, rest: str) -> int:
        """An old-style line: "Government response tabled on <date> (Sessional Paper No. …)"."""
        day = parse_day(rest)
        if day is None:
            raise self._missing_date(index, "tabled", self.lines[index])
        paper = L.SESSIONAL_PAPER.search(rest)
        self.responses.append(
            {
                "portfolio": None,
                "signed_by": None,
                "paragraphs": [],
                "tabled_on": day,
                "sessional_paper": paper["paper"] if paper else None,
            }
        )
        self.old_tabled_dates.append(day)
        return 1

    def _presented(self, index: int, rest: str) -> int:
        """The presenting member and "November 27, 2020 (Petition No. 432-00309)"."""
        number = self.lines[index][0]
        candidates: list[tuple[int, Line]] = [(0, (number, rest))] if rest else []
        for offset in (1, 2):
            following = self._next_value(index + offset - 1)
            if following is None:
                break
            candidates.append((offset, following))
        presenter = None
        for offset, (_, text) in candidates:
            parts = split_date(text)
            if parts:
                self.data.presented_on = self.data.presented_on or parts[0]
                found = L.PETITION_NUMBER.search(parts[1])
                if found and self.data.presented_number is None:
                    self.data.presented_number = found.group(1)
                if presenter is not None and self.data.presenter is None:
                    self.data.presenter = presenter
                return offset + 1
            if presenter is not None:
                break
            presenter = _member(text)
        value = candidates[-1][1] if candidates else None
        raise self._missing_date(index, "presented", value)

    def _response(self, index: int, lang: str, portfolio: str) -> int:
        self.vote(lang)
        signed_by, paragraphs = None, []
        end = index + 1
        while end < len(self.lines):
            line = self.lines[end][1]
            if self.section_start(line):
                break
            end += 1
            signed = L.match_any(L.SIGNED, line)
            if signed and signed_by is None:
                self.vote(signed[0])
                signed_by = _signer(signed[1]["name"])
            elif not L.SKIP.match(line):
                paragraphs.append(line)
        self.responses.append(
            {
                "portfolio": portfolio,
                "signed_by": signed_by,
                "paragraphs": paragraphs,
                "tabled_on": None,
                "sessional_paper": None,
            }
        )
        return end - index

    def _sponsor(self, index: int, name: str) -> int:
        """The MP block: "Photo - NAME", then riding, caucus and province, each optional."""
        block: list[str] = []
        for line_number in range(index + 1, min(index + 4, len(self.lines))):
            line = self.lines[line_number][1]
            if self.section_start(line) or L.SKIP.match(line) or L.SIGNATURES_LABEL.match(line):
                break
            block.append(line)
        riding, caucus, province, used = _sponsor_parts(block)
        if self.data.sponsor is None:
            self.data.sponsor = MemberData(name, riding, caucus, province)
        return used + 1


def _sponsor_parts(block: list[str]) -> tuple[str | None, str | None, str | None, int]:
    """Riding, caucus, province and the number of lines they take."""
    caucus_at = next((i for i, line in enumerate(block) if L.CAUCUS.search(line)), None)
    if caucus_at is not None:
        before, after = block[:caucus_at], block[caucus_at + 1 :]
        used, province = caucus_at + 1, None
        if after and L.is_province(after[0]):
            province, used = after[0], used + 1
        riding = before[-1] if before else None
        if riding and L.is_province(riding) and province is None:
            riding, province = None, riding
        return riding, block[caucus_at], province, used
    if len(block) >= 2 and L.is_province(block[1]) and _plausible_riding(block[0]):
        return block[0], None, block[1], 2
    if block and L.is_province(block[0]):
        return None, None, block[0], 1
    if block and _plausible_riding(block[0]):
        return block[0], None, None, 1
    return None, None, None, 0


def _plausible_riding(line: str) -> bool:
    return len(line) <= 100 and not line.endswith((".", ":", ";", "!", "?"))
