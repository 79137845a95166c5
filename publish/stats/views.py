"""/stats/: response times and volumes as SVG charts, tables and CSV."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_safe

from browse.facets import while_unchanged
from petitions.models import RESPONSE_DEADLINE_DAYS
from publish.headers import header as csv_header
from publish.spreadsheet import cells
from publish.stats import charts, stats


@require_safe
def statistics(request):
    """The page's body is the same for every visitor of one language: rendered once per language
    until the archive changes."""
    body = while_unchanged(f"stats-page|{get_language()}|{timezone.localdate()}", render_body)
    return render(request, "stats/index.html", {"body": body})


def render_body() -> str:
    data = stats.statistics()
    per_year, columns, rows = charts.per_year(data.per_year)
    context = {
        "stats": data,
        "deadline": RESPONSE_DEADLINE_DAYS,
        "per_year": per_year,
        "per_year_columns": columns,
        "per_year_rows": rows,
        "per_year_has_other": len(columns) > 1 and columns[-1] == charts.OTHER_TOPICS,
        "response_times": charts.response_times(data.bins),
        "portfolios": charts.portfolios(data.portfolios),
        "overdue_list_url": f"{reverse('petitions:list')}?{stats.overdue_list_query(data.today)}",
    }
    return render_to_string("stats/_body.html", context)


@require_safe
def chart_csv(request, chart: str):
    table = stats.csv_table(chart)
    if table is None:
        raise Http404(
            _("There is no chart named “%(chart)s” in the archive's statistics.") % {"chart": chart}
        )
    header, rows = table
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart}.csv"'
    writer = csv.writer(response)
    writer.writerow(cells(csv_header(name) for name in header))
    writer.writerows(cells(row) for row in rows)
    return response
