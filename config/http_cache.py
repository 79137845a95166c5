"""HTTP caching of the public pages: validators, 304s, Cache-Control and a shared page cache.

`PublicPageCache` sits right after the security and static-file middleware, before sessions,
authentication and messages. For a GET or HEAD of a public page by a visitor without a session
(staff who are logged in always get a fresh page) it reads the archive's version (one query,
`petitions.version`) and derives the page's key and strong `ETag` from it, the release
(`release`: a digest of the templates, translations and code), the full address
(scheme, host, path, query), the language, today's date (overdue counts, "retrieved" dates) and
the encoding the client accepts, and whether it asks for a page first (a browser's `Accept`: a
feed answers it with a type the browser styles, publish/feeds.py). Then:

1. a matching `If-None-Match` (or, without one, `If-Modified-Since`) is a 304: no view runs;
2. a page in the cache (`CACHES`, shared when `REDIS_URL` is set) is served as it was stored;
3. a petition's page or JSON twin not stored under this version is looked for under its own
   key (`browse.page_keys`: one query reads what the page shows, so an import of other
   petitions leaves it as it was), with that key's ETag: a 304 or the stored page, which is
   then stored under the version's key too;
4. otherwise the page is rendered (with the version held, so its cached counts and facets are
   keyed on the same version), stored when it is a 200 that sets no cookie, and sent. One
   request renders a page at a time (`one_render`): the others asking for it meanwhile wait for
   the stored page instead of rendering it too, so a link shared widely right after an import
   costs one render, not one per worker thread, on every app server sharing the cache.

A list kept under what it read (`browse.reads`) is asked again right after an import by a
thread of each server process (`config.revalidation`), and a slow page kept under the version
only is rendered again (`render_again`), so that its first visitor after the import finds it
stored under the new version.

Every public 200, streamed CSV exports included (never stored), carries `ETag`,
`Last-Modified` and `Cache-Control` (`ARCHIVE_PUBLIC_CACHE_CONTROL`); `Vary` is
`Accept-Encoding` alone (a feed's browser form adds `Accept`): the language is in the path. Admin pages are `private, no-store`.
"""

import hashlib
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile

from browse import page_keys, reads
from config import revalidation
from config.hardening import DATABASE_ERRORS, close_connections, first_line, unavailable
from petitions import version as archive_version
from petitions.version import release

log = logging.getLogger(__name__)
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Headers a stored page never keeps: they belong to one answer.
NOT_STORED = {"set-cookie", "date"}


def is_private(path: str) -> bool:
    return path.startswith(tuple(settings.ARCHIVE_PRIVATE_PATHS))


