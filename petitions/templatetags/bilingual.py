"""A record's text in the page's language, or in the other one marked as such.

`{{ text|lang_attr }}` gives ` lang="fr"` to the element holding a text shown in the other
language; `{{ text|lang_note }}` adds the short note that says so; `{{ text|localised }}` does
both for a text inside a line (a name, a riding).
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from petitions.i18n import Localised

register = template.Library()


def fallback_lang(value) -> str:
    """The language of a text shown in the other language than the page's, else ""."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return value.lang if isinstance(value, Localised) and value.is_fallback else ""


def note_text(lang: str) -> str:
    return (
        gettext("Available in French only.")
        if lang == "fr"
        else gettext("Available in English only.")
    )


@register.filter
def lang_attr(value) -> str:
    lang = fallback_lang(value)
    return format_html(' lang="{}"', lang) if lang else ""


@register.filter
def lang_note(value) -> str:
    lang = fallback_lang(value)
    if not lang:
        return ""
    requested = value[0].requested if isinstance(value, list | tuple) else value.requested
    return format_html(' <span class="lang-note" lang="{}">({})</span>', requested, note_text(lang))


@register.filter
def localised(value) -> str:
    lang = fallback_lang(value)
    if not lang:
        return format_html("{}", value)
    return format_html('<span lang="{}">{}</span>{}', lang, value, lang_note(value))


@register.filter
def in_lang(value) -> str:
    """The text, in a span that names its language when it is not the page's."""
    lang = fallback_lang(value)
    return (
        format_html('<span lang="{}">{}</span>', lang, value) if lang else format_html("{}", value)
    )
