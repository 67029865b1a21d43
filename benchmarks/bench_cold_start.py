#!/usr/bin/env python3
"""Benchmark: cold start of ``parindex score examples/moha-2017-example.yaml``.

Usage (from the project root, with the package installed)::

    python benchmarks/bench_cold_start.py [--runs 30]

Runs the command ``--runs`` times in fresh processes (after 3 warm-up runs, so the files are in
the page cache and the bytecode is written) and prints the wall time (min, median, mean) and the
CPU time of the child processes, with the load average, since on a shared machine the wall time
depends on it. The children keep their bytecode in a folder of their own
(``PYTHONPYCACHEPREFIX``, even under ``PYTHONDONTWRITEBYTECODE``): a checkout being edited would
otherwise have its changed modules compiled again in every run, which an installed parindex
never does. CPU times are each child's own (``os.wait4``, to the microsecond). With
hyperfine installed it is run too, and its summary printed. Then ``python -X importtime``
lists the slowest imports of one run, and the floors: the CPU time (median of ``--runs``,
alternating) of ``python -c pass``, ``import pydantic``, ``from pydantic import BaseModel``,
pydantic's names with PyYAML and one model validated (what any command validating a file with
pydantic pays), importing the models a score needs (``parindex.model.documents``) and the API,
each as a ratio to ``import pydantic`` — what any ``parindex score`` pays before it reads a file.
"""

from __future__ import annotations

import argparse
import atexit
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/moha-2017-example.yaml"

#: The children's environment: bytecode written once, to a folder of this run (see above).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CHILD_ENV["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="parindex-bench-pyc-")
atexit.register(shutil.rmtree, CHILD_ENV["PYTHONPYCACHEPREFIX"], ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    exe = shutil.which("parindex", path=str(Path(sys.executable).parent)) or "parindex"
    cmd = [exe, "score", EXAMPLE]
    print(synthetic.command())
    print("machine:", synthetic.machine())
    print("command:", " ".join(cmd))
    print("bytecode:", CHILD_ENV["PYTHONPYCACHEPREFIX"], "(written by the warm-up runs)")
    for _ in range(3):
        cpu_of(cmd)
    for _, code in FLOORS:
        cpu_of([sys.executable, "-c", code])
    walls = []
    cpus = []
    load0 = os.getloadavg()
    for _ in range(args.runs):
        t0 = time.perf_counter()
        cpus.append(cpu_of(cmd))
        walls.append(time.perf_counter() - t0)
    cpu = statistics.mean(cpus)
    print(
        f"load average before: {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f};"
        f" after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"wall: min {min(walls) * 1e3:.0f} ms, median {statistics.median(walls) * 1e3:.0f} ms,"
        f" mean {statistics.mean(walls) * 1e3:.0f} ms over {args.runs} runs;"
        f" CPU (user+sys) {cpu * 1e3:.0f} ms per run"
    )
    if shutil.which("hyperfine"):
        out = subprocess.run(
            ["hyperfine", "--warmup", "3", "--runs", str(args.runs), "-N", " ".join(cmd)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=CHILD_ENV,
        )
        print("hyperfine:")
        print("\n".join("  " + line for line in out.stdout.splitlines() if line.strip()))
    imp = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "parindex.cli.main", "score", EXAMPLE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=CHILD_ENV,
    )
    rows = []
    for line in imp.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), m.group(4)))
    print("slowest imports of one run (self time, cumulative), python -X importtime:")
    for self_us, cum_us, name in sorted(rows, reverse=True)[:12]:
        print(f"  {self_us / 1e3:6.1f} ms {cum_us / 1e3:7.1f} ms  {name}")
    floors(cmd, args.runs)
    return 0


#: What any command validating a file with pydantic pays: the names the models use, PyYAML, and
#: the first model validated (which builds a validator, and with it imports importlib.metadata
#: for pydantic's own plugins and reads the installed entry points).
PYDANTIC_FLOOR = """\
import yaml
from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
    PlainSerializer, PrivateAttr, SerializeAsAny, StrictBool, model_validator)
class M(BaseModel):
    x: int = Field(1)
M()
"""

FLOORS = [
    ("python -c pass", "pass"),
    ("import pydantic", "import pydantic"),
    ("from pydantic import BaseModel", "from pydantic import BaseModel"),
    ("pydantic + PyYAML, one model validated (floor)", PYDANTIC_FLOOR),
    ("import parindex.model.documents", "import parindex.model.documents"),
    ("import parindex.api", "import parindex.api"),
]


def cpu_of(cmd: list[str]) -> float:
    """CPU seconds (user + system) of one run of ``cmd`` in a fresh process: its own rusage, to
    the microsecond (``os.times`` counts whole clock ticks of 10 ms)."""
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, env=CHILD_ENV)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, cmd)
    return usage.ru_utime + usage.ru_stime


def floors(cmd: list[str], runs: int) -> None:
    """CPU time of what a cold ``parindex score`` cannot avoid, next to the command itself."""
    named = [(label, [sys.executable, "-c", code]) for label, code in FLOORS]
    named.append((" ".join(["parindex", *cmd[1:]]), cmd))
    times: dict[str, list[float]] = {label: [] for label, _ in named}
    for _ in range(runs):
        for label, argv in named:
            times[label].append(cpu_of(argv))
    base = statistics.median(times["import pydantic"])
    print(f"floors, CPU time (median of {runs}, alternating), ratio to `import pydantic`:")
    for label, _ in named:
        t = statistics.median(times[label])
        print(f"  {label:<52} {t * 1e3:7.1f} ms  {t / base:5.2f}×")
    over = statistics.median(times[named[-1][0]]) - statistics.median(times[FLOORS[3][0]])
    print(f"  the command over the floor: {over * 1e3:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
