"""The CSV and the JSON pages PostgreSQL writes are the petitions' JSON as `petition_json` gives
it, and its flattening as `columns.COLUMNS` says, on every real page, in both languages."""

import codecs
import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.http import QueryDict
from django.utils import translation

from browse import stored_json
from browse.models import StoredJson
from browse.petition_sql import WHITE_SPACE
from browse.serialize import petition_json
from browse.views import Selection
from petitions import summary
from petitions.models import Petition, Topic
from publish.columns import COLUMNS
from publish.exports import cell
from tests.conftest import FIXTURES, PETITION_PAGES, run_import
from tests.factories import (
    GrievanceFactory,
    MemberFactory,
    PetitionFactory,
    PrayerItemFactory,
    ResponseFactory,
)

pytestmark = pytest.mark.django_db

PAIRS = sorted((FIXTURES / "pairs").glob("*.txt"))
VARIANTS = sorted((FIXTURES / "variants").glob("*.txt"))
FORMULA_TOPIC = "=cmd|' /C calc'!A0"
SELECTIONS = [
    "",
    "sort=oldest",
    "sort=signatures",
    "sort=response_time&status=responded",
    "topic=foreign-affairs",
    "status=responded&parliament=43",
    "kind=paper",
    "q=foreign+interference",
    "q=canada&sort=oldest",
    "q=gouvernement",
]
PREFIX = {"en": "", "fr": "/fr"}


def expected_items(query: str, language: str) -> list[dict]:
    """The petitions' JSON as the page of each petition gives it (the reference)."""
    with translation.override(language):
        qs = Selection(QueryDict(query)).ordered().for_detail()
        return [petition_json(p, "http://testserver") for p in qs]


def expected_csv(query: str, language: str) -> list[list[str]]:
    """The CSV as the archive wrote it in Python: a header, then each petition's JSON flattened
    by the columns' `value`, each cell through `cell`."""
    with translation.override(language):
        header = [c.header for c in COLUMNS]
        return [header] + [
            [cell(c.value(item)) for c in COLUMNS] for item in expected_items(query, language)
        ]


