"""Tests written to kill the mutants that survived tools/mutate.py on reproduce's group checks
(analysis/reproduce/groups.py, verdict.py; docs/testing.md, "Mutation score"). By hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex import api
from parindex.analysis.reproduce.datasets import GroupCounts
from parindex.analysis.reproduce.groups import (
    GroupCountCheck,
    apply_counts,
    band_group,
    batch_grouping,
    check_rule_name,
    rule_for,
)
from parindex.analysis.reproduce.published import PublishedRow
from parindex.analysis.reproduce.verdict import RowResult
from parindex.model.errors import ParindexError

COUNTS = GroupCounts("papi", 2016, (("A", 2), ("B", 2)))  # a population of 4


def test_group_counts_agree_only_with_no_count_differing_and_no_row_misplaced() -> None:
    whole = GroupCountCheck(COUNTS, computed={"A": 2, "B": 2}, grouped=4)
    assert whole.complete and whole.differ == [] and whole.agrees
    misplaced = GroupCountCheck(COUNTS, computed={"A": 2, "B": 2}, grouped=4, misplaced=1)
    assert misplaced.differ == [] and not misplaced.agrees
    differ = GroupCountCheck(COUNTS, computed={"A": 3, "B": 1}, grouped=4)
    assert differ.differ == ["A", "B"] and not differ.agrees


def test_on_part_of_the_population_only_a_group_over_its_count_disagrees() -> None:
    # 2 of 4 rows, both in A: A holds exactly its published 2, which part of the data allows
    at_count = GroupCountCheck(COUNTS, computed={"A": 2}, grouped=2)
    assert not at_count.complete
    assert at_count.over == [] and at_count.differ == [] and at_count.agrees
    over = GroupCountCheck(COUNTS, computed={"A": 3}, grouped=3)
    assert over.over == ["A"] and not over.agrees


def test_a_rule_name_the_grouping_lacks_or_that_needs_cut_points_gives_the_default() -> None:
    grouping = batch_grouping("papi", api.default_registry())
    assert grouping is not None
    assert rule_for(grouping, "equal-width").name == "equal-width"
    assert rule_for(grouping, None).name == "quartiles"  # the default: the first without cuts
    assert rule_for(grouping, "no-such-rule").name == "quartiles"
    assert rule_for(grouping, "fixed").name == "quartiles"  # it needs cut points


def test_a_published_group_missing_from_the_computed_ones_differs() -> None:
    counts = GroupCounts("papi", 2016, (("A", 2), ("B", 2), ("C", 1)))
    check = GroupCountCheck(counts, computed={"A": 3, "B": 2}, grouped=5)  # none in C
    assert check.complete
    assert check.differ == ["A", "C"]  # C: 0 computed, 1 published


def _row(
    unit: str, rank: int | None, group: str | None = None, total: Decimal | None = None
) -> RowResult:
    published = PublishedRow(
        line=1, ruleset="papi", year=2016, unit=unit, unit_name=None, total=total, rank=rank,
        group=group, source=None, note=None, view=None, values={}, decimals=2,
    )  # fmt: skip
    return RowResult(published)


def test_rows_are_grouped_by_rank_under_the_published_counts() -> None:
    rows = [_row("u1", 1), _row("u2", 3), _row("u3", 4), _row("u4", 9)]
    rows[2].computed_group = "A"  # rank 4 falls in B: misplaced
    check = apply_counts(rows, COUNTS)
    assert [r.computed_group for r in rows] == ["A", "B", "A", None]
    assert (check.grouped, check.from_ranks, check.misplaced) == (1, 2, 1)
    assert rows[2].counts_group == "B"
    assert rows[3].notes == ["rank 9 is beyond the 4 units of the published counts"]
    assert not check.agrees


def test_an_unpublished_band_gives_no_group_and_says_so() -> None:
    ruleset = api.load_ruleset({
        "id": "x.groups", "version": "1", "years": [2024], "unit_kind": "province",
        "source": {"document": "d"}, "nodes": [{"code": "1", "title": "a", "maximum": 100}],
        "groups": [{"label": "A", "min": 50}, {"label": "D", "min": 0, "published": False}],
    })  # fmt: skip
    low, high = _row("u1", None, group="D"), _row("u2", None, group="A")
    assert band_group(ruleset, Decimal(40), low) is None
    assert low.notes == ["group not checked: no group is published at index 40"]
    assert band_group(ruleset, Decimal(60), high) == "A"
    assert high.notes == []


def test_a_rule_name_that_cannot_cut_a_batch_is_refused_with_the_names_that_can() -> None:
    registry = api.default_registry()
    check_rule_name(None, registry)
    check_rule_name("quartiles", registry)
    with pytest.raises(ParindexError) as err:
        check_rule_name("fixed", registry)  # it needs cut points
    assert "group rule 'fixed' cannot be used here; choose one of quartiles, " in str(err.value)


@pytest.mark.parametrize(
    ("computed", "within"),
    [
        ("91.065", True),  # 91.05 + 0.015: exactly at the tolerance agrees
        ("91.035", True),  # the same gap below
        ("91.0651", False),  # a ten-thousandth beyond it does not
    ],
)
def test_a_total_exactly_at_its_tolerance_agrees(computed: str, within: bool) -> None:
    result = _row("u1", None, total=Decimal("91.05"))
    result.recomputed, result.computed_total = True, Decimal(computed)
    result.tolerance = Decimal("0.015")  # e.g. 3 parts × 0.005
    assert result.total_within is within


def test_a_row_not_recomputed_has_no_verdict_on_its_total() -> None:
    result = _row("u1", None, total=Decimal("91.05"))
    result.tolerance = Decimal("0.015")
    assert (result.difference, result.total_within) == (None, None)
    assert result.components == 0  # nothing was recomputed from any part


def test_a_computed_group_the_source_does_not_publish_is_over_its_count() -> None:
    check = GroupCountCheck(COUNTS, computed={"Z": 1}, grouped=1)  # part of the data
    assert check.over == ["Z"] and check.differ == ["Z"]


def test_a_confirmed_bound_rejecting_the_total_or_a_node_is_a_failure_named_for_it() -> None:
    from parindex.analysis.reproduce.conflicts import Conflict

    def conflict(node: str | None) -> Conflict:
        return Conflict("maximum", node, "101", "100", "confirmed", "d", "above the maximum")

    result = _row("u1", None)
    result.conflicts = [conflict(None), conflict("1.2")]
    assert result.failures() == [
        "total rejected by a confirmed bound", "1.2 rejected by a confirmed bound"
    ]  # fmt: skip
