"""Every branch of ``reproduce.recompute``: the view a row's codes choose, the parts picked from a
three-level tree, the fall-back when parts are missing or the engine refuses them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import ClassVar, Literal

import pytest
from rp_helpers import mixed_ruleset, write

from parindex import Registry, load_ruleset
from parindex.analysis.reproduce import PublishedRow, RowResult, reproduce_file
from parindex.analysis.reproduce.recompute import choose_view, index_of, inputs_under
from parindex.io.plugins import hookimpl
from parindex.model.decimals import to_decimal
from parindex.model.rules import Outcome, Rule


class _Quarters(Rule):
    """A third-party kind: points in quarters of the node's maximum (so it needs the maximum)."""

    kind: Literal["cov_quarters"] = "cov_quarters"
    needs_maximum: ClassVar[bool] = True

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        assert maximum is not None
        points = to_decimal(str(value))
        if points % (maximum / 4):
            raise ValueError(f"points {points} are not a quarter of {maximum}")
        return Outcome(points, None, "quarters")


class _QuartersPlugin:
    @hookimpl
    def parindex_rule_kinds(self) -> list[type[Rule]]:
        return [_Quarters]


def _ruleset(rid: str, nodes: list[dict[str, object]], **extra: object) -> dict[str, object]:
    return {
        "id": rid,
        "version": "1",
        "years": [2001],
        "unit_kind": "province",
        "title": "synthetic",
        "source": {"document": "synthetic test ruleset"},
        "status": "unverified",
        "rounding": {"places": 2, "mode": "half_up"},
        "nodes": nodes,
        **extra,
    }


#: ``cov.deep``: 1 = 1.1 + 1.2, 1.1 = 1.1.1 + 1.1.2, and 2; no maxima.
DEEP = _ruleset(
    "cov.deep",
    [
        {
            "code": "1",
            "title": "one",
            "children": [
                {
                    "code": "1.1",
                    "title": "one one",
                    "children": [{"code": "1.1.1", "title": "a"}, {"code": "1.1.2", "title": "b"}],
                },
                {"code": "1.2", "title": "one two"},
            ],
        },
        {"code": "2", "title": "two"},
    ],
)

#: ``cov.quarters``: K (max 4, points in quarters of it) and L (max 6); total maximum 10.
QUARTERS = _ruleset(
    "cov.quarters",
    [
        {"code": "K", "title": "k", "maximum": 4, "rule": {"kind": "cov_quarters"}},
        {"code": "L", "title": "l", "maximum": 6},
    ],
)


@pytest.fixture(scope="module")
def reg() -> Registry:
    registry = Registry(plugins=[_QuartersPlugin()])
    for data in (DEEP, QUARTERS, mixed_ruleset()):
        registry.add(load_ruleset(data, registry))
    return registry


def _one(tmp_path: Path, reg: Registry, text: str) -> RowResult:
    (r,) = reproduce_file(write(tmp_path, text), registry=reg).rows
    return r


# ------------------------------------------------------------------------------------ views
def test_codes_that_are_not_nodes_are_named_and_the_row_skipped(
    tmp_path: Path, reg: Registry
) -> None:
    r = _one(tmp_path, reg, "ruleset,year,unit,A.1,Z\ntest.mixed,2000,U,1,2\n")
    assert (r.status, r.category) == ("skipped", "codes do not fit the ruleset")
    assert r.reason == "Z is not a node of test.mixed 1"
    r = _one(tmp_path, reg, "ruleset,year,unit,Z,W,A\ntest.mixed,2000,U,1,2,3\n")
    assert r.reason == "Z, W are not nodes of test.mixed 1"


def test_codes_of_two_views_are_refused(tmp_path: Path, reg: Registry) -> None:
    # "1" is a field of the main tree, "sipas" a component of the components view
    r = _one(tmp_path, reg, "ruleset,year,unit,1,sipas\nmoha.province,2021,U,8,9\n")
    assert r.status == "skipped"
    assert r.reason == "codes of several views (components, main); give one view per row"


def test_a_view_column_names_the_view(tmp_path: Path, reg: Registry) -> None:
    head = "ruleset,year,unit,view,total,appraisal,sipas,leaders,impact\n"
    r = _one(tmp_path, reg, head + "moha.province,2021,U,parts,91.04,57.66,9.56,18.83,5\n")
    assert (r.status, r.category) == ("skipped", "codes do not fit the ruleset")
    assert r.reason == "view 'parts' not in moha.province 2021 (views: main, components)"
    r = _one(tmp_path, reg, head + "moha.province,2021,U,components,91.04,57.66,9.56,18.83,5\n")
    # 57.66 + 9.56 + 18.83 + 5 = 91.05, 0.01 from 91.04 within 5 × 0.005
    assert r.view == "components" and r.computed_total == Decimal("91.05")
    assert r.status == "agree"
    # the view named, and a code of another view
    r = _one(tmp_path, reg, "ruleset,year,unit,view,1\nmoha.province,2021,U,components,8\n")
    assert r.reason == "codes of several views (components, main); give one view per row"