def is_public_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not is_private(request.path_info)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class PageKey:
    """What a public page shows depends on, as a cache key and an ETag."""

    def __init__(self, request, version: archive_version.Version, token: str | None = None):
        self.version = version
        # As LocaleMiddleware will (and left active, for streamed bodies); a stored page
        # skips it, and must not leave the thread in the previous request's language.
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        self.language = language
        translation.activate(language)
        gzip = bool(ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")))
        self.encoding = "gzip" if gzip else "identity"
        parts = (
            release(),
            token or str(version),
            language,
            request.build_absolute_uri(),  # raises DisallowedHost for a host not allowed
            timezone.localdate().isoformat(),
            self.encoding,
            "page" if request.headers.get("accept", "").startswith("text/html") else "any",
        )
        digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
        self.cache_key = f"page:{digest}"
        self.etag = f'"{digest[:32]}"'
        # Pages change at midnight too (overdue counts, "retrieved" dates).
        midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        self.last_modified = max(version.last_modified, midnight)

    def of_petition(self, request) -> "PageKey | None":
        """For a petition's page or JSON twin, the key on what it shows (`browse.page_keys`, one
        query): unchanged by imports of other petitions. None for any other page, or when the
        petition has no such key yet."""
        token = page_keys.token_for(request, self.language)
        return None if token is None else PageKey(request, self.version, token)

    def of_reads(self, request, digest: str = "") -> "PageKey":
        """The key of a page kept under what it reads (`browse.reads`): its address, language
        and encoding, and the moments the clock changes what pages show, not the version; with
        the `digest` of its reads, its ETag, the same from every server while they are."""
        return PageKey(request, self.version, f"reads/{self.version.closing}/{digest}")

    def mark(self, response) -> None:
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = http_date(self.last_modified.timestamp())
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = settings.ARCHIVE_PUBLIC_CACHE_CONTROL
        drop_vary(response, "Accept-Language")
        patch_vary_headers(response, ("Accept-Encoding",))


def drop_vary(response, header: str) -> None:
    """The language is in the path: LocaleMiddleware's `Vary: Accept-Language` would only split
    shared caches."""
    kept = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    kept = [v for v in kept if v.lower() != header.lower()]
    if kept:
        response.headers["Vary"] = ", ".join(kept)
    elif "Vary" in response.headers:
        del response.headers["Vary"]


def storable(response) -> bool:
    vary = response.get("Vary", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "cookie" not in vary
        and "private" not in response.get("Cache-Control", "")
        and len(response.content) <= settings.ARCHIVE_PAGE_CACHE_MAX_BYTES
    )


def quietly(action, *args, **kwargs):
    """A call to the cache; an outage is logged and answers None (a miss), never an error
    page."""
    try:
        return action(*args, **kwargs)
    except Exception:
        log.warning("page cache unavailable", exc_info=True)
        return None


def cache_get(key: str):
    return quietly(cache.get, key)


def cache_set(key: str, value) -> None:
    quietly(cache.set, key, value, timeout=settings.ARCHIVE_PAGE_CACHE_SECONDS)


def cache_add(key: str, value, timeout: float) -> bool | None:
    """True when `key` was added, False when it was there, None when the cache is down."""
    return quietly(cache.add, key, value, timeout=timeout)


@contextmanager
def one_render(key: str):
    """Yields the stored page if another request rendered it meanwhile, else None, and then
    the caller renders it (and stores it).

    A request that finds no page marks it as being rendered (`cache.add`, atomic in Redis and
    in the local cache) for at most `ARCHIVE_PAGE_RENDER_WAIT` seconds. A request that finds
    the mark waits for the page, checking every `POLL` seconds; it renders the page itself when
    the mark goes without a page (a 404, a streamed export, an error) or the wait runs out."""
    mark = f"rendering:{key}"
    wait = settings.ARCHIVE_PAGE_RENDER_WAIT
    deadline = time.monotonic() + wait
    while (added := cache_add(mark, 1, timeout=wait)) is False and time.monotonic() < deadline:
        time.sleep(POLL)
        if entry := cache_get(key):
            yield entry
            return
    try:
        yield None
    finally:
        if added:
            quietly(cache.delete, mark)


POLL = 0.02


def stored(response) -> tuple:
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in NOT_STORED]
    return response.status_code, headers, response.content


def restored(entry) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


def read_version() -> archive_version.Version:
    """The archive's version, the first query of a public request: a connection dropped since
    the last request (a database restart) is closed and tried once more, as `DatabaseOutage`
    retries a view; the requests here are GET or HEAD, so trying again is safe."""
    try:
        return archive_version.read()
    except DATABASE_ERRORS:
        close_connections()
        return archive_version.read()


class PublicPageCache:
    latest: "PublicPageCache | None" = None  # the process's, for `render_again`

    def __init__(self, get_response):
        self.get_response = get_response
        PublicPageCache.latest = self

    def __call__(self, request):
        if not is_public_request(request):
            return mark_uncached(request, self.get_response(request))
        try:
            page = PageKey(request, read_version())
        except DisallowedHost:
            page = None
        except DATABASE_ERRORS as error:
            log.warning("Database unavailable for %s %s: %s", request.method, request.path,
                           first_line(error))  # fmt: skip
            return unavailable(request)
        if page is None:
            return self.get_response(request)  # CommonMiddleware answers it with a 400
        with archive_version.holding(page.version):
            return self.answer(request, page)

    def answer(self, request, page: PageKey):
        if not_modified := conditional(request, page):
            return not_modified
        if not settings.ARCHIVE_PAGE_CACHE:
            return self.render(request, page, store=False)
        # A petition's page keyed on what it shows carries that key's ETag, noted beside the
        # version's key: a 304 reads that note, not the stored page.
        noted = "if-none-match" in request.headers and cache_get(etag_key(page))
        if noted and (not_modified := conditional(request, page, noted)):
            return not_modified
        if entry := cache_get(page.cache_key):
            return conditional(request, page, etag_of(entry)) or restored(entry)
        if petition := page.of_petition(request):
            if not_modified := conditional(request, petition):
                cache_set(etag_key(page), petition.etag)  # the next 304 reads only the note
                return not_modified
            if entry := cache_get(petition.cache_key):
                # The next request finds it under the version's key, in one read.
                store_under(page, petition, entry)
                return restored(entry)
        kept = None if petition else reads_key(request, page)
        if kept and (entry := read_unchanged(kept, page)):
            cache_set(page.cache_key, entry)  # the next request finds it in one read
            revalidation.remember(request, kept, page.version.number)
            return conditional(request, page, etag_of(entry)) or restored(entry)
        with one_render((petition or page).cache_key) as entry:
            if entry:
                return restored(entry)
            return self.render(request, page, store=True, petition=petition)

    def render(self, request, page: PageKey, store: bool, petition: PageKey | None = None):
        started = time.perf_counter()
        with reads.recording() as statements:
            response = self.get_response(request)
        seconds = time.perf_counter() - started
        if response.status_code != 200 or response.cookies:
            return response
        store = store and storable(response)
        keyed = store and petition is None and getattr(request, "keyed_on_reads", False)
        keepable = keyed and keeps_reads(statements, seconds)
        # With the server's pass on, its thread digests the reads after the response is sent.
        later = keepable and revalidation.running()
        digest = keepable and not later and digest_at(page, statements)
        (petition or (page.of_reads(request, digest) if digest else page)).mark(response)
        if store:
            entry = stored(response)
            if petition:
                cache_set(petition.cache_key, entry)
            store_under(page, petition, entry)
            if digest or later:
                kept = reads_key(request, page)
                number = page.version.number
                cache_set(kept, reads.Kept(statements.kept(), digest or None, entry, number))
                revalidation.remember(request, kept, number, pending=later)
            elif petition is None and seconds >= settings.ARCHIVE_REVALIDATE_RENDER_OVER:
                key = reads_key(request, page)  # the address's, whatever the version
                revalidation.remember(request, key, page.version.number, render=True)
        return response


