"""/stats/: volumes and response times, checked against values counted by hand from the pages."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from playwright.sync_api import expect

from petitions.models import Deadline, Petition
from tests.conftest import FIXTURES, run_import, screenshot
from tests.factories import PetitionFactory, ResponseFactory, TopicFactory

pytestmark = pytest.mark.django_db

# By hand, from the seeds and samples:
#   e-2835  Foreign affairs   opened 2020-09-15  presented 2020-11-27  tabled 2021-01-25  59 days, late
#   e-2559  Foreign affairs   opened 2020-06-10  presented 2021-04-21  tabled 2021-06-04  44 days
#   e-4172  Public safety     opened 2022-11-16  presented 2023-03-20  tabled 2023-05-03  44 days
#   e-123   Fur industry      opened 2016-01-18  presented 2016-06-08  tabled 2016-09-19  103 days
#   431-00205 Foreign affairs (paper) presented 2020-05-20 in the 43rd Parliament, no response:
#             due 2020-07-04, overdue until the Parliament was dissolved on 2021-08-15 (407 days)
#   e-2672  Social affairs and equality, opened 2020-06-15; e-701 (French), opened 2016-12-05


def get_csv(client, name: str) -> list[dict[str, str]]:
    response = client.get(f"/stats/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{name}.csv"' in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def stats_html(client) -> str:
    response = client.get("/stats/")
    assert response.status_code == 200
    return response.content.decode()


def table_after(text: str, caption: str) -> str:
    start = text.index(caption)
    return text[start : text.index("</table>", start)]


def cells(row_html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", c).strip()
        for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html, re.S)
    ]


def table_rows(text: str, caption: str) -> list[list[str]]:
    body = table_after(text, caption).split("<tbody>", 1)[1]
    return [cells(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_petitions_per_year_by_topic(client, imported):
    rows = {
        (r["year"], r["topic"]): int(r["petitions"]) for r in get_csv(client, "petitions-per-year")
    }
    assert rows == {
        ("2016", "Fur industry"): 1,
        ("2016", "Environmental protection"): 1,  # e-701's French topic, a known pair
        ("2020", "Foreign affairs"): 3,
        ("2020", "Social affairs and equality"): 1,
        ("2022", "Public safety"): 1,
    }
    table = table_rows(stats_html(client), "<caption>Petitions per year by topic")
    assert [row[0] for row in table] == [str(y) for y in range(2016, 2023)]
    assert table[4][-1] == "4" and table[0][-1] == "2" and table[1][-1] == "0"


def test_response_time_distribution(client, imported):
    rows = get_csv(client, "response-times")
    counts = {(r["days_from"], r["days_to"]): int(r["petitions"]) for r in rows}
    assert counts[("31", "45")] == 2  # e-2559 and e-4172, 44 days each
    assert counts[("46", "60")] == 1  # e-2835, 59 days
    assert counts[("91", "105")] == 1  # e-123, 103 days
    assert sum(counts.values()) == 4
    late = {(r["days_from"], r["days_to"]): r["within_45_days"] for r in rows}
    assert late[("31", "45")] == "yes" and late[("46", "60")] == "no"
    assert rows[0]["days_from"] == "0" and rows[-1]["days_to"] == ""

    text = stats_html(client)
    table = table_rows(text, "<caption>Petitions answered, by days")
    assert ["46–60", "1", "Late"] in table and ["31–45", "2", "On time"] in table
    assert "<title>46–60 days: 1 petition (late)</title>" in text


def test_summary_counts_e_2835_as_late(client, imported):
    text = stats_html(client)
    summary = text[text.index('<dl class="facts summary">') :]
    summary = summary[: summary.index("</dl>")]
    assert "<dt>Petitions answered</dt><dd>4</dd>" in summary
    assert "<dt>Median response time</dt><dd>51.5 days</dd>" in summary  # 44, 44, 59, 103
    assert "2 of 4 (50%)" in summary
    assert "<dt>Overdue now</dt><dd>0</dd>" in summary  # 431-00205 died with the 43rd Parliament
    assert Petition.objects.get(number="e-2835").deadline == Deadline.LATE


def test_per_portfolio_responses_median_and_share(client, imported):
    rows = {r["portfolio"]: r for r in get_csv(client, "portfolios")}
    foreign = rows["Minister of Foreign Affairs"]
    assert (foreign["responses"], foreign["median_days"], foreign["within_45_days"]) == (
        "2", "51.5", "1",
    )  # fmt: skip
    assert foreign["share_within_45_days"] == "0.5000"
    safety = rows["Minister of Public Safety"]
    assert (safety["responses"], safety["median_days"], safety["share_within_45_days"]) == (
        "1", "44", "1.0000",
    )  # fmt: skip
    unnamed = rows[""]  # e-123's response names no portfolio
    assert (unnamed["responses"], unnamed["median_days"], unnamed["within_45_days"]) == (
        "1", "103", "0",
    )  # fmt: skip

    table = table_rows(stats_html(client), "<caption>Responses, median days")
    assert ["Minister of Foreign Affairs", "2", "51.5", "50% (1 of 2)"] in table
    assert ["Portfolio not stated", "1", "103", "0% (0 of 1)"] in table


def test_overdue_petitions(client, imported):
    """Only petitions still waiting are overdue: 431-00205's Parliament was dissolved."""
    today = timezone.localdate()
    waiting = PetitionFactory(
        number="e-9100", presented_on=today - timedelta(days=100), topic=TopicFactory(name="Health")
    )
    [row] = get_csv(client, "overdue")
    assert row["number"] == "e-9100"
    assert row["response_due_on"] == (waiting.presented_on + timedelta(days=45)).isoformat()
    assert int(row["days_overdue"]) == 55 == Petition.objects.get(number="e-9100").days_overdue
    assert set(Petition.objects.overdue()) == {waiting}

    text = stats_html(client)
    [listed] = table_rows(text, "<caption>1 petition, longest overdue first")
    assert listed[:2] == ["e-9100", "Health"]
    assert "431-00205" not in text[text.index('id="overdue-heading"') :]


