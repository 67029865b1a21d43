"""Gaps: every node below its maximum, points lost and share of all points lost."""

from __future__ import annotations

import pytest
from pl_helpers import D, example_cards, small_card

from parindex.analysis.planning.errors import PlanningError
from parindex.analysis.planning.gaps import gaps, parse_depth
from parindex.analysis.planning.tree import CardTree
from parindex.model.documents import ScoreCard


def rows(card: ScoreCard, depth: int | None) -> list[tuple[str, str]]:
    return [(g.code, str(g.lost)) for g in gaps(card, depth).rows]


def test_total_lost_is_maximum_minus_total(card: ScoreCard) -> None:
    # 20 − (3 + 3 + 1.5 + 4 + 4) = 20 − 15.5 = 4.5
    report = gaps(card)
    assert report.total_lost == D("4.5")


def test_field_depth_largest_first_with_shares(card: ScoreCard) -> None:
    # F1: 10 − (3 + 3 + 1.5) = 2.5; F2: 10 − (4 + 4) = 2; shares 2.5/4.5 = 55.5…%, 2/4.5 = 44.4…%
    report = gaps(card, 0)
    assert [(g.code, g.lost) for g in report.rows] == [("F1", D("2.5")), ("F2", D("2"))]
    assert report.rows[0].share is not None and report.rows[1].share is not None
    assert round(report.rows[0].share, 4) == D("55.5556")
    assert round(report.rows[1].share, 4) == D("44.4444")
    assert report.listed_lost == report.total_lost


def test_leaf_depth_lists_only_nodes_below_their_maximum(card: ScoreCard) -> None:
    # F1.1 4 − 3 = 1; F1.2.1 3 − 3 = 0 (not listed); F1.2.2 3 − 1.5 = 1.5; F2.1 5 − 4 = 1;
    # F2.2 has no maximum: unknown. Listed 3.5 of 4.5.
    report = gaps(card)
    assert [(g.code, g.lost) for g in report.rows] == [
        ("F1.2.2", D("1.5")),
        ("F1.1", D("1")),
        ("F2.1", D("1")),
    ]
    assert report.unknown == ("F2.2",)
    assert report.listed_lost == D("3.5")
    assert any("3.5 of the 4.5" in n for n in report.notes)


def test_criterion_depth_takes_criteria(card: ScoreCard) -> None:
    # F1.2 6 − 4.5 = 1.5 ranks before F1.1 and F2.1 (1 each, tree order)
    assert rows(card, 1) == [("F1.2", "1.5"), ("F1.1", "1"), ("F2.1", "1")]


def test_a_field_given_points_directly_stays_at_every_depth() -> None:
    card = small_card(inputs={"F1": 7, "F2.1": 5, "F2.2": 5})
    # F1 given directly: 10 − 7 = 3, and it is the deepest scored node of its branch
    assert rows(card, 2) == [("F1", "3")]
    assert rows(card, None) == [("F1", "3")]


def test_ties_keep_tree_order(card: ScoreCard) -> None:
    codes = [g.code for g in gaps(card).rows if g.lost == 1]
    assert codes == ["F1.1", "F2.1"]


def test_finest_partition_keeps_a_node_whole_when_a_child_maximum_is_unknown(
    card: ScoreCard,
) -> None:
    parts, unknown = CardTree(card).finest_partition()
    # F1 splits (1 + 0 + 1.5 = 2.5); F2 cannot (F2.2 has no maximum) and stays whole with 2
    assert [(n.code, v) for n, v in parts] == [
        ("F1.1", D("1")),
        ("F1.2.1", D("0")),
        ("F1.2.2", D("1.5")),
        ("F2", D("2")),
    ]
    assert unknown == []
    assert sum(v for _, v in parts) == D("4.5")


def test_depth_names() -> None:
    assert parse_depth("field") == 0
    assert parse_depth("criterion") == 1
    assert parse_depth("sub-criterion") == 2
    assert parse_depth("leaf") is None
    assert parse_depth("3") == 3
    with pytest.raises(PlanningError, match="unknown depth"):
        parse_depth("fields")


def test_lang_son_example_lost_points_by_hand() -> None:
    (card,) = example_cards("lang-son-2021.yaml")
    report = gaps(card, 2)
    # header of examples/planning/lang-son-2021.yaml: 16 named codes + 8.1 and 8.2, sum 12.89
    assert report.total_lost == D("12.89")
    assert report.listed_lost == D("12.89")
    lost = {g.code: g.lost for g in report.rows}
    assert lost["8.1"] == D("1.293")  # 10 − 87.07 ÷ 100 × 10
    assert lost["4.1.2"] == D("1.25")  # 2.5 − 1.25 ("partly")
    assert lost["3.2.6"] == D("0.5")  # 0.75 − 0.25 (25 %–<50 % band)
    assert set(lost) == {
        "1.1",
        "1.3.2",
        "3.2.6",
        "3.4.1",
        "3.4.2",
        "4.1.2",
        "5.3.1",
        "5.5.2",
        "5.7.2",
        "6.1.1",
        "6.1.3",
        "6.3.1",
        "6.3.4",
        "7.1.9",
        "7.2.1",
        "8.1",
        "8.2",
        "8.3.1",
    }
    assert report.rows[0].code == "8.1"
