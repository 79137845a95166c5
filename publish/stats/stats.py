"""The numbers behind /stats/: a few grouped queries, cached until the archive changes.

Every figure applies the archive's one rule for the 45 days (`RESPONSE_DEADLINE_DAYS`, counted in
calendar days from presentation to the tabling of the response, as `Petition.deadline` does).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, IntegerField, Q
from django.db.models.functions import Coalesce, ExtractYear, Greatest, Least
from django.utils import timezone

from browse.facets import while_unchanged
from petitions.i18n import pick
from petitions.models import OLDEST_FIRST, RESPONSE_DEADLINE_DAYS, Petition, Topic, overdue_q
from petitions.vocabulary import slug_in
from responses.models import Median, Response, response_time_aggregates

BIN_DAYS = 15  # the response-time histogram's bins: 0–15, 16–30, 31–45, 46–60, …
BINS = 12  # then one bin for everything longer than BINS × BIN_DAYS days
OVERDUE_SHOWN = 50  # overdue petitions listed on the page; the CSV has them all
assert RESPONSE_DEADLINE_DAYS % BIN_DAYS == 0, "the 45-day line falls between two bins"


@dataclass(frozen=True)
class YearCount:
    year: int
    topic: str
    slug: str
    petitions: int


@dataclass(frozen=True)
class Bin:
    low: int
    high: int | None  # None: and longer
    petitions: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}" if self.high is not None else f"{self.low}+"

    @property
    def on_time(self) -> bool:
        return self.high is not None and self.high <= RESPONSE_DEADLINE_DAYS


@dataclass(frozen=True)
class PortfolioTimes:
    name: str
    slug: str
    responses: int
    timed: int  # responses whose petition has a presentation date
    median_days: float | None
    within_deadline: int

    @property
    def share_within(self) -> float | None:
        return self.within_deadline / self.timed if self.timed else None


@dataclass(frozen=True)
class Overdue:
    number: str
    topic: str
    presented_on: date
    due_on: date
    days: int  # past the due date


@dataclass(frozen=True)
class Summary:
    responded: int
    median_days: float | None
    within_deadline: int
    overdue: int

    @property
    def share_within(self) -> float | None:
        return self.within_deadline / self.responded if self.responded else None


@dataclass(frozen=True)
class Statistics:
    today: date
    summary: Summary
    per_year: list[YearCount]
    bins: list[Bin]
    portfolios: list[PortfolioTimes]
    overdue: list[Overdue]  # the OVERDUE_SHOWN longest overdue


def petitions():
    """The petitions the statistics count: those the public sees."""
    return Petition.objects.public()


def petitions_per_year() -> tuple[list[YearCount], int]:
    """Petitions by the year they began (opened for signature, or presented) and topic; and,
    counted in the same pass over the petitions, how many are overdue."""
    year = Coalesce(ExtractYear("opened_at"), ExtractYear("presented_on"))
    rows = (
        petitions()
        .order_by()
        .annotate(year=year)
        .values_list("year", "topic")
        .annotate(n=Count("id"), overdue=Count("id", filter=overdue_q()))
    )
    topics = {t.pk: t for t in Topic.objects.all()}
    counts, overdue = [], 0
    for year_began, topic, n, late in rows:
        overdue += late
        if year_began is not None:
            counts.append(YearCount(year_began, str(topics[topic]), topics[topic].local_slug, n))
    counts.sort(key=lambda c: (c.year, c.topic))
    return counts, overdue


def response_time_bins() -> list[Bin]:
    """Petitions answered, by days from presentation to response, in BIN_DAYS-day bins."""
    days = F("response_days")
    index = Least(Greatest(days - 1, 0, output_field=IntegerField()) / BIN_DAYS, BINS)
    counts = dict(
        petitions()
        .order_by()
        .filter(response_days__isnull=False)
        .annotate(bin=index)
        .values_list("bin")
        .annotate(n=Count("id"))
    )
    bins = []
    for i in range(BINS + 1):
        low = 0 if i == 0 else i * BIN_DAYS + 1
        high = (i + 1) * BIN_DAYS if i < BINS else None
        bins.append(Bin(low, high, counts.get(i, 0)))
    return bins


def portfolio_times() -> list[PortfolioTimes]:
    """Per responding portfolio: responses, median days and how many within the 45 days.

    The same counts as `ResponseQuerySet.response_time_stats` (each response is timed by its
    petition's response days), grouped by portfolio; responses that name none are grouped too.
    """
    rows = (
        Response.objects.public()
        .order_by()
        .values_list(
            "portfolio__name", "portfolio__name_fr", "portfolio__slug", "portfolio__slug_fr"
        )
        .annotate(**response_time_aggregates())
        .order_by("-responses", "portfolio__name", "portfolio__name_fr")
    )
    return [
        PortfolioTimes(
            pick(name, name_fr).text,
            slug_in(slug or "", slug_fr or ""),
            responses,
            timed,
            median,
            within,
        )
        for name, name_fr, slug, slug_fr, responses, timed, median, within in rows
    ]


def overdue_list_query(today: date) -> str:
    """The list page's parameters that select the overdue petitions, oldest first."""
    presented_to = today - timedelta(days=RESPONSE_DEADLINE_DAYS + 1)
    return f"status=presented&presented_to={presented_to.isoformat()}&sort=oldest"


def overdue_petitions(limit: int | None = None) -> list[Overdue]:
    """Presented petitions with no response past the 45 days, longest overdue first (in the
    order of the list's oldest-first index; the `limit` longest, or all)."""
    today = timezone.localdate()
    rows = (
        petitions()
        .overdue()
        .order_by(*OLDEST_FIRST)
        .values_list("number", "topic__name", "topic__name_fr", "presented_on")[:limit]
    )
    deadline = timedelta(days=RESPONSE_DEADLINE_DAYS)
    return [
        Overdue(
            number,
            pick(topic, topic_fr).text,
            presented,
            presented + deadline,
            (today - presented - deadline).days,
        )
        for number, topic, topic_fr, presented in rows
    ]


def summary(overdue: int) -> Summary:
    answered = (
        petitions()
        .filter(response_days__isnull=False)
        .aggregate(
            responded=Count("id"),
            median_days=Median("response_days"),
            within=Count("id", filter=Q(response_days__lte=RESPONSE_DEADLINE_DAYS)),
        )
    )
    return Summary(answered["responded"], answered["median_days"], answered["within"], overdue)


def compute() -> Statistics:
    per_year, overdue = petitions_per_year()
    return Statistics(
        today=timezone.localdate(),
        summary=summary(overdue),
        per_year=per_year,
        bins=response_time_bins(),
        portfolios=portfolio_times(),
        overdue=overdue_petitions(OVERDUE_SHOWN),
    )


def statistics() -> Statistics:
    """Every figure of /stats/, cached until the archive changes (and for the day: overdue)."""
    return while_unchanged(f"stats|{timezone.localdate()}", compute)


def _per_year_csv(data: Statistics):
    header = ["year", "topic", "topic_slug", "petitions"]
    return header, [(r.year, r.topic, r.slug, r.petitions) for r in data.per_year]


def _response_times_csv(data: Statistics):
    header = ["days_from", "days_to", "petitions", "within_45_days"]
    return header, [
        (b.low, "" if b.high is None else b.high, b.petitions, "yes" if b.on_time else "no")
        for b in data.bins
    ]


def _portfolios_csv(data: Statistics):
    header = ["portfolio", "portfolio_slug", "responses", "timed_responses", "median_days",
              "within_45_days", "share_within_45_days"]  # fmt: skip
    return header, [
        (
            r.name, r.slug, r.responses, r.timed,
            "" if r.median_days is None else f"{r.median_days:g}", r.within_deadline,
            "" if r.share_within is None else f"{r.share_within:.4f}",
        )
        for r in data.portfolios
    ]  # fmt: skip


def _overdue_csv(data: Statistics):
    header = ["number", "topic", "presented_on", "response_due_on", "days_overdue"]
    rows = while_unchanged(f"stats-overdue|{data.today}", overdue_petitions)
    return header, [
        (r.number, r.topic, r.presented_on.isoformat(), r.due_on.isoformat(), r.days) for r in rows
    ]


CSV_TABLES = {
    "petitions-per-year": _per_year_csv,
    "response-times": _response_times_csv,
    "portfolios": _portfolios_csv,
    "overdue": _overdue_csv,
}


def csv_table(name: str) -> tuple[list[str], list[tuple]] | None:
    """The header and rows of one chart's CSV; None if there is no chart of that name."""
    table = CSV_TABLES.get(name)
    return table(statistics()) if table else None
