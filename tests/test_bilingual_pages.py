"""Every public page, JSON, CSV and feed shows the record's texts in the page's language."""

import csv
import io

import pytest

from petitions.models import Petition, Topic
from petitions.vocabulary import merge
from tests.conftest import FIXTURES, count_queries, run_import, text_of
from tests.test_french_site import body

PAIR = FIXTURES / "pairs" / "e-1961.en.txt", FIXTURES / "pairs" / "e-1961.fr.txt"
FRENCH_ONLY = FIXTURES / "samples" / "e-701.fr.txt"
SPEC_KEYS = {
    "number", "url", "official_urls", "kind", "topic", "initiator", "original_language",
    "addressee", "keywords", "grievances", "prayer", "status", "presented_number", "parliament",
    "session", "signatures", "timeline", "sponsor", "presenter", "responses", "response_days",
    "response_deadline", "source",
}  # fmt: skip
EN_GRIEVANCE = "The Coat of Arms represents the founding peoples of Canada"
FR_GRIEVANCE = "Les armoiries du Canada représentent les peuples fondateurs de notre pays"
EN_PRAYER = "call upon the Government of Canada to revise the Coat of Arms"
FR_PRAYER = "demandons au gouvernement du Canada de revoir les armoiries"


@pytest.fixture
def pair(db):
    run_import(*PAIR)
    return Petition.objects.get(number="e-1961")


def test_each_site_shows_the_texts_of_its_language(client, pair):
    french = text_of(client.get("/fr/petitions/e-1961/"))
    english = text_of(client.get("/petitions/e-1961/"))
    assert FR_GRIEVANCE in french and FR_PRAYER in french and "Patrimoine canadien" in french
    assert EN_GRIEVANCE not in french and EN_PRAYER not in french
    assert EN_GRIEVANCE in english and EN_PRAYER in english and "Canadian heritage" in english
    assert FR_GRIEVANCE not in english and "Patrimoine canadien" not in english
    # The interface stays in the page's language: no record text is marked as the other one.
    page = client.get("/fr/petitions/e-1961/").content.decode()
    text = page[
        page.index('<section class="petition-text"') : page.index('<footer class="provenance"')
    ]
    assert '<article class="petition">' in page and 'lang="en"' not in text
    assert "Texte disponible en anglais seulement." not in page


def test_the_json_of_each_site_has_every_key_in_its_language(client, pair):
    english = client.get("/petitions/e-1961.json").json()
    french = client.get("/fr/petitions/e-1961.json").json()
    assert english.keys() >= SPEC_KEYS and english.keys() == french.keys()
    assert any(EN_GRIEVANCE in g for g in english["grievances"])
    assert any(FR_GRIEVANCE in g for g in french["grievances"])
    assert EN_PRAYER in english["prayer"]["text"] and FR_PRAYER in french["prayer"]["text"]
    assert english["topic"]["name"] == "Canadian heritage"
    assert french["topic"]["name"] == "Patrimoine canadien"
    assert english["languages"] == french["languages"] == ["en", "fr"]
    assert english["text_languages"] == french["text_languages"] == []
    assert english["source"]["language"] == "en" and french["source"]["language"] == "fr"
    assert english["source"]["content_hash"] != french["source"]["content_hash"]


def test_the_provenance_names_the_page_of_each_language(client, pair):
    page = text_of(client.get("/petitions/e-1961/"))
    assert "English — Imported from the file e-1961.en.txt" in page
    assert "French — Imported from the file e-1961.fr.txt" in page


def test_a_french_only_record_shows_its_french_texts_marked_on_the_english_site(client, db):
    run_import(FRENCH_ONLY)
    # A topic known in French only, not yet paired with its English name.
    unpaired = Topic.objects.create(name_fr="Oléoducs", slug="oleoducs", slug_fr="oleoducs")
    Petition.objects.filter(number="e-701").update(topic=unpaired)
    page = client.get("/petitions/e-701/").content.decode()
    assert '<p class="prayer" id="prayer" lang="fr">Nous soussignés' in page
    assert '<ul class="grievances" lang="fr">' in page
    assert "Available in French only." in page
    # Its topic, known in French only, keeps its French name on both sites.
    assert '<span class="topic" lang="fr">Oléoducs</span>' in page
    assert "Oléoducs" in text_of(client.get("/fr/petitions/e-701/"))
    french = client.get("/fr/petitions/e-701/").content.decode()
    assert "Available in French only." not in french and 'lang="fr">Nous' not in french
    data = client.get("/petitions/e-701.json").json()
    assert data["languages"] == ["fr"]
    assert {"field": "prayer.text", "language": "fr"} in data["text_languages"]
    assert data["prayer"]["text"].startswith("Nous soussignés")


