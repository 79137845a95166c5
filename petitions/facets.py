"""Facet counts beside the list: each facet counted under every active filter but its own."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import QueryDict

from petitions.filters import PetitionFilter
from petitions.models import Kind, Petition, Status
from petitions.parliaments import label as parliament_label
from responses.models import Response

FACETS = {
    "topic": "Topic",
    "minister": "Responding portfolio",
    "status": "Status",
    "parliament": "Parliament",
    "kind": "Kind",
    "caucus": "Sponsor caucus",
}
LIMIT = 12
CACHE_SECONDS = 600


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    url: str


def toggle_url(params: QueryDict, name: str, value: str) -> str:
    """The list's query string with this value added, or removed if it is there."""
    query = params.copy()
    query.pop("page", None)
    values = query.getlist(name)
    query.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return "?" + query.urlencode()


def _rows(name: str, qs) -> list[tuple[str, str, int]]:
    """(value, label, count) of one facet over a filtered queryset."""
    qs = qs.order_by()
    if name == "topic":
        rows = qs.values_list("topic__slug", "topic__name").annotate(n=Count("id"))
    elif name == "caucus":
        rows = (
            qs.filter(sponsor__caucus__isnull=False)
            .values_list("sponsor__caucus__slug", "sponsor__caucus__name")
            .annotate(n=Count("id"))
        )
    elif name == "minister":
        rows = (
            Response.objects.filter(petition__in=qs.values("pk"), portfolio__isnull=False)
            .values_list("portfolio__slug", "portfolio__name")
            .annotate(n=Count("petition", distinct=True))
        )
    elif name == "kind":
        return [(k, Kind(k).label, n) for k, n in qs.values_list("kind").annotate(n=Count("id"))]
    elif name == "status":
        counts = qs.with_public_status().values_list("public_status").annotate(n=Count("id"))
        return [(s, Status(s).label, n) for s, n in counts]
    else:  # parliament
        counts = (
            qs.filter(parliament__isnull=False)
            .values_list("parliament", "session")
            .annotate(n=Count("id"))
        )
        return [(f"{p}-{s}", parliament_label(p, s), n) for p, s, n in counts]
    return list(rows)


def archive_version() -> str:
    """Changes whenever a petition is written (its `updated_at`) or added; two indexed lookups."""
    latest = Petition.objects.aggregate(changed=Max("updated_at"), newest=Max("id"))
    return f"{latest['changed']}/{latest['newest']}"


def while_unchanged(name: str, compute):
    """`compute()`, cached until the archive changes (deletions show within the timeout)."""
    key = "archive:" + hashlib.sha256(f"{archive_version()}|{name}".encode()).hexdigest()
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, timeout=CACHE_SECONDS)
    return result


def facets(params: QueryDict, base) -> dict[str, list[Option]]:
    counted = {k: sorted(params.getlist(k)) for k in sorted(params) if k != "page"}
    return while_unchanged(f"facets|{base.query}|{counted}", lambda: counted_facets(params, base))


def counted_facets(params: QueryDict, base) -> dict[str, list[Option]]:
    """Every facet's options, most frequent first; selected values always shown."""
    result = {}
    for name in FACETS:
        others = params.copy()
        others.pop(name, None)
        others.pop("page", None)
        qs = PetitionFilter(others, queryset=base).qs
        selected = set(params.getlist(name))
        rows = sorted(_rows(name, qs), key=lambda r: (-r[2], r[1]))
        shown = [r for i, r in enumerate(rows) if i < LIMIT or r[0] in selected]
        result[name] = [
            Option(v, label, n, v in selected, toggle_url(params, name, v)) for v, label, n in shown
        ]
    return result


def chips(params: QueryDict, options: dict[str, list[Option]]) -> list[Option]:
    """The active filters, each with the URL that removes it."""
    labels = {(name, o.value): o.label for name, opts in options.items() for o in opts}
    active = []
    for name, values in params.lists():
        if name in ("page", "sort"):
            continue
        for value in values:
            if not value:
                continue
            label = labels.get((name, value), value)
            active.append(
                Option(
                    value,
                    f"{name.replace('_', ' ')}: {label}",
                    0,
                    True,
                    toggle_url(params, name, value),
                )
            )
    return active
