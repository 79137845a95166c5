"""Write parsed petition data: one atomic upsert per page, keyed on the petition number.

A page is in one language: it is compared with, and writes, the facts and its language's
texts (`values`); the other language's texts are never touched.
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from importer.petitions import derived, parse, removals
from importer.petitions.data import MalformedPage, PetitionData
from importer.petitions.names import paired, upsert_member
from importer.petitions.values import (
    FACTS,
    TEXTS,
    column,
    english_wins,
    older_capture,
    presented_number,
    stored_values,
    values_from_data,
)
from petitions.models import Grievance, Petition, PrayerItem, Topic
from petitions.vocabulary import unique_slug
from responses.models import Portfolio, Response, Signer

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
LANGUAGE_NAMES = {"en": "English", "fr": "French"}


@dataclass
class Outcome:
    number: str
    action: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    removals: list[str] = field(default_factory=list)  # what the update takes away, in words
    language: str = "en"  # the page's language: its texts are what `changes` compares


def import_page(
    raw: bytes,
    source: str,
    imported_by: str,
    dry_run: bool = False,
    allow_removals: bool = False,
) -> Outcome:
    """Parse one page and upsert it. Raises a PageError (and writes nothing) if it cannot.

    A page that would remove part of the stored record (see `removals`) is refused with
    `RemovalRefused` unless `allow_removals`; the history then says removals were allowed.
    """
    data = parse.parse_page(raw)
    check(data)
    language = data.page_language
    with transaction.atomic():
        with connection.cursor() as cursor:  # serialise concurrent imports of one petition
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [data.number])
        petition = Petition.objects.for_detail().filter(number=data.number).first()
        check_presented_number(data)
        new, old = compared_values(petition, data)
        changes = {k: (old.get(k), v) for k, v in new.items() if old.get(k) != v}
        if petition is not None and not changes:
            return Outcome(data.number, UNCHANGED, language=language)
        lost = removals.find(old, new)
        if lost and not allow_removals:
            raise removals.RemovalRefused(lost)
        outcome = Outcome(data.number, UPDATED if petition else CREATED, changes, lost, language)
        if not dry_run:
            reason = change_reason(source, language, bool(lost))
            petition = petition or Petition(number=data.number)
            save(petition, data, new, raw, source, imported_by, reason)
        return outcome


def change_reason(source: str, language: str, removals_allowed: bool) -> str:
    """ "Imported from FILE", naming a French page and allowed removals."""
    notes = ["French page"] if language == "fr" else []
    notes += ["removals allowed"] if removals_allowed else []
    return f"Imported from {source}" + "".join(f" ({note})" for note in notes)


def compared_values(petition: Petition | None, data: PetitionData) -> tuple[dict, dict]:
    """The page's values and the record's, in the page's language (see `values`)."""
    new = values_from_data(data)
    if petition is None:
        return new, {}
    language = data.page_language
    old = stored_values(petition, language, seen=new)
    if language == "fr":
        new = english_wins(new, old)
    other_page = petition.source_fr_id if language == "en" else petition.source_en_id
    if other_page:
        new = older_capture(new, old)
    return new, old


def check(data: PetitionData) -> None:
    """The House's order of events; the database enforces the same rules."""
    if data.opened_at and data.closed_at and data.closed_at < data.opened_at:
        raise MalformedPage("the page says the petition closed before it opened")
    if (
        data.presented_on
        and data.response_tabled_on
        and data.response_tabled_on < data.presented_on
    ):
        raise MalformedPage(
            "the page says the response was tabled before the petition was presented"
        )


def check_presented_number(data: PetitionData) -> None:
    number = presented_number(data)
    if not number:
        return
    other = Petition.objects.filter(presented_number=number).exclude(number=data.number).first()
    if other:
        raise MalformedPage(
            f"presentation number {number} already belongs to petition {other.number}"
        )


