"""The benchmarks' memory figures: benchmarks/rss.py reads this process's own peak (not one kept
from a parent, as ``ru_maxrss`` is), and bench_sipas.py's child reports it with the mode."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
LINUX_PROC = Path("/proc/self/clear_refs").exists() and Path("/proc/self/status").exists()


@pytest.fixture
def bench() -> Iterator[tuple[ModuleType, ModuleType]]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_sipas
        import rss

        yield rss, bench_sipas
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.mark.skipif(not LINUX_PROC, reason="reads /proc/self (Linux)")
def test_the_peak_starts_again_from_the_memory_in_use(bench: tuple[ModuleType, ModuleType]) -> None:
    rss, _ = bench
    rss.trim()
    before = rss.current_kib()
    block = bytearray(64 * 2**20)  # 64 MiB, every page written (zeroed by bytearray)
    block[::4096] = b"x" * len(block[::4096])
    assert rss.peak_kib() >= before + 60 * 1024
    del block
    rss.trim()
    assert rss.reset_peak()
    # the 64 MiB are gone from the peak read after the reset
    assert rss.peak_kib() < before + 16 * 1024
    assert rss.peak_kib() >= rss.current_kib() - 1024


@pytest.mark.skipif(not LINUX_PROC, reason="reads /proc/self (Linux)")
def test_the_sipas_child_reports_its_rows_mode_and_memory(
    bench: tuple[ModuleType, ModuleType], tmp_path: Path
) -> None:
    _, bench_sipas = bench
    path = tmp_path / "answers.csv"
    bench_sipas.generate(path, 2_800, units=7)  # 100 respondents of 28 answers
    got = bench_sipas.measure(path, 1, baseline=False)
    assert got is not None
    assert (got["rows"], got["units"], got["respondents"]) == (2_800, 7, 100)
    assert got["mode"] == "ordered"  # the generated respondents come in increasing order
    # a child's own peak: far below this test process's, which ru_maxrss would have reported
    assert 0 <= got["max_added_rss_kib"] < 32 * 1024
