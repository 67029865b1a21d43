#!/usr/bin/env python3
"""Every row of the performance table, each as a ratio to its own baseline measured in the same run.

Usage (from the project root, with the package installed)::

    python benchmarks/run_all.py                 # every row, full sizes (~10 minutes)
    python benchmarks/run_all.py --quick         # every row, small sizes (~1 minute)
    python benchmarks/run_all.py --only card,help --runs 5

A shared machine's speed changes from minute to minute, so no figure here is compared with a
number written down elsewhere: each path is timed next to a baseline that does the least work
the same job needs (a plain Decimal loop, ``csv.reader``, ``python -c pass`` …), alternating the
two, and the ratio of their medians over ``--runs`` repetitions is printed with the target.
The command-line rows run fresh processes; the in-process rows run here. Nothing is asserted:
the script prints, the reader judges (docs/performance.md keeps the figures).

The batch row against OpenFisca-Core needs a separate environment; see benchmarks/peers/.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED_BENCH = ROOT.parent / "shared" / "bench"
sys.path.insert(0, str(HERE))
import synthetic  # noqa: E402

PY = sys.executable
EXAMPLE = "examples/moha-2017-example.yaml"


def parindex_exe() -> str:
    return shutil.which("parindex", path=str(Path(PY).parent)) or "parindex"


# ----------------------------------------------------------------------------- timing helpers
def wall(cmd: Sequence[str], timeout: float | None = None) -> float:
    """Seconds the command took (``timeout`` when it was stopped there: a lower bound)."""
    t0 = time.perf_counter()
    try:
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, check=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return float(timeout or 0)
    return time.perf_counter() - t0


def paired(path: Callable[[], float], base: Callable[[], float], runs: int) -> tuple[float, float]:
    """Medians of ``runs`` alternating timings of ``path`` and ``base`` (each returns seconds)."""
    p, b = [], []
    for _ in range(runs):
        b.append(base())
        p.append(path())
    return statistics.median(p), statistics.median(b)


def per_call(fn: Callable[[Any], Any], items: Sequence[Any]) -> float:
    """Seconds per call of ``fn`` over ``items`` (one call per item)."""
    t0 = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - t0) / len(items)


ROWS: list[dict[str, Any]] = []


def report(row: str, path: float, base: float, unit: str, target: str, note: str = "") -> None:
    ratio = path / base if base else float("inf")
    ROWS.append(
        {
            "row": row,
            "path": path,
            "baseline": base,
            "unit": unit,
            "ratio": ratio,
            "target": target,
            "note": note,
        }
    )
    print(
        f"{row:<58} {path:>10.4g} {unit:<3} ÷ {base:>10.4g} {unit:<3} = {ratio:>7.2f}×"
        f"  (target {target}){'  ' + note if note else ''}",
        flush=True,
    )


# ----------------------------------------------------------------------------- in-process rows
def naive_one_unit() -> tuple[Callable[[Any], Any], list[Any]]:
    """The peer benchmark's plain Decimal walk (../shared/bench/naive.py), one unit per call."""
    sys.path.insert(0, str(SHARED_BENCH))
    import naive
    import synth

    sys.path.pop(0)
    ruleset = synth.load_ruleset()
    root = naive.build(ruleset)
    inputs = synth.make_inputs(ruleset, 200)
    units = [{c: v[i : i + 1] for c, v in inputs.items()} for i in range(200)]
    return (lambda u: naive.score_batch(root, u)), units


def rows_in_process(args: argparse.Namespace) -> None:
    from parindex import api
    from parindex.scoring import fast

    ruleset = synthetic.load_ruleset()
    assessments = synthetic.make_assessments(ruleset, 200)
    naive_fn, naive_units = naive_one_unit()
    arrays = synthetic.make_arrays(ruleset, 200)
    ones = [{c: v[i : i + 1] for c, v in arrays.items()} for i in range(200)]
    compiled = fast.compile_ruleset(ruleset)
    for fn, items in (
        (naive_fn, naive_units),
        (lambda a: api.score(a, ruleset), assessments),
        (lambda a: api.score_summary(a, ruleset), assessments),
        (lambda u: fast.score_batch(compiled, u), ones),
    ):
        fn(items[0])  # warm: first-call caches are not what N = 1 measures

    def med(fn: Callable[[Any], Any], items: Sequence[Any]) -> float:
        return statistics.median(per_call(fn, items) for _ in range(args.runs))

    pairs = [
        (
            "card",
            "explained ScoreCard (api.score) ÷ naive loop, N = 1",
            "≤ 3×",
            lambda a: api.score(a, ruleset),
            assessments,
        ),
        (
            "summary",
            "score_summary ÷ naive loop, N = 1",
            "≤ 1×",
            lambda a: api.score_summary(a, ruleset),
            assessments,
        ),
        (
            "fixed",
            "fast.score_batch fixed cost, N = 1 ÷ naive loop",
            "≤ 0.5 ms",
            lambda u: fast.score_batch(compiled, u),
            ones,
        ),
    ]
    for key, label, target, fn, items in pairs:
        if key not in args.only:
            continue
        p, b = [], []
        for _ in range(args.runs):
            b.append(per_call(naive_fn, naive_units))
            p.append(per_call(fn, items))
        report(label, statistics.median(p) * 1e3, statistics.median(b) * 1e3, "ms", target)


