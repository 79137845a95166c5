from django.contrib import admin

from responses.models import Portfolio, Response, Signer


@admin.register(Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Signer)
class SignerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
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
    search_fields = ["petition__number", "portfolio__name", "signer__name", "text"]
    date_hierarchy = "tabled_on"
    autocomplete_fields = ["petition", "portfolio", "signer"]
