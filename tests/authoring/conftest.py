"""Fixtures for the authoring tests (tests/authoring/). Expected values are worked out by hand from
the fixture files, with the arithmetic next to each assertion."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex import Registry
from parindex.io.plugins import hookimpl, rulesets_in

FIXTURES = Path(__file__).parent / "fixtures"
AMEND = FIXTURES / "amend"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def amend_dir() -> Path:
    return AMEND


class FolderPlugin:
    """A plugin offering every ``<id>/<version>.yaml`` under a folder, as a package would."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.__name__ = f"folder:{folder.name}"

    @hookimpl
    def parindex_rulesets(self) -> list[object]:
        return list(rulesets_in(self.folder))


@pytest.fixture
def folder_registry() -> type[Registry]:
    """Make a registry of the standard rule kinds plus the rulesets in one folder."""

    class _Make(Registry):
        def __init__(self, folder: Path) -> None:
            import parindex_core_rules

            super().__init__([parindex_core_rules, FolderPlugin(folder)], entry_points=False)

    return _Make
