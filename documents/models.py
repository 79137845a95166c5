"""Context documents: news articles and briefing notes read beside the petitions.

A document keeps its text (paragraphs and sub-headings), its metadata as printed, its provenance,
the petitions and topics staff link it to, and the petitions the archive suggests for it.
"""

import functools
from dataclasses import dataclass

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from petitions import search
from petitions.compiled import PETITION_MARK, Compiled
from petitions.i18n import active_language
from petitions.models import Language, Petition, Provenance, Topic, choices_check

# The list's order, newest first; undated documents last. Index "document_newest" has its shape.
NEWEST_FIRST = [F("published_on").desc(nulls_last=True), F("id").desc()]
# Columns no page shows: left out of the queries of pages.
HEAVY = ("search_vector", "match_terms")


class Kind(models.TextChoices):
    NEWS_ARTICLE = "news-article", _("News article")
    BRIEFING_NOTE = "briefing-note", _("Briefing note")


KIND_PLURALS = {Kind.NEWS_ARTICLE: _("News articles"), Kind.BRIEFING_NOTE: _("Briefing notes")}


# A document the public sees: not withdrawn (see petitions.withdrawal).
PUBLIC = Q(withdrawn_at__isnull=True)


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """What the list, searches, topic and petition pages and the sitemap show."""
        return self.filter(PUBLIC)

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def for_detail(self):
        return (
            self.select_related("latest_source")
            .defer(*HEAVY, "latest_source__raw_text")
            .prefetch_related(
                "paragraphs",
                models.Prefetch(
                    "petition_links",
                    queryset=PetitionLink.objects.filter(petition__withdrawn_at__isnull=True)
                    .select_related("petition__topic")
                    .order_by("petition__number"),
                ),
                models.Prefetch("topic_links", queryset=TopicLink.objects.select_related("topic")),
            )
        )

    def search(self, q: str):
        """Documents matching a web-search query (read in both languages), best first."""
        return (
            self.filter(search_vector=search.query(q))
            .annotate(rank=search.rank(q))
            .order_by("-rank", *NEWEST_FIRST)
        )

    def for_topic(self, topic: Topic):
        """Linked to the topic by staff, or to one of the topic's petitions."""
        return self.filter(
            Q(pk__in=TopicLink.objects.filter(topic=topic).values("document"))
            | Q(
                pk__in=PetitionLink.objects.filter(
                    petition__topic=topic, petition__withdrawn_at__isnull=True
                ).values("document")
            )
        ).newest_first()

    def related_to(self, petition: Petition):
        """Linked to the petition by staff (`is_confirmed`) or suggested for it (`score`)."""
        confirmed = PetitionLink.objects.filter(document=OuterRef("pk"), petition=petition)
        suggested = Suggestion.objects.filter(document=OuterRef("pk"), petition=petition)
        return (
            self.filter(
                Q(pk__in=PetitionLink.objects.filter(petition=petition).values("document"))
                | Q(pk__in=Suggestion.objects.filter(petition=petition).values("document"))
            )
            .annotate(
                is_confirmed=Exists(confirmed),
                score=models.Subquery(suggested.values("score")[:1]),
            )
            .order_by("-is_confirmed", F("score").desc(nulls_last=True), *NEWEST_FIRST)
        )


