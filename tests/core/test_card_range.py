"""Points that add up past the largest number a score card holds (1E+12, as for inputs) are a
located error of the assessment, not the card model's own validation error with no location."""

from __future__ import annotations

from typing import Any

import pytest

from parindex import api
from parindex.model.errors import InputValueError


def _ruleset(nested: bool) -> Any:
    prefix = "1." if nested else ""
    leaves: list[dict[str, Any]] = [
        {"code": f"{prefix}{i}", "title": "a", "rule": {"kind": "points"}} for i in range(1, 5)
    ]
    nodes = [{"code": "1", "title": "field", "children": leaves}] if nested else leaves
    return api.load_ruleset(
        {
            "id": "t.big",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "t"},
            "nodes": nodes,
        }
    )


def _inputs(codes: list[str], points: str) -> dict[str, Any]:
    return {
        "ruleset": "t.big",
        "year": 2024,
        "unit": "u",
        "inputs": {c: {"points": points} for c in codes},
    }


def test_a_total_past_the_limit_is_a_located_input_error() -> None:
    # 4 × 900,000,000,000 = 3,600,000,000,000 > 1E+12; each input alone is within the limit
    with pytest.raises(
        InputValueError, match=r"the total adds up to 3600000000000, larger than 1E\+12"
    ):
        api.score(_inputs(["1", "2", "3", "4"], "900000000000"), _ruleset(nested=False))


def test_a_parent_past_the_limit_names_the_parent() -> None:
    with pytest.raises(InputValueError) as caught:
        api.score(_inputs(["1.1", "1.2", "1.3", "1.4"], "300000000000"), _ruleset(nested=True))
    assert caught.value.code == "1"  # 1.2E+12 on node 1
    assert "add up to 1200000000000" in str(caught.value)


def test_points_exactly_at_the_limit_are_scored() -> None:
    # 4 × 250,000,000,000 = 1E+12 exactly: the limit itself is allowed
    card = api.score(_inputs(["1", "2", "3", "4"], "250000000000"), _ruleset(nested=False))
    assert card.total_exact == 1000000000000
    assert card.model_dump_json()  # the entries, made on reading, hold it too
