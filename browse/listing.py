"""What the list page shows beside the rows: search snippets for the page of results."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, Exists, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Coalesce, Concat

from browse import reads
from browse.facets import while_unchanged
from petitions import search
from petitions.i18n import active_language, other_language
from petitions.models import Grievance, Petition, PrayerItem
from responses.models import Response


def petition_for_number(q: str) -> Petition | None:
    """A query that is just a petition number (e2835, E-2835, 432-00309) goes straight to
    that petition."""
    number = search.petition_number(q)
    return Petition.objects.find(number) if number else None


def _joined(model, field: str) -> Coalesce:
    """The texts of a petition's grievances, prayer items or responses, in order ("" if none)."""
    return Coalesce(
        search.ordered_text(model, "petition", "\n\n", field), Value(""), output_field=TextField()
    )


FIELDS = {"en": "text", "fr": "text_fr"}


def _petition_text(field: str) -> Concat:
    """A petition's prayer, prayer items and grievances in one language."""
    prayer = "prayer_text" + field.removeprefix("text")
    return Concat(
        prayer,
        Value(" … "),
        _joined(PrayerItem, field),
        Value(" … "),
        _joined(Grievance, field),
        output_field=TextField(),
    )


def _written(model, field: str) -> Exists:
    return Exists(model.objects.filter(petition=OuterRef("pk")).exclude(**{field: ""}))


def _snippet(texts: dict[str, Concat], present: dict[str, Q], language: str):
    """A headline's text, the language it is in and its configuration: the page's language's
    text when it exists, else the other's (CASE in SQL, so one query for the whole page)."""
    other = other_language(language)
    when = present[language]
    text = Case(When(when, then=texts[language]), default=texts[other], output_field=TextField())
    lang = Case(When(when, then=Value(language)), default=Value(other))
    config = Case(
        When(when, then=Value(search.CONFIGS[language])), default=Value(search.CONFIGS[other])
    )
    return text, lang, config


def add_snippets(petitions: list[Petition], q: str) -> None:
    """Set `snippet` and `response_snippet` (escaped HTML, matches marked) on a page of results,
    from the texts in the active language when they exist, else the other's: then
    `snippet_lang` / `response_snippet_lang` name that other language ("" otherwise)."""
    if not petitions or not q:
        return
    query, language = search.highlight_query(q), active_language()
    texts = {lang: _petition_text(field) for lang, field in FIELDS.items()}
    present = {
        lang: ~Q(**{"prayer_text" + field.removeprefix("text"): ""}) | _written(Grievance, field)
        for lang, field in FIELDS.items()
    }
    text, lang, config = _snippet(texts, present, language)
    answers = {lang: _joined(Response, field) for lang, field in FIELDS.items()}
    answered = {lang: _written(Response, field) for lang, field in FIELDS.items()}
    answer, answer_lang, answer_config = _snippet(answers, answered, language)
    shown = Petition.objects.filter(pk__in=[p.pk for p in petitions])
    rows = shown.values_list(
        "pk",
        search.headline(text, query, config),
        lang,
        search.headline(answer, query, answer_config),
        answer_lang,
    )
    # A page kept under its reads asks again for the headlines' texts, not the headlines (the
    # search is in the page's address, so in its key).
    inputs = shown.values_list("pk", text, lang, config, answer, answer_lang, answer_config)
    with reads.standing_in(inputs):
        found = {row[0]: row[1:] for row in rows}
    for petition in petitions:
        text, lang, response, response_lang = found.get(petition.pk, ("", language, "", language))
        petition.snippet = search.marked(text, q)
        petition.snippet_lang = "" if lang == language else lang
        petition.response_snippet = search.marked(response, q)
        petition.response_snippet_lang = "" if response_lang == language else response_lang


def search_cap() -> int:
    """A search counts, ranks and facets at most this many matches (ARCHIVE_SEARCH_CAP)."""
    return settings.ARCHIVE_SEARCH_CAP


class ArchivePaginator(Paginator):
    """A paginator that may be told its count (a search's capped count) instead of counting.

    With `ids_first`, a page reads its rows' ids in the list's order, then those rows, in one
    statement (`pk IN (… LIMIT n)`): a filtered list finds its ids in an index holding both the
    filtered columns and the order's (`petition_facets`) without reading a row it does not show.
    Deep pages always skip rows in the index only."""

    def __init__(self, *args, known_count: int | None = None, ids_first: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.ids_first = ids_first
        if known_count is not None:
            self.count = known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < settings.ARCHIVE_DEFERRED_PAGING_FROM:
            page = super().page(number)
            if self.ids_first:  # the page's slice, as ids; an empty slice reads nothing (lazy)
                page.object_list = self.object_list.filter(pk__in=page.object_list.values("pk"))
            return page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def capped_count(qs) -> int:
    """How many rows match, counting no further than the cap + 1; cached until the archive
    changes, as counting the matches of a common word reads thousands of rows."""
    counted = qs.order_by().values("pk")[: search_cap() + 1]
    return while_unchanged(f"count|{counted.query}", counted.count)
