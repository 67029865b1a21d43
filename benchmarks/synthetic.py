"""Inputs for the synthetic 100-leaf ruleset, generated with a fixed seed.

As ../shared/data/bench/README.md describes them: ratios k/100 for tiers (so band bounds are hit
exactly), k/1000 up to 1.05 for proportional (so clamping is exercised), option indices and
violation counts as integers, direct points in hundredths up to 1.1 × max. parindex rejects direct
points above the maximum (the source clamps them), so they are clamped here, as they are drawn.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RULESET = HERE / "data" / "synthetic-100.yaml"
SEED = 20240601


def load_ruleset() -> Any:
    from parindex import api

    if not RULESET.exists():
        subprocess.run(
            [sys.executable, str(HERE / "convert_synthetic.py")],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return api.load_ruleset(RULESET)


def leaves(ruleset: Any) -> list[Any]:
    return [n for n in ruleset.iter_nodes() if not n.children]


def make_arrays(ruleset: Any, n: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """One array per leaf code: floats for measures and points, integers for options/counts."""
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for leaf in leaves(ruleset):
        rule = leaf.rule
        kind = rule.kind
        if kind == "tiers":
            out[leaf.code] = rng.integers(0, 101, n) / 100
        elif kind == "proportional":
            out[leaf.code] = rng.integers(0, 1051, n) / 1000
        elif kind == "choice":
            out[leaf.code] = rng.integers(0, len(rule.options), n)
        elif kind == "deduction":
            worst = int(np.ceil(float(leaf.maximum) / float(rule.per_violation))) + 2
            out[leaf.code] = rng.integers(0, worst + 1, n)
        elif kind == "points":
            cents = int(leaf.maximum * 100)
            drawn = rng.integers(0, int(cents * 1.1) + 1, n)
            out[leaf.code] = np.minimum(drawn, cents) / 100
        else:  # pragma: no cover
            raise ValueError(kind)
    return out


def make_assessments(ruleset: Any, n: int, seed: int = SEED) -> list[Any]:
    """The same inputs as :func:`make_arrays`, as parindex assessments (exact decimals)."""
    return assessments_from_arrays(ruleset, make_arrays(ruleset, n, seed), range(n))


def assessments_from_arrays(ruleset: Any, arrays: dict[str, np.ndarray], rows: Any) -> list[Any]:
    """Rows of :func:`make_arrays` output as assessments."""
    from parindex.model.documents import Assessment

    kinds = {leaf.code: leaf.rule.kind for leaf in leaves(ruleset)}
    out = []
    for i in rows:
        inputs: dict[str, Any] = {}
        for code, arr in arrays.items():
            kind = kinds[code]
            if kind in ("tiers", "proportional"):
                inputs[code] = {"measure": Decimal(repr(float(arr[i])))}
            elif kind == "choice":
                inputs[code] = {"choice": str(int(arr[i]))}
            elif kind == "deduction":
                inputs[code] = {"count": int(arr[i])}
            else:
                inputs[code] = {"points": Decimal(repr(float(arr[i])))}
        out.append(
            Assessment.model_validate(
                {
                    "ruleset": ruleset.id,
                    "year": ruleset.years[0],
                    "unit": {"id": f"u{i:06d}", "name": f"Unit {i}"},
                    "inputs": inputs,
                }
            )
        )
    return out


def machine() -> str:
    """One line describing the machine, for the figures."""
    import numpy

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return (
        f"{os.cpu_count()} CPU(s), {cpu}; Python {platform.python_version()};"
        f" numpy {numpy.__version__}; {platform.system()} {platform.release()}"
    )


def command() -> str:
    return "$ python " + " ".join([str(Path(sys.argv[0])), *sys.argv[1:]])
