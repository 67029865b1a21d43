"""Commands: ``reproduce`` (check a published dataset) and ``datasets`` (list the bundled ones).

A plugin whose rulesets have batch-relative groups may add the option that chooses the group rule
to ``reproduce`` (``parindex_register_commands``); without one, each grouping's default rule is
used."""

from __future__ import annotations

import argparse
import sys
from typing import Any

REPRODUCE_EPILOG = """\
examples (`parindex example planning` writes the CSV used in the last one):
  parindex datasets
  parindex reproduce --dataset papi-2011-2016
  parindex reproduce --dataset par-2020-components --format json
  parindex example planning
  parindex reproduce planning/papi-2021-synthetic.csv --strict

The CSV has columns ruleset, year, unit, optional total, rank, group, source, note, and one column
per node code holding published points (empty = unknown); or a .dataset.yaml sidecar naming the
CSV (it may give published group counts). Each number's tolerance is half a unit of its own last
decimal. The summary line (on stderr with --format json or csv) counts rows recomputed and
agreeing or disagreeing, checked only (rank, group, order), skipped (with the reasons), and the
source conflicts. Exit status: 0, or 1 with --strict when any row or group count disagrees (and
for invalid input).
"""


WIDE_HELP = (
    "one line per row, however long (default: fit the terminal, 100 columns when not a"
    " terminal; units and statuses wrap)"
)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "reproduce",
        help="recompute a published dataset and compare totals, ranks and groups",
        description="Recompute every row of a published dataset (a CSV, or a bundled dataset):"
        " the total from the most detailed points given, the index, the rank among the rows of"
        " the same ruleset and year, and the group; compare each with the published value,"
        " within the tolerance the published precision implies.",
        epilog=REPRODUCE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", help="published dataset CSV (or its .dataset.yaml)")
    p.add_argument("--dataset", "-d", help="a bundled dataset by name (see `parindex datasets`)")
    p.add_argument(
        "--format",
        "-f",
        choices=["table", "json", "csv", "xlsx"],
        default="table",
        help="output format (default: table; xlsx: a workbook, with -o FILE.xlsx)",
    )
    p.add_argument("--output", "-o", help="write to this file (atomically) instead of stdout")
    p.add_argument(
        "--bom",
        action="store_true",
        help="start CSV output with a byte-order mark (for spreadsheet programs that need one)",
    )
    p.add_argument(
        "--strict", action="store_true", help="exit with status 1 when any row disagrees"
    )
    p.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="show every row's notes (tolerances of intermediate nodes, ranks)",
    )
    p.add_argument("--wide", action="store_true", help=WIDE_HELP)
    p.set_defaults(handler=cmd_reproduce, group_rule=None)

    p = sub.add_parser(
        "datasets",
        help="list the bundled published datasets",
        description="List the published datasets that `parindex reproduce --dataset NAME` can"
        " check, with their years, rulesets, titles and sources.",
    )
    p.add_argument("--format", "-f", choices=["table", "json"], default="table")
    p.set_defaults(handler=cmd_datasets)


def _out(text: str, output: str | None = None) -> None:
    if output:
        from parindex.api import atomic_write_text

        atomic_write_text(output, text + "\n")
    else:
        sys.stdout.write(text + "\n")


def cmd_reproduce(args: argparse.Namespace) -> int:
    from parindex.api import render_reproduction_csv as render_csv
    from parindex.api import render_reproduction_json as render_json
    from parindex.api import render_reproduction_text as render_text
    from parindex.model.i18n import localize

    report = _report(args)
    if args.format == "xlsx":
        from parindex.cli.core import _write_workbook
        from parindex.report.xlsx import reproduction_workbook

        _write_workbook(reproduction_workbook(report, args.locale), args.output)
        print(localize(report.summary()), file=sys.stderr)
    elif args.format in ("json", "csv"):
        text = render_json(report) if args.format == "json" else render_csv(report)
        _out(("\ufeff" if args.format == "csv" and args.bom else "") + text, args.output)
        for note in report.group_notes[:1]:
            print(localize(note), file=sys.stderr)
        for check in report.count_checks:
            print(check.text(), file=sys.stderr)
        print(localize(report.summary()), file=sys.stderr)
    else:
        _out(render_text(report, verbose=args.verbose, wide=args.wide), args.output)
    return 1 if args.strict and report.failed else 0


def _report(args: argparse.Namespace) -> Any:
    from parindex.api import reproduce_dataset, reproduce_file
    from parindex.model.errors import ParindexError

    if bool(args.file) == bool(args.dataset):
        raise ParindexError(
            "give either a CSV file or --dataset NAME (one of them)",
            hint="`parindex datasets` lists the bundled datasets",
        )
    if args.dataset:
        return reproduce_dataset(args.dataset, group_rule=args.group_rule)
    return reproduce_file(args.file, group_rule=args.group_rule)


def cmd_datasets(args: argparse.Namespace) -> int:
    from parindex.api import datasets_table, list_datasets

    datasets = list_datasets()
    if args.format == "json":
        import json

        _out(
            json.dumps(
                [
                    {
                        "name": d.name,
                        "title": d.title,
                        "rows": d.rows,
                        "years": list(d.years),
                        "rulesets": list(d.rulesets),
                        "sources": list(d.sources),
                        "file": str(d.path),
                        "conversion": d.conversion,
                        "notes": d.notes,
                    }
                    for d in datasets
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0

    from parindex.model.i18n import gettext as _

    if not datasets:
        _out(_("no datasets are installed (see `parindex plugins`)"))
        return 0
    from parindex.report.table import grid, terminal_width

    heads = [_("name"), _("rows"), _("years"), _("rulesets"), _("title")]
    _out(grid(datasets_table(datasets), heads, width=terminal_width(), wrap=(4,)))
    _out(_("check one with: parindex reproduce --dataset NAME"))
    return 0
