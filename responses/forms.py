"""The admin's form for a government response."""

from django import forms

from responses.models import Response

PARAGRAPHS_HELP = "Paragraphs are separated by a blank line; each paragraph keeps its anchor ¶n."


class ResponseForm(forms.ModelForm):
    """A response as staff edit it, alone or inline in its petition: the paragraph rule shown."""

    class Meta:
        model = Response
        fields = [
            "petition", "position", "portfolio", "signer", "signer_role", "text", "tabled_on",
            "sessional_paper",
        ]  # fmt: skip
        help_texts = {"text": PARAGRAPHS_HELP}
