"""The API's batch ranking and summary use the compiled path and must agree with the engine."""

from __future__ import annotations

from decimal import Decimal as D

import parindex
from parindex import Registry


def _batch(n: int) -> list[parindex.Assessment]:
    return [
        parindex.load_assessment(
            {
                "ruleset": "test.small",
                "year": 2024,
                "unit": f"u{i:02d}",
                "inputs": {"1": D(i % 7), "2": D(i % 5) + D("0.25")},
            }
        )
        for i in range(n)
    ]


def test_rank_assessments_equals_reference_ranking(registry: Registry) -> None:
    batch = _batch(40)  # above FAST_BATCH_MIN: the compiled path
    assert len(batch) >= parindex.api.FAST_BATCH_MIN
    fast = parindex.rank_assessments(batch, "competition", registry=registry)
    slow = parindex.rank(parindex.score_many(batch, registry=registry), "competition")
    assert fast == slow
    # best: i % 7 = 6 and i % 5 = 4, i.e. u34 alone below 40: 6 + 4.25 = 10.25 of 20 = 51.25
    top = [e for e in fast.entries if e.rank == 1]
    assert [e.unit.id for e in top] == ["u34"] and top[0].index == D("51.25")


def test_score_summary_equals_score(registry: Registry) -> None:
    for a in _batch(10):
        card = parindex.score(a, registry=registry)
        summary = parindex.score_summary(a, registry=registry)
        assert (summary.total, summary.index, summary.group) == (card.total, card.index, card.group)
