#!/usr/bin/env python3
"""Benchmark: Monte Carlo sensitivity, 10,000 draws × 63 units of the synthetic 100-leaf ruleset.

Usage (from the project root, with the package installed)::

    python benchmarks/bench_montecarlo.py [--draws 10000] [--units 63] [--repeat 3]

Each draw perturbs, with seed 1: the 20 proportional ratios (standing in for survey components)
by a normal error of SE 0.02, every cut point of the 30 tier rules by SD 0.02, and the group
cut-offs by SD 0.5 index points; every draw is scored exactly and ranked (competition), and the
median rank, the 5–95 % interval and the group probabilities are computed. The time is the best
of ``--repeat`` runs of :func:`parindex.analysis.sensitivity.run` (base scoring included).
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--units", type=int, default=63)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from parindex.analysis.sensitivity import Spec, run

    print(synthetic.command())
    print("machine:", synthetic.machine())
    ruleset = synthetic.load_ruleset()
    items = synthetic.make_assessments(ruleset, args.units)
    survey = {
        leaf.code: Decimal("0.02")
        for leaf in synthetic.leaves(ruleset)
        if leaf.rule.kind == "proportional"
    }
    spec = Spec(
        draws=args.draws, seed=1, se=survey, tier_sd=Decimal("0.02"), group_sd=Decimal("0.5")
    )
    best = float("inf")
    result = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = run(ruleset, items, spec)
        best = min(best, time.perf_counter() - t0)
    assert result is not None
    print("perturbations:", "; ".join(result.perturbations))
    print(
        f"{args.draws:,} draws × {args.units} units: {best:.3f} s"
        f" ({args.draws * args.units / best:,.0f} unit-scorings/s, best of {args.repeat})"
    )
    widest = max(result.units, key=lambda u: u.rank_p95 - u.rank_p05)
    print(
        f"widest 5–95 % rank interval: {widest.unit.label}, base rank {widest.base_rank},"
        f" {widest.rank_p05}–{widest.rank_p95}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
