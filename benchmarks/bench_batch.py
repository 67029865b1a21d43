#!/usr/bin/env python3
"""Benchmark: batch scoring of the synthetic 100-leaf ruleset, and one assessment's latency.

Usage (from the project root, with the package installed)::

    python benchmarks/bench_batch.py                      # 1,000 / 10,000 / 100,000 units
    python benchmarks/bench_batch.py --sizes 10000 --verify all

Figures, each the best of ``--repeat`` runs on one core (numpy's own threads are not used by
these operations), units per second = units ÷ seconds:

* ``fast, float inputs`` — ``parindex.scoring.fast.score_batch`` from one float64 array per leaf
  (as a caller holds them: ratios 0.29, points 1.25; options and counts as integers), reading every
  float as its exact decimal, to totals, indices, groups and ranks;
* ``fast, float inputs + decimals`` — the same, told the inputs' decimal places;
* ``fast, fixed-point inputs`` — from integer arrays already in fixed point (hundredths, …);
* ``fast, first call`` — a fresh compiled ruleset (plans, lookup tables) and new inputs;
* ``plain Decimal loop`` — the reference engine's arithmetic (rule by rule, tree sums, one
  rounding) without building score cards: the README's "plain Decimal loop";
* ``reference engine`` — ``engine.score`` (full score cards), on a sample;
* ``rank_batch from assessments`` — ``parindex.scoring.fast.rank_batch`` on parsed assessments (what
  ``parindex rank`` would call), against ``api.rank(api.score_many(...))`` on a sample.

Every total, index and group of the fast path is compared with the plain Decimal loop (all units
with ``--verify all``, else the first 20,000) and with the reference engine on a sample.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def decimal_loop(ruleset: Any, arrays: dict[str, np.ndarray], n: int) -> list[tuple[Any, ...]]:
    """The engine's arithmetic, unit by unit, in Decimal: rule.evaluate for every leaf, sums up
    the tree (in the default context, as the engine sums), one rounding, the same index and
    group. No score cards."""
    from parindex.model.decimals import CONTEXT, HUNDRED, ZERO, round_to
    from parindex.model.validation import classify

    places, mode = ruleset.rounding.places, ruleset.rounding.mode
    maximum = ruleset.maximum
    leaves = {leaf.code: leaf for leaf in synthetic.leaves(ruleset)}
    kinds = {code: leaf.rule.kind for code, leaf in leaves.items()}
    # the inputs as the engine receives them (exact decimals, option keys, counts)
    columns: dict[str, list[Any]] = {}
    for code, arr in arrays.items():
        kind = kinds[code]
        if kind in ("tiers", "proportional", "points"):
            columns[code] = [Decimal(repr(float(v))) for v in arr[:n]]
        elif kind == "choice":
            columns[code] = [str(int(v)) for v in arr[:n]]
        else:
            columns[code] = [Decimal(int(v)) for v in arr[:n]]

    def node_points(node: Any, i: int) -> Decimal:
        if node.children:
            return sum((node_points(c, i) for c in node.children), ZERO)
        return node.rule.evaluate(columns[node.code][i], node.maximum).points  # type: ignore[no-any-return]

    out = []
    for i in range(n):
        total = sum((node_points(top, i) for top in ruleset.nodes), ZERO)
        index = round_to(CONTEXT.multiply(CONTEXT.divide(total, maximum), HUNDRED), places, mode)
        band = classify(index, ruleset.groups)
        out.append((round_to(total, places, mode), index, band.label if band else None))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--verify", choices=["sample", "all"], default="sample")
    parser.add_argument(
        "--engine-sample",
        type=int,
        default=300,
        help="units scored by engine.score for the comparison (default 300)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    from parindex import api
    from parindex.scoring import engine
    from parindex.scoring.fast import FixedColumn, compile_ruleset, rank_batch, score_batch
    from parindex_core_rules.kinds import PointsRule

    print(synthetic.command())
    print("machine:", synthetic.machine())
    ruleset = synthetic.load_ruleset()
    print(
        f"ruleset: {synthetic.RULESET.relative_to(synthetic.ROOT)}"
        f" ({len(synthetic.leaves(ruleset))} leaves)"
    )
    decimals = {
        leaf.code: (3 if leaf.rule.kind == "proportional" else 2)
        for leaf in synthetic.leaves(ruleset)
        if leaf.rule.kind in ("tiers", "proportional", "points")
    }
    print()
    print(f"{'units':>8}  {'path':<36} {'seconds':>10} {'units/s':>12}")
    ok = True
    for n in sizes:
        arrays = synthetic.make_arrays(ruleset, n)
        fixed = {
            c: (
                FixedColumn(np.rint(v * 10 ** decimals[c]).astype(np.int64), decimals[c])
                if c in decimals
                else v.astype(np.int64)
            )
            for c, v in arrays.items()
        }
        score_batch(ruleset, arrays)  # compile, warm up
        rows = []
        t = best(lambda: score_batch(ruleset, arrays), args.repeat)  # noqa: B023
        rows.append(("fast, float inputs", t))
        t = best(lambda: score_batch(ruleset, arrays, decimals=decimals), args.repeat)  # noqa: B023
        rows.append(("fast, float inputs + decimals", t))
        t = best(lambda: score_batch(ruleset, fixed), args.repeat)  # noqa: B023
        rows.append(("fast, fixed-point inputs", t))
        fresh = synthetic.make_arrays(ruleset, n, seed=n + 1)
        t0 = time.perf_counter()
        score_batch(compile_ruleset(ruleset), fresh)
        rows.append(("fast, first call (compile + score)", time.perf_counter() - t0))
        for name, secs in rows:
            print(f"{n:>8}  {name:<36} {secs:>10.4f} {n / secs:>12,.0f}")
        # ---- agreement
        res = score_batch(ruleset, arrays)
        m = n if args.verify == "all" else min(n, 20_000)
        t0 = time.perf_counter()
        ref = decimal_loop(ruleset, arrays, m)
        dt = time.perf_counter() - t0
        print(f"{m:>8}  {'plain Decimal loop':<36} {dt:>10.4f} {m / dt:>12,.0f}")
        bad = sum(
            1
            for i, (tot, idx, grp) in enumerate(ref)
            if (res.total(i), res.index(i), res.group(i)) != (tot, idx, grp)
        )
        k = min(n, args.engine_sample)
        items = synthetic.assessments_from_arrays(ruleset, arrays, range(k))
        t0 = time.perf_counter()
        cards = [engine.score(ruleset, a, PointsRule) for a in items]
        dt = time.perf_counter() - t0
        print(f"{k:>8}  {'reference engine (score cards)':<36} {dt:>10.4f} {k / dt:>12,.0f}")
        bad_engine = sum(
            1
            for i, c in enumerate(cards)
            if (res.total(i), res.index(i), res.group(i)) != (c.total, c.index, c.group)
        )
        print(
            f"          agreement: {m - bad}/{m} units equal to the plain Decimal loop"
            f" (total, index, group); {k - bad_engine}/{k} equal to engine.score;"
            f" {len(res.reference_rows)} units deferred to the engine"
        )
        ok = ok and bad == 0 and bad_engine == 0
        if n <= 10_000:
            items = synthetic.assessments_from_arrays(ruleset, arrays, range(n))
            t0 = time.perf_counter()
            table = rank_batch(ruleset, items)
            dt = time.perf_counter() - t0
            print(f"{n:>8}  {'rank_batch from assessments':<36} {dt:>10.4f} {n / dt:>12,.0f}")
            sample = items[: min(n, args.engine_sample)]
            same = rank_batch(ruleset, sample) == api.rank(
                [engine.score(ruleset, a, PointsRule) for a in sample]
            )
            print(f"          rank_batch table equals api.rank(...) on {len(sample)} units: {same}")
            ok = ok and same and len(table.entries) == n
        print()
    print("all results equal to the Decimal engine's:", ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
