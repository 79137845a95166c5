"""Government responses to petitions and the portfolios that give them."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse


class Portfolio(models.Model):
    """A responding office as printed ("Minister of Foreign Affairs"); it outlives its holders."""

    name = models.CharField(max_length=300, unique=True)
    slug = models.SlugField(max_length=300, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("petitions:minister", args=[self.slug])


class Signer(models.Model):
    """The person who signed a response (a minister or parliamentary secretary)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SignerRole(models.TextChoices):
    MINISTER = "minister", "Minister"
    PARLIAMENTARY_SECRETARY = "parliamentary_secretary", "Parliamentary Secretary"


class Median(models.Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = models.FloatField()


class ResponseQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("petition__topic", "portfolio", "signer")

    def response_time_stats(self) -> dict:
        """Number of responses, median days from presentation, and how many within 45 days."""
        days = F("petition__response_days")
        return self.aggregate(
            responses=models.Count("id"),
            median_days=Median(days),
            within_deadline=models.Count("id", filter=Q(petition__response_days__lte=45)),
            timed=models.Count(days),
        )

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
    tabled_on = models.DateField(null=True, blank=True)
    sessional_paper = models.CharField(max_length=50, blank=True)

    objects = ResponseQuerySet.as_manager()

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
        ]

    def __str__(self) -> str:
        who = self.portfolio.name if self.portfolio_id else "Government response"
        return f"{who} to {self.petition.number}"

    def get_absolute_url(self) -> str:
        return f"{self.petition.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"response-{self.position}"

    @property
    def paragraphs(self) -> list[tuple[str, str]]:
        """(anchor, text) for each paragraph."""
        parts = [p.strip() for p in self.text.split("\n\n") if p.strip()]
        return [(f"{self.anchor}-p{i}", p) for i, p in enumerate(parts, start=1)]
