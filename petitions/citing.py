"""Ready citations of any record of the archive (a petition, a context document): APA, Chicago
and BibTeX, from its author, title, date and what it is. `browse.citations` and
`documents.citations` say who wrote each kind of record and when."""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, gettext_lazy

SITE = gettext_lazy("Petition archive")
BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


@dataclass(frozen=True)
class Citations:
    url: str
    title: str
    description: str  # the record's own words, for link previews
    apa: str
    chicago: str
    bibtex: str


@dataclass(frozen=True)
class Work:
    """What a citation says of a record. An empty `author` puts the title first."""

    author: str
    title: str
    day: date | None
    about: str  # what the record is, with its dates: "Presented to the House of Commons on …"
    key: str  # the BibTeX key


def long_date(day: date) -> str:
    """November 27, 2020 (27 novembre 2020 on the French site), whatever the server's locale."""
    return date_format(day, "DATE_FORMAT")


def bibtex_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}").replace("~", r"\textasciitilde{}")
    text = text.replace("^", r"\textasciicircum{}")
    return BIBTEX_SPECIAL.sub(r"\\\1", text)


def apa(work: Work, url: str, accessed: date) -> str:
    when = date_format(work.day, _("Y, F j")) if work.day else _("n.d.")
    detail = f" [{work.about}]" if work.about else ""
    named = f"{work.title}{detail}"
    head = f"{work.author}. ({when}). {named}." if work.author else f"{named}. ({when})."
    return f"{head} {SITE}. " + _("Retrieved %(date)s, from %(url)s") % {
        "date": long_date(accessed),
        "url": url,
    }


def chicago(work: Work, url: str, accessed: date) -> str:
    detail = f" {work.about}." if work.about else ""
    author = f"{work.author}. " if work.author else ""
    return (
        f"{author}“{work.title}.”{detail} {SITE}. "
        + _("Accessed %(date)s.") % {"date": long_date(accessed)}
        + f" {url}."
    )


def bibtex(work: Work, url: str, accessed: date) -> str:
    fields = [("author", f"{{{bibtex_escape(work.author)}}}")] if work.author else []
    fields.append(("title", f"{{{bibtex_escape(work.title)}}}"))
    if work.day:
        fields += [("year", str(work.day.year)), ("date", work.day.isoformat())]
    fields += [
        ("howpublished", f"\\url{{{url}}}"),
        ("url", url),
        ("urldate", accessed.isoformat()),
    ]
    fields.append(("note", bibtex_escape(f"{work.about}. {SITE}" if work.about else str(SITE))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{work.key},\n{body}\n}}"


def cite(work: Work, url: str, description: str) -> Citations:
    """The three citations of a record at this absolute URL, retrieved today."""
    accessed = timezone.localdate()
    return Citations(
        url=url,
        title=work.title,
        description=description,
        apa=apa(work, url, accessed),
        chicago=chicago(work, url, accessed),
        bibtex=bibtex(work, url, accessed),
    )
