"""The fuzz summary counts outcomes honestly (issue 19, item 7): an example is ``accepted`` only
when every loader accepted it; one whose error was swallowed so that the next loader could run is
``partly rejected``, not accepted."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from parindex.model.errors import ParindexError

HARNESS = Path(__file__).resolve().parents[1] / "fuzz" / "fuzz_harness.py"


@pytest.fixture
def harness() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("fuzz_harness_under_test", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def _ok() -> None:
    return None


def _refuse() -> None:
    raise ParindexError("refused")


def test_each_outcome_is_counted_as_it_was(harness: ModuleType) -> None:
    def run(*loads: object) -> None:
        harness.each(*loads)

    harness.check("t", run, _ok, _ok)
    harness.check("t", run, _refuse, _refuse)
    harness.check("t", run, _ok, _refuse)
    harness.check("t", run, _refuse, _ok)
    harness.check("t", _refuse)
    harness.check("t", _ok)
    assert dict(harness.STATS["t"]) == {"accepted": 2, "rejected": 2, "partly rejected": 2}


def test_an_unexpected_exception_is_counted_and_raised(harness: ModuleType) -> None:
    def crash() -> None:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        harness.check("u", crash)
    assert dict(harness.STATS["u"]) == {"unexpected": 1}
    assert list(harness.SAMPLES) == ["u: KeyError"]
