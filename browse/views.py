import json
from functools import partial

from django.db import connection
from django.db.models import Func, OrderBy, Q
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import ListView

from browse.citations import cite
from browse.facets import FACETS, chips, facets, kept_counts, while_unchanged
from browse.filters import SORT_LABELS, SORTS, PetitionFilter, responded_by
from browse.fragments import fragment_key
from browse.history import record_history
from browse.listing import (
    ArchivePaginator,
    add_snippets,
    capped_count,
    petition_for_number,
    search_cap,
)
from browse.models import FacetTally
from browse.stored_json import fill_in_background, find_stored, json_query
from documents.views import document_matches, related_documents, topic_documents
from petitions import search
from petitions.i18n import reduce
from petitions.models import NEWEST_FIRST, Member, Petition, Topic
from petitions.withdrawal import gone, gone_json
from responses.models import Portfolio, Response
from responses.reuse import shared_paragraphs, similar_prayers


def home(request):
    context = {
        "petitions": Petition.objects.public().for_list().newest_first()[:10],
        "responses": Response.objects.public().for_list().latest_first()[:10],
        "topics": while_unchanged("home-topics", topics_by_size),
    }
    request.keyed_on_reads = True  # kept under what it reads (`browse.reads`)
    return render(request, "petitions/home.html", context)


def topics_by_size() -> list[Topic]:
    """Every topic with its number of public petitions, largest first: the counts the
    triggers keep (`browse.models.FacetTally`), not a count of the archive."""
    counts = dict(FacetTally.objects.filter(facet="topic").values_list("value", "n"))
    topics = list(Topic.objects.listed())
    for topic in topics:
        topic.count = counts.get(str(topic.pk), 0)
    return sorted(topics, key=lambda t: (-t.count, str(t)))


def canonical(request, number: str, view_name: str):
    """The petition for any form of its number, or a permanent redirect to its canonical URL;
    for a withdrawn petition, under any form of its number, 410 Gone."""
    petition = Petition.objects.for_detail().find(number)
    if petition is None:
        raise Http404(f"No petition numbered {number} is in the archive.")
    if petition.withdrawn_at:
        as_json = view_name == "petitions:detail-json"
        return None, gone_json(petition) if as_json else gone(request, petition, petition.number)
    if petition.number != number:
        return None, HttpResponsePermanentRedirect(reverse(view_name, args=[petition.number]))
    return petition, None


def petition_detail(request, number: str):
    petition, redirect = canonical(request, number, "petitions:detail")
    if redirect:
        return redirect
    context = {"petition": petition, "record_history": record_history(petition)}
    context["related_documents"] = related_documents(petition)
    context["citations"] = cite(petition, request)
    context["shared_paragraphs"] = shared_paragraphs(petition)
    context["similar_prayers"] = similar_prayers(petition)
    return render(request, "petitions/petition_detail.html", context)


def petition_json(request, number: str):
    """The petition's JSON as PostgreSQL writes it (`petition_sql`, as for every export),
    stored (`stored_json`): one query, where building the page's models took four (tests check
    it against `serialize.petition_json`, field by field). Not stored yet, built in a second
    query, and stored by a background fill. A number in another form, a withdrawn petition or
    none: as the page (`canonical`)."""
    language, base = reduce(translation.get_language()), request.build_absolute_uri("/")[:-1]
    asked = getattr(request, "stored_json", None)  # with the twin's key (`page_keys`)
    if asked and asked[:3] == (language, base, number):
        found = asked[3]
    else:
        found = find_stored(language, base, number)
    if found is None or found[1] != number or found[2]:
        return canonical(request, number, "petitions:detail-json")[1]
    text = found[3]
    if text is None:
        query = json_query(language, base, f"SELECT {int(found[0])} AS id")
        with connection.cursor() as cursor:
            cursor.execute(query, [])  # no parameters, but its percent signs are doubled
            text = cursor.fetchone()[1]
        fill_in_background()
    data = json.loads(text)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


