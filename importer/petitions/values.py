"""A petition's values as the importer compares them: the facts and one language's texts.

A page is in one language. Its values are the facts that do not depend on language (numbers,
dates, signatures, MPs' names, sessional papers, the responses' count and dates) and the texts
of its language (addressee, grievances, prayer, the topic's, portfolio's and caucus's names,
ridings, the province as printed, the responses' texts). `stored_values` reads a record in the
same form for one language, so a French page is compared with the French texts and the facts,
never with the English texts.
"""

from typing import Any

from importer.petitions.data import MemberData, PetitionData
from importer.petitions.normalise import (
    ENGLISH_CAUCUSES,
    caucus_name,
    portfolio_name,
    province_code,
)
from importer.petitions.removals import is_empty
from petitions import parliaments
from petitions.i18n import text_in
from petitions.models import Member, Petition
from petitions.pairs import counterpart

FACTS = (
    "kind", "presented_number", "parliament", "session", "initiator_name", "initiator_city",
    "initiator_province", "original_language", "signatures", "opened_at", "closed_at",
    "presented_on", "response_tabled_on", "end_state", "keywords",
)  # fmt: skip
TEXTS = ("initiator_province_text", "addressee", "prayer_text")
# Facts an English page sets; a French page sets them only when none is stored.
ENGLISH_WINS = ("initiator_name", "initiator_city")
RESPONSE_FACTS = ("signed_by", "tabled_on", "sessional_paper")


def column(name: str, language: str) -> str:
    """The column of a text in a language: `addressee` or `addressee_fr`."""
    return name if language == "en" else f"{name}_fr"


def presented_number(data: PetitionData) -> str | None:
    return data.number if data.kind == "paper" else data.presented_number


def caucus_in(text: str | None, language: str) -> str:
    """The caucus's name in the page's language: 'Caucus Libéral' → 'Libéral' on a French
    page (known parties by `petitions.pairs`), 'Liberal Caucus' → 'Liberal' on an English one."""
    english = caucus_name(text)
    if language == "en" or not english:
        return english
    if english in ENGLISH_CAUCUSES:
        return counterpart("caucus", english, "en") or english
    return english


def member_values(member: MemberData | None, language: str) -> dict | None:
    if member is None:
        return None
    return {
        "name": member.name,
        "riding": member.riding or "",
        "caucus": caucus_in(member.caucus, language),
        "province": province_code(member.province),
    }


def values_from_data(data: PetitionData) -> dict[str, Any]:
    """Everything the archive shows of a petition from this page, its texts in its language."""
    parliament, session = parliaments.from_presentation_number(presented_number(data))
    if parliament is None and data.opened_at:
        parliament, session = parliaments.session_on(data.opened_at.date())
    tabled, language = data.response_tabled_on, data.page_language
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
        "presenter": member_values(data.presenter, language),
        "sponsor": member_values(data.sponsor, language),
        "responses": [
            {
                "portfolio": portfolio_name(r.portfolio or "", language),
                "signed_by": r.signed_by or "",
                "text": "\n\n".join(r.paragraphs),
                "tabled_on": r.tabled_on or tabled,
                "sessional_paper": r.sessional_paper or "",
            }
            for r in data.responses
        ],
    }


def stored_member(member: Member | None, seen: dict | None, language: str) -> dict | None:
    """A stored MP compared only on what the page prints (pages often omit riding or province)."""
    if member is None:
        return None
    stored = {
        "name": member.name,
        "riding": text_in(member, language, "riding"),
        "caucus": member.caucus.name_in(language) if member.caucus_id else "",
        "province": member.province,
    }
    if seen:
        stored.update({k: v for k, v in seen.items() if not v})
    return stored


def texts_in(rows, language: str) -> list[str]:
    """One language's texts of numbered rows, without the blank rows the other language adds."""
    texts = [text_in(row, language) for row in rows]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def stored_values(p: Petition, language: str, seen: dict | None = None) -> dict[str, Any]:
    """The record's facts and its texts in `language`, in the form of `values_from_data`."""
    values = {name: getattr(p, name) for name in FACTS}
    values.update({name: getattr(p, column(name, language)) for name in TEXTS})
    values.update(
        topic=p.topic.name_in(language),
        grievances=texts_in(p.grievances.all(), language),
        prayer_items=texts_in(p.prayer_items.all(), language),
        presenter=stored_member(p.presenter, (seen or {}).get("presenter"), language),
        sponsor=stored_member(p.sponsor, (seen or {}).get("sponsor"), language),
        responses=[
            {
                "portfolio": r.portfolio.name_in(language) if r.portfolio_id else "",
                "signed_by": r.signer.name if r.signer_id else "",
                "text": text_in(r, language),
                "tabled_on": r.tabled_on,
                "sessional_paper": r.sessional_paper,
            }
            for r in p.responses.all()
        ],
    )
    return values


def older_capture(page: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """The page's values with the facts it lacks taken from the record.

    For a page in one language when the record holds a page of the other language: the
    other page was captured later (with the presentation, a response…), so what this one
    lacks is not taken away; its texts are still compared and written.
    """
    merged = dict(page)
    for name in (*FACTS, "presenter", "sponsor"):
        if is_empty(page.get(name)) and not is_empty(stored.get(name)):
            merged[name] = stored[name]
    if merged["presented_number"] != page["presented_number"]:
        merged["parliament"], merged["session"] = stored["parliament"], stored["session"]
    responses = [dict(r) for r in page["responses"]]
    for position, before in enumerate(stored["responses"]):
        if position >= len(responses):
            responses.append(dict(before))
            continue
        for part in RESPONSE_FACTS:
            if is_empty(responses[position][part]):
                responses[position][part] = before[part]
    merged["responses"] = responses
    return merged


def english_wins(page: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """A French page's values with the names an English page gave kept."""
    merged = dict(page)
    for name in ENGLISH_WINS:
        if stored.get(name):
            merged[name] = stored[name]
    merged["responses"] = [dict(r) for r in page["responses"]]
    for new, before in zip(merged["responses"], stored["responses"], strict=False):
        if before["signed_by"]:
            new["signed_by"] = before["signed_by"]
    return merged
