from django.contrib import admin

from petitions.models import Caucus, Grievance, Member, Petition, PrayerItem, SourceRecord, Topic
from responses.models import Response


class GrievanceInline(admin.TabularInline):
    model = Grievance
    extra = 0


class PrayerItemInline(admin.TabularInline):
    model = PrayerItem
    extra = 0


class ResponseInline(admin.StackedInline):
    model = Response
    extra = 0
    autocomplete_fields = ["portfolio", "signer"]


class SourceRecordInline(admin.TabularInline):
    model = SourceRecord
    extra = 0
    fields = ["source", "imported_at", "imported_by", "content_hash"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
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
    search_fields = ["number", "presented_number", "initiator_name", "prayer_text"]
    date_hierarchy = "presented_on"
    autocomplete_fields = ["topic", "sponsor", "presenter"]
    readonly_fields = ["stage", "response_days", "latest_source", "created_at", "updated_at"]
    inlines = [GrievanceInline, PrayerItemInline, ResponseInline, SourceRecordInline]
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
                    "initiator_province_text",
                    "original_language",
                    "page_language",
                ]
            },
        ),
        ("Petition text", {"fields": ["addressee", "prayer_text", "signatures"]}),
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
        ("Record", {"fields": ["latest_source", "created_at", "updated_at"]}),
    ]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Caucus)
class CaucusAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "riding", "caucus", "province"]
    list_filter = ["caucus", "province"]
    list_select_related = ["caucus"]
    search_fields = ["name", "riding"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SourceRecord)
class SourceRecordAdmin(admin.ModelAdmin):
    list_display = ["source", "petition", "imported_at", "imported_by", "content_hash"]
    list_select_related = ["petition"]
    search_fields = ["source", "petition__number", "content_hash"]
    readonly_fields = [
        "petition",
        "source",
        "raw_text",
        "content_hash",
        "imported_at",
        "imported_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
