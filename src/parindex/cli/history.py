"""``parindex history``: a unit's years side by side, with the change year on year."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "history",
        help="index, rank, group and components of a unit year by year, with the changes",
        description="A unit's (or every unit's) published or scored years: index, rank, group"
        " and component points, and the change on the previous year as the plans write it"
        " ('+3.04 points, +2 places'; with --locale vi '+3,04 điểm, +2 bậc'), the region and"
        " 'rank N of M in REGION' where the data ranks the whole region, and, across the 2025"
        " reorganisation, a merged unit's predecessors (their own values, never blended).",
    )
    p.add_argument("unit", help="unit name or id (e.g. 'Quảng Ninh', quang-ninh), or 'all'")
    p.add_argument("files", nargs="*", help="score cards (JSON) or assessments (YAML) to add")
    p.add_argument(
        "--dataset",
        action="append",
        dest="datasets",
        metavar="NAME",
        help="bundled dataset (repeatable; default: every moha.province dataset, unless"
        " files are given)",
    )
    p.add_argument("--ruleset", default="moha.province", help="ruleset of the default datasets")
    p.add_argument(
        "--format",
        "-f",
        choices=["table", "json", "csv", "xlsx"],
        default="table",
        help="output format (xlsx: a workbook, written to -o FILE.xlsx)",
    )
    p.add_argument("--output", "-o", help="write to this file (atomically) instead of stdout")
    p.set_defaults(handler=cmd_history)


def cmd_history(args: argparse.Namespace) -> int:
    from parindex import api

    unit = None if args.unit == "all" else args.unit
    rows, notes = api.history(
        unit,
        datasets=args.datasets,
        files=args.files,
        ruleset=args.ruleset,
        locale=args.locale,
    )
    if args.format == "xlsx":
        if not args.output:
            from parindex.model.errors import ParindexError

            raise ParindexError(
                "--format xlsx writes a workbook: give its file with -o FILE.xlsx", field="output"
            )
        api.atomic_write_bytes(args.output, history_workbook(rows, notes, args.locale))
        return 0
    text = api.render_history(rows, notes, args.format, args.locale) + "\n"
    if args.output:
        api.atomic_write_text(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


def history_workbook(rows: Any, notes: Any, locale: str) -> bytes:
    """The history as a workbook: the year-by-year sheet, then "Nguồn" with every source."""
    from parindex.report.history_tables import history_table
    from parindex.report.xlsx import tables_workbook

    sources = dict.fromkeys(s for r in rows for s in r.point.sources)
    label = "Nguồn / Source"
    return tables_workbook(
        [history_table(rows, notes, locale)], [(label, s) for s in sources], locale
    )
