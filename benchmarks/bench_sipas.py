#!/usr/bin/env python3
"""Benchmark: SIPAS aggregation over a generated file of one million answers.

Usage (from the project root, with the package installed)::

    python benchmarks/bench_sipas.py                    # 1,000,000 answers, 63 units
    python benchmarks/bench_sipas.py --answers 200000   # smaller
    python benchmarks/bench_sipas.py --keep answers.csv # keep the generated file

The file is generated deterministically (seeded): 63 units (provinces); each respondent answers
the 22 criteria of the 2017 framework, the 5 "in general" items and the overall item (28 rows),
about 5 % of answers blank, levels 1–5 otherwise. One million rows is about 35,700 respondents,
close to the ~36,000 a real SIPAS year surveys.

The aggregation runs in a fresh child process, so the figures are the aggregation's alone:
wall-clock time, peak resident memory (VmHWM on Linux, :mod:`rss`) and the peak right after
importing the SIPAS module (the baseline the aggregation adds to; numpy is imported with it).
The same is measured for a file of a tenth of the answers: memory flat means the same peak.
In the same run, and alternating with it, a second child reads the file with ``csv.reader`` and
``int()`` of every answer, the baseline of the ratio printed (issue 17: ≤ 1.5×). With ``--runs N``
each child runs N times and the medians are printed. The script prints the command it ran and
the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

#: The aggregation, timed in a fresh process: ``python -c CHILD FILE BENCHMARKS_DIR``. Memory is
#: read with benchmarks/rss.py (VmHWM: what this child used, not what its parent did).
CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from rss import peak_kib
from parindex_papi_sipas import sipas
base = peak_kib()
t0 = time.perf_counter()
aggregator = sipas.SipasAggregator()
aggregator.feed_csv(sys.argv[1])
result = aggregator.result(file=sys.argv[1])
elapsed = time.perf_counter() - t0
peak = peak_kib()
first = result.units[0]
print(json.dumps({
    "seconds": elapsed, "peak_rss_kib": peak, "baseline_rss_kib": base,
    "mode": "ordered" if aggregator.ordered else "exact",
    "rows": result.rows, "units": len(result.units),
    "respondents": sum(u.respondents for u in result.units),
    "first_unit": first.unit, "first_index": str(result.rounded(first.exact)),
}))
"""

BASELINE = r"""
import csv, json, sys, time
t0 = time.perf_counter()
with open(sys.argv[1], newline="", encoding="utf-8") as fh:
    rows = csv.reader(fh)
    next(rows)
    for row in rows:
        if row[3]:
            int(row[3])
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""


def _child(code: str, path: Path) -> dict[str, Any] | None:
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path), str(HERE)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return None
    got: dict[str, Any] = json.loads(proc.stdout)
    return got


def generate(path: Path, answers: int, units: int = 63, seed: int = 2017) -> None:
    from parindex_papi_sipas.sipas import SIPAS_2017

    items = SIPAS_2017.item_codes()
    rng = random.Random(seed)
    unit_names = [f"unit-{i:02d}" for i in range(1, units + 1)]
    weights = [5, 10, 20, 40, 25]  # levels 1..5
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("respondent,unit,item,answer\n")
        written = 0
        respondent = 0
        while written < answers:
            respondent += 1
            unit = unit_names[respondent % units]
            rid = f"r{respondent:07d}"
            lines = []
            for code in items:
                if written >= answers:
                    break
                if rng.random() < 0.05:
                    answer = ""
                else:
                    answer = str(rng.choices((1, 2, 3, 4, 5), weights)[0])
                lines.append(f"{rid},{unit},{code},{answer}\n")
                written += 1
            fh.write("".join(lines))


def added_kib(run: dict[str, Any]) -> int:
    """What one run of :data:`CHILD` added to the peak over the import, in KiB."""
    return int(run["peak_rss_kib"]) - int(run["baseline_rss_kib"])


def measure(path: Path, runs: int, *, baseline: bool = True) -> dict[str, Any] | None:
    """``runs`` runs of the aggregation of ``path`` (alternating with the ``csv.reader``
    baseline when ``baseline``): the median run's figures, plus the baseline's median seconds,
    their ratio, and the largest memory added of any run. None when a child failed."""
    got, baselines = [], []
    for _ in range(runs):
        run = _child(CHILD, path)
        base = _child(BASELINE, path) if baseline else {"seconds": 0.0}
        if run is None or base is None:
            return None
        got.append(run)
        baselines.append(float(base["seconds"]))
    got.sort(key=lambda run: float(run["seconds"]))
    figures = got[len(got) // 2]
    figures["baseline_seconds"] = statistics.median(baselines)
    figures["ratio"] = figures["seconds"] / figures["baseline_seconds"] if baseline else None
    figures["max_added_rss_kib"] = max(map(added_kib, got))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=63)
    parser.add_argument("--keep", type=Path, help="write the generated file here and keep it")
    parser.add_argument("--runs", type=int, default=1, help="runs of each child (medians)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "answers.csv"
        t0 = time.perf_counter()
        generate(path, args.answers, args.units)
        gen_seconds = time.perf_counter() - t0
        size = path.stat().st_size
        shown = f"{Path(sys.executable).name} -c '<aggregate_csv>' {path}"
        figures = measure(path, args.runs)
        # the same aggregation of a tenth of the answers: memory flat means the same peak
        tenth = Path(tmp) / "tenth.csv"
        generate(tenth, max(1, args.answers // 10), args.units)
        small = measure(tenth, args.runs, baseline=False)
        if figures is None or small is None:
            return 1
        figures["tenth_max_added_rss_kib"] = small["max_added_rss_kib"]

    figures.update(
        {
            "answers": args.answers,
            "file_bytes": size,
            "generate_seconds": round(gen_seconds, 2),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "command": " ".join(["python", "benchmarks/bench_sipas.py", *(argv or sys.argv[1:])]),
        }
    )
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"command:   {figures['command']}")
    print(f"child:     {shown}")
    print(
        f"input:     {args.answers:,} answer rows, {size / 1e6:.1f} MB,"
        f" {figures['units']} units, {figures['respondents']:,} respondents"
        f" (generated in {gen_seconds:.1f} s)"
    )
    print(
        f"time:      {figures['seconds']:.2f} s ({args.answers / figures['seconds']:,.0f} rows/s)"
    )
    print(
        f"baseline:  csv.reader + int() {figures['baseline_seconds']:.2f} s;"
        f" ratio {figures['ratio']:.2f}× (target ≤ 1.5×)"
    )
    print(
        f"memory:    peak RSS {figures['peak_rss_kib'] / 1024:.1f} MiB"
        f" (after importing it: {figures['baseline_rss_kib'] / 1024:.1f} MiB;"
        f" aggregation adds {added_kib(figures) / 1024:.1f} MiB)"
    )
    tenth_mib = figures["tenth_max_added_rss_kib"] / 1024
    print(
        f"flat:      {args.answers // 10:,} answers add {tenth_mib:.1f} MiB,"
        f" {args.answers:,} add {figures['max_added_rss_kib'] / 1024:.1f} MiB"
        f" (largest of {args.runs} run(s); {figures['mode']} mode)"
    )
    print(
        f"check:     {figures['rows']:,} rows counted; {figures['first_unit']} index"
        f" {figures['first_index']} %"
    )
    print(f"platform:  Python {figures['python']} on {figures['machine']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
