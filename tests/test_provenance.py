"""Where each record came from: the House's own pages, and the source staff imported it from."""

import pytest
from django.utils import timezone

from documents.models import DocumentSource
from petitions.models import Petition, SourceRecord
from tests.conftest import DOCUMENT_SEEDS, run_import, text_of
from tests.test_exports import read_csv

pytestmark = pytest.mark.django_db

OFFICIAL = {
    "e-2835": {
        "en": "https://www.ourcommons.ca/petitions/en/Petition/Details?Petition=e-2835",
        "fr": "https://www.noscommunes.ca/petitions/fr/Petition/Details?Petition=e-2835",
    },
    "431-00205": {
        "en": "https://www.ourcommons.ca/petitions/en/Petition/Details?Petition=431-00205",
        "fr": "https://www.noscommunes.ca/petitions/fr/Petition/Details?Petition=431-00205",
    },
}


@pytest.mark.parametrize("number", OFFICIAL)
def test_petition_page_links_to_the_houses_pages(client, imported, number):
    html = client.get(f"/petitions/{number}/").content.decode()
    urls = OFFICIAL[number]
    assert f'<a href="{urls["en"]}" hreflang="en" lang="en">' in html
    assert f'<a href="{urls["fr"]}" hreflang="fr" lang="fr">' in html


@pytest.mark.parametrize("number", OFFICIAL)
def test_json_and_csv_carry_the_official_urls(client, imported, number):
    assert client.get(f"/petitions/{number}.json").json()["official_urls"] == OFFICIAL[number]
    [row] = [r for r in read_csv(client.get("/petitions.csv")) if r["number"] == number]
    assert (row["official_url_en"], row["official_url_fr"]) == (
        OFFICIAL[number]["en"],
        OFFICIAL[number]["fr"],
    )


def test_a_file_source_is_labelled_as_a_file_name(client, imported):
    text = text_of(client.get("/petitions/e-2835/"))
    source = Petition.objects.get(number="e-2835").latest_source
    imported_on = timezone.localdate(source.imported_at)
    day = f"{imported_on:%B} {imported_on.day}, {imported_on.year}"
    assert f"Imported from the file 000_a8d79ecdfe984ecd.txt on {day}." in text
    assert "Source page:" not in text


def add_source(petition: Petition, source: str) -> None:
    record = SourceRecord.objects.create(
        petition=petition, source=source, raw_text="page", content_hash="0" * 64, imported_by="x"
    )
    Petition.objects.filter(pk=petition.pk).update(latest_source=record)


def test_a_url_source_is_a_link_to_the_source_page(client, imported):
    url = "https://www.ourcommons.ca/petitions/en/Petition/Details?Petition=e-2835&x=1"
    add_source(Petition.objects.get(number="e-2835"), url)
    html = client.get("/petitions/e-2835/").content.decode()
    assert f'Source page: <a href="{url.replace("&", "&amp;")}">' in html
    assert "Imported from the file" not in html


def test_a_source_that_is_not_a_web_address_is_never_a_link(client, imported):
    add_source(Petition.objects.get(number="e-2835"), "javascript://%0aalert(1)")
    html = client.get("/petitions/e-2835/").content.decode()
    assert 'href="javascript' not in html and "Source page:" not in html
    assert "Imported from the file <code>javascript://%0aalert(1)</code>" in html


def test_a_document_page_labels_its_source_the_same_way(client, db):
    run_import(*DOCUMENT_SEEDS)
    source = DocumentSource.objects.select_related("document").order_by("id").first()
    page = source.document.get_absolute_url()
    assert f"Imported from the file {source.public_name} on" in text_of(client.get(page))
    source.source = "https://example.org/briefing-note"
    source.save()
    assert 'Source page: <a href="https://example.org/briefing-note">' in (
        client.get(page).content.decode()
    )
