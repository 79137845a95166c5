"""The French site: every public page under /fr/ with the same paths, entirely in French.

The "no English left" check reads the catalogue itself: every English msgid (of 2 words or more,
and every piece of 3 words or more of a msgid with placeholders or markup) must be absent from
the visible text of the French pages, unless it is part of a record's own text (petitions,
responses, names, documents), which are not interface strings.
"""

import ast
import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from documents.models import Document, Paragraph
from petitions.models import Grievance, Member, Petition, PrayerItem, Province, Topic
from responses.models import Portfolio, Response, Signer
from staff.withdrawal import withdraw
from tests.conftest import DOCUMENT_SEEDS, PETITION_PAGES, count_queries, run_import, text_of

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: {"msgctxt", "msgid", "msgid_plural", "msgstr": [..], "flags"}."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry or {"msgctxt": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += text
            else:
                entry[key] += text
        else:
            word, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if word.startswith("msgstr"):
                key = int(word[7:-1]) if "[" in word else 0
                entry["msgstr"][key] = value
            else:
                key = word
                entry[key] = value
    return [e for e in entries if e.get("msgid")]  # the header has an empty msgid


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return read_po(CATALOGUE / "django.po")


@pytest.fixture
def archive(db):
    return run_import(*PETITION_PAGES, *DOCUMENT_SEEDS)


def public_paths() -> dict[str, str]:
    """One URL of every public pattern, on the English site (the French one adds /fr)."""
    topic = Topic.objects.order_by("id").first()
    portfolio = Portfolio.objects.order_by("id").first()
    member = Member.objects.order_by("id").first()
    document = Document.objects.order_by("id").first()
    return {
        "home": "/",
        "list": "/petitions/?q=foreign",
        "list, filtered": "/petitions/?status=responded&kind=e-petition",
        "petition": "/petitions/e-2835/",
        "paper petition": "/petitions/431-00205/",
        "petition JSON": "/petitions/e-2835.json",
        "list CSV": "/petitions.csv?q=foreign",
        "list JSON": "/petitions.json?q=foreign",
        "petitions feed": "/feeds/petitions/?topic=" + topic.slug,
        "responses feed": "/feeds/responses/",
        "topic": topic.get_absolute_url(),
        "minister": portfolio.get_absolute_url(),
        "member": member.get_absolute_url(),
        "documents": "/documents/",
        "document": document.get_absolute_url(),
        "statistics": "/stats/",
        "statistics CSV": "/stats/portfolios.csv",
        "about the data": "/about/data/",
    }


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


def french_pages(client) -> dict[str, object]:
    """Every public page in French, with a 400, a 404 and (last) a 410."""
    paths = {name: "/fr" + path for name, path in public_paths().items()}
    with translation.override("fr"):  # a topic's and a portfolio's French slugs
        paths["topic"] = Topic.objects.order_by("id").first().get_absolute_url()
        paths["minister"] = Portfolio.objects.order_by("id").first().get_absolute_url()
    pages = {name: client.get(path) for name, path in paths.items()}
    pages["400"] = client.get("/fr/petitions/?opened_from=yesterday")
    pages["404"] = client.get("/fr/petitions/e-99999999/")
    return pages


def visible_text(response) -> str:
    """What a reader sees or hears: the text, and the attributes read aloud or shown."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    spoken = re.findall(r'(?:title|aria-label|placeholder|content|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(" ".join([text, *spoken])).split())


def english_phrases(catalogue: list[dict]) -> set[str]:
    """The catalogue's English: whole msgids of 2+ words, and 3+-word pieces of the others."""
    phrases = set()
    provinces = {str(label) for label in Province.labels}
    for entry in catalogue:
        for msgid in filter(None, [entry["msgid"], entry["msgid_plural"]]):
            if entry["msgctxt"] == "CSV column" or msgid in provinces:
                continue
            pieces = re.split(r"%\(\w+\)s|\{\w+\}|<[^>]+>|&\w+;|%%", msgid)
            for piece in pieces:
                piece = " ".join(piece.split()).strip(" .,;:()“”")
                if len(piece.split()) >= (2 if len(pieces) == 1 else 3):
                    phrases.add(piece)
    return phrases


def record_texts() -> str:
    """Every text the archive holds as a record (not an interface string), joined."""
    texts = [
        *Petition.objects.values_list("addressee", "prayer_text", "initiator_province_text"),
        *Grievance.objects.values_list("text"),
        *PrayerItem.objects.values_list("text"),
        *Response.objects.values_list("text"),
        *Topic.objects.values_list("name"),
        *Portfolio.objects.values_list("name"),
        *Signer.objects.values_list("name"),
        *Member.objects.values_list("name", "riding"),
        *Document.objects.values_list("title", "summary", "publisher", "byline", "branch"),
        *Paragraph.objects.values_list("text"),
    ]
    return " ".join(" ".join(str(v) for v in row if v) for row in texts)


def test_every_public_page_answers_in_french(client, archive):
    pages = french_pages(client)
    petition = Petition.objects.get(number="e-2835")
    withdraw(petition, "Imported twice by mistake.", None)
    pages["410"] = client.get("/fr/petitions/e-2835/")
    expected = {"400": 400, "404": 404, "410": 410}
    for name, response in pages.items():
        assert response.status_code == expected.get(name, 200), name
        kind = response["Content-Type"]
        if kind.startswith("text/html"):
            assert '<html lang="fr">' in response.content.decode(), name
        elif name.endswith("feed"):
            assert "<feed" in body(response) and 'xml:lang="fr"' in body(response), name
    assert "Requête incorrecte" in text_of(pages["400"])
    assert "opened_from: Saisissez une date valide." in text_of(pages["400"])
    assert "Page introuvable" in text_of(pages["404"])
    assert "La pétition e-2835 a été retirée" in text_of(pages["410"])


