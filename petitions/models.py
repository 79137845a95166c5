"""Petitions and everything on a petition's page except its responses."""

import re
from urllib.parse import quote_plus

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from petitions import parliaments, vocabulary
from petitions.choices import (  # the models' vocabulary, importable from here too
    E_NUMBER as E_NUMBER,
    NEWEST_FIRST as NEWEST_FIRST,
    OFFICIAL_URLS as OFFICIAL_URLS,
    OLDEST_FIRST as OLDEST_FIRST,
    PRESENTATION_NUMBER as PRESENTATION_NUMBER,
    RESPONSE_DEADLINE_DAYS as RESPONSE_DEADLINE_DAYS,
    Deadline as Deadline,
    EndState as EndState,
    Kind as Kind,
    Language as Language,
    Province as Province,
    Stage as Stage,
    Status as Status,
    Step as Step,
    choices_check as choices_check,
)
from petitions.i18n import Localised, PetitionTexts, active_language, pick
from petitions.provenance import Provenance
from petitions.querysets import PUBLIC, PetitionQuerySet, overdue_q as overdue_q
from petitions.timeline import PetitionTimeline
from petitions.vocabulary import Bilingual, VocabularyQuerySet

MEMBER_SEARCH = {
    "en": "https://www.ourcommons.ca/members/en/search?searchText=",
    "fr": "https://www.noscommunes.ca/members/fr/search?searchText=",
}


class Topic(Bilingual, models.Model):
    name = models.CharField("English name", max_length=200, blank=True)
    name_fr = models.CharField("French name", max_length=200, blank=True, default="", db_default="")
    slug = models.SlugField(max_length=200, unique=True, help_text="Permanent; never changes.")
    slug_fr = models.SlugField("French slug", max_length=200, blank=True, default="", db_default="")
    alias_of = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "name_fr"]
        constraints = vocabulary.constraints("topic")

    def __str__(self) -> str:
        return self.local_name.text

    def get_absolute_url(self) -> str:
        return reverse("petitions:topic", args=[self.local_slug])


class Caucus(Bilingual, models.Model):
    name = models.CharField("English name", max_length=200, blank=True)
    name_fr = models.CharField("French name", max_length=200, blank=True, default="", db_default="")
    slug = models.SlugField(max_length=200, unique=True, help_text="Permanent; never changes.")
    slug_fr = models.SlugField("French slug", max_length=200, blank=True, default="", db_default="")
    alias_of = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "name_fr"]
        verbose_name_plural = "caucuses"
        constraints = vocabulary.constraints("caucus")

    def __str__(self) -> str:
        return self.local_name.text


class Member(models.Model):
    """A Member of Parliament who sponsored or presented petitions."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    riding = models.CharField(max_length=200, blank=True)
    riding_fr = models.CharField(
        "riding (French)", max_length=200, blank=True, default="", db_default=""
    )
    caucus = models.ForeignKey(
        Caucus, models.PROTECT, null=True, blank=True, related_name="members"
    )
    province = models.CharField(max_length=2, choices=Province.choices, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [choices_check("member_province_valid", "province", Province, blank=True)]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("petitions:member", args=[self.slug])

    @property
    def local_riding(self) -> Localised:
        return pick(self.riding, self.riding_fr)

    @property
    def house_url(self) -> str:
        """The House of Commons' search for this MP's profile, in the page's language."""
        return MEMBER_SEARCH[active_language()] + quote_plus(self.name)


