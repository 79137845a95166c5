"""Ready citations of a petition's permanent page: APA, Chicago and BibTeX.

The House of Commons of Canada is the author (it publishes the petition and its response); the
date is the day the petition was presented (or opened, if it never was); the title is the House's
own heading, "Petition e-2835 (Foreign affairs)"; the URL is the canonical one.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, gettext_lazy

AUTHOR = gettext_lazy("House of Commons of Canada")
SITE = gettext_lazy("Petition archive")
BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


@dataclass(frozen=True)
class Citations:
    url: str
    title: str
    description: str  # the petition's summary (its own words), for link previews
    apa: str
    chicago: str
    bibtex: str


def long_date(day: date) -> str:
    """November 27, 2020 (27 novembre 2020 on the French site), whatever the server's locale."""
    return date_format(day, "DATE_FORMAT")


def bibtex_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}").replace("~", r"\textasciitilde{}")
    text = text.replace("^", r"\textasciicircum{}")
    return BIBTEX_SPECIAL.sub(r"\\\1", text)


def title_of(petition) -> str:
    return _("Petition %(number)s (%(topic)s)") % {
        "number": petition.number,
        "topic": petition.topic.local_name.text,
    }


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
            " (" + _("Petition No. %(number)s") % {"number": petition.presented_number} + ")"
            if petition.presented_number and petition.presented_number != petition.number
            else ""
        )
        on = long_date(petition.presented_on)
        parts.append(_("Presented to the House of Commons on %(date)s") % {"date": on} + number)
    elif petition.opened_at:
        opened = timezone.localdate(petition.opened_at)
        parts.append(_("Opened for signature on %(date)s") % {"date": long_date(opened)})
    if petition.response_tabled_on:
        tabled = long_date(petition.response_tabled_on)
        parts.append(_("government response tabled on %(date)s") % {"date": tabled})
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def apa(petition, url: str, accessed: date) -> str:
    day = dated_on(petition)
    when = date_format(day, _("Y, F j")) if day else _("n.d.")
    about = record(petition)
    detail = f" [{about}]" if about else ""
    return f"{AUTHOR}. ({when}). {title_of(petition)}{detail}. {SITE}. " + _(
        "Retrieved %(date)s, from %(url)s"
    ) % {"date": long_date(accessed), "url": url}


def chicago(petition, url: str, accessed: date) -> str:
    about = record(petition)
    detail = f" {about}." if about else ""
    return (
        f"{AUTHOR}. “{title_of(petition)}.”{detail} {SITE}. "
        + _("Accessed %(date)s.") % {"date": long_date(accessed)}
        + f" {url}."
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
    accessed = timezone.localdate()
    return Citations(
        url=url,
        title=title_of(petition),
        description=petition.local_summary.text,
        apa=apa(petition, url, accessed),
        chicago=chicago(petition, url, accessed),
        bibtex=bibtex(petition, url, accessed),
    )
