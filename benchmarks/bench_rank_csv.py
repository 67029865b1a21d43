#!/usr/bin/env python3
"""Benchmark: ``parindex rank`` on a CSV — the fast reader against the standard one.

Usage (from the project root, with the package installed)::

    python benchmarks/bench_rank_csv.py [--rows 10000] [--standard-rows 1000]

Writes a CSV of the synthetic 100-leaf ruleset (columns ruleset, year, unit, then the 100 leaf
codes holding points, as ``parindex rank`` reads a CSV) and times
:func:`parindex.scoring.fast.rank_csv` on all rows; ``parindex rank``'s own path on them
(``rank_columns`` and the table printed from the columns, no entry per row; checked equal to the
text printed from the table); ``report --batch``'s ranking section made from the same columns
(the chart and the table, as Markdown; checked equal to the section made from the table); and
the standard path ``api.rank(tables.score_csv(path))`` on the first ``--standard-rows`` rows
(the tables are compared there).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--standard-rows", type=int, default=1_000)
    args = parser.parse_args()

    import numpy as np

    from parindex import api
    from parindex.api import score_csv
    from parindex.io.registry import Registry
    from parindex.report import builder_ranking, planning_tables, svg
    from parindex.report.card import ranking
    from parindex.report.table import Table, to_text
    from parindex.scoring.fast import rank_csv
    from parindex.scoring.fast.csvrank import rank_columns

    print(synthetic.command())
    print("machine:", synthetic.machine())
    ruleset = synthetic.load_ruleset()
    registry = Registry()
    registry.add(ruleset)
    leaves = synthetic.leaves(ruleset)
    rng = np.random.default_rng(synthetic.SEED)
    cents = {leaf.code: int(leaf.maximum * 100) for leaf in leaves}
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.csv", Path(tmp) / "small.csv"
        for path, rows in ((big, args.rows), (small, args.standard_rows)):
            with path.open("w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(["ruleset", "year", "unit", *cents])
                draws = {c: rng.integers(0, m + 1, rows) for c, m in cents.items()}
                for i in range(rows):
                    w.writerow(
                        [
                            ruleset.id,
                            ruleset.years[0],
                            f"u{i:06d}",
                            *(f"{draws[c][i] / 100:.2f}" for c in cents),
                        ]
                    )
        t0 = time.perf_counter()
        table = rank_csv(big, registry=registry)
        fast = time.perf_counter() - t0
        print(
            f"rank_csv, {args.rows:,} rows × {len(cents)} columns: {fast:.2f} s"
            f" ({args.rows / fast:,.0f} rows/s); {len(table.entries)} ranked"
        )
        t0 = time.perf_counter()
        printed = ranking(rank_columns(big, registry=registry), places=ruleset.rounding.places)
        columns = time.perf_counter() - t0
        same_text = printed == ranking(table, places=ruleset.rounding.places)
        print(
            f"rank_columns + the table printed from them: {columns:.2f} s; the same text as"
            f" from the table: {same_text}"
        )
        places = ruleset.rounding.places

        def section(chart: svg.ChartSpec, rows: Table) -> str:
            return svg.to_text_chart(chart) + to_text(rows, "pipe", headers="bilingual")

        t0 = time.perf_counter()
        cols = rank_columns(big, registry=registry)
        assert not isinstance(cols, type(table))  # the file was read the fast way
        from_columns = section(
            builder_ranking.ranking_chart(cols, "u000000", places=places),
            builder_ranking.ranking_table(cols, places),
        )
        report = time.perf_counter() - t0
        from_table = section(
            svg.ranking_chart(table, "u000000", places=places),
            planning_tables.ranking_table(table, places),
        )
        same_section = from_columns == from_table
        print(
            f"rank_columns + report --batch's ranking section (chart and table, Markdown) from"
            f" them: {report:.2f} s; the same text as from the table: {same_section}"
        )
        t0 = time.perf_counter()
        standard = api.rank(score_csv(small, registry=registry))
        slow = time.perf_counter() - t0
        same = rank_csv(small, registry=registry) == standard
        print(
            f"standard path, {args.standard_rows:,} rows: {slow:.2f} s"
            f" ({args.standard_rows / slow:,.0f} rows/s); rank_csv gives the same table: {same}"
        )
    return 0 if same and same_text and same_section else 1


if __name__ == "__main__":
    sys.exit(main())
