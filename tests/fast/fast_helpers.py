"""What the tests of the fused loops share: the mark that skips them without numba, and the
benchmarks' synthetic 100-leaf ruleset and inputs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from parindex.scoring.fast import fused

ROOT = Path(__file__).resolve().parents[2]
needs_numba = pytest.mark.skipif(
    fused.loops(fused.MIN_UNITS) is None, reason="numba (the optional extra) is not installed"
)


def bench_module() -> Any:
    """``benchmarks/synthetic.py`` (its ruleset and generated arrays)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic as module

    return module


def flat_ruleset(rid: str, nodes: list[dict[str, Any]], **more: Any) -> Any:
    """A one-level test ruleset of ``nodes`` (2024, rounded to 2 places half up)."""
    from parindex import api

    return api.load_ruleset(
        {
            "id": rid,
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "test"},
            "rounding": {"places": 2, "mode": "half_up"},
            "nodes": nodes,
            **more,
        }
    )
