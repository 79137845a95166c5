"""Finding anything: people, places and numbers in search, the index pages, each petition's own
summary, honest controls and phrase highlighting."""

import pytest

from petitions import search
from petitions.models import Petition
from tests.factories import PetitionFactory

SITES = ("", "/fr")


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize(
    "q",
    [
        "Genuis",  # the sponsor
        "garnett genuis",
        "Oliphant",  # the response's signer
        "mimi lee",  # the initiator
        "Markham",  # her city
        "Sherwood Park",  # the sponsor's riding
        "Genuis interference",  # a name among other words
    ],
)
def test_people_and_places_find_the_petition(client, imported, site, q):
    response = client.get(f"{site}/petitions/", {"q": q})
    assert response.status_code == 200
    assert "e-2835" in {p.number for p in response.context["petitions"]}


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("q", ["2835", "e2835", "E-2835", "e-2835", "E 2835", "432-00309", "309"])
def test_a_number_in_any_form_goes_to_the_petition(client, imported, site, q):
    response = client.get(f"{site}/petitions/", {"q": q})
    assert response.status_code == 302
    assert response["Location"] == f"{site}/petitions/e-2835/"


def test_an_ambiguous_number_lists_the_candidates(client, imported):
    paper = Petition.objects.get(number="431-00205")
    PetitionFactory(number="e-205", topic=paper.topic)
    response = client.get("/petitions/", {"q": "205"})
    assert response.status_code == 200
    assert {p.number for p in response.context["petitions"]} == {"e-205", "431-00205"}


def test_number_forms_are_read_as_numbers():
    assert search.petition_number(" E-2835 ") == "e-2835"
    assert search.petition_number("e2835") == "e-2835"
    assert search.petition_number("432-00309") == "432-00309"
    assert search.petition_number("2835") == ""
    assert search.bare_number("e2835") is None and search.bare_number("2835") is not None
