"""The filtered list as CSV and JSON: the same rows in the same order as the page, streamed."""

import codecs
import csv
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    GrievanceFactory,
    PetitionFactory,
    PrayerItemFactory,
    ResponseFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

ALL = ["e-4172", "e-2559", "e-2835", "431-00205", "e-123", "e-2672", "e-701"]
LIST_QUERIES = [
    "",
    "topic=foreign-affairs",
    "topic=foreign-affairs&topic=public-safety",
    "minister=minister-of-public-safety",
    "signed_by=rob-oliphant",
    "caucus=green-party&caucus=liberal",
    "parliament=43&status=responded",
    "kind=paper",
    "province=on",
    "opened_from=2020-06-15&opened_to=2020-09-15",
    "responded_from=2021-01-25&responded_to=2021-06-04",
    "sort=oldest",
    "sort=response_time&status=responded",
    "sort=signatures",
    "q=foreign+interference",
    "q=canada&sort=oldest",
    "q=%22foreign+interference%22&topic=foreign-affairs",
    "topic=no-such-topic",
]
BAD_QUERIES = [
    ("opened_from=2020-13-01", "opened_from"),
    ("presented_to=yesterday", "presented_to"),
    ("page=abc", "page"),
    ("sort=bogus", "sort"),
    ("status=pending", "status"),
    ("province=ZZ", "province"),
    ("parliament=forty", "parliament"),
    ("topic=%3Cscript%3E", "topic"),
    ("q=" + "x" * 600, "q"),
]


def listed(client, query: str) -> list[str]:
    """Every petition number the list page shows for a query, page after page."""
    found, page = [], 1
    while True:
        response = client.get(f"/petitions/?{query}&page={page}")
        assert response.status_code == 200
        html = response.content.decode()
        found += re.findall(r'<a class="number" href="/petitions/([^/]+)/">', html)
        if 'rel="next"' not in html:
            return found
        page += 1


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def csv_numbers(client, query: str) -> list[str]:
    return [row["number"] for row in read_csv(client.get(f"/petitions.csv?{query}"))]


def json_numbers(client, query: str, per_page: int = 2) -> list[str]:
    """Every number in /petitions.json, following `next` links from the first page."""
    link, found, pages = f"/petitions.json?{query}&per_page={per_page}", [], []
    while link:
        data = client.get(link).json()
        found += [item["number"] for item in data["items"]]
        pages.append(data["page"])
        link = data["next"]
    assert pages == list(range(1, data["pages"] + 1))
    assert data["total"] == len(found)
    return found


@pytest.mark.parametrize("query", LIST_QUERIES)
def test_exports_hold_the_lists_rows_in_its_order(client, imported, query):
    expected = listed(client, query)
    assert csv_numbers(client, query) == expected
    assert json_numbers(client, query) == expected


def test_exports_follow_the_list_across_pages(client):
    topic = TopicFactory(name="Roads", slug="roads")
    for i, petition in enumerate(PetitionFactory.create_batch(60, topic=topic)):
        GrievanceFactory(petition=petition, text=f"Whereas road {i} is broken;")
    PetitionFactory.create_batch(5)
    for query in ["topic=roads", "sort=oldest", "topic=roads&sort=signatures"]:
        expected = listed(client, query)
        assert len(expected) >= 60
        assert csv_numbers(client, query) == expected
        assert json_numbers(client, query, per_page=25) == expected


def test_a_broad_search_exports_every_match_newest_first(client, imported, settings):
    everything = csv_numbers(client, "q=canada&sort=newest")
    assert len(everything) > 2
    settings.ARCHIVE_SEARCH_CAP = 2
    assert "More than 2 petitions match" in client.get("/petitions/?q=canada").content.decode()
    assert csv_numbers(client, "q=canada") == everything  # all of them, not the cap
    assert json_numbers(client, "q=canada") == everything
    assert client.get("/petitions.json?q=canada").json()["sort"] == "newest"


