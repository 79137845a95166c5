"""Write parsed petition data: one atomic upsert per page, keyed on the petition number."""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from importer.petitions import derived, parse, removals
from importer.petitions.data import MalformedPage, MemberData, PetitionData
from importer.petitions.normalise import caucus_name, province_code
from petitions import parliaments
from petitions.models import Caucus, Member, Petition, Topic
from responses.models import Portfolio, Signer

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class Outcome:
    number: str
    action: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    removals: list[str] = field(default_factory=list)  # what the update takes away, in words


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
    with transaction.atomic():
        with connection.cursor() as cursor:  # serialise concurrent imports of one petition
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [data.number])
        petition = Petition.objects.for_detail().filter(number=data.number).first()
        check_presented_number(data)
        new = values_from_data(data)
        old = stored_values(petition, seen=new) if petition else {}
        changes = {k: (old.get(k), v) for k, v in new.items() if old.get(k) != v}
        if petition is not None and not changes:
            return Outcome(data.number, UNCHANGED)
        lost = removals.find(old, new)
        if lost and not allow_removals:
            raise removals.RemovalRefused(lost)
        outcome = Outcome(data.number, UPDATED if petition else CREATED, changes, lost)
        if not dry_run:
            reason = f"Imported from {source}" + (" (removals allowed)" if lost else "")
            save(petition or Petition(number=data.number), data, raw, source, imported_by, reason)
        return outcome


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


def presented_number(data: PetitionData) -> str | None:
    return data.number if data.kind == "paper" else data.presented_number


def member_values(member: MemberData | None) -> dict | None:
    if member is None:
        return None
    return {
        "name": member.name,
        "riding": member.riding or "",
        "caucus": caucus_name(member.caucus),
        "province": province_code(member.province),
    }


def values_from_data(data: PetitionData) -> dict[str, Any]:
    """Everything the archive shows of a petition, in the form `stored_values` reads back."""
    parliament, session = parliaments.from_presentation_number(presented_number(data))
    if parliament is None and data.opened_at:
        parliament, session = parliaments.session_on(data.opened_at.date())
    tabled = data.response_tabled_on
    return {
        "kind": data.kind,
        "presented_number": presented_number(data),
        "parliament": parliament,
        "session": session,
        "topic": data.topic,
        "initiator_name": data.initiator_name or "",
        "initiator_city": data.initiator_city or "",
        "initiator_province": province_code(data.initiator_province),
        "initiator_province_text": data.initiator_province or "",
        "original_language": data.original_language or "",
        "page_language": data.page_language,
        "addressee": data.addressee,
        "grievances": list(data.grievances),
        "prayer_text": data.prayer_text,
        "prayer_items": list(data.prayer_items),
        "signatures": data.signatures,
        "opened_at": data.opened_at,
        "closed_at": data.closed_at,
        "presented_on": data.presented_on,
        "response_tabled_on": tabled,
        "end_state": data.end_state or "",
        "keywords": list(data.keywords),
        "presenter": member_values(data.presenter),
        "sponsor": member_values(data.sponsor),
        "responses": [
            {
                "portfolio": r.portfolio or "",
                "signed_by": r.signed_by or "",
                "text": "\n\n".join(r.paragraphs),
                "tabled_on": r.tabled_on or tabled,
                "sessional_paper": r.sessional_paper or "",
            }
            for r in data.responses
        ],
    }


def stored_member(member: Member | None, seen: dict | None) -> dict | None:
    """A stored MP compared only on what the page prints (pages often omit riding or province)."""
    if member is None:
        return None
    stored = {
        "name": member.name,
        "riding": member.riding,
        "caucus": member.caucus.name if member.caucus_id else "",
        "province": member.province,
    }
    if seen:
        stored.update({k: v for k, v in seen.items() if not v})
    return stored


