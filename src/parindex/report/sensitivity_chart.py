"""The sensitivity chart as inline SVG: per unit, the 5–95 % rank interval, the median rank and the
base rank, with the probability of each group as a stacked bar.

Plain SVG elements only (rect, line, circle, text), no script and no external reference; by default
no ``xmlns`` either (inline SVG in HTML needs none; ``standalone=True`` adds it for an .svg file).
Coordinates are printed with two decimals, so the same result always gives the same bytes.
"""

from __future__ import annotations

from html import escape

from parindex.analysis.sensitivity import NO_GROUP, SensitivityResult
from parindex.report.numbers import probability
from parindex.report.svg_elements import (
    BLUE,
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

INTERVAL = SLATE
MEDIAN = BLUE
BASE = RED
AXIS = INK
GRID = LIGHT
#: group colours, best group first; "no group" is light grey
PALETTE = ("#15803d", "#65a30d", "#ca8a04", "#ea580c", "#b91c1c", "#7c3aed", "#0e7490", "#be185d")
NONE_FILL = "#d1d5db"


def group_colours(result: SensitivityResult) -> dict[str, str]:
    out: dict[str, str] = {}
    named = [g for g in result.groups if g != NO_GROUP]
    for i, g in enumerate(named):
        out[g] = PALETTE[i % len(PALETTE)]
    out[NO_GROUP] = NONE_FILL
    return out


def sensitivity_svg(
    result: SensitivityResult,
    *,
    limit: int = 80,
    width: int = 960,
    locale: str = "en",
    standalone: bool = False,
    chart_id: str = "sensitivity",
) -> str:
    """The chart for the first ``limit`` units by base rank."""
    units = result.units[:limit]
    n_all = len(result.units)
    label_w, prob_w, pad = 230, 150, 12
    row_h, top = 16, 58
    plot_x0 = label_w + pad
    plot_x1 = width - prob_w - 2 * pad
    prob_x0 = plot_x1 + pad
    height = top + row_h * len(units) + 46
    max_rank = max(n_all, 1)

    def rx(rank: float) -> float:
        if max_rank == 1:
            return (plot_x0 + plot_x1) / 2
        return plot_x0 + (rank - 1) / (max_rank - 1) * (plot_x1 - plot_x0)

    vi = locale == "vi"
    title = ("Độ ổn định của xếp hạng" if vi else "How stable is the ranking?") + (
        f" — {result.ruleset} {result.year}, {result.draws} " + ("lần mô phỏng" if vi else "draws")
    )
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [
        f'<svg{ns} class="chart" id="{escape(chart_id)}" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-labelledby="{escape(chart_id)}-t">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        text("0", "16", title, weight="bold"),
    ]
    legend = (
        "thanh: khoảng hạng 5–95 %; chấm xanh: hạng trung vị; vạch đỏ: hạng gốc"
        if vi
        else "bar: 5–95 % rank interval; blue dot: median rank; red tick: base rank"
    )
    out.append(text("0", "34", legend, css_class="note"))
    # rank axis ticks
    step = _tick_step(max_rank)
    tick = 1
    y_axis = top - 6
    while tick <= max_rank:
        x = rx(tick)
        out.append(
            line(
                coordinate(x),
                coordinate(y_axis),
                coordinate(x),
                coordinate(top + row_h * len(units)),
                GRID,
                1,
            )
        )
        out.append(
            text(
                coordinate(x), coordinate(y_axis - 4), f"{tick}", anchor="middle", css_class="tick"
            )
        )
        tick = step if tick == 1 and step > 1 else tick + step
    head = "Xác suất nhóm" if vi else "Group probability"
    out.append(text(coordinate(prob_x0), coordinate(y_axis - 4), head, css_class="tick"))
    colours = group_colours(result)
    for i, u in enumerate(units):
        y = top + row_h * i
        cy = y + row_h / 2
        label = f"{u.base_rank}. {u.unit.label}"
        out.append(text(coordinate(label_w), coordinate(cy + 4), short(label, 34), anchor="end"))
        x0, x1 = rx(u.rank_p05), rx(u.rank_p95)
        out.append(
            line(
                coordinate(x0),
                coordinate(cy),
                coordinate(max(x1, x0 + 1)),
                coordinate(cy),
                INTERVAL,
                5,
                linecap="round",
                title=f"{u.unit.label}: {u.rank_p05}–{u.rank_p95}",
            )
        )
        bx = rx(u.base_rank)
        out.append(
            line(
                coordinate(bx),
                coordinate(y + 2),
                coordinate(bx),
                coordinate(y + row_h - 2),
                BASE,
                2,
            )
        )
        mx = coordinate(rx(u.median_rank))
        out.append(f'<circle cx="{mx}" cy="{coordinate(cy)}" r="3.5" fill="{MEDIAN}"/>')
        px = float(prob_x0)
        for g in result.groups:
            p = u.group_probability.get(g, 0.0)
            if p <= 0:
                continue
            w = p * prob_w
            out.append(
                rect(
                    coordinate(px),
                    coordinate(y + 3),
                    coordinate(w),
                    coordinate(row_h - 6),
                    colours[g],
                    title=f"{g}: {probability(p)}",
                )
            )
            px += w
    # legend of groups
    ly = top + row_h * len(units) + 22
    lx = float(prob_x0)
    for g in result.groups:
        out.append(rect(coordinate(lx), coordinate(ly - 9), "10", "10", colours[g]))
        out.append(text(coordinate(lx + 13), coordinate(ly), g, css_class="tick"))
        lx += 13 + 8 * len(g) + 12
    axis = "hạng (1 = cao nhất)" if vi else "rank (1 = best)"
    out.append(
        text(
            coordinate((plot_x0 + plot_x1) / 2),
            coordinate(ly),
            axis,
            anchor="middle",
            css_class="tick",
        )
    )
    if n_all > len(units):
        more = (
            f"{len(units)} / {n_all} đơn vị đầu tiên theo hạng gốc"
            if vi
            else f"first {len(units)} of {n_all} units by base rank"
        )
        out.append(text("0", coordinate(ly + 16), more, css_class="note"))
    out.append("</svg>")
    return "\n".join(out)


def _tick_step(n: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if n / step <= 12:
            return step
    return 10000


__all__ = ["sensitivity_svg"]
