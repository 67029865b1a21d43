"""Branches of the core that no test reached when coverage was first measured right
(docs/testing.md, "Coverage"): the standard kinds' own refusals, the kernels they compile to
where no maximum is known, and the structural checks of a ruleset. Expected values by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from parindex import api
from parindex.model.errors import ParindexError
from parindex_core_rules.kinds import (
    CountRule,
    DeductionRule,
    PercentPointsRule,
    ProportionalRule,
    SurveyScaleRule,
    TiersRule,
)

RULESET: dict[str, Any] = {
    "id": "x.branches", "version": "1", "years": [2024], "unit_kind": "province",
    "source": {"document": "d"},
}  # fmt: skip


def _refused(**data: Any) -> ParindexError:
    with pytest.raises(ParindexError) as err:
        api.load_ruleset({**RULESET, **data})
    return err.value


def _leaf(rule: dict[str, Any], maximum: int = 4) -> list[dict[str, Any]]:
    return [{"code": "1", "title": "a", "maximum": maximum, "rule": rule}]


# -- the kinds' own refusals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "choice", "options": {"yes": 1}, "labels": {"no": "never"}},
         "labels for unknown options: no"),
        ({"kind": "choice", "options": {"yes": 1, "no": -1}}, "option points may not be negative"),
        ({"kind": "tiers", "bands": [{"max": 5, "points": 0}, {"min": 5, "points": 5}]},
         "band [5, +∞) gives 5 points, more than the maximum 4"),
    ],
)  # fmt: skip
def test_a_kind_refuses_a_rule_it_cannot_score(rule: dict[str, Any], message: str) -> None:
    err = _refused(nodes=_leaf(rule))
    assert err.code == "1"
    assert message in str(err)


def test_a_measure_rule_refuses_text_and_a_measure_no_band_holds() -> None:
    # the engine checks the input's kind first; a caller of the Rule interface may not
    tiers = TiersRule(bands=({"max": 5, "points": 1},))  # unchecked: nothing from 5 up
    with pytest.raises(ValueError, match="expected a number, got 'five'"):
        tiers.evaluate("five", None)
    with pytest.raises(ValueError, match="no band contains the measure 6"):
        tiers.evaluate(Decimal(6), None)
    assert tiers.evaluate(Decimal("4.5"), None).points == 1


# -- kernels where no maximum is known ------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        ProportionalRule(target=Decimal(10)),
        DeductionRule(per_violation=Decimal(1)),
        SurveyScaleRule(levels=5),
        PercentPointsRule(),
        CountRule(per_item=Decimal(1)),  # no cap either
    ],
)
def test_a_kind_that_needs_a_maximum_compiles_to_no_kernel_without_one(rule: Any) -> None:
    assert rule.compile(None, Fraction(0)) is None
    assert rule.compile(Fraction(4), Fraction(0)) is not None


# -- structural checks of a ruleset ---------------------------------------------------------------


def test_a_view_may_not_be_called_main() -> None:
    err = _refused(
        nodes=[{"code": "1", "title": "a", "maximum": 1}],
        views={"main": {"title": "again", "nodes": [{"code": "m1", "title": "b", "maximum": 1}]}},
    )
    assert "a view may not be called 'main' (that is the node tree)" in str(err)


def test_a_node_has_children_or_a_rule_not_both() -> None:
    err = _refused(nodes=[{"code": "1", "title": "a", "maximum": 2, "rule": {"kind": "points"},
                           "children": [{"code": "1.1", "title": "b", "maximum": 2}]}])  # fmt: skip
    assert err.code == "1"
    assert "a node has either children or a rule, not both" in str(err)


def test_two_group_bands_may_not_share_a_label() -> None:
    err = _refused(
        nodes=[{"code": "1", "title": "a", "maximum": 100}],
        groups=[{"label": "A", "min": 50}, {"label": "A", "min": 0}],
    )
    assert "two bands share a label" in str(err)


# -- the engine's refusals of an assessment -------------------------------------------------------


def _one_leaf(**extra: Any) -> Any:
    return api.load_ruleset({**RULESET, **extra, "nodes": _leaf({"kind": "points"})})


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"view": "parts"}, "ruleset x.branches 1 has no view 'parts'; views: main"),
        ({"year": 2023}, "x.branches version 1 covers 2024, not 2023"),
        ({"version": "2"}, "assessment asks for version '2', ruleset is '1'"),
    ],
)
def test_an_assessment_for_another_view_year_or_version_is_refused(
    extra: dict[str, Any], message: str
) -> None:
    data = {"ruleset": "x.branches", "year": 2024, "unit": "u", "inputs": {"1": {"points": 1}}}
    with pytest.raises(ParindexError) as err:
        api.score(api.load_assessment({**data, **extra}), _one_leaf())
    assert message in str(err.value)


def test_a_total_above_the_stated_maximum_is_refused() -> None:
    # the leaf has no maximum of its own, so only the ruleset's total bounds it
    ruleset = api.load_ruleset({**RULESET, "maximum": 2, "nodes": [{"code": "1", "title": "a"}]})
    data = {"ruleset": "x.branches", "year": 2024, "unit": "u", "inputs": {"1": {"points": 3}}}
    with pytest.raises(ParindexError) as err:
        api.score(api.load_assessment(data), ruleset)
    assert "total 3 is above the maximum 2" in str(err.value)


def test_known_children_maxima_above_the_parents_are_refused() -> None:
    err = _refused(nodes=[{"code": "1", "title": "a", "maximum": 3, "children": [
        {"code": "1.1", "title": "b", "maximum": 2}, {"code": "1.2", "title": "c", "maximum": 2},
        {"code": "1.3", "title": "d"},
    ]}])  # fmt: skip
    assert err.code == "1"
    assert "the known children's maxima add up to 4, more than the node's maximum 3" in str(err)
