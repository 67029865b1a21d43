"""Tests written to kill the mutants that survived tools/mutate.py on the standard rule kinds
(plugins/parindex_core_rules/kinds.py; docs/testing.md, "Mutation score").

Every expected value is worked out by hand from the kind's definition in docs/format.md.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from parindex import api
from parindex.model.errors import ParindexError, TierError


def _ruleset(rule: dict[str, Any], maximum: int | str | None = 4) -> Any:
    node: dict[str, Any] = {"code": "1", "title": "a", "rule": rule}
    if maximum is not None:
        node["maximum"] = maximum
    return api.load_ruleset(
        {"id": "x.kill", "version": "1", "years": [2024], "unit_kind": "province",
         "source": {"document": "d"}, "nodes": [node]}
    )  # fmt: skip


def _points(rule: dict[str, Any], value: dict[str, Any], maximum: int | str | None = 4) -> Any:
    data = {"ruleset": "x.kill", "year": 2024, "unit": "u", "inputs": {"1": value}}
    a = api.load_assessment(data)
    return api.score(a, _ruleset(rule, maximum)).nodes[0].points


def _tier_problem(bands: list[dict[str, Any]], domain: dict[str, Any] | None = None) -> str:
    rule: dict[str, Any] = {"kind": "tiers", "bands": bands}
    if domain is not None:
        rule["domain"] = domain
    with pytest.raises(TierError) as err:
        _ruleset(rule)
    assert err.value.code == "1"
    return str(err.value)


# -- tiers: a table's ends against its domain -----------------------------------------------------


@pytest.mark.parametrize(
    ("bands", "domain", "message"),
    [
        # the first band starts above the domain's lowest measure
        ([{"min": 10, "points": 1}], {"min": 0, "max": 100}, "measures from 0 up to 10"),
        # ... or at it, but leaves it out
        ([{"min": 0, "min_inclusive": False, "points": 1}], {"min": 0}, "measures from 0 up to 0"),
        # no domain: whatever lies below the first band's minimum is uncovered
        ([{"min": 10, "points": 1}], None, "measures below 10"),
        # the same at the top
        ([{"max": 90, "points": 1}], {"min": 0, "max": 100}, "measures from 90 up to 100:"),
        ([{"max": 100, "points": 1}], {"max": 100}, "measures from 100 up to 100:"),
        ([{"max": 90, "points": 1}], None, "measures above 90"),
    ],
)
def test_a_table_that_leaves_an_end_of_its_domain_uncovered_is_refused(
    bands: list[dict[str, Any]], domain: dict[str, Any] | None, message: str
) -> None:
    assert f"gap: no band covers {message}" in _tier_problem(bands, domain)


@pytest.mark.parametrize(
    "bands",
    [
        # both ends on the domain's bounds, included: the table covers [0, 100]
        [{"min": 0, "max": 50, "points": 1}, {"min": 50, "max": 100, "max_inclusive": True,
                                              "points": 2}],
        # the ends beyond the domain (a table written for 0-120 used on 0-100)
        [{"min": -5, "max": 50, "points": 1}, {"min": 50, "max": 120, "points": 2}],
    ],
)  # fmt: skip
def test_a_table_reaching_both_ends_of_its_domain_is_accepted(bands: list[dict[str, Any]]) -> None:
    rule = {"kind": "tiers", "bands": bands, "domain": {"min": 0, "max": 100}}
    assert _points(rule, {"measure": Decimal(0)}) == Decimal(1)
    assert _points(rule, {"measure": Decimal(100)}) == Decimal(2)


# -- tiers: neighbouring bands --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        # an unbounded band followed by another: the first has no maximum
        ([{"points": 1}, {"min": 5, "points": 2}], "bands (-∞, +∞) and [5, +∞) overlap"),
        # two bands open below: the second has no minimum
        ([{"max": 5, "points": 1}, {"max": 10, "max_inclusive": True, "points": 2}],
         "bands (-∞, 5) and (-∞, 10] overlap"),
        # touching at 5, both including it
        ([{"max": 5, "max_inclusive": True, "points": 1}, {"min": 5, "points": 2}],
         "bands (-∞, 5] and [5, +∞) overlap"),
        # touching at 5, neither including it
        ([{"max": 5, "points": 1}, {"min": 5, "min_inclusive": False, "points": 2}],
         "gap between bands (-∞, 5) and (5, +∞)"),
    ],
)  # fmt: skip
def test_neighbouring_bands_that_overlap_or_leave_a_gap_are_refused(
    bands: list[dict[str, Any]], message: str
) -> None:
    assert message in _tier_problem(bands, {"max": 10})


def test_bands_touching_on_one_side_only_are_accepted() -> None:
    bands = [{"max": 5, "max_inclusive": True, "points": 1},
             {"min": 5, "min_inclusive": False, "points": 2}]  # fmt: skip
    rule = {"kind": "tiers", "bands": bands}
    assert _points(rule, {"measure": Decimal(5)}) == Decimal(1)
    assert _points(rule, {"measure": Decimal("5.01")}) == Decimal(2)


# -- tiers: the domain when scoring ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "inside", "outside", "message"),
    [
        # a domain bounded on one side only: the other side is open
        ({"max": 100}, "-40", "100.5", "measure 100.5 is outside the domain [-∞, 100]"),
        ({"min": 0}, "1000", "-0.5", "measure -0.5 is outside the domain [0, +∞]"),
        # both bounds belong to the domain
        ({"min": 0, "max": 100}, "0", "-0.01", "measure -0.01 is outside the domain [0, 100]"),
        ({"min": 0, "max": 100}, "100", "100.01", "measure 100.01 is outside the domain [0, 100]"),
    ],
)
def test_a_measure_is_checked_against_each_bound_of_the_domain(
    domain: dict[str, Any], inside: str, outside: str, message: str
) -> None:
    rule = {"kind": "tiers", "domain": domain, "bands": [{"max": 50, "points": 1},
                                                         {"min": 50, "points": 2}]}  # fmt: skip
    expected = Decimal(1) if Decimal(inside) < 50 else Decimal(2)
    assert _points(rule, {"measure": Decimal(inside)}) == expected
    with pytest.raises(ParindexError) as err:
        _points(rule, {"measure": Decimal(outside)})
    assert message in str(err.value)
    assert err.value.code == "1"


# -- survey_scale ---------------------------------------------------------------------------------


def test_a_survey_scale_has_at_most_100_levels() -> None:
    rule = {"kind": "survey_scale", "levels": 100}
    # (50.5 − 1) ÷ (100 − 1) = 0.5 of the maximum 4
    assert _points(rule, {"measure": Decimal("50.5")}) == Decimal(2)
    assert _points(rule, {"measure": Decimal(100)}) == Decimal(4)
    with pytest.raises(ParindexError) as err:
        _ruleset({"kind": "survey_scale", "levels": 101})
    assert err.value.code == "1"


# -- tiers: an empty band -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("band", "shown"),
    [
        ({"min": 6, "max": 5}, "[6, 5)"),  # its minimum above its maximum
        ({"min": 5, "max": 5}, "[5, 5)"),  # one point, its maximum left out
        ({"min": 5, "max": 5, "min_inclusive": False, "max_inclusive": True}, "(5, 5]"),
    ],
)
def test_a_band_that_holds_no_measure_is_refused(band: dict[str, Any], shown: str) -> None:
    bands = [{"max": 5, "points": 0}, {**band, "points": 2}, {"min": 5, "points": 1}]
    assert f"band {shown} is empty" in _tier_problem(bands)


def test_a_band_of_one_point_is_accepted() -> None:
    rule = {"kind": "tiers", "bands": [
        {"max": 5, "points": 0},
        {"min": 5, "max": 5, "max_inclusive": True, "points": 2},
        {"min": 5, "min_inclusive": False, "points": 1},
    ]}  # fmt: skip
    assert _points(rule, {"measure": Decimal("4.99")}) == Decimal(0)
    assert _points(rule, {"measure": Decimal(5)}) == Decimal(2)
    assert _points(rule, {"measure": Decimal("5.01")}) == Decimal(1)


# -- the batch kernel a kind compiles to ----------------------------------------------------------


def test_percent_points_compiles_to_a_kernel_accepting_0_to_its_scale() -> None:
    rule = _ruleset({"kind": "percent_points", "scale": 50}).nodes[0].rule
    kernel = rule.compile(Fraction(4), Fraction(0))
    assert kernel.input_range() == (Fraction(0), Fraction(50))
    one, exact = kernel.scalar()
    assert exact  # 50 = 2 × 5²: the engine's division terminates
    # 0.5 ÷ 50 × 4 = 0.04; the lowest and highest percentages are accepted, beyond them not
    assert Fraction(*one(Decimal("0.5"))) == Fraction(1, 25)
    assert Fraction(*one(Decimal(0))) == 0
    assert Fraction(*one(Decimal(50))) == 4
    assert one(Decimal("-0.01")) is None
    assert one(Decimal("50.01")) is None


def test_bands_are_checked_in_order_of_their_minima_inclusive_first() -> None:
    # declared out of order: the one-point band [5, 5] last, after (5, +∞) that starts at the
    # same value but excludes it; sorted, [5, 5] comes first and the table has no gap or overlap
    rule = {"kind": "tiers", "bands": [
        {"min": 5, "min_inclusive": False, "points": 1},
        {"max": 5, "points": 0},
        {"min": 5, "max": 5, "max_inclusive": True, "points": 2},
    ]}  # fmt: skip
    assert _points(rule, {"measure": Decimal(5)}) == Decimal(2)
    assert _points(rule, {"measure": Decimal(6)}) == Decimal(1)
    assert _ruleset(rule).nodes[0].rule.describe() == (
        "tiers: (-∞, 5) → 0; [5, 5] → 2; (5, +∞) → 1"
    )
