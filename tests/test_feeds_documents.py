"""Feeds for people and context documents as records: feed entries dated by the petition's own
events and styled for a browser; each document's JSON twin and citations; a JSON 404 for any
`.json` address that names nothing."""

import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from browse.filters import day_start
from documents.models import Document, PetitionLink, Suggestion
from petitions.models import Petition
from staff.withdrawal import withdraw
from tests.conftest import DOCUMENT_SEEDS, PETITION_PAGES, count_queries, run_import, text_of
from tests.factories import PetitionFactory
from tests.test_feeds import ALL

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XSL_PI = '<?xml-stylesheet href="/static/feeds/atom.xsl" type="text/xsl"?>'
NEWS_SLUG = "political-interference-foreign-actors-had-relationships-with-canadian-mps-and-senators"
NOTE_SLUG = "foreign-interference-2020-11-24"


@pytest.fixture
def archive(db):
    """Every petition page and both document seeds, through the real import command."""
    return run_import(*PETITION_PAGES, *DOCUMENT_SEEDS)


def entries(response) -> dict[str, ET.Element]:
    """The feed's entries by their id."""
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    return {e.findtext(f"{ATOM}id"): e for e in feed.iter(f"{ATOM}entry")}


def today_in_french() -> str:
    with translation.override("fr"):
        return date_format(timezone.localdate(), "DATE_FORMAT")


def stamp(entry: ET.Element, name: str):
    return timezone.datetime.fromisoformat(entry.findtext(f"{ATOM}{name}"))


# Feeds: dated by the petition's events ------------------------------------------------------


def test_petition_entries_are_dated_by_the_petitions_own_events(client, archive):
    feed = entries(client.get("/feeds/petitions/"))
    e2835 = Petition.objects.get(number="e-2835")
    entry = feed["http://testserver/petitions/e-2835/"]
    # Opened for signature first; the latest event is the response, tabled 2021-01-25.
    assert stamp(entry, "published") == e2835.opened_at
    assert stamp(entry, "updated") == day_start(e2835.response_tabled_on)
    assert entry.findtext(f"{ATOM}updated").startswith("2021-01-25T00:00:00")
    assert stamp(entry, "published") < stamp(entry, "updated")
    # A paper petition is never opened online: it is first dated by its presentation.
    paper = Petition.objects.get(number="431-00205")
    assert paper.opened_at is None and paper.presented_on
    entry = feed["http://testserver/petitions/431-00205/"]
    assert stamp(entry, "published") == day_start(paper.presented_on)
    # No entry carries the day the archive imported it.
    imported_on = {timezone.localdate(p.created_at) for p in Petition.objects.all()}
    for entry in feed.values():
        assert timezone.localdate(stamp(entry, "published")) not in imported_on


def test_a_petition_with_no_event_yet_keeps_a_date(client, db):
    petition = PetitionFactory(opened_at=None, presented_on=None, response_tabled_on=None)
    entry = entries(client.get("/feeds/petitions/"))[
        f"http://testserver{petition.get_absolute_url()}"
    ]
    assert stamp(entry, "published") == stamp(entry, "updated") == petition.created_at


def test_response_entries_are_dated_by_their_tabling(client, archive):
    feed = entries(client.get("/feeds/responses/"))
    for entry_id, entry in feed.items():
        number = entry_id.split("/petitions/")[1].split("/")[0]
        tabled = Petition.objects.get(number=number).responses.get().tabled_on
        assert stamp(entry, "published") == stamp(entry, "updated") == day_start(tabled)


