"""The list's query parameters (SPEC.md's contract): every one is parsed and validated here."""

import re
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions import search
from petitions.models import (
    NEWEST_FIRST,
    OLDEST_FIRST,
    Caucus,
    Kind,
    Petition,
    Province,
    Status,
    Topic,
)
from responses.models import Portfolio, Response

SLUG = re.compile(r"^[-a-z0-9_]{1,200}$")
PARLIAMENT = re.compile(r"^([0-9]{2})(?:-([0-9]))?$")
# A date parameter lies between Confederation (the House exists from July 1, 1867) and the end
# of the fifth year from now: any other date selects nothing and is a 400 that says so.
FIRST_DAY = date(1867, 7, 1)
YEARS_AHEAD = 5


def last_day() -> date:
    return date(timezone.localdate().year + YEARS_AHEAD, 12, 31)


class ArchiveDateField(forms.DateField):
    """A `YYYY-MM-DD` date within the archive's calendar (FIRST_DAY to `last_day()`)."""

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DAY <= value <= last_day():
            bounds = {"first": FIRST_DAY.isoformat(), "last": last_day().isoformat()}
            raise forms.ValidationError(_("Enter a date from %(first)s to %(last)s.") % bounds)


# A search is words: control characters (which no page text holds, and which XML feeds cannot
# carry) make it a 400 like any value that does not parse.
NO_CONTROL_CHARACTERS = RegexValidator(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]",
    _("Remove the control characters from the search."),
    inverse_match=True,
)


class ArchiveDateFilter(django_filters.DateFilter):
    field_class = ArchiveDateField


class MultiValueField(forms.Field):
    """A repeatable parameter (`topic=a&topic=b`); each value checked by `pattern`."""

    widget = forms.MultipleHiddenInput
    pattern = SLUG
    message = "“%s” is not a valid value"

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [v.strip().lower() for v in values if v and v.strip()]

    def validate(self, value):
        for v in value:
            if not self.pattern.match(v):
                raise forms.ValidationError(self.message % v[:50])


class ParliamentField(MultiValueField):
    pattern = PARLIAMENT
    message = "“%s” is not a parliament: use 43 or 43-2"


class MultiValueFilter(django_filters.Filter):
    """Either of the values; `lookup(values)` turns them into a Q."""

    field_class = MultiValueField

    def __init__(self, *args, lookup, **kwargs):
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.filter(self.lookup(value)) if value else qs


class ParliamentFilter(MultiValueFilter):
    field_class = ParliamentField


class PageFilter(django_filters.Filter):
    """`page` is validated with the filters so a bad value is a 400 like any other."""

    field_class = forms.IntegerField

    def filter(self, qs, value):
        return qs


def responded_by(**lookups):
    return Exists(Response.objects.filter(petition=OuterRef("pk"), **lookups))


def parliament_q(values: list[str]) -> Q:
    q = Q()
    for value in values:
        parliament, session = PARLIAMENT.match(value).groups()
        q |= Q(parliament=int(parliament), **({"session": int(session)} if session else {}))
    return q


def day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


SORTS = {
    "relevance": None,  # rank, only when searching
    "newest": NEWEST_FIRST,
    "oldest": OLDEST_FIRST,
    "response_time": [F("response_days").desc(nulls_last=True), F("id").desc()],
    "signatures": [F("signatures").desc(nulls_last=True), F("id").desc()],
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": _("Newest presented"),
    "oldest": _("Oldest presented"),
    "response_time": _("Longest response time"),
    "signatures": _("Most signatures"),
}
# The parameters in words, for the active filters and the feeds' titles ("signed by: …").
PARAMETER_LABELS = {
    "q": _("search"),
    "topic": _("topic"),
    "minister": _("minister"),
    "signed_by": _("signed by"),
    "sponsor": _("sponsor"),
    "caucus": _("caucus"),
    "parliament": _("parliament"),
    "status": _("status"),
    "kind": _("kind"),
    "province": _("province"),
    "opened_from": _("opened from"),
    "opened_to": _("opened to"),
    "presented_from": _("presented from"),
    "presented_to": _("presented to"),
    "responded_from": _("responded from"),
    "responded_to": _("responded to"),
}


def parameter_label(name: str) -> str:
    return str(PARAMETER_LABELS.get(name, name.replace("_", " ")))


RANGES = ("opened", "presented", "responded")
# Parameters the list's twins read besides the filters (the JSON's page size).
OTHER_PARAMETERS = {"per_page"}


