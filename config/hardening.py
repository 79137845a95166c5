"""What the archive answers to requests it cannot serve as asked, whoever sends them.

- `RequestGuard` (first in the stack): a bad `Host` is refused before any view (400), and a
  public page refuses a request body over `ARCHIVE_PUBLIC_MAX_BODY` bytes from its
  `Content-Length` alone (413), or one sent without a length (411), before reading a byte of it.
  The admin (`/admin/`, its import page) keeps Django's limits and its own.
- `DatabaseOutage`: a view that fails because the database cannot be reached (a connection
  refused or dropped) is tried once more on a fresh connection when the request is safe (GET,
  HEAD); otherwise, or if that fails too, the answer is a plain 503 page with `Retry-After`.
  `server_error` (handler500) answers the same 503 for a database failure outside a view;
  `bad_request` (handler400) answers in plain text, never reading the refused host again.
- `OneLineDisallowedHost`: a refused host is logged in one line (the host cut short), without
  the traceback Django attaches.
"""

import contextlib
import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
SAFE_METHODS = ("GET", "HEAD")
RETRY_AFTER_SECONDS = 30
HOST_SHOWN = 100  # characters of a refused host kept in the log


def is_admin(path: str) -> bool:
    return path == "/admin" or path.startswith("/admin/")


def refused_body(request) -> HttpResponse | None:
    """413 (or 411) for a public request whose body is over the limit; None when it may go on."""
    if is_admin(request.path_info):
        return None
    if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        return plain(411, "A request body must state its length (Content-Length).\n")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return plain(400, "Content-Length is not a number.\n")
    limit = settings.ARCHIVE_PUBLIC_MAX_BODY
    if length > limit:
        return plain(
            413, f"The archive's public pages take a request body of at most {limit} bytes.\n"
        )
    return None


def plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


class RequestGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.get_host()  # DisallowedHost here is Django's 400, before any page is rendered
        return refused_body(request) or self.get_response(request)


def close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DATABASE_ERRORS):
            connection.close()


def unavailable(request=None) -> HttpResponse:
    """The plain 503 page: no query, no template that could need one."""
    language = translation.get_language_from_path(request.path_info) if request else None
    with translation.override(language or settings.LANGUAGE_CODE):  # before LocaleMiddleware too
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


class DatabaseOutage:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        close_connections()
        match = request.resolver_match
        if request.method in SAFE_METHODS and match and not getattr(request, "_retried", False):
            request._retried = True
            try:
                return rendered(match.func(request, *match.args, **match.kwargs))
            except DATABASE_ERRORS as again:
                close_connections()
                exception = again
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path,
                       first_line(exception))  # fmt: skip
        return unavailable(request)


def rendered(response):
    if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
        response.render()
    return response


def bad_request(request, exception=None):
    """handler400 (a refused Host, a malformed request): plain text, as the site's pages build
    their links from the host that was refused."""
    return plain(400, "Bad request: the archive could not understand this request.\n")


def server_error(request):
    """handler500: a database failure outside a view is the 503 page too."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        close_connections()
        return unavailable(request)
    return HttpResponseServerError(render_to_string("500.html"))


class OneLineDisallowedHost(logging.Filter):
    """For the `django.security.DisallowedHost` logger: one line naming the host, cut short."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        meta = getattr(request, "META", {})
        host = (
            meta.get("HTTP_X_FORWARDED_HOST")
            or meta.get("HTTP_HOST")
            or meta.get("SERVER_NAME", "")
        )
        shown = host[:HOST_SHOWN] + ("…" if len(host) > HOST_SHOWN else "")
        record.msg = "Refused a request for the host %r (%d characters; not in ALLOWED_HOSTS)"
        record.args = (shown, len(host))
        record.exc_info = record.exc_text = record.stack_info = None
        return True
