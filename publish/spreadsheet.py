"""What every CSV of the archive writes in a cell (`/petitions.csv` and the `/stats/` CSVs):
text a spreadsheet shows as text, never a formula it would run."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would read these as a formula


def cell(value: Any) -> str:
    """A CSV cell: empty for null, a number as written, any other text that a spreadsheet would
    read as a formula ("=cmd|' /C calc'!A0") behind a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)  # a number is never a formula, and "-3" stays a number
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cells(values: Iterable[Any]) -> list[str]:
    """A CSV row, each value made a `cell`."""
    return [cell(value) for value in values]
