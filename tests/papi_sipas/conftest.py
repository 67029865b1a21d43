"""Fixtures for the PAPI, SIPAS and reproduce tests (tests/papi_sipas/)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import parindex.io.registry as registry_module
from parindex.analysis.reproduce import list_datasets
from parindex.io.registry import Registry

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def _registry_with_datasets() -> Registry:
    """The installed plugins; plus the bundled datasets if no installed plugin offers them yet."""
    reg = Registry()
    if not list_datasets(reg):
        import parindex_vn.datasets

        reg = Registry([parindex_vn.datasets])
    return reg


@pytest.fixture(scope="session")
def reg() -> Registry:
    return _registry_with_datasets()


@pytest.fixture()
def default_registry_with_datasets(reg: Registry) -> Iterator[Registry]:
    """Make the CLI's process-wide registry the one with datasets, for the test's duration."""
    saved = registry_module._DEFAULT
    registry_module._DEFAULT = reg
    try:
        yield reg
    finally:
        registry_module._DEFAULT = saved


@pytest.fixture()
def shared() -> Path:
    if not (SHARED / "data").is_dir():
        if os.environ.get("CI", "").lower() in {"true", "1"}:  # CI must not quietly skip these
            pytest.fail(f"../shared is not present at {SHARED}")
        pytest.skip(f"../shared is not present at {SHARED}")
    return SHARED
