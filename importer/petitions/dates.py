"""Dates and times as the petition pages print them, in English and in French."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/Toronto")

_I = re.IGNORECASE

_MONTHS = {
    1: "january jan janvier janv",
    2: "february feb février fevrier févr fevr fév fev",
    3: "march mar mars",
    4: "april apr avril avr",
    5: "may mai",
    6: "june jun juin",
    7: "july jul juillet juil",
    8: "august aug août aout",
    9: "september sep sept septembre",
    10: "october oct octobre",
    11: "november nov novembre",
    12: "december dec décembre decembre déc",
}
MONTHS = {name: number for number, names in _MONTHS.items() for name in names.split()}

_WEEKDAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s*,?\s+)?"
)
_LEAD = r"^\s*(?:(?:on|le)\s+)?" + _WEEKDAY
_DAY_FIRST = re.compile(
    _LEAD + r"(?:le\s+)?(?P<day>\d{1,2})(?:er|re|e)?\s+(?P<month>[^\W\d_]+)\.?,?\s+(?P<year>\d{4})",
    _I,
)
_MONTH_FIRST = re.compile(
    _LEAD + r"(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(?P<year>\d{4})",
    _I,
)
_ISO = re.compile(r"^\s*(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")

_TIME_12 = re.compile(
    r"^\s*,?\s*(?:at|à)?\s*(?P<h>\d{1,2})(?:\s*[:h.]\s*(?P<m>\d{2}))?\s*(?P<ap>[ap])\.?\s?m\b\.?",
    _I,
)
_TIME_24 = re.compile(
    r"^\s*,?\s*(?:at|à)?\s*(?P<h>\d{1,2})\s*(?::\s*(?P<m>\d{2})|h\b\s*(?P<hm>\d{2})?)", _I
)
# What may follow a moment: nothing, or the time zone ("(EDT)", "(HAE)", "EST").
_ZONE_TAIL = re.compile(r"^[\s,.]*(?:\([^()\d]{1,40}\)|[A-Z]{2,4})?[\s.]*$")
# The time zone that closes a printed moment: "(EDT)", "(HAE)", "EST".
_ZONE_END = re.compile(r"(?:\([^()\d]{1,40}\)|\b[A-Z]{2,4})[\s.]*$")
_NOON = re.compile(r"^\s*,?\s*(?:at|à)?\s*(?P<word>noon|midi|midnight|minuit)\b", _I)


def _month(name: str) -> int | None:
    key = name.casefold().rstrip(".")
    if key in MONTHS:
        return MONTHS[key]
    plain = "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))
    return MONTHS.get(plain)


def split_date(text: str) -> tuple[date, str] | None:
    """Read a date at the start of text; return it and the text after it."""
    for pattern in (_MONTH_FIRST, _DAY_FIRST, _ISO):
        found = pattern.match(text)
        if not found:
            continue
        raw_month = found["month"]
        month = int(raw_month) if raw_month.isdigit() else _month(raw_month)
        if month is None:
            continue
        try:
            day = date(int(found["year"]), month, int(found["day"]))
        except ValueError:
            return None
        return day, text[found.end() :]
    return None


def _split_time(text: str) -> tuple[time, str] | None:
    """Read a time of day at the start of text; return it and the text after it."""
    found = _NOON.match(text)
    if found:
        hour = 12 if found["word"].casefold() in ("noon", "midi") else 0
        return time(hour), text[found.end() :]
    found = _TIME_12.match(text)
    if found:
        hour, minute = int(found["h"]), int(found["m"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if found["ap"].casefold() == "p" else 0)
        return time(hour, minute), text[found.end() :]
    found = _TIME_24.match(text)
    if found:
        hour, minute = int(found["h"]), int(found["m"] or found["hm"] or 0)
        if hour > 23 or minute > 59:
            return None
        return time(hour, minute), text[found.end() :]
    return None


def parse_moment(text: str) -> datetime | None:
    """Read "September 15, 2020, at 3:23 p.m. (EDT)" or "5 décembre 2016 à 11 h 31 (HAE)".

    The result is aware, in America/Toronto: the site prints Eastern time (EDT/EST, HAE/HNE).
    A date without a time is taken at midnight. Anything after the time but a time zone (a
    time cut short, say) makes the text unreadable: None.
    """
    parts = split_date(text)
    if parts is None:
        return None
    day, rest = parts
    clock = _split_time(rest)
    moment, rest = clock if clock else (time(0), rest)
    if not _ZONE_TAIL.match(rest):
        return None
    return datetime.combine(day, moment, tzinfo=EASTERN)


def parse_day(text: str) -> date | None:
    """Read a date at the start of text, ignoring what follows it."""
    parts = split_date(text)
    return parts[0] if parts else None


def has_zone(text: str) -> bool:
    """True when a moment ends with its time zone, as every complete one on the site does."""
    return bool(_ZONE_END.search(text))