# ----------------------------------------------------------------------------- command-line rows
def rows_startup(args: argparse.Namespace) -> None:
    exe = parindex_exe()
    for _ in range(2):  # page cache
        wall([PY, "-c", "import pydantic"])
        wall([exe, "score", EXAMPLE])
    checks = [
        (
            "cold",
            "`parindex score EXAMPLE` ÷ `python -c 'import pydantic'`",
            "≤ 2×",
            [exe, "score", EXAMPLE],
            [PY, "-c", "import pydantic"],
        ),
        (
            "help",
            "`parindex --help` ÷ `python -c pass`",
            "≤ 4×",
            [exe, "--help"],
            [PY, "-c", "pass"],
        ),
        (
            "help",
            "`parindex --version` ÷ `python -c pass`",
            "≤ 4×",
            [exe, "--version"],
            [PY, "-c", "pass"],
        ),
    ]
    runs = max(args.runs, 5)
    for key, label, target, cmd, base in checks:
        if key in args.only:
            p, b = paired(lambda c=cmd: wall(c), lambda c=base: wall(c), runs)
            report(label, p * 1e3, b * 1e3, "ms", target, f"median of {runs}")


CSV_BASELINE = r"""
import csv, sys
n = 0
with open(sys.argv[1], newline="", encoding="utf-8") as fh:
    rows = csv.reader(fh)
    next(rows)
    for row in rows:
        for cell in row[3:]:
            float(cell)
        n += 1
"""


def write_rank_csv(path: Path, rows: int) -> Path:
    """The synthetic ruleset's 100 leaves as points (``parindex rank`` reads a CSV so)."""
    import numpy as np

    ruleset = synthetic.load_ruleset()
    rng = np.random.default_rng(synthetic.SEED)
    cents = {leaf.code: int(leaf.maximum * 100) for leaf in synthetic.leaves(ruleset)}
    draws = np.stack([rng.integers(0, m + 1, rows) for m in cents.values()], axis=1) / 100
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["ruleset", "year", "unit", *cents])
        head = [ruleset.id, str(ruleset.years[0])]
        for i in range(rows):
            w.writerow([*head, f"u{i:07d}", *(f"{x:.2f}" for x in draws[i])])
    return path


#: ``parindex ARGS…`` with the synthetic ruleset added to the default registry (no shipped plugin
#: has it, and ``rank`` reads rulesets from the registry only): the command's own code path.
CLI_CHILD = r"""
import sys
from parindex import api
from parindex.cli.main import main
api.default_registry().add(api.load_ruleset(sys.argv[1]))
sys.exit(main(sys.argv[2:]))
"""


def rows_csv(args: argparse.Namespace, tmp: Path) -> None:
    rs = str(synthetic.RULESET)
    # the files are above the default 20 MiB input limit (docs/reliability.md): raised, as told
    os.environ.setdefault("PARINDEX_MAX_FILE_BYTES", str(2**31))

    def cli(*argv: str) -> list[str]:
        return [PY, "-c", CLI_CHILD, rs, *argv]

    if "rank" in args.only:
        n = 10_000 if args.quick else 100_000
        big = write_rank_csv(tmp / f"rank-{n}.csv", n)
        p, b = paired(
            lambda: wall(cli("rank", str(big))),
            lambda: wall([PY, "-c", CSV_BASELINE, str(big)]),
            args.runs,
        )
        report(f"`parindex rank` {n:,} rows ÷ csv.reader + float()", p, b, "s", "≤ 1.5×")
    if "report" in args.only:
        n = 20_000 if args.quick else 200_000
        big = write_rank_csv(tmp / f"report-{n}.csv", n)
        from parindex import api
        from parindex.io.registry import Registry

        registry = Registry()
        registry.add(synthetic.load_ruleset())
        first = tmp / "first.csv"  # the report's subject: the batch's first unit, as a score card
        with big.open(encoding="utf-8") as fh:
            first.write_text(fh.readline() + fh.readline(), encoding="utf-8")
        card = tmp / "unit.json"
        card.write_text(api.score_csv(first, registry=registry)[0].to_json(), encoding="utf-8")
        runs = 1 if not args.quick else args.runs
        base = statistics.median(wall(cli("rank", str(big))) for _ in range(runs))
        cap = max(10 * base, 60.0)  # a card per row took ~1 h for 200,000 rows: stop before
        p = statistics.median(
            wall(cli("report", str(card), "--batch", str(big), "-f", "markdown"), timeout=cap)
            for _ in range(runs)
        )
        stopped = f"stopped at {cap:.0f} s: a lower bound; " if p >= cap else ""
        report(
            f"`parindex report --batch` {n:,} rows ÷ `parindex rank` same file",
            p,
            base,
            "s",
            "≤ 1.5×",
            f"{stopped}median of {runs}",
        )


