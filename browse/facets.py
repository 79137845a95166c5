"""Facet counts beside the list: each facet counted under every active filter but its own."""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy as _

from browse import reads
from browse.filters import PARLIAMENT, PetitionFilter, parameter_label
from petitions import version
from petitions.i18n import pick
from petitions.models import Caucus, Kind, Petition, Stage, Status, Topic
from petitions.parliaments import label as parliament_label
from petitions.vocabulary import slug_in
from responses.models import Portfolio

FACETS = {
    "topic": _("Topic"),
    "minister": _("Responding portfolio"),
    "status": _("Status"),
    "parliament": _("Parliament"),
    "kind": _("Kind"),
    "caucus": _("Sponsor caucus"),
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
    """The list's query string with this value added, or removed if it is there (without
    `page`); the parameters keep their order (a facet's options make many of these)."""
    pairs, seen = [], False
    for key, values in params.lists():
        if key == "page":
            continue
        if key == name:
            seen = True
            values = [v for v in values if v != value] if value in values else [*values, value]
        pairs += [(key, v) for v in values]
    if not seen:
        pairs.append((name, value))
    return "?" + urlencode(pairs)


# The facets counted from the petition row itself, and the columns each groups by.
ROW_FACETS = {
    "topic": ("topic_id",),
    "caucus": ("sponsor_id",),
    "kind": ("kind",),
    "status": ("stage", "is_open"),
    "parliament": ("parliament", "session"),
}


# The columns the row facets group by, and their types.
COLUMNS = {"topic_id": "bigint", "sponsor_id": "bigint", "kind": "text", "stage": "text",
           "is_open": "boolean", "parliament": "integer", "session": "integer"}  # fmt: skip


def entity_row(slug: str, slug_fr: str, name: str, name_fr: str, n: int) -> tuple:
    """A topic's, caucus's or portfolio's option: both its slugs, its name in the page's
    language (else the other's), its count."""
    return ((slug, slug_fr), pick(name, name_fr), n)


def option_value(value, selected: set[str]) -> str:
    """An option's parameter value: for an entity, the slug the visitor chose if either of its
    slugs is chosen, else the slug of the page's language."""
    if not isinstance(value, tuple):
        return value
    slug, slug_fr = value
    return next((v for v in value if v and v in selected), slug_in(slug, slug_fr))


def _row_counts(qs, names: list[str] | None = None) -> dict[str, list[tuple[str, str, int]]]:
    """(value, label, count) of each row facet in `names` (every one when None) over one
    filtered queryset, in one scan.

    PostgreSQL counts every facet in one pass over narrow columns (an index-only scan of
    `petition_facets` when nothing else is filtered) with GROUPING SETS; `GROUPING()` says which
    set each output row belongs to. The few result rows are then joined to their labels. The
    caucus facet is counted per sponsor, then summed per caucus: a petition has one sponsor.
    """
    open_now = Q(stage=Stage.SIGNING, closed_at__gt=timezone.now())
    inner = (
        qs.annotate(is_open=ExpressionWrapper(open_now, output_field=BooleanField()))
        .order_by()
        .values_list("topic_id", "sponsor_id", "kind", "stage", "is_open", "parliament", "session")
    )
    sql, params = inner.query.sql_with_params()
    names = names or list(ROW_FACETS)
    keys = [ROW_FACETS[name][0] for name in names]
    sets = ", ".join("(" + ", ".join(ROW_FACETS[name]) + ")" for name in names)
    grouped = {column for name in names for column in ROW_FACETS[name]}
    columns = ", ".join(
        c if c in grouped else f"NULL::{kind} AS {c}" for c, kind in COLUMNS.items()
    )
    query = f"""
        WITH counts AS (
            SELECT GROUPING({", ".join(keys)}) AS grouping, {columns}, COUNT(*) AS n
            FROM ({sql}) AS f(topic_id, sponsor_id, kind, stage, is_open, parliament, session)
            GROUP BY GROUPING SETS ({sets})
        )
        SELECT counts.grouping, t.slug, t.slug_fr, t.name, t.name_fr,
               c.slug, c.slug_fr, c.name, c.name_fr, counts.kind, counts.stage,
               counts.is_open, counts.parliament, counts.session, counts.n
        FROM counts
        LEFT JOIN petitions_topic t ON t.id = counts.topic_id
        LEFT JOIN petitions_member m ON m.id = counts.sponsor_id
        LEFT JOIN petitions_caucus c ON c.id = m.caucus_id
    """
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    # GROUPING() sets the bit of every key *not* grouped; the facet's own bit is clear.
    bits = {name: 1 << (len(names) - 1 - i) for i, name in enumerate(names)}
    own = [(next(n for n in names if not grouping & bits[n]), *row) for grouping, *row in rows]
    return labelled(names, own)


def labelled(names: list[str], rows) -> dict[str, list[tuple[str, str, int]]]:
    """(value, label, count) of each facet in `names`, from rows of (facet, topic's slugs and
    names, caucus's slugs and names, kind, stage, open now, parliament, session, count)."""
    result = {name: [] for name in names}
    caucuses: dict[tuple, int] = {}
    statuses: dict[str, int] = {}
    for (
        name,
        *topic,
        caucus,
        caucus_fr,
        c_name,
        c_name_fr,
        kind,
        stage,
        is_open,
        p,
        s,
        n,
    ) in rows:
        if name == "topic":
            result[name].append(entity_row(*topic, n))
        elif name == "caucus" and caucus is not None:
            key = entity_row(caucus, caucus_fr, c_name, c_name_fr, 0)[:2]
            caucuses[key] = caucuses.get(key, 0) + n
        elif name == "kind":
            result[name].append((kind, str(Kind(kind).label), n))
        elif name == "status":
            # The signing stage splits by the clock, as `PetitionQuerySet.with_status` does.
            status = (
                (Status.OPEN if is_open else Status.CLOSED) if stage == Stage.SIGNING else stage
            )
            statuses[status] = statuses.get(status, 0) + n
        elif name == "parliament" and p is not None:
            result[name].append((f"{p}-{s}", parliament_label(p, s), n))
    if "caucus" in result:
        result["caucus"] = [(slug, label, n) for (slug, label), n in caucuses.items()]
    if "status" in result:
        result["status"] = [
            (status, str(Status(status).label), n) for status, n in statuses.items()
        ]
    return result


# Kept counts (facet, value, count) with the names of their topics, caucuses and portfolios,
# and how many petitions of the signing stage are open now: read by `shaped`.
LABELLED = """
SELECT t.facet, tp.slug, tp.slug_fr, tp.name, tp.name_fr, c.slug, c.slug_fr, c.name, c.name_fr,
       pf.slug, pf.slug_fr, pf.name, pf.name_fr, t.value, t.n, ({open_now}) AS open_now
FROM ({counts}) t(facet, value, n)
LEFT JOIN petitions_topic tp ON tp.id = CASE WHEN t.facet = 'topic' THEN t.value::bigint END
LEFT JOIN petitions_caucus c ON c.id = CASE WHEN t.facet = 'caucus' THEN t.value::bigint END
LEFT JOIN responses_portfolio pf ON pf.id = CASE WHEN t.facet = 'minister' THEN t.value::bigint END
"""
OPEN_NOW = """SELECT count(*) FROM petitions_petition p
    LEFT JOIN petitions_member m ON m.id = p.sponsor_id
    WHERE p.stage = 'signing' AND p.closed_at > now() AND p.withdrawn_at IS NULL"""
TALLY = LABELLED.format(
    open_now=OPEN_NOW,
    counts="""
    SELECT facet, value, n FROM facet_tally WHERE facet <> 'sponsor' AND n > 0
    UNION ALL  -- the sponsors' counts summed per caucus
    SELECT 'caucus', m.caucus_id::text, sum(t.n)::bigint FROM facet_tally t
    JOIN petitions_member m ON m.id = CASE WHEN t.facet = 'sponsor' THEN t.value::bigint END
    WHERE t.facet = 'sponsor' AND m.caucus_id IS NOT NULL GROUP BY m.caucus_id""",
)
NONE4 = (None, None, None, None)


def tallied() -> tuple[int, dict[str, list[tuple[str, str, int]]]]:
    """The whole archive's count and facets, read from `facet_tally` (migration
    `0002_facet_tally`: kept by triggers as petitions and responses are written) in one query
    instead of counted over every petition. The signing stage is split by the clock here: the
    petitions open now are counted through the `petition_stage` index."""
    with connection.cursor() as cursor:
        cursor.execute(TALLY)
        return shaped(cursor.fetchall())


def shaped(rows) -> tuple[int, dict[str, list[tuple[str, str, int]]]]:
    """The count and facets from kept counts: rows of (facet, topic's slugs and names, caucus's,
    portfolio's, value, count, how many of the signing stage are open now)."""
    total, ministers, shaped = 0, [], []

    def row(name, topic=NONE4, caucus=NONE4, kind=None, stage=None, is_open=None, p=None,
            s=None, n=0):  # fmt: skip
        if n:
            shaped.append((name, *topic, *caucus, kind, stage, is_open, p, s, n))

    for facet, *names, value, n, open_now in rows:
        topic, caucus, portfolio = names[:4], names[4:8], names[8:]
        if facet == "all":
            total = n
        elif facet == "minister":
            ministers.append(entity_row(*portfolio, n))
        elif facet == "topic":
            row("topic", topic=topic, n=n)
        elif facet == "caucus":
            row("caucus", caucus=caucus, n=n)
        elif facet == "kind":
            row("kind", kind=value, n=n)
        elif facet == "stage" and value == Stage.SIGNING:
            row("status", stage=value, is_open=True, n=open_now)
            row("status", stage=value, is_open=False, n=n - open_now)
        elif facet == "stage":
            row("status", stage=value, n=n)
        elif facet == "parliament":
            parliament, session = value.split("-")
            row("parliament", p=int(parliament), s=int(session) if session else None, n=n)
    return total, {**labelled(list(ROW_FACETS), shaped), "minister": ministers}


# The list filters the cube answers, the column each facet groups by, and its value as text.
CUBED = {
    "topic": ("topic_id", "topic_id::text"),
    "caucus": ("caucus_id", "caucus_id::text"),
    "kind": ("kind", "kind"),
    "status": ("stage", "stage"),
    "parliament": ("parliament, session", "parliament::text || '-' || COALESCE(session::text, '')"),
    "minister": ("portfolio_id", "portfolio_id::text"),
}
# A facet's name in the kept counts (`shaped`).
KEPT_NAME = {"status": "stage"}


def cube_choices(params: QueryDict, scope: dict | None) -> dict[str, list[str]] | None:
    """The list's filters, when the cube can count under them: a list of every public petition
    (`scope` {}) or of one topic's (`scope` {"topic": [slug]}), filtered only by topic, caucus,
    kind, parliament, one portfolio and statuses other than open and closed (the clock splits
    the signing stage). Else None (a `scope` of None: a list the cube cannot count)."""
    if scope is None:
        return None
    chosen = {}
    for name, values in params.lists():
        if name in ("page", "sort") or not any(v.strip() for v in values):
            continue
        if name not in CUBED:
            return None
        # The values as the list's filter reads them (slugs trimmed and in lower case).
        chosen[name] = sorted(set(PetitionFilter.base_filters[name].field.to_python(values)))
    if len(chosen.get("minister", [])) > 1 or {Status.OPEN, Status.CLOSED} & set(
        chosen.get("status", [])
    ):
        return None
    return chosen


def cube_filters(chosen: dict[str, list[str]]) -> dict[str, tuple[str, str, list]]:
    """Each filter as SQL over the cube's columns and over a petition `p` and its sponsor `m`,
    with its parameters."""
    filters = {}
    for name, model, column in [("topic", Topic, "p.topic_id"), ("caucus", Caucus, "m.caucus_id")]:
        if name in chosen:
            sql, params = model.objects.for_slugs(chosen[name]).query.sql_with_params()
            filters[name] = (f"{name}_id IN ({sql})", f"{column} IN ({sql})", list(params))
    for name, column in [("kind", "kind"), ("status", "stage")]:
        if name in chosen:
            filters[name] = (f"{column} = ANY(%s)", f"p.{column} = ANY(%s)", [chosen[name]])
    if "parliament" in chosen:
        parts, params = [], []
        for value in chosen["parliament"]:
            parliament, session = PARLIAMENT.match(value).groups()
            parts.append("(parliament = %s" + (" AND session = %s)" if session else ")"))
            params += [int(parliament), *([int(session)] if session else [])]
        sql = " OR ".join(parts)
        petition = sql.replace("parliament =", "p.parliament =").replace("session =", "p.session =")
        filters["parliament"] = (f"({sql})", f"({petition})", params)
    if "minister" in chosen:
        sql, params = Portfolio.objects.for_slugs(chosen["minister"]).query.sql_with_params()
        answered = "EXISTS (SELECT 1 FROM responses_response r WHERE r.petition_id = p.id AND "
        filters["minister"] = (
            f"portfolio_id IN ({sql})",
            f"{answered}r.portfolio_id IN ({sql}))",
            list(params),
        )
    return filters


def cube_counts(params: QueryDict, scope: dict | None) -> tuple[int, dict] | None:
    """The count and facets of a list the cube can count (`cube_choices`), from `facet_cube`
    (migration `0003_facet_cube`, kept by triggers) in one query: each facet sums the rows
    matching every other filter and the list's `scope` (a topic page's topic). The petitions of
    the signing stage open now are counted from the petitions (through the `petition_stage`
    index). None for any other list."""
    chosen = cube_choices(params, scope)
    if chosen is None:
        return None
    key = f"cube|{sorted(chosen.items())}|{sorted(scope.items())}"
    return while_unchanged(key, lambda: counted_cube(chosen, scope))


def counted_cube(chosen: dict[str, list[str]], scope: dict | None = None) -> tuple[int, dict]:
    filters, fixed = cube_filters(chosen), list(cube_filters(scope or {}).values())
    everyone = "portfolio_id IS NULL" if "minister" not in filters else filters["minister"][0]
    parts, params = [], []

    def part(facet: str, select: str, where: list[tuple], group: str = "") -> None:
        conditions = [sql for sql, _, _ in where]
        parts.append(
            f"SELECT '{facet}', {select}, COALESCE(sum(n), 0)::bigint FROM facet_cube "
            f"WHERE n <> 0 AND {' AND '.join(conditions)}{group}"
        )
        params.extend(value for _, _, values in where for value in values)

    minister = filters.get("minister")
    selected = (everyone, "", minister[2] if minister else [])
    rest = {name: f for name, f in filters.items() if name != "minister"}
    for name, (group, value) in CUBED.items():
        others = [f for other, f in rest.items() if other != name]
        among = ("portfolio_id IS NOT NULL", "", []) if name == "minister" else selected
        valued = (f"{group.split(',')[0]} IS NOT NULL", "", [])
        where = [among, valued, *others, *fixed]
        part(KEPT_NAME.get(name, name), value, where, f" GROUP BY {group}")
    part("all", "''", [selected, *rest.values(), *fixed])
    open_filters = [f for other, f in filters.items() if other != "status"] + fixed
    open_now = " AND ".join([OPEN_NOW, *(petition for _, petition, _ in open_filters)])
    open_params = [value for _, _, values in open_filters for value in values]
    query = LABELLED.format(open_now=open_now, counts=" UNION ALL ".join(parts))
    with connection.cursor() as cursor:
        cursor.execute(query, [*open_params, *params])
        return shaped(cursor.fetchall())


def whole_archive(params: QueryDict, base) -> bool:
    """Whether the list selects every public petition: no filter, the main list's base."""
    return set(params) <= {"page", "sort"} and (
        base.model is Petition and base.query.where == Petition.objects.public().query.where
    )


def kept_counts(params: QueryDict, base, scope: dict | None) -> tuple[int, dict] | None:
    """The count and facets of a list from the counts the triggers keep: the tally for the
    whole archive, the cube for a list it can count (`cube_choices`); None for any other."""
    if whole_archive(params, base):
        return while_unchanged("tally", tallied)
    return cube_counts(params, scope)


def _minister_counts(qs, bounded: bool = False) -> list[tuple[str, str, int]]:
    """Petitions answered by each portfolio (a petition answered twice by one counts once).

    Distinct (portfolio, petition) pairs come from an index-only scan of
    `response_portfolio_petition`, restricted to the filtered petitions when there is a filter.
    A search's petitions (`bounded`: at most the cap) are listed first and their responses
    looked up by petition: PostgreSQL guesses a rare word's matches by the thousand and would
    otherwise read every response (0.13 s at a million petitions, 0.4 ms this way).
    """
    where, params = "", []
    if qs.query.where:
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        where = f"AND petition_id = ANY(ARRAY({sql}))" if bounded else f"AND petition_id IN ({sql})"
    query = f"""
        WITH pairs AS (
            SELECT DISTINCT portfolio_id, petition_id FROM responses_response
            WHERE portfolio_id IS NOT NULL {where}
        ), counts AS (SELECT portfolio_id, COUNT(*) AS n FROM pairs GROUP BY portfolio_id)
        SELECT p.slug, p.slug_fr, p.name, p.name_fr, counts.n
        FROM counts JOIN responses_portfolio p ON p.id = counts.portfolio_id
    """
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [entity_row(*row) for row in cursor.fetchall()]


def archive_version() -> str:
    """Changes with every write to the archive's tables, and when a signing period closes
    (`petitions.version`): one query, none when the request already holds it."""
    return str(version.read())


def while_unchanged(name: str, compute):
    """`compute()`, cached until the archive changes, one copy per language, with the
    statements that computed it: a page that reads it from the cache has read them too
    (`browse.reads`)."""
    # Per language: what is cached holds labels and names in the language of the page.
    version = f"{archive_version()}|{get_language()}|{name}"
    key = "archive-read:" + hashlib.sha256(version.encode()).hexdigest()
    if (entry := cache.get(key)) is not None:
        result, kept = entry
        reads.add(kept)
        return result
    with reads.recording() as statements:
        result = compute()
    cache.set(key, (result, statements.kept()), timeout=CACHE_SECONDS)
    return result


def facets(
    params: QueryDict, base, bounded: bool = False, scope: dict | None = None
) -> dict[str, list[Option]]:
    """`bounded`: the selection holds at most the search cap's petitions (a search); `scope`:
    what `base` selects in the cube's terms (`cube_choices`), None if it cannot."""
    counted = {k: sorted(params.getlist(k)) for k in sorted(params) if k != "page"}
    return while_unchanged(
        f"facets|{base.query}|{counted}", lambda: counted_facets(params, base, bounded, scope)
    )


def counted_facets(
    params: QueryDict, base, bounded: bool = False, scope: dict | None = None
) -> dict[str, list[Option]]:
    """Every facet's options, most frequent first; selected values always shown.

    A facet is counted under every active filter but its own. The whole archive's come from
    the tally, a list filtered by the facets' own filters from the cube (`cube_counts`). Else
    facets with no active value share one filtered set: they are counted together in one query;
    each facet with an active value needs its own.
    """
    query = params.copy()
    query.pop("page", None)
    counts = {}
    if (kept := kept_counts(query, base, scope)) is not None:
        counts = kept[1]
    elif unfiltered := [name for name in ROW_FACETS if name not in query]:
        counts = _row_counts(PetitionFilter(query, queryset=base).qs, unfiltered)
    for name in FACETS:
        if name in counts:
            continue
        others = query.copy()
        others.pop(name, None)
        qs = PetitionFilter(others, queryset=base).qs
        if name == "minister":
            counts[name] = _minister_counts(qs, bounded)
        else:
            counts[name] = _row_counts(qs, [name])[name]
    result = {}
    for name in FACETS:
        selected = set(params.getlist(name))
        rows = [(option_value(v, selected), label, n) for v, label, n in counts[name]]
        rows.sort(key=lambda r: (-r[2], str(r[1])))
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
                    f"{parameter_label(name)}: {label}",
                    0,
                    True,
                    toggle_url(params, name, value),
                )
            )
    return active
