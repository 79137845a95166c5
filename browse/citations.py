"""Ready citations of a petition's permanent page: APA, Chicago and BibTeX.

The House of Commons of Canada is the author (it publishes the petition and its response); the
date is the day the petition was presented (or opened, if it never was); the title is the House's
own heading, "Petition e-2835 (Foreign affairs)"; the URL is the canonical one.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from petitions import citing
from petitions.citing import Citations, long_date

__all__ = ["Citations", "cite", "long_date"]

AUTHOR = gettext_lazy("House of Commons of Canada")


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


def cite(petition, request) -> Citations:
    """The three citations of a petition, with its absolute permanent URL and today's date."""
    work = citing.Work(
        author=str(AUTHOR),
        title=title_of(petition),
        day=dated_on(petition),
        about=record(petition),
        key="petition-" + petition.number,
    )
    url = request.build_absolute_uri(petition.get_absolute_url())
    return citing.cite(work, url, petition.local_summary.text)
