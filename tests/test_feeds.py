"""Atom feeds of new petitions and responses, the sitemap and robots.txt: valid XML, right entries."""

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from petitions.models import Petition
from responses.models import Response
from tests.conftest import count_queries
from tests.factories import PetitionFactory, PrayerItemFactory, ResponseFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ALL = ["e-4172", "e-2559", "e-2835", "431-00205", "e-123", "e-2672", "e-701"]


def atom(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    for entry in feed.iter(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    return feed


def entry_ids(feed: ET.Element) -> list[str]:
    return [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]


def numbers(feed: ET.Element) -> list[str]:
    return [re.search(r"/petitions/([^/]+)/", i).group(1) for i in entry_ids(feed)]


def listed(client, query: str) -> set[str]:
    html = client.get(f"/petitions/?{query}").content.decode()
    return set(re.findall(r'<a class="number" href="/petitions/([^/]+)/">', html))


def test_new_petitions_feed_lists_the_newest_in_the_archive(client, imported):
    feed = atom(client.get("/feeds/petitions/"))
    assert feed.findtext(f"{ATOM}title") == "New petitions"
    newest = list(Petition.objects.order_by("-id").values_list("number", flat=True))
    assert numbers(feed) == newest and sorted(newest) == sorted(ALL)
    assert entry_ids(feed) == [f"http://testserver/petitions/{n}/" for n in newest]
    entry = next(e for e in feed.iter(f"{ATOM}entry") if "e-2835" in e.findtext(f"{ATOM}id"))
    assert entry.findtext(f"{ATOM}title") == "e-2835: Foreign affairs"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/petitions/e-2835/"
    summary = entry.findtext(f"{ATOM}summary")
    # The petition's summary, its own words without the standard opening, and its status.
    assert "<p>Reaffirm its commitment to openness" in summary and "Response tabled" in summary
    assert "call upon the House of Commons" not in summary
    assert entry.find(f"{ATOM}category").get("term") == "Foreign affairs"
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == "http://testserver/feeds/petitions/"


@pytest.mark.parametrize(
    "query",
    [
        "topic=foreign-affairs",
        "topic=foreign-affairs&topic=public-safety",
        "minister=minister-of-foreign-affairs",
        "sponsor=paul-manly",
        "status=responded&parliament=43",
        "q=huawei",
        "q=foreign+interference&sort=oldest",
        "presented_from=2021-01-01",
        "topic=no-such-topic",
    ],
)
def test_a_filtered_feed_holds_the_filtered_list(client, imported, query):
    feed = atom(client.get(f"/feeds/petitions/?{query}"))
    assert set(numbers(feed)) == listed(client, query)
    assert len(numbers(feed)) == len(set(numbers(feed)))


def test_feed_titles_name_the_filters(client, imported):
    feed = atom(client.get("/feeds/petitions/?topic=foreign-affairs&q=canada&page=2&sort=oldest"))
    assert feed.findtext(f"{ATOM}title") == "New petitions — search: canada; topic: Foreign affairs"
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == "http://testserver/petitions/?topic=foreign-affairs&q=canada"


def test_feeds_hold_the_fifty_newest(client):
    PetitionFactory.create_batch(55)
    feed = atom(client.get("/feeds/petitions/"))
    newest = Petition.objects.order_by("-id").values_list("number", flat=True)[:50]
    assert numbers(feed) == list(newest)


def test_feed_queries_do_not_grow_with_the_entries(client):
    for petition in PetitionFactory.create_batch(2):
        ResponseFactory(petition=petition)
        PrayerItemFactory(petition=petition)
    few = (
        count_queries(client, "/feeds/petitions/"),
        count_queries(client, "/feeds/responses/?minister=minister-of-health"),
    )
    for petition in PetitionFactory.create_batch(30):
        ResponseFactory(petition=petition)
        PrayerItemFactory(petition=petition)
    assert (
        count_queries(client, "/feeds/petitions/"),
        count_queries(client, "/feeds/responses/?minister=minister-of-health"),
    ) == few


def test_imported_text_is_escaped_in_feeds(client):
    petition = PetitionFactory(prayer_text="<script>alert('prayer')</script> & more")
    ResponseFactory(petition=petition, text="<img src=x onerror=alert(1)>")
    for path in ["/feeds/petitions/", "/feeds/responses/"]:
        summary = atom(client.get(path)).find(f"{ATOM}entry").findtext(f"{ATOM}summary")
        assert "<script>" not in summary and "<img" not in summary
        assert "&lt;script&gt;" in summary or "&lt;img src=x" in summary


def test_new_responses_feed_lists_the_latest_tabled(client, imported):
    feed = atom(client.get("/feeds/responses/"))
    assert feed.findtext(f"{ATOM}title") == "New responses"
    latest = Response.objects.order_by("-tabled_on", "id").select_related("petition")
    expected = [f"http://testserver/petitions/{r.petition.number}/#{r.anchor}" for r in latest]
    assert entry_ids(feed) == expected
    entry = next(e for e in feed.iter(f"{ATOM}entry") if "e-2835" in e.findtext(f"{ATOM}id"))
    assert entry.findtext(f"{ATOM}title") == (
        "Minister of Foreign Affairs to e-2835 (Foreign affairs)"
    )
    assert entry.findtext(f"{ATOM}published").startswith("2021-01-25T00:00:00")
    assert "Signed by Rob Oliphant." in entry.findtext(f"{ATOM}summary")
    old = next(e for e in feed.iter(f"{ATOM}entry") if "e-123" in e.findtext(f"{ATOM}id"))
    assert "Sessional Paper No. 8545-421-66-01" in old.findtext(f"{ATOM}summary")


def test_a_portfolios_response_feed_holds_only_its_responses(client):
    health = PetitionFactory()
    ResponseFactory(petition=health, position=1, tabled_on=date(2024, 3, 1))
    ResponseFactory(
        petition=health,
        position=2,
        portfolio__name="Minister of Justice",
        tabled_on=date(2024, 4, 1),
    )
    ResponseFactory(portfolio__name="Minister of Justice", tabled_on=date(2024, 5, 1))
    feed = atom(client.get("/feeds/responses/?minister=minister-of-health"))
    assert entry_ids(feed) == [f"http://testserver/petitions/{health.number}/#response-1"]
    justice = atom(client.get("/feeds/responses/?minister=minister-of-justice"))
    assert len(entry_ids(justice)) == 2
    assert feed.findtext(f"{ATOM}title") == "New responses — minister: Minister of Health"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("opened_from=2020-13-01", "opened_from"),
        ("page=0", "page"),
        ("sort=bogus", "sort"),
        ("kind=petition", "kind"),
        ("parliament=forty", "parliament"),
        ("topic=%3Cscript%3E", "topic"),
    ],
)
def test_feeds_answer_bad_parameters_as_the_list_does(client, imported, query, parameter):
    for path in ["/petitions/", "/feeds/petitions/", "/feeds/responses/"]:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert f"<li>{parameter}:" in response.content.decode()


