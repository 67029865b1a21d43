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
        "--format", "-f", choices=["table", "json", "csv"], default="table", help="output format"
    )
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
    sys.stdout.write(api.render_history(rows, notes, args.format, args.locale) + "\n")
    return 0
