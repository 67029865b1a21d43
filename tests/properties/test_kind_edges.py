"""Edges of the standard rule kinds found by mutation testing: each rule's own refusal (not only
the node's bounds), a tier table's best band as the most it can give, and a
survey scale whose lowest answer is not below its levels.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from parindex import api
from parindex.model.errors import ParindexError


def _ruleset(rule: dict[str, Any], maximum: int | None = 4) -> Any:
    node: dict[str, Any] = {"code": "1", "title": "a", "rule": rule}
    if maximum is not None:
        node["maximum"] = maximum
    return api.load_ruleset(
        {"id": "x.kind", "version": "1", "years": [2024], "unit_kind": "province",
         "source": {"document": "d"}, "nodes": [node]}
    )  # fmt: skip


def _score(ruleset: Any, value: dict[str, Any]) -> Any:
    a = api.load_assessment(
        {"ruleset": "x.kind", "year": 2024, "unit": "u", "inputs": {"1": value}}
    )
    return api.score(a, ruleset)


@pytest.mark.parametrize(
    ("rule", "measure", "message"),
    [
        ({"kind": "survey_scale", "levels": 5}, "0.5", "mean answer 0.5 is outside the scale 1–5"),
        ({"kind": "survey_scale", "levels": 5}, "5.5", "mean answer 5.5 is outside the scale 1–5"),
        ({"kind": "percent_points"}, "-1", "percentage -1 is outside 0–100"),
        ({"kind": "percent_points"}, "101", "percentage 101 is outside 0–100"),
    ],
)
def test_the_rule_itself_refuses_a_measure_off_its_scale(
    rule: dict[str, Any], measure: str, message: str
) -> None:
    with pytest.raises(ParindexError) as err:
        _score(_ruleset(rule), {"measure": Decimal(measure)})
    assert message in str(err.value)
    assert err.value.code == "1"


def test_a_tier_table_can_give_its_best_band() -> None:
    # Rule.max_points(): what the rule can give at most, checked against the node's maximum
    bands = [{"max": 50, "points": 0}, {"min": 50, "max": 80, "points": 3},
             {"min": 80, "points": 1}]  # fmt: skip
    rule = _ruleset({"kind": "tiers", "bands": bands}, maximum=3).nodes[0].rule
    assert rule.max_points() == Decimal(3)  # the best band, not the first, last or lowest


def test_a_survey_scale_needs_its_lowest_below_its_levels() -> None:
    with pytest.raises(ParindexError, match="lowest must be below levels"):
        _ruleset({"kind": "survey_scale", "levels": 3, "lowest": 3})
    assert _ruleset({"kind": "survey_scale", "levels": 3, "lowest": 2}) is not None
