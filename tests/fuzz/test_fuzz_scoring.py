"""Fuzzing the scorer: generated valid rulesets scored with arbitrary (mostly plausible) inputs.

Only a ParindexError may escape; when a score card is produced it must be consistent: the total
within 0 and the maximum, the index within 0-100, every node within its maximum.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fuzz_make import fuzz
from fuzz_strategies import mutated, nasty_text, numbers, values
from hypothesis import strategies as st

import parindex_core_rules
from parindex.io.loading import assessment_from_data, ruleset_from_data
from parindex.io.registry import Registry
from parindex.model.documents import Ruleset
from parindex.model.errors import ParindexError
from parindex.scoring import engine
from parindex.testing.strategies import assessments, ruleset_data

REG = Registry([parindex_core_rules], entry_points=False)
KINDS = REG.rule_kinds
POINTS = KINDS["points"]


def _plausible_value(ruleset: Ruleset, code: str) -> st.SearchStrategy[Any]:
    found = ruleset.find(code)
    node = found[1] if found else None
    top = node.maximum if node is not None and node.maximum is not None else Decimal(10)
    near = st.decimals(min_value=-1, max_value=top + 1, places=2)
    options = list(getattr(getattr(node, "rule", None), "options", {}) or {}) or ["x"]
    one = st.one_of(
        near,
        near.map(str),
        st.fixed_dictionaries({"points": near}),
        st.fixed_dictionaries({"measure": st.one_of(st.decimals(-10, 200, places=3), nasty_text)}),
        st.fixed_dictionaries({"choice": st.one_of(st.sampled_from(options), st.text(max_size=4))}),
        st.fixed_dictionaries({"count": st.one_of(st.integers(-2, 50), numbers)}),
        st.sampled_from(["n/a", "not_applicable", {"not_applicable": True}]),
        numbers,
        nasty_text,
        values,
    )
    staged = st.fixed_dictionaries(
        {"self": one, "appraised": one}, optional={"reason": st.text(max_size=5)}
    ).map(lambda d: {k: v for k, v in d.items()})
    return st.one_of(one, one, one, staged)


@st.composite
def scored(draw: st.DrawFn) -> tuple[Ruleset, dict[str, Any]]:
    """A valid generated ruleset, and an assessment for it that is valid (a quarter of the time),
    a valid one with one or two changes (half), or inputs drawn near the node's bounds with some
    noise (a quarter)."""
    ruleset = ruleset_from_data(draw(ruleset_data()), KINDS)
    how = draw(st.sampled_from(["valid", "mutated", "mutated", "plausible"]))
    if how != "plausible":
        valid = draw(assessments(ruleset)).model_dump(mode="json", by_alias=True, exclude_none=True)
        return ruleset, valid if how == "valid" else draw(mutated(valid, max_changes=2))
    view = draw(st.sampled_from(ruleset.view_names))
    codes = [n.code for n in ruleset.iter_nodes(view)]
    chosen = draw(
        st.lists(
            st.one_of(st.sampled_from(codes), st.sampled_from(codes), st.text(max_size=4)),
            max_size=len(codes) + 2,
            unique=True,
        )
    )
    inputs = {c: draw(_plausible_value(ruleset, c)) for c in chosen}
    assessment: dict[str, Any] = {
        "ruleset": draw(st.sampled_from([ruleset.id] * 9 + ["other.id"])),
        "year": draw(st.sampled_from([*ruleset.years * 9, 1999])),
        "unit": "u",
        "inputs": inputs,
        "missing": draw(st.sampled_from(["error", "zero", "zero"])),
    }
    if view != "main" and draw(st.booleans()):
        assessment["view"] = view
    return ruleset, assessment


def _check_card(ruleset: Ruleset, assessment: dict[str, Any]) -> None:
    card = engine.score(ruleset, assessment_from_data(assessment), POINTS)
    assert card.total_exact >= 0 or any(n.minimum is not None for _, n in ruleset.all_nodes())
    if card.maximum is not None:
        assert card.total_exact <= card.maximum, (card.total_exact, card.maximum)
    if card.index is not None:
        assert Decimal(0) <= card.index <= Decimal(100), card.index
    for n in card.nodes:
        if n.points is not None and n.stated_maximum is not None:
            assert n.points <= n.stated_maximum, (n.code, n.points, n.stated_maximum)


@fuzz(scored())
def check_scoring(example: tuple[Ruleset, dict[str, Any]]) -> None:
    _check_card(*example)


test_scoring, test_scoring_long = check_scoring


def test_a_valid_generated_assessment_scores() -> None:
    # the generator is not all noise: the plain base case gives a card
    ruleset = ruleset_from_data(
        {
            "id": "x.y",
            "version": "1",
            "years": [2020],
            "unit_kind": "province",
            "source": {"document": "X"},
            "maximum": 10,
            "nodes": [{"code": "1", "maximum": 10}],
        },
        KINDS,
    )
    try:
        _check_card(ruleset, {"ruleset": "x.y", "year": 2020, "unit": "u", "inputs": {"1": 7}})
    except ParindexError as err:  # pragma: no cover - would be a bug
        raise AssertionError(err) from None
    card = engine.score(
        ruleset,
        assessment_from_data({"ruleset": "x.y", "year": 2020, "unit": "u", "inputs": {"1": 7}}),
        POINTS,
    )
    assert card.total == Decimal("7.00") and card.index == Decimal("70.00")
