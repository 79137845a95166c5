"""Pages asked again after an import, before visitors ask for them.

A list kept under what it read (`browse.reads`) is served after an import once its reads give
the same rows: the first request after the import asks them, at the cost of running them
again. Each server process remembers the last `ARCHIVE_REVALIDATE_PAGES` pages it kept that
way (the facts of their requests their keys are made of). A thread of the process reads the
archive's version every `ARCHIVE_REVALIDATE_EVERY` seconds; when it has changed, it asks each
remembered page's reads again, the most recently served first, and stores a page whose rows
are unchanged under the new version's key. A visitor arriving after that pass is served the
page in one cache read; one arriving during it asks the reads itself, as without the pass. A
page the change touched is left to its next request, which renders it. With a shared cache
(Redis), a page another server is asking again is marked and skipped.

The same thread digests the reads of the lists kept since its last round (`browse.reads`,
`digest_waiting`), while the archive is at the version they rendered at: their visitors are
sent the page without waiting for its statements to run a second time.

A page that is not kept under its reads and took at least `ARCHIVE_REVALIDATE_RENDER_OVER`
seconds to render (a broad search, the statistics) is remembered too, and the same pass renders
it again once the lists are done, the most recently served first, up to
`ARCHIVE_REVALIDATE_RENDERS` of them: it is stored under the new version as a visitor's render
would be, one render at a time with visitors' (`http_cache.one_render`). Only visitors'
requests make a page recent: what the pass does leaves the order as it was, so a page no one
asks for any more is not rendered after every import until it falls off the end.
"""

import logging
import os
import threading
from collections import OrderedDict
from contextvars import ContextVar
from io import BytesIO

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection

from browse import reads
from config.hardening import DATABASE_ERRORS
from petitions import version as archive_version

log = logging.getLogger(__name__)
# What a page's key is made of (`http_cache.PageKey`): its address as the server saw it, and the
# headers that choose its form. Nothing else of a visitor's (address, cookies, user agent).
KEYED = {"REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME",
         "SERVER_PORT", "wsgi.url_scheme", "HTTP_HOST", "HTTP_X_FORWARDED_HOST",
         "HTTP_X_FORWARDED_PORT", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING"}  # fmt: skip

# A page's reads key: (the facts of its request, whether the pass renders it again).
_remembered: OrderedDict[str, tuple[dict, bool]] = OrderedDict()
_lock = threading.Lock()
_passing: ContextVar[bool] = ContextVar("revalidation_pass", default=False)
_watcher: dict = {"pid": None, "thread": None, "stop": threading.Event()}


def facts(request) -> dict:
    """What of `request` its page's key is made of, to make the same request again."""
    keyed = KEYED | (
        {settings.SECURE_PROXY_SSL_HEADER[0]} if settings.SECURE_PROXY_SSL_HEADER else set()
    )
    return {name: value for name, value in request.META.items() if name in keyed}


def remember(request, key: str, version: int, render: bool = False, pending: bool = False):
    """Note that the page `key` (its reads' key) was kept or served under what it read, at the
    archive's `version`; with `render`, that it was slow to render and kept under the version
    only, to be rendered again; with `pending`, that its reads wait to be digested."""
    if not running() or _passing.get():
        return
    with _lock:
        _remembered[key] = (facts(request), render)
        _remembered.move_to_end(key)
        while len(_remembered) > settings.ARCHIVE_REVALIDATE_PAGES:
            _remembered.popitem(last=False)
    if pending:
        reads.wait_for_digest(key, version, settings.ARCHIVE_REVALIDATE_PAGES)
    watch(version)


def running() -> bool:
    """Whether the server's pass runs (`ARCHIVE_REVALIDATE_EVERY`): pages are remembered, and
    its thread digests a kept page's reads after the response is sent. Without it, the render
    digests them before sending the page."""
    return settings.ARCHIVE_REVALIDATE_EVERY > 0


def remembered() -> list[tuple[dict, bool]]:
    """(request facts, rendered again) of the pages remembered, the most recently served
    first."""
    with _lock:
        return list(reversed(_remembered.values()))


def revalidate(version: archive_version.Version) -> int:
    """Store under `version`'s keys each remembered list whose reads give the same rows at
    `version`, then render again the slow pages remembered; how many pages were stored. The
    pass ends early when the archive moves on (a batch of imports): the next round starts
    again from the newest version."""
    from config import http_cache  # which calls `remember`

    stored, renders = 0, settings.ARCHIVE_REVALIDATE_RENDERS
    passing = _passing.set(True)
    try:
        with archive_version.holding(version):
            # The lists first (one statement each), then the renders.
            for environ, render in sorted(remembered(), key=lambda entry: entry[1]):
                if render and renders <= 0:
                    break
                request = WSGIRequest({**environ, "wsgi.input": BytesIO()})
                try:
                    page = http_cache.PageKey(request, version)
                except DisallowedHost:  # the hosts allowed changed since
                    continue
                if http_cache.cache_get(page.cache_key):
                    continue  # a visitor's request (or another server) was first
                if render:
                    renders -= 1
                    done = http_cache.render_again(request, page)
                else:
                    done = asked_again(request, page)
                stored += done
                if (render or not done) and moved_on(version):
                    break
    finally:
        _passing.reset(passing)
    return stored


def moved_on(version: archive_version.Version) -> bool:
    """Whether the archive changed since `version` (read past the request's and the memo)."""
    return archive_version.read(fresh=True).number != version.number


def asked_again(request, page) -> bool:
    """Ask a list's reads again; store it under `page`'s key if they give the same rows."""
    from config import http_cache

    mark = f"revalidating:{page.cache_key}"
    if http_cache.cache_add(mark, 1, timeout=settings.ARCHIVE_PAGE_RENDER_WAIT) is False:
        return False  # another server is asking
    key = http_cache.reads_key(request, page)
    entry = http_cache.read_unchanged(key, page, at_version=True)
    http_cache.quietly(cache.delete, mark)
    if entry:
        http_cache.cache_set(page.cache_key, entry)
    return bool(entry)


def watch(seen: int) -> None:
    """Start this process's thread that revalidates pages after each change of the archive from
    version `seen` on, unless it runs."""
    with _lock:
        thread = _watcher["thread"]
        if _watcher["pid"] == os.getpid() and thread is not None and thread.is_alive():
            return
        stop = threading.Event()
        thread = threading.Thread(
            target=_watch, args=(stop, seen), name="revalidation", daemon=True
        )
        _watcher.update(pid=os.getpid(), thread=thread, stop=stop)
    thread.start()


def stop() -> None:
    """Stop this process's thread (tests; a server process's ends with it)."""
    with _lock:
        thread, _watcher["thread"] = _watcher["thread"], None
        _watcher["stop"].set()
        _remembered.clear()
    reads.forget_waiting()
    if thread is not None:
        thread.join(timeout=10)


def _watch(stopping: threading.Event, seen: int) -> None:
    failing = False
    try:
        while not stopping.wait(settings.ARCHIVE_REVALIDATE_EVERY):
            try:
                version = archive_version.read(fresh=True)
                if version.number != seen:
                    stored = revalidate(version)
                    log.info("version %s: %s pages kept as they were", version.number, stored)
                reads.digest_waiting(version.number)
                seen, failing = version.number, False
            except DATABASE_ERRORS as error:
                if not failing:  # once per outage, not twice a second
                    log.warning("pages not revalidated until the database answers: %s", error)
                failing = True
                connection.close()  # a new one on the next round
            except Exception:
                log.exception("pages not revalidated")
    finally:
        connection.close()
