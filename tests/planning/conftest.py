"""Fixtures for the planning tests (tests/planning/)."""

from __future__ import annotations

import pytest
from pl_helpers import small_card

from parindex.model.documents import ScoreCard


@pytest.fixture
def card() -> ScoreCard:
    return small_card()
