#!/usr/bin/env python3
"""Benchmark: one assessment of the synthetic 100-leaf ruleset through the Python API.

Usage (from the project root, with the package installed)::

    python benchmarks/bench_latency.py [--units 300] [--repeat 5]

Per-assessment latency, the best of ``--repeat`` passes over ``--units`` different assessments
(already parsed; the ruleset loaded once):

* ``api.score`` — the full score card: every check and total at once, each node's entry (its
  %, trace and source) made when the card is first read;
* ``api.score`` and every entry read — the same card with its 139 entries made (what a report,
  ``explain`` or a JSON dump pays once per card), and with the JSON written;
* ``engine.score`` — the same, without the API's ruleset resolution;
* ``fast.score_one`` — total, index and group only, from the compiled ruleset in exact Python
  integers (no numpy), checked equal to ``api.score``'s for every assessment;
* ``api.score_summary`` — the same through the API;
* ``fast.score_batch, N = 1`` — the batch path's fixed cost: one unit's arrays (one element
  per leaf) to a :class:`BatchResult`;
* every leaf's ``Rule.evaluate`` alone — each leaf's points with the option or tier matched and
  the arithmetic, which its trace states (the rule kinds' own code, from the plugin), and
  ``Rule.evaluate_points`` alone: the points only, which is what scoring calls.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic


def latency(fn: Callable[[Any], Any], items: list[Any], repeat: int) -> float:
    fn(items[0])
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for a in items:
            fn(a)
        best = min(best, (time.perf_counter() - t0) / len(items))
    return best


def rules_alone(leaves: list[Any], assessment: Any) -> None:
    inputs = assessment.inputs
    for node in leaves:
        node.rule.evaluate(inputs[node.code].final.raw(), node.maximum)


def points_alone(leaves: list[Any], assessment: Any) -> None:
    inputs = assessment.inputs
    for node in leaves:
        node.rule.evaluate_points(inputs[node.code].final.raw(), node.maximum)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from parindex import api
    from parindex.scoring import engine
    from parindex.scoring.fast import compile_ruleset, score_batch, score_one
    from parindex_core_rules.kinds import PointsRule

    print(synthetic.command())
    print("machine:", synthetic.machine())
    ruleset = synthetic.load_ruleset()
    items = synthetic.make_assessments(ruleset, args.units)
    leaves = [n for n in ruleset.iter_nodes() if n.rule is not None and not n.children]
    cards = [api.score(a, ruleset) for a in items]
    same = all(
        (o.total, o.index, o.group) == (c.total, c.index, c.group)
        for o, c in zip((score_one(ruleset, a) for a in items), cards, strict=True)
    )
    print(
        f"{len(items)} assessments of {synthetic.RULESET.name} (100 leaves);"
        f" score_one equal to api.score on all: {same}"
    )
    compiled = compile_ruleset(ruleset)
    arrays = synthetic.make_arrays(ruleset, args.units)
    ones = [{c: v[i : i + 1] for c, v in arrays.items()} for i in range(args.units)]
    rows = [
        (
            "api.score (full score card)",
            latency(lambda a: api.score(a, ruleset), items, args.repeat),
        ),
        (
            "api.score, every entry read",
            latency(lambda a: api.score(a, ruleset).nodes, items, args.repeat),
        ),
        (
            "api.score, JSON written",
            latency(lambda a: api.score(a, ruleset).to_json(), items, args.repeat),
        ),
        (
            "engine.score (full score card)",
            latency(lambda a: engine.score(ruleset, a, PointsRule), items, args.repeat),
        ),
        (
            "fast.score_one (total, index, group)",
            latency(lambda a: score_one(ruleset, a), items, args.repeat),
        ),
        (
            "api.score_summary (total, index, group)",
            latency(lambda a: api.score_summary(a, ruleset), items, args.repeat),
        ),
        (
            "fast.score_batch, N = 1 (arrays)",
            latency(lambda u: score_batch(compiled, u), ones, args.repeat),
        ),
        (
            "each leaf's Rule.evaluate alone",
            latency(lambda a: rules_alone(leaves, a), items, args.repeat),
        ),
        (
            "each leaf's Rule.evaluate_points alone",
            latency(lambda a: points_alone(leaves, a), items, args.repeat),
        ),
    ]
    for name, secs in rows:
        print(f"  {name:<40} {secs * 1e3:8.3f} ms per assessment")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