def test_csv_is_one_documented_row_per_petition(client, imported):
    from publish.exports import COLUMNS

    response = client.get("/petitions.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="petitions.csv"'
    rows = read_csv(response)
    assert list(rows[0]) == [column.name for column in COLUMNS]
    assert [row["number"] for row in rows] == ALL
    row = next(r for r in rows if r["number"] == "e-2835")
    assert row["url"] == "http://testserver/petitions/e-2835/"
    assert row["topic"] == "Foreign affairs" and row["status"] == "responded"
    assert row["presented_number"] == "432-00309"
    assert row["opened_at"] == "2020-09-15T15:23:00-04:00"  # Ottawa's time, as the page says
    assert row["presented_on"] == "2020-11-27" and row["response_tabled_on"] == "2021-01-25"
    assert row["response_days"] == "59" and row["response_deadline"] == "late"
    assert row["sponsor_name"] == "Garnett Genuis"
    assert row["sponsor_riding"] == "Sherwood Park—Fort Saskatchewan"
    assert row["response_count"] == "1"
    assert row["response_portfolios"] == "Minister of Foreign Affairs"
    assert row["response_signers"] == "Rob Oliphant"
    assert " ¶ " in row["response_texts"]  # paragraphs kept inside the one cell, on one line
    paper = next(r for r in rows if r["number"] == "431-00205")
    assert paper["initiator_name"] == "" and paper["opened_at"] == ""  # null is an empty cell


def test_csv_cells_equal_the_petitions_json(client, imported):
    """Each CSV row is the petition's own JSON, flattened as /about/data/ says."""
    rows = {row["number"]: row for row in read_csv(client.get("/petitions.csv"))}
    for number, row in rows.items():
        data = client.get(f"/petitions/{number}.json").json()
        assert row["grievances"] == " | ".join(data["grievances"])
        assert row["prayer_text"] == data["prayer"]["text"]
        assert row["prayer_items"] == " | ".join(data["prayer"]["items"])
        texts = [" ¶ ".join(r["paragraphs"]) for r in data["responses"]]
        assert row["response_texts"] == " | ".join(texts)  # paragraphs on one line, marked ¶
        assert not any("\n" in cell or "\r" in cell for cell in row.values())
        assert row["response_dates"] == " | ".join(r["tabled_on"] or "" for r in data["responses"])
        assert row["signatures"] == ("" if data["signatures"] is None else str(data["signatures"]))
        assert row["source_content_hash"] == data["source"]["content_hash"]


def test_csv_joins_several_responses_in_step(client):
    petition = PetitionFactory(number="e-5001", presented_number="441-05001")
    ResponseFactory(petition=petition, position=1, text="", sessional_paper="8545-441-1-01")
    ResponseFactory(
        petition=petition, position=2, portfolio__name="Minister of Justice", text="Answered."
    )
    GrievanceFactory(petition=petition, position=1, text="Whereas one;")
    GrievanceFactory(petition=petition, position=2, text="Whereas two;")
    (row,) = read_csv(client.get("/petitions.csv"))
    assert row["response_count"] == "2"
    assert row["response_portfolios"] == "Minister of Health | Minister of Justice"
    assert row["response_sessional_papers"] == "8545-441-1-01 | "
    assert row["response_texts"] == " | Answered."
    assert row["grievances"] == "Whereas one; | Whereas two;"


def test_csv_neutralises_formulas_and_keeps_accents(client):
    petition = PetitionFactory(
        prayer_text='=HYPERLINK("http://example.com","click")',
        initiator_name="+1 613 555 0100",
        initiator_city="Québec",
        addressee="@SUM(A1)",
    )
    GrievanceFactory(petition=petition, text="-2+3 is a formula")
    PrayerItemFactory(petition=petition, text="\tTabbed")
    (row,) = read_csv(client.get("/petitions.csv"))
    assert row["prayer_text"] == '\'=HYPERLINK("http://example.com","click")'
    assert row["initiator_name"] == "'+1 613 555 0100"
    assert row["addressee"] == "'@SUM(A1)"
    assert row["grievances"] == "'-2+3 is a formula"
    assert row["prayer_items"] == "'\tTabbed"
    assert row["initiator_city"] == "Québec"
    assert row["number"] == petition.number  # ordinary cells untouched


def test_csv_queries_do_not_grow_with_rows(client):
    """One COPY writes every row: the export's statements are as many for 43 rows as for 3."""

    def export() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = read_csv(client.get("/petitions.csv"))
        return len(captured), len(rows)

    for petition in PetitionFactory.create_batch(3):
        ResponseFactory(petition=petition)
        GrievanceFactory(petition=petition)
    few, rows = export()
    assert rows == 3
    for petition in PetitionFactory.create_batch(40):
        ResponseFactory(petition=petition)
        GrievanceFactory(petition=petition)
        PrayerItemFactory(petition=petition)
    assert export() == (few, 43)


def test_json_pages_link_to_each_other_and_carry_the_petitions_json(client, imported):
    data = client.get("/petitions.json?topic=foreign-affairs&per_page=2").json()
    assert data["total"] == 3 and data["pages"] == 2 and data["page"] == 1 and data["per_page"] == 2
    assert data["sort"] == "newest"
    assert data["previous"] is None
    assert (
        data["next"] == "http://testserver/petitions.json?topic=foreign-affairs&per_page=2&page=2"
    )
    assert data["last"] == data["next"]
    assert data["csv"] == "http://testserver/petitions.csv?topic=foreign-affairs"
    for item in data["items"]:
        assert item == client.get(f"/petitions/{item['number']}.json").json()
    second = client.get(data["next"]).json()
    assert second["next"] is None and second["previous"] == data["first"]
    assert [i["number"] for i in data["items"] + second["items"]] == [
        "e-2559",
        "e-2835",
        "431-00205",
    ]


def test_json_defaults_and_limits(client, imported):
    data = client.get("/petitions.json").json()
    assert data["per_page"] == 100 and data["total"] == 7 and data["next"] is None
    empty = client.get("/petitions.json?topic=no-such-topic").json()
    assert empty["total"] == 0 and empty["items"] == [] and empty["pages"] == 1
    too_far = client.get("/petitions.json?page=9")
    assert too_far.status_code == 404 and too_far.json()["errors"][0].startswith("page:")
    for per_page in ["0", "501", "x"]:
        response = client.get(f"/petitions.json?per_page={per_page}")
        assert response.status_code == 400
        assert response.json()["errors"][0].startswith("per_page:")


def test_json_queries_do_not_grow_with_the_page(client):
    def queries(per_page: int) -> int:
        cache.clear()  # the total is kept until the archive changes
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/petitions.json?per_page={per_page}").status_code == 200
        return len(captured)

    for petition in PetitionFactory.create_batch(30):
        ResponseFactory(petition=petition)
        GrievanceFactory(petition=petition)
    assert queries(2) == queries(30)


@pytest.mark.parametrize(("query", "parameter"), BAD_QUERIES)
def test_exports_answer_bad_parameters_as_the_list_does(client, imported, query, parameter):
    assert client.get(f"/petitions/?{query}").status_code == 400
    response = client.get(f"/petitions.csv?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert f"<li>{parameter}:" in html and "<script>" not in html
    response = client.get(f"/petitions.json?{query}")
    assert response.status_code == 400
    assert [e.split(":")[0] for e in response.json()["errors"]] == [parameter]


def test_list_pages_link_to_their_twins(client, imported):
    html = client.get("/petitions/?topic=foreign-affairs&sort=oldest&page=1").content.decode()
    head = html.split("</head>")[0]
    assert (
        '<link rel="alternate" type="text/csv" title="This list as CSV" '
        'href="/petitions.csv?topic=foreign-affairs&amp;sort=oldest">' in head
    )
    assert 'type="application/json" title="This list as JSON" href="/petitions.json?topic=' in head
    assert (
        'type="application/atom+xml" title="New petitions in this list" '
        'href="/feeds/petitions/?topic=foreign-affairs">' in head
    )
    body = html.split('class="data-links"')[1].split("</p>")[0]
    assert 'href="/petitions.csv?topic=foreign-affairs&amp;sort=oldest"' in body
    assert 'href="/about/data/"' in body


@pytest.mark.parametrize(
    ("page", "twin"),
    [
        ("/topics/foreign-affairs/?kind=paper", "kind=paper&topic=foreign-affairs"),
        ("/ministers/minister-of-foreign-affairs/", "minister=minister-of-foreign-affairs"),
        ("/members/melissa-lantsman/", "sponsor=melissa-lantsman"),
        ("/members/paul-manly/?sort=oldest", "sort=oldest&sponsor=paul-manly"),
    ],
)
def test_subject_pages_link_to_exports_of_their_own_rows(client, imported, page, twin):
    html = client.get(page).content.decode()
    escaped = twin.replace("&", "&amp;")
    assert f'href="/petitions.csv?{escaped}"' in html
    assert f'href="/petitions.json?{escaped}"' in html
    feed = "&amp;".join(p for p in escaped.split("&amp;") if not p.startswith("sort="))
    assert f'href="/feeds/petitions/?{feed}"' in html
    shown = re.findall(r'<a class="number" href="/petitions/([^/]+)/">', html)
    assert shown and csv_numbers(client, twin) == shown


def test_home_page_links_to_feeds_and_exports(client, imported):
    html = client.get("/").content.decode()
    head = html.split("</head>")[0]
    assert 'type="application/atom+xml" title="New petitions" href="/feeds/petitions/"' in head
    assert 'type="application/atom+xml" title="New responses" href="/feeds/responses/"' in head
    assert 'type="text/csv" title="Every petition as CSV" href="/petitions.csv"' in head
    assert 'href="/about/data/"' in html.split("<footer")[1]


def keys(value, prefix: str = "") -> set[str]:
    """Every key path of a JSON value: `a`, `a.b`, `list[].key`."""
    found = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found |= {path} | keys(inner, path)
    elif isinstance(value, list):
        for inner in value:
            found |= {k for k in keys(inner, f"{prefix}[]") if k != f"{prefix}[]"}
    return found


def test_about_data_documents_every_column_and_key(client, imported):
    from publish.exports import COLUMNS

    response = client.get("/about/data/")
    assert response.status_code == 200
    html = response.content.decode()
    for column in COLUMNS:
        assert f'<tr id="column-{column.name}"><th scope="row"><code>{column.name}</code>' in html
    header = next(csv.reader(io.StringIO(read_csv_text(client))))
    assert all(f'id="column-{name}"' in html for name in header)
    petition_keys = set()
    for number in ALL:
        petition_keys |= keys(client.get(f"/petitions/{number}.json").json())
    undocumented = {k for k in petition_keys if f'<tr id="key-{k}">' not in html}
    assert not undocumented
    listing = client.get("/petitions.json").json()
    assert all(f'<tr id="list-{k}">' in html for k in listing)
    assert "CC BY 4.0" in html and "non-commercial" in html
    assert "Retrieved" in html and "http://testserver/petitions/" in html
    assert "“ | ”" in html and "apostrophe" in html and "byte-order mark" in html


def read_csv_text(client) -> str:
    return b"".join(client.get("/petitions.csv").streaming_content).decode("utf-8-sig")


def test_benchmark_reads_the_whole_synthetic_corpus_as_csv(settings):
    from io import StringIO

    from django.core.management import call_command

    call_command("synthesize_corpus", petitions=120, force=True, stdout=StringIO())
    out = StringIO()
    call_command("benchmark", runs=1, csv="only", stdout=out)
    report = out.getvalue()
    assert re.search(r"CSV, one topic: /petitions\.csv\?topic=[-a-z]+ status 200: ", report)
    line = next(li for li in report.splitlines() if li.startswith("CSV, everything"))
    assert "/petitions.csv status 200: 120 rows of 120, " in line
    assert re.search(r"in \d+\.\d s \(first byte \d+\.\d s, [\d,]+ rows/s\), \d+ queries", line)
    assert re.search(r"peak RSS \d+ MiB$", line)
    pages = next(li for li in report.splitlines() if li.startswith("JSON, 500 a page"))
    assert re.search(
        # The archive's version, the plan, the rows, the plan back: the warm-up counted the total
        r"pages 1-1 status 200: 120 rows, .* \([\d.]+ pages/s, \d+ ms a page\), 4 queries",
        pages,
    )


def test_a_csv_for_people_names_its_file_and_keeps_each_row_on_one_line(client, imported):
    response = client.get("/petitions.csv?topic=foreign-affairs&status=responded&topc=x&page=2")
    disposition = response["Content-Disposition"]
    assert (
        disposition == 'attachment; filename="petitions-status-responded-topic-foreign-affairs.csv"'
    )
    rows = read_csv(response)
    assert rows and all("\n" not in cell and "\r" not in cell for r in rows for cell in r.values())
    e2835 = next(r for r in rows if r["number"] == "e-2835")
    assert e2835["response_texts"].count(" ¶ ") == 9  # ten paragraphs
    assert e2835["opened_at"] == "2020-09-15T15:23:00-04:00"
    assert e2835["source_imported_at"].endswith(("-04:00", "-05:00"))
    plain = client.get("/petitions.csv")["Content-Disposition"]
    assert plain == 'attachment; filename="petitions.csv"'


def test_benchmark_times_each_page_warm_cold_and_right_after_an_import(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.ARCHIVE_PAGE_CACHE = True  # as served
    call_command("synthesize_corpus", petitions=120, force=True, stdout=StringIO())
    out = StringIO()
    call_command("benchmark", runs=2, csv="no", stdout=out)
    lines = out.getvalue().splitlines()
    header = next(li for li in lines if li.startswith("request"))
    assert header.endswith("cold p50 cold p95 import50 import95")
    rows = [li for li in lines if re.match(r"(home|list|search|petition page|rare word)", li)]
    assert len(rows) == 9
    for row in rows:
        status, queries, *timings = row.split()[-10:]
        assert status == "200" and int(queries) >= 1, row
        assert all(float(t) > 0 for t in timings), row
