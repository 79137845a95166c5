"""What the list page shows beside the rows: search snippets for the page of results."""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat

from browse.facets import while_unchanged
from petitions import search
from petitions.models import Grievance, Petition, PrayerItem
from responses.models import Response

NUMBER = re.compile(r"^\s*([eE]-[0-9]{1,6}|[0-9]{3}-[0-9]{5})\s*$")


def petition_for_number(q: str) -> Petition | None:
    """A query that is just a petition number goes straight to that petition."""
    match = NUMBER.match(q or "")
    return Petition.objects.find(match.group(1)) if match else None


def _joined(model) -> Subquery:
    """The texts of a petition's grievances, prayer items or responses, in order."""
    return search.ordered_text(model, "petition", "\n\n")


def add_snippets(petitions: list[Petition], q: str) -> None:
    """Set `snippet` and `response_snippet` (escaped HTML, matches marked) on a page of results."""
    if not petitions or not q:
        return
    query = search.query(q)
    petition_text = Concat(
        "prayer_text",
        Value(" … "),
        Coalesce(_joined(PrayerItem), Value(""), output_field=TextField()),
        Value(" … "),
        Coalesce(_joined(Grievance), Value(""), output_field=TextField()),
        output_field=TextField(),
    )
    rows = Petition.objects.filter(pk__in=[p.pk for p in petitions]).values_list(
        "pk",
        search.headline(petition_text, query),
        search.headline(Coalesce(_joined(Response), Value(""), output_field=TextField()), query),
    )
    found = {pk: (text, response) for pk, text, response in rows}
    for petition in petitions:
        text, response = found.get(petition.pk, ("", ""))
        petition.snippet = search.marked(text)
        petition.response_snippet = search.marked(response)


def search_cap() -> int:
    """A search counts, ranks and facets at most this many matches (ARCHIVE_SEARCH_CAP)."""
    return settings.ARCHIVE_SEARCH_CAP


class ArchivePaginator(Paginator):
    """A paginator that may be told its count (a search's capped count) instead of counting."""

    def __init__(self, *args, known_count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if known_count is not None:
            self.count = known_count

    def page(self, number):
        """Deep pages skip rows in the index only (ids), then fetch just the page's rows."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < settings.ARCHIVE_DEFERRED_PAGING_FROM:
            return super().page(number)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def capped_count(qs) -> int:
    """How many rows match, counting no further than the cap + 1; cached until the archive
    changes, as counting the matches of a common word reads thousands of rows."""
    counted = qs.order_by().values("pk")[: search_cap() + 1]
    return while_unchanged(f"count|{counted.query}", counted.count)
