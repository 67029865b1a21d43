"""Properties of the per-number tolerance and of derived bounds (issue 13), with hypothesis.

* A row built from exact parts, each published number rounded at its own decimals, always agrees,
  and its tolerance is the sum of the half-units of the numbers it is computed from plus the
  total's own (a whole number is read at the row's finest decimals).
* Moving the published total by more than its tolerance always disagrees.
* A ``derived`` bound never skips a row: the row is computed and every breach is a conflict.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from rp_helpers import MIXED_LEAVES, MIXED_TREE, MIXED_YEAR, half, rounded

from parindex import Registry
from parindex.analysis.reproduce import PublishedRow, reproduce_rows
from parindex.analysis.reproduce.published import parse_row

SETTINGS = settings(max_examples=60, deadline=None)


def _row(cells: dict[str, str], line: int = 2) -> PublishedRow:
    from pathlib import Path

    codes = [c for c in cells if c not in ("ruleset", "year", "unit", "total", "rank", "group")]
    return parse_row(cells, codes, Path("<test>"), line)


@st.composite
def mixed_rows(draw: st.DrawFn) -> tuple[dict[str, str], Decimal, Decimal]:
    """(cells, sum of the published leaves, expected tolerance) of one ``test.mixed`` row."""
    exact: dict[str, Decimal] = {}
    texts: dict[str, str] = {}
    places: dict[str, int | None] = {}  # None: written as a whole number
    for code in MIXED_LEAVES:
        if draw(st.integers(0, 3)) == 0:  # an exact whole number, written "5"
            exact[code] = Decimal(draw(st.integers(0, 40)))
            texts[code], places[code] = str(exact[code]), None
        else:
            exact[code] = Decimal(draw(st.integers(0, 4_000_000_000))).scaleb(-8)
            d = draw(st.integers(1, 6))
            texts[code], places[code] = rounded(exact[code], d), d
    for parent, children in MIXED_TREE.items():
        if children and draw(st.booleans()):  # some intermediate nodes are published too
            d = draw(st.integers(1, 6))
            texts[parent], places[parent] = rounded(sum(exact[c] for c in children), d), d
    d_total = draw(st.integers(1, 4))
    texts["total"], places["total"] = rounded(sum(exact.values()), d_total), d_total
    finest = max(p for p in places.values() if p is not None)
    tolerance = sum(half(finest if places[c] is None else places[c]) for c in MIXED_LEAVES)
    tolerance += half(d_total)  # type: ignore[operator]
    cells = {"ruleset": "test.mixed", "year": str(MIXED_YEAR), "unit": "X", **texts}
    published_sum = sum(Decimal(texts[c]) for c in MIXED_LEAVES)
    return cells, published_sum, Decimal(tolerance)


@SETTINGS
@given(mixed_rows())
def test_rounded_per_number_always_agrees(reg: Registry, case: tuple) -> None:  # type: ignore[type-arg]
    cells, published_sum, tolerance = case
    (r,) = reproduce_rows([_row(cells)], registry=reg).rows
    assert r.status == "agree", (cells, r.diagnosis)
    assert r.computed_total == published_sum
    assert r.tolerance == tolerance
    assert r.within_tolerance is True
    assert all(c.within for c in r.node_checks)
    assert {c.code for c in r.node_checks} == {
        p for p, ch in MIXED_TREE.items() if ch and p in cells
    }


@SETTINGS
@given(mixed_rows(), st.sampled_from([1, -1]), st.integers(0, 3))
def test_total_moved_beyond_its_tolerance_always_disagrees(
    reg: Registry,
    case: tuple,  # type: ignore[type-arg]
    sign: int,
    extra: int,
) -> None:
    cells, published_sum, tolerance = case
    text = cells["total"]
    d = len(text.split(".")[1])
    quantum = Decimal(1).scaleb(-d)
    # beyond the tolerance, on the total's own grid (so its tolerance is unchanged)
    target = published_sum + sign * (tolerance + quantum * (1 + extra))
    moved = target.quantize(quantum, rounding=ROUND_CEILING if sign > 0 else ROUND_FLOOR)
    assert abs(moved - published_sum) > tolerance
    cells = {**cells, "total": format(moved, "f")}
    (r,) = reproduce_rows([_row(cells)], registry=reg).rows
    assert r.tolerance == tolerance
    assert r.status == "disagree" and r.total_within is False
    assert r.diagnosis is not None and r.diagnosis.startswith("total: hypothesis: ")


# ------------------------------------------------------------------------- derived bounds
PAPI_YEAR = 2021


@st.composite
def papi_rows(draw: st.DrawFn, dims: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    cells = {"ruleset": "papi", "year": str(PAPI_YEAR), "unit": "P"}
    for _dim, subs in dims:
        for code in subs:
            cells[code] = rounded(Decimal(draw(st.integers(-1_000_000, 4_000_000))).scaleb(-6), 6)
    if draw(st.booleans()):
        leaves = [Decimal(v) for k, v in cells.items() if "." in k]
        cells["total"] = format(sum(leaves), "f")
    return cells


def _papi_dims(reg: Registry) -> tuple[tuple[str, tuple[str, ...]], ...]:
    rs = reg.get("papi", PAPI_YEAR)
    return tuple((d.code, tuple(c.code for c in d.children)) for d in rs.nodes)


def test_derived_bounds_never_skip_a_row(reg: Registry) -> None:
    dims = _papi_dims(reg)

    @SETTINGS
    @given(papi_rows(dims))
    def check(cells: dict[str, str]) -> None:
        (r,) = reproduce_rows([_row(cells)], registry=reg).rows
        assert r.status != "skipped", r.reason
        assert r.recomputed
        # every breach, found independently: a sub-dimension outside [1/K, 10/K] (K = the number
        # of sub-dimensions of its dimension) or below 0; a dimension outside [1, 10]; total > 80
        expected: set[tuple[str, str | None]] = set()
        total = Decimal(0)
        for dim, subs in dims:
            k = len(subs)
            dim_sum = Decimal(0)
            for code in subs:
                v = Decimal(cells[code])
                dim_sum += v
                if not Fraction(1, k) <= Fraction(v) <= Fraction(10, k):
                    expected.add(("rule", code))
                if v < 0:
                    expected.add(("minimum", code))
            if dim_sum > 10:
                expected.add(("maximum", dim))
            if dim_sum < 1:
                expected.add(("minimum", dim))
            total += dim_sum
        if total > 80:
            expected.add(("total_maximum", None))
        assert {(c.kind, c.node) for c in r.conflicts} == expected
        assert all(c.status == "derived" and not c.rejects for c in r.conflicts)
        assert r.computed_total == total
        assert r.status == "agree"  # nothing but derived bounds is breached

    check()
