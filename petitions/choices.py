"""The vocabulary of a petition: its kinds, stages, statuses, the 45-day rule and its orders."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import F, Q

RESPONSE_DEADLINE_DAYS = 45  # Standing Order 36(8)(a): calendar days from presentation
# The number formats the database's check constraints enforce (see Petition.Meta).
E_NUMBER = r"^e-[0-9]+$"
PRESENTATION_NUMBER = r"^[0-9]{3}-[0-9]{5}$"
# A petition's own pages on the House's site, by its number (e-2835, or 441-02030 on paper).
OFFICIAL_URLS = {
    "en": "https://www.ourcommons.ca/petitions/en/Petition/Details?Petition={}",
    "fr": "https://www.noscommunes.ca/petitions/fr/Petition/Details?Petition={}",
}

# The list's orders; each has an index of the same shape (see Petition.Meta.indexes).
NEWEST_FIRST = [
    F("presented_on").desc(nulls_last=True),
    F("opened_at").desc(nulls_last=True),
    F("id").desc(),
]
OLDEST_FIRST = [
    F("presented_on").asc(nulls_last=True),
    F("opened_at").asc(nulls_last=True),
    F("id").asc(),
]


class Kind(models.TextChoices):
    E_PETITION = "e-petition", "E-petition"
    PAPER = "paper", "Paper petition"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    FRENCH = "fr", "French"


class EndState(models.TextChoices):
    NOT_CERTIFIED = "not_certified", "Not certified"
    CLOSED_DISSOLUTION = "closed_dissolution", "Closed upon dissolution"
    UNANSWERED_DISSOLUTION = "unanswered_dissolution", "Not answered before dissolution"


class Stage(models.TextChoices):
    """Where the petition is in the House's process, derived from the timeline by the database."""

    SIGNING = "signing", "Signing period"
    PRESENTED = "presented", "Presented, awaiting response"
    RESPONDED = "responded", "Response tabled"
    NOT_CERTIFIED = EndState.NOT_CERTIFIED.value, EndState.NOT_CERTIFIED.label
    CLOSED_DISSOLUTION = EndState.CLOSED_DISSOLUTION.value, EndState.CLOSED_DISSOLUTION.label
    UNANSWERED_DISSOLUTION = (
        EndState.UNANSWERED_DISSOLUTION.value,
        EndState.UNANSWERED_DISSOLUTION.label,
    )


class Status(models.TextChoices):
    """The public status: the stage, with the signing period split by the clock."""

    OPEN = "open", "Open for signature"
    CLOSED = "closed", "Closed, not presented"
    PRESENTED = "presented", "Presented, awaiting response"
    RESPONDED = "responded", "Response tabled"
    NOT_CERTIFIED = EndState.NOT_CERTIFIED.value, EndState.NOT_CERTIFIED.label
    CLOSED_DISSOLUTION = EndState.CLOSED_DISSOLUTION.value, EndState.CLOSED_DISSOLUTION.label
    UNANSWERED_DISSOLUTION = (
        EndState.UNANSWERED_DISSOLUTION.value,
        EndState.UNANSWERED_DISSOLUTION.label,
    )


class Deadline(models.TextChoices):
    ON_TIME = "on_time", "On time"
    LATE = "late", "Late"
    OVERDUE = "overdue", "Overdue"
    PENDING = "pending", "Within the 45 days"


class Province(models.TextChoices):
    AB = "AB", "Alberta"
    BC = "BC", "British Columbia"
    MB = "MB", "Manitoba"
    NB = "NB", "New Brunswick"
    NL = "NL", "Newfoundland and Labrador"
    NS = "NS", "Nova Scotia"
    NT = "NT", "Northwest Territories"
    NU = "NU", "Nunavut"
    ON = "ON", "Ontario"
    PE = "PE", "Prince Edward Island"
    QC = "QC", "Quebec"
    SK = "SK", "Saskatchewan"
    YT = "YT", "Yukon"


def choices_check(name: str, field: str, choices: type[models.TextChoices], blank=False):
    values = Q(**{f"{field}__in": choices.values})
    if blank:
        values |= Q(**{field: ""})
    return models.CheckConstraint(condition=values, name=name)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    when: date | datetime | None
    detail: str = ""

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)
