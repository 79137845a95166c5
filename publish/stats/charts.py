"""Bar charts for /stats/ drawn as SVG on the server: geometry here, markup in templates/stats/.

Each chart is a list of shapes with their coordinates already formatted, so the template only
copies them out; each bar carries a <title> (a tooltip), and every chart has a table beside it.
"""

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from petitions.models import RESPONSE_DEADLINE_DAYS
from publish.stats.stats import Bin, PortfolioTimes, YearCount

# Okabe–Ito colours (distinguishable with colour-blindness), then grey for "other".
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#882255"]
OTHER = "#8C8C8C"
ON_TIME, LATE = "#009E73", "#D55E00"
TOPICS_CHARTED = len(PALETTE)
WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56


def fmt(value: float) -> str:
    """A coordinate for an SVG attribute: at most one decimal, never localised."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass
class Rect:
    x: str
    y: str
    width: str
    height: str
    fill: str
    title: str


@dataclass
class Text:
    x: str
    y: str
    text: str
    anchor: str = "middle"
    css: str = ""
    transform: str = ""


@dataclass
class Line:
    x1: str
    y1: str
    x2: str
    y2: str
    css: str = "axis"


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, colour)

    def rect(self, x, y, width, height, fill, title):
        self.rects.append(Rect(fmt(x), fmt(y), fmt(width), fmt(height), fill, title))

    def text(self, x, y, text, anchor="middle", css="", rotate=False):
        transform = f"rotate(-90 {fmt(x)} {fmt(y)})" if rotate else ""
        self.texts.append(Text(fmt(x), fmt(y), text, anchor, css, transform))

    def line(self, x1, y1, x2, y2, css="axis"):
        self.lines.append(Line(fmt(x1), fmt(y1), fmt(x2), fmt(y2), css))


def nice_ticks(top: float, count: int = 5) -> list[int]:
    """Round tick values from 0 to at least `top`: steps of 1, 2 or 5 × 10ⁿ."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return list(range(0, math.ceil(top / step) * step + 1, step))


def value_axis(chart: Chart, ticks: list[int], label: str) -> float:
    """Horizontal grid lines and labels of a vertical value axis; returns the px per unit."""
    plot_height = chart.height - TOP - BOTTOM
    scale = plot_height / ticks[-1]
    for tick in ticks:
        y = chart.height - BOTTOM - tick * scale
        chart.line(LEFT, y, chart.width - RIGHT, y, "grid")
        chart.text(LEFT - 6, y + 4, f"{tick:,}", anchor="end", css="tick")
    chart.text(14, TOP + plot_height / 2, label, css="axis-label", rotate=True)
    return scale


OTHER_TOPICS = gettext_lazy("Other topics")
D = RESPONSE_DEADLINE_DAYS


def grouped(n: int) -> str:
    """1,234 in English, 1 234 in French."""
    return number_format(n, force_grouping=True)


def per_year(counts: list[YearCount]) -> tuple[Chart, list[str], list[tuple[int, list[int]]]]:
    """Stacked bars of petitions per year by topic: the most frequent topics, then the rest.

    Returns the chart, the table's column names and its rows (year, counts… , other, total).
    """
    totals: dict[str, int] = {}
    for row in counts:
        totals[row.topic] = totals.get(row.topic, 0) + row.petitions
    charted = sorted(totals, key=lambda t: (-totals[t], t))[:TOPICS_CHARTED]
    has_other = len(totals) > len(charted)
    years = list(range(counts[0].year, max(r.year for r in counts) + 1)) if counts else []
    table = {year: [0] * (len(charted) + 1) for year in years}
    for row in counts:
        column = charted.index(row.topic) if row.topic in charted else len(charted)
        table[row.year][column] += row.petitions
    columns = [*charted, *([str(OTHER_TOPICS)] if has_other else [])]
    rows = [(year, [*values[: len(columns)], sum(values)]) for year, values in table.items()]
    chart = Chart(
        "per-year",
        _("Petitions per year by topic"),
        _(
            "Stacked bars, one per year from %(first)s to %(last)s: petitions that began that "
            "year, by topic."
        )
        % {"first": years[0] if years else "–", "last": years[-1] if years else "–"},
    )
    colours = [*PALETTE[: len(charted)], *([OTHER] if has_other else [])]
    chart.legend = list(zip(columns, colours, strict=True))
    if not rows:
        return chart, columns, rows
    scale = value_axis(chart, nice_ticks(max(r[1][-1] for r in rows)), _("Petitions"))
    slot = (chart.width - LEFT - RIGHT) / len(rows)
    base = chart.height - BOTTOM
    for i, (year, values) in enumerate(rows):
        x, y = LEFT + i * slot + slot * 0.15, base
        for (label, colour), n in zip(chart.legend, values, strict=False):
            if n:
                y -= n * scale
                chart.rect(x, y, slot * 0.7, n * scale, colour, f"{year} · {label}: {grouped(n)}")
        chart.text(LEFT + (i + 0.5) * slot, base + 18, str(year), css="tick")
    chart.line(LEFT, base, chart.width - RIGHT, base)
    chart.text(
        LEFT + (chart.width - LEFT - RIGHT) / 2, chart.height - 12, _("Year"), css="axis-label"
    )
    return chart, columns, rows