def test_both_slugs_and_an_alias_land_on_one_topic(client, pair):
    topic = Topic.objects.get(name="Canadian heritage")
    assert topic.slug_fr and topic.slug_fr != topic.slug
    assert client.get(f"/topics/{topic.slug}/").status_code == 200
    assert client.get(f"/fr/topics/{topic.slug_fr}/").status_code == 200
    other = client.get(f"/topics/{topic.slug_fr}/?sort=oldest")
    assert other.status_code == 301 and other["Location"] == f"/topics/{topic.slug}/?sort=oldest"
    other = client.get(f"/fr/topics/{topic.slug}/")
    assert other.status_code == 301 and other["Location"] == f"/fr/topics/{topic.slug_fr}/"
    alias = Topic.objects.create(name_fr="Héritage canadien", slug="heritage-canadien")
    merge(alias, topic)
    moved = client.get("/fr/topics/heritage-canadien/")
    assert moved.status_code == 301 and moved["Location"] == f"/fr/topics/{topic.slug_fr}/"
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_the_list_filters_by_either_slug_and_the_facets_count_one_topic(client, pair):
    topic = Topic.objects.get(name="Canadian heritage")
    for slug in (topic.slug, topic.slug_fr):
        listed = client.get(f"/petitions/?topic={slug}")
        assert [p.number for p in listed.context["petitions"]] == ["e-1961"], slug
    facets = {name: opts for _title, name, opts in client.get("/fr/petitions/").context["facets"]}
    topics = facets["topic"]
    assert [(str(o.label), o.value, o.count) for o in topics] == [
        ("Patrimoine canadien", topic.slug_fr, 1)
    ]
    english = client.get(f"/petitions/?topic={topic.slug_fr}").context["facets"]
    option = {name: opts for _t, name, opts in english}["topic"][0]
    assert (
        option.selected
        and option.value == topic.slug_fr
        and str(option.label) == "Canadian heritage"
    )


def test_the_french_csv_and_feed_have_the_french_texts(client, pair):
    rows = list(csv.reader(io.StringIO(body(client.get("/fr/petitions.csv")).lstrip("\ufeff"))))
    header, row = rows[0], rows[1]
    assert row[header.index("sujet")] == "Patrimoine canadien" if "sujet" in header else True
    assert any(FR_PRAYER in cell for cell in row) and not any(EN_PRAYER in c for c in row)
    english = body(client.get("/petitions.csv"))
    assert EN_PRAYER in english and FR_PRAYER not in english
    feed = client.get("/fr/feeds/petitions/").content.decode()
    # An entry's summary is the petition's own request, in the feed's language.
    assert "e-1961: Patrimoine canadien" in feed and "Revoir les armoiries" in feed
    english_feed = client.get("/feeds/petitions/").content.decode()
    assert "Canadian heritage" in english_feed and "Revoir les armoiries" not in english_feed
    assert "Revise the Coat of Arms" in english_feed


def test_query_counts_are_the_same_on_both_sites(client, pair):
    topic = Topic.objects.get(name="Canadian heritage")
    pages = [
        ("/petitions/e-1961/", "/fr/petitions/e-1961/"),
        ("/petitions/e-1961.json", "/fr/petitions/e-1961.json"),
        ("/petitions/", "/fr/petitions/"),
        (f"/topics/{topic.slug}/", f"/fr/topics/{topic.slug_fr}/"),
        ("/", "/fr/"),
    ]
    for english, french in pages:
        client.get(english), client.get(french)  # the caches of both languages are warm
        assert count_queries(client, french) == count_queries(client, english), english
