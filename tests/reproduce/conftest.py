"""Fixtures for the reproduce tests (tests/reproduce/): a registry with the installed plugins, the
bundled datasets and the synthetic ruleset ``test.mixed`` (rp_helpers)."""

from __future__ import annotations

import pytest
from rp_helpers import mixed_ruleset

import parindex.io.registry as registry_module
from parindex import Registry, load_ruleset
from parindex.analysis.reproduce import list_datasets


@pytest.fixture(scope="session")
def reg() -> Registry:
    registry = Registry()
    if not list_datasets(registry):  # the bundled datasets, when no installed plugin offers them
        import parindex_vn.datasets

        registry = Registry([parindex_vn.datasets])
    registry.add(load_ruleset(mixed_ruleset()))
    return registry


@pytest.fixture()
def cli_registry(reg: Registry):  # type: ignore[no-untyped-def]
    """Make the CLI's process-wide registry the test one, for the test's duration."""
    saved = registry_module._DEFAULT
    registry_module._DEFAULT = reg
    try:
        yield reg
    finally:
        registry_module._DEFAULT = saved
