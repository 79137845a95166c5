"""Lists kept under what they read (`browse.reads`): a write that leaves a list's rows, counts
and facets as they were leaves its page as it was, without a render; one that changes them
renders it again."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from browse import reads
from browse.facets import while_unchanged
from config import http_cache, revalidation
from petitions import version
from petitions.models import Petition, PrayerItem, Topic
from staff.withdrawal import withdraw
from tests.conftest import DOCUMENT_SEEDS, FIXTURES, PETITION_PAGES, run_import, text_of
from tests.test_browse import numbers
from tests.test_page_keys import get

pytestmark = pytest.mark.django_db

LISTS = [
    "/",
    "/petitions/",
    "/petitions/?status=responded&sort=oldest",
    "/petitions/?topic=foreign-affairs&parliament=43",
    "/petitions/?q=huawei",
    "/fr/petitions/?caucus=conservative",
    "/topics/foreign-affairs/",
    "/petitions/?page=1&kind=e-petition",
    "/ministers/minister-of-foreign-affairs/",
    "/fr/petitions/?q=pipeline",
]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.ARCHIVE_PAGE_CACHE = True
    # Whatever share of a render its statements took on a loaded machine, every list is kept
    # under its reads (one test below turns that rule on).
    settings.ARCHIVE_READS_MAX_SHARE = 1.0


@pytest.fixture
def archive(db):
    return run_import(*PETITION_PAGES)


@pytest.mark.parametrize("path", LISTS)
def test_a_write_that_leaves_a_list_as_it_was_serves_it_without_a_render(client, archive, path):
    first = client.get(path)
    assert first.status_code == 200
    before = version.read().number
    run_import(*DOCUMENT_SEEDS)  # context documents: no list here reads them
    assert version.read().number > before
    page = get(client, path)
    assert page.rendered == [] and page.queries == 2  # the version, then what the list read
    assert page.content == first.content and page["ETag"] == first["ETag"]
    again = get(client, path)
    assert (again.content, again.queries, again.rendered) == (first.content, 1, [])  # new version


def test_a_list_that_did_not_change_has_the_same_etag_from_every_server(client, archive):
    """A server whose cache never held the list renders it under a new version, and still
    sends the ETag another server sends for the page it kept: the ETag is of what it read."""
    first = client.get("/petitions/?status=responded")
    run_import(*DOCUMENT_SEEDS)
    cache.clear()  # as another app server, with its own local cache, finds it
    page = get(client, "/petitions/?status=responded")
    assert page.rendered and page.content == first.content
    assert page["ETag"] == first["ETag"]
    assert client.get(page.request["PATH_INFO"], {"status": "responded"},
                      headers={"if-none-match": first["ETag"]}).status_code == 304  # fmt: skip


def test_a_write_to_a_listed_petition_renders_the_list_again(client, archive):
    path = "/petitions/?status=responded"
    assert "e-2835" in numbers(client.get(path))
    withdraw(Petition.objects.get(number="e-2835"), "A duplicate.", None)
    page = get(client, path)
    assert page.rendered and "e-2835" not in numbers(page)


def test_a_renamed_topic_renders_its_lists_again(client, archive):
    topic = Topic.objects.get(slug="foreign-affairs")
    for path in ("/petitions/", "/petitions/?parliament=43"):
        client.get(path)
    Topic.objects.filter(pk=topic.pk).update(name="Foreign affairs and trade")
    for path in ("/petitions/", "/petitions/?parliament=43"):
        page = get(client, path)
        assert page.rendered and "Foreign affairs and trade" in text_of(page), path


def test_an_import_that_adds_a_petition_to_a_list_shows_it(client, archive):
    path = "/petitions/?status=responded&kind=paper"
    assert numbers(client.get(path)) == []
    quiet = "/petitions/?topic=foreign-affairs&status=closed"  # its counts stay as they were
    closed = client.get(quiet)
    run_import(FIXTURES / "variants" / "two-responses.txt")
    assert numbers(client.get(path)) == ["441-01234"]
    page = get(client, quiet)
    assert page.rendered == [] and page.content == closed.content


def test_a_search_shows_the_documents_an_import_adds(client, archive):
    path = "/petitions/?q=%22foreign+interference%22"
    assert "foreign-interference-2020-11-24" not in client.get(path).content.decode()
    run_import(*DOCUMENT_SEEDS)
    page = get(client, path)
    assert page.rendered and "foreign-interference-2020-11-24" in page.content.decode()


def test_a_search_asks_again_for_the_texts_of_its_snippets_not_their_headlines(client, archive):
    path = "/petitions/?q=huawei"
    with reads.recording() as statements:
        assert "Ban <mark>Huawei</mark> from our 5G networks" in client.get(path).content.decode()
    assert statements.usable and statements
    headlines = [sql for sql, _ in statements if "ts_headline" in sql]
    assert headlines and all('FROM "documents_document"' in sql for sql in headlines)  # petitions'
    PrayerItem.objects.filter(text__contains="Huawei").update(text="Ban Huawei from every network;")
    page = get(client, path)
    assert page.rendered and "Ban <mark>Huawei</mark> from every network" in page.content.decode()
    assert "5G" not in text_of(page)


def test_a_broad_search_is_rendered_again_after_any_write(client, archive, settings):
    settings.ARCHIVE_SEARCH_CAP = 1  # "canada" matches more: its facets count a sample
    client.get("/petitions/?q=canada")
    run_import(*DOCUMENT_SEEDS)
    page = get(client, "/petitions/?q=canada")
    assert page.rendered


def test_a_list_whose_statements_cost_most_of_its_render_is_not_kept_so(client, archive, settings):
    settings.ARCHIVE_READS_MAX_SHARE = 0.0
    client.get("/petitions/")
    run_import(*DOCUMENT_SEEDS)
    page = get(client, "/petitions/")
    assert page.rendered


def test_counts_read_from_the_cache_bring_the_statements_that_computed_them(archive):
    with version.holding(version.read()):  # as a request holds it
        with reads.recording() as computed:
            first = while_unchanged("a test's count", Petition.objects.count)
        with reads.recording() as cached:
            again = while_unchanged("a test's count", lambda: 1 / 0)  # not computed again
    assert first == again == len(PETITION_PAGES)
    assert list(cached) == list(computed) and len(computed) == 1
    assert 'COUNT(*) AS "__count" FROM "petitions_petition"' in computed[0][0]


def test_the_digest_follows_the_rows_and_a_write_is_not_a_read(archive):
    with reads.recording() as statements:
        list(Petition.objects.filter(kind="paper").values_list("number", "prayer_text"))
    assert statements.usable
    digest, number = reads.token(statements)
    assert reads.token(statements) == (digest, number)
    Petition.objects.filter(kind="paper").update(prayer_text="Changed.")
    changed, later = reads.token(statements)
    assert changed != digest and later > number
    with reads.recording() as writes:
        Petition.objects.filter(kind="paper").update(prayer_text="Again.")
    assert not writes.usable


def test_a_page_the_archive_changed_under_is_not_kept_under_its_reads(archive):
    request = RequestFactory().get("/petitions/", HTTP_HOST="testserver")
    page = http_cache.PageKey(request, version.read())
    with reads.recording() as statements:
        list(Petition.objects.values_list("number"))
    Petition.objects.filter(number="e-2835").update(signatures=1)  # while it "rendered"
    assert http_cache.digest_at(page, statements) is None  # not kept
    current = http_cache.PageKey(request, version.read())
    digest = http_cache.digest_at(current, statements)
    assert digest == reads.token(statements)[0]
    key = http_cache.reads_key(request, current)
    http_cache.cache_set(key, reads.Kept(statements.kept(), digest, "page", current.version.number))
    assert http_cache.read_unchanged(key, current) == "page"


@pytest.fixture
def revalidating(settings):
    """The pass on, its thread's rounds an hour apart: a test runs them itself, or sets them
    closer (`thread`)."""
    settings.ARCHIVE_REVALIDATE_EVERY = 3600  # stopped after the test (conftest)


@pytest.fixture
def thread(revalidating, settings):
    """The process's thread, a round every 0.05 s (committed writes only: transactional
    tests)."""
    settings.ARCHIVE_REVALIDATE_EVERY = 0.05


def test_after_an_import_the_lists_it_left_as_they_were_are_kept_before_a_visitor_asks(
    client, archive, revalidating
):
    unchanged = "/petitions/?topic=foreign-affairs&status=closed"
    changed = "/petitions/?status=responded&kind=paper"
    firsts = {path: client.get(path) for path in (unchanged, changed)}
    assert reads.digest_waiting(version.read().number) == 2  # as the process's thread does
    run_import(FIXTURES / "variants" / "two-responses.txt")  # adds a paper petition, responded
    assert revalidation.revalidate(version.read()) == 1  # as the process's thread does
    page = get(client, unchanged)
    assert page.rendered == [] and page.queries == 1  # the version; the page in one cache read
    assert page.content == firsts[unchanged].content
    page = get(client, changed)
    assert page.rendered and numbers(page) == ["441-01234"]


def test_a_pass_for_a_version_the_archive_moved_on_from_ends_at_once(client, archive, revalidating):
    for path in ("/petitions/?status=responded", "/petitions/?status=closed"):
        client.get(path)
    reads.digest_waiting(version.read().number)
    run_import(*DOCUMENT_SEEDS)
    passed = version.read()
    run_import(FIXTURES / "variants" / "two-responses.txt")  # a batch of imports goes on
    with CaptureQueriesContext(connection) as queries:
        assert revalidation.revalidate(passed) == 0
    assert sum("md5(array_to_string" in q["sql"] for q in queries) == 1  # the newest page only


def test_only_what_a_page_is_keyed_on_is_remembered_of_a_request(client, archive, revalidating):
    client.cookies["tracker"] = "a visitor's"
    headers = {"if-none-match": '"other"', "user-agent": "Reader/1.0", "accept-encoding": "gzip"}
    client.get("/petitions/?status=responded", headers=headers, REMOTE_ADDR="192.0.2.7")
    [(facts, render)] = revalidation.remembered()
    assert render is False  # kept under its reads: asked again, not rendered
    assert facts["QUERY_STRING"] == "status=responded" and facts["PATH_INFO"] == "/petitions/"
    assert facts["HTTP_ACCEPT_ENCODING"] == "gzip"
    assert not {"HTTP_COOKIE", "HTTP_IF_NONE_MATCH", "HTTP_USER_AGENT", "REMOTE_ADDR"} & set(facts)


@pytest.mark.django_db(transaction=True)
def test_a_server_process_asks_its_lists_again_after_an_import(client, thread):
    run_import(*PETITION_PAGES)
    path = "/petitions/?topic=foreign-affairs&status=closed"
    first = client.get(path)  # starts the process's thread, which digests its reads
    deadline = time.monotonic() + 10
    while reads.waiting() and time.monotonic() < deadline:
        time.sleep(0.02)
    run_import(*DOCUMENT_SEEDS)  # committed: the thread sees it
    key = http_cache.PageKey(first.wsgi_request, version.read()).cache_key
    deadline = time.monotonic() + 10
    while cache.get(key) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    page = get(client, path)
    assert page.rendered == [] and page.queries == 1
    assert page.content == first.content and page["ETag"] == first["ETag"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/petitions/?status=responded&kind=paper", "/stats/"])
def test_after_an_import_a_slow_page_is_rendered_again_before_a_visitor_asks(
    client, thread, settings, path
):
    settings.ARCHIVE_READS_MAX_SHARE = 0.0  # no list is kept under its reads
    settings.ARCHIVE_REVALIDATE_RENDER_OVER = 0.0  # every page is slow
    run_import(*PETITION_PAGES)
    first = client.get(path)
    assert [render for _, render in revalidation.remembered()] == [True]
    run_import(FIXTURES / "variants" / "two-responses.txt")  # adds a paper petition, responded
    key = http_cache.PageKey(first.wsgi_request, version.read()).cache_key
    deadline = time.monotonic() + 10
    while cache.get(key) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    page = get(client, path)
    assert page.rendered == [] and page.queries == 1  # the version; the page in one cache read
    assert page.content != first.content and page["ETag"] != first["ETag"]
    if path.startswith("/petitions/"):
        assert numbers(first) == [] and numbers(page) == ["441-01234"]
    # The pass's render did not make the page more recent than a visitor's request would.
    assert [render for _, render in revalidation.remembered()] == [True]


def test_a_pass_renders_no_more_slow_pages_than_it_may(client, archive, revalidating, settings):
    settings.ARCHIVE_READS_MAX_SHARE = 0.0
    settings.ARCHIVE_REVALIDATE_RENDER_OVER = 0.0
    settings.ARCHIVE_REVALIDATE_RENDERS = 1
    paths = ["/petitions/?status=responded", "/petitions/?status=closed"]
    for path in paths:
        client.get(path)
    run_import(*DOCUMENT_SEEDS)
    assert revalidation.revalidate(version.read()) == 1
    newest, oldest = (get(client, path) for path in reversed(paths))
    assert newest.rendered == [] and oldest.rendered  # the most recently served first


def test_a_fast_page_is_not_rendered_again(client, archive, revalidating, settings):
    settings.ARCHIVE_READS_MAX_SHARE = 0.0
    settings.ARCHIVE_REVALIDATE_RENDER_OVER = 60.0
    client.get("/petitions/?status=responded")
    assert revalidation.remembered() == []


def test_with_the_pass_on_a_list_is_sent_before_its_reads_are_digested(
    client, archive, revalidating
):
    path = "/petitions/?topic=foreign-affairs&status=closed"
    with CaptureQueriesContext(connection) as queries:
        first = client.get(path)
    assert not any("md5(array_to_string" in q["sql"] for q in queries)  # not in the render
    assert reads.waiting() == [http_cache.reads_key(first.wsgi_request, page_of(first))]
    with CaptureQueriesContext(connection) as queries:
        assert reads.digest_waiting(version.read().number) == 1
    assert sum("md5(array_to_string" in q["sql"] for q in queries) == 1
    assert reads.waiting() == []
    run_import(*DOCUMENT_SEEDS)  # context documents: the list is as it was
    page = get(client, path)
    assert page.rendered == [] and page.content == first.content


def test_a_list_whose_reads_were_not_digested_before_an_import_is_rendered_again(
    client, archive, revalidating
):
    path = "/petitions/?topic=foreign-affairs&status=closed"
    first = client.get(path)
    run_import(*DOCUMENT_SEEDS)  # before the thread's round
    assert reads.digest_waiting(version.read().number) == 0  # kept at the version before
    assert reads.waiting() == []
    page = get(client, path)
    assert page.rendered and page.content == first.content


def page_of(response) -> http_cache.PageKey:
    return http_cache.PageKey(response.wsgi_request, version.read())


def test_the_connection_plans_each_run_for_its_values_and_compiles_nothing():
    """A statement asking many reads again at once is estimated costly at a million petitions:
    JIT compiling it took 122 ms of its 127."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('plan_cache_mode')")
        assert cursor.fetchone() == ("off", "force_custom_plan")
