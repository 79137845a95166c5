"""What every CSV of the archive writes in a cell (`/petitions.csv` and the `/stats/` CSVs):
text a spreadsheet shows as text on one line, never a formula it would run."""

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would read these as a formula
# No cell holds a line break (a row stays one line tall in a spreadsheet): a blank line between
# paragraphs becomes PARAGRAPH, any other line break a space. `publish.exports.cell_sql` applies
# the same patterns in SQL.
PARAGRAPH = " ¶ "
BLANK_LINES = r"[ \t]*(\r\n|\r|\n)([ \t]*(\r\n|\r|\n))+[ \t]*"
LINE_BREAK = r"[ \t]*(\r\n|\r|\n)[ \t]*"


def one_line(text: str) -> str:
    """`text` without line breaks: paragraphs joined by PARAGRAPH, other breaks by a space."""
    return re.sub(LINE_BREAK, " ", re.sub(BLANK_LINES, PARAGRAPH, text))


def cell(value: Any) -> str:
    """A CSV cell: empty for null, a number as written, any other text that a spreadsheet would
    read as a formula ("=cmd|' /C calc'!A0") behind a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)  # a number is never a formula, and "-3" stays a number
    text = str(value)
    return one_line("'" + text if text.startswith(FORMULA_STARTS) else text)


def cells(values: Iterable[Any]) -> list[str]:
    """A CSV row, each value made a `cell`."""
    return [cell(value) for value in values]
