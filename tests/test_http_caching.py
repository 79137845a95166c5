"""HTTP caching: validators, 304s without rendering, the page cache keyed on the archive's
version, compression, private staff pages, and the shared cache in Redis."""

import gzip
import shutil
import socket
import subprocess
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from config.cache_backend import ResilientRedisCache
from config.http_cache import cache_get, cache_set, one_render
from documents.models import Document
from petitions import version
from petitions.models import Petition
from responses.models import Response
from staff.withdrawal import withdraw
from tests.conftest import DOCUMENT_SEEDS, PETITION_PAGES, run_import

pytestmark = pytest.mark.django_db
NOTE_SLUG = "foreign-interference-2020-11-24"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.ARCHIVE_PAGE_CACHE = True


@pytest.fixture
def archive(db):
    return run_import(*PETITION_PAGES, *DOCUMENT_SEEDS)


def public_paths() -> list[str]:
    petition = Petition.objects.select_related("topic", "sponsor").get(number="e-2835")
    minister = Response.objects.filter(portfolio__isnull=False).first().portfolio
    english = [
        "/",
        "/petitions/",
        "/petitions/?q=foreign+interference",
        "/petitions/?status=responded&sort=newest",
        "/petitions/e-2835/",
        "/petitions/e-2835.json",
        f"/topics/{petition.topic.slug}/",
        f"/ministers/{minister.slug}/",
        f"/members/{petition.sponsor.slug}/",
        "/documents/",
        f"/documents/{NOTE_SLUG}/",
        "/stats/",
        "/stats/portfolios.csv",
        "/about/data/",
        "/feeds/petitions/",
        "/feeds/responses/",
        "/petitions.csv",
        "/petitions.json",
    ]
    # The French site names a topic or portfolio by its French slug (the English one redirects).
    french = {
        f"/topics/{petition.topic.slug}/": f"/topics/{petition.topic.slug_fr or petition.topic.slug}/",
        f"/ministers/{minister.slug}/": f"/ministers/{minister.slug_fr or minister.slug}/",
    }
    return [
        *english,
        "/sitemap.xml",
        "/sitemap-petitions.xml",
        *("/fr" + french.get(p, p) for p in english),
    ]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class Rendered:
    """The templates rendered while it is open (Django's test instrumentation)."""

    def __enter__(self):
        self.names = []
        template_rendered.connect(self.add)
        return self

    def add(self, sender, template, **kwargs):
        self.names.append(template.name)

    def __exit__(self, *exc):
        template_rendered.disconnect(self.add)


