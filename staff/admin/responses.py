from django.contrib import admin

from importer.petitions import derived
from responses.models import Portfolio, Response, Signer
from staff.admin.petitions import HandEditedAdmin, VocabularyAdmin
from staff.forms import FaithfulEditAdmin, ResponseForm


@admin.register(Portfolio)
class PortfolioAdmin(VocabularyAdmin):
    pass


@admin.register(Signer)
class SignerAdmin(FaithfulEditAdmin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Response)
class ResponseAdmin(HandEditedAdmin):
    form = ResponseForm
    list_display = [
        "petition",
        "portfolio",
        "signer",
        "signer_role",
        "tabled_on",
        "sessional_paper",
    ]
    list_filter = ["portfolio", "signer_role"]
    list_select_related = ["petition", "portfolio", "signer"]
    search_fields = [
        *("petition__number", "portfolio__name", "portfolio__name_fr", "signer__name"),
        *("text", "text_fr"),
    ]
    date_hierarchy = "tabled_on"
    autocomplete_fields = ["petition", "portfolio", "signer"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.has_changed():
            derived.refresh(obj.petition_id)  # the petition's search vector includes its responses

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        derived.refresh(obj.petition_id)
