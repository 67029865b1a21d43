"""Group bands and rounding at their boundaries: every path against an independent oracle.

``parindex.testing.boundaries.group_cases`` puts the exact index on a band minimum, on a rounding
tie or one quantum beside a minimum three times in four; each path (engine, scalar, batch) must
give the group and index that :mod:`oracle` computes in fractions from docs/format.md.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import oracle
from hypothesis import HealthCheck, given, settings

from parindex import api
from parindex.scoring import engine
from parindex.scoring.fast import score_assessments
from parindex.scoring.fast.scalar import score_one
from parindex.testing.boundaries import GroupCase, group_cases
from parindex_core_rules.kinds import PointsRule

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(group_cases())
def test_every_path_puts_a_boundary_index_in_the_right_group(case: GroupCase) -> None:
    ruleset = api.load_ruleset(case.ruleset)
    a = api.load_assessment(case.assessment)
    rounding = case.ruleset["rounding"]
    index = oracle.round_fraction(Fraction(case.target), rounding["places"], rounding["mode"])
    group = oracle.group_of(index, case.ruleset["groups"])
    card = engine.score(ruleset, a, PointsRule)
    one = score_one(ruleset, a)
    many = score_assessments(ruleset, [a])
    for got_index, got_group in (
        (card.index, card.group),
        (one.index, one.group),
        (many.index(0), many.group(0)),
    ):
        assert got_index is not None and Fraction(got_index) == index
        assert got_group == group


def test_the_strategy_reaches_every_kind_of_boundary() -> None:
    seen: list[GroupCase] = []

    @settings(max_examples=200, deadline=None, database=None)
    @given(group_cases())
    def draw(case: GroupCase) -> None:
        seen.append(case)

    draw()
    on_minimum = [
        c for c in seen if any(Decimal(b["min"]) == c.target for b in c.ruleset["groups"])
    ]
    exclusive = [
        c
        for c in on_minimum
        if any(
            Decimal(b["min"]) == c.target and b.get("min_inclusive") is False
            for b in c.ruleset["groups"]
        )
    ]
    ties = [c for c in seen if c.on == "tie"]
    assert len(on_minimum) >= len(seen) // 5, (len(on_minimum), len(seen))
    assert exclusive, "no generated index sat on an exclusive minimum"
    assert len(ties) >= len(seen) // 8