def save(
    petition: Petition,
    data: PetitionData,
    values: dict[str, Any],
    raw: bytes,
    source: str,
    imported_by: str,
    reason: str,
):
    """Write the facts and the page's language's texts; `reason` is the history's change
    reason (its user: the request's)."""
    language = data.page_language
    for name in FACTS:
        setattr(petition, name, values[name])
    for name in TEXTS:
        setattr(petition, column(name, language), values[name])
    petition.page_language = language
    current = petition.topic if petition.topic_id else None
    petition.topic = paired(Topic, current, values["topic"], language)
    petition.presenter = upsert_member(values["presenter"], language)
    petition.sponsor = upsert_member(values["sponsor"], language)
    petition._change_reason = reason
    petition.save()
    replace_children(petition, values, language, reason)
    derived.refresh(petition.pk)
    keep_source(petition, raw, source, imported_by, language)


def keep_source(owner, raw: bytes, source: str, imported_by: str, language: str = "") -> None:
    """Record the imported version of a petition's or document's page as its latest source
    (for a petition, also as the latest page of its language)."""
    kept = {"language": language} if language else {}
    record = owner.sources.create(
        source=source[:1000],
        raw_text=parse.decode(raw),
        content_hash=hashlib.sha256(raw).hexdigest(),
        imported_by=imported_by,
        **kept,
    )
    latest = {"latest_source": record}
    if language:
        latest[f"source_{language}"] = record
    type(owner).objects.filter(pk=owner.pk).update(**latest)


def language_rows(existing, texts: list[str], language: str) -> list[dict[str, Any]]:
    """Numbered rows with this language's texts; the other language's rows stay as they are."""
    count = max(len(existing), len(texts))
    return [{column("text", language): texts[i] if i < len(texts) else ""} for i in range(count)]


def replace_children(petition: Petition, values: dict[str, Any], language: str, reason: str):
    """The grievances, prayer items and responses, rewritten position by position."""
    stored = list(petition.responses.all())
    responses = []
    for position, r in enumerate(values["responses"]):
        row = stored[position] if position < len(stored) else None
        current = row.portfolio if row and row.portfolio_id else None
        portfolio = paired(Portfolio, current, r["portfolio"], language)
        if not r["portfolio"] and current and current.name_in(language):
            portfolio = None  # a removal the page was allowed to make
        responses.append(
            {
                "portfolio": portfolio,
                "signer": named(Signer, r["signed_by"]),
                column("text", language): r["text"],
                "tabled_on": r["tabled_on"],
                "sessional_paper": r["sessional_paper"],
            }
        )
    for name, model in (("grievances", Grievance), ("prayer_items", PrayerItem)):
        rows = list(getattr(petition, name).all())
        sync_rows(petition, model, rows, language_rows(rows, values[name], language), reason)
    sync_rows(petition, Response, stored, responses, reason)


def sync_rows(petition: Petition, model, existing, rows: list[dict[str, Any]], reason: str):
    """Make a petition's numbered rows these: update what differs, add, delete the rest.

    A grievance or prayer item left with no text in either language is deleted. Row by row
    (or simple_history's bulk helper), so every change lands in the history; a plain
    bulk_create or queryset delete would skip it.
    """
    stored = {row.position: row for row in existing}
    added = []
    for position, fields in enumerate(rows, start=1):
        row = stored.pop(position, None)
        if row is None:
            added.append((position, fields))
        elif any(getattr(row, name) != value for name, value in fields.items()):
            row._change_reason = reason
            if textless(row, fields):
                row.delete()  # recorded with the text it had
                continue
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
    for row in stored.values():
        row._change_reason = reason
        row.delete()
    if added:
        objs = [model(petition=petition, position=p, **f) for p, f in added]
        bulk_create_with_history(objs, model, default_change_reason=reason)


def textless(row, fields: dict[str, Any]) -> bool:
    """A grievance or prayer item left with no text in either language (a response is a fact)."""
    texts = {"text": row.text, "text_fr": row.text_fr, **fields}
    return not isinstance(row, Response) and not (texts["text"] or texts["text_fr"])


def named(model, name: str):
    """The row of a name-and-slug model (a signer; an English topic, portfolio or caucus),
    created on first sight."""
    if not name:
        return None
    obj = model.objects.filter(name=name).first()
    return obj or model.objects.create(name=name, slug=unique_slug(model, name))