#: ``python -c MEMORY_CHILD N BENCHMARKS_DIR``, with PARINDEX_NUMBA=0 for the numpy path. Before
#: the baseline is read, everything a first call loads is loaded (numba imported, its loops
#: compiled or read from its cache, the ruleset's caches filled): the figure is what scoring N
#: units adds, not what importing numba adds.
MEMORY_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[2])
import rss, synthetic
from parindex.scoring import fast
from parindex.scoring.fast import fused, kernel
n = int(sys.argv[1])
ruleset = synthetic.load_ruleset()
compiled = fast.compile_ruleset(ruleset)
warm = synthetic.make_arrays(ruleset, 2 * fused.MIN_UNITS, seed=1)
for _ in range(2):  # the second call takes what the first kept (scales, tables)
    fast.score_batch(compiled, warm)
del warm
arrays = synthetic.make_arrays(ruleset, n)
inputs = sum(a.nbytes for a in arrays.values())
rss.trim()
before = rss.current_kib()
reset = rss.reset_peak()
result = fast.score_batch(compiled, arrays)
peak = rss.peak_kib()
results = sum(v.nbytes for v in vars(result).values() if hasattr(v, "nbytes"))
print(json.dumps({
    "added_mib": (peak - before) / 1024, "inputs_mib": inputs / 2**20,
    "results_mib": results / 2**20, "peak_reset": reset, "engine": result.engine,
    "numba": "numba" in sys.modules, "chunk": kernel.CHUNK,
}))
"""


def _numba_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("numba") is not None


def rows_memory(args: argparse.Namespace) -> None:
    if "memory" not in args.only:
        return
    n = 100_000 if args.quick else 1_000_000
    paths = [("numpy path", "0")]
    if _numba_installed():
        paths.append(("numba path", "1"))
    for name, flag in paths:
        out = subprocess.run(
            [PY, "-c", MEMORY_CHILD, str(n), str(HERE)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PARINDEX_NUMBA": flag},
        ).stdout
        got = json.loads(out)
        note = (
            f"results {got['results_mib']:.1f} MiB of it; chunks of {got['chunk']:,} units;"
            f" engine={got['engine']}; numba {'loaded before' if got['numba'] else 'not loaded'}"
        )
        if not got["peak_reset"]:
            note += "; peak since the child started (no /proc/self/clear_refs): an upper bound"
        report(
            f"memory, score_batch of {n:,} units ({name}): peak RSS added ÷ the inputs' size",
            got["added_mib"],
            got["inputs_mib"],
            "MiB",
            "≤ +64 MiB",
            note,
        )


def rows_sipas(args: argparse.Namespace, tmp: Path) -> None:
    """bench_sipas.py's children: its memory is VmHWM over the import (benchmarks/rss.py), which a
    child does not inherit from this (large) process as it does ``ru_maxrss``; a file of a tenth
    of the answers shows whether memory is flat."""
    if "sipas" not in args.only:
        return
    import bench_sipas

    n = 100_000 if args.quick else 1_000_000
    path, tenth = tmp / "answers.csv", tmp / "tenth.csv"
    bench_sipas.generate(path, n)
    bench_sipas.generate(tenth, n // 10)
    got = bench_sipas.measure(path, args.runs)
    small = bench_sipas.measure(tenth, args.runs, baseline=False)
    if got is None or small is None:
        raise RuntimeError("the SIPAS child failed (its error is printed above)")
    report(
        f"SIPAS aggregate_csv, {n:,} answers ÷ csv.reader + int()",
        got["seconds"],
        got["baseline_seconds"],
        "s",
        "≤ 1.5×, memory flat",
        f"memory +{got['max_added_rss_kib'] / 1024:.1f} MiB over the import"
        f" (+{small['max_added_rss_kib'] / 1024:.1f} MiB for {n // 10:,} answers;"
        f" {got['mode']} mode)",
    )


ALL = ("card", "summary", "fixed", "cold", "help", "rank", "report", "memory", "sipas")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions per row (median)")
    parser.add_argument("--only", default=",".join(ALL), help=f"rows, of: {','.join(ALL)}")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    args = parser.parse_args()
    args.only = set(args.only.split(","))
    print(synthetic.command())
    print("machine:", synthetic.machine())
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    rows_startup(args)
    rows_in_process(args)
    rows_memory(args)
    with tempfile.TemporaryDirectory() as tmp:
        rows_sipas(args, Path(tmp))
        rows_csv(args, Path(tmp))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(ROWS, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
