"""pytest plugin: every ``*.case.yaml`` file is collected as tests, one per case.

Registered through the ``pytest11`` entry point, so installing parindex is enough; without the
entry point, load it with ``pytest -p parindex.pytest_plugin``. A failing case shows, per node,
the expected and actual points and how the actual points were obtained (the node's trace). The
case format is described in :mod:`parindex.authoring.yamltests` and ``docs/authoring.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from parindex.authoring import CASE_SUFFIX

if TYPE_CHECKING:  # the case machinery is imported only when a case file is collected
    from parindex.authoring.yamltests import Case, CaseResult


class CaseFailed(Exception):
    """A case scored differently from what it expects (or could not be scored)."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.report())
        self.result = result


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name.endswith(CASE_SUFFIX):
        made: pytest.Collector = CaseFile.from_parent(parent, path=file_path)
        return made
    return None


class CaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from parindex.authoring.yamltests import load_cases
        from parindex.model.errors import ParindexError

        try:
            cases = load_cases(self.path)
        except ParindexError as err:
            raise self.CollectError(f"parindex: invalid case file: {err}") from None
        for case in cases:
            yield CaseItem.from_parent(self, name=case.name, case=case)


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        from parindex.authoring.yamltests import run_case

        result = run_case(self.case)
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return excinfo.value.result.report()
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.case.line - 1 if self.case.line else 0
        return self.path, line, f"case {self.case.name}"