def test_every_public_page_has_validators_and_a_304_without_rendering(client, archive):
    for path in public_paths():
        first = client.get(path)
        assert first.status_code == 200, path
        body(first)
        assert first["ETag"].startswith('"'), path
        assert first["Last-Modified"], path
        assert "s-maxage=" in first["Cache-Control"] and "public" in first["Cache-Control"], path
        assert first["Vary"] == "Accept-Encoding", path
        with CaptureQueriesContext(connection) as queries, Rendered() as rendered:
            again = client.get(path, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304, path
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
        assert len(queries) == 1 and "archive_version" in queries[0]["sql"], path
        assert rendered.names == [], path


def test_a_second_get_is_served_from_the_cache_in_one_query(client, archive):
    for path in ["/petitions/e-2835/", "/petitions/", "/fr/petitions/?q=pipeline", "/"]:
        with Rendered() as rendered:
            first = client.get(path)
        assert rendered.names, path
        with CaptureQueriesContext(connection) as queries, Rendered() as rendered:
            second = client.get(path)
        assert (second.status_code, second.content) == (200, first.content), path
        assert second["ETag"] == first["ETag"]
        assert len(queries) == 1, path
        assert rendered.names == [], path


def test_every_write_changes_the_version_and_the_pages_follow(client, archive):
    before = version.read()
    page = client.get("/petitions/e-2835/")
    response = Response.objects.filter(petition__number="e-2835").first()
    Response.objects.filter(pk=response.pk).update(text=response.text + "\n\nA corrected line.")
    edited = client.get("/petitions/e-2835/")
    assert version.read().number > before.number
    assert edited["ETag"] != page["ETag"]
    assert b"A corrected line." in edited.content
    assert (
        client.get("/petitions/e-2835/", headers={"if-none-match": page["ETag"]}).status_code == 200
    )

    listed = client.get("/documents/")
    assert NOTE_SLUG.encode() in listed.content
    withdraw(Document.objects.get(slug=NOTE_SLUG), "A duplicate.", None)
    after = client.get("/documents/")
    assert after["ETag"] != listed["ETag"]
    assert NOTE_SLUG.encode() not in after.content
    assert client.get(f"/documents/{NOTE_SLUG}/").status_code == 410


def test_an_import_changes_the_etag_and_the_page_is_fresh(client, db):
    run_import(*PETITION_PAGES[:1])
    empty = client.get("/petitions/")
    run_import(*PETITION_PAGES[1:])
    full = client.get("/petitions/")
    assert full["ETag"] != empty["ETag"]
    assert full.context is not None  # rendered again, not the stored page
    assert len(full.context["page_obj"].object_list) > len(empty.context["page_obj"].object_list)


def test_the_clock_is_in_the_key(archive):
    """A signing period closing changes what pages show without a write: the next closing is in
    the version, the last one passed in Last-Modified."""
    from django.db.models import Max, Min
    from django.utils import timezone

    now = timezone.now()
    signing = Petition.objects.filter(stage="signing")
    expected = signing.filter(closed_at__gt=now).aggregate(m=Min("closed_at"))["m"]
    passed = signing.filter(closed_at__lte=now).aggregate(m=Max("closed_at"))["m"]
    held = version.read()
    assert (held.next_close, held.last_close) == (expected, passed)
    assert passed is not None  # the samples hold petitions whose signing period has closed
    assert held.last_modified == max(held.changed_at, passed)


def test_pages_are_compressed_when_the_client_accepts_it(client, archive):
    for path in ["/petitions/", "/petitions/e-2835.json", "/petitions.csv", "/feeds/petitions/"]:
        plain = client.get(path)
        packed = client.get(path, headers={"accept-encoding": "gzip, deflate"})
        assert "Content-Encoding" not in plain, path
        assert packed["Content-Encoding"] == "gzip", path
        text = body(plain)
        assert len(text) > 500 and gzip.decompress(body(packed)) == text, path
        assert packed["ETag"] != plain["ETag"], path
        assert packed["Vary"] == "Accept-Encoding", path
        stored = client.get(path, headers={"accept-encoding": "gzip"})
        assert gzip.decompress(body(stored)) == text, path


def test_streamed_exports_are_validated_but_not_stored(client, archive):
    first = client.get("/petitions.csv")
    assert first.streaming
    rows = body(first)
    second = client.get("/petitions.csv")
    assert second.streaming and body(second) == rows
    assert client.get("/petitions.csv", headers={"if-none-match": first["ETag"]}).status_code == 304


def test_staff_pages_are_never_cached_nor_compressed(admin_client, archive):
    for path in ["/admin/", "/admin/petitions/petition/", "/admin/login/"]:
        page = admin_client.get(path, headers={"accept-encoding": "gzip"})
        assert page.status_code in (200, 302), path
        assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"], path
        assert "ETag" not in page and "Content-Encoding" not in page, path
    public = admin_client.get("/petitions/e-2835/")
    assert public["Cache-Control"] == "private" and "ETag" not in public
    assert public.context is not None


def test_a_host_not_allowed_is_refused_not_served_from_the_cache(archive):
    client = Client(raise_request_exception=False)
    assert client.get("/petitions/").status_code == 200
    refused = client.get("/petitions/", headers={"host": "evil.example"})
    assert refused.status_code != 200 and "ETag" not in refused


def test_every_archive_table_bumps_the_version():
    """A new model in petitions, responses or documents needs a migration calling
    `version.install_sql` for its table; this names the tables without the trigger."""
    from django.apps import apps

    tables = {
        model._meta.db_table
        for label in version.ARCHIVE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [version.TRIGGER],
        )
        triggered = {row[0] for row in cursor.fetchall()}
    assert tables - triggered == set()


def test_the_version_is_read_once_per_request(archive):
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        client.get("/petitions/")
    assert sum(q["sql"] == version.QUERY for q in queries) == 1


@pytest.fixture
def redis_url(tmp_path):
    """A real Redis server of the test's own (Debian's `redis-server`), on a free port."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server not found: apt-get install redis-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*args, "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield process, f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def redis_caches(url: str) -> dict:
    return {"default": {"BACKEND": "config.cache_backend.ResilientRedisCache", "LOCATION": url}}


def test_with_redis_every_app_server_shares_the_cache(client, archive, redis_url, settings):
    process, url = redis_url
    one, two = (ResilientRedisCache(url, {}) for _ in range(2))
    one.set("shared", {"count": 3})
    assert two.get("shared") == {"count": 3}

    settings.CACHES = redis_caches(url)
    first = client.get("/petitions/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/petitions/")  # as another server would find it
    assert (second.content, len(queries)) == (first.content, 1)
    keys = two._cache.get_client().keys("*")
    assert len([key for key in keys if b"page:" in key]) == 1
    assert len([key for key in keys if b"reads:" in key]) == 1  # the list, under what it read

    process.terminate()
    process.wait(timeout=10)
    down = client.get("/petitions/e-2835/")  # Redis is gone: rendered, never an error page
    assert down.status_code == 200 and b"e-2835" in down.content
    assert one.get("shared") is None


def render_meanwhile(key: str, seconds: float, page=None):
    """A second request for `key` while a first one renders it for `seconds` (and stores
    `page`, if given): what the first and the second got, and how long the second waited."""
    rendering, seen = threading.Event(), {}

    def first():
        with one_render(key) as entry:
            seen["first"] = entry
            rendering.set()
            time.sleep(seconds)  # rendering
            if page is not None:
                cache_set(key, page)

    thread = threading.Thread(target=first)
    thread.start()
    assert rendering.wait(5)
    started = time.monotonic()
    with one_render(key) as entry:
        seen["second"] = entry
    waited = time.monotonic() - started
    thread.join()
    return seen["first"], seen["second"], waited


def test_a_page_being_rendered_is_waited_for_not_rendered_again(settings):
    """While one request renders a page, another asking for it gets the stored page."""
    settings.ARCHIVE_PAGE_RENDER_WAIT = 5
    key, page = "page:single-flight", (200, [("Content-Type", "text/html")], b"<p>once</p>")
    first, second, waited = render_meanwhile(key, 0.3, page)
    assert first is None  # the first request renders
    assert second == page  # the second is served what the first stored
    assert 0.1 < waited < 5
    assert cache_get(f"rendering:{key}") is None  # the mark goes with the render


def test_a_page_that_is_not_stored_is_rendered_by_the_next_request(settings):
    """A 404 or a streamed export is never stored: a waiting request renders it itself as soon
    as the first is done, not after the whole wait."""
    settings.ARCHIVE_PAGE_RENDER_WAIT = 5
    _first, second, waited = render_meanwhile("page:not-stored", 0.2)
    assert second is None
    assert waited < 2


def test_a_render_that_fails_releases_the_page(settings):
    key = "page:failing"
    with pytest.raises(RuntimeError), one_render(key):
        raise RuntimeError("the view failed")
    assert cache_get(f"rendering:{key}") is None
    with one_render(key) as entry:  # the next request renders at once
        assert entry is None
