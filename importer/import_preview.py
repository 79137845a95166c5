"""What an import would change, in words and side by side, for the admin's preview.

The importer's dry run gives `field → (old, new)` in its own terms (see importer/write.py's
`values_from_data`); this turns that into labelled rows, one per field, grievance, prayer item
or response part, with long texts compared word by word.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from petitions.models import EndState, Kind, Language

LABELS = {
    "kind": "Kind",
    "presented_number": "Presentation number",
    "parliament": "Parliament",
    "session": "Session",
    "topic": "Topic",
    "initiator_name": "Initiator",
    "initiator_city": "Initiator's city",
    "initiator_province": "Initiator's province (code)",
    "initiator_province_text": "Initiator's province",
    "original_language": "Original language",
    "page_language": "Language of the page",
    "addressee": "Addressed to",
    "grievances": "Grievance",
    "prayer_text": "Prayer",
    "prayer_items": "Prayer item",
    "signatures": "Signatures",
    "opened_at": "Open for signature",
    "closed_at": "Closed for signature",
    "presented_on": "Presented to the House",
    "response_tabled_on": "Government response tabled",
    "end_state": "End state",
    "presenter": "Presented by",
    "sponsor": "Sponsoring MP",
    "responses": "Response",
}
PART_LABELS = {
    "name": "name",
    "riding": "riding",
    "caucus": "caucus",
    "province": "province",
    "portfolio": "responding office",
    "signed_by": "signed by",
    "text": "text",
    "tabled_on": "tabled on",
    "sessional_paper": "sessional paper",
}
CHOICES = {
    "kind": dict(Kind.choices),
    "original_language": dict(Language.choices),
    "page_language": dict(Language.choices),
    "end_state": dict(EndState.choices),
}
LONG = 80  # texts longer than this are compared word by word...
LONGEST_COMPARED = 20_000  # ...up to this length (beyond it, shown whole side by side)
_WORDS = re.compile(r"(\s+)")


@dataclass
class Row:
    """One line of the preview: what, before and after (as (kind, text) segments)."""

    label: str
    old: list[tuple[str, str]] = field(default_factory=list)
    new: list[tuple[str, str]] = field(default_factory=list)


def rows(changes: dict[str, tuple[Any, Any]]) -> list[Row]:
    """Every change, in the order of the page."""
    result = []
    for name in LABELS:
        if name not in changes:
            continue
        old, new = changes[name]
        if name in ("grievances", "prayer_items"):
            result += _list_rows(LABELS[name], old or [], new or [])
        elif name == "responses":
            result += _response_rows(old or [], new or [])
        elif name in ("presenter", "sponsor"):
            result += _member_rows(LABELS[name], old, new)
        elif shown(name, old) != shown(name, new):
            result.append(_row(LABELS[name], shown(name, old), shown(name, new)))
    return result


def shown(name: str, value: Any) -> str:
    """A stored value as staff read it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if name in CHOICES:
        return str(CHOICES[name].get(value, value))
    return str(value)


def _row(label: str, old: str, new: str) -> Row:
    if old and new and LONG < max(len(old), len(new)) <= LONGEST_COMPARED:
        old_parts, new_parts = word_diff(old, new)
        return Row(label, old_parts, new_parts)
    return Row(label, [("same", old)] if old else [], [("same", new)] if new else [])


def _list_rows(label: str, old: list[str], new: list[str]) -> list[Row]:
    result = []
    for i in range(max(len(old), len(new))):
        before = old[i] if i < len(old) else ""
        after = new[i] if i < len(new) else ""
        if before != after:
            result.append(_row(f"{label} {i + 1}", before, after))
    return result


def _member_rows(label: str, old: dict | None, new: dict | None) -> list[Row]:
    if not old or not new or old.get("name") != new.get("name"):
        return [_row(label, _member(old), _member(new))]
    return [
        _row(f"{label}: {PART_LABELS[key]}", shown(key, old.get(key)), shown(key, new.get(key)))
        for key in PART_LABELS
        if key in new and old.get(key) != new.get(key)
    ]


def _member(member: dict | None) -> str:
    if not member:
        return ""
    details = ", ".join(v for v in (member["riding"], member["caucus"], member["province"]) if v)
    return f"{member['name']} ({details})" if details else member["name"]


def _response_rows(old: list[dict], new: list[dict]) -> list[Row]:
    result = []
    for i in range(max(len(old), len(new))):
        before = old[i] if i < len(old) else {}
        after = new[i] if i < len(new) else {}
        for key in PART_LABELS:
            if key in before or key in after:
                a, b = shown(key, before.get(key)), shown(key, after.get(key))
                if a != b:
                    result.append(_row(f"Response {i + 1}: {PART_LABELS[key]}", a, b))
    return result


def word_diff(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Both texts as segments marked "same", "del" (only in the old) or "ins" (only in new)."""
    a, b = _WORDS.split(old), _WORDS.split(new)
    old_parts, new_parts = [], []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            old_parts.append(("same", "".join(a[i1:i2])))
            new_parts.append(("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            old_parts.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            new_parts.append(("ins", "".join(b[j1:j2])))
    return old_parts, new_parts
