"""The public JSON form of a petition (SPEC.md's keys are a contract: add, never rename)."""

from typing import Any

from django.utils.translation import gettext as _

from petitions.models import Member, Petition


def iso(value) -> str | None:
    return value.isoformat() if value else None


def member_json(member: Member | None) -> dict | None:
    if member is None:
        return None
    return {
        "name": member.name,
        "riding": member.riding or None,
        "caucus": member.caucus.name if member.caucus_id else None,
        "province": member.get_province_display() or None,
    }


def petition_json(p: Petition, base_url: str) -> dict[str, Any]:
    initiator = None
    if p.initiator_name:
        initiator = {
            "name": p.initiator_name,
            "city": p.initiator_city or None,
            "province": p.initiator_province_text or None,
        }
    return {
        "number": p.number,
        "url": base_url + p.get_absolute_url(),
        "official_urls": p.official_urls,
        "kind": p.kind,
        "topic": {"name": p.topic.name, "slug": p.topic.slug},
        "initiator": initiator,
        "original_language": p.original_language or None,
        "addressee": p.addressee,
        "keywords": list(p.keywords),
        "grievances": [g.text for g in p.grievances.all()],
        "prayer": {"text": p.prayer_text, "items": [i.text for i in p.prayer_items.all()]},
        "status": p.status,
        "presented_number": p.presented_number,
        "parliament": p.parliament,
        "session": p.session,
        "signatures": p.signatures,
        "timeline": {
            "opened_at": iso(p.opened_at),
            "closed_at": iso(p.closed_at),
            "presented_on": iso(p.presented_on),
            "response_tabled_on": iso(p.response_tabled_on),
        },
        "sponsor": member_json(p.sponsor),
        "presenter": member_json(p.presenter),
        "responses": [
            {
                "portfolio": r.portfolio.name if r.portfolio_id else None,
                "signed_by": r.signer.name if r.signer_id else None,
                "tabled_on": iso(r.tabled_on),
                "sessional_paper": r.sessional_paper or None,
                "text": r.text or None,
                "paragraphs": [text for _anchor, text in r.paragraphs],
            }
            for r in p.responses.all()
        ],
        "response_days": p.response_days,
        "response_deadline": {
            "due_on": iso(p.response_due_on),
            "state": p.deadline,
            "rule": _(
                "The government has 45 calendar days from presentation to table a response "
                "(Standing Order 36(8)(a))."
            ),
        },
        "source": {
            "imported_at": iso(p.latest_source.imported_at) if p.latest_source_id else None,
            "content_hash": p.latest_source.content_hash if p.latest_source_id else None,
        },
    }
