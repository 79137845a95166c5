"""A petition's page and JSON twin keyed on what they show (`browse.page_keys`): an import of
other petitions leaves them stored, with the same ETag; anything the page shows that changes
(its own rows, a petition with the same prayer, a response sharing a paragraph, a context
document, the clock) gives it a new key, and the page is rendered again."""

import re
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from browse import page_keys, stored_json
from config import http_cache
from documents.models import Document, PetitionLink
from petitions.models import Petition
from tests.conftest import DOCUMENT_SEEDS, run_import
from tests.test_http_caching import Rendered
from tests.test_reuse import (
    E_2835,
    OWN,
    PLANTED,
    PRAYER,
    reuse_section,
    same_prayer_section,
    write_page,
)

pytestmark = pytest.mark.django_db
OTHER_PRAYER = PRAYER.replace("pharmacare program", "dental care program").replace(
    "prescription medicine", "dental treatment"
)
OTHER_TEXT = [
    "Dental care is delivered by the provinces, which set the services their plans cover.",
    "The Canadian Dental Care Plan began enrolling seniors in December of that year.",
]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.ARCHIVE_PAGE_CACHE = True


@pytest.fixture
def stored(tmp_path):
    """Two petitions with their JSON stored: 441-09001 and an unrelated 441-09050."""
    run_import(
        write_page(tmp_path, "441-09001", paragraphs=[PLANTED, OWN[0]]),
        write_page(tmp_path, "441-09050", prayer=OTHER_PRAYER, paragraphs=OTHER_TEXT),
    )
    assert stored_json.store_all() == 4
    return tmp_path


def get(client, path: str, **headers):
    with CaptureQueriesContext(connection) as queries, Rendered() as rendered:
        response = client.get(path, headers=headers)
    response.queries, response.rendered = len(queries), rendered.names
    return response


def unrelated_import(folder, number: str = "441-09060") -> None:
    prayer = OTHER_PRAYER.replace("dental care", "hearing care")
    run_import(write_page(folder, number, prayer=prayer, paragraphs=OTHER_TEXT[:1]))


@pytest.mark.parametrize("path", ["/petitions/441-09001/", "/fr/petitions/441-09001/",
                                  "/petitions/441-09001.json", "/fr/petitions/441-09001.json"])  # fmt: skip
def test_an_import_of_other_petitions_leaves_the_page_stored(client, stored, path):
    first = get(client, path)
    assert (first.status_code == 200 and first.rendered) or path.endswith(".json")
    listed = client.get("/petitions/")

    unrelated_import(stored)

    again = get(client, path)
    assert again.status_code == 200
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again.rendered == []
    assert again.queries == 2  # the archive's version, then the petition's key
    # Its ETag still holds after the import: a 304, as cheap.
    revalidated = get(client, path, if_none_match=first["ETag"])
    assert (revalidated.status_code, revalidated.queries) == (304, 1)
    assert revalidated["ETag"] == first["ETag"]
    # The list shows the new petition: it is keyed on the whole archive.
    assert client.get("/petitions/")["ETag"] != listed["ETag"]


def test_the_next_request_after_an_import_is_served_in_one_query(client, stored):
    client.get("/petitions/441-09001/")
    unrelated_import(stored)
    assert get(client, "/petitions/441-09001/").queries == 2
    assert get(client, "/petitions/441-09001/").queries == 1  # stored under the new version too


def test_a_petition_with_the_same_prayer_gives_the_page_a_new_key(client, stored):
    first = get(client, "/petitions/441-09001/")
    assert same_prayer_section(first.content.decode()) == ""
    run_import(write_page(stored, "441-09002", prayer=PRAYER, paragraphs=OTHER_TEXT[1:]))
    again = get(client, "/petitions/441-09001/")
    assert again["ETag"] != first["ETag"] and again.rendered
    assert 'href="/petitions/441-09002/#prayer"' in same_prayer_section(again.content.decode())


def test_a_response_sharing_a_paragraph_gives_the_page_a_new_key(client, stored):
    first = get(client, "/petitions/441-09050/")
    assert reuse_section(first.content.decode()) == ""
    run_import(write_page(stored, "441-09003", prayer=OTHER_PRAYER.upper() + " Now.",
                          paragraphs=[OTHER_TEXT[0], OWN[2]]))  # fmt: skip
    again = get(client, "/petitions/441-09050/")
    assert again["ETag"] != first["ETag"] and again.rendered
    assert 'href="/petitions/441-09003/#response-1-p1"' in reuse_section(again.content.decode())


def confirmed_documents(page: str) -> str:
    match = re.search(r'<ol class="document-list">.*?</ol>', page, re.S)
    return match.group(0) if match else ""


def test_a_linked_document_gives_the_page_a_new_key(client, stored):
    run_import(*DOCUMENT_SEEDS)
    first = get(client, "/petitions/441-09001/")
    document = Document.objects.order_by("pk").first()
    assert document.get_absolute_url() not in confirmed_documents(first.content.decode())
    PetitionLink.objects.create(
        document=document, petition=Petition.objects.get(number="441-09001")
    )
    again = get(client, "/petitions/441-09001/")
    assert again["ETag"] != first["ETag"] and again.rendered
    assert document.get_absolute_url() in confirmed_documents(again.content.decode())


