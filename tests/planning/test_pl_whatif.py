"""What-if arithmetic: the key a rank needs under each tie rule, bisection, cheapest items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pl_helpers import D

from parindex.analysis.planning.whatif import cheapest, needed_for_rank, search_lowest
from parindex.model.documents import ScoreCard

OTHERS = [D("90"), D("85"), D("85"), D("80")]
STEP = D("0.01")


@pytest.mark.parametrize(
    ("ties", "rank", "needed"),
    [
        ("competition", 1, "90"),  # equal to the best shares rank 1
        ("competition", 2, "85"),  # 2nd highest other key; a tie at 85 shares rank 2
        ("competition", 4, "80"),
        ("dense", 2, "85"),  # distinct keys 90, 85, 80: the 2nd
        ("dense", 3, "80"),
        ("modified", 2, "85.01"),  # a tie takes the worse rank: must beat 85
        ("ordinal", 2, "85.01"),  # ties broken by input order: only a higher key is sure
    ],
)
def test_needed_key_per_tie_rule(ties: str, rank: int, needed: str) -> None:
    value, why = needed_for_rank(OTHERS, rank, ties, STEP)  # type: ignore[arg-type]
    assert value == D(needed)
    assert why


def test_no_key_needed_when_there_are_too_few_others() -> None:
    assert needed_for_rank(OTHERS, 5, "competition", STEP)[0] is None
    assert needed_for_rank(OTHERS, 4, "dense", STEP)[0] is None  # only 3 distinct keys


def test_bisection_finds_the_lowest_step_that_meets() -> None:
    # lowest multiple of 0.01 above 1 with x ≥ 3.14159: 3.15
    assert search_lowest(lambda x: x >= D("3.14159"), D("1"), D("10"), STEP) == D("3.15")
    assert search_lowest(lambda x: x >= D("11"), D("1"), D("10"), STEP) is None


def test_cheapest_takes_the_largest_losses_first(card: ScoreCard) -> None:
    # parts: F1.1 1, F1.2.2 1.5, F2 2 (kept whole) → for 3 points: F2 2, then 1 of F1.2.2
    rec, enough = cheapest(card, D("3"))
    assert enough
    assert [(r.code, r.take) for r in rec] == [("F2", D("2")), ("F1.2.2", D("1"))]


def test_cheapest_with_efforts_divides_by_effort(card: ScoreCard) -> None:
    # F2 costs 4: 2 ÷ 4 = 0.5 per effort; F1.2.2 1.5, F1.1 1 → F1.2.2 then F1.1
    rec, enough = cheapest(card, D("2"), {"F2": Decimal(4)})
    assert enough
    assert [(r.code, r.take) for r in rec] == [("F1.2.2", D("1.5")), ("F1.1", D("0.5"))]


def test_cheapest_within_a_subtree_and_not_enough(card: ScoreCard) -> None:
    rec, enough = cheapest(card, D("3"), within="F1")
    # F1 holds 1.5 + 1 = 2.5 lost points only
    assert not enough
    assert [(r.code, r.take) for r in rec] == [("F1.2.2", D("1.5")), ("F1.1", D("1"))]