def stored_values(p: Petition, seen: dict | None = None) -> dict[str, Any]:
    fields = [
        "kind", "presented_number", "parliament", "session", "initiator_name", "initiator_city",
        "initiator_province", "initiator_province_text", "original_language", "page_language",
        "addressee", "prayer_text", "signatures", "opened_at", "closed_at", "presented_on",
        "response_tabled_on", "end_state", "keywords",
    ]  # fmt: skip
    values = {name: getattr(p, name) for name in fields}
    values.update(
        topic=p.topic.name,
        grievances=[g.text for g in p.grievances.all()],
        prayer_items=[i.text for i in p.prayer_items.all()],
        presenter=stored_member(p.presenter, (seen or {}).get("presenter")),
        sponsor=stored_member(p.sponsor, (seen or {}).get("sponsor")),
        responses=[
            {
                "portfolio": r.portfolio.name if r.portfolio_id else "",
                "signed_by": r.signer.name if r.signer_id else "",
                "text": r.text,
                "tabled_on": r.tabled_on,
                "sessional_paper": r.sessional_paper,
            }
            for r in p.responses.all()
        ],
    )
    return values


def save(
    petition: Petition, data: PetitionData, raw: bytes, source: str, imported_by: str, reason: str
):
    """Write the page's values; `reason` is the history's change reason (its user: the request's)."""
    values = values_from_data(data)
    for name in (
        "kind", "presented_number", "parliament", "session", "initiator_name", "initiator_city",
        "initiator_province", "initiator_province_text", "original_language", "page_language",
        "addressee", "prayer_text", "signatures", "opened_at", "closed_at", "presented_on",
        "response_tabled_on", "end_state", "keywords",
    ):  # fmt: skip
        setattr(petition, name, values[name])
    petition.topic = named(Topic, data.topic)
    petition.presenter = upsert_member(values["presenter"])
    petition.sponsor = upsert_member(values["sponsor"])
    petition._change_reason = reason
    petition.save()
    replace_children(petition, values, reason)
    derived.refresh(petition.pk)
    keep_source(petition, raw, source, imported_by)


def keep_source(owner, raw: bytes, source: str, imported_by: str) -> None:
    """Record the imported version of a petition's or document's page as its latest source."""
    record = owner.sources.create(
        source=source[:1000],
        raw_text=parse.decode(raw),
        content_hash=hashlib.sha256(raw).hexdigest(),
        imported_by=imported_by,
    )
    type(owner).objects.filter(pk=owner.pk).update(latest_source=record)


def replace_children(petition: Petition, values: dict[str, Any], reason: str) -> None:
    """The grievances, prayer items and responses, rewritten position by position."""
    grievances = [{"text": text} for text in values["grievances"]]
    prayer_items = [{"text": text} for text in values["prayer_items"]]
    responses = [
        {
            "portfolio": named(Portfolio, r["portfolio"]),
            "signer": named(Signer, r["signed_by"]),
            "text": r["text"],
            "tabled_on": r["tabled_on"],
            "sessional_paper": r["sessional_paper"],
        }
        for r in values["responses"]
    ]
    sync_rows(petition, petition.grievances.all(), grievances, reason)
    sync_rows(petition, petition.prayer_items.all(), prayer_items, reason)
    sync_rows(petition, petition.responses.all(), responses, reason)


def sync_rows(petition: Petition, existing, rows: list[dict[str, Any]], reason: str) -> None:
    """Make a petition's numbered rows these: update what differs, add, delete the rest.

    Row by row (or simple_history's bulk helper), so every change lands in the history; a
    plain bulk_create or queryset delete would skip it.
    """
    model = existing.model
    stored = {row.position: row for row in existing}
    added = []
    for position, fields in enumerate(rows, start=1):
        row = stored.pop(position, None)
        if row is None:
            added.append(model(petition=petition, position=position, **fields))
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            row._change_reason = reason
            row.save()
    for row in stored.values():
        row._change_reason = reason
        row.delete()
    if added:
        bulk_create_with_history(added, model, default_change_reason=reason)


def named(model, name: str):
    """The row of a name-and-slug model (topic, portfolio, signer), created on first sight."""
    if not name:
        return None
    obj = model.objects.filter(name=name).first()
    return obj or model.objects.create(name=name, slug=unique_slug(model, name))


def unique_slug(model, name: str) -> str:
    base = slugify(name)[:180] or "unnamed"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def upsert_member(values: dict | None) -> Member | None:
    """Find an MP by name; fill in or update what this page prints about them."""
    if values is None:
        return None
    member = Member.objects.filter(name=values["name"]).first()
    if member is None:
        member = Member(name=values["name"], slug=unique_slug(Member, values["name"]))
    if values["riding"]:
        member.riding = values["riding"]
    if values["province"]:
        member.province = values["province"]
    if values["caucus"]:
        member.caucus = named(Caucus, values["caucus"])
    member.save()
    return member
