"""A petition's change history, read from django-simple-history's records.

`record_history()` is what the public petition page shows ("Record history": first archived on,
then each correction, an import or an edit by hand, with its date and the public parts it
changed, however many on one day), in one query whatever the number of changes. `related_changes()` lists, for the admin, every change to a
petition's grievances, prayer items and responses with who made it and what it changed.
"""

import functools
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, models
from django.db.models import F, Value
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from petitions.compiled import PETITION_MARK, Compiled
from petitions.models import Grievance, Petition, PrayerItem
from responses.models import Response

# The petition's public fields, in the order of its page, under the name the page gives them.
PUBLIC_FIELDS: dict[str, str] = {
    "number": gettext_noop("Number"),
    "kind": gettext_noop("Kind"),
    "topic_id": gettext_noop("Topic"),
    "presented_number": gettext_noop("Presentation number"),
    "initiator_name": gettext_noop("Initiator"),
    "initiator_city": gettext_noop("Initiator"),
    "initiator_province": gettext_noop("Initiator"),
    "initiator_province_text": gettext_noop("Initiator"),
    "original_language": gettext_noop("Original language"),
    "addressee": gettext_noop("Addressed to"),
    "parliament": gettext_noop("Parliament"),
    "session": gettext_noop("Parliament"),
    "signatures": gettext_noop("Signatures"),
    "sponsor_id": gettext_noop("Sponsoring MP"),
    "presenter_id": gettext_noop("Presented by"),
    "opened_at": gettext_noop("Opened for signature"),
    "closed_at": gettext_noop("Closed for signature"),
    "presented_on": gettext_noop("Presented to the House"),
    "response_tabled_on": gettext_noop("Government response tabled"),
    "end_state": gettext_noop("Status"),
    "prayer_text": gettext_noop("Prayer"),
    # The French texts (a record holds both languages), named so.
    "initiator_province_text_fr": gettext_noop("Initiator (French)"),
    "addressee_fr": gettext_noop("Addressed to (French)"),
    "prayer_text_fr": gettext_noop("Prayer (French)"),
}
# The petition's numbered parts: model, label on the page, the public columns of each row.
PARTS: list[tuple[type, str, list[str]]] = [
    (Grievance, gettext_noop("Grievances"), ["position", "text"]),
    (PrayerItem, gettext_noop("Prayer items"), ["position", "text"]),
    (
        Response,
        gettext_noop("Government responses"),
        [
            "position",
            "portfolio_id",
            "signer_id",
            "signer_role",
            "text",
            "tabled_on",
            "sessional_paper",
        ],
    ),
    (Grievance, gettext_noop("Grievances (French)"), ["position", "text_fr"]),
    (PrayerItem, gettext_noop("Prayer items (French)"), ["position", "text_fr"]),
    (Response, gettext_noop("Government responses (French)"), ["position", "text_fr"]),
]
# The order in which a correction lists what changed: the order of the page.
LABEL_ORDER = [
    *dict.fromkeys(label for label in PUBLIC_FIELDS.values() if not label.startswith("Prayer")),
    gettext_noop("Grievances"),
    gettext_noop("Grievances (French)"),
    gettext_noop("Prayer"),
    gettext_noop("Prayer (French)"),
    gettext_noop("Prayer items"),
    gettext_noop("Prayer items (French)"),
    gettext_noop("Government responses"),
    gettext_noop("Government responses (French)"),
]


# The records of one change follow one another with one change reason and one user: an import
# saves the petition and then its parts row by row within moments, an edit by hand gives the
# record and all its parts one moment (`petitions.admin.mark_edited_by_hand`). A pause longer
# than this between two records starts a new change, even with the same reason and user.
SAME_CHANGE = timedelta(seconds=2)


@dataclass(frozen=True)
class Correction:
    on: date
    at: datetime
    changed: list[str]


@dataclass
class RecordHistory:
    first_archived_on: date | None
    corrections: list[Correction] = field(default_factory=list)


def _history_rows(model, part: str, columns: list[str], **where):
    """One model's history records in the shape all of them share, for one UNION query."""
    return (
        model.history.filter(**where)
        .order_by()
        .values(
            when=F("history_date"),
            part=Value(part, output_field=models.CharField()),
            record=F("history_id"),
            row=F("id"),
            change=F("history_type"),
            reason=F("history_change_reason"),
            user=F("history_user_id"),
            data=JSONObject(**{column: F(column) for column in columns}),
        )
    )


@functools.cache
def events_statement() -> Compiled:
    """The UNION of the seven history tables for one petition. Building and compiling it
    takes the ORM longer than PostgreSQL takes to run it, and only the petition changes: a
    process compiles it once, with a mark where the petition goes."""
    petition = _history_rows(Petition, "", list(PUBLIC_FIELDS), id=PETITION_MARK)
    parts = [_history_rows(m, label, c, petition_id=PETITION_MARK) for m, label, c in PARTS]
    return Compiled.of(petition.union(*parts, all=True), PETITION_MARK)


