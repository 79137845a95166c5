from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import (
    Document,
    DocumentSource,
    Paragraph,
    PetitionLink,
    Suggestion,
    TopicLink,
)
from importer.documents import derived
from staff.admin.petitions import ProvenanceAdmin, ProvenanceInline
from staff.admin.withdrawal import WithdrawalAdmin
from staff.forms import FaithfulEditAdmin


class PetitionLinkInline(FaithfulEditAdmin, admin.TabularInline):
    model = PetitionLink
    extra = 1
    autocomplete_fields = ["petition"]
    fields = ["petition", "note", "created_at"]
    readonly_fields = ["created_at"]
    verbose_name = "linked petition"
    verbose_name_plural = "Linked petitions (confirmed by staff)"


class TopicLinkInline(admin.TabularInline):
    model = TopicLink
    extra = 1
    autocomplete_fields = ["topic"]
    verbose_name = "linked topic"
    verbose_name_plural = "Linked topics"


class SuggestionInline(admin.TabularInline):
    """What the archive suggests; staff confirm a suggestion by adding the petition above."""

    model = Suggestion
    extra = 0
    fields = ["petition", "score", "shared_terms"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-score"]
    verbose_name_plural = "Suggested petitions (by shared words; add one above to confirm it)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("petition__topic")


class ParagraphInline(FaithfulEditAdmin, admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ["position", "is_heading", "text"]


class DocumentSourceInline(ProvenanceInline):
    model = DocumentSource


@admin.register(Document)
class DocumentAdmin(FaithfulEditAdmin, WithdrawalAdmin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "published_on", "publisher", "slug"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "slug", "publisher", "summary"]
    date_hierarchy = "published_on"
    readonly_fields = ["latest_source", "created_at", "updated_at"]
    inlines = [
        PetitionLinkInline,
        TopicLinkInline,
        SuggestionInline,
        ParagraphInline,
        DocumentSourceInline,
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "published_on", "publisher", "language"]}),
        ("Credits", {"fields": ["byline"]}),
        (
            "Briefing note",
            {"fields": ["classification", "branch", "prepared_by", "approved_by", "summary"]},
        ),
        ("Record", {"fields": ["latest_source", "created_at", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        """The slug is the permanent address: set once, never changed."""
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ["title"]}

    def save_related(self, request, form, formsets, change):
        """The text may have changed: the search vector and the suggestions follow it."""
        super().save_related(request, form, formsets, change)
        derived.refresh(form.instance)


@admin.register(DocumentSource)
class DocumentSourceAdmin(ProvenanceAdmin):
    list_display = ["source", "document", "imported_at", "imported_by", "content_hash"]
    list_select_related = ["document"]
    search_fields = ["source", "document__title", "content_hash"]
    readonly_fields = [
        "document", "source", "raw_text", "content_hash", "imported_at", "imported_by",
    ]  # fmt: skip
