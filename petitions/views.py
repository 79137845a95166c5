from django.db.models import Count, Q
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import ListView

from petitions.facets import FACETS, chips, facets, while_unchanged
from petitions.filters import SORT_LABELS, PetitionFilter, responded_by
from petitions.listing import (
    ArchivePaginator,
    add_snippets,
    capped_count,
    petition_for_number,
    search_cap,
)
from petitions.models import NEWEST_FIRST, Member, Petition, Topic
from petitions.serialize import petition_json as to_json
from responses.models import Portfolio, Response


def home(request):
    context = {
        "petitions": Petition.objects.for_list().newest_first()[:10],
        "responses": Response.objects.for_list().latest_first()[:10],
        "topics": while_unchanged(
            "home-topics",
            lambda: list(
                Topic.objects.annotate(count=Count("petitions")).order_by("-count", "name")
            ),
        ),
    }
    return render(request, "petitions/home.html", context)


def canonical(request, number: str, view_name: str):
    """The petition for any form of its number, or a permanent redirect to its canonical URL."""
    petition = Petition.objects.for_detail().find(number)
    if petition is None:
        raise Http404(f"No petition numbered {number} is in the archive.")
    if petition.number != number:
        return None, HttpResponsePermanentRedirect(reverse(view_name, args=[petition.number]))
    return petition, None


def petition_detail(request, number: str):
    petition, redirect = canonical(request, number, "petitions:detail")
    if redirect:
        return redirect
    return render(request, "petitions/petition_detail.html", {"petition": petition})


def petition_json(request, number: str):
    petition, redirect = canonical(request, number, "petitions:detail-json")
    if redirect:
        return redirect
    data = to_json(petition, request.build_absolute_uri("/").rstrip("/"))
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


class PetitionListView(ListView):
    """The filtered, faceted, sorted list; also the base of the topic, portfolio and MP pages."""

    template_name = "petitions/petition_list.html"
    context_object_name = "petitions"
    paginate_by = 25

    def base_queryset(self):
        return Petition.objects.all()

    def get(self, request, *args, **kwargs):
        self.filterset = PetitionFilter(request.GET, queryset=self.base_queryset())
        if not self.filterset.is_valid():
            errors = self.filterset.errors_text()
            return render(request, "400.html", {"errors": errors}, status=400)
        if petition := petition_for_number(self.filterset.search_text):
            return redirect(petition)
        self.match_count = capped_count(self.filterset.qs) if self.filterset.search_text else None
        return super().get(request, *args, **kwargs)

    @property
    def broad(self) -> bool:
        """A search with more matches than the archive ranks and counts one by one."""
        return self.match_count is not None and self.match_count > search_cap()

    def get_queryset(self):
        qs = self.filterset.qs.select_related("topic", "sponsor__caucus")
        if self.broad and self.filterset.chosen_sort == "relevance":
            qs = qs.order_by(*NEWEST_FIRST)
        return qs

    def get_paginator(self, queryset, per_page, **kwargs):
        return ArchivePaginator(queryset, per_page, known_count=self.match_count, **kwargs)

    def facet_base(self):
        """What the facets count: for a broad search, its newest matches up to the cap."""
        if not self.broad:
            return self.base_queryset(), self.request.GET
        sample = self.filterset.qs.order_by(*NEWEST_FIRST).values_list("pk", flat=True)
        params = self.request.GET.copy()
        params.pop("q")
        return Petition.objects.filter(pk__in=sample[: search_cap()]), params

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            raise Http404("There is no such page of results.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        add_snippets(context["petitions"], self.filterset.search_text)
        base, params = self.facet_base()
        options = facets(params, base)
        return {
            **context,
            "filter": self.filterset,
            "facets": [(FACETS[name], name, opts) for name, opts in options.items()],
            "chips": chips(self.request.GET, options),
            "sort": self.filterset.chosen_sort,
            "sort_label": SORT_LABELS[self.filterset.chosen_sort],
            "own_fields": OWN_FIELDS,
            "sorts": SORT_LABELS,
            "page_query": page_query(self.request.GET),
            "broad": self.broad,
            "search_cap": search_cap(),
        }


class SubjectListView(PetitionListView):
    """The petitions of one topic, portfolio or MP, with the same filters."""

    model = None
    template_name = "petitions/subject.html"

    def get(self, request, *args, **kwargs):
        self.subject = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class TopicView(SubjectListView):
    model = Topic

    def base_queryset(self):
        return Petition.objects.filter(topic=self.subject)


class PortfolioView(SubjectListView):
    model = Portfolio
    template_name = "petitions/portfolio.html"

    def base_queryset(self):
        return Petition.objects.filter(responded_by(portfolio=self.subject))

    def get_context_data(self, **kwargs):
        stats = Response.objects.filter(portfolio=self.subject).response_time_stats()
        return super().get_context_data(stats=stats, **kwargs)


class MemberView(SubjectListView):
    model = Member

    def base_queryset(self):
        return Petition.objects.filter(Q(sponsor=self.subject) | Q(presenter=self.subject))


def not_found(request, exception=None):
    message = str(exception) if exception and "archive" in str(exception) else ""
    return render(request, "404.html", {"message": message}, status=404)
