"""Members of Parliament as the page prints them: the presenter and the sponsor's block."""

from __future__ import annotations

import re

from . import labels as L
from .data import MemberData

_MEMBER = re.compile(r"^(?P<name>.+?)\s*\((?P<riding>[^()]*)\)$")


def member(text: str) -> MemberData:
    """Name and riding from "Garnett Genuis (Sherwood Park—Fort Saskatchewan)"."""
    found = _MEMBER.match(text)
    if found and found["name"].strip():
        return MemberData(found["name"].strip(), riding=found["riding"].strip() or None)
    return MemberData(text)


def sponsor_parts(block: list[str]) -> tuple[str | None, str | None, str | None, int]:
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
    if len(block) >= 2 and L.is_province(block[1]) and plausible_riding(block[0]):
        return block[0], None, block[1], 2
    if block and L.is_province(block[0]):
        return None, None, block[0], 1
    if block and plausible_riding(block[0]):
        return block[0], None, None, 1
    return None, None, None, 0


def plausible_riding(line: str) -> bool:
    return len(line) <= 100 and not line.endswith((".", ":", ";", "!", "?"))


def plausible_name(line: str) -> bool:
    """A line that can be a member's name printed on its own (older pages, no "Photo - ")."""
    return (
        len(line) <= 80
        and plausible_riding(line)
        and not any(c.isdigit() for c in line)
        and not L.CAUCUS.search(line)
        and not L.is_province(line)
        and not L.BULLET.match(line)
    )


def name_block(following: list[str], name: str) -> bool:
    """True when name is a member's name whose riding (if any) and caucus follow it.

    following holds the next lines up to the next section; the caucus line must be the first
    or the second of them (the riding may come between).
    """
    return plausible_name(name) and any(L.CAUCUS.search(line) for line in following[:2])
