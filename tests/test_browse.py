"""The list: filters, facets, sort, search and bad parameters, on the real pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petitions.models import Petition
from responses.models import Response
from tests.conftest import count_queries
from tests.factories import PetitionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    """The petition numbers in the results, in order."""
    html = response.content.decode()
    results = html[html.index('class="petition-list"') :]
    return re.findall(r'<a class="number" href="/petitions/([^/]+)/">', results)


def facet(response, name: str) -> dict[str, int]:
    """label → count of one facet, read from the page."""
    html = response.content.decode()
    section = html.split(f"<h3>{name}</h3>")[1].split("</section>")[0]
    return {
        label.strip(): int(count)
        for label, count in re.findall(r'>([^<>]+) <span class="count">(\d+)</span>', section)
    }


ALL = ["e-4172", "e-2559", "e-2835", "431-00205", "e-123", "e-2672", "e-701"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("?topic=foreign-affairs", ["e-2559", "e-2835", "431-00205"]),
        ("?topic=foreign-affairs&topic=public-safety", ["e-4172", "e-2559", "e-2835", "431-00205"]),
        ("?topic=no-such-topic", []),
        ("?minister=minister-of-public-safety", ["e-4172"]),
        ("?signed_by=rob-oliphant", ["e-2559", "e-2835"]),
        ("?sponsor=garnett-genuis", ["e-2835"]),
        ("?caucus=conservative", ["e-4172", "e-2559", "e-2835"]),
        ("?caucus=green-party&caucus=liberal", ["431-00205", "e-2672"]),
        ("?parliament=43", ["e-2559", "e-2835", "431-00205", "e-2672"]),
        ("?parliament=43-2", ["e-2559", "e-2835"]),
        ("?parliament=42&parliament=44-1", ["e-4172", "e-123", "e-701"]),
        ("?status=responded", ["e-4172", "e-2559", "e-2835", "e-123"]),
        ("?status=presented", []),  # 431-00205's Parliament, the 43rd, was dissolved
        ("?status=unanswered_dissolution", ["431-00205"]),
        ("?status=presented&status=unanswered_dissolution", ["431-00205"]),
        ("?status=closed", ["e-2672", "e-701"]),
        ("?status=open", []),
        ("?kind=paper", ["431-00205"]),
        ("?province=BC", ["e-701"]),
        ("?province=on", ["e-2835", "e-123", "e-2672"]),
        ("?opened_from=2020-06-15&opened_to=2020-09-15", ["e-2835", "e-2672"]),
        ("?opened_from=2020-06-10&opened_to=2020-06-10", ["e-2559"]),
        ("?presented_from=2021-01-01", ["e-4172", "e-2559"]),
        ("?presented_to=2020-05-20", ["431-00205", "e-123"]),
        ("?responded_from=2021-01-25&responded_to=2021-06-04", ["e-2559", "e-2835"]),
        ("?topic=foreign-affairs&status=responded&parliament=43", ["e-2559", "e-2835"]),
        ("?sort=oldest", ["e-123", "431-00205", "e-2835", "e-2559", "e-4172", "e-701", "e-2672"]),
        ("?sort=response_time&status=responded", ["e-123", "e-2835", "e-4172", "e-2559"]),
    ],
)
def test_filters_and_sorts(client, imported, query, expected):
    response = client.get(f"/petitions/{query}")
    assert response.status_code == 200
    assert numbers(response) == expected


def test_search_ranks_and_explains_matches(client, imported):
    response = client.get("/petitions/", {"q": "huawei"})
    assert numbers(response) == ["e-2559"]
    assert "Ban <mark>Huawei</mark> from our 5G networks" in response.content.decode()
    ranked = numbers(client.get("/petitions/", {"q": "foreign interference"}))
    assert ranked == ["e-4172", "e-2835", "e-2559"]  # in the prayer outranks the grievances


def test_ranking_follows_the_weights(client):
    from petitions.search import reindex

    in_response = PetitionFactory(prayer_text="Fix the roads.")
    ResponseFactory(petition=in_response, text="Muskrats are studied.")
    in_prayer = PetitionFactory(prayer_text="Protect the muskrats.")
    in_topic = PetitionFactory(prayer_text="Fix the bridges.", topic__name="Muskrats")
    PetitionFactory(prayer_text="Nothing to see.")
    reindex()
    ranked = numbers(client.get("/petitions/", {"q": "muskrat"}))
    assert ranked == [in_topic.number, in_prayer.number, in_response.number]


def test_search_shows_matches_in_responses(client, imported):
    html = client.get("/petitions/", {"q": "Rapid Response Mechanism"}).content.decode()
    assert "In the response:" in html and "<mark>Rapid</mark>" in html


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ('"foreign interference"', {"e-2559", "e-2835", "e-4172"}),
        ("interference -huawei", {"e-2835", "e-4172"}),
        ("huawei or pipeline", {"e-2559", "e-701"}),
        ("PIPELINE", {"e-701"}),
        ("canadá", numbers_with := None),
    ],
)
def test_web_search_syntax(client, imported, q, expected):
    found = set(numbers(client.get("/petitions/", {"q": q})))
    if expected is None:  # accents are folded: "canadá" finds what "canada" finds
        expected = set(numbers(client.get("/petitions/", {"q": "canada"})))
        assert expected
    assert found == expected


@pytest.mark.parametrize("number", ["e-2835", "E-2835", "432-00309", " 432-00309 "])
def test_typing_a_number_goes_to_the_petition(client, imported, number):
    response = client.get("/petitions/", {"q": number})
    assert response.status_code == 302 and response["Location"] == "/petitions/e-2835/"


def test_facet_counts_honour_the_other_filters(client, imported):
    response = client.get("/petitions/?topic=foreign-affairs&status=responded")
    assert facet(response, "Topic") == {"Foreign affairs": 2, "Public safety": 1, "Fur industry": 1}
    assert facet(response, "Status") == {"Response tabled": 2, "Not answered before dissolution": 1}
    assert facet(response, "Responding portfolio") == {"Minister of Foreign Affairs": 2}
    assert facet(response, "Kind") == {"E-petition": 2}
    assert facet(response, "Sponsor caucus") == {"Conservative": 2}
    assert facet(response, "Parliament") == {"43rd Parliament, 2nd session": 2}


def test_active_filters_are_removable_chips(client, imported):
    html = client.get("/petitions/?topic=foreign-affairs&status=responded").content.decode()
    chips = html.split('aria-label="Active filters"')[1].split("</ul>")[0]
    assert "topic: Foreign affairs" in chips and "status: Response tabled" in chips
    assert 'href="?status=responded"' in chips and 'href="?topic=foreign-affairs"' in chips


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("opened_from=2020-13-01", "opened_from"),
        ("presented_to=yesterday", "presented_to"),
        ("responded_from=2021-02-30", "responded_from"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("sort=bogus", "sort"),
        ("status=pending", "status"),
        ("kind=petition", "kind"),
        ("province=ZZ", "province"),
        ("parliament=forty", "parliament"),
        ("topic=%3Cscript%3E", "topic"),
        ("q=" + "x" * 600, "q"),
        ("q=a%00b", "q"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, imported, query, parameter):
    response = client.get(f"/petitions/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert f"<li>{parameter}:" in html
    assert "<script>" not in html


def test_page_past_the_end_is_404(client, imported):
    assert client.get("/petitions/?page=99").status_code == 404


def test_unknown_parameters_are_ignored(client, imported):
    assert numbers(client.get("/petitions/?utm_source=x")) == ALL


@pytest.mark.parametrize(
    "path",
    ["/petitions/", "/petitions/?q=foreign", "/petitions/?topic=foreign-affairs&sort=oldest"],
)
def test_list_queries_are_constant_whatever_the_page_size(client, path):
    from petitions.search import reindex

    PetitionFactory.create_batch(2, prayer_text="foreign aid")
    reindex()
    few = count_queries(client, path)
    for petition in PetitionFactory.create_batch(30, prayer_text="foreign aid"):
        ResponseFactory(petition=petition)
    reindex()
    assert count_queries(client, path) == few


def test_portfolio_page_gives_median_response_time(client, imported):
    html = client.get("/ministers/minister-of-foreign-affairs/").content.decode()
    assert "Median response time" in html and "52 days" in html  # median of 59 and 44 → 51.5
    assert numbers(client.get("/ministers/minister-of-foreign-affairs/")) == ["e-2559", "e-2835"]


def test_member_page_lists_sponsored_and_presented(client, imported):
    assert numbers(client.get("/members/melissa-lantsman/")) == ["e-4172"]


def test_topic_page_reuses_the_filters(client, imported):
    response = client.get("/topics/foreign-affairs/?kind=paper")
    assert numbers(response) == ["431-00205"]
    assert client.get("/topics/foreign-affairs/?page=x").status_code == 400


def test_cached_facet_counts_follow_an_import(client, imported, tmp_path):
    from tests.conftest import SEEDS, run_import

    assert facet(client.get("/petitions/"), "Topic")["Foreign affairs"] == 3
    page = tmp_path / "e-9999.txt"
    page.write_text(
        SEEDS[0].read_text().replace("e-2835", "e-9999").replace("432-00309", "432-09999")
    )
    run_import(page)
    assert facet(client.get("/petitions/"), "Topic")["Foreign affairs"] == 4


def test_cached_search_counts_follow_an_import(client, imported, tmp_path):
    from tests.conftest import SEEDS, run_import

    before = client.get("/petitions/?q=interference")
    assert before.context["paginator"].count == len(numbers(before)) > 0
    page = tmp_path / "e-9999.txt"
    page.write_text(
        SEEDS[0].read_text().replace("e-2835", "e-9999").replace("432-00309", "432-09999")
    )
    run_import(page)
    after = client.get("/petitions/?q=interference")
    assert after.context["paginator"].count == before.context["paginator"].count + 1
    assert "e-9999" in numbers(after)


def test_broad_search_is_capped_and_shown_newest_first(client, imported, settings):
    settings.ARCHIVE_SEARCH_CAP = 2
    response = client.get("/petitions/", {"q": "canada"})
    html = response.content.decode()
    assert "More than 2 petitions match" in html and "shown newest first" in html
    found = numbers(response)
    assert len(found) > 2
    assert found == [n for n in ALL if n in found]  # newest first, not by rank
    topics = facet(response, "Topic")
    assert sum(topics.values()) == 2  # counted among the 2 newest matches


def test_narrow_search_is_ranked_and_counted_exactly(client, imported, settings):
    settings.ARCHIVE_SEARCH_CAP = 2
    html = client.get("/petitions/", {"q": "huawei"}).content.decode()
    assert "1 petition matching “huawei”, sorted by relevance" in html


def test_deep_pages_list_the_same_rows_as_shallow_ones(client, settings):
    PetitionFactory.create_batch(30)

    def first_two_pages() -> list[str]:
        pages = [client.get("/petitions/", {"page": page}) for page in (1, 2)]
        return numbers(pages[0]) + numbers(pages[1])

    shallow = first_two_pages()
    settings.ARCHIVE_DEFERRED_PAGING_FROM = 0
    assert first_two_pages() == shallow and len(shallow) == 30


def test_a_broad_search_offers_the_signature_sort_only_when_its_sample_is_signed(
    client, imported, settings
):
    settings.ARCHIVE_SEARCH_CAP = 2
    response = client.get("/petitions/", {"q": "canada"})
    newest = numbers(response)[:2]  # the sample the facets count
    assert response.context["broad"] and "signatures" not in response.context["sorts"]
    older = numbers(response)[-1]
    Petition.objects.filter(number=older).update(signatures=500)  # outside the sample
    assert "signatures" not in client.get("/petitions/", {"q": "canada"}).context["sorts"]
    Petition.objects.filter(number=newest[1]).update(signatures=500)
    assert "signatures" in client.get("/petitions/", {"q": "canada"}).context["sorts"]


def test_a_search_sorted_by_date_sorts_its_matches_without_the_date_index(
    client, imported, settings
):
    newest = numbers(client.get("/petitions/", {"q": "canada", "sort": "newest"}))
    oldest = numbers(client.get("/petitions/", {"q": "canada", "sort": "oldest"}))
    assert len(newest) > 2 and newest == [n for n in ALL if n in newest]
    assert set(oldest) == set(newest) and oldest != newest
    with CaptureQueriesContext(connection) as queries:
        client.get("/petitions/", {"q": "canada", "sort": "newest"})
    listed = [
        q["sql"] for q in queries.captured_queries if '"petitions_petition"."number"' in q["sql"]
    ]
    assert any('("petitions_petition"."presented_on" + 0) DESC' in sql for sql in listed)


@pytest.mark.parametrize("query", ["canada", "interference", "government"])
def test_a_searchs_minister_facet_counts_the_petitions_each_portfolio_answered(
    client, imported, query, settings
):
    settings.ARCHIVE_SEARCH_CAP = 3  # one of them broad: its newest 3 matches are counted
    response = client.get("/petitions/", {"q": query})
    shown = numbers(response)
    counted = shown[:3] if response.context["broad"] else shown
    answered: dict[str, set[str]] = {}
    for r in Response.objects.filter(petition__number__in=counted, portfolio__isnull=False):
        answered.setdefault(r.portfolio.slug, set()).add(r.petition.number)
    options = {name: opts for _label, name, opts in response.context["facets"]}["minister"]
    assert answered  # the fixtures' searches find answered petitions
    assert {o.value: o.count for o in options} == {k: len(v) for k, v in answered.items()}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=3",
        "topic=a&topic=b&q=droits+%C3%A9gaux",
        "kind=paper&page=2&sort=newest",
        "q=a%26b",
    ],
)
@pytest.mark.parametrize(("name", "value"), [("topic", "a"), ("topic", "c"), ("kind", "é t&")])
def test_a_facet_link_adds_or_removes_its_value_and_drops_the_page(query, name, value):
    from django.http import QueryDict

    from browse.facets import toggle_url

    params = QueryDict(query)
    expected = params.copy()
    expected.pop("page", None)
    values = expected.getlist(name)
    expected.setlist(
        name, [v for v in values if v != value] if value in values else [*values, value]
    )
    assert toggle_url(params, name, value) == "?" + expected.urlencode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "?kind=paper&kind=e-petition&province=ON&province=BC",
            ["e-2835", "e-123", "e-2672", "e-701"],
        ),
        ("?kind=e-petition&province=on", ["e-2835", "e-123", "e-2672"]),
    ],
)
def test_a_list_filtered_by_kinds_or_provinces_reads_its_rows_without_distinct(
    client, imported, query, expected
):
    """A filter on one column's values cannot repeat a row: no DISTINCT, which would make
    PostgreSQL sort and compare every match before reading the first page in order."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/petitions/{query}")
    assert numbers(response) == expected
    listed = [
        q["sql"] for q in queries.captured_queries if '"petitions_petition"."number"' in q["sql"]
    ]
    assert listed and not any("DISTINCT" in sql for sql in listed)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("?topic=foreign-affairs&status=responded&parliament=43", ["e-2559", "e-2835"]),
        (
            "?kind=e-petition&sort=oldest",
            ["e-123", "e-2835", "e-2559", "e-4172", "e-701", "e-2672"],
        ),
        ("?caucus=conservative", ["e-4172", "e-2559", "e-2835"]),
        ("?status=open", []),
    ],
)
def test_a_list_reads_its_page_ids_first_then_those_rows_in_one_statement(
    client, imported, query, expected
):
    """The page's ids come from an index holding the filtered columns and the order's; the
    rows read are those ids only."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/petitions/{query}")
    assert numbers(response) == expected
    listed = [
        q["sql"] for q in queries.captured_queries if '"petitions_petition"."number"' in q["sql"]
    ]
    assert len(listed) == (1 if expected else 0)  # no rows to show: none read
    for sql in listed:
        assert re.search(rf'"petitions_petition"\."id" IN \(SELECT .* LIMIT {len(expected)}\)', sql)