def test_a_row_without_codes_is_in_the_main_view_or_the_one_it_names(reg: Registry) -> None:
    def row(view: str | None) -> PublishedRow:
        return PublishedRow(2, "moha.province", 2021, "U", None, Decimal("80"), None, None,
                            None, None, view, {}, 0)  # fmt: skip

    ruleset = reg.get("moha.province", 2021)
    assert choose_view(ruleset, row(None)) == ("main", None)
    assert choose_view(ruleset, row("components")) == ("components", None)


# ---------------------------------------------------------------------- parts of a deep tree
def test_top_level_points_of_a_three_level_tree_are_recomputed(
    tmp_path: Path, reg: Registry
) -> None:
    # 1.1 has children but no points (1 is given whole): it was looked up and raised a KeyError
    r = _one(tmp_path, reg, "ruleset,year,unit,total,1,2\ncov.deep,2001,U,12.5,9.5,3\n")
    assert r.recomputed and r.computed_total == Decimal("12.5") and r.status == "agree"
    assert r.conflicts == [] and r.node_checks == []


def test_a_published_node_under_a_node_taken_whole_is_not_compared(
    tmp_path: Path, reg: Registry
) -> None:
    # 1.2 is missing, so 1 is taken as published; 1.1 (under 1) cannot be checked against 1.1.1
    head = "ruleset,year,unit,total,1,1.1,1.1.1,2\n"
    r = _one(tmp_path, reg, head + "cov.deep,2001,U,12,9,7,3,3\n")
    assert r.recomputed and r.inputs == {"1": Decimal("9"), "2": Decimal("3")}
    assert r.computed_total == Decimal("12") and r.node_checks == []
    assert r.components == 2 and r.status == "agree"


def test_a_published_node_is_compared_with_the_sum_of_its_parts_two_levels_down(
    tmp_path: Path, reg: Registry
) -> None:
    head = "ruleset,year,unit,total,1,1.1,1.1.1,1.1.2,1.2,2\n"
    r = _one(tmp_path, reg, head + "cov.deep,2001,U,12.5,9.5,7,3,4,2.5,3\n")
    # 1 = (3 + 4) + 2.5 = 9.5, 1.1 = 3 + 4 = 7; total 9.5 + 3 = 12.5
    checks = {c.code: c for c in r.node_checks}
    assert set(checks) == {"1", "1.1"}
    assert checks["1"].computed == Decimal("9.5")
    assert checks["1"].parts == ("1.1.1", "1.1.2", "1.2")
    # half-units of 1.1.1, 1.1.2, 1.2 (integers among one-decimal numbers: 0.05 each) and its own
    assert checks["1"].tolerance == Decimal("0.2")
    assert checks["1.1"].computed == Decimal("7") and checks["1.1"].parts == ("1.1.1", "1.1.2")
    assert r.status == "agree"


def test_inputs_under_a_node_are_its_own_or_its_descendants(reg: Registry) -> None:
    one = reg.get("cov.deep", 2001).nodes[0]
    inputs = {"1.1.1": Decimal(1), "1.1.2": Decimal(2), "1.2": Decimal(3)}
    assert inputs_under(one, inputs) == ["1.1.1", "1.1.2", "1.2"]
    assert inputs_under(one, {"1": Decimal(6)}) == ["1"]


def test_no_index_without_a_total_maximum(reg: Registry) -> None:
    deep = reg.get("cov.deep", 2001)
    assert index_of(deep, deep.nodes, Decimal("12")) is None
    quarters = reg.get("cov.quarters", 2001)
    # 7.125 of 10 = 71.25 %
    assert index_of(quarters, quarters.nodes, Decimal("7.125")) == Decimal("71.25")


# --------------------------------------------------------------------------------- fall-back
def test_a_published_node_with_a_part_missing_is_only_checked_against_its_bounds(
    tmp_path: Path, reg: Registry
) -> None:
    # B is missing: nothing is recomputed; A (A.2, A.3 missing) cannot be compared with A.1 alone
    r = _one(tmp_path, reg, "ruleset,year,unit,total,A,A.1,C\ntest.mixed,2000,U,9,6,1,3\n")
    assert not r.recomputed and r.node_checks == []
    assert r.notes[0] == (
        "not recomputed: no points for B.1, B.2 (nor for their parents); checked what can be"
        " checked"
    )
    assert r.status == "checked" and r.batch_value == Decimal("9")


