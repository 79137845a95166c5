"""The same page in the other official language, for the language switch and `hreflang` links.

English is unprefixed (the public contract), French is under /fr/ with the same paths. A page
links to its twin with the query string kept; `x-default` is the English page.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils.translation import activate, get_language, get_language_from_path

NAMES = dict(settings.LANGUAGES)


def twin_urls(request) -> dict[str, str]:
    """{"en": …, "fr": …}: this page's address in each language, query string kept."""
    path = request.path
    english = path[3:] if path == "/fr" or path.startswith("/fr/") else path
    query = request.META.get("QUERY_STRING", "")
    urls = {"en": english or "/", "fr": f"/fr{english or '/'}"}
    return {code: f"{url}?{query}" if query else url for code, url in urls.items()}


def other_language(request) -> dict:
    """Context of every page: its language, the other one and both addresses."""
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    other = "fr" if current == "en" else "en"
    urls = twin_urls(request)
    return {
        "site_language": current,
        "other_language": {"code": other, "name": NAMES[other], "url": urls[other]},
        "language_urls": urls,
    }


class PathLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware with one rule, always: the language is the path's (`/fr/…`),
    else English. `Accept-Language` never chooses it (the unprefixed site is the public contract);
    Django's own fallback to `Accept-Language` applies whenever it decides that no i18n patterns
    are in use, which a cached answer for another URLconf can make it decide."""

    def process_request(self, request):
        language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        activate(language)
        request.LANGUAGE_CODE = get_language()
