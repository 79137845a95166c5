"""Each petition's summary: its own words, so that rows on a list can be told apart.

Most prayers open with the same formula ("We, the undersigned, citizens … call upon the House
of Commons to:"; "Nous, soussignés, … demandons … de :"). The summary drops it and keeps the
request: the prayer's first item when it has items, else the rest of the prayer; without a
prayer, the first grievance. It is cut at about 30 words, at a word boundary. It is stored
(`summary`, `summary_fr`) and rewritten by `refresh` after each import or edit by hand.
"""

import re

from django.utils.text import Truncator

WORDS = 30
OPENINGS = {
    "en": re.compile(
        r"^\s*(?:we,?\s+the\s+undersigned|(?:therefore,?\s+)?(?:we,?\s+)?(?:your\s+)?petitioners?)"
        r"\b.*?\b(?:call(?:s|ing)?\s+(?:up)?on|request|ask|urge|petition)\b.*?\bto\b\s*:?\s*",
        re.IGNORECASE | re.DOTALL,
    ),
    "fr": re.compile(
        r"^\s*(?:nous,?\s+(?:les\s+)?soussign\w*|(?:par\s+conséquent,?\s+)?(?:nous,?\s+)?"
        r"(?:les\s+|vos\s+)?pétitionnaires)\b.*?\b(?:demand\w*|pri\w*|exhort\w*|réclam\w*)\b"
        r".*?(?:\bde\b|\bd['’])\s*:?\s*",
        re.IGNORECASE | re.DOTALL,
    ),
}


def summarise(prayer: str, items: list[str], grievances: list[str], language: str) -> str:
    """A petition's summary in one language from that language's texts ("" without any)."""
    prayer = (prayer or "").strip()
    items = [i.strip() for i in items if i and i.strip()]
    opening = OPENINGS[language].match(prayer)
    rest = prayer[opening.end() :].strip() if opening else prayer
    text = items[0] if items and not rest else rest
    if not text:
        text = next((g.strip() for g in grievances if g and g.strip()), "")
    text = " ".join(text.split())
    return Truncator(text[:1].upper() + text[1:]).words(WORDS, truncate="…")


def summaries(petition) -> dict[str, str]:
    """`summary` and `summary_fr` of a petition whose items and grievances are prefetched."""
    items, grievances = list(petition.prayer_items.all()), list(petition.grievances.all())
    return {
        "summary": summarise(
            petition.prayer_text, [i.text for i in items], [g.text for g in grievances], "en"
        ),
        "summary_fr": summarise(
            petition.prayer_text_fr,
            [i.text_fr for i in items],
            [g.text_fr for g in grievances],
            "fr",
        ),
    }


def refresh(petition_ids: list[int] | None = None, petitions=None) -> int:
    """Rewrite the summaries of these petitions (all when None) that changed; how many did.

    `petitions` is the Petition manager (a migration passes its historical model's)."""
    if petitions is None:
        from petitions.models import Petition

        petitions = Petition.objects
    qs = petitions.all() if petition_ids is None else petitions.filter(pk__in=petition_ids)
    qs = qs.only("pk", "prayer_text", "prayer_text_fr", "summary", "summary_fr")
    changed = []
    for petition in qs.prefetch_related("prayer_items", "grievances").iterator(chunk_size=500):
        new = summaries(petition)
        if new != {"summary": petition.summary, "summary_fr": petition.summary_fr}:
            petition.summary, petition.summary_fr = new["summary"], new["summary_fr"]
            changed.append(petition)
    petitions.bulk_update(changed, ["summary", "summary_fr"], batch_size=500)
    return len(changed)