def response_times(bins: list[Bin]) -> Chart:
    """A histogram of days from presentation to response, the 45-day limit marked."""
    chart = Chart(
        "response-times",
        _("Days from presentation to response"),
        _(
            "Histogram of petitions answered, in bins of days; bars up to %(days)s days are on "
            "time, bars after the %(days)s-day line are late."
        )
        % {"days": D},
    )
    chart.legend = [(_("Within %(days)s days") % {"days": D}, ON_TIME), (_("Late"), LATE)]
    if not any(b.petitions for b in bins):
        return chart
    scale = value_axis(chart, nice_ticks(max(b.petitions for b in bins)), _("Petitions"))
    slot = (chart.width - LEFT - RIGHT) / len(bins)
    base = chart.height - BOTTOM
    for i, b in enumerate(bins):
        height = b.petitions * scale
        when = _("on time") if b.on_time else _("late")
        title = ngettext(
            "%(bin)s days: %(n)s petition (%(when)s)",
            "%(bin)s days: %(n)s petitions (%(when)s)",
            b.petitions,
        ) % {"bin": b.label, "n": grouped(b.petitions), "when": when}
        chart.rect(
            LEFT + i * slot + 2,
            base - height,
            slot - 4,
            height,
            ON_TIME if b.on_time else LATE,
            title,
        )
        chart.text(LEFT + (i + 0.5) * slot, base + 18, b.label, css="tick")
        if b.high == RESPONSE_DEADLINE_DAYS:
            x = LEFT + (i + 1) * slot
            chart.line(x, TOP, x, base, "limit")
            chart.text(x + 4, TOP + 12, _("%(days)s-day limit") % {"days": D}, "start", "limit")
    chart.line(LEFT, base, chart.width - RIGHT, base)
    chart.text(
        LEFT + (chart.width - LEFT - RIGHT) / 2,
        chart.height - 12,
        _("Days from presentation to response"),
        css="axis-label",
    )
    return chart


NAME_WIDTH, ROW_HEIGHT = 330, 22


def portfolios(rows: list[PortfolioTimes]) -> Chart:
    """Horizontal bars of each portfolio's median response time, the 45-day limit marked."""
    timed = [r for r in rows if r.median_days is not None]
    chart = Chart(
        "portfolios",
        _("Median days to respond, by portfolio"),
        _(
            "One bar per responding portfolio, its median days from presentation to response; a "
            "line marks %(days)s days."
        )
        % {"days": D},
        height=TOP + BOTTOM + ROW_HEIGHT * max(1, len(timed)),
    )
    if not timed:
        return chart
    ticks = nice_ticks(max(RESPONSE_DEADLINE_DAYS, *(r.median_days for r in timed)))
    plot = chart.width - NAME_WIDTH - RIGHT
    scale = plot / ticks[-1]
    base = chart.height - BOTTOM
    for tick in ticks:
        x = NAME_WIDTH + tick * scale
        chart.line(x, TOP, x, base, "grid")
        chart.text(x, base + 16, str(tick), css="tick")
    for i, row in enumerate(timed):
        y = TOP + i * ROW_HEIGHT
        name = row.name or _("Portfolio not stated")
        short = name if len(name) <= 52 else name[:50] + "…"
        days = number_format(f"{row.median_days:.1f}".removesuffix(".0"))
        late = row.median_days > RESPONSE_DEADLINE_DAYS
        title = ngettext(
            "%(name)s: median %(days)s days over %(n)s response",
            "%(name)s: median %(days)s days over %(n)s responses",
            row.timed,
        ) % {"name": name, "days": days, "n": grouped(row.timed)}
        chart.rect(
            NAME_WIDTH,
            y + 4,
            row.median_days * scale,
            ROW_HEIGHT - 8,
            LATE if late else ON_TIME,
            title,
        )
        chart.text(NAME_WIDTH - 6, y + ROW_HEIGHT / 2 + 4, short, "end", "tick")
    x = NAME_WIDTH + RESPONSE_DEADLINE_DAYS * scale
    chart.line(x, TOP, x, base, "limit")
    chart.line(NAME_WIDTH, TOP, NAME_WIDTH, base)
    chart.text(
        NAME_WIDTH + plot / 2, chart.height - 12, _("Median days to respond"), css="axis-label"
    )
    chart.legend = [
        (_("Median within %(days)s days") % {"days": D}, ON_TIME),
        (_("Median late"), LATE),
    ]
    return chart
