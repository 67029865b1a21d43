"""Fixtures for the ruleset tests (tests/rulesets/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rs_helpers import REPO, SHARED


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def shared() -> Path:
    """The project's shared reference folder (../shared); skipped when it is not there."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not present at {SHARED}: the published-data checks need it")
    return SHARED