class Petition(PetitionTexts, PetitionTimeline, models.Model):
    number = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    presented_number = models.CharField(max_length=20, null=True, blank=True, unique=True)
    parliament = models.PositiveSmallIntegerField(null=True, blank=True)
    session = models.PositiveSmallIntegerField(null=True, blank=True)
    topic = models.ForeignKey(Topic, models.PROTECT, related_name="petitions")
    initiator_name = models.CharField(max_length=300, blank=True)
    initiator_city = models.CharField(max_length=200, blank=True)
    initiator_province = models.CharField(
        max_length=2, choices=Province.choices, blank=True, help_text="From the page's province."
    )
    initiator_province_text = models.CharField(
        max_length=100, blank=True, help_text="The province as printed on the page."
    )
    initiator_province_text_fr = models.CharField(
        "initiator province text (French)", max_length=100, blank=True, default="", db_default=""
    )
    original_language = models.CharField(max_length=2, choices=Language.choices, blank=True)
    page_language = models.CharField(max_length=2, choices=Language.choices, default="en")
    addressee = models.CharField(max_length=500, blank=True)
    addressee_fr = models.CharField(
        "addressee (French)", max_length=500, blank=True, default="", db_default=""
    )
    prayer_text = models.TextField(blank=True)
    prayer_text_fr = models.TextField("prayer text (French)", blank=True, default="", db_default="")
    signatures = models.PositiveIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    presented_on = models.DateField(null=True, blank=True)
    presenter = models.ForeignKey(
        Member, models.PROTECT, null=True, blank=True, related_name="presented_petitions"
    )
    sponsor = models.ForeignKey(
        Member, models.PROTECT, null=True, blank=True, related_name="sponsored_petitions"
    )
    response_tabled_on = models.DateField(null=True, blank=True)
    end_state = models.CharField(max_length=30, choices=EndState.choices, blank=True)
    keywords = ArrayField(
        models.CharField(max_length=200),
        default=list,
        db_default=Value([], output_field=ArrayField(models.CharField(max_length=200))),
        blank=True,
        help_text="Index terms as older pages print them.",
    )
    stage = models.GeneratedField(
        expression=Case(
            When(~Q(end_state=""), then=F("end_state")),
            When(response_tabled_on__isnull=False, then=Value(Stage.RESPONDED.value)),
            # Unanswered when its Parliament was dissolved: a new dissolution is a migration.
            When(
                presented_on__isnull=False,
                parliament__lte=parliaments.LAST_DISSOLVED,
                then=Value(Stage.UNANSWERED_DISSOLUTION.value),
            ),
            When(presented_on__isnull=False, then=Value(Stage.PRESENTED.value)),
            default=Value(Stage.SIGNING.value),
        ),
        output_field=models.CharField(max_length=30, choices=Stage.choices),
        db_persist=True,
    )
    response_days = models.GeneratedField(
        expression=Func(
            F("response_tabled_on"),
            F("presented_on"),
            template="(%(expressions)s)",
            arg_joiner=" - ",
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    search_vector = SearchVectorField(null=True, editable=False)
    # The petition's own words for lists and previews (petitions.summary), in each language.
    summary = models.TextField(blank=True, default="", db_default="", editable=False)
    summary_fr = models.TextField(
        "summary (French)", blank=True, default="", db_default="", editable=False
    )
    latest_source = models.ForeignKey(
        "SourceRecord", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The latest imported page of each language.
    source_en = models.ForeignKey(
        "SourceRecord", models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    source_fr = models.ForeignKey(
        "SourceRecord", models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Withdrawn: kept in the archive, gone from the public site (see petitions.withdrawal).
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(
        blank=True, default="", db_default="", editable=False, help_text="Shown publicly."
    )

    objects = PetitionQuerySet.as_manager()
    # Every create, update and delete, with who, when and why. Columns the database derives
    # (status, response days, search vector) or the importer sets after the row are left out.
    history = HistoricalRecords(
        excluded_fields=[
            "stage",
            "response_days",
            "search_vector",
            "summary",
            "summary_fr",
            "latest_source",
            "source_en",
            "source_fr",
            "updated_at",
        ],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        ordering = NEWEST_FIRST
        permissions = [("withdraw_petition", "Can withdraw and restore petitions")]
        constraints = [
            choices_check("petition_kind_valid", "kind", Kind),
            choices_check("petition_province_valid", "initiator_province", Province, blank=True),
            choices_check("petition_original_language_valid", "original_language", Language, True),
            choices_check("petition_page_language_valid", "page_language", Language),
            choices_check("petition_end_state_valid", "end_state", EndState, blank=True),
            models.CheckConstraint(
                condition=Q(kind=Kind.E_PETITION, number__regex=E_NUMBER)
                | Q(kind=Kind.PAPER, number__regex=PRESENTATION_NUMBER),
                name="petition_number_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(presented_number__regex=PRESENTATION_NUMBER)
                | Q(presented_number__isnull=True),
                name="petition_presented_number_format",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.PAPER) | Q(presented_number=F("number")),
                name="petition_paper_presented_number_is_number",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__gte=F("opened_at"))
                | Q(closed_at__isnull=True)
                | Q(opened_at__isnull=True),
                name="petition_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(response_tabled_on__gte=F("presented_on"))
                | Q(response_tabled_on__isnull=True),
                name="petition_response_after_presentation",
            ),
        ]
        indexes = [
            # The list's orders and facets read only public rows: partial, so they stay
            # index-only scans under `public()` (withdrawn rows are few).
            models.Index(*NEWEST_FIRST, name="petition_newest", condition=PUBLIC),
            models.Index(*OLDEST_FIRST, name="petition_oldest", condition=PUBLIC),
            models.Index(fields=["opened_at"], name="petition_opened"),
            models.Index(fields=["response_tabled_on"], name="petition_responded"),
            models.Index(fields=["stage", "closed_at"], name="petition_stage"),
            # The signing petitions open now under a list's filters (`browse.facets.cube_counts`):
            # an index-only scan of those whose signing period ends after now.
            models.Index(
                fields=["closed_at", "topic", "kind", "parliament", "session", "sponsor"],
                name="petition_open",
                condition=PUBLIC & Q(stage="signing"),
            ),
            # A parliament's (or session's) newest petitions: a list filtered by parliament reads
            # its first page in order, instead of walking every newer parliament's petitions.
            models.Index(
                "parliament", *NEWEST_FIRST, name="petition_parliament_newest", condition=PUBLIC
            ),
            models.Index(
                "parliament", "session", *NEWEST_FIRST, name="petition_parliament", condition=PUBLIC
            ),
            models.Index(fields=["initiator_province"], name="petition_province"),
            models.Index(fields=["kind"], name="petition_kind"),
            # Every column the facet counts group by: an index-only scan instead of the table.
            # With the list's order, a filtered list finds its page's ids here too (`ArchivePaginator`).
            models.Index(
                fields=["topic", "kind", "parliament", "session", "stage", "closed_at", "sponsor"],
                name="petition_facets",
                condition=PUBLIC,
                include=["presented_on", "opened_at", "id"],
            ),
            models.Index(
                F("response_days").desc(nulls_last=True),
                F("id").desc(),
                name="petition_response_days",
                condition=PUBLIC,
            ),
            models.Index(
                F("signatures").desc(nulls_last=True),
                F("id").desc(),
                name="petition_signatures",
                condition=PUBLIC,
            ),
            GinIndex(fields=["search_vector"], name="petition_search"),
            models.Index(fields=["updated_at"], name="petition_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.topic})" if self.topic_id else self.number

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.number])

    def get_json_url(self) -> str:
        return reverse("petitions:detail-json", args=[self.number])

    def page_of(self, language: str) -> "SourceRecord | None":
        """The latest imported page of `language` (the latest page of all, if of that language)."""
        latest = self.latest_source if self.latest_source_id else None
        if latest is not None and latest.language == language:
            return latest
        return self.source_fr if language == "fr" else self.source_en

    def page_sources(self) -> list[tuple[str, "SourceRecord"]]:
        """(language's name, its latest imported page) for each language the record came from."""
        pages = [(Language(lang).label, self.page_of(lang)) for lang in ("en", "fr")]
        return [(label, page) for label, page in pages if page is not None]

    @property
    def official_urls(self) -> dict[str, str]:
        """The petition's own pages on the House's site: {"en": …, "fr": …}."""
        return {language: url.format(self.number) for language, url in OFFICIAL_URLS.items()}

    def clean(self):
        """The importer's rules and the database's, for a petition typed in by hand."""
        self.number = (self.number or "").strip().lower()
        if self.kind == Kind.PAPER and not self.presented_number:
            self.presented_number = (
                self.number if re.match(PRESENTATION_NUMBER, self.number) else None
            )
        errors = {}
        if self.kind == Kind.E_PETITION and not re.match(E_NUMBER, self.number):
            errors["number"] = "An e-petition's number is “e-” and digits, such as e-2835."
        elif self.kind == Kind.PAPER and not re.match(PRESENTATION_NUMBER, self.number):
            errors["number"] = (
                "A paper petition's number is its presentation number: three digits, a hyphen "
                "and five digits, such as 432-00309."
            )
        if self.presented_number and not re.match(PRESENTATION_NUMBER, self.presented_number):
            errors["presented_number"] = (
                "A presentation number is three digits (parliament and session), a hyphen and "
                "five digits, such as 432-00309."
            )
        elif self.kind == Kind.PAPER and self.presented_number != self.number:
            errors["presented_number"] = "A paper petition's presentation number is its number."
        elif error := self._clean_parliament():
            errors["parliament"] = error
        if self.opened_at and self.closed_at and self.closed_at < self.opened_at:
            errors["closed_at"] = "“Closed for signature” is before “Open for signature”."
        tabled, presented = self.response_tabled_on, self.presented_on
        if tabled and presented and tabled < presented:
            errors["response_tabled_on"] = (
                "“Government response tabled” is before the petition was presented."
            )
        if errors:
            raise ValidationError(errors)

    def _clean_parliament(self) -> str:
        """Fill in the parliament and session as the importer does; say if they contradict."""
        if self.presented_number:
            expected = parliaments.from_presentation_number(self.presented_number)
        else:
            opened = timezone.localdate(self.opened_at) if self.opened_at else None
            expected = parliaments.session_on(opened)
        if self.parliament is None and self.session is None:
            self.parliament, self.session = expected
        elif self.presented_number and (self.parliament, self.session) != expected:
            return (
                f"Presentation number {self.presented_number} is from the "
                f"{parliaments.label(*expected)}; leave Parliament and Session empty to have "
                "them filled in."
            )
        return ""


class Grievance(models.Model):
    petition = models.ForeignKey(Petition, models.CASCADE, related_name="grievances")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    text_fr = models.TextField("text (French)", blank=True, default="", db_default="")
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["petition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "position"], name="grievance_position")
        ]

    def __str__(self) -> str:
        return f"{self.petition.number} grievance {self.position}"


class PrayerItem(models.Model):
    petition = models.ForeignKey(Petition, models.CASCADE, related_name="prayer_items")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    text_fr = models.TextField("text (French)", blank=True, default="", db_default="")
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["petition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "position"], name="prayer_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.petition.number} prayer item {self.position}"

    @property
    def anchor(self) -> str:
        return f"prayer-{self.position}"


class SourceRecord(Provenance):
    """One version of a petition's page as it was imported."""

    petition = models.ForeignKey(Petition, models.PROTECT, related_name="sources")
    language = models.CharField(
        max_length=2, choices=Language.choices, default="en", db_default="en",
        help_text="The page's language.",
    )  # fmt: skip

    class Meta(Provenance.Meta):
        indexes = [models.Index(fields=["content_hash"], name="source_content_hash")]
