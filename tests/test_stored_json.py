"""Each petition's stored JSON (`browse.stored_json`): read, it is the text the petition's JSON
would be built as; every write forgets exactly the texts of the petitions it changes, whatever
wrote it; a fill never keeps a text older than the rows it was built from."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from browse import stored_json
from browse.models import StoredJson
from petitions.models import Caucus, Grievance, Member, Petition, SourceRecord, Topic
from responses.models import Portfolio, Response, Signer
from tests.factories import (
    CaucusFactory,
    GrievanceFactory,
    MemberFactory,
    PetitionFactory,
    PortfolioFactory,
    ResponseFactory,
    SignerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def kept() -> set[tuple[str, str]]:
    return set(StoredJson.objects.values_list("petition__number", "language"))


def both(*numbers: str) -> set[tuple[str, str]]:
    return {(number, language) for number in numbers for language in ("en", "fr")}


def a_petition(number: str, name: str) -> Petition:
    """A petition with its own topic, sponsor, caucus, response, portfolio, signer, grievance
    and source record: nothing shared with another made here."""
    member = MemberFactory(caucus=CaucusFactory(name=f"Caucus {name}"))
    petition = PetitionFactory(number=number, topic=TopicFactory(name=f"Topic {name}"),
                               sponsor=member, presenter=member)  # fmt: skip
    ResponseFactory(petition=petition, portfolio=PortfolioFactory(name=f"Minister {name}"),
                    signer=SignerFactory(name=f"Signer {name}"))  # fmt: skip
    GrievanceFactory(petition=petition)
    source = SourceRecord.objects.create(
        petition=petition, source=f"{number}.html", raw_text="<html></html>",
        content_hash=name * 8, imported_at=timezone.now(), imported_by="test", language="en",
    )  # fmt: skip
    Petition.objects.filter(pk=petition.pk).update(latest_source=source, source_en=source)
    return petition


@pytest.fixture
def pair(db):
    a, b = a_petition("e-7001", "A"), a_petition("e-7002", "B")
    assert stored_json.store_all() == 4
    assert kept() == both("e-7001", "e-7002")
    return a, b


def a_sponsor(p: Petition) -> Member:
    return Member.objects.get(pk=p.sponsor_id)


WRITES = {
    "a petition's field": lambda a: Petition.objects.filter(pk=a.pk).update(signatures=12345),
    "a new grievance": lambda a: GrievanceFactory(petition=a, position=99),
    "a grievance's text": lambda a: Grievance.objects.filter(petition=a).update(text="Changed."),
    "a removed grievance": lambda a: Grievance.objects.filter(petition=a).delete(),
    "a new response": lambda a: ResponseFactory(petition=a, position=99),
    "a response's text": lambda a: Response.objects.filter(petition=a).update(text="Changed."),
    "a source record": lambda a: SourceRecord.objects.filter(petition=a).update(language="fr"),
    "a topic's name": lambda a: Topic.objects.filter(pk=a.topic_id).update(name="Renamed"),
    "a member's riding": lambda a: Member.objects.filter(pk=a.sponsor_id).update(riding="Elm"),
    "a caucus's name": lambda a: Caucus.objects.filter(pk=a_sponsor(a).caucus_id).update(
        name="Renamed"
    ),
    "a portfolio's name": lambda a: Portfolio.objects.filter(
        pk=Response.objects.get(petition=a).portfolio_id
    ).update(name="Minister of Elms"),
    "a signer's name": lambda a: Signer.objects.filter(
        pk=Response.objects.get(petition=a).signer_id
    ).update(name="Renamed"),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_write_forgets_the_json_of_the_petitions_it_changes_and_no_other(client, pair, write):
    a, _ = pair
    WRITES[write](a)
    assert kept() == both("e-7002")
    # Read again, the petition shows the write (built afresh), the other its stored text.
    fresh = client.get("/petitions/e-7001.json").content
    stored_json.store_all()
    assert client.get("/petitions/e-7001.json").content == fresh


def test_a_write_that_changes_no_value_keeps_the_json(pair):
    a, _ = pair
    Petition.objects.filter(pk=a.pk).update(addressee=F("addressee"))
    Topic.objects.filter(pk=a.topic_id).update(name=F("name"))
    Response.objects.filter(petition=a).update(text=F("text"))
    assert kept() == both("e-7001", "e-7002")


def test_a_new_topic_member_or_portfolio_forgets_nothing(pair):
    TopicFactory(name="Unused")
    MemberFactory(caucus=CaucusFactory(name="Unused"))
    PortfolioFactory(name="Minister of Nothing")
    assert kept() == both("e-7001", "e-7002")


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_the_stored_text_reads_as_the_json_built_afresh(client, prefix):
    # A text holding what the stored text's placeholders look like stays as it was written.
    tricky = 'Say "status" : "?" and "url" : " and "state" : "?", in quotes.'
    petitions = [
        a_petition("e-7001", "A"),
        PetitionFactory(
            number="e-7002",
            prayer_text=tricky,
            closed_at=None,
            presented_on=None,
            presented_number=None,
        ),
        PetitionFactory(
            number="e-7003",
            closed_at=timezone.now() + timedelta(days=3),
            presented_on=None,
            presented_number=None,
        ),
        PetitionFactory(
            number="e-7004",
            presented_on=timezone.localdate() - timedelta(days=60),
            response_tabled_on=None,
        ),
    ]
    urls = [f"{prefix}/petitions/{p.number}.json" for p in petitions]
    page = f"{prefix}/petitions.json?per_page=500"
    built = [client.get(url).content for url in urls], client.get(page).content
    assert not StoredJson.objects.exists()
    assert stored_json.store_all() == 8
    assert ([client.get(url).content for url in urls], client.get(page).content) == built
    assert client.get(urls[1]).json()["prayer"]["text"] == tricky
    statuses = {item["status"] for item in client.get(page).json()["items"]}
    assert {"open", "closed"} <= statuses


def test_a_text_of_another_build_is_not_read(client, pair):
    StoredJson.objects.filter(petition=pair[0], language="en").update(body='{"stale": true}')
    assert client.get("/petitions/e-7001.json").json()["stale"] is True
    StoredJson.objects.filter(petition=pair[0], language="en").update(build="older")
    assert client.get("/petitions/e-7001.json").json()["number"] == "e-7001"
    assert stored_json.store("en") == 1  # built again, in place of the older build's
    assert client.get("/petitions/e-7001.json").json()["number"] == "e-7001"


def test_pages_are_read_stored_in_as_many_queries(client, django_assert_num_queries, pair):
    with django_assert_num_queries(5):  # the archive's version, count, plan, rows, plan back
        client.get("/petitions.json?per_page=500")
    StoredJson.objects.all().delete()
    with django_assert_num_queries(4):  # the count is kept until the archive changes
        assert len(client.get("/petitions.json?per_page=500").json()["items"]) == 2


def test_a_stored_petition_json_is_one_query(client, django_assert_num_queries, pair):
    with django_assert_num_queries(2):  # the archive's version; the petition with its text
        assert client.get("/petitions/e-7001.json").json()["number"] == "e-7001"
    StoredJson.objects.all().delete()
    with django_assert_num_queries(3):  # not stored: then built afresh
        assert client.get("/petitions/e-7001.json").json()["number"] == "e-7001"


def test_the_stored_json_is_read_by_the_same_statement_at_every_moment(client, pair):
    """The moment the status is read at is a parameter: PostgreSQL parses the statement once
    per connection instead of once per request."""
    with CaptureQueriesContext(connection) as queries:
        client.get("/petitions/e-7001.json")
    [lookup] = [q["sql"] for q in queries if "kept.json" in q["sql"]]
    statement = stored_json.lookup_statement("en", "http://testserver", timezone.localdate())
    assert "TIMESTAMPTZ '" not in statement.sql and "::timestamptz" in statement.sql
    assert "TIMESTAMPTZ '" not in lookup and "::timestamptz" in lookup  # as it ran


@pytest.mark.django_db(transaction=True)
def test_a_fill_waits_for_a_write_under_way_and_keeps_what_it_wrote(client):
    a = a_petition("e-7001", "A")
    written, filled = threading.Event(), []

    def writer():
        with transaction.atomic():
            Petition.objects.filter(pk=a.pk).update(signatures=4321)
            written.set()
            time.sleep(0.5)  # the fill starts meanwhile, and must wait for this to commit
        connections["default"].close()

    thread = threading.Thread(target=writer)
    thread.start()
    written.wait(5)
    filled.append(stored_json.store("en"))
    thread.join()
    assert filled == [1]
    assert '"signatures" : 4321' in StoredJson.objects.get(petition=a, language="en").body
    assert client.get("/petitions/e-7001.json").json()["signatures"] == 4321


def test_a_fill_that_cannot_get_its_lock_gives_up_and_stores_nothing(pair):
    StoredJson.objects.all().delete()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock_shared(%s)", [stored_json.LOCK])
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            assert not stored_json.locked(cursor, wait=0.2)
    finally:
        other.close()
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_shared(%s)", [stored_json.LOCK])
    assert stored_json.store("en", wait=0) == 2  # the lock is free again


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_fill_began_forgets_what_it_stored():
    a = a_petition("e-7001", "A")
    with transaction.atomic():
        assert stored_json.store("en") == 1  # its lock is held until this commits

        def writer():
            Petition.objects.filter(pk=a.pk).update(signatures=99)
            connections["default"].close()

        thread = threading.Thread(target=writer)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # the write waits for the fill to commit
    thread.join(5)
    assert not StoredJson.objects.filter(petition=a).exists()


@pytest.mark.django_db(transaction=True)
def test_a_page_that_built_json_stores_it_in_the_background(client, settings):
    settings.ARCHIVE_STORED_JSON_FILL = True
    a_petition("e-7001", "A")
    assert client.get("/petitions/e-7001.json").status_code == 200
    deadline = time.monotonic() + 10
    while kept() != both("e-7001") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kept() == both("e-7001")
    assert connection.vendor == "postgresql"


def test_the_json_twin_finds_the_petition_the_page_finds(client):
    """Two petitions known by one number (a paper petition's number, an e-petition's
    presentation number): the twin finds the one `Petition.objects.find` finds, as the page."""
    paper = PetitionFactory(number="441-00123", kind="paper", presented_number=None,
                            presented_on=timezone.localdate() - timedelta(days=300))  # fmt: skip
    newer = PetitionFactory(number="e-5123", presented_number="441-00123",
                            presented_on=timezone.localdate() - timedelta(days=100))  # fmt: skip
    assert paper.pk < newer.pk and Petition.objects.find("441-00123") == newer
    stored_json.store_all()
    page = client.get("/petitions/441-00123/")
    twin = client.get("/petitions/441-00123.json")
    assert (page.status_code, page["Location"]) == (301, "/petitions/e-5123/")
    assert (twin.status_code, twin["Location"]) == (301, "/petitions/e-5123.json")
