"""How the archive asks for petitions: for a list, for a page, by status, by any number."""

from datetime import timedelta

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from petitions.choices import NEWEST_FIRST, RESPONSE_DEADLINE_DAYS, Stage, Status


def overdue_q() -> Q:
    """Presented, unanswered and past the 45 days today: `Petition.deadline` is overdue."""
    due_before = timezone.localdate() - timedelta(days=RESPONSE_DEADLINE_DAYS)
    return Q(stage=Stage.PRESENTED, presented_on__lt=due_before)


class PetitionQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("topic", "sponsor__caucus")

    def for_detail(self):
        from responses.models import Response

        return (
            self.select_related("topic", "sponsor__caucus", "presenter__caucus", "latest_source")
            .defer("latest_source__raw_text")  # the page shows only the source's name and hash
            .prefetch_related(
                "grievances",
                "prayer_items",
                models.Prefetch(
                    "responses",
                    queryset=Response.objects.select_related("portfolio", "signer"),
                ),
            )
        )

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def responded(self):
        return self.filter(stage=Stage.RESPONDED)

    def overdue(self):
        return self.filter(overdue_q())

    def with_public_status(self):
        """Annotate `public_status`: the stage, with the signing period split by the clock."""
        return self.annotate(
            public_status=Case(
                When(stage=Stage.SIGNING, closed_at__gt=timezone.now(), then=Value(Status.OPEN)),
                When(stage=Stage.SIGNING, then=Value(Status.CLOSED)),
                default=F("stage"),
                output_field=models.CharField(),
            )
        )

    def with_status(self, *statuses: str):
        """Filter by public status; open/closed split the signing stage at the present moment."""
        now = timezone.now()
        q = Q()
        for status in statuses:
            if status == Status.OPEN:
                q |= Q(stage=Stage.SIGNING, closed_at__gt=now)
            elif status == Status.CLOSED:
                q |= Q(stage=Stage.SIGNING) & (Q(closed_at__lte=now) | Q(closed_at__isnull=True))
            else:
                q |= Q(stage=status)
        return self.filter(q)

    def find(self, number: str):
        """The petition known by this number, e-petition or presentation number, any case."""
        number = number.strip().lower()
        return self.filter(Q(number=number) | Q(presented_number=number)).first()