class RangeForm(forms.Form):
    """A date range whose start is after its end selects nothing: a 400 that says so."""

    def clean(self):
        data = super().clean()
        for step in RANGES:
            start, end = data.get(f"{step}_from"), data.get(f"{step}_to")
            if start and end and start > end:
                names = {"start": f"{step}_from={start}", "end": f"{step}_to={end}"}
                self.add_error(f"{step}_from", _("%(start)s is after %(end)s.") % names)
        return data


class PetitionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=500, label=_("Search"), validators=[NO_CONTROL_CHARACTERS]
    )
    # A topic, portfolio or caucus by either language's slug (or an alias's): one entity.
    topic = MultiValueFilter(lookup=lambda v: Q(topic__in=Topic.objects.for_slugs(v)))
    minister = MultiValueFilter(
        lookup=lambda v: responded_by(portfolio__in=Portfolio.objects.for_slugs(v))
    )
    signed_by = MultiValueFilter(lookup=lambda v: responded_by(signer__slug__in=v))
    sponsor = MultiValueFilter(lookup=lambda v: Q(sponsor__slug__in=v) | Q(presenter__slug__in=v))
    caucus = MultiValueFilter(lookup=lambda v: Q(sponsor__caucus__in=Caucus.objects.for_slugs(v)))
    parliament = ParliamentFilter(lookup=parliament_q)
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, method="filter_status")
    # One column's values (no join can repeat a row): no DISTINCT, which would make PostgreSQL
    # sort and compare every matching row before it could read the first page in order.
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices, distinct=False)
    province = django_filters.MultipleChoiceFilter(
        field_name="initiator_province", choices=Province.choices, distinct=False
    )
    opened_from = ArchiveDateFilter(method="filter_opened_from")
    opened_to = ArchiveDateFilter(method="filter_opened_to")
    presented_from = ArchiveDateFilter(field_name="presented_on", lookup_expr="gte")
    presented_to = ArchiveDateFilter(field_name="presented_on", lookup_expr="lte")
    responded_from = ArchiveDateFilter(field_name="response_tabled_on", lookup_expr="gte")
    responded_to = ArchiveDateFilter(field_name="response_tabled_on", lookup_expr="lte")
    page = PageFilter(min_value=1, max_value=1_000_000)
    sort = django_filters.ChoiceFilter(
        choices=list(SORT_LABELS.items()), method="filter_sort", empty_label=None
    )

    class Meta:
        model = Petition
        fields: list[str] = []
        form = RangeForm

    def __init__(self, data=None, *args, **kwargs):
        if hasattr(data, "setlist"):  # province codes in any case
            data = data.copy()
            data.setlist("province", [v.upper() for v in data.getlist("province")])
        super().__init__(data, *args, **kwargs)

    @property
    def search_text(self) -> str:
        return (self.form.cleaned_data.get("q") or "").strip() if self.is_bound else ""

    def filter_q(self, qs, name, value):
        if not value.strip():
            return qs
        matches = Q(search_vector=search.query(value))
        if (numbers := search.bare_number(value)) is not None:
            matches |= numbers
        return qs.filter(matches).annotate(rank=search.rank(value))

    def filter_status(self, qs, name, value):
        return qs.with_status(*value) if value else qs

    def filter_opened_from(self, qs, name, value):
        return qs.filter(opened_at__gte=day_start(value))

    def filter_opened_to(self, qs, name, value):
        return qs.filter(opened_at__lt=day_start(value + timedelta(days=1)))

    def filter_sort(self, qs, name, value):
        return qs  # applied last, in `filter_queryset`

    @property
    def chosen_sort(self) -> str:
        chosen = self.form.cleaned_data.get("sort") if self.is_bound else None
        if chosen == "relevance" and not self.search_text:
            chosen = None
        return chosen or ("relevance" if self.search_text else "newest")

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.chosen_sort == "relevance":
            return qs.order_by(F("rank").desc(), F("id").desc())
        return qs.order_by(*SORTS[self.chosen_sort])

    def errors_text(self) -> list[str]:
        """One line per bad parameter: “opened_from: Enter a valid date.”; a choice's line
        lists its valid values."""
        lines = []
        for name, errors in self.errors.items():
            line = f"{name}: {' '.join(errors)}"
            if choices := getattr(self.form.fields.get(name), "choices", None):
                values = ", ".join(str(value) for value, _label in choices if value)
                line += " " + _("Valid values: %(values)s.") % {"values": values}
            lines.append(line)
        return lines

    @property
    def ignored(self) -> list[str]:
        """The parameters given that the list does not know (“topc=…”), in the order given."""
        known = set(self.base_filters) | OTHER_PARAMETERS
        return [
            f"{name}={value}"
            for name, values in self.data.lists()
            if name not in known
            for value in values
        ]