class Document(models.Model):
    slug = models.SlugField(max_length=120, unique=True, help_text="Permanent: never changes.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=500)
    published_on = models.DateField("date", null=True, blank=True)
    publisher = models.CharField(
        "outlet or department",
        max_length=300,
        blank=True,
        help_text="The news outlet of an article; the department of a briefing note.",
    )
    byline = models.CharField(max_length=300, blank=True, help_text="The credit line as printed.")
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    classification = models.CharField(max_length=100, blank=True)
    branch = models.CharField("branch/agency", max_length=200, blank=True)
    prepared_by = models.CharField(max_length=300, blank=True)
    approved_by = models.CharField(max_length=300, blank=True)
    summary = models.TextField(
        blank=True, help_text="A briefing note's issue: the text before its first section."
    )
    petitions = models.ManyToManyField(
        Petition, through="PetitionLink", related_name="documents", blank=True
    )
    topics = models.ManyToManyField(Topic, through="TopicLink", related_name="documents")
    search_vector = SearchVectorField(null=True, editable=False)
    match_terms = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="The document's distinctive words (stemmed) and their weights.",
    )
    terms_chosen_among = models.PositiveIntegerField(
        default=0, editable=False, help_text="How many petitions the archive held then."
    )
    latest_source = models.ForeignKey(
        "DocumentSource", models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(
        blank=True, default="", db_default="", editable=False, help_text="Shown publicly."
    )

    objects = DocumentQuerySet.as_manager()
    # Who changed the record, when and why (withdrawals and restorations among them).
    history = HistoricalRecords(
        excluded_fields=["search_vector", "match_terms", "terms_chosen_among", "latest_source",
                         "updated_at"],
        history_change_reason_field=models.TextField(null=True),
    )  # fmt: skip

    class Meta:
        ordering = NEWEST_FIRST
        permissions = [("withdraw_document", "Can withdraw and restore documents")]
        constraints = [
            choices_check("document_kind_valid", "kind", Kind),
            choices_check("document_language_valid", "language", Language),
            models.CheckConstraint(
                condition=Q(kind=Kind.BRIEFING_NOTE)
                | Q(classification="", branch="", prepared_by="", approved_by=""),
                name="document_briefing_fields_only_on_briefing_notes",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="document_slug_not_empty"),
        ]
        indexes = [
            models.Index(*NEWEST_FIRST, name="document_newest", condition=PUBLIC),
            models.Index(fields=["kind"], name="document_kind"),
            GinIndex(fields=["search_vector"], name="document_search"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.slug])

    def get_json_url(self) -> str:
        return reverse("documents:detail-json", args=[self.slug])

    @property
    def snippet(self) -> str:
        """A search result's `headline`, escaped, matches marked; "" outside a search."""
        return search.marked(getattr(self, "headline", None))

    @property
    def snippet_lang(self) -> str:
        """The document's language when it is not the page's ("" when it is): its `lang`."""
        return "" if self.language == active_language() else self.language

    def get_kind_plural(self) -> str:
        return KIND_PLURALS[self.kind]

    @property
    def is_briefing_note(self) -> bool:
        return self.kind == Kind.BRIEFING_NOTE

    @property
    def linked_topics(self) -> list[Topic]:
        """Topics linked by staff, then those of the linked petitions (from prefetched rows)."""
        topics = {link.topic.pk: link.topic for link in self.topic_links.all()}
        for link in self.petition_links.all():
            topics.setdefault(link.petition.topic.pk, link.petition.topic)
        return sorted(topics.values(), key=str)


class Paragraph(models.Model):
    """One paragraph of a document's body, or a sub-heading between paragraphs."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="paragraphs")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    is_heading = models.BooleanField(default=False)

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="paragraph_position")
        ]

    def __str__(self) -> str:
        return f"{self.document.slug} ¶{self.position}"

    @property
    def anchor(self) -> str:
        return f"{'s' if self.is_heading else 'p'}{self.position}"


class PetitionLink(models.Model):
    """A staff-confirmed link between a document and a petition it concerns."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="petition_links")
    petition = models.ForeignKey(Petition, models.PROTECT, related_name="document_links")
    note = models.CharField(max_length=300, blank=True, help_text="Why they belong together.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "petition"]
        constraints = [
            models.UniqueConstraint(fields=["document", "petition"], name="petition_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.document.slug} ↔ {self.petition.number}"


class TopicLink(models.Model):
    """A staff-confirmed link between a document and a topic."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, models.PROTECT, related_name="document_links")

    class Meta:
        ordering = ["document", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["document", "topic"], name="topic_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.document.slug} ↔ {self.topic.name}"


class SuggestionQuerySet(models.QuerySet):
    def for_document(self, document: Document):
        """The petitions suggested for a document that staff have not linked, best first."""
        linked = PetitionLink.objects.filter(document=document).values("petition")
        return (
            self.filter(document=document, petition__withdrawn_at__isnull=True)
            .exclude(petition__in=linked)
            .select_related("petition__topic")
            .order_by("-score", "-petition_id")
        )


class Suggestion(models.Model):
    """A petition the archive finds related to a document by its words; not confirmed by staff."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="suggestions")
    petition = models.ForeignKey(Petition, models.CASCADE, related_name="document_suggestions")
    score = models.FloatField()
    shared_terms = models.PositiveSmallIntegerField()

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["document", "petition"], name="suggestion_once"),
            models.CheckConstraint(condition=Q(score__gt=0), name="suggestion_score_positive"),
        ]
        indexes = [
            models.Index(F("document"), F("score").desc(), name="suggestion_document_best"),
            models.Index(F("petition"), F("score").desc(), name="suggestion_petition_best"),
        ]

    def __str__(self) -> str:
        return f"{self.document.slug} ~ {self.petition.number} ({self.score:.2f})"


class DocumentSource(Provenance):
    """One version of a document's page as it was imported."""

    document = models.ForeignKey(Document, models.PROTECT, related_name="sources")

    class Meta(Provenance.Meta):
        indexes = [models.Index(fields=["content_hash"], name="document_source_hash")]


@dataclass(frozen=True)
class RelatedDocuments:
    """The documents of a petition's page: staff-confirmed links, then the archive's suggestions."""

    confirmed: list[Document]
    suggested: list[Document]


@functools.cache
def related_statement() -> Compiled:
    """`related_documents`' statement, compiled once: the ORM took 2.5 ms to build it, where
    PostgreSQL runs it in 0.2."""
    documents = Document.objects.public().related_to(PETITION_MARK).defer(*HEAVY, "summary")
    return Compiled.of(documents, PETITION_MARK)


def related_documents(petition: Petition, suggestions: int = 5) -> RelatedDocuments:
    """One query, however many documents there are."""
    statement = related_statement()
    documents = list(Document.objects.raw(statement.sql, statement.params_with(petition.pk)))
    return RelatedDocuments(
        confirmed=[d for d in documents if d.is_confirmed],
        suggested=[d for d in documents if not d.is_confirmed][:suggestions],
    )
