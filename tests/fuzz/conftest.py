"""The long fuzz run: tests marked ``slow`` here run only when asked for (``-m slow`` or
PARINDEX_FUZZ_EXAMPLES set); the figures of every fuzz test are printed at the end."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import fuzz_harness
import pytest

_START = time.time()


def _long_run_requested(config: pytest.Config) -> bool:
    markexpr = str(config.getoption("markexpr", "") or "")
    return "PARINDEX_FUZZ_EXAMPLES" in os.environ or (
        "slow" in markexpr and "not slow" not in markexpr
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _long_run_requested(config):
        return
    skip = pytest.mark.skip(
        reason="the long fuzz run: use -m slow (PARINDEX_FUZZ_EXAMPLES sets"
        " the examples per test, default 20000)"
    )
    for item in items:
        if "fuzz" in item.nodeid and item.get_closest_marker("slow"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    stats = fuzz_harness.STATS
    if not stats:
        return
    write = terminalreporter.write_line
    terminalreporter.section("parindex fuzzing")
    total: dict[str, int] = {}
    for test in sorted(stats):
        counts = stats[test]
        tried = sum(counts.values())
        write(
            f"{test}: {tried} examples; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        )
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
    tried = sum(total.values())
    unexpected = total.get("unexpected", 0)
    write(
        f"TOTAL: {tried} examples tried, unexpected exceptions: {unexpected}; "
        + ", ".join(f"{k} {v}" for k, v in sorted(total.items()))
    )
    for key, sample in fuzz_harness.SAMPLES.items():
        write(f"  example of {key}: {sample}")
    report = os.environ.get("PARINDEX_FUZZ_REPORT")
    if report:
        Path(report).write_text(
            json.dumps(
                {
                    "examples_tried": tried,
                    "unexpected_exceptions": unexpected,
                    "seconds": round(time.time() - _START, 1),
                    "per_test": {t: dict(c) for t, c in sorted(stats.items())},
                    "samples": fuzz_harness.SAMPLES,
                    "examples_per_test_requested": fuzz_harness.LONG,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
