"""Hand-computed cases that sit exactly on a boundary, checked on all three scoring paths.

Each expectation below is worked out by hand from docs/format.md: a group band with
``min_inclusive: false`` does not contain its own minimum; ``half_up`` and ``half_even`` differ
only on an exact tie; a tier table's bands may be listed in any order.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from parindex import api
from parindex.model.documents import Ruleset
from parindex.scoring import engine
from parindex.scoring.fast import score_assessments, score_batch
from parindex.scoring.fast.scalar import score_one
from parindex_core_rules.kinds import PointsRule


def _ruleset(
    *,
    places: int = 2,
    mode: str = "half_up",
    groups: list[dict[str, Any]] | None = None,
    nodes: list[dict[str, Any]] | None = None,
) -> Ruleset:
    data: dict[str, Any] = {
        "id": "hand.boundary",
        "version": "1",
        "years": [2024],
        "unit_kind": "province",
        "source": {"document": "hand-written"},
        "maximum": 100,
        "rounding": {"places": places, "mode": mode},
        "nodes": nodes
        or [{"code": "1", "title": "all", "maximum": 100, "rule": {"kind": "points"}}],
    }
    if groups is not None:
        data["groups"] = groups
    return api.load_ruleset(data)


def _assessment(inputs: dict[str, Any], unit: str = "u1") -> Any:
    return api.load_assessment(
        {"ruleset": "hand.boundary", "year": 2024, "unit": unit, "inputs": inputs}
    )


def _three_paths(ruleset: Ruleset, points: str) -> list[tuple[Decimal, Decimal | None, str | None]]:
    """(total, index, group) from the engine, the scalar path, and both batch entry points."""
    a = _assessment({"1": {"points": Decimal(points)}})
    card = engine.score(ruleset, a, PointsRule)
    one = score_one(ruleset, a)
    many = score_assessments(ruleset, [a])
    arrays = score_batch(ruleset, {"1": np.asarray([float(points)])}, kinds={"1": "points"})
    return [
        (card.total, card.index, card.group),
        (one.total, one.index, one.group),
        (many.total(0), many.index(0), many.group(0)),
        (arrays.total(0), arrays.index(0), arrays.group(0)),
    ]


# C from 0, B from 50 *exclusive*, A from 80 (inclusive, the default).
EXCLUSIVE = [
    {"label": "C", "min": 0},
    {"label": "B", "min": 50, "min_inclusive": False},
    {"label": "A", "min": 80},
]


@pytest.mark.parametrize(
    ("points", "group"),
    [
        ("50", "C"),  # on B's exclusive minimum: not B, so the band below
        ("50.01", "B"),  # one quantum (2 places) above it
        ("49.99", "C"),
        ("80", "A"),  # on an inclusive minimum: that band
        ("79.99", "B"),
        ("0", "C"),
    ],
)
def test_exclusive_group_minimum_on_every_path(points: str, group: str) -> None:
    ruleset = _ruleset(groups=EXCLUSIVE)
    expected = (Decimal(points), Decimal(points), group)  # maximum 100: index = points
    for got in _three_paths(ruleset, points):
        assert got == expected


def test_exclusive_minimum_reached_only_after_rounding() -> None:
    # One place: 50.04 rounds to an index of 50.0, which B (from 50, exclusive) does not
    # contain; 50.05 rounds half-up to 50.1, which it does.
    ruleset = _ruleset(places=1, groups=EXCLUSIVE)
    assert {g for _, _, g in _three_paths(ruleset, "50.04")} == {"C"}
    assert {g for _, _, g in _three_paths(ruleset, "50.05")} == {"B"}


def test_exclusive_minimum_in_reversed_band_list() -> None:
    ruleset = _ruleset(groups=list(reversed(EXCLUSIVE)))
    assert {g for _, _, g in _three_paths(ruleset, "50")} == {"C"}
    assert {g for _, _, g in _three_paths(ruleset, "50.01")} == {"B"}


@pytest.mark.parametrize(
    ("mode", "points", "rounded"),
    [
        ("half_up", "12.25", "12.3"),  # a tie goes away from zero
        ("half_even", "12.25", "12.2"),  # a tie goes to the even digit (2)
        ("half_up", "12.35", "12.4"),
        ("half_even", "12.35", "12.4"),  # 3 is odd: up to 4
        ("half_up", "12.24", "12.2"),  # not a tie: both modes agree
        ("half_even", "12.26", "12.3"),
        ("down", "12.29", "12.2"),
        ("up", "12.21", "12.3"),
    ],
)
def test_rounding_mode_at_a_tie(mode: str, points: str, rounded: str) -> None:
    ruleset = _ruleset(places=1, mode=mode)
    for total, index, _ in _three_paths(ruleset, points):
        assert total == Decimal(rounded)
        assert index == Decimal(rounded)


def test_tie_reached_through_the_index_division() -> None:
    # Maximum 40: 4.9 points is an index of 12.25 exactly, a tie at one place.
    nodes = [
        {"code": "1", "title": "a", "maximum": 40, "rule": {"kind": "points"}},
        {"code": "2", "title": "b", "maximum": 60, "not_applicable": "exclude"},
    ]
    for mode, rounded in (("half_up", "12.3"), ("half_even", "12.2")):
        ruleset = _ruleset(places=1, mode=mode, nodes=nodes)
        a = _assessment({"1": {"points": Decimal("4.9")}, "2": {"not_applicable": True}})
        card = engine.score(ruleset, a, PointsRule)
        assert card.index == Decimal(rounded)
        assert score_one(ruleset, a).index == Decimal(rounded)
        assert score_assessments(ruleset, [a]).index(0) == Decimal(rounded)


LOW_TO_HIGH = {
    "kind": "tiers",
    "domain": {"min": 0, "max": 100},
    "bands": [  # listed from the lowest measures up (fixtures elsewhere list them high to low)
        {"max": 50, "points": 0},
        {"min": 50, "max": 80, "points": 1},
        {"min": 80, "max": 100, "max_inclusive": True, "points": 3},
    ],
}


@pytest.mark.parametrize(
    ("measure", "points"),
    [
        ("90", "3"),  # inside [80, 100]: the top band's 3 points
        ("100", "3"),  # its inclusive upper end
        ("80", "3"),  # 80 opens the top band ([80, …)); the middle band stops before it
        ("79.99", "1"),
        ("50", "1"),
        ("49.99", "0"),
        ("0", "0"),
    ],
)
def test_tiers_listed_low_to_high(measure: str, points: str) -> None:
    nodes = [{"code": "1", "title": "t", "maximum": 3, "rule": LOW_TO_HIGH}]
    data = {
        "id": "hand.boundary",
        "version": "1",
        "years": [2024],
        "unit_kind": "province",
        "source": {"document": "hand-written"},
        "maximum": 3,
        "nodes": nodes,
    }
    ruleset = api.load_ruleset(data)
    a = _assessment({"1": {"measure": Decimal(measure)}})
    card = engine.score(ruleset, a, PointsRule)
    assert card.node("1").points == Decimal(points)
    assert card.total == Decimal(points)
    assert score_one(ruleset, a).total == Decimal(points)
    assert score_assessments(ruleset, [a]).total(0) == Decimal(points)
    arrays = score_batch(ruleset, {"1": np.asarray([float(measure)])})
    assert arrays.total(0) == Decimal(points)
