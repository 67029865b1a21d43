from __future__ import annotations

from decimal import Decimal as D

import pytest

from parindex import Registry, rank, score
from parindex.model.errors import ParindexError
from parindex.model.validation import classify
from parindex.scoring.ranking import ranks


@pytest.mark.parametrize(
    ("ties", "expected"),
    [
        ("competition", [1, 2, 2, 4]),
        ("dense", [1, 2, 2, 3]),
        ("ordinal", [1, 2, 3, 4]),
        ("modified", [1, 3, 3, 4]),
    ],
)
def test_tie_rules(ties: str, expected: list[int]) -> None:
    assert ranks([D(90), D(85), D(85), D(80)], ties) == expected  # type: ignore[arg-type]


def test_ranks_follow_index_not_input_order() -> None:
    assert ranks([D("70.5"), D("99"), D("70.5"), D("12")]) == [2, 1, 2, 4]


def test_classify_half_open_bands(registry: Registry) -> None:
    bands = registry.get("test.small", 2024).groups
    assert classify(D("89.99"), bands).label == "B"  # type: ignore[union-attr]
    assert classify(D("90.00"), bands).label == "A"  # type: ignore[union-attr]
    assert classify(D("70"), bands).label == "B"  # type: ignore[union-attr]
    assert classify(D("0"), bands).label == "D"  # type: ignore[union-attr]


def test_rank_scorecards(registry: Registry) -> None:
    def card(unit: str, points: str) -> object:
        return score(
            {
                "ruleset": "test.small",
                "year": 2024,
                "unit": unit,
                "inputs": {"1": points, "2": "10"},
            },
            registry=registry,
        )

    cards = [card("a", "5"), card("b", "7"), card("c", "5"), card("d", "8")]
    table = rank(cards)  # type: ignore[arg-type]
    assert [(e.unit.id, e.rank) for e in table.entries] == [("d", 1), ("b", 2), ("a", 3), ("c", 3)]
    assert table.entries[2].tied and table.ties == "competition"
    with pytest.raises(ParindexError):
        rank([cards[0], cards[0]])  # type: ignore[list-item]
