"""What a page would take away from a stored petition, in plain words.

The House does not take back a presentation or a response: a page that holds less than the
archive (one cut off part-way, or an older copy) would remove part of the public record. The
writer compares the stored values with the page's (both in the form of `write.values_from_data`)
and refuses such a page unless removals are allowed. The comparison is generic over the values:
a value that was present and would become empty, a list that would get shorter, a list entry or
a part of one (a response's text) that would be emptied. A new field is covered as it comes.
"""

from datetime import date, datetime
from typing import Any

from django.utils import dateformat, timezone

from importer.petitions.data import PageError

# Values that go together on the page, named as one thing.
GROUPS = {
    "presented_on": ("the presentation", ("presented_on", "presented_number")),
    "presented_number": ("the presentation", ("presented_on", "presented_number")),
    "opened_at": ("the signing dates", ("opened_at", "closed_at")),
    "closed_at": ("the signing dates", ("opened_at", "closed_at")),
    "parliament": ("the parliament and session", ("parliament", "session")),
    "session": ("the parliament and session", ("parliament", "session")),
}
NAMES = {
    "topic": "the topic",
    "initiator_name": "the initiator's name",
    "initiator_city": "the initiator's city",
    "initiator_province": "the initiator's province",
    "initiator_province_text": "the initiator's province as printed",
    "original_language": "the original language",
    "addressee": "the addressee",
    "prayer_text": "the prayer text",
    "signatures": "the signature count",
    "response_tabled_on": "the date the government response was tabled",
    "end_state": "the end state",
    "presenter": "the presenter",
    "sponsor": "the sponsor",
}
ENTRIES = {"grievances": "grievance", "prayer_items": "prayer item", "responses": "response"}
PARTS = {
    "portfolio": "the responding office",
    "signed_by": "the signer",
    "text": "the text",
    "tabled_on": "the tabled date",
    "sessional_paper": "the sessional paper number",
    "riding": "the riding",
    "caucus": "the caucus",
    "province": "the province",
}
SHORT = 60  # characters of a long text quoted in a message


class RemovalRefused(PageError):
    """The page would remove part of a stored record, and removals were not allowed."""

    def __init__(self, removals: list[str]):
        self.removals = removals
        super().__init__(
            "the page holds less than the archive's record (cut off part-way, or an older "
            f"copy?) and would remove: {sentence(removals)}"
        )


def sentence(removals: list[str]) -> str:
    return ", ".join(removals)


def find(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Everything of `old` that `new` would lose, in the order of the values, in plain words."""
    found, grouped = [], set()
    for name, before in old.items():
        after = new.get(name)
        if name in GROUPS:
            words, members = GROUPS[name]
            lost = [shown(old[m]) for m in members if m in old and is_lost(old[m], new.get(m))]
            if lost and words not in grouped:
                grouped.add(words)
                found.append(f"{words} ({', '.join(lost)})")
        elif isinstance(before, list) and isinstance(after, list):
            found += lost_entries(name, before, after)
        elif isinstance(before, dict) and isinstance(after, dict):
            found += lost_parts(name_of(name), before, after)
        elif is_lost(before, after):
            found.append(f"{name_of(name)} ({shown(before)})")
    return found


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def is_lost(before: Any, after: Any) -> bool:
    return not is_empty(before) and is_empty(after)


def name_of(name: str) -> str:
    return NAMES.get(name, "the " + name.replace("_", " "))


def lost_entries(name: str, before: list, after: list) -> list[str]:
    """A list's entries that would go (it gets shorter) or be emptied (in whole or in part)."""
    entry = ENTRIES.get(name) or name.replace("_", " ").removesuffix("s")
    found = []
    for position, value in enumerate(before, start=1):
        label = f"{entry} {position}" if name != "responses" else "the government response"
        if position > len(after) or is_lost(value, after[position - 1]):
            found.append(f"{label} ({shown(value)})")
        elif isinstance(value, dict) and isinstance(after[position - 1], dict):
            found += lost_parts(f"{label} ({shown(value)})", value, after[position - 1])
    return found


def lost_parts(owner: str, before: dict, after: dict) -> list[str]:
    """A record (an MP, a response) that would go, or the parts of it that would be emptied."""
    if is_empty(after):
        return [f"{owner} ({shown(before)})"] if not is_empty(before) else []
    return [
        f"{PARTS.get(key, 'the ' + key.replace('_', ' '))} ({shown(value)}) of {owner}"
        for key, value in before.items()
        if is_lost(value, after.get(key))
    ]


def shown(value: Any) -> str:
    """A value as a person reads it: a date in words, a record by its first given part."""
    if isinstance(value, datetime):
        return dateformat.format(timezone.localtime(value), "F j, Y")
    if isinstance(value, date):
        return dateformat.format(value, "F j, Y")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return next((shown(v) for v in value.values() if not is_empty(v)), "")
    if isinstance(value, list):
        return "; ".join(shown(v) for v in value)
    text = " ".join(str(value).split())
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"