def render_again(request, page: PageKey) -> bool:
    """Render a page as a visitor's request would be past this middleware, and store it under
    `page`'s key, one render at a time with visitors' requests; whether it was stored."""
    if PublicPageCache.latest is None:
        return False
    with one_render(page.cache_key) as entry:
        if entry:
            return False  # a visitor's request rendered it meanwhile
        response = PublicPageCache.latest.render(request, page, store=True)
    return storable(response)


def reads_key(request, page: PageKey) -> str:
    return "reads:" + page.of_reads(request).cache_key.removeprefix("page:")


def keeps_reads(statements, seconds: float) -> bool:
    """Whether a page a view marked `keyed_on_reads` may be kept under what it read: only
    reads, and asking them again costs less than most of its render."""
    share = settings.ARCHIVE_READS_MAX_SHARE
    return statements.usable and not reads.costly(statements, seconds, share)


def digest_at(page: PageKey, statements) -> str | None:
    """The digest of what a page read, to keep it under; None when the archive changed since
    it rendered (the digest would then be of rows newer than the page's)."""
    digest, number = reads.digest_of(statements)
    return digest if digest and number == page.version.number else None


def read_unchanged(key: str, page: PageKey, at_version: bool = False):
    """The page kept under what it read (at `key`, `reads_key`), if those reads give the same
    rows now (`at_version`: and the archive is still at the page's version); else None, and
    when the digest of its reads was not taken before the archive changed."""
    kept = cache_get(key)
    if not kept or kept.digest is None:
        return None
    now, number = reads.digest_of(reads.Statements.from_kept(kept.statements))
    if at_version and number != page.version.number:
        return None
    return kept.page if now == kept.digest else None


def etag_key(page: PageKey) -> str:
    return f"etag:{page.cache_key}"


def store_under(page: PageKey, petition: PageKey | None, entry) -> None:
    """Store `entry` under the version's key, with its petition key's ETag noted."""
    cache_set(page.cache_key, entry)
    if petition:
        cache_set(etag_key(page), petition.etag)


def conditional(request, page: PageKey, etag: str | None = None):
    """A 304 when the request's validators match the page's (or the stored page's `etag`)."""
    not_modified = get_conditional_response(
        request, etag=etag or page.etag, last_modified=int(page.last_modified.timestamp())
    )
    if not_modified is not None:
        page.mark(not_modified)
        not_modified.headers["ETag"] = etag or page.etag
    return not_modified


def etag_of(entry) -> str | None:
    return next((v for k, v in entry[1] if k.lower() == "etag"), None)


def mark_uncached(request, response):
    """Staff pages are never kept; a staff member's view of a public page stays private."""
    if "Cache-Control" not in response.headers:
        private = is_private(request.path_info)
        response.headers["Cache-Control"] = "private, no-store" if private else "private"
    return response


class PublicGZipMiddleware(GZipMiddleware):
    """Compresses HTML, JSON, CSV and feeds, but never the admin: its pages carry CSRF tokens
    beside text an attacker can inject, the BREACH pattern. Public pages hold no secret."""

    def process_response(self, request, response):
        if is_private(request.path_info):
            return response
        return super().process_response(request, response)
