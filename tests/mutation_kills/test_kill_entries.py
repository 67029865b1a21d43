"""Tests written to kill the mutants of the entries made on a card's first read
(scoring/entries.py) that survived tools/mutate.py (docs/testing.md, "Mutation score"): a leaf
with no input and a parent must each get their own trace. Every expected value is worked out by
hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex import api

RULESET: dict[str, Any] = {
    "id": "x.entries", "version": "1", "years": [2024], "unit_kind": "province",
    "source": {"document": "d"},
    "nodes": [
        {"code": "1", "title": "field", "children": [
            {"code": "1.1", "title": "a", "maximum": 2},
            {"code": "1.2", "title": "b", "maximum": 3},
        ]},
        {"code": "2", "title": "c", "maximum": 5},
    ],
}  # fmt: skip


def _card(inputs: dict[str, Any]) -> Any:
    data = {"ruleset": "x.entries", "year": 2024, "unit": "u", "inputs": inputs, "missing": "zero"}
    return api.score(api.load_assessment(data), api.load_ruleset(RULESET))


def test_a_missing_leaf_and_a_parent_each_get_their_own_trace() -> None:
    # 1.2 and 2 have no input: scored 0 with the "missing" trace; 1 is the sum of its children
    card = _card({"1.1": 2})
    assert [(n.code, n.trace.how) for n in card.nodes] == [
        ("1", "children"),
        ("1.1", "given"),
        ("1.2", "missing"),
        ("2", "missing"),
    ]
    assert card.node("1.2").trace.detail == "no input: scored 0"
    assert card.node("1").points == Decimal(2) and card.node("1").maximum == Decimal(5)
    assert card.node("1.2").percent == Decimal("0.00")  # 0 of 3
    assert card.node("1").percent == Decimal("40.00")  # 2 of 5
