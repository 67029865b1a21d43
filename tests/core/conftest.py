from __future__ import annotations

from pathlib import Path

import pytest

from parindex import Registry, Ruleset, load_ruleset

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def small_ruleset() -> Ruleset:
    return load_ruleset(FIXTURES / "small.yaml")


@pytest.fixture()
def registry(small_ruleset: Ruleset) -> Registry:
    reg = Registry()
    reg.add(small_ruleset)
    return reg
