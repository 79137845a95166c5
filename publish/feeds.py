"""Atom feeds of new petitions and new responses, for the whole archive or any filtered list.

Both feeds take the list's query parameters (`/feeds/petitions/?topic=health`); a bad value is
the list's 400. `sort` and `page` are checked but play no part: a feed is always newest first.
Each entry's id is its permanent URL, so a reader never sees the same entry twice.
An entry is dated by the petition's own events (opened, presented, response tabled), never by
the day the archive imported it. Each feed names a static XSLT (static/feeds/atom.xsl) that a
browser applies, so a person who opens a feed reads a page, not raw XML.
"""

import re
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import QueryDict
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _, gettext_lazy
from django.utils.xmlutils import SimplerXMLGenerator

from browse.filters import day_start, parameter_label
from browse.views import Selection, bad_request
from petitions.models import Member, Petition, Topic
from responses.models import Portfolio, Response, Signer

ENTRIES = 50
IGNORED = ("page", "sort")
NAMED = {"topic": Topic, "minister": Portfolio, "signed_by": Signer, "sponsor": Member}


XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0


def names_of(model, slugs: list[str]) -> list[str]:
    """The names of what these slugs name, in the page's language (a slug naming nothing
    stays as is); a topic or portfolio by either language's slug or an alias's, in one query."""
    if not hasattr(model.objects, "for_slugs"):
        names = dict(model.objects.filter(slug__in=slugs).values_list("slug", "name"))
        return [names.get(v, v) for v in slugs]
    found = {}
    for row in model.objects.filter(Q(slug__in=slugs) | Q(slug_fr__in=slugs)).select_related(
        "alias_of"
    ):
        found[row.slug] = found[row.slug_fr] = str(row.alias_of or row)
    return [found.get(v, v) for v in slugs]


class XML10Generator(SimplerXMLGenerator):
    """Text as XML 1.0 can carry it: a control character a visitor typed into a search (which
    the feed's title repeats) is left out instead of failing the whole feed."""

    def characters(self, content):
        super().characters(XML_UNSAFE.sub("", content) if content else content)


class StyledAtom1Feed(Atom1Feed):
    """Atom with its `<?xml-stylesheet?>` instruction, after the XML declaration."""

    def write(self, outfile, encoding):
        handler = XML10Generator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


def petition_events(petition: Petition) -> list[datetime]:
    """When the petition was opened for signature, presented and answered, in that order."""
    days = (petition.presented_on, petition.response_tabled_on)
    opened = [petition.opened_at] if petition.opened_at else []
    return opened + [day_start(day) for day in days if day]


class Listed:
    """A feed's subject: the list's parameters and the petitions they select."""

    def __init__(self, params: QueryDict):
        self.params = QueryDict(mutable=True)
        for name, values in params.lists():
            if name not in IGNORED and (kept := [v for v in values if v.strip()]):
                self.params.setlist(name, kept)
        self.selection = Selection(params)
        if self.selection.errors():
            raise ValueError("a feed is only made of valid parameters")  # the view answers 400
        data = self.selection.filterset.form.cleaned_data
        # The filters in use (cleaned values), without `page` and `sort`.
        self.chosen = {
            k: v for k, v in data.items() if v not in (None, "", []) and k not in IGNORED
        }

    def described(self) -> str:
        """The filters in words, slugs turned into names: “topic: Foreign affairs; search: pipeline”."""
        parts = []
        for name, values in self.chosen.items():
            if model := NAMED.get(name):
                values = names_of(model, values)
            elif not isinstance(values, list):
                values = [self.params.get(name)]
            either = " " + _("or") + " "
            parts.append(f"{parameter_label(name)}: {either.join(map(str, values))}")
        return "; ".join(parts)

    def link(self, view_name: str) -> str:
        return reverse(view_name) + (f"?{self.params.urlencode()}" if self.params else "")


