"""Source conflicts on the bounds that only a recomputed row can breach (issue 19, item 9).

A node's sum above its maximum, a total above the total maximum, a total maximum summed from the
top maxima, and the bounds lifted in a view other than the main one: each reached through a
reproduced row of a small synthetic ruleset, with the expected numbers worked out by hand.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rp_helpers import write

from parindex import Registry, load_ruleset
from parindex.analysis.reproduce import reproduce_file
from parindex.analysis.reproduce.conflicts import Breaches, lift_bounds, total_maximum
from parindex.analysis.reproduce.verdict import RowResult
from parindex.model.documents import Ruleset

YEAR = 2001
HEAD = "ruleset,year,unit,total,"
SOURCE = {"document": "synthetic bounds", "clause": "art. 1"}


def _ruleset(rid: str, nodes: list[dict[str, Any]], **extra: Any) -> Ruleset:
    data: dict[str, Any] = {
        "id": rid,
        "version": "1",
        "years": [YEAR],
        "unit_kind": "province",
        "title": f"synthetic {rid}",
        "source": SOURCE,
        "status": "confirmed",
        "nodes": nodes,
    }
    data.update(extra)
    return load_ruleset(data)


def _sum_nodes(maximum_status: str | None) -> list[dict[str, Any]]:
    """A (maximum 10, children without maxima) and B (maximum 5): the total maximum is 15."""
    a: dict[str, Any] = {"code": "A", "maximum": 10, "children": [{"code": "A.1"}, {"code": "A.2"}]}
    if maximum_status is not None:
        a["maximum_status"] = maximum_status
        a["maximum_source"] = {"document": "derived table"}
    return [a, {"code": "B", "maximum": 5}]


SUM_DERIVED = _ruleset("cov.sum-derived", _sum_nodes("derived"))
SUM_CONFIRMED = _ruleset("cov.sum-confirmed", _sum_nodes(None))
#: no top maximum, a stated total maximum of 10
TOTAL_UNVERIFIED = _ruleset(
    "cov.total-unverified", [{"code": "A"}, {"code": "B"}], maximum=10, status="unverified"
)
TOTAL_CONFIRMED = _ruleset("cov.total-confirmed", [{"code": "A"}, {"code": "B"}], maximum=10)
#: main view: A (maximum 5); view ``parts``: P (maximum 3, derived) and Q (maximum 2)
VIEWED = _ruleset(
    "cov.view",
    [{"code": "A", "maximum": 5}],
    views={
        "parts": {
            "nodes": [
                {"code": "P", "maximum": 3, "maximum_status": "derived"},
                {"code": "Q", "maximum": 2},
            ]
        }
    },
)


@pytest.fixture(scope="module")
def bounds_reg() -> Registry:
    registry = Registry()
    for rs in (SUM_DERIVED, SUM_CONFIRMED, TOTAL_UNVERIFIED, TOTAL_CONFIRMED, VIEWED):
        registry.add(rs)
    return registry


def _one_row(tmp_path: Path, reg: Registry, codes: str, line: str) -> RowResult:
    (r,) = reproduce_file(write(tmp_path, HEAD + codes + "\n" + line + "\n"), registry=reg).rows
    return r


def test_a_sum_above_a_derived_maximum_is_a_conflict_and_the_row_agrees(
    tmp_path: Path, bounds_reg: Registry
) -> None:
    # A = 6 + 5 = 11 > 10; the total 11 + 4 = 15 is the sum of the top maxima 10 + 5
    r = _one_row(tmp_path, bounds_reg, "A.1,A.2,B", "cov.sum-derived,2001,X,15.00,6.00,5.00,4.00")
    (c,) = r.conflicts
    assert (c.kind, c.node, c.value, c.bound, c.computed) == ("maximum", "A", "11", "≤ 10", True)
    # the maximum's own status and source, not the ruleset's
    assert (c.status, c.source, c.rejects) == ("derived", "derived table", False)
    assert c.text() == (
        "A 11 (the sum of its children) is above the node's maximum (≤ 10)"
        " [derived bound, source conflict; source: derived table]"
    )
    assert r.status == "agree" and r.recomputed
    assert r.computed_total == Decimal("15.00")
    assert r.computed_index == Decimal("100.00")  # 15 ÷ (10 + 5) × 100, the original maximum
    assert r.card is not None
    a = next(n for n in r.card.nodes if n.code == "A")
    assert a.points == Decimal("11.00") and a.maximum is None  # computed past the lifted bound
    assert "the index uses the original total maximum" in r.notes[0]


def test_a_sum_above_a_confirmed_maximum_rejects_the_row(
    tmp_path: Path, bounds_reg: Registry
) -> None:
    r = _one_row(tmp_path, bounds_reg, "A.1,A.2,B", "cov.sum-confirmed,2001,X,15.00,6.00,5.00,4.00")
    (c,) = r.conflicts
    assert (c.node, c.status, c.source, c.rejects) == (
        "A",
        "confirmed",
        "synthetic bounds, art. 1",
        True,
    )
    assert r.status == "disagree" and r.recomputed and r.computed_total == Decimal("15.00")
    assert r.failures() == ["A rejected by a confirmed bound"]
    # 5 + 5 = 10: on the maximum is within it
    r = _one_row(tmp_path, bounds_reg, "A.1,A.2,B", "cov.sum-confirmed,2001,X,14.00,5.00,5.00,4.00")
    assert r.conflicts == [] and r.status == "agree" and r.computed_index == Decimal("93.33")


def test_a_total_above_an_unverified_total_maximum_has_no_index(
    tmp_path: Path, bounds_reg: Registry
) -> None:
    # 6 + 5 = 11 > the stated maximum 10
    r = _one_row(tmp_path, bounds_reg, "A,B", "cov.total-unverified,2001,X,11.00,6.00,5.00")
    (c,) = r.conflicts
    assert (c.kind, c.node, c.value, c.bound, c.computed) == (
        "total_maximum",
        None,
        "11",
        "≤ 10",
        True,
    )
    assert (c.status, c.source, c.rejects) == ("unverified", "synthetic bounds, art. 1", False)
    assert c.text() == (
        "total 11 (recomputed from the parts) is above the total maximum (≤ 10)"
        " [unverified bound, source conflict; source: synthetic bounds, art. 1]"
    )
    assert r.status == "agree" and r.computed_total == Decimal("11.00")
    assert r.computed_index is None
    assert "no index: the total is above the total maximum" in r.notes[0]


def test_a_total_above_a_confirmed_total_maximum_rejects_the_row(
    tmp_path: Path, bounds_reg: Registry
) -> None:
    r = _one_row(tmp_path, bounds_reg, "A,B", "cov.total-confirmed,2001,X,11.00,6.00,5.00")
    (c,) = r.conflicts
    assert (c.kind, c.rejects) == ("total_maximum", True)
    assert r.status == "disagree" and r.failures() == ["total rejected by a confirmed bound"]
    # 6 + 4 = 10: on the total maximum is within it, and the index is 100
    r = _one_row(tmp_path, bounds_reg, "A,B", "cov.total-confirmed,2001,X,10.00,6.00,4.00")
    assert r.conflicts == [] and r.status == "agree" and r.computed_index == Decimal("100.00")


def test_a_breach_in_another_view_lifts_the_bound_of_that_view(
    tmp_path: Path, bounds_reg: Registry
) -> None:
    # P = 4 > 3 (derived); the view's total 4 + 1 = 5 is its maximum 3 + 2
    r = _one_row(tmp_path, bounds_reg, "P,Q", "cov.view,2001,X,5.00,4.00,1.00")
    assert r.view == "parts"
    (c,) = r.conflicts
    assert (c.kind, c.node, c.value, c.bound, c.computed) == ("maximum", "P", "4.00", "≤ 3", False)
    assert (c.status, c.rejects) == ("derived", False)
    assert r.status == "agree" and r.computed_total == Decimal("5.00")
    assert r.computed_index == Decimal("100.00")


def test_lift_bounds_in_a_view_keeps_the_main_nodes() -> None:
    breaches = Breaches(lift_maximum={"P"})
    lifted = lift_bounds(VIEWED, "parts", breaches)
    p, q = lifted.views["parts"].nodes
    assert (p.maximum, p.maximum_status) == (None, None)
    assert q.maximum == Decimal(2)  # not breached: kept
    assert lifted.nodes == VIEWED.nodes  # the main view is not touched
    assert lifted.maximum == Decimal(5)  # 3 + 2, stated so that the index is the original one
    assert VIEWED.views["parts"].nodes[0].maximum == Decimal(3)  # the original is unchanged


def test_lift_bounds_past_the_total_maximum_lifts_every_top_maximum() -> None:
    lifted = lift_bounds(VIEWED, "parts", Breaches(lift_total_maximum=True))
    assert lifted.maximum is None
    assert [n.maximum for n in lifted.views["parts"].nodes] == [None, None]
    assert lifted.nodes[0].maximum == Decimal(5)  # A is a top of the main view, not of ``parts``


def test_total_maximum_is_stated_else_the_sum_of_complete_top_maxima() -> None:
    assert total_maximum(TOTAL_UNVERIFIED, TOTAL_UNVERIFIED.nodes) == Decimal(10)
    assert total_maximum(SUM_DERIVED, SUM_DERIVED.nodes) == Decimal(15)  # 10 + 5
    assert total_maximum(VIEWED, VIEWED.view_nodes("parts")) == Decimal(5)  # 3 + 2
    # a top without a published maximum leaves the total without one
    assert (
        total_maximum(SUM_DERIVED, (*SUM_DERIVED.nodes, SUM_DERIVED.nodes[0].children[0])) is None
    )
    assert total_maximum(SUM_DERIVED, ()) is None
