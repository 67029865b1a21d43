"""The few SVG elements every chart is drawn with, and their colours.

Charts are inline SVG: plain elements (line, rect, text), no script, no external reference, and
the same input always gives the same bytes. So coordinates are printed with exactly two decimals,
and every piece of text goes through :func:`html.escape` here, not at each call.

Attributes are passed already formatted (a coordinate through :func:`coordinate`, a count as
written), so a chart decides where it prints ``24`` and where ``24.00``.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from parindex.model.decimals import CONTEXT

# The palette shared by the charts (the browser tests look for some of these in screenshots).
BLUE = "#1d4ed8"
SLATE = "#64748b"
RED = "#dc2626"
GREEN = "#16a34a"
INK = "#334155"  # axes
LIGHT = "#e5e7eb"  # tracks and grid lines
GRID = "#cbd5e1"  # tick lines
#: Group bands shaded behind a line chart, best group first (A, B, C, D …; the last repeats).
BAND_FILLS = ("#dcfce7", "#ecfccb", "#fef9c3", "#ffedd5", "#fee2e2")

_CENT = Decimal("0.01")


def coordinate(value: Decimal | float) -> str:
    """A coordinate with two decimals: a Decimal rounded in the exact context (half-even), a float
    (or int) as Python prints it with ``.2f``."""
    if isinstance(value, Decimal):
        return format(value.quantize(_CENT, context=CONTEXT), "f")
    return f"{value:.2f}"


def short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line(
    x1: str,
    y1: str,
    x2: str,
    y2: str,
    stroke: str,
    width: int,
    *,
    dasharray: str | None = None,
    linecap: str | None = None,
    title: str | None = None,
) -> str:
    """A line; ``title`` is its tooltip."""
    head = (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{stroke}" stroke-width="{width}"'
        + (f' stroke-dasharray="{dasharray}"' if dasharray is not None else "")
        + (f' stroke-linecap="{linecap}"' if linecap is not None else "")
    )
    return head + "/>" if title is None else f"{head}><title>{escape(title)}</title></line>"


def rect(x: str, y: str, width: str, height: str, fill: str, *, title: str | None = None) -> str:
    """A filled rectangle; ``title`` is its tooltip."""
    head = f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}"'
    return head + "/>" if title is None else f"{head}><title>{escape(title)}</title></rect>"


def circle(cx: str, cy: str, r: int, fill: str, *, title: str | None = None) -> str:
    """A dot (a data point); ``title`` is its tooltip."""
    head = f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}"'
    return head + "/>" if title is None else f"{head}><title>{escape(title)}</title></circle>"


def text(
    x: str,
    y: str,
    content: str,
    *,
    anchor: str | None = None,
    css_class: str | None = None,
    weight: str | None = None,
) -> str:
    """A text element; ``content`` is escaped here."""
    return (
        f'<text x="{x}" y="{y}"'
        + (f' text-anchor="{anchor}"' if anchor is not None else "")
        + (f' class="{css_class}"' if css_class is not None else "")
        + (f' font-weight="{weight}"' if weight is not None else "")
        + f">{escape(content)}</text>"
    )


__all__ = [
    "BAND_FILLS",
    "BLUE",
    "GREEN",
    "GRID",
    "INK",
    "LIGHT",
    "RED",
    "SLATE",
    "circle",
    "coordinate",
    "line",
    "rect",
    "short",
    "text",
]