# Feeds: styled for a browser ----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/feeds/petitions/", "/fr/feeds/responses/?topic=health"])
def test_feeds_name_their_stylesheet_which_is_served(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    # After the XML declaration, before the feed's first tag.
    assert response.content.decode().startswith(
        f'<?xml version="1.0" encoding="utf-8"?>\n{XSL_PI}<feed '
    )
    assert ET.fromstring(response.content).tag == f"{ATOM}feed"  # still a valid Atom feed
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "style-src 'self'" in policy
    xsl = finders.find("feeds/atom.xsl")
    assert xsl and ET.parse(xsl).getroot().tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    assert finders.find("feeds/atom.css")


def test_french_feeds_declare_french(client, db):
    feed = ET.fromstring(client.get("/fr/feeds/petitions/").content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert feed.findtext(f"{ATOM}title") == "Nouvelles pétitions"


@pytest.fixture
def feed_tab(browser, live_server):
    """A tab that records what the Content-Security-Policy blocked. Chromium puts its own
    XSLT-deprecation banner (inline styles and an inline handler, its markup, not the archive's)
    into any page an XSLT renders; the policy blocks it, so the banner never shows."""
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.blocked = []
    tab.on(
        "console",
        lambda m: tab.blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield tab
    context.close()


@pytest.mark.parametrize(
    ("path", "heading", "about"),
    [
        ("/feeds/petitions/", "New petitions", "What is a feed?"),
        ("/fr/feeds/petitions/", "Nouvelles pétitions", "Qu’est-ce qu’un fil ?"),
    ],
)
def test_a_browser_shows_a_feed_as_a_page(
    committed_archive, feed_tab, live_server, path, heading, about
):
    page = feed_tab
    page.goto(path)
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.get_by_role("heading", name=about)).to_be_visible()
    titles = page.locator(".entry h3 a")
    expect(titles.first).to_be_visible()
    assert titles.count() == len(ALL)  # every petition of the seeds and samples
    prefix = "/fr" if path.startswith("/fr/") else ""
    link = page.locator(".entry h3 a", has_text="e-2835: ")
    expect(link).to_have_attribute("href", f"{live_server.url}{prefix}/petitions/e-2835/")
    expect(page.locator("code.feed-url")).to_have_text(f"{live_server.url}{path}")
    # Styled by the static stylesheet, not shown as an XML tree.
    assert page.locator("main").evaluate("m => getComputedStyle(m).maxWidth") != "none"
    # Nothing of the archive's own needed an exception to the policy: whatever was blocked is
    # Chromium's banner; the archive's markup has no inline style or handler.
    ours = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter(e => !e.closest('xslt-warning-banner')
        && [...e.attributes].some(a => a.name === 'style' || a.name.startsWith('on'))).length"""
    )
    assert ours == 0
    banner = page.locator("xslt-warning-banner").count()
    assert not page.blocked or banner == 1, page.blocked
    assert all("inline" in message for message in page.blocked), page.blocked


# Documents: the JSON twin -------------------------------------------------------------------


def test_the_briefing_notes_json(client, archive):
    response = client.get(f"/documents/{NOTE_SLUG}.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    document = Document.objects.get(slug=NOTE_SLUG)
    assert {k: data[k] for k in ("slug", "url", "kind", "title", "date", "language")} == {
        "slug": NOTE_SLUG,
        "url": f"http://testserver/documents/{NOTE_SLUG}/",
        "kind": "briefing-note",
        "title": "Foreign Interference",
        "date": "2020-11-24",
        "language": "en",
    }
    assert (data["publisher"], data["classification"], data["branch"]) == (
        "Public Safety Canada",
        "Unclassified",
        "NSCB/PS",
    )
    assert data["prepared_by"] == "NSOD" and data["approved_by"].startswith("Dominic Rochon")
    assert data["issue"].startswith("Public engagement and awareness efforts")
    assert data["credit"] is None
    paragraphs = data["paragraphs"]
    assert len(paragraphs) == 9
    assert paragraphs[0]["anchor"] == "s1" and paragraphs[0]["heading"] is True
    assert paragraphs[2]["anchor"] == "p3" and paragraphs[2]["heading"] is False
    assert [p["text"] for p in paragraphs] == list(
        document.paragraphs.values_list("text", flat=True)
    )
    assert data["source"] == {
        "imported_at": document.latest_source.imported_at.isoformat(),
        "content_hash": document.latest_source.content_hash,
    }
    # The archive's suggestions, labelled as such and apart from the (empty) confirmed links.
    assert data["petitions"] == []
    suggested = set(Suggestion.objects.filter(document=document).values_list("petition__number"))
    assert {p["number"] for p in data["suggestions"]["petitions"]} == {n for (n,) in suggested}
    assert data["suggestions"]["label"] == "suggestion"
    assert "not checked by its staff" in data["suggestions"]["rule"]
    first = data["suggestions"]["petitions"][0]
    assert first["url"] == f"http://testserver/petitions/{first['number']}/"


def test_the_news_articles_json_with_its_linked_petitions_and_topics(client, archive):
    document = Document.objects.get(slug=NEWS_SLUG)
    e2835 = Petition.objects.get(number="e-2835")
    PetitionLink.objects.create(document=document, petition=e2835, note="The same subject.")
    data = json.loads(client.get(f"/documents/{NEWS_SLUG}.json").content)
    assert (data["kind"], data["date"], data["publisher"], data["credit"]) == (
        "news-article",
        None,
        None,
        "With Boris Proulx",
    )
    assert data["classification"] is data["branch"] is data["issue"] is None
    assert len(data["paragraphs"]) == 21
    headings = [p["text"] for p in data["paragraphs"] if p["heading"]]
    assert headings == ["Too slow to react", "Be careful with diplomats"]
    assert data["petitions"] == [
        {
            "number": "e-2835",
            "url": "http://testserver/petitions/e-2835/",
            "topic": "Foreign affairs",
            "note": "The same subject.",
        }
    ]
    assert "e-2835" not in {p["number"] for p in data["suggestions"]["petitions"]}
    assert data["topics"] == [
        {
            "name": "Foreign affairs",
            "slug": "foreign-affairs",
            "url": "http://testserver/topics/foreign-affairs/",
        }
    ]
    # The French twin: the same record, French names and addresses.
    french = json.loads(client.get(f"/fr/documents/{NEWS_SLUG}.json").content)
    assert french["url"] == f"http://testserver/fr/documents/{NEWS_SLUG}/"
    assert french["title"] == data["title"] and french["paragraphs"] == data["paragraphs"]
    assert french["petitions"][0]["url"] == "http://testserver/fr/petitions/e-2835/"
    assert french["topics"][0]["name"] == "Affaires étrangères"
    assert french["suggestions"]["rule"].startswith("Pétitions qui partagent les mots")


def test_a_withdrawn_documents_json_is_410(client, archive):
    withdraw(Document.objects.get(slug=NOTE_SLUG), "Published by mistake.", None)
    response = client.get(f"/documents/{NOTE_SLUG}.json")
    assert response.status_code == 410 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data == {
        "slug": NOTE_SLUG,
        "withdrawn_on": timezone.localdate().isoformat(),
        "reason": "Published by mistake.",
    }


def test_the_document_json_queries_do_not_grow_with_links(client, archive):
    note = Document.objects.get(slug=NOTE_SLUG)
    before = count_queries(client, f"/documents/{NOTE_SLUG}.json")
    for petition in Petition.objects.all()[:4]:
        PetitionLink.objects.create(document=note, petition=petition)
    assert count_queries(client, f"/documents/{NOTE_SLUG}.json") == before <= 6


# Documents: linked and cited from their page ------------------------------------------------


def test_the_document_page_links_its_json_and_cites_itself(client, archive):
    html = client.get(f"/documents/{NOTE_SLUG}/").content.decode()
    assert (
        f'<link rel="alternate" type="application/json" href="/documents/{NOTE_SLUG}.json">' in html
    )
    assert f'<a href="/documents/{NOTE_SLUG}.json">JSON</a>' in html
    page = text_of(client.get(f"/documents/{NOTE_SLUG}/"))
    today = timezone.localdate()
    url = f"http://testserver/documents/{NOTE_SLUG}/"
    assert "Cite this document" in page
    assert (
        "Public Safety Canada. (2020, November 24). Foreign Interference [Briefing note]. "
        f"Petition archive. Retrieved {today:%B} {today.day}, {today.year}, from {url}"
    ) in page
    assert (
        "Public Safety Canada. “Foreign Interference.” Briefing note. Petition archive. "
        f"Accessed {today:%B} {today.day}, {today.year}. {url}."
    ) in page
    assert f"@misc{{document-{NOTE_SLUG}," in page and "year = {2020}" in page
    # An article whose page names no outlet and no date: the title comes first, "n.d.".
    news = text_of(client.get(f"/documents/{NEWS_SLUG}/"))
    assert "Political interference: foreign actors had relationships" in news
    assert "[News article]. (n.d.). Petition archive. Retrieved" in news
    assert "author = " not in news.split("@misc")[1]


def test_the_french_document_page_cites_in_french(client, archive):
    page = text_of(client.get(f"/fr/documents/{NOTE_SLUG}/"))
    assert "Citer ce document" in page
    url = f"http://testserver/fr/documents/{NOTE_SLUG}/"
    assert (
        "Public Safety Canada. (2020, 24 novembre). Foreign Interference [Note d’information]. "
        f"Archive des pétitions. Consulté le {today_in_french()}, à l’adresse {url}"
    ) in page
    assert "Public Safety Canada. “Foreign Interference.” Note d’information." in page
    assert (
        f'href="/fr/documents/{NOTE_SLUG}.json"'
        in client.get(f"/fr/documents/{NOTE_SLUG}/").content.decode()
    )


# A JSON 404 for a `.json` address -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/petitions/e-99999.json",
        "/documents/no-such-document.json",
        "/topics/nope.json",
        "/nothing-here.json",
        "/fr/petitions/e-99999.json",
    ],
)
def test_a_json_address_that_names_nothing_is_a_json_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    errors = data["errors"]
    assert len(errors) == 1 and path in errors[0]
    french = path.startswith("/fr/")
    assert ("n’est dans l’archive" if french else "is in the archive") in errors[0]
    assert data["help"].startswith(
        "Les numéros de pétition" if french else "Petition numbers look like"
    )


@pytest.mark.parametrize("path", ["/petitions/e-99999/", "/documents/nope/", "/nope.jsonx"])
def test_other_missing_addresses_stay_html_404s(client, db, path):
    response = client.get(path)
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_document_date_is_iso(client, db):
    document = Document.objects.create(
        slug="dated", kind="news-article", title="Dated", published_on=date(2024, 6, 4)
    )
    data = json.loads(client.get(document.get_json_url()).content)
    assert data["date"] == "2024-06-04" and data["source"]["content_hash"] is None
