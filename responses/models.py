"""Government responses to petitions and the portfolios that give them."""

import re

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from petitions import vocabulary
from petitions.choices import RESPONSE_DEADLINE_DAYS
from petitions.i18n import Localised, pick
from petitions.vocabulary import Bilingual, VocabularyQuerySet

SESSIONAL_PAPER = r"^[0-9]{4}-[0-9]{3}-[0-9A-Za-z-]+$"  # as the check constraint below
# A response's paragraphs are separated by a blank line: the importer joins a page's paragraphs
# with "\n\n" and the admin stores typed text so (`petitions.forms.clean_text`). Read tolerantly:
# a line of spaces or a "\r\n" line break still separates two paragraphs.
BLANK_LINE = re.compile(r"\n\s*\n")


class Portfolio(Bilingual, models.Model):
    """A responding office as printed ("Minister of Foreign Affairs", "ministre des Affaires
    étrangères" without its article); it outlives its holders."""

    name = models.CharField("English name", max_length=300, blank=True)
    name_fr = models.CharField("French name", max_length=300, blank=True, default="", db_default="")
    slug = models.SlugField(max_length=300, unique=True, help_text="Permanent; never changes.")
    slug_fr = models.SlugField("French slug", max_length=300, blank=True, default="", db_default="")
    alias_of = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "name_fr"]
        constraints = vocabulary.constraints("portfolio")

    def __str__(self) -> str:
        return self.local_name.text

    def get_absolute_url(self) -> str:
        return reverse("petitions:minister", args=[self.local_slug])


class Signer(models.Model):
    """The person who signed a response (a minister or parliamentary secretary)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SignerRole(models.TextChoices):
    MINISTER = "minister", gettext_lazy("Minister")
    PARLIAMENTARY_SECRETARY = "parliamentary_secretary", gettext_lazy("Parliamentary Secretary")


class Median(models.Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = models.FloatField()


def response_time_aggregates() -> dict:
    """Responses, those timed, their median days from presentation, and how many were within
    the deadline: each response timed by its petition's response days."""
    days = F("petition__response_days")
    within = Q(petition__response_days__lte=RESPONSE_DEADLINE_DAYS)
    return {
        "responses": models.Count("id"),
        "timed": models.Count(days),
        "median_days": Median(days),
        "within_deadline": models.Count("id", filter=within),
    }


class ResponseQuerySet(models.QuerySet):
    def public(self):
        """Responses to petitions the public sees (none of a withdrawn petition)."""
        return self.filter(petition__withdrawn_at__isnull=True)

    def for_list(self):
        return self.select_related("petition__topic", "portfolio", "signer")

    def response_time_stats(self) -> dict:
        """Number of responses, median days from presentation, and how many within 45 days."""
        return self.aggregate(**response_time_aggregates())

    def latest_first(self):
        return self.order_by(F("tabled_on").desc(nulls_last=True), "-id")


