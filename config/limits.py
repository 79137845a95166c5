"""Per-visitor rate limits on searches, exports and JSON, counted by django-ratelimit.

`RateLimits` sits before the page cache (config/http_cache.py), so a stored search page, a 304
or an export all count, and a 429 never reaches the cache. The address decides the group:

- `search`: a list of petitions, documents, a topic, minister or member with a non-empty `q`;
- `export`: the CSV exports (the petition list's and the statistics');
- `json`: the JSON pages (a petition's, the petition list's, a document's).

Each group has its rate (`ARCHIVE_RATE_SEARCH`, `ARCHIVE_RATE_EXPORT`, `ARCHIVE_RATE_JSON`,
"N/s|m|h|d"), counted per visitor (config/client_ip.py) in the default cache: shared by every
app server when `REDIS_URL` is set. Past it the answer is a 429 with `Retry-After` (the seconds
left in the window) and a short page saying why (JSON for the JSON pages). `RATELIMIT_ENABLE`
(`ARCHIVE_RATELIMIT=0` in the environment) turns them off.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext
from django_ratelimit.core import get_usage

from config.client_ip import ratelimit_key

SEARCHABLE = {
    "petitions:list",
    "petitions:topic",
    "petitions:minister",
    "petitions:member",
    "documents:list",
}
GROUPS = {
    "petitions:list-csv": "export",
    "stats:csv": "export",
    "petitions:download": "export",
    "petitions:topics-json": "json",
    "petitions:ministers-json": "json",
    "petitions:members-json": "json",
    "petitions:list-json": "json",
    "petitions:detail-json": "json",
    "documents:detail-json": "json",
}


def group_of(request) -> str | None:
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        return None
    if name in SEARCHABLE and request.GET.get("q", "").strip():
        return "search"
    return GROUPS.get(name)


def too_many(request, group: str, seconds: int):
    message = gettext("Too many requests from your address. Please wait %(seconds)s seconds.") % {
        "seconds": seconds
    }
    if group == "json":
        response = JsonResponse({"errors": [message]}, status=429)
    else:
        context = {"seconds": seconds, "message": message}
        response = render(request, "429.html", context, status=429)
    response.headers["Retry-After"] = str(seconds)
    response.headers["Cache-Control"] = "no-store"
    return response


class RateLimits:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.RATELIMIT_ENABLE or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        with translation.override(language):
            group = group_of(request)
            if group is not None:
                rate = getattr(settings, f"ARCHIVE_RATE_{group.upper()}")
                usage = get_usage(request, group, key=ratelimit_key, rate=rate, increment=True)
                if usage is not None and usage["should_limit"]:
                    return too_many(request, group, max(1, usage["time_left"]))
        return self.get_response(request)


def locked_out(request, response, credentials):
    """django-axes' answer to a sign-in while locked out (`AXES_LOCKOUT_CALLABLE`)."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": seconds // 60}
    locked = render(request, "lockout.html", context, status=429)
    locked.headers["Retry-After"] = str(seconds)
    return locked
