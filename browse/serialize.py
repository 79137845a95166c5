"""The public JSON form of a petition (SPEC.md's keys are a contract: add, never rename), in
Python: the reference that `petition_sql`, which writes the JSON twin and the exports, is tested
against field by field.

Texts are the record's in the active language (`/fr/…` gives the French ones); a text the
record holds only in the other language is given in that one and named in `text_languages`.
"""

from typing import Any

from django.utils.translation import gettext as _

from petitions.i18n import Localised, active_language
from petitions.models import Member, Petition


def iso(value) -> str | None:
    return value.isoformat() if value else None


class Texts:
    """Collects the fields whose text is in the other language than the one asked for."""

    def __init__(self):
        self.fallbacks: list[dict[str, str]] = []

    def __call__(self, field: str, value):
        """The text(s) of `value` (a Localised or a list of them), noting a fallback."""
        first = value[0] if isinstance(value, list) and value else value
        if isinstance(first, Localised) and first.is_fallback:
            self.fallbacks.append({"field": field, "language": first.lang})
        return [v.text for v in value] if isinstance(value, list) else value.text


def member_json(member: Member | None, texts: Texts, role: str) -> dict | None:
    if member is None:
        return None
    return {
        "name": member.name,
        "riding": texts(f"{role}.riding", member.local_riding) or None,
        "caucus": texts(f"{role}.caucus", member.caucus.local_name) if member.caucus_id else None,
        "province": member.get_province_display() or None,
    }


def languages_of(p: Petition) -> list[str]:
    """The languages the record holds: those of the pages it was imported from, else those of
    its texts (else the language it was entered in)."""
    held = [lang for lang, page in (("en", p.source_en_id), ("fr", p.source_fr_id)) if page]
    if not held:
        texts = {"en": p.prayer_text or p.addressee, "fr": p.prayer_text_fr or p.addressee_fr}
        held = [lang for lang, text in texts.items() if text] or [p.page_language]
    return held


def source_json(p: Petition) -> dict:
    """The imported page of the language shown (else the latest page of any language)."""
    page = p.page_of(active_language()) or p.latest_source
    return {
        "imported_at": iso(page.imported_at) if page else None,
        "content_hash": page.content_hash if page else None,
        "language": page.language if page else None,
    }


def response_json(r, texts: Texts, n: int) -> dict:
    text = r.local_text
    return {
        "portfolio": texts(f"responses.{n}.portfolio", r.portfolio.local_name)
        if r.portfolio_id
        else None,
        "signed_by": r.signer.name if r.signer_id else None,
        "tabled_on": iso(r.tabled_on),
        "sessional_paper": r.sessional_paper or None,
        "text": texts(f"responses.{n}.text", text) or None,
        "paragraphs": [paragraph for _anchor, paragraph in r.local_paragraphs],
    }


def petition_json(p: Petition, base_url: str) -> dict[str, Any]:
    texts = Texts()
    initiator = None
    if p.initiator_name:
        initiator = {
            "name": p.initiator_name,
            "city": p.initiator_city or None,
            "province": texts("initiator.province", p.local_province_text) or None,
        }
    return {
        "number": p.number,
        "url": base_url + p.get_absolute_url(),
        "official_urls": p.official_urls,
        "kind": p.kind,
        "topic": {"name": texts("topic", p.topic.local_name), "slug": p.topic.local_slug},
        "initiator": initiator,
        "original_language": p.original_language or None,
        "addressee": texts("addressee", p.local_addressee),
        "summary": texts("summary", p.local_summary),
        "keywords": list(p.keywords),
        "grievances": texts("grievances", p.local_grievances()),
        "prayer": {
            "text": texts("prayer.text", p.local_prayer_text),
            "items": texts("prayer.items", p.local_prayer_items()),
        },
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
        "sponsor": member_json(p.sponsor, texts, "sponsor"),
        "presenter": member_json(p.presenter, texts, "presenter"),
        "responses": [response_json(r, texts, n) for n, r in enumerate(p.responses.all(), 1)],
        "response_days": p.response_days,
        "response_deadline": {
            "due_on": iso(p.response_due_on),
            "state": p.deadline,
            "rule": _(
                "The government has 45 calendar days from presentation to table a response "
                "(Standing Order 36(8)(a))."
            ),
        },
        "source": source_json(p),
        "languages": languages_of(p),
        "text_languages": texts.fallbacks,
    }
