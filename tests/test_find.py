"""Finding anything: people, places and numbers in search, the index pages, each petition's own
summary, honest controls and phrase highlighting."""

import pytest

from petitions import search
from petitions.models import Member, Petition
from tests.conftest import count_queries, text_of
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


@pytest.mark.parametrize("site", SITES)
def test_the_index_pages_list_with_counts(client, imported, site):
    for kind in ("topics", "ministers", "members"):
        page = client.get(f"{site}/{kind}/")
        assert page.status_code == 200, kind
        data = client.get(f"{site}/{kind}.json").json()
        assert data[kind] and all(row["count"] >= 0 for row in data[kind])
        for row in data[kind]:
            assert row["url"].removeprefix("http://testserver") in page.content.decode()
    topics = client.get(f"{site}/topics.json").json()["topics"]
    counts = [row["count"] for row in topics]
    assert counts == sorted(counts, reverse=True) and sum(counts) == Petition.objects.count()
    foreign = next(row for row in topics if "/topics/" in row["url"] and row["count"] >= 3)
    assert foreign["name"] == ("Affaires étrangères" if site else "Foreign affairs")
    members = client.get(f"{site}/members.json").json()["members"]
    genuis = next(row for row in members if row["name"] == "Garnett Genuis")
    assert genuis["caucus"] and genuis["riding"] == "Sherwood Park—Fort Saskatchewan"
    assert genuis["sponsored"] >= 1 and genuis["count"] >= genuis["sponsored"]
    assert [row["name"] for row in members] == sorted(
        (r["name"] for r in members), key=str.casefold
    )
    ministers = client.get(f"{site}/ministers.json").json()["ministers"]
    assert any(row["count"] >= 1 for row in ministers)


def test_the_index_pages_sort_by_name_and_refuse_an_unknown_sort(client, imported):
    names = [row["name"] for row in client.get("/topics.json?sort=name").json()["topics"]]
    assert names == sorted(names, key=str.casefold)
    response = client.get("/topics/?sort=size")
    assert response.status_code == 400 and "count, name" in text_of(response)


def test_a_phrase_is_highlighted_only_where_it_stands(client, imported):
    response = client.get("/petitions/", {"q": '"foreign interference"'})
    snippets = " ".join(p.snippet + p.response_snippet for p in response.context["petitions"])
    assert "<mark>foreign</mark> <mark>interference</mark>" in snippets
    marks = snippets.split("<mark>")[1:]
    words = [mark.split("</mark>")[0].lower() for mark in marks]
    # Every marked "foreign" is followed by a marked "interference", and the other way round.
    for i, word in enumerate(words):
        assert word in ("foreign", "interference", "interferences")
        after = marks[i].split("</mark>", 1)[1]
        if word == "foreign":
            assert after.startswith(" ") and words[i + 1].startswith("interference")
    assert search.phrase_only(
        "\x02foreign\x03 policy \x02interference\x03", '"foreign interference"'
    ) == ("foreign policy interference")
    kept = search.phrase_only(
        "\x02China\x03 and \x02foreign\x03 \x02interference\x03", 'china "foreign interference"'
    )
    assert kept == "\x02China\x03 and \x02foreign\x03 \x02interference\x03"


def test_member_page_shows_the_mp_and_their_petitions(client, imported):
    Member.objects.filter(slug="garnett-genuis").update(province="AB")  # pages don't print it
    page = client.get("/members/garnett-genuis/")
    assert page.status_code == 200
    text = text_of(page)
    assert "Sherwood Park—Fort Saskatchewan" in text and "Conservative" in text
    assert "Alberta" in text
    assert (
        "https://www.ourcommons.ca/members/en/search?searchText=Garnett+Genuis"
        in page.content.decode()
    )
    assert "e-2835" in {p.number for p in page.context["sponsored"]}
    assert "e-2835" in {p.number for p in page.context["presented"]}
    french = client.get("/fr/members/garnett-genuis/").content.decode()
    assert "https://www.noscommunes.ca/members/fr/search?searchText=Garnett+Genuis" in french


def test_rows_show_each_petitions_own_words(client, imported):
    for path in ("/petitions/", "/", "/fr/petitions/"):
        summaries = [p.local_summary.text for p in client.get(path).context["petitions"]]
        assert summaries and all(summaries) and len(set(summaries)) == len(summaries), path
        assert not any(s.lower().startswith(("we, the undersigned", "nous")) for s in summaries)
    e2835 = client.get("/petitions/e-2835.json").json()
    assert e2835["summary"].startswith("Reaffirm its commitment to openness")
    page = client.get("/petitions/e-2835/").content.decode()
    assert '<meta name="description" content="Reaffirm its commitment' in page
    assert "call upon the House of Commons" not in text_of(client.get("/"))


def test_signature_sort_is_offered_only_with_counts(client, imported):
    assert "signatures" not in client.get("/petitions/").context["sorts"]
    Petition.objects.filter(number="e-2835").update(signatures=1234)
    assert "signatures" in client.get("/petitions/").context["sorts"]
    assert "signatures" not in client.get("/petitions/?kind=paper").context["sorts"]


def test_unknown_parameters_are_shown_as_ignored(client, imported):
    response = client.get("/petitions/?topc=foreign-affairs")
    assert response.status_code == 200
    assert "Ignored" in text_of(response) and "topc=foreign-affairs" in text_of(response)
    assert client.get("/petitions.json?topc=x").json()["ignored"] == ["topc=x"]
    assert client.get("/petitions.json").json()["ignored"] == []
    assert client.get("/petitions.csv?topc=x").status_code == 200


def test_a_reversed_range_is_a_400_that_says_so(client, imported):
    response = client.get("/petitions/?presented_from=2021-01-01&presented_to=2020-01-01")
    assert response.status_code == 400
    assert "presented_from=2021-01-01 is after presented_to=2020-01-01" in text_of(response)
    assert (
        client.get("/petitions.json?opened_from=2021-01-01&opened_to=2020-01-01").status_code == 400
    )


def test_a_bad_choice_lists_the_valid_values(client, imported):
    response = client.get("/petitions/?province=Ontario")
    assert response.status_code == 400
    assert "Valid values: AB, BC" in text_of(response) and "ON" in text_of(response)
    assert "relevance, newest" in text_of(client.get("/petitions/?sort=biggest"))


@pytest.mark.parametrize(
    "path", ["/topics/", "/ministers/", "/members/", "/members.json", "/members/garnett-genuis/"]
)
def test_new_pages_queries_do_not_grow_with_rows(client, imported, path):
    few = count_queries(client, path)
    topic = Petition.objects.get(number="e-2835").topic
    sponsor = Petition.objects.get(number="e-2835").sponsor
    for n in range(5):
        PetitionFactory(number=f"e-9{n}", topic=topic, sponsor=sponsor, presenter=sponsor)
    assert count_queries(client, path) == few <= 12
