from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import Kind


class DocumentListForm(forms.Form):
    """The parameters of the list of documents: `q` (web-search syntax), `kind` and `page`."""

    q = forms.CharField(required=False, max_length=200, strip=True)
    kind = forms.ChoiceField(required=False, choices=[("", _("All kinds")), *Kind.choices])
    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)

    def errors_text(self) -> list[str]:
        return [
            f"{name}: {' '.join(str(message) for message in messages)}"
            for name, messages in self.errors.items()
        ]
