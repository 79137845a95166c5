"""Petitions and everything on a petition's page except its responses."""

import re
from datetime import date, timedelta

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _, ngettext
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
from petitions.i18n import Localised, PetitionTexts, pick
from petitions.querysets import PUBLIC, PetitionQuerySet, overdue_q as overdue_q
from petitions.vocabulary import Bilingual, VocabularyQuerySet


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


class Petition(PetitionTexts, models.Model):
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
            models.Index(fields=["parliament", "session"], name="petition_parliament"),
            models.Index(fields=["initiator_province"], name="petition_province"),
            models.Index(fields=["kind"], name="petition_kind"),
            # Every column the facet counts group by: an index-only scan instead of the table.
            models.Index(
                fields=["topic", "kind", "parliament", "session", "stage", "closed_at", "sponsor"],
                name="petition_facets",
                condition=PUBLIC,
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

    @property
    def status(self) -> str:
        if self.stage != Stage.SIGNING:
            return self.stage
        if self.closed_at and self.closed_at > timezone.now():
            return Status.OPEN
        return Status.CLOSED

    def get_status_display(self) -> str:
        return Status(self.status).label

    @property
    def response_due_on(self) -> date | None:
        if self.presented_on is None:
            return None
        return self.presented_on + timedelta(days=RESPONSE_DEADLINE_DAYS)

    @cached_property
    def dissolved_on(self) -> date | None:
        """The day its Parliament was dissolved, if that ended the wait for a response."""
        if self.stage in (Stage.UNANSWERED_DISSOLUTION, Stage.CLOSED_DISSOLUTION):
            return parliaments.dissolved_on(self.parliament)
        return None

    @property
    def awaited_until(self) -> date | None:
        """The last day a response was awaited: today, or the dissolution that ended the wait."""
        if self.presented_on is None or self.response_tabled_on is not None:
            return None
        return timezone.localdate() if self.stage == Stage.PRESENTED else self.dissolved_on

    @property
    def deadline(self) -> str | None:
        """On time, late, overdue or pending against the 45-day rule; None if not presented."""
        if self.presented_on is None:
            return None
        if self.response_tabled_on is not None:
            return (
                Deadline.ON_TIME if self.response_days <= RESPONSE_DEADLINE_DAYS else Deadline.LATE
            )
        if self.awaited_until is None:
            return None
        if self.awaited_until > self.response_due_on:
            return Deadline.OVERDUE  # and stays so, counted up to the dissolution
        return Deadline.PENDING if self.stage == Stage.PRESENTED else None

    def get_deadline_display(self) -> str:
        label = Deadline(self.deadline).label if self.deadline else ""
        if self.dissolved_on and label:
            return _("%(state)s at dissolution") % {"state": label}
        return str(label)

    @property
    def days_overdue(self) -> int | None:
        if self.deadline == Deadline.LATE:
            return self.response_days - RESPONSE_DEADLINE_DAYS
        if self.deadline == Deadline.OVERDUE:
            return (self.awaited_until - self.response_due_on).days
        return None

    def timeline(self) -> list["Step"]:
        """The dated steps of the House's process that this petition went through, in order."""
        steps = []
        if self.opened_at:
            steps.append(Step("opened", _("Opened for signature"), self.opened_at))
        if self.closed_at:
            steps.append(Step("closed", _("Closed for signature"), self.closed_at))
        if self.presented_on:
            by = _("by %(name)s") % {"name": self.presenter.name} if self.presenter_id else ""
            number = (
                _("as petition %(number)s") % {"number": self.presented_number}
                if self.presented_number
                else ""
            )
            steps.append(
                Step(
                    "presented",
                    _("Presented to the House"),
                    self.presented_on,
                    " ".join(filter(None, [by, number])),
                )
            )
            if (self.response_tabled_on or self.dissolved_on or date.max) > self.response_due_on:
                steps.append(Step("due", _("Response due (45 days)"), self.response_due_on))
        if self.response_tabled_on:
            after = (
                ngettext(
                    "%(days)s day after presentation",
                    "%(days)s days after presentation",
                    self.response_days,
                )
                % {"days": self.response_days}
                if self.presented_on
                else ""
            )
            steps.append(
                Step("responded", _("Government response tabled"), self.response_tabled_on, after)
            )
        if self.dissolved_on:
            ended = Stage(self.stage).label.lower()
            steps.append(
                Step("dissolved", _("Parliament dissolved"), self.dissolved_on, f"— {ended}")
            )
        elif self.end_state:
            steps.append(Step("ended", self.get_end_state_display(), None))
        return steps

    @cached_property
    def parliament_label(self) -> str:
        return parliaments.label(self.parliament, self.session)


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


class Provenance(models.Model):
    """Provenance: one version of a page as it was imported. Never deleted or rewritten."""

    source = models.CharField(max_length=1000, help_text="File name, path or URL it came from.")
    raw_text = models.TextField()
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the raw bytes.")
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.CharField(max_length=150)

    class Meta:
        abstract = True
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} ({self.imported_at:%Y-%m-%d %H:%M})"

    @property
    def public_name(self) -> str:
        """The file name or URL, without the importer's local folders."""
        if "://" in self.source:
            return self.source
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def source_url(self) -> str:
        """The page's web address when staff gave one (http or https only), else ""."""
        return self.source if self.source.lower().startswith(("http://", "https://")) else ""


class SourceRecord(Provenance):
    """One version of a petition's page as it was imported."""

    petition = models.ForeignKey(Petition, models.PROTECT, related_name="sources")
    language = models.CharField(
        max_length=2, choices=Language.choices, default="en", db_default="en",
        help_text="The page's language.",
    )  # fmt: skip

    class Meta(Provenance.Meta):
        indexes = [models.Index(fields=["content_hash"], name="source_content_hash")]
