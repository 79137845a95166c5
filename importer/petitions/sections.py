"""The end of a petition page: responses, the timeline, the MP block and status lines."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from . import labels as L
from .data import MalformedPage, MemberData, PetitionData
from .dates import has_zone, parse_day, parse_moment, split_date
from .ending import Line, check_last_line, cut_off, open_parenthesis, quote
from .members import member, name_block, sponsor_parts

_EXAMPLES = {
    "opened": "September 15, 2020, at 3:23 p.m. (EDT)",
    "closed": "October 15, 2020, at 3:23 p.m. (EDT)",
    "tabled": "January 25, 2021",
    "presented": "November 27, 2020 (Petition No. 432-00309)",
}
_FRENCH_OFFICE = re.compile(r"(?:ministre|premi|présid|leader|secrét|vice)", re.IGNORECASE)


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
        self.roles: dict[int, str] = {}  # line index -> the block it belongs to (ending.py)
        self.data: PetitionData

    def role(self, index: int, name: str) -> None:
        self.roles[index] = name

    def at_end(self, index: int) -> bool:
        return index >= len(self.lines) - 1

    def check_last_line(self) -> None:
        check_last_line(self.lines, self.roles)

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
            or L.KEYWORDS.match(line)
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
        keywords = L.KEYWORDS.match(line)
        if keywords:
            return self._keywords(index, keywords["rest"])
        used = self.meta_at(index)
        if not used and self._name_block_at(index):
            return self._sponsor(index, line)
        return used or 1

    def _following(self, index: int, most: int) -> list[str]:
        """Up to `most` lines after index, stopping at the next section or frame line."""
        found: list[str] = []
        for _, line in self.lines[index + 1 : index + 1 + most]:
            if self.section_start(line) or L.SKIP.match(line) or L.SIGNATURES_LABEL.match(line):
                break
            found.append(line)
        return found

    def _name_block_at(self, index: int) -> bool:
        """An older layout's MP block: the name on its own line, then riding and caucus."""
        return name_block(self._following(index, 2), self.lines[index][1])

    def _keywords(self, index: int, rest: str | None) -> int:
        """ "Keywords: Fur, Imports" or "Keywords" followed by one term a line."""
        if rest is not None and rest.strip():
            terms = [t for t in L.KEYWORD_SPLIT.split(rest.strip().rstrip(".")) if t]
            if any(len(term) > 200 for term in terms):
                raise MalformedPage(
                    "a keyword is longer than 200 characters; is this line really the "
                    f"keywords? {quote(self.lines[index][1])}",
                    line=self.lines[index][0],
                )
            self.data.keywords.extend(terms)
            return 1
        self.role(index, "keywords")
        end = index + 1
        while end < len(self.lines):
            line = self.lines[end][1]
            stop = self.section_start(line) or L.SKIP.match(line) or self.meta_at(end)
            if stop or len(line) > 80 or self._name_block_at(end):
                break
            self.data.keywords.append(L.BULLET.sub("", line).strip())
            end += 1
        return end - index

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
        if parsed and key != "tabled" and value and self._is_last(value) and not has_zone(value[1]):
            raise cut_off(value, "a date (its time or time zone is missing)")
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

    def _is_last(self, line: Line) -> bool:
        return line[0] == self.lines[-1][0]

    def _missing_date(self, index: int, key: str, value: Line | None) -> MalformedPage:
        number, label = self.lines[index]
        if value is None and self.at_end(index):
            return cut_off(self.lines[index], f"the timeline (no date follows {quote(label)})")
        if value is not None and self._is_last(value):
            return cut_off(value, f"the timeline ({quote(label)} needs a date)")
        wanted = f"{quote(label)} should be followed by a date such as '{_EXAMPLES[key]}'"
        if value is None:
            return MalformedPage(f"{wanted}, but no date follows it", line=number)
        return MalformedPage(f"{wanted}, but this line reads {quote(value[1])}", line=value[0])

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
        for offset, (line_number, text) in candidates:
            parts = split_date(text)
            if parts and self._is_last((line_number, text)) and open_parenthesis(parts[1]):
                raise cut_off((line_number, text), "the presentation line")
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
            presenter = member(text)
        value = candidates[-1][1] if candidates else None
        raise self._missing_date(index, "presented", value)

    def _response(self, index: int, lang: str, portfolio: str) -> int:
        self.vote(lang)
        self.role(index, "response")
        signed_by, paragraphs = None, []
        end = index + 1
        while end < len(self.lines):
            line = self.lines[end][1]
            if self.section_start(line):
                break
            signed = L.match_any(L.SIGNED, line)
            if signed and signed_by is None:
                self.vote(signed[0])
                signed_by = _signer(signed[1]["name"])
                self.role(end, "signer")
            elif not L.SKIP.match(line):
                paragraphs.append(line)
                self.role(end, "paragraph")
            end += 1
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
        """The MP block: "Photo - NAME" (or the name alone), then riding, caucus and province.

        Each part is optional, but a block that runs to the end of the page without its
        caucus line (or with the start of a province after it) is a page cut off.
        """
        block = self._following(index, 3)
        riding, caucus, province, used = sponsor_parts(block)
        if self.at_end(index + len(block)):
            last = self.lines[-1]
            if caucus is None:
                raise cut_off(last, "the sponsor's block (its riding and caucus lines are missing)")
            if used < len(block) and L.is_province_start(last[1]):
                raise cut_off(last, "the sponsor's province")
        if self.data.sponsor is None:
            self.data.sponsor = MemberData(name, riding, caucus, province)
        return used + 1
