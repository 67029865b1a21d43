"""Memory stays flat in the number of answers: a generated answer file for 20 units, its points
equal to a hand-written reference on a sample of units, and the peak of traced allocations while
streaming it bounded by a constant plus an amount per unit — not per answer.

The 1,000,000-answer run is marked ``slow``; the 100,000-answer run checks the same bound in CI.
"""

from __future__ import annotations

import time
import tracemalloc
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from parindex import api
from parindex.analysis.survey import survey_points
from parindex.model.survey_map import survey_map_from_data

UNITS = 20
QUESTIONS = 10
#: An allowance per unit (its 10 × 6 counters and their lists, generously) and a fixed part (the
#: map, the CSV reader's buffers, the result); neither depends on the number of answers.
PER_UNIT = 16 * 1024
FIXED = 1024 * 1024

MAP = {
    "kind": "survey-map",
    "id": "gen",
    "ruleset": "sonla.department",
    "years": [2023],
    "scale": {"levels": 5, "lowest": 1},
    "rounding": {"value_places": 4, "places": 4, "points_from": "exact"},
    "nodes": [
        {
            "code": "XHH",
            "formula": "mean",
            "output": "points",
            "groups": [
                {"code": "G1", "weight": 2, "questions": [f"Q{i}" for i in range(5)]},
                {"code": "G2", "questions": [f"Q{i}" for i in range(5, QUESTIONS)]},
            ],
        }
    ],
}


def _answer(respondent: int, question: int) -> str:
    """A deterministic, uneven answer pattern, blanks included."""
    x = (respondent * 7919 + question * 104729) % 97
    return "" if x < 5 else str(1 + x % 5)


def _write(path: Path, answers: int) -> None:
    respondents = answers // QUESTIONS
    with path.open("w", encoding="utf-8") as out:
        out.write("respondent,unit,question,answer\n")
        for r in range(respondents):
            unit = f"u{r % UNITS:02d}"
            out.writelines(f"r{r},{unit},Q{q},{_answer(r, q)}\n" for q in range(QUESTIONS))


def _reference(answers: int, units: set[str]) -> dict[str, Fraction]:
    """Written apart from the pipeline: every answer of the sampled units kept in lists."""
    kept: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for r in range(answers // QUESTIONS):
        unit = f"u{r % UNITS:02d}"
        if unit in units:
            for q in range(QUESTIONS):
                a = _answer(r, q)
                if a:
                    kept[unit][q].append(int(a))
    out = {}
    for unit, by_q in kept.items():
        means = [Fraction(sum(by_q[q]), len(by_q[q])) for q in range(QUESTIONS)]
        g1, g2 = sum(means[:5]) / 5, sum(means[5:]) / 5
        out[unit] = (2 * g1 + g2) / 3
    return out


def _run(tmp_path: Path, answers: int) -> tuple[int, float]:
    path = tmp_path / "answers.csv"
    _write(path, answers)
    survey_map = survey_map_from_data(MAP)
    ruleset = api.get_ruleset("sonla.department", 2023)
    survey_points(path, survey_map, ruleset, 2023)  # warm imports and caches outside the trace
    tracemalloc.start()
    start = time.perf_counter()
    result = survey_points(path, survey_map, ruleset, 2023)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.rows == answers
    assert len(result.units) == UNITS
    sample = {"u00", "u07", "u19"}
    expected = _reference(answers, sample)
    for unit in result.units:
        if unit.unit in sample:
            (node,) = unit.nodes
            assert node.value_exact == expected[unit.unit]
            points = (expected[unit.unit] - 1) / 4 * 30
            assert abs(Fraction(node.amount or Decimal(0)) - points) <= Fraction(1, 20000)
    return peak, elapsed


def test_memory_bound_100k(tmp_path: Path) -> None:
    peak, _ = _run(tmp_path, 100_000)
    assert peak < FIXED + PER_UNIT * UNITS, peak


_RSS_PROBE = """
import resource, sys, time
from parindex import api
from parindex.analysis.survey import survey_points
from parindex.model.survey_map import survey_map_from_data
import json
survey_map = survey_map_from_data(json.loads(sys.argv[3]))
ruleset = api.get_ruleset("sonla.department", 2023)
survey_points(sys.argv[1], survey_map, ruleset, 2023)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = survey_points(sys.argv[2], survey_map, ruleset, 2023)
elapsed = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rows": result.rows, "kib": after - before, "s": elapsed}))
"""


@pytest.mark.slow
def test_memory_bound_1m(tmp_path: Path) -> None:
    """1,000,000 answers: the points on a sample of units equal the reference (traced run skipped:
    tracemalloc makes it ~10× slower), and the growth of the process's peak resident memory over a
    warm-up run on 100,000 answers stays within the same per-unit bound plus allocator slack."""
    import json
    import subprocess
    import sys

    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    _write(small, 100_000)
    _write(big, 1_000_000)
    probe = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(small), str(big), json.dumps(MAP)],
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(probe.stdout)
    assert got["rows"] == 1_000_000
    # ru_maxrss is in KiB on Linux; 10× the answers of the warm-up run must not raise the peak
    # by more than the per-unit allowance and 4 MiB of allocator slack (one byte kept per answer
    # would already be ~1 MiB, one small object per answer ~50 MiB).
    assert got["kib"] * 1024 < FIXED + PER_UNIT * UNITS + 4 * 1024 * 1024, got
    result = survey_points(
        big, survey_map_from_data(MAP), api.get_ruleset("sonla.department", 2023), 2023
    )
    sample = {"u03", "u11"}
    expected = _reference(1_000_000, sample)
    for unit in result.units:
        if unit.unit in sample:
            assert unit.nodes[0].value_exact == expected[unit.unit]
    print(f"1,000,000 answers: {got['s']:.2f} s, peak RSS growth {got['kib']} KiB")
