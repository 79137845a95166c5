"""The vocabulary of a petition: its kinds, stages, statuses, the 45-day rule and its orders."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

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
    E_PETITION = "e-petition", _("E-petition")
    PAPER = "paper", _("Paper petition")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class EndState(models.TextChoices):
    NOT_CERTIFIED = "not_certified", _("Not certified")
    CLOSED_DISSOLUTION = "closed_dissolution", _("Closed upon dissolution")
    UNANSWERED_DISSOLUTION = "unanswered_dissolution", _("Not answered before dissolution")


class Stage(models.TextChoices):
    """Where the petition is in the House's process, derived from the timeline by the database."""

    SIGNING = "signing", _("Signing period")
    PRESENTED = "presented", _("Presented, awaiting response")
    RESPONDED = "responded", _("Response tabled")
    NOT_CERTIFIED = EndState.NOT_CERTIFIED.value, EndState.NOT_CERTIFIED.label
    CLOSED_DISSOLUTION = EndState.CLOSED_DISSOLUTION.value, EndState.CLOSED_DISSOLUTION.label
    UNANSWERED_DISSOLUTION = (
        EndState.UNANSWERED_DISSOLUTION.value,
        EndState.UNANSWERED_DISSOLUTION.label,
    )


class Status(models.TextChoices):
    """The public status: the stage, with the signing period split by the clock."""

    OPEN = "open", _("Open for signature")
    CLOSED = "closed", _("Closed, not presented")
    PRESENTED = "presented", _("Presented, awaiting response")
    RESPONDED = "responded", _("Response tabled")
    NOT_CERTIFIED = EndState.NOT_CERTIFIED.value, EndState.NOT_CERTIFIED.label
    CLOSED_DISSOLUTION = EndState.CLOSED_DISSOLUTION.value, EndState.CLOSED_DISSOLUTION.label
    UNANSWERED_DISSOLUTION = (
        EndState.UNANSWERED_DISSOLUTION.value,
        EndState.UNANSWERED_DISSOLUTION.label,
    )


class Deadline(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    OVERDUE = "overdue", _("Overdue")
    PENDING = "pending", _("Within the 45 days")


class Province(models.TextChoices):
    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")


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