def csv_rows(client, path: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def assert_same(client, language: str, queries=SELECTIONS):
    for query in queries:
        prefix = PREFIX[language]
        expected = expected_items(query, language)
        page = client.get(f"{prefix}/petitions.json?per_page=500&{query}").json()
        assert page["items"] == expected, query
        assert page["total"] == len(expected)
        assert csv_rows(client, f"{prefix}/petitions.csv?{query}") == expected_csv(query, language)


@pytest.fixture
def edge_cases(db):
    """What real pages rarely hold: a topic that reads as a formula, microseconds, several
    responses (one without text or portfolio), texts only in the other language, blank rows."""
    petition = PetitionFactory(
        number="e-5001",
        opened_at=datetime(2023, 5, 1, 12, 30, 15, 120000, tzinfo=UTC),
        signatures=0,
        addressee="",
        addressee_fr="Chambre des communes",
        prayer_text="",
        prayer_text_fr="Nous, soussignés, demandons…",
        initiator_province_text="",
        initiator_province_text_fr="Québec",
        initiator_city="-Montréal",
        sponsor=MemberFactory(riding="", riding_fr="Laurier—Sainte-Marie", province="QC"),
        presenter=MemberFactory(caucus=None, riding="", province=""),
        keywords=["Fur", "=Imports"],
    )
    petition.topic.name, petition.topic.slug_fr = FORMULA_TOPIC, "formule"
    petition.topic.save()
    ResponseFactory(
        petition=petition, position=1, text="", text_fr="Premier.\n \u00a0\nSecond.\r\n\r\n",
        portfolio=None, sessional_paper="8545-441-1-01",
    )  # fmt: skip
    ResponseFactory(petition=petition, position=2, text="One.\n\n\n Two. \n\nThree.")
    ResponseFactory(
        petition=petition, position=3, text="\n\n a\u2028\n\tline\nnext \n\n \n\n\u3000b\xa0\n \n"
    )
    GrievanceFactory(petition=petition, position=1, text="", text_fr="Attendu que un;")
    GrievanceFactory(petition=petition, position=2, text="", text_fr="")
    GrievanceFactory(petition=petition, position=3, text="", text_fr="Attendu que trois;")
    PrayerItemFactory(petition=petition, position=1, text="@first", text_fr="")
    PetitionFactory(number="e-5002", initiator_name="", closed_at=None, presented_on=None,
                    presented_number=None, parliament=44)  # fmt: skip
    PetitionFactory(number="e-5003", closed_at=datetime.now(UTC) + timedelta(days=3),
                    presented_on=None, presented_number=None)  # fmt: skip
    summary.refresh()  # as every write does (importer, admin, corpus): the exports read it stored
    return petition


@pytest.mark.parametrize("language", ["en", "fr"])
def test_exports_equal_the_petitions_json_on_every_real_page(client, language):
    run_import(*PETITION_PAGES)
    run_import(*PAIRS, fails=True)  # the cut-off pairs are refused, the whole ones imported
    assert Petition.objects.count() >= 8
    assert_same(client, language)
    stored_json.store_all()  # each petition's JSON, stored: read from there, the same
    assert_same(client, language)
    stored = StoredJson.objects.count()
    run_import(*VARIANTS, allow_removals=True)  # they update some of the petitions above
    assert 0 < StoredJson.objects.count() < stored  # those petitions' stored JSON is forgotten
    assert_same(client, language, ["", "sort=oldest"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_exports_equal_the_petitions_json_on_edge_cases(client, edge_cases, language):
    assert_same(client, language, ["", "sort=oldest", "status=open", "status=closed"])
    assert stored_json.store_all() == 2 * Petition.objects.count()
    assert_same(client, language, ["", "sort=oldest", "status=open", "status=closed"])


def test_a_formula_in_any_cell_is_neutralised(client, edge_cases):
    header, *rows = csv_rows(client, "/petitions.csv?sort=oldest")
    row = dict(zip(header, rows[0], strict=True))
    assert row["topic"] == "'" + FORMULA_TOPIC
    assert row["keywords"] == "Fur | =Imports"  # a formula only at the start of the cell
    assert row["initiator_city"] == "'-Montréal"
    assert row["prayer_items"] == "'@first"
    assert row["signatures"] == "0"
    assert row["opened_at"] == "2023-05-01T08:30:15.120000-04:00"
    assert row["response_sessional_papers"] == "8545-441-1-01 |  | "
    assert row["response_portfolios"] == " | Minister of Health | Minister of Health"


def test_the_csv_begins_with_a_byte_order_mark_and_its_headers(client, edge_cases):
    for prefix, first in (
        ("", b"number,url,official_url_en"),
        ("/fr", b"numero,url,url_officielle_en"),
    ):
        body = b"".join(client.get(f"{prefix}/petitions.csv").streaming_content)
        assert body.startswith(codecs.BOM_UTF8 + first), body[:40]
    english = csv_rows(client, "/petitions.csv")[0]
    assert english == [c.name for c in COLUMNS]


def test_white_space_is_what_python_strips():
    import sys

    assert "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()) == WHITE_SPACE


def test_json_page_queries_do_not_grow_with_rows(client, django_assert_num_queries):
    PetitionFactory.create_batch(2)
    # The count, then the page's rows with all they hold (between setting the export's plan
    # and restoring the connection's)
    with django_assert_num_queries(5):  # the archive's version, count, plan, rows, plan back
        assert len(client.get("/petitions.json?per_page=500").json()["items"]) == 2
    for petition in PetitionFactory.create_batch(30):
        ResponseFactory(petition=petition)
        GrievanceFactory(petition=petition)
    with django_assert_num_queries(5):  # the archive's version, count, plan, rows, plan back
        assert len(client.get("/petitions.json?per_page=500").json()["items"]) == 32


def test_a_topic_named_like_a_formula_is_kept_in_json(client, edge_cases):
    items = client.get("/petitions.json?sort=oldest").json()["items"]
    assert items[0]["topic"]["name"] == FORMULA_TOPIC
    assert Topic.objects.filter(name=FORMULA_TOPIC).exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_petitions_json_twin_equals_the_reference(client, edge_cases, language):
    run_import(*PETITION_PAGES)
    petitions = list(Petition.objects.for_detail())
    assert len(petitions) >= 8
    for petition in petitions:
        with translation.override(language):
            expected = petition_json(petition, "http://testserver")
        response = client.get(f"{PREFIX[language]}/petitions/{petition.number}.json")
        assert response.status_code == 200
        assert response.json() == expected, petition.number
        assert response.content.decode().startswith('{\n  "number": ')  # as JsonResponse writes
