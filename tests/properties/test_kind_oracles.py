"""Each standard rule kind against a reference written from its definition, in exact fractions.

The references below restate docs/format.md and the kinds' docstrings
(plugins/parindex_core_rules/kinds.py); they share no code with the kinds. Inputs are drawn on the
kind's boundaries (band edges, the target, the ends of a scale, the count where a cap or the zero
floor is reached) as often as between them. For each draw the engine's points for the node must
equal the reference (to the engine's 34 significant digits where the exact value does not
terminate), an input the reference rejects must be refused with a located error, and the scalar
and batch paths must give the engine's rounded total.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import oracle
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex import api
from parindex.model.errors import ParindexError
from parindex.scoring import engine
from parindex.scoring.fast import score_assessments
from parindex.scoring.fast.scalar import score_one
from parindex.testing.boundaries import count_edges, on_or_between
from parindex_core_rules.kinds import PointsRule

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

F = Fraction
Case = tuple[dict[str, Any], Decimal, dict[str, Any], "Fraction | None"]


def _dec(k: int, places: int = 2) -> Decimal:
    return Decimal(k).scaleb(-places)


# ---------------------------------------------------------------- the references, one per kind
def ref_points(step: Decimal | None, value: Decimal, maximum: Decimal) -> Fraction | None:
    if step is not None and F(value) % F(step) != 0:
        return None
    return F(value)


def ref_tiers(bands: list[dict[str, Any]], x: Decimal) -> Fraction | None:
    for b in bands:
        lo, hi = b.get("min"), b.get("max")
        if lo is not None and (x < lo or (x == lo and not b.get("min_inclusive", True))):
            continue
        if hi is not None and (x > hi or (x == hi and not b.get("max_inclusive", False))):
            continue
        return F(b["points"])
    return None


def ref_proportional(target: Decimal, x: Decimal, maximum: Decimal) -> Fraction:
    return min(max(F(x) / F(target), F(0)), F(1)) * F(maximum)


def ref_count(per: Decimal, cap: Decimal | None, n: int, maximum: Decimal) -> Fraction:
    return min(n * F(per), F(cap if cap is not None else maximum))


def ref_deduction(per: Decimal, n: int, maximum: Decimal) -> Fraction:
    return max(F(maximum) - n * F(per), F(0))


def ref_survey(levels: int, lowest: int, x: Decimal, maximum: Decimal) -> Fraction | None:
    if not lowest <= x <= levels:
        return None
    return (F(x) - lowest) / (levels - lowest) * F(maximum)


def ref_percent(scale: Decimal, x: Decimal, maximum: Decimal) -> Fraction | None:
    if not 0 <= x <= scale:
        return None
    return F(x) / F(scale) * F(maximum)


# ---------------------------------------------------------------- generated rules and inputs
MAXIMA = st.sampled_from([Decimal(m) for m in ("10", "3", "7.5", "20", "1", "100")])


@st.composite
def points_cases(draw: st.DrawFn) -> Case:
    maximum = draw(MAXIMA)
    step = draw(st.sampled_from([None, Decimal("0.5"), Decimal("0.25"), Decimal(1)]))
    value = draw(on_or_between([Decimal(0), maximum], Decimal(0), maximum, 2))
    rule: dict[str, Any] = {"kind": "points"} | ({"step": step} if step else {})
    return rule, maximum, {"points": value}, ref_points(step, value, maximum)


@st.composite
def tiers_cases(draw: st.DrawFn) -> Case:
    maximum = draw(MAXIMA)
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=1, max_size=4)))
    edges = [Decimal(0), *(Decimal(c) for c in cuts), Decimal(100)]
    bands = []
    for i in range(len(edges) - 1):
        low_keeps = draw(st.booleans())  # does the band below keep the shared edge?
        band: dict[str, Any] = {
            "points": _dec(draw(st.integers(0, int(maximum * 100)))),
            "min": edges[i],
            "max": edges[i + 1],
            "max_inclusive": low_keeps if i + 1 < len(edges) - 1 else True,
        }
        bands.append(band)
    for i in range(1, len(bands)):
        bands[i]["min_inclusive"] = not bands[i - 1]["max_inclusive"]
    order = draw(st.sampled_from(["low-to-high", "high-to-low", "shuffled"]))
    if order == "high-to-low":
        bands.reverse()
    elif order == "shuffled":
        bands = draw(st.permutations(bands))
    x = draw(on_or_between(edges, Decimal(0), Decimal(100), 2))
    rule = {"kind": "tiers", "domain": {"min": 0, "max": 100}, "bands": bands}
    return rule, maximum, {"measure": x}, ref_tiers(bands, x)


@st.composite
def proportional_cases(draw: st.DrawFn) -> Case:
    maximum = draw(MAXIMA)
    target = _dec(draw(st.integers(1, 20000)))
    x = draw(on_or_between([Decimal(0), target], -target, target * 2, 2))
    rule = {"kind": "proportional", "target": target}
    return rule, maximum, {"measure": x}, ref_proportional(target, x, maximum)


@st.composite
def count_cases(draw: st.DrawFn) -> Case:
    maximum = draw(MAXIMA)
    per = _dec(draw(st.integers(1, 500)))
    cap = draw(st.one_of(st.none(), st.integers(0, int(maximum * 100)).map(_dec)))
    n = draw(count_edges(per, cap if cap is not None else maximum))
    rule: dict[str, Any] = {"kind": "count", "per_item": per} | (
        {"cap": cap} if cap is not None else {}
    )
    return rule, maximum, {"count": n}, ref_count(per, cap, n, maximum)


@st.composite
def deduction_cases(draw: st.DrawFn) -> Case:
    maximum = draw(MAXIMA)
    per = _dec(draw(st.integers(1, 500)))
    n = draw(count_edges(per, maximum))
    rule = {"kind": "deduction", "per_violation": per}
    return rule, maximum, {"count": n}, ref_deduction(per, n, maximum)


@st.composite
def survey_cases(draw: st.DrawFn) -> Case:
    maximum = draw(MAXIMA)
    lowest = draw(st.integers(0, 3))
    levels = draw(st.integers(max(2, lowest + 1), 10))
    ends = [Decimal(lowest), Decimal(levels)]
    x = draw(on_or_between(ends, Decimal(lowest - 1), Decimal(levels + 1), 2))
    rule = {"kind": "survey_scale", "levels": levels, "lowest": lowest}
    return rule, maximum, {"measure": x}, ref_survey(levels, lowest, x, maximum)


@st.composite
def percent_cases(draw: st.DrawFn) -> Case:
    maximum = draw(MAXIMA)
    scale = draw(st.sampled_from([Decimal(100), Decimal(1), Decimal(30), Decimal("12.5")]))
    x = draw(on_or_between([Decimal(0), scale], -scale / 10, scale * Decimal("1.1"), 2))
    rule: dict[str, Any] = {"kind": "percent_points"}
    if scale != 100 or draw(st.booleans()):
        rule["scale"] = scale
    return rule, maximum, {"measure": x}, ref_percent(scale, x, maximum)


@st.composite
def choice_cases(draw: st.DrawFn) -> Case:
    maximum = draw(MAXIMA)
    keys = draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=5, unique=True))
    options = {k: _dec(draw(st.integers(0, int(maximum * 100)))) for k in keys}
    key = draw(st.one_of(st.sampled_from(keys), st.sampled_from("xyz")))
    return (
        {"kind": "choice", "options": options},
        maximum,
        {"choice": key},
        (F(options[key]) if key in options else None),
    )


KINDS = {
    "points": points_cases(),
    "choice": choice_cases(),
    "tiers": tiers_cases(),
    "proportional": proportional_cases(),
    "count": count_cases(),
    "deduction": deduction_cases(),
    "survey_scale": survey_cases(),
    "percent_points": percent_cases(),
}


def _terminates(x: Fraction) -> bool:
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _agrees(got: Decimal, exact: Fraction, rule: dict[str, Any], value: dict[str, Any]) -> bool:
    """Exact equality when the kind's one division terminates (or it makes none), else within
    the engine's 34 significant digits, its stated precision for a quotient (the product that
    follows is rounded once more: ``0.01 ÷ 30 × 3`` is 0.000999…9, not 0.001)."""
    x = value.get("measure")
    divisor = {
        "proportional": lambda: F(rule["target"]),
        "survey_scale": lambda: F(rule["levels"] - rule.get("lowest", 1)),
        "percent_points": lambda: F(rule.get("scale", 100)),
    }.get(rule["kind"])
    if divisor is None or x is None:
        return F(got) == exact
    quotient = (F(x) - (rule.get("lowest", 1) if rule["kind"] == "survey_scale" else 0)) / divisor()
    if _terminates(quotient):
        return F(got) == exact
    return abs(F(got) - exact) <= abs(exact) * F(2, 10**33)


def _single(rule: dict[str, Any], maximum: Decimal) -> dict[str, Any]:
    return {
        "id": "oracle.kind",
        "version": "1",
        "years": [2024],
        "unit_kind": "province",
        "source": {"document": "generated"},
        "maximum": maximum,
        "rounding": {"places": 2, "mode": "half_up"},
        "nodes": [{"code": "1", "title": "leaf", "maximum": maximum, "rule": rule}],
    }


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_matches_its_reference(kind: str) -> None:
    @SETTINGS
    @given(KINDS[kind])
    def check(case: Case) -> None:
        rule, maximum, value, expected = case
        try:
            ruleset = api.load_ruleset(_single(rule, maximum))
        except ParindexError:
            # a band (or option) worth more than the maximum is a ruleset error, not a score
            assert kind in ("tiers", "choice", "count")
            return check_refused_ruleset(rule, maximum)
        a = api.load_assessment(
            {"ruleset": "oracle.kind", "year": 2024, "unit": "u", "inputs": {"1": value}}
        )
        if expected is not None and expected > maximum:
            expected = None  # the node's own bound refuses it
        if expected is None:
            with pytest.raises(ParindexError) as err:
                engine.score(ruleset, a, PointsRule)
            assert err.value.code == "1"
            with pytest.raises(ParindexError):
                score_one(ruleset, a)
            return
        card = engine.score(ruleset, a, PointsRule)
        got = card.node("1").points
        assert got is not None and _agrees(got, expected, rule, value), (got, expected)
        assert F(card.total) == oracle.round_fraction(F(got), 2, "half_up")
        assert score_one(ruleset, a).total == card.total
        assert score_assessments(ruleset, [a]).total(0) == card.total

    check()


def check_refused_ruleset(rule: dict[str, Any], maximum: Decimal) -> None:
    """A ruleset the loader refused must really break the format's rules."""
    if rule["kind"] == "tiers":
        assert max(F(b["points"]) for b in rule["bands"]) > maximum
    elif rule["kind"] == "choice":
        assert max(rule["options"].values()) > maximum
    else:
        assert rule["cap"] > maximum
