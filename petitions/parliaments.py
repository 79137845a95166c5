"""The House of Commons' calendar: its Parliaments and sessions since 1994.

A presentation number (432-00309) names its parliament and session; a petition that was never
presented is placed in the session during which it opened for signature (or the next one to sit).
When a Parliament is dissolved, all its unfinished business dies: a petition it received and
never answered is "not answered before dissolution" (see `Petition.stage`). Plain Python: the
domain's lowest layer imports this and nothing here imports the archive.
"""

from datetime import date
from typing import NamedTuple

from django.utils.translation import get_language, gettext as _

PROROGATION = "prorogation"
DISSOLUTION = "dissolution"


class Session(NamedTuple):
    parliament: int
    session: int
    opened_on: date  # first sitting day
    ended_on: date | None  # prorogation or dissolution; None while it sits

    @property
    def ended_by(self) -> str:
        """'prorogation', 'dissolution', or '' for the sitting session."""
        if self.ended_on is None:
            return ""
        return DISSOLUTION if self.ended_on == DISSOLVED_ON.get(self.parliament) else PROROGATION


SESSIONS: list[Session] = [
    Session(35, 1, date(1994, 1, 17), date(1996, 2, 2)),
    Session(35, 2, date(1996, 2, 27), date(1997, 4, 27)),
    Session(36, 1, date(1997, 9, 22), date(1999, 9, 18)),
    Session(36, 2, date(1999, 10, 12), date(2000, 10, 22)),
    Session(37, 1, date(2001, 1, 29), date(2002, 9, 16)),
    Session(37, 2, date(2002, 9, 30), date(2003, 11, 12)),
    Session(37, 3, date(2004, 2, 2), date(2004, 5, 23)),
    Session(38, 1, date(2004, 10, 4), date(2005, 11, 29)),
    Session(39, 1, date(2006, 4, 3), date(2007, 9, 14)),
    Session(39, 2, date(2007, 10, 16), date(2008, 9, 7)),
    Session(40, 1, date(2008, 11, 18), date(2008, 12, 4)),
    Session(40, 2, date(2009, 1, 26), date(2009, 12, 30)),
    Session(40, 3, date(2010, 3, 3), date(2011, 3, 26)),
    Session(41, 1, date(2011, 6, 2), date(2013, 9, 13)),
    Session(41, 2, date(2013, 10, 16), date(2015, 8, 2)),
    Session(42, 1, date(2015, 12, 3), date(2019, 9, 11)),
    Session(43, 1, date(2019, 12, 5), date(2020, 8, 18)),
    Session(43, 2, date(2020, 9, 23), date(2021, 8, 15)),
    # Prorogued on January 6, 2025; the Parliament was dissolved before a second session sat.
    Session(44, 1, date(2021, 11, 22), date(2025, 1, 6)),
    Session(45, 1, date(2025, 5, 26), None),
]

# The day each Parliament was dissolved. Adding one here changes `Petition.stage`'s expression:
# `makemigrations` then writes the migration that re-derives every petition's status.
DISSOLVED_ON: dict[int, date] = {
    35: date(1997, 4, 27),
    36: date(2000, 10, 22),
    37: date(2004, 5, 23),
    38: date(2005, 11, 29),
    39: date(2008, 9, 7),
    40: date(2011, 3, 26),
    41: date(2015, 8, 2),
    42: date(2019, 9, 11),
    43: date(2021, 8, 15),
    44: date(2025, 3, 23),
}
# Every Parliament up to this one has been dissolved (older ones, whose paper petitions the
# archive may hold, are not listed but long dissolved).
LAST_DISSOLVED = max(DISSOLVED_ON)

ORDINALS = {1: "st", 2: "nd", 3: "rd"}


def ordinal(n: int) -> str:
    """43rd in English; 43e in French (1re: législature and session are feminine)."""
    if (get_language() or "en").startswith("fr"):
        return "1re" if n == 1 else f"{n}e"
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


def dissolved_on(parliament: int | None) -> date | None:
    """The day that Parliament was dissolved; None while it sits (or if unknown)."""
    return DISSOLVED_ON.get(parliament) if parliament is not None else None


def label(parliament: int | None, session: int | None) -> str:
    """'43rd Parliament, 2nd session'; '2e session de la 43e législature' in French."""
    if parliament is None:
        return ""
    if not session:
        return _("%(parliament)s Parliament") % {"parliament": ordinal(parliament)}
    return _("%(parliament)s Parliament, %(session)s session") % {
        "parliament": ordinal(parliament),
        "session": ordinal(session),
    }
