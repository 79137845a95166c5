"""The counts by combination of facets kept by triggers (`browse.models.FacetCube`): after every
kind of write they are what a full count of the archive gives, and a list filtered by the
facets counts its facets and its total from them exactly as counting its petitions does."""

import pytest
from django.db import connection
from django.http import QueryDict

from browse.facets import counted_cube, counted_facets, cube_choices, cube_counts
from browse.filters import PetitionFilter
from browse.models import CUBE_COLUMNS
from petitions.models import Caucus, Member, Petition, Topic
from responses.models import Portfolio
from tests.conftest import PETITION_PAGES, run_import
from tests.factories import CaucusFactory
from tests.test_facet_tally import WRITES

pytestmark = pytest.mark.django_db

DIMS = "p.topic_id, m.caucus_id, p.kind, p.stage, p.parliament, p.session"
RECOUNTED = f"""
SELECT NULL::bigint, {DIMS}, count(*) FROM petitions_petition p
LEFT JOIN petitions_member m ON m.id = p.sponsor_id
WHERE p.withdrawn_at IS NULL GROUP BY {DIMS}
UNION ALL
SELECT r.portfolio_id, {DIMS}, count(DISTINCT p.id) FROM petitions_petition p
JOIN responses_response r ON r.petition_id = p.id AND r.portfolio_id IS NOT NULL
LEFT JOIN petitions_member m ON m.id = p.sponsor_id
WHERE p.withdrawn_at IS NULL GROUP BY r.portfolio_id, {DIMS}
"""


def rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall(), key=repr)


def assert_exact():
    kept = rows(f"SELECT {', '.join(CUBE_COLUMNS)}, n FROM facet_cube WHERE n <> 0")
    assert kept == rows(RECOUNTED)


@pytest.fixture
def archive(db):
    run_import(*PETITION_PAGES)
    assert_exact()


def test_the_migration_and_imports_count_what_a_full_count_counts(archive):
    kept = rows("SELECT sum(n) FROM facet_cube WHERE portfolio_id IS NULL")
    assert kept == [(Petition.objects.public().count(),)]
    assert rows("SELECT count(*) FROM facet_cube WHERE portfolio_id IS NOT NULL")[0][0] > 0


@pytest.mark.parametrize("write", WRITES)
def test_every_write_keeps_the_counts_exact(archive, write):
    answered = Petition.objects.filter(responses__portfolio__isnull=False).distinct().first()
    WRITES[write](answered)
    assert_exact()


def test_an_mp_changing_caucus_moves_their_petitions(archive):
    sponsor = Member.objects.filter(sponsored_petitions__isnull=False).first()
    Member.objects.filter(pk=sponsor.pk).update(caucus=CaucusFactory())
    assert_exact()
    Member.objects.filter(pk=sponsor.pk).update(caucus=None)
    assert_exact()


def test_a_recount_mends_the_cube(archive):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE facet_cube SET n = n + 7")
        cursor.execute("SELECT facet_cube_recount()")
    assert_exact()


def live(query: str, base=None) -> tuple[int, dict]:
    """The count and facets as counted over the petitions (no scope in the cube's terms)."""
    params = QueryDict(query)
    base = Petition.objects.public() if base is None else base.public()
    options = counted_facets(params, base, scope=None)
    total = PetitionFilter(params, queryset=base).qs.count()
    return total, options


def shown(options: dict) -> dict:
    """Each facet's options as the page shows them (value, label, count), less a topic of
    petitions without one (the kept counts leave it out)."""
    return {
        name: sorted((o.value, str(o.label), o.count, o.selected) for o in opts if o.value)
        for name, opts in options.items()
    }


def choices(archive_query: str) -> str:
    """`archive_query` with the archive's own slugs for `{topic}`, `{caucus}`, `{minister}`."""
    answered = Petition.objects.filter(responses__portfolio__isnull=False).first()
    portfolio = Portfolio.objects.filter(responses__petition=answered).first()
    caucus = Caucus.objects.filter(members__sponsored_petitions__isnull=False).first()
    return archive_query.format(
        topic=answered.topic.slug,
        other_topic=Topic.objects.exclude(pk=answered.topic_id).first().slug,
        caucus=caucus.slug,
        minister=portfolio.slug,
        parliament=answered.parliament,
    )


