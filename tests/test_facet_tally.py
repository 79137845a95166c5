"""The whole archive's facet counts kept by triggers (`browse.models.FacetTally`): after every
kind of write they are the counts a full count of the archive gives, and the unfiltered list,
its count and the home page's topics read them instead of counting."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from browse.facets import _minister_counts, _row_counts, counted_facets, tallied
from petitions.models import Petition
from responses.models import Response
from staff.withdrawal import restore, withdraw
from tests.conftest import PETITION_PAGES, run_import
from tests.factories import PetitionFactory, PortfolioFactory, ResponseFactory, TopicFactory

pytestmark = pytest.mark.django_db


def counted() -> tuple[int, dict]:
    """The counts made over the archive, as the filtered lists make them."""
    public = Petition.objects.public()
    return public.count(), {**_row_counts(public), "minister": _minister_counts(public)}


def normal(counts: dict) -> dict:
    return {name: sorted(rows, key=repr) for name, rows in counts.items()}


def assert_exact():
    total, counts = tallied()
    expected_total, expected = counted()
    assert total == expected_total
    assert normal(counts) == normal(expected)


@pytest.fixture
def archive(db):
    run_import(*PETITION_PAGES)
    assert_exact()
    assert tallied()[0] == Petition.objects.count() > 5


def test_the_migration_and_imports_count_what_a_full_count_counts(archive):
    total, counts = tallied()
    assert sum(n for _, _, n in counts["topic"]) == total
    assert sum(n for _, _, n in counts["status"]) == total
    assert counts["minister"]  # the samples hold answered petitions


WRITES = {
    "topic": lambda p: Petition.objects.filter(pk=p.pk).update(topic=TopicFactory()),
    "stage": lambda p: Petition.objects.filter(pk=p.pk).update(stage="presented"),
    "parliament": lambda p: Petition.objects.filter(pk=p.pk).update(parliament=40, session=1),
    "sponsor": lambda p: Petition.objects.filter(pk=p.pk).update(sponsor=None),
    "unchanged": lambda p: Petition.objects.filter(pk=p.pk).update(signatures=p.signatures),
    "new petitions": lambda p: [PetitionFactory(), PetitionFactory(withdrawn_at=timezone.now())],
    "a deleted petition": lambda p: PetitionFactory().delete(),
    "a withdrawal": lambda p: withdraw(p, "A duplicate.", None),
    "a new response": lambda p: ResponseFactory(
        petition=p, portfolio=PortfolioFactory(), position=8
    ),
    "a second response by the same portfolio": lambda p: ResponseFactory(
        petition=p, portfolio=p.responses.exclude(portfolio=None).first().portfolio, position=9
    ),
    "a response moved to another portfolio": lambda p: Response.objects.filter(petition=p).update(
        portfolio=PortfolioFactory()
    ),
    "a removed response": lambda p: Response.objects.filter(petition=p).delete(),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_keeps_the_counts_exact(archive, write):
    answered = Petition.objects.filter(responses__portfolio__isnull=False).distinct().first()
    WRITES[write](answered)
    assert_exact()


def test_a_withdrawn_petition_restored_is_counted_again(archive):
    answered = Petition.objects.filter(responses__portfolio__isnull=False).distinct().first()
    before = tallied()
    withdraw(answered, "A duplicate.", None)
    assert tallied()[0] == before[0] - 1
    restore(Petition.objects.get(pk=answered.pk), None)
    assert normal(tallied()[1]) == normal(before[1]) and tallied()[0] == before[0]
    assert_exact()


@pytest.mark.django_db(transaction=True)  # now() is the transaction's start
def test_the_signing_stage_is_split_by_the_clock(archive):
    signing = PetitionFactory(presented_on=None, presented_number=None,
                              closed_at=timezone.now() + timedelta(days=30))  # fmt: skip
    assert Petition.objects.get(pk=signing.pk).stage == "signing"
    assert {v: n for v, _, n in tallied()[1]["status"]}["open"] == 1
    assert_exact()
    Petition.objects.filter(pk=signing.pk).update(closed_at=timezone.now() - timedelta(days=1))
    assert "open" not in {v: n for v, _, n in tallied()[1]["status"]}
    assert_exact()


def test_a_recount_mends_a_tally(archive):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE facet_tally SET n = n + 7 WHERE facet = 'topic'")
        cursor.execute("SELECT facet_tally_recount()")
    assert_exact()


def test_the_unfiltered_list_reads_the_tally_not_the_archive(client, archive):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/petitions/")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "facet_tally" in sql
    assert '"__count"' not in sql and "GROUPING SETS" not in sql.upper()
    assert page.context["paginator"].count == Petition.objects.count()
    options = counted_facets(QueryDict(), Petition.objects.public())
    shown = {name: [(o.value, o.count) for o in opts] for name, opts in options.items()}
    assert shown == {
        name: [(o.value, o.count) for o in opts] for _, name, opts in page.context["facets"]
    }
    # A filter counts its selection.
    filtered = client.get("/petitions/?status=responded")
    assert filtered.context["paginator"].count == Petition.objects.filter(stage="responded").count()


def test_the_home_page_counts_topics_from_the_tally(client, archive):
    with CaptureQueriesContext(connection) as queries:
        home = client.get("/")
    assert any("facet_tally" in q["sql"] for q in queries.captured_queries)
    shown = {t.pk: t.count for t in home.context["topics"]}
    for topic_id, n in shown.items():
        assert n == Petition.objects.public().filter(topic_id=topic_id).count()


def test_every_count_is_an_integer(archive):
    total, counts = tallied()
    assert type(total) is int
    assert {type(n) for rows in counts.values() for _, _, n in rows} == {int}
