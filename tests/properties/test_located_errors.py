"""Rulesets the format forbids are refused with a typed, located error (file, line, node code),
never a raw TypeError or AssertionError from deep inside a rule; and fields that must be absent
from a score card are absent.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from parindex import api
from parindex.model.errors import RuleError, SchemaError

HEAD = """id: x.located
version: "1"
years: [2024]
unit_kind: province
source: {document: hand-written}
nodes:
  - code: "1"
    title: first
    maximum: 2
    rule: {kind: points}
  - code: "2"
    title: second
"""
# the second node's fields start on line 13 (after the 12 lines above)


@pytest.mark.parametrize(
    ("fields", "error", "line", "message"),
    [
        ("    rule: {kind: deduction, per_violation: 1}\n", RuleError, 13,
         "a 'deduction' rule needs the node's maximum, which is not given"),
        ("    rule: {kind: survey_scale, levels: 5}\n", RuleError, 13,
         "a 'survey_scale' rule needs the node's maximum, which is not given"),
        ("    rule: {kind: percent_points}\n", RuleError, 13,
         "a 'percent_points' rule needs the node's maximum, which is not given"),
        ("    rule: {kind: proportional, target: 5}\n", RuleError, 13,
         "a 'proportional' rule needs the node's maximum, which is not given"),
        ("    rule: {kind: count, per_item: 1}\n", RuleError, 13,
         "a count rule needs a cap or the node's maximum"),
        ("    maximum: 3\n    minimum: 5\n    rule: {kind: points}\n", RuleError, 14,
         "minimum 5 is above the maximum 3"),
        ("    maximum: 3\n    rule: {kind: choice, options: {}}\n", SchemaError, 14, "options"),
        ("    maximum: 3\n    rule: {kind: tiers, bands: []}\n", SchemaError, 14, "bands"),
    ],
)  # fmt: skip
def test_forbidden_rules_are_located(
    tmp_path: Path, fields: str, error: type[Exception], line: int, message: str
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(HEAD + fields, encoding="utf-8")
    with pytest.raises(error) as err:
        api.load_ruleset(path)
    assert err.value.file == str(path)  # type: ignore[attr-defined]
    assert err.value.code == "2"  # type: ignore[attr-defined]
    assert err.value.line == line  # type: ignore[attr-defined]
    assert message in str(err.value)


def test_absent_fields_stay_absent() -> None:
    ruleset = api.load_ruleset(
        {
            "id": "x.absent", "version": "1", "years": [2024], "unit_kind": "province",
            "source": {"document": "d"}, "status": "confirmed", "maximum": 2,
            "nodes": [{"code": "1", "title": "a", "maximum": 2, "rule": {"kind": "points"}}],
        }
    )  # fmt: skip
    a = api.load_assessment(
        {"ruleset": "x.absent", "year": 2024, "unit": "u", "inputs": {"1": {"points": 1}}}
    )
    card = api.score(a, ruleset)
    assert card.total == Decimal(1) and card.index == Decimal(50)
    # no stages were given: no self-assessed or appraised totals, no changes
    assert (card.self_total, card.appraised_total, card.changes) == (None, None, 0)
    assert card.node("1").self_points is None
    # a confirmed ruleset: nothing unverified
    assert card.unverified is False and card.unverified_codes == ()
    assert card.group is None  # no bands published
    data = json.loads(card.to_json())
    assert data["self_total"] is None and data["appraised_total"] is None
    assert data["unverified"] is False
