"""How a page that stops mid-way is told apart from a complete one.

Saved pages are sometimes cut off (at about 2,000 bytes, say). The reader notes which block
each line belongs to; a page whose last line leaves its block unfinished (a sentence without
its final punctuation, a heading with nothing under it, a date without its time zone, a member's
block without its caucus) is refused, naming that line.
"""

from __future__ import annotations

import re

from .data import MalformedPage

Line = tuple[int, str]  # (1-based line number, stripped text)

# What the reader calls each kind of line, as the message names it.
TEXT = {
    "grievance": "a grievance",
    "prayer": "the prayer",
    "prayer item": "an item of the prayer",
    "paragraph": "a paragraph of the response",
}
HEADINGS = {
    "response": "the response heading (the response's text is missing)",
    "signer": "the response (its text is missing)",
    "keywords": "the keywords (no term follows the label)",
}
_FINAL = re.compile(r"[.!?;:…)\]»\"”’]$")
_OPEN_PAREN = re.compile(r"\([^()]*$")


def quote(text: str) -> str:
    return f"'{text[:80]}…'" if len(text) > 80 else f"'{text}'"


def cut_off(line: Line, inside: str) -> MalformedPage:
    """The error for a page whose text stops at line, inside the block described."""
    number, text = line
    return MalformedPage(
        f"the page seems cut off inside {inside}; it stops at this line: {quote(text)}",
        line=number,
    )


def unfinished(text: str) -> bool:
    """True for a sentence that stops without its final punctuation."""
    return not _FINAL.search(text.rstrip())


def open_parenthesis(text: str) -> bool:
    """True for "March 18, 2019 (Petition No. 421-": a bracket opened and never closed."""
    return bool(_OPEN_PAREN.search(text))


def check_last_line(lines: list[Line], roles: dict[int, str]) -> None:
    """Refuse the page if its last line leaves a block of text or a heading unfinished."""
    last = len(lines) - 1
    role = roles.get(last)
    if role in TEXT and unfinished(lines[last][1]):
        raise cut_off(lines[last], TEXT[role])
    if role in HEADINGS:
        raise cut_off(lines[last], HEADINGS[role])