def test_the_english_site_is_unchanged_and_ignores_accept_language(client, archive):
    page = client.get("/petitions/e-2835/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()
    assert "Government response" in text_of(page)
    assert client.get("/fr/admin/").status_code == 404  # the admin has no French twin


def test_the_catalogue_is_complete(catalogue):
    assert len(catalogue) > 300
    for entry in catalogue:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        assert entry["msgstr"] and all(entry["msgstr"].values()), entry["msgid"]
    # The compiled catalogue is committed and matches the source: every msgid translates.
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for entry in catalogue:
        if not entry["msgid_plural"] and not entry["msgctxt"]:
            assert translations.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]


def test_no_english_interface_string_is_left_on_the_french_pages(client, archive, catalogue):
    phrases = english_phrases(catalogue)
    assert {"Government response tabled", "Cite this petition", "Record history"} <= phrases
    records = record_texts()
    interface = {p for p in phrases if p not in records}
    pages = french_pages(client)
    for name, response in pages.items():
        if not response["Content-Type"].startswith("text/html"):
            continue
        text = visible_text(response)
        left = sorted(p for p in interface if re.search(rf"\b{re.escape(p)}\b", text))
        assert not left, f"{name}: {left}"


def test_the_check_would_catch_an_unwrapped_string(client, archive, catalogue):
    """The walker's own test: an English page read as if French shows the catalogue's strings."""
    phrases = english_phrases(catalogue)
    text = visible_text(client.get("/petitions/e-2835/"))
    assert {"Cite this petition", "About this record"} <= {p for p in phrases if p in text}


def test_each_page_links_to_its_twin_with_hreflang(client, archive):
    french = client.get("/fr/petitions/e-2835/").content.decode()
    english = client.get("/petitions/e-2835/").content.decode()
    assert re.search(r'<a [^>]*href="/petitions/e-2835/" hreflang="en"', french)
    assert re.search(r'<a [^>]*href="/fr/petitions/e-2835/" hreflang="fr"', english)
    for page in (french, english):
        assert 'hreflang="x-default" href="http://testserver/petitions/e-2835/"' in page
        assert 'hreflang="fr" href="http://testserver/fr/petitions/e-2835/"' in page
        assert 'hreflang="en" href="http://testserver/petitions/e-2835/"' in page
    # The query string is kept, and the data links of a French list are the French ones.
    listing = client.get("/fr/petitions/?q=foreign&status=responded").content.decode()
    assert 'href="/petitions/?q=foreign&amp;status=responded" hreflang="en"' in listing
    assert 'href="/fr/petitions.csv?q=foreign&amp;status=responded"' in listing
    assert 'href="/fr/feeds/petitions/?q=foreign&amp;status=responded"' in listing


def test_query_counts_do_not_depend_on_the_language(client, archive):
    for path in ("/petitions/e-2835/", "/petitions/?q=foreign", "/petitions/", "/stats/"):
        client.get(path), client.get("/fr" + path)  # the caches of both languages are warm
        assert count_queries(client, "/fr" + path) == count_queries(client, path), path


def test_french_dates_numbers_and_parliament(client, archive):
    page = text_of(client.get("/fr/petitions/e-2835/"))
    assert re.search(rf"\b\d{{1,2}} ({MONTHS}) \d{{4}} à \d{{1,2}} h \d\d\b", page)
    assert re.search(r"Réponse du gouvernement déposée", page)
    assert "session de la 4" in page and "législature" in page
    english = text_of(client.get("/petitions/e-2835/"))
    assert re.search(
        r"\b(January|February|March|April|May|June|July|August|September|"
        r"October|November|December) \d{1,2}, \d{4}, \d{1,2}:\d\d [ap]\.m\.",
        english,
    )
    Petition.objects.filter(number="e-2835").update(signatures=12345)
    assert "12\xa0345" in client.get("/fr/petitions/e-2835/").content.decode()
    assert "12,345" in client.get("/petitions/e-2835/").content.decode()


def test_french_exports_keep_keys_and_translate_labels(client, archive):
    english = client.get("/petitions/e-2835.json").json()
    french = client.get("/fr/petitions/e-2835.json").json()
    assert english.keys() == french.keys()
    assert french["response_deadline"]["rule"].startswith("Le gouvernement dispose de 45 jours")
    assert english["response_deadline"]["rule"].startswith("The government has 45")
    header_en = body(client.get("/petitions.csv")).splitlines()[0]
    header_fr = body(client.get("/fr/petitions.csv")).splitlines()[0]
    assert header_en.startswith("\ufeffnumber,url,official_url_en")
    assert header_fr.startswith("\ufeffnumero,url,url_officielle_en")
    assert len(header_fr.split(",")) == len(header_en.split(","))
    stats = body(client.get("/fr/stats/portfolios.csv")).splitlines()[0]
    assert stats.startswith("portefeuille,")


def test_sitemap_lists_both_languages(client, archive):
    section = body(client.get("/sitemap-petitions.xml"))
    assert "/fr/petitions/e-2835/" in section and "/petitions/e-2835/" in section
    assert 'hreflang="fr"' in section


def test_citations_in_french(client, archive):
    citations = client.get("/fr/petitions/e-2835/").context["citations"]
    assert citations.apa.startswith("Chambre des communes du Canada.")
    assert "Archive des pétitions" in citations.chicago and "Consulté le" in citations.chicago
