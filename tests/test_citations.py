"""What a journalist takes from a petition page: a citation, a link preview and a printout."""

import html
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from browse.citations import long_date
from tests.conftest import SCREENSHOTS, screenshot
from tests.factories import PetitionFactory, TopicFactory

pytestmark = pytest.mark.django_db

URL = "http://testserver/petitions/e-2835/"


def citation(text: str, name: str) -> str:
    """The text of one citation block, as a reader would copy it."""
    match = re.search(
        rf'<pre class="cite-text[^"]*"[^>]*aria-labelledby="cite-{name}">(.*?)</pre>', text, re.S
    )
    assert match, f"no {name} citation"
    return html.unescape(match.group(1))


def meta(text: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', text)
    assert match, f"no {key}"
    return html.unescape(match.group(1))


def detail(client, number: str) -> str:
    response = client.get(f"/petitions/{number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_citations_carry_the_canonical_url_and_the_dates(client, imported):
    today = long_date(timezone.localdate())
    text = detail(client, "e-2835")
    assert citation(text, "apa") == (
        "House of Commons of Canada. (2020, November 27). Petition e-2835 (Foreign affairs) "
        "[Presented to the House of Commons on November 27, 2020 (Petition No. 432-00309); "
        "government response tabled on January 25, 2021]. Petition archive. "
        f"Retrieved {today}, from {URL}"
    )
    assert citation(text, "chicago") == (
        "House of Commons of Canada. “Petition e-2835 (Foreign affairs).” Presented to the House "
        "of Commons on November 27, 2020 (Petition No. 432-00309); government response tabled on "
        f"January 25, 2021. Petition archive. Accessed {today}. {URL}."
    )
    bibtex = citation(text, "bibtex")
    assert bibtex.startswith("@misc{petition-e-2835,\n")
    for line in [
        "  author = {{House of Commons of Canada}},",
        "  title = {{Petition e-2835 (Foreign affairs)}},",
        "  year = {2020},",
        "  date = {2020-11-27},",
        f"  url = {{{URL}}},",
        f"  urldate = {{{timezone.localdate().isoformat()}}},",
    ]:
        assert line in bibtex.splitlines(), line
    assert "government response tabled on January 25, 2021" in bibtex
    assert bibtex.endswith("\n}")


def test_another_form_of_the_number_cites_the_canonical_url(client, imported):
    response = client.get("/petitions/432-00309/", follow=True)
    assert response.redirect_chain == [("/petitions/e-2835/", 301)]
    assert URL in citation(response.content.decode(), "apa")
    assert "432-00309/" not in citation(response.content.decode(), "bibtex")


def test_paper_petition_without_response(client, imported):
    text = detail(client, "431-00205")
    apa = citation(text, "apa")
    assert apa.startswith("House of Commons of Canada. (2020, May 20). Petition 431-00205 (Foreign")
    assert "[Presented to the House of Commons on May 20, 2020]" in apa  # its number is its title
    assert "response" not in apa
    assert "http://testserver/petitions/431-00205/" in apa


def test_never_presented_petition_is_dated_by_its_opening(client, imported):
    text = detail(client, "e-2672")
    assert "(2020, June 15)" in citation(text, "apa")
    assert "Opened for signature on June 15, 2020." in citation(text, "chicago")
    assert "  date = {2020-06-15}," in citation(text, "bibtex").splitlines()


def test_imported_text_is_escaped_in_citations_and_previews(client):
    topic = TopicFactory(name="Arts & <culture> {100%}", slug="arts")
    petition = PetitionFactory(topic=topic, prayer_text='We "call" upon <b>the House</b> & more.')
    text = detail(client, petition.number)
    assert "<culture>" not in text and "<b>the House</b>" not in text
    bibtex = citation(text, "bibtex")
    assert r"title = {{Petition " in bibtex and r"Arts \& <culture> \{100\%\})}}" in bibtex
    assert meta(text, "og:description") == 'We "call" upon <b>the House</b> & more.'


def test_link_preview_tags(client, imported):
    text = detail(client, "e-2835")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', text).group(1)
    assert canonical == URL
    assert meta(text, "og:url") == URL
    assert meta(text, "og:type") == "article"
    assert meta(text, "og:site_name") == "Petition archive"
    assert (
        meta(text, "og:title") == meta(text, "twitter:title") == "Petition e-2835 (Foreign affairs)"
    )
    description = meta(text, "og:description")
    # The petition's own words: its first prayer item, without the standard opening.
    assert description.startswith("Reaffirm its commitment to openness")
    assert "undersigned" not in description and len(description.split()) <= 31
    assert meta(text, "twitter:card") == "summary"
    assert meta(text, "article:published_time") == "2020-11-27"


def test_citations_need_no_script_and_every_page_links_the_print_stylesheet(client, imported):
    text = detail(client, "e-2835")
    assert "<script" not in text
    assert text.count('class="cite-text') == 3
    for path in ("/", "/petitions/", "/petitions/e-2835/", "/stats/"):
        page_text = client.get(path).content.decode()
        assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in page_text


def test_printing_a_petition_shows_the_record_and_hides_the_site(
    committed_archive, page, live_server
):
    page.goto("/petitions/e-2835/")
    page.emulate_media(media="print")
    for chrome in (".site-header nav", ".site-search", ".site-footer", "#cite-bibtex"):
        expect(page.locator(chrome).first).to_be_hidden()
    for record in (
        "h1",
        "#prayer-1",
        "#grievance-1",
        ".timeline",
        "#response-1",
        "#response-1-p10",
    ):
        expect(page.locator(record).first).to_be_visible()
    expect(page.locator("pre.cite-text").first).to_be_visible()  # the APA citation prints
    style = page.eval_on_selector("#response-1-p1", "e => getComputedStyle(e).breakInside")
    assert style in ("avoid", "avoid-page")
    layout = page.eval_on_selector(".petition-layout", "e => getComputedStyle(e).display")
    assert layout == "block"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "print-e-2835.pdf"
    pdf.unlink(missing_ok=True)
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 10_000
    screenshot(page, "print-e-2835")

    page.emulate_media(media="screen")
    expect(page.locator(".site-header nav")).to_be_visible()
    expect(page.locator("#cite-bibtex")).to_be_visible()