def test_a_change_to_the_petition_itself_renders_it_again(client, stored):
    first = get(client, "/petitions/441-09001/")
    first_json = get(client, "/petitions/441-09001.json")
    Petition.objects.filter(number="441-09001").update(signatures=4321)
    # Its stored JSON is forgotten: keyed on the archive's version until it is stored again.
    assert page_keys.petition_token("en", "441-09001") is None
    again = get(client, "/petitions/441-09001/")
    assert again["ETag"] != first["ETag"] and again.rendered and b"4,321" in again.content
    assert b'"signatures": 4321' in get(client, "/petitions/441-09001.json").content
    stored_json.store_all()
    unrelated_import(stored)
    keyed = get(client, "/petitions/441-09001/")
    assert keyed.rendered and keyed["ETag"] not in (first["ETag"], again["ETag"])
    assert get(client, "/petitions/441-09001.json")["ETag"] != first_json["ETag"]
    unrelated_import(stored, "441-09061")
    assert get(client, "/petitions/441-09001/").rendered == []


@pytest.mark.django_db(transaction=True)  # now() is the transaction's start
def test_the_clock_closing_a_signing_period_is_in_the_key(client, stored):
    Petition.objects.filter(number="441-09001").update(
        stage="signing", closed_at=timezone.now() + timedelta(seconds=1.5)
    )
    stored_json.store_all()
    open_now = page_keys.petition_token("en", "441-09001")
    time.sleep(1.6)  # no write: the clock alone closes it
    closed = page_keys.petition_token("en", "441-09001")
    assert open_now.split("|")[:3] == [*closed.split("|")[:2], "true"]
    assert closed.split("|")[2] == "false"


def test_no_key_for_another_form_of_the_number_a_withdrawn_petition_or_other_pages(client, stored):
    run_import(E_2835)
    stored_json.store_all()
    assert page_keys.petition_token("en", "e-2835")
    assert page_keys.petition_token("en", "E-2835") is None  # redirects
    assert client.get("/petitions/E-2835/").status_code == 301
    assert page_keys.petition_token("en", "441-09999") is None
    Petition.objects.filter(number="441-09050").update(withdrawn_at=timezone.now())
    stored_json.store_all()
    assert page_keys.petition_token("en", "441-09050") is None
    assert client.get("/petitions/441-09050/").status_code == 410


def test_the_key_is_one_statement_taking_only_the_number():
    for language in ("en", "fr"):
        statement = page_keys.token_statement(language)
        assert statement.sql.count("%s") == len(statement.params) == 2
        assert set(statement.params) == {stored_json.SENTINEL}
        assert str(page_keys.PETITION_MARK) not in statement.sql


@pytest.mark.django_db(transaction=True)
def test_a_page_without_a_key_starts_the_fill_that_gives_it_one(client, settings, tmp_path):
    settings.ARCHIVE_STORED_JSON_FILL = True
    run_import(write_page(tmp_path, "441-09001"))
    assert page_keys.petition_token("en", "441-09001") is None  # starts the fill
    deadline = time.monotonic() + 10
    while page_keys.petition_token("en", "441-09001") is None:
        assert time.monotonic() < deadline, "the background fill stored nothing"
        time.sleep(0.05)
    first = get(client, "/petitions/441-09001/")
    unrelated_import(tmp_path)
    assert get(client, "/petitions/441-09001/").rendered == [] != first.rendered


@pytest.mark.parametrize("path", ["/petitions/441-09001/", "/petitions/"])
def test_a_new_release_gives_every_page_a_new_key_and_etag(client, stored, path, monkeypatch):
    first = get(client, path)
    assert first.status_code == 200 and len(http_cache.release()) == 16
    assert get(client, path, if_none_match=first["ETag"]).status_code == 304
    monkeypatch.setattr(http_cache, "release", lambda: "a later release")
    again = get(client, path, if_none_match=first["ETag"])
    assert again.status_code == 200 and again.rendered and again["ETag"] != first["ETag"]


def test_a_304_for_a_petition_key_reads_a_note_not_the_stored_page(client, stored, monkeypatch):
    first = get(client, "/petitions/441-09001/")
    unrelated_import(stored)
    get(client, "/petitions/441-09001/")  # stored under the new version, its ETag noted
    read = []
    monkeypatch.setattr(http_cache, "cache_get", lambda key: read.append(key) or cache.get(key))
    revalidated = get(client, "/petitions/441-09001/", if_none_match=first["ETag"])
    assert (revalidated.status_code, revalidated.queries) == (304, 1)
    assert [k.split(":")[0] for k in read] == ["etag"]


def test_a_304_by_the_petition_key_notes_it_for_the_next(client, stored):
    first = get(client, "/petitions/441-09001/")
    unrelated_import(stored)
    assert get(client, "/petitions/441-09001/", if_none_match=first["ETag"]).queries == 2
    assert get(client, "/petitions/441-09001/", if_none_match=first["ETag"]).queries == 1


def test_a_json_twin_asked_for_the_first_time_reads_its_key_and_its_text_in_one_query(
    client, stored
):
    twin = get(client, "/petitions/441-09001.json")
    assert twin.status_code == 200 and twin.json()["number"] == "441-09001"
    assert twin.queries == 2  # the archive's version; the twin's key with its stored text
    unrelated_import(stored)
    again = get(client, "/petitions/441-09001.json")
    assert again.queries == 2 and again["ETag"] == twin["ETag"]  # stored under its key