def _events(petition_pk: int) -> list[dict]:
    """Every history record of the petition and its parts, oldest first, in one query."""
    with connection.cursor() as cursor:
        statement = events_statement()
        cursor.execute(statement.sql, statement.params_with(petition_pk))
        names = [column.name for column in cursor.description]
        events = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for event in events:
        if isinstance(event["data"], str):  # Django reads jsonb as text
            event["data"] = json.loads(event["data"])
    events.sort(key=lambda event: (event["when"], event["part"], event["record"]))
    return events


def _changes(events: list[dict]) -> Iterator[list[dict]]:
    """The records grouped by the change (an import, an edit by hand) that made them."""
    change: list[dict] = []
    for event in events:
        if change and not _same_change(change[-1], event):
            yield change
            change = []
        change.append(event)
    if change:
        yield change


def _same_change(last: dict, event: dict) -> bool:
    same_origin = (last["reason"], last["user"]) == (event["reason"], event["user"])
    return same_origin and event["when"] - last["when"] <= SAME_CHANGE


def _snapshot(petition: dict, parts: dict[str, dict]) -> dict[str, Any]:
    """The public state: one comparable value per label."""
    state: dict[str, list] = defaultdict(list)
    for name, label in PUBLIC_FIELDS.items():
        state[label].append(petition.get(name))
    for _model, label, columns in PARTS:
        rows = parts[label].values()
        if columns[-1] == "text_fr":  # a French part: only the rows that have a French text
            rows = [row for row in rows if row["text_fr"]]
        state[label] = sorted(tuple(row[c] for c in columns) for row in rows)
    return {label: repr(value) for label, value in state.items()}


def record_history(petition: Petition) -> RecordHistory:
    """First archived on, then each change whose public state differs from the one before."""
    history = RecordHistory(timezone.localdate(petition.created_at))
    fields: dict[str, Any] = {}
    parts: dict[str, dict] = {label: {} for _m, label, _c in PARTS}
    previous = None
    for change in _changes(_events(petition.pk)):
        for event in change:
            if not event["part"]:
                fields = event["data"]
            elif event["change"] == "-":
                parts[event["part"]].pop(event["row"], None)
            else:
                parts[event["part"]][event["row"]] = event["data"]
        state = _snapshot(fields, parts)
        if previous is not None:  # the first change is the record first archived
            changed = [gettext(label) for label in LABEL_ORDER if state[label] != previous[label]]
            if changed:
                at = change[0]["when"]
                history.corrections.append(Correction(timezone.localdate(at), at, changed))
        previous = state
    return history


@dataclass
class PartChange:
    """One history record of a grievance, prayer item or response, for the admin."""

    when: datetime
    what: str
    action: str
    is_creation: bool
    user: str
    reason: str
    changes: list[tuple[str, Any, Any]]


def related_changes(petition_pk: int) -> list[PartChange]:
    """Every change to the petition's parts, newest first, each against the row's previous
    record (a few queries per kind of part, not per change)."""
    changes = []
    for model in dict.fromkeys(model for model, _label, _columns in PARTS):
        records = list(
            model.history.filter(petition_id=petition_pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        fields = [f for f in model._meta.concrete_fields if f.name not in ("id", "petition")]
        names = _related_names(model, fields, records)
        last: dict[int, Any] = {}
        for record in records:
            before = last.get(record.id)
            last[record.id] = record
            changes.append(
                PartChange(
                    when=record.history_date,
                    what=f"{model._meta.verbose_name.capitalize()} {record.position}",
                    action=record.get_history_type_display(),
                    is_creation=record.history_type == "+",
                    user=record.history_user.get_username() if record.history_user else "",
                    reason=record.history_change_reason or "",
                    changes=[]
                    if record.history_type == "-"
                    else _diff(fields, names, before, record),
                )
            )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes


def _related_names(model, fields, records) -> dict[tuple[str, Any], str]:
    """The names of the portfolios and signers the records point to, one query per field."""
    names = {}
    for f in fields:
        if f.is_relation:
            ids = {getattr(r, f.attname) for r in records} - {None}
            for pk, obj in f.related_model.objects.in_bulk(ids).items():
                names[(f.attname, pk)] = str(obj)
    return names


def _diff(fields, names, before, record) -> list[tuple[str, Any, Any]]:
    def shown(rec, f):
        value = getattr(rec, f.attname) if rec is not None else None
        return names.get((f.attname, value), value) if f.is_relation else value

    return [
        (str(f.verbose_name), shown(before, f), shown(record, f))
        for f in fields
        if before is None or shown(before, f) != shown(record, f)
    ]
