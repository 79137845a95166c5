"""The admin's forms: text that staff type, read the way the importer reads a page, and the
response form with its paragraph rule.

A browser sends a textarea's line breaks as "\\r\\n" and keeps whatever spaces were typed around a
line; the importer stores page text with "\\n" line breaks, ordinary spaces and every line stripped
(`importer.petitions.parse.normalise`, then each line's surrounding whitespace). `clean_text`
applies the same rule to typed text, so a form saved unchanged compares equal to what is stored,
changes nothing and records no history, and a page imported again compares equal to what was
typed. A blank line (one, however many were typed) separates paragraphs, as in a response.
"""

import re

from django import forms
from django.db import models

from importer.petitions.parse import normalise
from responses.models import Response

_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Unix line breaks, no invisible characters, each line stripped, paragraphs separated by
    exactly one blank line, nothing blank at either end."""
    lines = [line.strip() for line in normalise(text).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


class ArchiveTextField(forms.CharField):
    """A text field whose value, and so whose `has_changed()`, is the cleaned text."""

    def to_python(self, value):
        if isinstance(value, str):
            value = clean_text(value)
        return super().to_python(value)


class FaithfulEditAdmin:
    """An admin (or inline) that saves only what staff changed.

    Free text (plain CharFields and TextFields without choices; slugs, e-mail addresses and
    choices keep their own form fields) is cleaned as the importer cleans page text, so a text
    sent back unchanged is seen as unchanged; a form saved without a change saves nothing (an
    inline formset already saves only its changed forms).
    """

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", ArchiveTextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


PARAGRAPHS_HELP = "Paragraphs are separated by a blank line; each paragraph keeps its anchor ¶n."


class ResponseForm(forms.ModelForm):
    """A response as staff edit it, alone or inline in its petition: the paragraph rule shown."""

    class Meta:
        model = Response
        fields = [
            "petition", "position", "portfolio", "signer", "signer_role", "text", "text_fr",
            "tabled_on", "sessional_paper",
        ]  # fmt: skip
        help_texts = {"text": PARAGRAPHS_HELP, "text_fr": PARAGRAPHS_HELP}
