"""Fixtures for the ruleset tests (tests/rulesets/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rs_helpers import REPO, SHARED


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def shared() -> Path:
    """The project's shared reference folder (../shared); skipped when it is not there, except
    under ``CI=true``, where a missing folder must fail the run rather than quietly shrink it."""
    if not SHARED.is_dir():
        missing = f"../shared is not present at {SHARED}: the published-data checks need it"
        if os.environ.get("CI", "").lower() in {"true", "1"}:
            pytest.fail(missing)
        pytest.skip(missing)
    return SHARED