def test_an_incomplete_row_without_total_and_without_any_bound_is_skipped(
    tmp_path: Path, reg: Registry
) -> None:
    # test.mixed has no maxima and no rules: A.1 alone can be checked against nothing
    r = _one(tmp_path, reg, "ruleset,year,unit,A.1\ntest.mixed,2000,U,1\n")
    assert (r.status, r.category) == ("skipped", "incomplete row")
    assert r.reason == "incomplete and no total: no bound or sum to check"
    assert "no published total: rank, group and order not checked" in r.notes


def test_an_incomplete_row_without_total_is_checked_when_a_node_has_a_bound(
    tmp_path: Path, reg: Registry
) -> None:
    # L has a maximum (6): checked against it, though nothing can be recomputed without K
    r = _one(tmp_path, reg, "ruleset,year,unit,L\ncov.quarters,2001,U,5.5\n")
    assert r.status == "checked" and r.conflicts == []
    r = _one(tmp_path, reg, "ruleset,year,unit,L\ncov.quarters,2001,U,6.5\n")
    (conflict,) = r.conflicts
    assert (conflict.kind, conflict.node, conflict.value) == ("maximum", "L", "6.5")
    assert r.status == "checked"  # an unverified bound: a source conflict, not a rejection


def test_points_the_engine_refuses_fall_back_to_what_can_be_checked(
    tmp_path: Path, reg: Registry
) -> None:
    # K 5 is above K's maximum of 4: the maximum is lifted to compute past it, but K's rule
    # cannot work without it, so the engine refuses the points
    r = _one(tmp_path, reg, "ruleset,year,unit,total,K,L\ncov.quarters,2001,U,9,5,4\n")
    assert not r.recomputed and r.card is None
    assert r.notes[:1] == [
        "not recomputed: the engine refused the points: [K] the 'cov_quarters' rule needs a"
        " maximum, which is not published for this node"
    ]
    assert not any(n.startswith("computed past") for n in r.notes)  # it was not
    assert [(c.kind, c.node) for c in r.conflicts] == [("maximum", "K")]
    # still ranked and grouped by the published total: 9 of 10
    assert r.computed_index == Decimal("90.00") and r.status == "checked"


def test_points_within_the_rule_are_recomputed(tmp_path: Path, reg: Registry) -> None:
    r = _one(tmp_path, reg, "ruleset,year,unit,total,K,L\ncov.quarters,2001,U,8,3,5\n")
    assert r.recomputed and r.computed_total == Decimal("8") and r.status == "agree"
    # 3.5 is not a quarter of 4: a source conflict of K's rule, computed without the rule
    r = _one(tmp_path, reg, "ruleset,year,unit,total,K,L\ncov.quarters,2001,U,8.5,3.5,5\n")
    assert [(c.kind, c.node) for c in r.conflicts] == [("rule", "K")]
    assert r.recomputed and r.computed_total == Decimal("8.5")


def test_a_row_with_neither_total_nor_points_is_skipped_with_its_note(
    tmp_path: Path, reg: Registry
) -> None:
    head = "ruleset,year,unit,total,note,A\n"
    r = _one(tmp_path, reg, head + "test.mixed,2000,U,,not surveyed,\n")
    assert (r.status, r.category) == ("skipped", "no total and no node points")
    assert r.reason == "no total and no node points published (not surveyed)"
    r = _one(tmp_path, reg, head + "test.mixed,2000,U,,,\n")
    assert r.reason == "no total and no node points published"


def test_a_published_node_with_all_its_parts_is_compared_when_another_is_missing(
    tmp_path: Path, reg: Registry
) -> None:
    # B and C are missing: no total is recomputed, but A is checked against A.1 + A.2 + A.3
    head = "ruleset,year,unit,total,A,A.1,A.2,A.3\n"
    r = _one(tmp_path, reg, head + "test.mixed,2000,U,20.0,6.5,1.0,2.0,3.0\n")
    assert not r.recomputed
    (check,) = r.node_checks
    # 1.0 + 2.0 + 3.0 = 6.0, 0.5 below the published 6.5; allowed 4 × 0.05 = 0.2
    assert (check.code, check.computed, check.difference) == ("A", Decimal("6.0"), Decimal("-0.5"))
    assert check.tolerance == Decimal("0.2") and not check.within
    assert r.status == "disagree"