class Response(models.Model):
    petition = models.ForeignKey("petitions.Petition", models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    portfolio = models.ForeignKey(
        Portfolio, models.PROTECT, null=True, blank=True, related_name="responses"
    )
    signer = models.ForeignKey(
        Signer, models.PROTECT, null=True, blank=True, related_name="responses"
    )
    signer_role = models.CharField(
        max_length=30,
        choices=SignerRole.choices,
        blank=True,
        help_text="Blank when the page does not say (it prints “Minister or Parliamentary "
        "Secretary”).",
    )
    text = models.TextField(blank=True, help_text="Paragraphs separated by a blank line.")
    text_fr = models.TextField(
        "text (French)",
        blank=True,
        default="",
        db_default="",
        help_text="The French text, as `text`.",
    )
    tabled_on = models.DateField(null=True, blank=True)
    sessional_paper = models.CharField(max_length=50, blank=True)

    objects = ResponseQuerySet.as_manager()
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["petition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "position"], name="response_position"),
            models.CheckConstraint(
                condition=Q(signer_role__in=SignerRole.values) | Q(signer_role=""),
                name="response_signer_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(sessional_paper="")
                | Q(sessional_paper__regex=r"^[0-9]{4}-[0-9]{3}-[0-9A-Za-z-]+$"),
                name="response_sessional_paper_format",
            ),
        ]
        indexes = [
            models.Index(F("tabled_on").desc(nulls_last=True), "id", name="response_tabled"),
            # The responding-portfolio facet counts distinct (portfolio, petition) pairs from it.
            models.Index(fields=["portfolio", "petition"], name="response_portfolio_petition"),
        ]

    def __str__(self) -> str:
        if self.portfolio_id:
            return _("%(portfolio)s to %(number)s") % {
                "portfolio": str(self.portfolio),
                "number": self.petition.number,
            }
        return _("Government response to %(number)s") % {"number": self.petition.number}

    def get_absolute_url(self) -> str:
        return f"{self.petition.get_absolute_url()}#{self.anchor}"

    def clean(self):
        """A response typed in by hand: tabled on a date, after its petition was presented."""
        errors = {}
        if self.sessional_paper and not re.match(SESSIONAL_PAPER, self.sessional_paper):
            errors["sessional_paper"] = (
                "A sessional paper number reads like 8545-432-11 or 8545-421-66-01."
            )
        try:
            petition = self.petition
        except ObjectDoesNotExist:
            petition = None
        if self.tabled_on is None:
            errors["tabled_on"] = "A response needs the date it was tabled in the House."
        elif petition and petition.presented_on and self.tabled_on < petition.presented_on:
            errors["tabled_on"] = "The response is dated before the petition was presented."
        elif petition and petition.response_tabled_on is None:
            errors["tabled_on"] = (
                "The petition has no “Government response tabled” date; fill it in with the "
                "petition's timeline."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def anchor(self) -> str:
        return f"response-{self.position}"

    @property
    def paragraphs(self) -> list[tuple[str, str]]:
        """(anchor, text) for each paragraph: the ¶ anchors of the petition page."""
        return self.paragraphs_of(self.text)

    def paragraphs_of(self, text: str) -> list[tuple[str, str]]:
        parts = [p.strip() for p in BLANK_LINE.split(text) if p.strip()]
        return [(f"{self.anchor}-p{i}", p) for i, p in enumerate(parts, start=1)]

    @property
    def local_text(self) -> Localised:
        return pick(self.text, self.text_fr)

    @property
    def local_paragraphs(self) -> list[tuple[str, str]]:
        """(anchor, text) for each paragraph of the text in the active language (or the other)."""
        return self.paragraphs_of(self.local_text.text)


class ParagraphFingerprint(models.Model):
    """A response paragraph of at least `reuse.MIN_WORDS` words, by the digest of its words.

    Written by `responses.reuse.refresh` whenever a petition is written; read by one grouped
    self-join per petition page ("shares 3 of 10 paragraphs with e-1234").
    """

    response = models.ForeignKey(Response, models.CASCADE, related_name="fingerprints")
    position = models.PositiveSmallIntegerField(help_text="The paragraph's number (¶ anchor).")
    digest = models.UUIDField(help_text="MD5 of the paragraph's normalised words.")
    words = models.PositiveIntegerField()

    class Meta:
        ordering = ["response", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "position"], name="paragraph_fingerprint_position"
            ),
            # A paragraph repeated within a response is kept once, at its first position; this
            # is also the index of the lookup by digest.
            models.UniqueConstraint(
                fields=["digest", "response"], name="paragraph_fingerprint_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} ¶{self.position}"


class PrayerFingerprint(models.Model):
    """A petition's prayer (text and items) as a digest, its 5-word shingles and MinHash bands.

    Written by `responses.reuse.refresh`; "the same prayer" is an equal digest, "nearly the
    same" a Jaccard similarity of the shingle sets of at least `reuse.NEAR_DUPLICATE`, with
    candidates found through the GIN index on the bands.
    """

    petition = models.OneToOneField(
        "petitions.Petition", models.CASCADE, primary_key=True, related_name="prayer_fingerprint"
    )
    digest = models.UUIDField(help_text="MD5 of the prayer's normalised words.")
    words = models.PositiveIntegerField()
    shingle_count = models.PositiveIntegerField()
    shingles = ArrayField(models.IntegerField(), help_text="Distinct 32-bit hashes, sorted.")
    bands = ArrayField(models.BigIntegerField(), help_text="MinHash bands (LSH).")

    class Meta:
        indexes = [
            models.Index(fields=["digest"], name="prayer_fingerprint_digest"),
            GinIndex(fields=["bands"], name="prayer_fingerprint_bands", fastupdate=False),
        ]

    def __str__(self) -> str:
        return f"prayer of petition {self.petition_id}"
