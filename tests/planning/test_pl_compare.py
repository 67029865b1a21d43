"""Compare: per-node deltas, with the nodes whose rules changed flagged."""

from __future__ import annotations

import pytest
from pl_helpers import RS_2020, RS_2021, D, example_cards

from parindex.analysis.planning.compare import NodeDelta, code_key, compare, compare_stages
from parindex.analysis.planning.errors import PlanningError
from parindex.analysis.planning.inputs import load_rulesets
from parindex.model.documents import ScoreCard


@pytest.fixture(scope="module")
def years() -> tuple[ScoreCard, ScoreCard]:
    a, b = example_cards("lang-son-2020.yaml", "lang-son-2021.yaml", rulesets=(RS_2020, RS_2021))
    return a, b


def row(rows: tuple[NodeDelta, ...], code: str) -> NodeDelta:
    return next(r for r in rows if r.code == code)


def test_two_years_with_rulesets_at_hand(years: tuple[ScoreCard, ScoreCard]) -> None:
    a, b = years
    cmp = compare(a, b, load_rulesets([RS_2020, RS_2021]))
    assert "compared node by node" in cmp.rule_basis
    assert cmp.total_delta == D("2.71")  # 87.11 − 84.40
    # 3.4.1: 96 % both years; 2 under the 2020 tiers (≥ 95), 1 under 2021's (≥ 98): a rule change
    r = row(cmp.rows, "3.4.1")
    assert (r.points_a, r.points_b, r.delta, r.rules_changed) == (D("2"), D("1"), D("-1"), True)
    assert any("≥ 98%" in c for c in r.changes)
    # 1.1: on time → late under the same rule: a real drop, not flagged
    r = row(cmp.rows, "1.1")
    assert (r.delta, r.rules_changed) == (D("-1"), False)
    # 6.1 gained a child; 6.1.3 is new; 7.1.9 proportional → tiers
    assert row(cmp.rows, "6.1.3").points_a is None and row(cmp.rows, "6.1.3").rules_changed
    assert row(cmp.rows, "6.1.1").rules_changed is True  # maximum 1.5 → 1
    assert row(cmp.rows, "7.1.9").rules_changed is True
    assert row(cmp.rows, "7").rules_changed is True  # a rule below it changed
    assert row(cmp.rows, "2").rules_changed is False
    # nodes that lost points: 1, 1.1, 3.4.1, 5.3, 5.3.1, 6.1.2; of them 3.4.1 and 6.1.2 flagged
    assert any("6 node(s) lost points; 2 of them" in n and "3.4.1, 6.1.2" in n for n in cmp.notes)


def test_without_the_rulesets_the_cards_are_compared(years: tuple[ScoreCard, ScoreCard]) -> None:
    a, b = years
    cmp = compare(a, b)  # example.province is in no plugin
    assert "score cards only" in cmp.rule_basis
    assert row(cmp.rows, "3.4.1").rules_changed is True  # both rule-scored: descriptions differ
    assert row(cmp.rows, "6.1.2").rules_changed is True  # maximum 1.5 → 1
    # 3.1 has no rule and was given points in both: the cards do not show how it is scored
    assert row(cmp.rows, "3.1").rules_changed is None
    assert row(cmp.rows, "2").rules_changed is None  # field 2 given directly (10) in both
    assert row(cmp.rows, "1.2").rules_changed is False  # same 'points' rule shown in both
    assert row(cmp.rows, "1.1").rules_changed is False  # same choice rule in both cards


def test_same_ruleset_no_rule_changes(years: tuple[ScoreCard, ScoreCard]) -> None:
    _, b = years
    cmp = compare(b, b)
    assert cmp.same_rules and all(r.rules_changed is False for r in cmp.rows)
    assert all(r.delta == 0 for r in cmp.rows if r.delta is not None)


def test_ranks_from_batches() -> None:
    cards = example_cards("yen-bai-2021.yaml", "par-2021-synthetic.csv")
    yb = cards[0]
    cmp = compare(yb, yb, batch_a=cards, batch_b=cards)
    assert (cmp.a.rank, cmp.a.of) == (25, 63)


def test_self_assessed_against_appraised(years: tuple[ScoreCard, ScoreCard]) -> None:
    _, b = years
    cmp = compare_stages(b)
    # 3.4.1 self-assessed 98 % → 2, appraised 96 % → 1; totals 88.11 → 87.11
    assert (cmp.a.total, cmp.b.total) == (D("88.11"), D("87.11"))
    changed = [(r.code, r.delta) for r in cmp.rows if r.delta]
    assert changed == [("3", D("-1")), ("3.4", D("-1")), ("3.4.1", D("-1"))]
    with pytest.raises(PlanningError, match="no self-assessed"):
        compare_stages(years[0])


def test_code_order_is_natural() -> None:
    codes = ["1.10", "1.2", "D10", "D2", "appraisal", "1"]
    assert sorted(codes, key=code_key) == ["1", "1.2", "1.10", "D2", "D10", "appraisal"]
