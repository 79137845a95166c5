from django.contrib import admin
from django.urls import path
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from browse.history import related_changes
from importer import admin_import
from importer.petitions import derived
from petitions.models import Caucus, Grievance, Member, Petition, PrayerItem, SourceRecord, Topic
from responses.models import Response
from staff.admin.withdrawal import WithdrawalAdmin
from staff.forms import FaithfulEditAdmin, ResponseForm

EDITED_BY_HAND = "Edited by hand in the admin"


class GrievanceInline(FaithfulEditAdmin, admin.TabularInline):
    model = Grievance
    extra = 0
    fields = ["position", "text", "text_fr"]  # English and French side by side


class PrayerItemInline(FaithfulEditAdmin, admin.TabularInline):
    model = PrayerItem
    extra = 0
    fields = ["position", "text", "text_fr"]


class ResponseInline(FaithfulEditAdmin, admin.StackedInline):
    model = Response
    form = ResponseForm
    extra = 0
    autocomplete_fields = ["portfolio", "signer"]
    fields = [
        "position", "portfolio", "signer", "signer_role", ("text", "text_fr"), "tabled_on",
        "sessional_paper",
    ]  # fmt: skip


class ProvenanceInline(admin.TabularInline):
    """The imported versions of a page: read-only, never added or deleted by hand."""

    model = SourceRecord
    extra = 0
    fields = ["source", "imported_at", "imported_by", "content_hash"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


def mark_edited_by_hand(request, obj) -> None:
    """Record `obj`'s next save or deletion as part of this request's edit by hand: one reason
    and one moment for the record and all its parts, so the history reads it as one change."""
    if not hasattr(request, "edited_at"):
        request.edited_at = timezone.now()
    obj._change_reason = EDITED_BY_HAND
    obj._history_date = request.edited_at


class HandEditedAdmin(FaithfulEditAdmin, SimpleHistoryAdmin):
    """An admin whose saves and deletions are recorded in the history as edits by hand; a form
    saved without a change saves nothing, so records nothing (`FaithfulEditAdmin`)."""

    def save_model(self, request, obj, form, change):
        mark_edited_by_hand(request, obj)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        mark_edited_by_hand(request, obj)
        super().delete_model(request, obj)


class ProvenanceAdmin(admin.ModelAdmin):
    """Imported versions of pages: read, never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(WithdrawalAdmin, HandEditedAdmin):
    list_display = [
        "number", "presented_number", "topic", "kind", "stage", "presented_on",
        "response_tabled_on", "response_days", "sponsor",
    ]  # fmt: skip
    list_filter = [
        "kind",
        "stage",
        "parliament",
        "original_language",
        "topic",
        "initiator_province",
    ]
    list_select_related = ["topic", "sponsor"]
    search_fields = [
        "number",
        "presented_number",
        "initiator_name",
        "prayer_text",
        "prayer_text_fr",
    ]
    date_hierarchy = "presented_on"
    autocomplete_fields = ["topic", "sponsor", "presenter"]
    readonly_fields = [
        *("stage", "response_days", "latest_source", "source_en", "source_fr"),
        *("created_at", "updated_at"),
    ]
    inlines = [GrievanceInline, PrayerItemInline, ResponseInline, ProvenanceInline]
    fieldsets = [
        (
            None,
            {"fields": ["number", "kind", "presented_number", "topic", "parliament", "session"]},
        ),
        (
            "Initiator and language",
            {
                "fields": [
                    "initiator_name",
                    "initiator_city",
                    "initiator_province",
                    ("initiator_province_text", "initiator_province_text_fr"),
                    "original_language",
                    "page_language",
                ]
            },
        ),
        (
            "Petition text (English and French side by side)",
            {
                "fields": [
                    ("addressee", "addressee_fr"),
                    ("prayer_text", "prayer_text_fr"),
                    "signatures",
                ]
            },
        ),
        (
            "Timeline",
            {
                "fields": [
                    "opened_at",
                    "closed_at",
                    "presented_on",
                    "presenter",
                    "sponsor",
                    "response_tabled_on",
                    "end_state",
                    "stage",
                    "response_days",
                ]
            },
        ),
        (
            "Record",
            {"fields": ["latest_source", "source_en", "source_fr", "created_at", "updated_at"]},
        ),
    ]
    change_list_template = "admin/petitions/petition/change_list.html"
    object_history_template = "admin/petitions/petition/object_history.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="petitions_petition_import"), *super().get_urls()]

    def import_view(self, request):
        return admin_import.import_view(self, request)

    def history_view(self, request, object_id, extra_context=None):
        parts = {"related_changes": related_changes(object_id)} if object_id.isdigit() else {}
        return super().history_view(request, object_id, {**parts, **(extra_context or {})})

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:  # the formset saves only the forms that changed
            mark_edited_by_hand(request, inline_form.instance)
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            derived.refresh(form.instance.pk)  # search, reuse and suggestions span the inlines


class VocabularyAdmin(FaithfulEditAdmin, admin.ModelAdmin):
    """A topic, portfolio or caucus: its English and French names and slugs side by side."""

    list_display = ["name", "name_fr", "slug", "slug_fr", "alias_of"]
    list_filter = [("alias_of", admin.EmptyFieldListFilter)]
    search_fields = ["name", "name_fr", "slug", "slug_fr"]
    fields = [("name", "name_fr"), ("slug", "slug_fr"), "alias_of"]
    readonly_fields = ["alias_of"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(VocabularyAdmin):
    pass


@admin.register(Caucus)
class CaucusAdmin(VocabularyAdmin):
    pass


@admin.register(Member)
class MemberAdmin(FaithfulEditAdmin, admin.ModelAdmin):
    list_display = ["name", "riding", "riding_fr", "caucus", "province"]
    list_filter = ["caucus", "province"]
    list_select_related = ["caucus"]
    search_fields = ["name", "riding", "riding_fr"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SourceRecord)
class SourceRecordAdmin(ProvenanceAdmin):
    list_display = ["source", "petition", "language", "imported_at", "imported_by", "content_hash"]
    list_select_related = ["petition"]
    search_fields = ["source", "petition__number", "content_hash"]
    readonly_fields = [
        "petition",
        "language",
        "source",
        "raw_text",
        "content_hash",
        "imported_at",
        "imported_by",
    ]
