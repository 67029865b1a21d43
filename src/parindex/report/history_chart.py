"""A unit's years as an inline SVG line chart: the index (left axis) and the rank (right axis,
1 at the top), over the group bands of each year's ruleset, shaded.

The bands are those of the ruleset version that covers each year (MoHA's changed in 2018 and
2021), drawn per year column, so a band that moved is seen to move. Plain elements only (rect,
line, circle, text), coordinates in Decimal printed with two decimals: the same history always
gives the same bytes. Markdown gets the same data as text lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape

from parindex.model.decimals import CONTEXT
from parindex.model.documents import Text
from parindex.model.i18n import gettext as _
from parindex.report.numbers import number
from parindex.report.svg_elements import (
    BAND_FILLS,
    BLUE,
    GRID,
    INK,
    SLATE,
    circle,
    coordinate,
    line,
    rect,
    text,
)

INDEX_COLOUR = BLUE
RANK_COLOUR = SLATE


@dataclass(frozen=True)
class Band:
    label: str
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Year:
    year: int
    index: Decimal | None
    rank: int | None
    note: str  # the change on the previous year, as the plans write it
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class LineChart:
    chart_id: str
    title: Text
    years: tuple[Year, ...]
    low: Decimal
    high: Decimal
    step: Decimal
    worst_rank: int
    locale: str = "en"


def _floor(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_FLOOR) * step


def _ceil(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def line_chart(
    chart_id: str, title: Text, years: tuple[Year, ...], locale: str = "en"
) -> LineChart:
    """The chart of ``years``: the index axis spans the values in steps of 5 (at most 0 … 100),
    the rank axis 1 … the worst rank shown, rounded up to a multiple of 5."""
    five = Decimal(5)
    values = [y.index for y in years if y.index is not None] or [Decimal(0), Decimal(100)]
    low = max(_floor(min(values), five) - five, Decimal(0))
    high = min(_ceil(max(values), five) + five, Decimal(100))
    if high <= low:
        high = low + five
    ranks = [y.rank for y in years if y.rank is not None] or [1]
    worst = max(5, int(_ceil(Decimal(max(ranks)), five)))
    return LineChart(chart_id, title, years, low, high, five, worst, locale)


def line_svg(chart: LineChart, width: int = 960, height: int = 320) -> str:
    left, right, top, bottom = 60, 60, 28, 44
    plot_w = Decimal(width - left - right)
    plot_h = Decimal(height - top - bottom)
    n = len(chart.years)
    slot = CONTEXT.divide(plot_w, Decimal(max(n, 1)))
    span = chart.high - chart.low

    def x(i: int) -> Decimal:
        return Decimal(left) + slot * i + slot / 2

    def y_index(v: Decimal) -> Decimal:
        v = min(max(v, chart.low), chart.high)
        return Decimal(top) + CONTEXT.divide(CONTEXT.multiply(chart.high - v, plot_h), span)

    def y_rank(r: int) -> Decimal:
        return Decimal(top) + CONTEXT.divide(
            CONTEXT.multiply(Decimal(r - 1), plot_h), Decimal(chart.worst_rank - 1)
        )

    out = [
        f'<svg class="chart" id="{chart.chart_id}" role="img"'
        f' aria-labelledby="{chart.chart_id}-title" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}">',
        f'<title id="{chart.chart_id}-title">{escape(chart.title.vi or "")} ·'
        f" {escape(chart.title.en or '')}</title>",
    ]
    for i, year in enumerate(chart.years):  # each year's bands, shaded in its own column
        x0 = Decimal(left) + slot * i
        for k, band in enumerate(year.bands):
            lo, hi = max(band.low, chart.low), min(band.high, chart.high)
            if hi <= lo:
                continue
            y0, y1 = y_index(hi), y_index(lo)
            fill = BAND_FILLS[min(k, len(BAND_FILLS) - 1)]
            tip = f"{year.year}: {band.label} {number(band.low, locale=chart.locale)}+"
            out.append(
                rect(
                    coordinate(x0),
                    coordinate(y0),
                    coordinate(slot),
                    coordinate(y1 - y0),
                    fill,
                    title=tip,
                )
            )
            previous = chart.years[i - 1].bands if i else ()
            if i == 0 or band not in previous:
                out.append(
                    text(coordinate(x0 + 4), coordinate(y0 + 12), band.label, css_class="mark")
                )
    tick = chart.low
    while tick <= chart.high:
        ty = coordinate(y_index(tick))
        out.append(line(f"{left}", ty, f"{width - right}", ty, GRID, 1))
        label = number(tick, locale=chart.locale)
        out.append(text(f"{left - 6}", ty, label, anchor="end", css_class="tick"))
        tick += chart.step
    for r in sorted({1, *range(5, chart.worst_rank + 1, 5)}):
        out.append(
            text(f"{width - right + 6}", coordinate(y_rank(r) + 4), f"#{r}", css_class="tick")
        )
    for i, year in enumerate(chart.years):
        out.append(
            text(coordinate(x(i)), f"{height - bottom + 16}", str(year.year), anchor="middle")
        )
        if year.note:
            out.append(
                text(
                    coordinate(x(i)),
                    f"{height - bottom + 32}",
                    year.note,
                    anchor="middle",
                    css_class="note",
                )
            )
    out += _series(chart, x, y_index, y_rank)
    out.append(line(f"{left}", f"{top}", f"{left}", f"{height - bottom}", INK, 1))
    out.append(line(f"{width - right}", f"{top}", f"{width - right}", f"{height - bottom}", INK, 1))
    out.append("</svg>")
    return "\n".join(out)


def _series(
    chart: LineChart,
    fx: Callable[[int], Decimal],
    fi: Callable[[Decimal], Decimal],
    fr: Callable[[int], Decimal],
) -> list[str]:
    """The rank (dashed) and index (solid) lines with their points; a missing year breaks the
    line rather than being drawn through."""
    out = []
    years = chart.years
    for i in range(1, len(years)):
        a, b = years[i - 1], years[i]
        if a.rank is not None and b.rank is not None:
            out.append(
                line(
                    coordinate(fx(i - 1)),
                    coordinate(fr(a.rank)),
                    coordinate(fx(i)),
                    coordinate(fr(b.rank)),
                    RANK_COLOUR,
                    2,
                    dasharray="6 3",
                )
            )
        if a.index is not None and b.index is not None:
            out.append(
                line(
                    coordinate(fx(i - 1)),
                    coordinate(fi(a.index)),
                    coordinate(fx(i)),
                    coordinate(fi(b.index)),
                    INDEX_COLOUR,
                    3,
                )
            )
    for i, year in enumerate(years):
        if year.rank is not None:
            cy = fr(year.rank)
            tip = f"{year.year}: #{year.rank}"
            out.append(circle(coordinate(fx(i)), coordinate(cy), 4, RANK_COLOUR, title=tip))
        if year.index is not None:
            cy = fi(year.index)
            shown = number(year.index, 2, locale=chart.locale)
            out.append(
                circle(
                    coordinate(fx(i)),
                    coordinate(cy),
                    5,
                    INDEX_COLOUR,
                    title=f"{year.year}: {shown}",
                )
            )
            out.append(text(coordinate(fx(i)), coordinate(cy - 9), shown, anchor="middle"))
    return out


def line_text(chart: LineChart) -> str:
    """The chart as lines of text (Markdown, terminals): year, index, rank, group band, change."""
    out = []
    for year in chart.years:
        index = number(year.index, 2, locale=chart.locale) if year.index is not None else "—"
        rank = f"#{year.rank}" if year.rank is not None else "#—"
        band = next(
            (b.label for b in year.bands if year.index is not None and b.low <= year.index),
            None,
        )
        shown = (
            _("band {band}", chart.locale).format(band=band) if band else _("no band", chart.locale)
        )
        out.append(f"{year.year}  {index:>6}  {rank:>4}  {shown:<7}  {year.note}".rstrip())
    return "\n".join(out)


__all__ = ["Band", "LineChart", "Year", "line_chart", "line_svg", "line_text"]
