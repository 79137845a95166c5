"""The public pages: the permanent petition page, its JSON twin, redirects, lists."""

import pytest

from tests.conftest import count_queries
from tests.factories import GrievanceFactory, PetitionFactory, PrayerItemFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def test_petition_page_reads_the_whole_petition(client, imported):
    response = client.get("/petitions/e-2835/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "e-2835", "Foreign affairs", "mimi lee", "Markham, Ontario", "E-petition",
        "Petition to the House of Commons", "Reaffirm its commitment to openness",
        'id="prayer-1"', 'id="prayer-2"', "Response by the", "Minister of Foreign Affairs",
        "Signed by Rob Oliphant", 'id="response-1-p1"', 'id="response-1-p10"',
        "Garnett Genuis", "Sherwood Park—Fort Saskatchewan", "Conservative",
        "43rd Parliament, 2nd session", "432-00309", "59 days after presentation",
        "14 days past the 45-day limit", "Standing Orders", "Response tabled",
        'datetime="2020-09-15T15:23:00-04:00"', "November 27, 2020", "January 25, 2021",
        "000_a8d79ecdfe984ecd.txt",
    ]:  # fmt: skip
        assert text in html, text


def test_provenance_names_the_file_not_the_importers_folders(client, imported):
    html = client.get("/petitions/e-2835/").content.decode()
    assert "<code>000_a8d79ecdfe984ecd.txt</code>" in html
    assert "/fixtures/seeds/" not in html


def test_old_response_without_text_is_shown_as_a_sessional_paper(client, imported):
    html = client.get("/petitions/e-123/").content.decode()
    assert "Sessional Paper No. 8545-421-66-01" in html
    assert "published no text for this response" in html


def test_paper_petition_page(client, imported):
    html = client.get("/petitions/431-00205/").content.decode()
    assert "Paper petition" in html and "Paul Manly" in html
    assert "overdue" in html


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/petitions/432-00309/", "/petitions/e-2835/"),
        ("/petitions/E-2835/", "/petitions/e-2835/"),
        ("/petitions/432-00309.json", "/petitions/e-2835.json"),
        ("/petitions/E-2835.json", "/petitions/e-2835.json"),
    ],
)
def test_other_forms_of_a_number_redirect_permanently(client, imported, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


@pytest.mark.parametrize(
    "path", ["/petitions/e-99999/", "/petitions/999-99999.json", "/petitions/nonsense/"]
)
def test_unknown_petition_is_a_helpful_404(client, imported, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Petition numbers look like" in response.content


def test_json_twin(client, imported):
    response = client.get("/petitions/e-2835.json")
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["number"] == "e-2835"
    assert data["url"].endswith("/petitions/e-2835/")
    assert data["kind"] == "e-petition"
    assert data["topic"] == {"name": "Foreign affairs", "slug": "foreign-affairs"}
    assert data["initiator"] == {"name": "mimi lee", "city": "Markham", "province": "Ontario"}
    assert (data["original_language"], data["addressee"]) == ("en", "House of Commons")
    assert len(data["grievances"]) == 5 and len(data["prayer"]["items"]) == 2
    assert data["prayer"]["text"].startswith("We, the undersigned")
    assert (data["status"], data["presented_number"]) == ("responded", "432-00309")
    assert (data["parliament"], data["session"], data["signatures"]) == (43, 2, None)
    assert data["timeline"] == {
        "opened_at": "2020-09-15T19:23:00+00:00",
        "closed_at": "2020-10-15T19:23:00+00:00",
        "presented_on": "2020-11-27",
        "response_tabled_on": "2021-01-25",
    }
    assert data["sponsor"] == {
        "name": "Garnett Genuis",
        "riding": "Sherwood Park—Fort Saskatchewan",
        "caucus": "Conservative",
        "province": None,
    }
    [resp] = data["responses"]
    assert (
        resp["portfolio"] == "Minister of Foreign Affairs" and resp["signed_by"] == "Rob Oliphant"
    )
    assert (resp["tabled_on"], resp["sessional_paper"]) == ("2021-01-25", None)
    assert resp["text"].startswith("Foreign interference can harm")
    assert data["response_days"] == 59
    assert data["response_deadline"]["state"] == "late"


def test_json_of_paper_petition_has_nulls(client, imported):
    data = client.get("/petitions/431-00205.json").json()
    assert data["initiator"] is None and data["timeline"]["opened_at"] is None
    assert data["responses"] == [] and data["response_days"] is None
    assert data["sponsor"]["province"] == "British Columbia"


def test_detail_queries_do_not_grow_with_grievances_or_responses(client):
    small = PetitionFactory()
    GrievanceFactory(petition=small)
    PrayerItemFactory(petition=small)
    ResponseFactory(petition=small)
    big = PetitionFactory()
    GrievanceFactory.create_batch(12, petition=big)
    PrayerItemFactory.create_batch(6, petition=big)
    ResponseFactory.create_batch(4, petition=big)
    assert count_queries(client, f"/petitions/{small.number}/") == count_queries(
        client, f"/petitions/{big.number}/"
    )
    # The petition, its grievances, prayer items and responses; its record history; its context
    # documents; the responses' shared paragraphs; the petitions with the same prayer; the
    # archive's version, read by the page cache (once a second per process outside tests).
    assert count_queries(client, f"/petitions/{big.number}/") <= 9
    assert count_queries(client, f"/petitions/{small.number}.json") == count_queries(
        client, f"/petitions/{big.number}.json"
    )


@pytest.mark.parametrize("path", ["/", "/petitions/"])
def test_list_queries_do_not_grow_with_rows(client, path):
    PetitionFactory.create_batch(2)
    few = count_queries(client, path)
    PetitionFactory.create_batch(20)
    assert count_queries(client, path) == few


def test_imported_markup_is_shown_as_text(client):
    petition = PetitionFactory(prayer_text="<script>alert('prayer')</script>")
    GrievanceFactory(petition=petition, text="<img src=x onerror=alert(1)>")
    ResponseFactory(petition=petition, text="<script>alert('response')</script>")
    html = client.get(petition.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;prayer&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_home_and_list_reach_every_petition(client, imported):
    home = client.get("/").content.decode()
    assert "e-2835" in home and "Foreign affairs" in home and "Latest responses" in home
    listing = client.get("/petitions/").content.decode()
    for number in ["e-2835", "e-2559", "e-4172", "e-123", "431-00205", "e-2672", "e-701"]:
        assert f'href="/petitions/{number}/"' in listing


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/topics/foreign-affairs/", "e-2835"),
        ("/ministers/minister-of-foreign-affairs/", "e-2559"),
        ("/members/garnett-genuis/", "e-2835"),
    ],
)
def test_subject_pages(client, imported, path, expected):
    response = client.get(path)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_unknown_subject_is_404(client, imported):
    assert client.get("/topics/no-such-topic/").status_code == 404
