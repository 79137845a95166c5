import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import Browser, Page, sync_playwright

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("00[0-2]_*.txt"))
DOCUMENT_SEEDS = sorted((FIXTURES / "seeds").glob("00[3-4]_*.txt"))  # news article, briefing note
SAMPLES = sorted((FIXTURES / "samples").glob("*.txt"))
PETITION_PAGES = SEEDS + SAMPLES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "browser"
TIMEOUT_MS = 10_000


def run_import(*paths, fails: bool = False, **options) -> str:
    """Run the real import command; return what it printed. `fails`: it must exit non-zero."""
    out = StringIO()
    try:
        call_command("import_petitions", *map(str, paths), stdout=out, stderr=out, **options)
    except CommandError as error:
        failure = str(error)
    else:
        failure = ""
    assert bool(failure) == fails, f"exit status not as expected: {failure}\n{out.getvalue()}"
    return out.getvalue() + failure


def count_queries(client, path) -> int:
    """The database queries of one GET of `path`, which must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def text_of(page) -> str:
    """The page's text as a person reads it (tags dropped, entities decoded, spaces folded)."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split())
    return re.sub(r" ([.,:;])", r"\1", words)


@pytest.fixture
def imported(db):
    """The archive with every petition seed and sample imported through the real command."""
    return run_import(*PETITION_PAGES)


# In a real browser: Debian's Chromium driven by Playwright, against pytest-django's live server
# (a real HTTP server in a thread). The live server's thread sees only committed data, so a test
# asks for its committed data (`committed_archive`, or a module's own) BEFORE `page`: the data is
# written before the browser starts, and flushed after it closes.


@pytest.fixture
def committed_archive(transactional_db):
    """Every petition seed and sample, committed, so that the live server's thread sees them."""
    return run_import(*PETITION_PAGES)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium; without it the browser tests fail, they are never skipped."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium: apt-get install chromium")
    return str(CHROMIUM)


@contextmanager
def launched_browser(chromium: str) -> Iterator[Browser]:
    """Playwright's sync API keeps an event loop running in this thread while the browser is open;
    Django would refuse database calls made here meanwhile. DJANGO_ALLOW_ASYNC_UNSAFE is set for
    the browser's lifetime only; in that time only the live server's threads (which run no event
    loop) should touch the database, or data committed before each page is opened."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture
def browser(chromium) -> Browser:
    """A browser for one test (see `launched_browser`)."""
    with launched_browser(chromium) as browser:
        yield browser


@pytest.fixture
def page(browser, live_server) -> Page:
    """A fresh browser tab on the live server. Ask for the test's committed data before it.
    Every page it shows must keep to the Content-Security-Policy: Chromium reports each thing
    the policy blocked (an inline script or style, a foreign source) on the console."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    assert not blocked, "\n".join(blocked)


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """A screenshot of what the person sees now (the whole page, or the window only); it must be
    a real, non-empty file."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    assert path.is_file() and path.stat().st_size > 0, path
    return path


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a freshly started server does."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_server_pass():
    """Each test starts as a freshly started server process does: no thread of the server's pass
    running, nothing remembered for it, no reads waiting for a digest. A thread another test
    started (the in-process benchmark runs its rounds an hour apart) would otherwise keep the
    process's place, asleep, and a test's own thread would never start."""
    from config import revalidation

    revalidation.stop()
    yield
    revalidation.stop()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, as a new process or request does: a French
    page served by an earlier test leaves French active in the thread (`http_cache.PageKey`
    keeps the page's language active for streamed bodies)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _pages_rendered(settings):
    """Tests read what a view renders (its context, its queries): the page cache would answer a
    repeated GET without rendering. Validators and 304s stay on; tests/test_http_caching.py
    turns the page cache on."""
    settings.ARCHIVE_PAGE_CACHE = False
    settings.ARCHIVE_VERSION_MEMO_SECONDS = 0  # a test reads its own writes at once
    # No thread storing petitions' JSON behind a test's back (tests/test_stored_json.py).
    settings.ARCHIVE_STORED_JSON_FILL = False
    # Nor one asking pages again after a write (tests/test_list_reads.py starts it).
    settings.ARCHIVE_REVALIDATE_EVERY = 0


@pytest.fixture(autouse=True)
def _limits_off(request, settings):
    """The rate limits and the sign-in lockout are tested in tests/test_limits.py; elsewhere a
    test asks for pages as often as it needs, and logs in with `client.login()`."""
    if request.module.__name__.rpartition(".")[2] != "test_limits":
        settings.RATELIMIT_ENABLE = False
        settings.AXES_ENABLED = False