def test_overdue_rule_is_the_petition_pages_rule_at_the_boundary(client):
    today = timezone.localdate()
    due_today = PetitionFactory(presented_on=today - timedelta(days=45))
    one_day_late = PetitionFactory(presented_on=today - timedelta(days=46))
    answered = PetitionFactory(presented_on=today - timedelta(days=90))
    answered.response_tabled_on = today - timedelta(days=40)
    answered.save()
    assert set(Petition.objects.overdue()) == {one_day_late}
    for petition in Petition.objects.all():
        assert (petition.deadline == Deadline.OVERDUE) == (petition == one_day_late)
    assert Petition.objects.get(pk=due_today.pk).deadline == Deadline.PENDING

    text = stats_html(client)
    link = re.search(r'href="(/petitions/\?status=presented[^"]*)"', text).group(1)
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert one_day_late.number in listed and due_today.number not in listed
    assert answered.number not in listed


def test_the_page_states_its_rule_and_draws_accessible_charts(client, imported):
    text = stats_html(client)
    assert "45 calendar days" in text and "Standing Orders" in text
    for word in ("on time", "late", "overdue", "opened for signature"):
        assert word in text
    for chart in ("per-year", "response-times", "portfolios"):
        assert f'role="img" aria-labelledby="{chart}-title {chart}-desc"' in text
        assert f'<title id="{chart}-title">' in text and f'<desc id="{chart}-desc">' in text
    assert "<title>2020 · Foreign affairs: 3</title>" in text
    assert "<title>Minister of Foreign Affairs: median 51.5 days over 2 responses</title>" in text
    for name in ("petitions-per-year", "response-times", "portfolios", "overdue"):
        assert f'href="/stats/{name}.csv"' in text
    assert "<script" not in text


def test_statistics_follow_the_archive(client, imported):
    assert "<dt>Petitions answered</dt><dd>4</dd>" in stats_html(client)
    run_import(FIXTURES / "variants" / "two-responses.txt")  # 441-01234, answered in 47 days
    assert "<dt>Petitions answered</dt><dd>5</dd>" in stats_html(client)
    rows = {r["portfolio"]: r for r in get_csv(client, "portfolios")}
    assert rows["Minister of Health"]["responses"] == "1"


def test_query_count_is_constant_and_the_page_is_cached(client, imported):
    with CaptureQueriesContext(connection) as first:
        stats_html(client)
    with CaptureQueriesContext(connection) as cached:
        stats_html(client)
    assert len(cached) == 1  # the archive's version, then everything from the cache
    for i in range(20):
        ResponseFactory(petition=PetitionFactory(topic=TopicFactory(name=f"Topic {i}")))
    with CaptureQueriesContext(connection) as more:
        stats_html(client)
    assert len(more) == len(first) <= 8


def test_imported_names_are_escaped_in_charts_and_tables(client):
    topic = TopicFactory(name="<script>alert('topic')</script>", slug="script")
    ResponseFactory(petition=PetitionFactory(topic=topic))
    text = stats_html(client)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&#x27;topic&#x27;)&lt;/script&gt;" in text


def test_empty_archive(client, db):
    text = stats_html(client)
    assert "No petitions yet." in text and "No responses yet." in text
    assert get_csv(client, "overdue") == []


@pytest.mark.parametrize("path", ["/stats/nonsense.csv", "/stats/per-year.csv", "/stats/x/"])
def test_unknown_chart_is_a_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404


def test_unknown_chart_names_itself(client, db):
    assert "no chart named" in client.get("/stats/nonsense.csv").content.decode()


@pytest.mark.parametrize("path", ["/stats/", "/stats/portfolios.csv"])
def test_statistics_are_read_only(client, db, path):
    assert client.post(path).status_code == 405
    assert client.head(path).status_code == 200


def test_statistics_page_in_a_browser(committed_archive, page, live_server):
    page.goto("/stats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Response times and volumes")
    for name in ("Petitions per year by topic", "Days from presentation to response"):
        chart = page.get_by_role("img", name=re.compile(f"^{name}"))
        expect(chart).to_be_visible()
        assert chart.bounding_box()["height"] > 100
    expect(page.locator("#response-times-title ~ rect").first).to_be_attached()
    expect(page.get_by_role("link", name="Statistics")).to_be_visible()
    screenshot(page, "stats")