# Parameters the search form sets itself; every other active filter rides along hidden.
OWN_FIELDS = {"q", "page", "sort"} | {
    f"{step}_{end}" for step in ("opened", "presented", "responded") for end in ("from", "to")
}


def page_query(params) -> str:
    """The query string without `page`, ready for `?{{ page_query }}page=N`."""
    params = params.copy()
    params.pop("page", None)
    return params.urlencode() + "&" if params else ""


class Selection:
    """The petitions a list's parameters select, in the list's order.

    The list page, its CSV and JSON exports and its feeds all start here, so they agree on the
    rows and their order. A search with more matches than the archive ranks one by one (`broad`)
    is ordered newest first, as the page says.
    """

    def __init__(self, params: QueryDict, base=None):
        # Every list, export, feed and facet count starts here: withdrawn petitions never do.
        self.base = (Petition.objects.all() if base is None else base).public()
        self.filterset = PetitionFilter(params, queryset=self.base)

    def errors(self) -> list[str]:
        """One line per bad parameter; empty when every parameter parses."""
        return [] if self.filterset.is_valid() else self.filterset.errors_text()

    @cached_property
    def match_count(self) -> int | None:
        """A search's match count, counted no further than the cap + 1; None without a search."""
        return capped_count(self.filterset.qs) if self.filterset.search_text else None

    @property
    def broad(self) -> bool:
        """A search with more matches than the archive ranks and counts one by one."""
        return self.match_count is not None and self.match_count > search_cap()

    def ordered(self):
        qs = self.filterset.qs
        if self.broad and self.filterset.chosen_sort == "relevance":
            qs = qs.order_by(*NEWEST_FIRST)
        elif self.match_count is not None and self.filterset.chosen_sort != "relevance":
            qs = qs.order_by(*from_the_matches(SORTS[self.filterset.chosen_sort]))
        return qs


def from_the_matches(order: list[OrderBy]) -> list[OrderBy]:
    """The same order, in a form no index provides, for a search of at most the cap matches.

    Sorted by an indexed column, a search lets PostgreSQL choose between walking that index
    until enough rows match and sorting the matches. It guesses the share of matches from the
    words' statistics, and for a rare word it guesses hundreds of times too many, walks the
    whole index and reads every petition (0.75 s at 100,000, ten times more at a million).
    The count is known by then (`match_count`, at most the cap): sorting that many is cheap."""
    first, *rest = order
    fenced = Func(first.expression, template="(%(expressions)s + 0)")
    return [
        OrderBy(fenced, descending=first.descending, nulls_first=first.nulls_first,
                nulls_last=first.nulls_last),
        *rest,
    ]  # fmt: skip


def bad_request(request, errors: list[str]):
    return render(request, "400.html", {"errors": errors}, status=400)


def data_links(params: QueryDict) -> dict[str, str]:
    """The CSV, JSON and Atom twins of the list these parameters select (without `page`)."""
    query = QueryDict(mutable=True)
    for name, values in params.lists():
        if name != "page" and (kept := [v for v in values if v.strip()]):
            query.setlist(name, kept)
    unsorted = query.copy()
    unsorted.pop("sort", None)

    def link(view_name: str, params: QueryDict) -> str:
        return reverse(view_name) + (f"?{params.urlencode()}" if params else "")

    return {
        "csv": link("petitions:list-csv", query),
        "json": link("petitions:list-json", query),
        "feed": link("petitions:feed-petitions", unsorted),
        "responses_feed": link("petitions:feed-responses", unsorted),
    }


def shown_sorts(chosen: str, base, params: QueryDict, selected, sample=None) -> dict:
    """The sorts worth offering: "Most signatures" only when a petition of the selection
    (`selected`: `base` filtered by `params`) has a count (cached with the facets), or when it
    is the chosen sort.

    For a broad search the selection is its newest matches, `sample` (sliced). Asked as
    `pk IN (sample) … LIMIT 1`, PostgreSQL may walk every signed petition against the matches,
    seconds when the first it reads are not among them; the sample is read once instead."""
    sorts = dict(SORT_LABELS)
    if chosen != "signatures":
        counted = {k: sorted(params.getlist(k)) for k in sorted(params) if k != "page"}
        signed = (
            selected.filter(signatures__isnull=False).exists
            if sample is None
            else partial(any_signed_among, sample)
        )
        if not while_unchanged(f"signed|{base.query}|{counted}", signed):
            del sorts["signatures"]
    return sorts


