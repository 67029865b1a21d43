"""parindex.scoring.ranking refuses a mix it cannot rank, even of just two cards: two rulesets,
two years, or one unit twice. (A check written as "more than two" would let exactly two through.)
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import parindex
from parindex.model.documents import Unit
from parindex.model.errors import ParindexError
from parindex.scoring.ranking import rank

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "moha-2017-example.yaml"


@pytest.fixture(scope="module")
def card() -> parindex.ScoreCard:
    return parindex.score(EXAMPLE)


def test_two_rulesets(card: parindex.ScoreCard) -> None:
    other = card.model_copy(update={"ruleset": "other.ruleset", "unit": Unit(id="b")})
    with pytest.raises(ParindexError) as err:
        rank([card, other])
    assert str(err.value) == (
        "cannot rank score cards of different rulesets together: moha.province, other.ruleset"
    )


def test_two_years(card: parindex.ScoreCard) -> None:
    other = card.model_copy(update={"year": 2018, "unit": Unit(id="b")})
    with pytest.raises(ParindexError) as err:
        rank([card, other])
    assert str(err.value) == "cannot rank different years together: [2017, 2018]"


def test_one_unit_twice(card: parindex.ScoreCard) -> None:
    with pytest.raises(ParindexError) as err:
        rank([card, card])
    assert str(err.value) == "unit id(s) appear more than once: tinh-minh-hoa"


def test_nothing_to_rank() -> None:
    with pytest.raises(ParindexError, match="nothing to rank"):
        rank([])


def test_two_distinct_units_rank(card: parindex.ScoreCard) -> None:
    other = card.model_copy(update={"unit": Unit(id="b")})
    table = rank([card, other])
    assert [(e.unit.id, e.rank, e.tied) for e in table.entries] == [
        ("tinh-minh-hoa", 1, True),
        ("b", 1, True),
    ]


def test_ranked_by_index_when_every_card_has_one(card: parindex.ScoreCard) -> None:
    # a: 40 points of an applicable 40 (index 100); the example: 87.75 of 100 (index 87.75).
    # By index a is first although its total is lower; neither is tied.
    a = card.model_copy(update={"unit": Unit(id="a"), "total": Decimal(40), "index": Decimal(100)})
    table = rank([card, a])
    assert table.by == "index"
    assert [(e.unit.id, e.rank, e.key, e.tied) for e in table.entries] == [
        ("a", 1, Decimal(100), False),
        ("tinh-minh-hoa", 2, Decimal("87.75"), False),
    ]
    no_index = a.model_copy(update={"index": None})
    by_total = rank([card, no_index])
    assert by_total.by == "total"
    assert [(e.unit.id, e.rank) for e in by_total.entries] == [("tinh-minh-hoa", 1), ("a", 2)]


def test_a_single_card_ranks_first(card: parindex.ScoreCard) -> None:
    table = rank([card])
    assert (table.ruleset, table.year, table.by) == ("moha.province", 2017, "index")
    assert [(e.unit.id, e.rank, e.tied) for e in table.entries] == [("tinh-minh-hoa", 1, False)]
