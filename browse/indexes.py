"""The index pages: every topic, responding portfolio and MP with their counts of public
petitions (`/topics/`, `/ministers/`, `/members/`), each with a JSON twin (`/topics.json`…).

Each list is one query: the counts are subqueries beside the entities, never a query per row.
"""

from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _, gettext_lazy

from petitions.models import Member, Petition, Topic
from responses.models import Portfolio, Response

SORTS = ("count", "name")


def _counted(qs, field: str = "id") -> Subquery:
    """How many distinct petitions `qs` (filtered on the outer row) holds: one COUNT subquery."""
    count = Func(F(field), function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
    return Subquery(qs.order_by().annotate(n=count).values("n"), output_field=IntegerField())


def topics():
    public = Petition.objects.public()
    return Topic.objects.listed().annotate(count=_counted(public.filter(topic=OuterRef("pk"))))


def ministers():
    answered = Response.objects.filter(
        petition__withdrawn_at__isnull=True, portfolio=OuterRef("pk")
    )
    return Portfolio.objects.listed().annotate(count=_counted(answered, "petition_id"))


def members():
    public = Petition.objects.public()
    return Member.objects.select_related("caucus").annotate(
        sponsored=_counted(public.filter(sponsor=OuterRef("pk"))),
        presented=_counted(public.filter(presenter=OuterRef("pk"))),
        count=_counted(public.filter(Q(sponsor=OuterRef("pk")) | Q(presenter=OuterRef("pk")))),
    )


INDEXES = {
    "topics": (topics, gettext_lazy("Topics"), "count"),
    "ministers": (ministers, gettext_lazy("Responding portfolios"), "count"),
    "members": (members, gettext_lazy("Members of Parliament"), "name"),
}


def entries(kind: str, sort: str) -> list:
    rows = list(INDEXES[kind][0]())
    by_name = sorted(rows, key=lambda row: str(row).casefold())
    return by_name if sort == "name" else sorted(by_name, key=lambda row: -row.count)


def chosen_sort(request, kind: str) -> str | None:
    """The `sort` asked for (count or name), the index's own by default; None if unknown."""
    sort = request.GET.get("sort") or INDEXES[kind][2]
    return sort if sort in SORTS else None


def entry_json(row, base: str) -> dict:
    data = {"name": str(row), "slug": row.local_slug if hasattr(row, "local_slug") else row.slug}
    data |= {"url": base + row.get_absolute_url(), "count": row.count}
    if isinstance(row, Member):
        data |= {
            "riding": row.local_riding.text or None,
            "caucus": row.caucus.local_name.text if row.caucus_id else None,
            "province": row.get_province_display() or None,
            "sponsored": row.sponsored,
            "presented": row.presented,
        }
    return data


def index_page(request, kind: str, as_json: bool = False):
    sort = chosen_sort(request, kind)
    if sort is None:
        error = _("sort: “%(value)s” is not a sort. Valid values: %(values)s.") % {
            "value": request.GET["sort"][:50],
            "values": ", ".join(SORTS),
        }
        if as_json:
            return JsonResponse({"errors": [error]}, status=400)
        return render(request, "400.html", {"errors": [error]}, status=400)
    rows = entries(kind, sort)
    if as_json:
        base = request.build_absolute_uri("/").rstrip("/")
        data = {"sort": sort, kind: [entry_json(row, base) for row in rows]}
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    context = {"kind": kind, "title": INDEXES[kind][1], "rows": rows, "sort": sort}
    return render(request, "petitions/index.html", context)
