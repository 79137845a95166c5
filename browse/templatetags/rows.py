"""`{% petition_rows petitions %}`: a page of results' rows, each rendered once and then read
from the cache under what it shows (`browse.fragments.row_key`): the petition's status now
(the clock closes signing periods) and every value the list's query loaded or the page set on
it (the petition's columns, its topic's, sponsor's and caucus's, a search's snippets). After an
import only the rows of the petitions it changed are rendered; the others come in one read.
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from browse.fragments import ROW, row_key

register = template.Library()


@register.simple_tag(takes_context=True)
def petition_rows(context, petitions) -> SafeString:
    """Every petition's row, in order: the cached ones read in one call, the others rendered
    and stored."""
    keys = [row_key(petition) for petition in petitions]
    found = cache.get_many(keys)
    missing = {}
    row = context.template.engine.get_template(ROW)
    for key, petition in zip(keys, petitions, strict=True):
        if key not in found:
            found[key] = missing[key] = row.render(template.Context({"petition": petition}))
    if missing:
        cache.set_many(missing, timeout=settings.ARCHIVE_PAGE_CACHE_SECONDS)
    return mark_safe("".join(found[key] for key in keys))