FILTERED = [
    "topic={topic}",
    "topic={topic}&topic={other_topic}",
    "kind=paper",
    "status=responded",
    "status=responded&status=presented",
    "parliament={parliament}",
    "parliament={parliament}-1&parliament=40",
    "caucus={caucus}",
    "minister={minister}",
    "minister={minister}&topic={topic}",
    "topic={topic}&status=responded&parliament={parliament}&kind=e-petition&caucus={caucus}",
    "topic=no-such-topic",
    "topic=+{topic}+&topic=&kind=paper",  # trimmed, and a blank value ignored, as the filter reads them
    "minister={minister}&page=1&sort=oldest",
]


@pytest.mark.parametrize("query", FILTERED)
def test_a_filtered_list_counts_from_the_cube_what_counting_its_petitions_gives(archive, query):
    params = QueryDict(choices(query))
    base = Petition.objects.public()
    assert cube_choices(params, {}) is not None
    total, _ = cube_counts(params, {})
    expected_total, expected = live(choices(query))
    assert total == expected_total
    assert shown(counted_facets(params, base, scope={})) == shown(expected)


@pytest.mark.parametrize("query", ["", "status=responded", "kind=paper&parliament={parliament}",
                                   "topic={other_topic}", "minister={minister}"])  # fmt: skip
def test_a_topic_page_counts_from_the_cube_what_counting_its_petitions_gives(archive, query):
    answered = Petition.objects.filter(responses__portfolio__isnull=False).first()
    base, scope = Petition.objects.filter(topic=answered.topic), {"topic": [answered.topic.slug]}
    params = QueryDict(choices(query))
    expected_total, expected = live(choices(query), base)
    assert cube_counts(params, scope)[0] == expected_total
    assert shown(counted_facets(params, base.public(), scope=scope)) == shown(expected)


@pytest.mark.parametrize(
    "query",
    [
        "q=climate",
        "status=open",
        "status=closed&kind=e-petition",
        "minister={minister}&minister=other",
        "province=ON",
        "opened_from=2020-01-01",
        "sponsor=someone",
    ],
)
def test_lists_the_cube_cannot_count_are_counted_over_their_petitions(archive, query):
    assert cube_choices(QueryDict(choices(query)), {}) is None
    assert cube_choices(QueryDict(""), None) is None


def test_the_signing_stage_is_split_by_the_clock_under_filters(archive):
    from datetime import timedelta

    from django.utils import timezone

    signing = Petition.objects.filter(responses__isnull=True, kind="e-petition").first()
    Petition.objects.filter(pk=signing.pk).update(
        end_state="", response_tabled_on=None, presented_on=None,
        closed_at=timezone.now() + timedelta(days=30),
    )  # fmt: skip
    query = f"topic={signing.topic.slug}&kind=e-petition"
    _, counts = counted_cube(cube_choices(QueryDict(query), {}))
    statuses = {str(status): n for status, _, n in counts["status"]}
    assert statuses["open"] >= 1
    assert shown(counted_facets(QueryDict(query), Petition.objects.public(), scope={})) == shown(
        live(query)[1]
    )


@pytest.mark.parametrize("page", ["/petitions/?{}", "/topics/{topic}/?{}"])
def test_a_filtered_list_page_reads_the_cube_in_one_query(client, archive, page):
    from django.test.utils import CaptureQueriesContext

    path = page.format(choices("topic={topic}&status=responded&parliament={parliament}"),
                       topic=choices("{topic}"))  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    counting = [q["sql"] for q in queries if "facet_cube" in q["sql"]]
    assert len(counting) == 1
    assert not [q["sql"] for q in queries if "GROUPING" in q["sql"] or "COUNT(*)" in q["sql"]]
    total = Petition.objects.public().filter(
        topic__slug=response.context["request"].GET["topic"], stage="responded",
        parliament=int(response.context["request"].GET["parliament"]),
    ).count()  # fmt: skip
    assert response.context["paginator"].count == total
