"""Parliaments and sessions of the House of Commons since e-petitions began.

A presentation number (432-00309) names its parliament and session; a petition that was never
presented is placed in the session during which it opened for signature (or the next one to sit).
"""

from datetime import date

# (parliament, session, first sitting day, prorogation or dissolution)
SESSIONS: list[tuple[int, int, date, date | None]] = [
    (41, 1, date(2011, 6, 2), date(2013, 9, 13)),
    (41, 2, date(2013, 10, 16), date(2015, 8, 2)),
    (42, 1, date(2015, 12, 3), date(2019, 9, 11)),
    (43, 1, date(2019, 12, 5), date(2020, 8, 18)),
    (43, 2, date(2020, 9, 23), date(2021, 8, 15)),
    (44, 1, date(2021, 11, 22), date(2025, 3, 23)),
    (45, 1, date(2025, 5, 26), None),
]

ORDINALS = {1: "st", 2: "nd", 3: "rd"}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else ORDINALS.get(n % 10, "th")
    return f"{n}{suffix}"


def from_presentation_number(number: str | None) -> tuple[int | None, int | None]:
    """'432-00309' → (43, 2)."""
    if not number or len(number) < 3 or not number[:3].isdigit():
        return None, None
    return int(number[:2]), int(number[2])


def session_on(day: date | None) -> tuple[int | None, int | None]:
    """The session sitting on that day, or the next session to sit after it."""
    if day is None:
        return None, None
    for parliament, session, _start, end in SESSIONS:
        if day <= (end or date.max):
            return parliament, session
    return None, None


def label(parliament: int | None, session: int | None) -> str:
    if parliament is None:
        return ""
    text = f"{ordinal(parliament)} Parliament"
    return f"{text}, {ordinal(session)} session" if session else text
