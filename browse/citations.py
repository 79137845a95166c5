"""Ready citations of a petition's permanent page: APA, Chicago and BibTeX.

The House of Commons of Canada is the author (it publishes the petition and its response); the
date is the day the petition was presented (or opened, if it never was); the title is the House's
own heading, "Petition e-2835 (Foreign affairs)"; the URL is the canonical one.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.text import Truncator

AUTHOR = "House of Commons of Canada"
SITE = "Petition archive"
BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


@dataclass(frozen=True)
class Citations:
    url: str
    title: str
    description: str  # the prayer's opening words, for link previews
    apa: str
    chicago: str
    bibtex: str


MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def long_date(day: date) -> str:
    """November 27, 2020, whatever the server's locale."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def bibtex_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}").replace("~", r"\textasciitilde{}")
    text = text.replace("^", r"\textasciicircum{}")
    return BIBTEX_SPECIAL.sub(r"\\\1", text)


def title_of(petition) -> str:
    return f"Petition {petition.number} ({petition.topic.name})"


def dated_on(petition) -> date | None:
    """The petition's date for a citation: presented, or else opened for signature."""
    if petition.presented_on:
        return petition.presented_on
    return timezone.localdate(petition.opened_at) if petition.opened_at else None


def record(petition) -> str:
    """What the record is, with its dates: "Presented to the House of Commons on …; …"."""
    parts = []
    if petition.presented_on:
        number = (
            f" (Petition No. {petition.presented_number})"
            if petition.presented_number and petition.presented_number != petition.number
            else ""
        )
        parts.append(
            f"Presented to the House of Commons on {long_date(petition.presented_on)}{number}"
        )
    elif petition.opened_at:
        opened = timezone.localdate(petition.opened_at)
        parts.append(f"Opened for signature on {long_date(opened)}")
    if petition.response_tabled_on:
        parts.append(f"government response tabled on {long_date(petition.response_tabled_on)}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def apa(petition, url: str, accessed: date) -> str:
    day = dated_on(petition)
    when = f"{day.year}, {MONTHS[day.month - 1]} {day.day}" if day else "n.d."
    about = record(petition)
    detail = f" [{about}]" if about else ""
    return (
        f"{AUTHOR}. ({when}). {title_of(petition)}{detail}. {SITE}. "
        f"Retrieved {long_date(accessed)}, from {url}"
    )


def chicago(petition, url: str, accessed: date) -> str:
    about = record(petition)
    detail = f" {about}." if about else ""
    return (
        f"{AUTHOR}. “{title_of(petition)}.”{detail} {SITE}. Accessed {long_date(accessed)}. {url}."
    )


def bibtex(petition, url: str, accessed: date) -> str:
    day = dated_on(petition)
    fields = [
        ("author", f"{{{AUTHOR}}}"),
        ("title", f"{{{bibtex_escape(title_of(petition))}}}"),
    ]
    if day:
        fields += [("year", str(day.year)), ("date", day.isoformat())]
    fields += [
        ("howpublished", f"\\url{{{url}}}"),
        ("url", url),
        ("urldate", accessed.isoformat()),
    ]
    about = record(petition)
    fields.append(("note", bibtex_escape(f"{about}. {SITE}" if about else SITE)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    key = "petition-" + petition.number
    return f"@misc{{{key},\n{body}\n}}"


def cite(petition, request) -> Citations:
    """The three citations of a petition, with its absolute permanent URL and today's date."""
    url = request.build_absolute_uri(petition.get_absolute_url())
    prayer = " ".join([petition.prayer_text, *(i.text for i in petition.prayer_items.all())])
    accessed = timezone.localdate()
    return Citations(
        url=url,
        title=title_of(petition),
        description=Truncator(prayer).words(40),
        apa=apa(petition, url, accessed),
        chicago=chicago(petition, url, accessed),
        bibtex=bibtex(petition, url, accessed),
    )
