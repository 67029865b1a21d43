"""Inline SVG bar charts: a ranking of units and a per-field profile of one unit.

Plain SVG elements only (rect, line, text), no scripts, no external references and no ``xmlns``
URL (inline SVG in HTML needs none). Coordinates are computed in Decimal and printed with two
decimals, so the same input always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape

from parindex.model.decimals import CONTEXT, HUNDRED, ZERO
from parindex.model.documents import ScoreCard, Text
from parindex.report.history_chart import LineChart, line_svg, line_text
from parindex.report.numbers import number, percent
from parindex.report.svg_elements import (
    BLUE,
    GREEN,
    GRID,
    INK,
    LIGHT,
    RED,
    SLATE,
    coordinate,
    line,
    rect,
    short,
    text,
)
from parindex.scoring.ranking import RankedTable

#: Colours (the browser test looks for them in the screenshot).
PROFILE_FILL = BLUE
RANK_FILL = SLATE
HIGHLIGHT_FILL = RED
TRACK_FILL = LIGHT
AXIS = INK
MARK = GREEN


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    note: str
    highlight: bool = False


@dataclass(frozen=True)
class Mark:
    value: Decimal
    label: str


@dataclass(frozen=True)
class Axis:
    low: Decimal
    high: Decimal
    step: Decimal


@dataclass(frozen=True)
class ChartSpec:
    """A horizontal bar chart, before drawing: the same spec gives the SVG and the text chart."""

    chart_id: str
    title: Text
    bars: tuple[Bar, ...]
    axis: Axis
    fill: str
    track: bool = False
    marks: tuple[Mark, ...] = ()
    bar_height: int = 16
    gap: int = 4
    label_width: int = 300


def to_svg(spec: ChartSpec | LineChart, width: int = 960, note_width: int = 170) -> str:
    if isinstance(spec, LineChart):
        return line_svg(spec, width)
    return bar_chart(
        spec.bars,
        spec.title,
        spec.axis,
        chart_id=spec.chart_id,
        fill=spec.fill,
        track=spec.track,
        marks=spec.marks,
        width=width,
        bar_height=spec.bar_height,
        gap=spec.gap,
        label_width=spec.label_width,
        note_width=note_width,
    )


def to_text_chart(spec: ChartSpec | LineChart, cells: int = 30) -> str:
    """The chart as text bars (for Markdown and terminals), scaled like the SVG."""
    if isinstance(spec, LineChart):
        return line_text(spec)
    span = CONTEXT.subtract(spec.axis.high, spec.axis.low)
    width = max(len(short(b.label, 44)) for b in spec.bars) if spec.bars else 0
    lines = []
    drawn: dict[tuple[Decimal | None, bool], str] = {}  # a ranking's bars share their values
    for b in spec.bars:
        key = (b.value, b.highlight)
        if key not in drawn:
            drawn[key] = _text_bar(b, spec.axis, span, cells)
        bar = drawn[key]
        lines.append(f"{short(b.label, 44).ljust(width)}  {bar}  {b.note}")
    lines.append(f"{'':{width}}  {number(spec.axis.low)} … {number(spec.axis.high)}")
    return "\n".join(lines)


def _text_bar(b: Bar, axis: Axis, span: Decimal, cells: int) -> str:
    if b.value is None:
        return " " * cells
    v = min(max(b.value, axis.low), axis.high)
    n = int(
        CONTEXT.divide(CONTEXT.multiply(v - axis.low, Decimal(cells)), span).to_integral_value(
            rounding=ROUND_FLOOR
        )
    )
    return ("▓" if b.highlight else "█") * n + "·" * (cells - n)


def bar_chart(
    bars: Sequence[Bar],
    title: Text,
    axis: Axis,
    *,
    chart_id: str,
    fill: str,
    track: bool = False,
    marks: Sequence[Mark] = (),
    width: int = 960,
    bar_height: int = 16,
    gap: int = 4,
    label_width: int = 300,
    note_width: int = 170,
) -> str:
    plot = Decimal(width - label_width - note_width)
    top = 28
    height = top + len(bars) * (bar_height + gap) + 24
    span = CONTEXT.subtract(axis.high, axis.low)

    def x(value: Decimal) -> Decimal:
        v = min(max(value, axis.low), axis.high)
        return Decimal(label_width) + CONTEXT.divide(CONTEXT.multiply(v - axis.low, plot), span)

    out = [
        f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title"'
        f' width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<title id="{chart_id}-title">{escape(title.vi or "")} · {escape(title.en or "")}</title>',
    ]
    # Rows and the plot's left edge sit on whole pixels (printed as integers); positions on the
    # axis are exact decimals (printed with two decimals).
    tick = axis.low
    while tick <= axis.high:
        tx = coordinate(x(tick))
        out.append(line(tx, f"{top - 4}", tx, f"{height - 20}", GRID, 1))
        out.append(text(tx, f"{height - 6}", number(tick), anchor="middle", css_class="tick"))
        tick += axis.step
    for i, bar in enumerate(bars):
        y = top + i * (bar_height + gap)
        out.append(
            text(
                f"{label_width - 8}",
                f"{y + bar_height - 4}",
                short(bar.label, 44),
                anchor="end",
                css_class="label hl" if bar.highlight else "label",
            )
        )
        if track:
            out.append(
                rect(f"{label_width}", f"{y}", coordinate(plot), f"{bar_height}", TRACK_FILL)
            )
        if bar.value is not None:
            w = x(bar.value) - Decimal(label_width)
            colour = HIGHLIGHT_FILL if bar.highlight else fill
            out.append(
                rect(
                    f"{label_width}",
                    f"{y}",
                    coordinate(w),
                    f"{bar_height}",
                    colour,
                    title=f"{bar.label}: {bar.note}",
                )
            )
        out.append(
            text(f"{width - note_width + 8}", f"{y + bar_height - 4}", bar.note, css_class="note")
        )
    for m in marks:
        mx = coordinate(x(m.value))
        out.append(line(mx, f"{top - 8}", mx, f"{height - 20}", MARK, 2, dasharray="6 3"))
        out.append(text(mx, f"{top - 12}", m.label, anchor="middle", css_class="mark"))
    out.append(line(f"{label_width}", f"{top - 4}", f"{label_width}", f"{height - 20}", AXIS, 1))
    out.append("</svg>")
    return "\n".join(out)


def _axis_for(values: Sequence[Decimal], ceiling: Decimal | None) -> Axis:
    lo = min(values)
    hi = max(values) if ceiling is None else max(max(values), ceiling)
    five = Decimal(5)
    low = (lo / five).to_integral_value(rounding=ROUND_FLOOR) * five
    high = (hi / five).to_integral_value(rounding=ROUND_CEILING) * five
    if low == high:
        high = low + five
    if low > 0 and low - five >= 0 and low == lo:
        low -= five
    return Axis(low, high, five)


def ranking_chart(
    table: RankedTable,
    highlight: str | None,
    locale: str = "en",
    marks: Sequence[Mark] = (),
    places: int | None = None,
) -> ChartSpec:
    """Units by key (index or total), best first, ``highlight`` (a unit id) in red."""
    entries = [e for e in table.entries if e.key is not None]
    values = [e.key for e in entries if e.key is not None]
    ceiling = HUNDRED if table.by == "index" and max(values) > Decimal(90) else None
    axis = _axis_for([*values, *(m.value for m in marks)], ceiling)
    bars = [
        Bar(
            f"{e.rank}. {e.unit.label}",
            e.key,
            number(e.key, places, locale=locale) + (f" · {e.group}" if e.group else ""),
            e.unit.id == highlight,
        )
        for e in entries
    ]
    return ranking_spec(table.ruleset, table.year, table.by, bars, axis, marks)


def ranking_spec(
    ruleset: str, year: int | None, by: str, bars: Sequence[Bar], axis: Axis, marks: Sequence[Mark]
) -> ChartSpec:
    """The ranking chart of ``bars`` (one per unit, best first), titled by ruleset, year and
    what the ranking is by; shared by the chart of a table and the one made from columns."""
    title = Text(
        vi=f"Xếp hạng {ruleset} {year} theo {_vi_by(by)}",
        en=f"Ranking, {ruleset} {year}, by {by}",
    )
    return ChartSpec(
        "ranking-chart",
        title,
        tuple(bars),
        axis,
        RANK_FILL,
        marks=tuple(marks),
        bar_height=12,
        gap=3,
        label_width=240,
    )


def _vi_by(by: str) -> str:
    return {"index": "chỉ số", "total": "tổng điểm"}.get(by, by)


def profile_chart(card: ScoreCard, locale: str = "en") -> ChartSpec:
    """Each top-level node's percentage of its maximum (0–100 %), with the points lost."""
    bars = []
    for n in card.nodes:
        if n.parent is not None:
            continue
        if n.percent is None or n.points is None or n.maximum is None:
            bars.append(
                Bar(
                    f"{n.code} {n.title.best(locale)}",
                    None,
                    "no maximum published" if locale == "en" else "chưa công bố tối đa",
                )
            )
            continue
        lost = CONTEXT.subtract(n.maximum, n.points)
        note = (
            f"{number(n.points, locale=locale)} / {number(n.maximum, locale=locale)}"
            f" ({percent(n.percent, 2, locale=locale)})"
        )
        if lost > ZERO:
            note += f" −{number(lost, locale=locale)}"
        bars.append(Bar(f"{n.code} {n.title.best(locale)}", n.percent, note))
    title = Text(
        vi=f"Tỷ lệ điểm đạt theo lĩnh vực — {card.unit.label} {card.year}",
        en=f"Share of maximum by field — {card.unit.label} {card.year}",
    )
    return ChartSpec(
        "profile-chart",
        title,
        tuple(bars),
        Axis(ZERO, HUNDRED, Decimal(10)),
        PROFILE_FILL,
        track=True,
        bar_height=20,
        gap=8,
    )


__all__ = [
    "HIGHLIGHT_FILL",
    "PROFILE_FILL",
    "RANK_FILL",
    "Axis",
    "Bar",
    "ChartSpec",
    "Mark",
    "bar_chart",
    "profile_chart",
    "ranking_chart",
    "to_svg",
    "to_text_chart",
]
