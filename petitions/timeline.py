"""A petition's place in the House's process: its status, the 45-day deadline and its timeline.

Computed from the petition's dates and stage (no query); `Petition` takes these methods.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _, ngettext

from petitions import parliaments
from petitions.choices import RESPONSE_DEADLINE_DAYS, Deadline, Stage, Status, Step


class PetitionTimeline:
    """Status, deadline and timeline of a petition (fields: its dates, stage and parliament)."""

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
