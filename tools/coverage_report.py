"""Run the test suite under coverage and print the total and each core module's branch coverage.

Coverage is started *before* pytest (``python -m coverage run -m pytest``): parindex's own pytest
plugin is loaded from its entry point while pytest starts, and imports the package, so a
measurement started by a pytest plugin (pytest-cov) misses every module-level line. The CLI run
in subprocesses by the tests is measured too: ``patch = ["subprocess"]`` in pyproject.toml sets
``COVERAGE_PROCESS_START`` for them, and the ``.pth`` file that coverage installs into the
environment starts measuring in each child. The data of every process is then combined.

    .venv/bin/python tools/coverage_report.py                  # the whole suite
    .venv/bin/python tools/coverage_report.py tests/core       # a part (arguments go to pytest)
    .venv/bin/python tools/coverage_report.py --core-min 95    # fail below 95 % on a core module

Run it with the python of the environment under test (CI: the lowest-dependency one): coverage
must be installed there (it is in the ``test`` extra). Exit status: pytest's when the tests fail,
3 when a core module is below ``--core-min``, else 0. See docs/testing.md, "Coverage".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: The core (issue 19): its modules must each reach the ``--core-min`` branch coverage.
CORE = (
    "src/parindex/model/*.py",
    "src/parindex/scoring/engine.py",
    "src/parindex/scoring/entries.py",
    "src/parindex/scoring/walk.py",
    "src/parindex/scoring/construct.py",
    "src/parindex/scoring/receipt.py",
    "src/parindex/scoring/failures.py",
    "src/parindex/scoring/ranking.py",
    "plugins/parindex_core_rules/kinds.py",
    "src/parindex/analysis/reproduce/*.py",
)


def _branch_percent(summary: dict[str, int]) -> float:
    branches = summary["num_branches"]
    return 100.0 * summary["covered_branches"] / branches if branches else 100.0


def _coverage(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "coverage", *args], cwd=REPO, check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--core-min", type=float, default=0.0, help="least branch %% per core module")
    ap.add_argument("--no-run", action="store_true", help="report the data already collected")
    args, pytest_args = ap.parse_known_args(argv)
    if not args.no_run:
        # the data files: where COVERAGE_FILE says (so that two measurements can run side by side)
        data_file = Path(os.environ.get("COVERAGE_FILE", REPO / ".coverage"))
        for old in [
            *data_file.parent.glob(data_file.name),
            *data_file.parent.glob(data_file.name + ".*"),
        ]:
            old.unlink()
        run = [sys.executable, "-m", "coverage", "run", "-m", "pytest", *(pytest_args or ["-q"])]
        tests = subprocess.run(run, cwd=REPO, check=False)
        if tests.returncode != 0:
            print(f"tests failed (exit {tests.returncode}): no coverage figure")
            return tests.returncode
        _coverage("combine", "-q")
    data = Path(os.environ.get("COVERAGE_FILE", REPO / ".coverage")).with_name(
        ".coverage-report.json"
    )
    _coverage("json", "-q", "-o", str(data))
    files = json.loads(data.read_text(encoding="utf-8"))["files"]
    totals = json.loads(data.read_text(encoding="utf-8"))["totals"]
    data.unlink()
    print(
        f"coverage, whole package: {totals['percent_covered']:.1f} % line+branch,"
        f" {_branch_percent(totals):.1f} % of {totals['num_branches']} branches"
    )
    core = sorted(f for f in files if any(fnmatch(f, pattern) for pattern in CORE))
    print(f"{'core module':<48} {'branch':>7} {'line+branch':>12}  missing branches")
    low = []
    for name in core:
        summary = files[name]["summary"]
        branch = _branch_percent(summary)
        missing = summary["num_branches"] - summary["covered_branches"]
        print(f"{name:<48} {branch:>6.1f}% {summary['percent_covered']:>11.1f}%  {missing}")
        if branch < args.core_min:
            low.append(name)
    if low:
        print(f"below {args.core_min:g} % branch coverage: {', '.join(low)}")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
