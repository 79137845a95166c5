"""Search in both official languages: English texts read as English, French texts as French."""

import re

import pytest
from django.db import connection

from petitions import search
from petitions.models import Petition
from tests.conftest import FIXTURES, count_queries, run_import

PAIR = [FIXTURES / "pairs" / "e-1961.en.txt", FIXTURES / "pairs" / "e-1961.fr.txt"]
FRENCH_ONLY = FIXTURES / "samples" / "e-701.fr.txt"
ENGLISH_ONLY = FIXTURES / "samples" / "e-123.txt"
SITES = ("", "/fr")


@pytest.fixture
def archive(db):
    return run_import(*PAIR, FRENCH_ONLY, ENGLISH_ONLY)


def found(client, site: str, q: str) -> set[str]:
    """The petition numbers a search lists on one site (the page must answer 200)."""
    response = client.get(f"{site}/petitions/", {"q": q})
    assert response.status_code == 200
    return {petition.number for petition in response.context["petitions"]}


def test_the_record_holds_both_languages(archive):
    pair = Petition.objects.get(number="e-1961")
    assert "Coat of Arms" in pair.prayer_text and "armoiries" in pair.prayer_text_fr
    assert Petition.objects.get(number="e-701").prayer_text == ""


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize(
    "q",
    ["armoiries", "cofondateurs", "coat of arms", "co-founders", '"Coat of Arms"', "ARMOIRIES"],
)
def test_a_word_of_either_page_finds_the_pair_on_both_sites(client, archive, site, q):
    assert found(client, site, q) == {"e-1961"}


@pytest.mark.parametrize("site", SITES)
def test_a_french_only_record_is_found_by_a_french_query(client, archive, site):
    assert found(client, site, "pipeline prolonger") == {"e-701"}
    assert found(client, site, "néfastes") == {"e-701"}


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize(
    ("q", "number"),
    [
        ("cofondateur", "e-1961"),  # singular finds the plural "cofondateurs"
        ("édifice", "e-1961"),  # … "édifices"
        ("représenter", "e-1961"),  # infinitive finds the participle "représentés"
        ("perpétuer", "e-701"),  # … the future "perpétuera"
        ("forcer", "e-701"),  # … "forcés"
    ],
)
def test_french_stemming(client, archive, site, q, number):
    assert found(client, site, q) == {number}


@pytest.mark.parametrize("site", SITES)
def test_accents_are_folded_in_french(client, archive, site):
    # Typed without accents, a French word still finds its accented text, and accents typed on
    # an English word are ignored.
    assert found(client, site, "nefastes") == {"e-701"}
    assert found(client, site, "perpetuer") == {"e-701"}
    assert found(client, site, "métis") >= {"e-701", "e-1961"}


def test_french_stems_are_taken_before_folding(db):
    # Folding first would leave "présentée" with the stem 'presente', apart from "présenter".
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {search.french_vector('a')}::text, {search.french_vector('b')}::text"
            " FROM (SELECT %s AS a, %s AS b) AS words",
            ["présentée", "présenter"],
        )
        feminine, infinitive = cursor.fetchone()
    assert feminine.startswith("'present':1") and infinitive.startswith("'present':1")


@pytest.mark.parametrize("site", SITES)
def test_environment_finds_a_french_record_about_l_environnement(client, archive, site):
    # English "environment" and French "environnement" share the stem 'environ'.
    assert "e-701" in found(client, site, "environment")


@pytest.mark.parametrize("site", SITES)
def test_phrase_search_in_both_languages(client, archive, site):
    assert found(client, site, '"peuples fondateurs"') == {"e-1961"}
    assert found(client, site, '"founding peoples"') == {"e-1961"}
    assert found(client, site, '"fondateurs peuples"') == set()
    assert found(client, site, '"peoples founding"') == set()
    assert found(client, site, '"peuples autochtones"') == {"e-1961", "e-701"}


@pytest.mark.parametrize("site", SITES)
def test_an_excluded_word_excludes_in_both_languages(client, archive, site):
    assert found(client, site, "canada") >= {"e-1961", "e-701"}
    # The pair has "armoiries" only on its French page and "arms" only on its English one.
    assert "e-1961" not in found(client, site, "canada -armoiries")
    assert "e-1961" not in found(client, site, "canada -arms")
    assert "e-701" not in found(client, site, "canada -pipeline")
    assert "e-701" in found(client, site, "canada -armoiries")
    assert "e-701" not in found(client, site, 'canada -"Trans Mountain"')
    # A hyphen inside a word is no exclusion.
    assert found(client, site, "co-founders") == {"e-1961"}


def snippet_paragraphs(client, path: str) -> list[str]:
    html = client.get(path).content.decode()
    return re.findall(r'<p class="snippet"[^>]*>.*?</p>', html, re.S)


def test_snippets_come_from_the_language_of_the_page(client, archive):
    [english] = snippet_paragraphs(client, "/petitions/?q=coat+of+arms")
    [french] = snippet_paragraphs(client, "/fr/petitions/?q=armoiries")
    assert "<mark>Coat</mark> of <mark>Arms</mark>" in english and "lang=" not in english
    assert "<mark>armoiries</mark>" in french and "lang=" not in french
    # A word of the other page only finds the record; its text there is not the page's.
    assert "Coat" not in "".join(snippet_paragraphs(client, "/fr/petitions/?q=coat+of+arms"))
    assert "armoiries" not in "".join(snippet_paragraphs(client, "/petitions/?q=armoiries"))


def test_a_text_in_the_other_language_carries_its_lang(client, archive):
    [on_english_site] = snippet_paragraphs(client, "/petitions/?q=pipeline")
    [on_french_site] = snippet_paragraphs(client, "/fr/petitions/?q=pipeline")
    assert on_english_site.startswith('<p class="snippet" lang="fr">')
    assert "<mark>pipeline</mark> Trans Mountain" in on_english_site
    assert 'lang="fr"' not in on_french_site and "<mark>pipeline</mark>" in on_french_site
    [english_only] = snippet_paragraphs(client, "/fr/petitions/?q=" + english_word())
    assert english_only.startswith('<p class="snippet" lang="en">')


def english_word() -> str:
    """A word of the English-only sample's prayer (read from the record, not assumed)."""
    prayer = Petition.objects.get(number="e-123").prayer_text
    return max(re.findall(r"[A-Za-z]+", prayer), key=len)


def test_french_snippets_mark_french_stems(client, archive):
    [snippet] = snippet_paragraphs(client, "/fr/petitions/?q=perpétuer")
    assert "<mark>perpétuera</mark>" in snippet
    [snippet] = snippet_paragraphs(client, "/fr/petitions/?q=environment")
    assert "<mark>environnement</mark>" in snippet


def test_query_counts_do_not_depend_on_the_language(client, archive):
    for q in ("armoiries", "coat+of+arms", "pipeline", "canada+-arms"):
        path = f"/petitions/?q={q}"
        client.get(path), client.get("/fr" + path)  # the caches of both languages are warm
        assert count_queries(client, "/fr" + path) == count_queries(client, path), q