def any_signed_among(sample) -> bool:
    """Whether a petition of `sample` (sliced `values("signatures")`) has a count."""
    sql, params = sample.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM ({sql}) s WHERE s.signatures IS NOT NULL)", params
        )
        return cursor.fetchone()[0]


class PetitionListView(ListView):
    """The filtered, faceted, sorted list; also the base of the topic, portfolio and MP pages."""

    template_name = "petitions/petition_list.html"
    context_object_name = "petitions"
    paginate_by = 25
    document_group = True  # with `q`, the documents that match too

    def base_queryset(self):
        return Petition.objects.all()

    def list_params(self) -> QueryDict:
        """The parameters that select this list's petitions from the whole archive."""
        return self.request.GET

    def get(self, request, *args, **kwargs):
        self.selection = Selection(request.GET, self.base_queryset())
        self.filterset = self.selection.filterset
        if errors := self.selection.errors():
            return bad_request(request, errors)
        if petition := petition_for_number(self.filterset.search_text):
            return redirect(petition)
        self.match_count = self.selection.match_count
        if self.match_count == 1 and search.bare_number(self.filterset.search_text):
            return redirect(self.selection.ordered().first())
        # Kept under what it reads (`browse.reads`), unless it reads a broad search's sample.
        request.keyed_on_reads = not self.broad
        return super().get(request, *args, **kwargs)

    @property
    def broad(self) -> bool:
        return self.selection.broad

    def get_queryset(self):
        return self.selection.ordered().for_list()

    def get_paginator(self, queryset, per_page, **kwargs):
        known = self.match_count
        if known is None:  # as the facets read it, when the triggers keep it
            kept = kept_counts(self.request.GET, self.selection.base, self.cube_scope())
            known = None if kept is None else kept[0]
        ids_first = not self.filterset.search_text  # a search ranks or sorts its matches anyway
        return ArchivePaginator(
            queryset, per_page, known_count=known, ids_first=ids_first, **kwargs
        )

    def cube_scope(self) -> dict | None:
        """The list's base in the kept counts' terms (`facets.cube_choices`): every public
        petition."""
        return {}

    def newest_matches(self):
        """A search's matches newest first: a broad search counts and facets the first
        `search_cap()` of them."""
        return self.filterset.qs.order_by(*NEWEST_FIRST)

    def facet_base(self):
        """What the facets count: for a broad search, its newest matches up to the cap."""
        if not self.broad:
            return self.selection.base, self.request.GET
        params = self.request.GET.copy()
        params.pop("q")
        sample = self.newest_matches().values_list("pk", flat=True)[: search_cap()]
        return Petition.objects.filter(pk__in=sample), params

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            raise Http404("There is no such page of results.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        add_snippets(context["petitions"], self.filterset.search_text)
        base, params = self.facet_base()
        scope = None if self.broad else self.cube_scope()
        options = facets(params, base, bounded=bool(self.filterset.search_text), scope=scope)
        shown = [(FACETS[name], name, opts) for name, opts in options.items()]
        sorts = shown_sorts(
            self.filterset.chosen_sort,
            base,
            params,
            self.filterset.qs,
            self.newest_matches().values("signatures")[: search_cap()] if self.broad else None,
        )
        return {
            **context,
            "filter": self.filterset,
            "facets": shown,
            "facets_key": fragment_key("facets", facet_facts(shown)),
            "form_key": fragment_key("form", sorted(self.request.GET.lists()), list(sorts)),
            "chips": chips(self.request.GET, options),
            "sort": self.filterset.chosen_sort,
            "sort_label": SORT_LABELS[self.filterset.chosen_sort],
            "own_fields": OWN_FIELDS,
            "sorts": sorts,
            "ignored": self.filterset.ignored,
            "page_query": page_query(self.request.GET),
            "broad": self.broad,
            "search_cap": search_cap(),
            "data_links": data_links(self.list_params()),
            "matching_documents": document_matches(self.filterset.search_text)
            if self.document_group
            else [],
        }


def facet_facts(shown) -> list:
    """What the facets column shows, as plain values (labels made strings)."""
    return [
        (str(title), name, [(o.value, str(o.label), o.count, o.selected, o.url) for o in options])
        for title, name, options in shown
    ]


class SubjectListView(PetitionListView):
    """The petitions of one topic, portfolio or MP, with the same filters."""

    model = None
    template_name = "petitions/subject.html"
    document_group = False

    def get(self, request, *args, **kwargs):
        self.subject = self.find(self.kwargs["slug"])
        if self.subject is None:
            raise Http404()
        if (canonical := self.subject.get_absolute_url()) != request.path:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(canonical + (f"?{query}" if query else ""))
        return super().get(request, *args, **kwargs)

    def find(self, slug: str):
        """A topic or portfolio by either language's slug or an alias's; an MP by theirs."""
        return self.model.objects.by_slug(slug)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)

    def list_params(self) -> QueryDict:
        """The page's own parameters, narrowed to its subject as the list would be."""
        params = self.request.GET.copy()
        params.setlist(self.subject_param, [self.subject.slug])
        return params