class ListFeed(Feed):
    feed_type = StyledAtom1Feed
    author_name = gettext_lazy("Petition archive")
    what = ""

    def __call__(self, request, *args, **kwargs):
        if errors := Selection(request.GET).errors():
            return bad_request(request, errors)
        response = super().__call__(request, *args, **kwargs)
        if request.headers.get("accept", "").startswith("text/html"):
            # A browser opening the feed: Chromium shows `application/atom+xml` as plain text,
            # but styles `application/xml` with the feed's XSLT. Feed readers keep Atom's type.
            response.headers["Content-Type"] = "application/xml; charset=utf-8"
            patch_vary_headers(response, ["Accept"])
        return response

    def get_object(self, request, *args, **kwargs) -> Listed:
        return Listed(request.GET)

    def title(self, listed: Listed) -> str:
        described = listed.described()
        return f"{self.what} — {described}" if described else self.what

    def link(self, listed: Listed) -> str:
        return listed.link("petitions:list")

    def feed_url(self, listed: Listed) -> str:
        return listed.link(self.view_name)

    def stylesheets(self) -> list[Stylesheet]:
        return [Stylesheet(static("feeds/atom.xsl"), mimetype="text/xsl", media=None)]


class PetitionFeed(ListFeed):
    """The petitions most recently added to the archive, of all or of a filtered list."""

    what = gettext_lazy("New petitions")
    view_name = "petitions:feed-petitions"

    def subtitle(self, listed: Listed) -> str:
        return _("Petitions to the House of Commons, newest in the archive first.")

    def items(self, listed: Listed):
        qs = listed.selection.filterset.qs.select_related("topic")
        return qs.order_by("-id")[:ENTRIES]

    def item_title(self, petition: Petition) -> str:
        return f"{petition.number}: {petition.topic.local_name}"

    def item_description(self, petition: Petition) -> str:
        when = petition.presented_on or (
            petition.opened_at and timezone.localdate(petition.opened_at)
        )
        return format_html(
            "<p>{}</p><p>{}{}</p>",
            petition.local_summary.text,
            petition.get_status_display(),
            f" · {_('presented') if petition.presented_on else _('opened')} {when:%Y-%m-%d}"
            if when
            else "",
        )

    def item_categories(self, petition: Petition) -> list[str]:
        return [petition.topic.local_name.text]

    def item_pubdate(self, petition: Petition) -> datetime:
        """Opened for signature; a paper petition, presented (its first event)."""
        events = petition_events(petition)
        return events[0] if events else petition.created_at

    def item_updateddate(self, petition: Petition) -> datetime:
        """The petition's latest event: its response, presentation or opening."""
        return max(petition_events(petition), default=petition.created_at)


class ResponseFeed(ListFeed):
    """The latest government responses, to all petitions or to those of a filtered list.

    With `minister` or `signed_by`, only that portfolio's or signer's responses.
    """

    what = gettext_lazy("New responses")
    view_name = "petitions:feed-responses"

    def subtitle(self, listed: Listed) -> str:
        return _("Government responses to petitions, latest tabled first.")

    def items(self, listed: Listed):
        qs = Response.objects.public().for_list().latest_first()
        chosen = listed.chosen
        if chosen:
            selected = listed.selection.filterset.qs.order_by().values("pk")
            qs = qs.filter(petition__in=selected)
        if "minister" in chosen:
            qs = qs.filter(portfolio__in=Portfolio.objects.for_slugs(chosen["minister"]))
        if "signed_by" in chosen:
            qs = qs.filter(signer__slug__in=chosen["signed_by"])
        return qs[:ENTRIES]

    def item_title(self, response: Response) -> str:
        return f"{response} ({response.petition.topic.local_name})"

    def item_description(self, response: Response) -> str:
        paragraphs = [text for _anchor, text in response.local_paragraphs[:2]]
        if not paragraphs and response.sessional_paper:
            paper = {"paper": response.sessional_paper}
            paragraphs = [_("Tabled as Sessional Paper No. %(paper)s.") % paper]
        signer = {"name": response.signer.name} if response.signer_id else None
        signed = _("Signed by %(name)s.") % signer if signer else ""
        return format_html(
            "{}<p>{}</p>", format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs)), signed
        )

    def item_categories(self, response: Response) -> list[str]:
        return [response.petition.topic.local_name.text]

    def item_pubdate(self, response: Response) -> datetime:
        if response.tabled_on:
            return day_start(response.tabled_on)
        return response.petition.updated_at

    def item_updateddate(self, response: Response) -> datetime:
        return self.item_pubdate(response)