def test_topic_and_portfolio_pages_link_to_their_feeds(client, imported):
    topic = client.get("/topics/foreign-affairs/").content.decode().split("</head>")[0]
    assert 'type="application/atom+xml" title="New petitions in this list" ' in topic
    assert 'href="/feeds/petitions/?topic=foreign-affairs"' in topic
    minister = client.get("/ministers/minister-of-foreign-affairs/").content.decode()
    head = minister.split("</head>")[0]
    assert 'href="/feeds/responses/?minister=minister-of-foreign-affairs"' in head
    feed = atom(client.get("/feeds/responses/?minister=minister-of-foreign-affairs"))
    assert [n.split("#")[0] for n in numbers_with_anchors(feed)] == ["e-2559", "e-2835"]


def numbers_with_anchors(feed: ET.Element) -> list[str]:
    return [i.split("/petitions/")[1].replace("/", "") for i in entry_ids(feed)]


# Sitemap and robots.txt -------------------------------------------------------------------


def locations(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_index_covers_every_permanent_page(client, imported, settings):
    settings.ARCHIVE_SITEMAP_LIMIT = 3
    index = client.get("/sitemap.xml")
    root = ET.fromstring(index.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    sitemaps = locations(index)
    assert sitemaps == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-petitions.xml",
        "http://testserver/sitemap-petitions.xml?p=2",
        "http://testserver/sitemap-petitions.xml?p=3",
        "http://testserver/sitemap-topics.xml",
        "http://testserver/sitemap-ministers.xml",
        "http://testserver/sitemap-members.xml",
        "http://testserver/sitemap-documents.xml",
    ]
    pages = [loc for sitemap in sitemaps for loc in locations(client.get(sitemap))]
    petitions = [p for p in pages if "/petitions/" in p and p != "http://testserver/petitions/"]
    assert sorted(petitions) == sorted(f"http://testserver/petitions/{n}/" for n in ALL)
    for expected in [
        "http://testserver/",
        "http://testserver/petitions/",
        "http://testserver/about/data/",
        "http://testserver/documents/",
        "http://testserver/stats/",
        "http://testserver/topics/foreign-affairs/",
        "http://testserver/ministers/minister-of-foreign-affairs/",
        "http://testserver/members/garnett-genuis/",
    ]:
        assert expected in pages
    assert all(client.get(p.removeprefix("http://testserver")).status_code == 200 for p in pages)


def test_sitemap_gives_each_petitions_last_change(client, imported):
    root = ET.fromstring(client.get("/sitemap-petitions.xml").content)
    lastmods = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }
    petition = Petition.objects.get(number="e-2835")
    changed = timezone.localdate(petition.updated_at).isoformat()
    assert lastmods["http://testserver/petitions/e-2835/"] == changed
    pages, petitions, *_ = ET.fromstring(client.get("/sitemap.xml").content)
    assert pages.find(f"{SITEMAP}lastmod") is None  # the archive's own pages carry no date
    latest = Petition.objects.latest("updated_at").updated_at
    assert petitions.findtext(f"{SITEMAP}lastmod") == timezone.localtime(latest).isoformat()


def test_sitemap_queries_do_not_grow_with_the_archive(client, settings):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap.xml").status_code == 200
            assert client.get("/sitemap-petitions.xml?p=2").status_code == 200
        return len(captured)

    settings.ARCHIVE_SITEMAP_LIMIT = 5
    PetitionFactory.create_batch(10)
    few = queries()
    PetitionFactory.create_batch(30)
    assert queries() == few


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *\nDisallow: /admin/\n" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
