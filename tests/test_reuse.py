"""Text used again: paragraphs shared between responses, prayers shared between petitions.

Pages are written in the House's text form and imported with the real command, so the
fingerprints come from the importer's writer, as they do in the archive.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petitions.models import Petition
from responses import reuse
from responses.models import ParagraphFingerprint, PrayerFingerprint, Response
from tests.conftest import SEEDS, run_import
from tests.factories import PetitionFactory, ResponseFactory

pytestmark = pytest.mark.django_db

PAGE = """Skip to main content Start of content
Start of content

{number} (Health)

Paper petition

Original language of petition: English

Petition to the House of Commons

{prayer}

Response by the Minister of Health

Signed by (Minister or Parliamentary Secretary): Pat Minister

{response}

Presented to the House of Commons
Don Davies (Vancouver Kingsway)
February 1, 2023 (Petition No. {number})
Government response tabled
March 20, 2023
Photo - Don Davies
Vancouver Kingsway
New Democratic Party Caucus
British Columbia

Disclaimer regarding petitions
"""
PRAYER = (
    "We, the undersigned, residents of Canada, call upon the House of Commons to establish a "
    "universal, single-payer public pharmacare program that covers every prescription medicine "
    "for every resident of every province and territory, funded fully in the next federal budget."
)
# The third paragraph of e-2835's response (Minister of Foreign Affairs, tabled January 25, 2021).
PLANTED = (
    "The Prime Minister took the important step of permitting the unclassified, "
    "publicly-released version of the NSICOP report to, for the first time, specifically name "
    "the People’s Republic of China (PRC) as being particularly active in Canada. This was "
    "intended to raise public awareness of the threats posed by the PRC, but additionally as "
    "mentioned in the Canadian Centre for Cyber Security Report on National Cyber Threat "
    "Assessment 2020, reference to Russia, Iran and North Korea is also made."
)
OWN = [
    "The Government of Canada is committed to improving the affordability and accessibility of "
    "prescription drugs for all Canadians, wherever they live.",
    "In 2023, the Government announced new funding to help provinces and territories improve "
    "access to medicines, including drugs for rare diseases.",
    "Work continues with provinces, territories and Indigenous partners on the design of a "
    "national formulary and a bulk purchasing strategy.",
]
E_2835 = SEEDS[0]  # 000_a8d79ecdfe984ecd.txt


def write_page(folder, number, prayer=PRAYER, paragraphs=OWN):
    path = folder / f"{number}.txt"
    response = "\n\n".join(paragraphs)
    path.write_text(PAGE.format(number=number, prayer=prayer, response=response), "utf-8")
    return path


def html(client, number: str) -> str:
    response = client.get(f"/petitions/{number}/")
    assert response.status_code == 200
    return response.content.decode()


def reuse_section(page: str) -> str:
    match = re.search(r'<section class="reuse".*?</section>', page, re.S)
    return match.group(0) if match else ""


def same_prayer_section(page: str) -> str:
    match = re.search(r'<aside class="same-prayer".*?</aside>', page, re.S)
    return match.group(0) if match else ""


def test_a_planted_shared_paragraph_is_found_on_both_pages(client, tmp_path):
    # Numbered, in other case and punctuation, between paragraphs of its own.
    planted = "2. " + PLANTED.upper().replace(",", "")
    run_import(E_2835, write_page(tmp_path, "441-09001", paragraphs=[OWN[0], planted, OWN[1]]))

    section = reuse_section(html(client, "e-2835"))
    assert 'href="/petitions/441-09001/#response-1-p2"' in section
    assert "1 of this response's 10 paragraphs" in section
    assert 'href="#response-1-p3">¶3</a>' in section
    assert "Minister of Health" in section and "Mar 20, 2023" in section

    section = reuse_section(html(client, "441-09001"))
    assert 'href="/petitions/e-2835/#response-1-p3"' in section
    assert "1 of this response's 3 paragraphs" in section
    assert 'href="#response-1-p2">¶2</a>' in section
    assert "Minister of Foreign Affairs" in section and "Jan 25, 2021" in section


def test_one_word_and_short_overlaps_are_ignored(client, tmp_path):
    one_word = [  # "Canada" and "foreign" appear in e-2835's response; nothing else does
        "Canada welcomes every petition about pharmacare and foreign drug prices alike.",
        "Thank you.",  # a short paragraph, identical in both responses below
    ]
    run_import(
        E_2835,
        write_page(tmp_path, "441-09001", paragraphs=[*one_word, OWN[0]]),
        write_page(tmp_path, "441-09002", paragraphs=["Thank you.", OWN[2]]),
    )
    assert reuse_section(html(client, "e-2835")) == ""
    assert "441-09002" not in reuse_section(html(client, "441-09001"))
    assert not ParagraphFingerprint.objects.filter(words__lt=reuse.MIN_WORDS).exists()


def test_reimporting_a_changed_response_updates_what_it_shares(client, tmp_path):
    run_import(E_2835, write_page(tmp_path, "441-09001", paragraphs=[PLANTED, OWN[0]]))
    assert "441-09001" in reuse_section(html(client, "e-2835"))

    run_import(write_page(tmp_path, "441-09001", paragraphs=OWN))
    assert reuse_section(html(client, "e-2835")) == ""


def test_paragraphs_shared_by_many_responses_are_listed_most_shared_first(client, tmp_path):
    pages = [write_page(tmp_path, f"441-0910{i}", paragraphs=[PLANTED, OWN[i]]) for i in range(3)]
    unique = "Officials will report on progress to the health committee of the House next spring."
    pages += [write_page(tmp_path, "441-09200", paragraphs=[PLANTED, OWN[0], unique])]
    run_import(*pages)
    section = reuse_section(html(client, "441-09200"))
    assert section.index("441-09100") < section.index("441-09102") < section.index("441-09101")
    assert "2 of this response's 3 paragraphs" in section  # 441-09100 shares two
    assert section.count("1 of this response's 3 paragraphs") == 2


def test_same_and_nearly_the_same_prayer(client, tmp_path):
    nearly = PRAYER.replace("the next federal", "the coming federal")  # 3 of 40 sequences
    other = PRAYER.split(" to ", 1)[0] + " to lower the price of insulin in every pharmacy."
    run_import(
        write_page(tmp_path, "441-09001"),
        write_page(tmp_path, "441-09002", prayer=PRAYER.upper().replace(",", "")),
        write_page(tmp_path, "441-09003", prayer=nearly),
        write_page(tmp_path, "441-09004", prayer=other),
    )
    section = same_prayer_section(html(client, "441-09001"))
    same, near = section.split("Nearly the same prayer as:")
    assert "Same prayer as:" in same and 'href="/petitions/441-09002/#prayer"' in same
    assert 'href="/petitions/441-09003/#prayer"' in near and "% of its wording shared" in near
    assert "441-09004" not in section
    assert same_prayer_section(html(client, "441-09004")) == ""


def test_prayer_similarity_is_the_jaccard_of_five_word_sequences(db, tmp_path):
    nearly = PRAYER.replace("the next federal", "the coming federal")
    run_import(write_page(tmp_path, "441-09001"), write_page(tmp_path, "441-09003", prayer=nearly))
    first = reuse.words(PRAYER)
    second = reuse.words(nearly)
    grams = [{tuple(w[i : i + 5]) for i in range(len(w) - 4)} for w in (first, second)]
    expected = len(grams[0] & grams[1]) / len(grams[0] | grams[1])
    assert 0.8 <= expected < 1
    [found] = reuse.similar_prayers(Petition.objects.get(number="441-09001")).near
    assert found.number == "441-09003"
    assert found.similarity == pytest.approx(expected)


def test_short_prayers_are_not_compared(db, tmp_path):
    run_import(write_page(tmp_path, "441-09001", prayer="We call upon the House to act."))
    assert not PrayerFingerprint.objects.exists()
    assert ParagraphFingerprint.objects.count() == len(OWN)


def test_every_seed_and_sample_is_fingerprinted(imported):
    # e-2835, e-2559 and e-4172 have response text; e-123's response is a sessional paper only.
    assert ParagraphFingerprint.objects.values("response__petition").distinct().count() == 3
    assert PrayerFingerprint.objects.count() == 7


def test_petition_page_queries_do_not_grow_with_shared_text(client):
    shared = "\n\n".join([PLANTED, *OWN])
    lonely = PetitionFactory(prayer_text="We, the undersigned, ask for one thing nobody else asks.")
    ResponseFactory(petition=lonely, text="A response written for this petition and no other one.")
    popular = PetitionFactory(prayer_text=PRAYER)
    ResponseFactory(petition=popular, text=shared)
    for _ in range(reuse.SHOWN + 3):
        ResponseFactory(petition=PetitionFactory(prayer_text=PRAYER), text=shared)
    reuse.refresh()

    def queries(number):
        with CaptureQueriesContext(connection) as captured:
            page = html(client, number)
        return len(captured), page

    lonely_count, page = queries(lonely.number)
    assert reuse_section(page) == "" and same_prayer_section(page) == ""
    popular_count, page = queries(popular.number)
    assert popular_count == lonely_count
    assert "and 3 more responses" in reuse_section(page)
    assert "and 3 more." in same_prayer_section(page)


def test_standard_text_is_counted_not_listed(client):
    boilerplate = (
        "The Government of Canada thanks the petitioners for raising this important matter."
    )
    petition = PetitionFactory()
    ResponseFactory(petition=petition, position=1, text=f"{boilerplate}\n\n{PLANTED}")
    for _ in range(reuse.STANDARD + 1):
        ResponseFactory(text=f"{OWN[0]}\n\n{boilerplate}")
    ResponseFactory(text=PLANTED)
    reuse.refresh()
    section = reuse_section(html(client, petition.number))
    assert (
        f'Standard text: <a href="#response-1-p1">¶1</a> is found word for word in '
        f"{reuse.STANDARD + 1} other responses."
    ) in section
    assert section.count("<li>") == 1  # only the response that shares ¶2
    assert "1 of this response's 2 paragraphs" in section


def test_the_synthetic_corpus_is_fingerprinted(db):
    call_command("synthesize_corpus", petitions=60, force=True, stdout=StringIO())
    expected = sum(len(reuse.paragraph_fingerprints(text)) for text in texts())
    assert expected > 0 and ParagraphFingerprint.objects.count() == expected
    assert PrayerFingerprint.objects.count() == Petition.objects.count() == 60


def texts():
    return Response.objects.exclude(text="").values_list("text", flat=True)