class TopicView(SubjectListView):
    model = Topic
    subject_param = "topic"

    def base_queryset(self):
        return Petition.objects.filter(topic=self.subject)

    def cube_scope(self) -> dict | None:
        return {"topic": [self.subject.slug]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic_documents=topic_documents(self.subject), **kwargs)


class PortfolioView(SubjectListView):
    model = Portfolio
    subject_param = "minister"
    template_name = "petitions/portfolio.html"

    def base_queryset(self):
        return Petition.objects.filter(responded_by(portfolio=self.subject))

    def cube_scope(self) -> dict | None:
        return None  # the portfolios facet would count pairs of portfolios

    def get_context_data(self, **kwargs):
        stats = Response.objects.public().filter(portfolio=self.subject).response_time_stats()
        return super().get_context_data(stats=stats, **kwargs)


class MemberView(SubjectListView):
    model = Member
    subject_param = "sponsor"
    template_name = "petitions/member.html"
    ROLES_SHOWN = 100

    def get_context_data(self, **kwargs):
        """The petitions the MP sponsored and those they presented (one query for both)."""
        rows = self.base_queryset().public().newest_first().select_related("topic")
        rows = list(rows[: self.ROLES_SHOWN])
        sponsored = [p for p in rows if p.sponsor_id == self.subject.pk]
        presented = [p for p in rows if p.presenter_id == self.subject.pk]
        return super().get_context_data(sponsored=sponsored, presented=presented, **kwargs)

    def find(self, slug: str):
        return Member.objects.filter(slug=slug).first()

    def base_queryset(self):
        return Petition.objects.filter(Q(sponsor=self.subject) | Q(presenter=self.subject))

    def cube_scope(self) -> dict | None:
        return None


def not_found(request, exception=None):
    """The 404 page; for an address ending in `.json`, a JSON 404 a program can read."""
    if request.path_info.endswith(".json"):
        message = _("Nothing at this address is in the archive: %(path)s") % {
            "path": request.path_info
        }
        hint = _(
            "Petition numbers look like e-2835 (e-petitions) or 432-00309 (the number given "
            "when a petition is presented)."
        )
        data = {"errors": [message], "help": hint}
        dumps = {"ensure_ascii": False, "indent": 2}
        return JsonResponse(data, status=404, json_dumps_params=dumps)
    message = str(exception) if exception and "archive" in str(exception) else ""
    return render(request, "404.html", {"message": message}, status=404)
