"""Hypothesis strategies that land *on* boundaries as often as between them.

A bug at a boundary — a band minimum that should be exclusive, a tie rounded the wrong way, a cap
reached one item early — is invisible to inputs drawn uniformly from a range: in a thousand
generated cards none had an index exactly on a group band's minimum. These strategies draw half
their values from the boundaries themselves (and one quantum either side) and half from between.

* :func:`on_or_between` — decimals on a list of edges, next to them, or between them;
* :func:`band_cents` — group band minima (in hundredths) that indices of generated cards reach;
* :func:`count_edges` — counts at which a cap or the zero floor is reached;
* :func:`group_cases` — a small ruleset with group bands and rounding, and an assessment whose
  index is a band minimum, a rounding tie at the ruleset's places, a neighbour of either, or
  anything in between (see :class:`GroupCase`).
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

_X = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def on_or_between(
    edges: Sequence[Decimal], lo: Decimal, hi: Decimal, places: int
) -> st.SearchStrategy[Decimal]:
    """Decimals in [lo, hi] with ``places`` decimals: an edge, an edge ± one quantum (each drawn
    as often as the edges), or any value between."""
    q = Decimal(1).scaleb(-places)
    near = sorted({_X.add(e, d) for e in edges for d in (-q, q)})
    on = [e for e in edges if lo <= e <= hi]
    beside = [e for e in near if lo <= e <= hi]
    lo_k = int(_X.divide(lo, q).to_integral_value(decimal.ROUND_CEILING))
    hi_k = int(_X.divide(hi, q).to_integral_value(decimal.ROUND_FLOOR))
    anywhere = st.integers(lo_k, hi_k).map(lambda k: Decimal(k).scaleb(-places))
    parts: list[st.SearchStrategy[Decimal]] = []
    if on:
        parts.append(st.sampled_from(on))
    if beside:
        parts.append(st.sampled_from(beside))
    parts.append(anywhere)
    return st.one_of(parts)


def band_cents(draw: st.DrawFn, n: int) -> list[int]:
    """``n`` distinct band minima in 1–10000 hundredths, sorted; about half are whole multiples of
    five, where the indices of generated cards (often short decimals of 100) land."""
    round_ones = st.integers(1, 20).map(lambda k: k * 500)
    values = draw(st.sets(st.one_of(round_ones, st.integers(1, 10000)), min_size=n, max_size=n))
    return sorted(values)


def count_edges(per_item: Decimal, limit: Decimal | None) -> st.SearchStrategy[int]:
    """Counts around the one where ``count × per_item`` first reaches ``limit`` (a count's cap, or
    a deduction's maximum, below which points stop at zero), and small counts otherwise."""
    small = st.integers(0, 40)
    if limit is None or per_item <= 0:
        return small
    ratio = Fraction(limit) / Fraction(per_item)  # exact: a Decimal quotient may not terminate
    reach = -(-ratio.numerator // ratio.denominator)
    edges = sorted({max(0, reach + d) for d in (-1, 0, 1)})
    return st.one_of(st.sampled_from(edges), small)


@dataclass(frozen=True)
class GroupCase:
    """A ruleset (as data) with group bands, and an assessment (as data) of it.

    ``target`` is the index the assessment was built to reach before rounding, and ``on`` says
    which boundary it sits on: ``"minimum"``, ``"tie"`` (a rounding tie at the ruleset's places),
    ``"beside"`` (one quantum from a minimum) or ``"between"``.
    """

    ruleset: dict[str, Any]
    assessment: dict[str, Any]
    target: Decimal
    on: str


_MAXIMA = [Decimal(m) for m in ("100", "40", "60", "8", "250", "12.5")]


@st.composite
def group_cases(draw: st.DrawFn) -> GroupCase:
    """A two-leaf points ruleset with 1–5 group bands (any of them exclusive, in either order) and
    an assessment whose exact index is on a band minimum a quarter of the time, on a rounding tie
    a quarter, beside a minimum a quarter, and anywhere in 0–100 otherwise."""
    places = draw(st.sampled_from([0, 1, 2, 3]))
    mode = draw(st.sampled_from(["half_up", "half_even", "down", "up"]))
    n = draw(st.integers(1, 5))
    mins = [Decimal(0), *(Decimal(c).scaleb(-2) for c in band_cents(draw, n - 1))]
    bands: list[dict[str, Any]] = []
    for i, lo in enumerate(mins):
        band: dict[str, Any] = {"label": "ABCDE"[len(mins) - 1 - i], "min": lo}
        if i > 0 and draw(st.booleans()):
            band["min_inclusive"] = False
        bands.append(band)
    if draw(st.booleans()):
        bands.reverse()
    maximum = draw(st.sampled_from(_MAXIMA))
    first = _X.multiply(
        maximum, draw(st.sampled_from([Decimal("0.5"), Decimal("0.3"), Decimal(1)]))
    )
    second = _X.subtract(maximum, first)
    q = Decimal(1).scaleb(-places)
    kind = draw(st.sampled_from(["minimum", "tie", "beside", "between"]))
    if kind == "minimum":
        target = draw(st.sampled_from(mins))
    elif kind == "tie":
        k = draw(st.integers(0, int(_X.divide(Decimal(100), q)) - 1))
        target = _X.multiply(_X.add(Decimal(k), Decimal("0.5")), q)
    elif kind == "beside":
        target = _X.add(draw(st.sampled_from(mins)), draw(st.sampled_from([-q, q])))
        target = min(max(target, Decimal(0)), Decimal(100))
    else:
        target = Decimal(draw(st.integers(0, 10000))).scaleb(-2)
    total = _X.divide(_X.multiply(target, maximum), Decimal(100))  # exact: maxima are short
    p1 = min(total, first)
    inputs: dict[str, Any] = {"1": {"points": p1}}
    nodes: list[dict[str, Any]] = [
        {"code": "1", "title": "first", "maximum": first, "rule": {"kind": "points"}}
    ]
    if second > 0:
        nodes.append(
            {"code": "2", "title": "second", "maximum": second, "rule": {"kind": "points"}}
        )
        inputs["2"] = {"points": _X.subtract(total, p1)}
    ruleset = {
        "id": "boundary.groups",
        "version": "1",
        "years": [2024],
        "unit_kind": "province",
        "source": {"document": "generated at the boundaries"},
        "maximum": maximum,
        "rounding": {"places": places, "mode": mode},
        "groups": bands,
        "nodes": nodes,
    }
    assessment = {"ruleset": "boundary.groups", "year": 2024, "unit": "u1", "inputs": inputs}
    return GroupCase(ruleset, assessment, target, kind)


__all__ = ["GroupCase", "band_cents", "count_edges", "group_cases", "on_or_between"]
