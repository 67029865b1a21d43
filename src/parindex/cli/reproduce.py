"""Commands: ``reproduce`` (check a published dataset), ``datasets`` (list the bundled ones) and
``sipas`` (satisfaction from raw survey answers)."""

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
per node code holding published points (empty = unknown). The summary line (on stderr with
--format json or csv) counts rows checked, agreeing, disagreeing and skipped, with the reasons.
Exit status: 0, or 1 with --strict when any row disagrees (and for invalid input).
"""

SIPAS_EPILOG = """\
examples (`parindex example sipas-answers.csv` writes the answers used here):
  parindex example sipas-answers.csv
  parindex sipas sipas-answers.csv
  parindex sipas sipas-answers.csv --format json
  parindex sipas sipas-answers.csv --satisfied 3,4,5 --element general_item --index overall_item

The CSV has columns respondent, unit, item, answer (1-5, or blank). It is streamed, not loaded.
Every formula step is a parameter; the defaults are the usual reading and are UNVERIFIED.
"""


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
    p.add_argument("file", nargs="?", help="published dataset CSV")
    p.add_argument("--dataset", "-d", help="a bundled dataset by name (see `parindex datasets`)")
    p.add_argument(
        "--format",
        "-f",
        choices=["table", "json", "csv"],
        default="table",
        help="output format (default: table)",
    )
    p.add_argument(
        "--strict", action="store_true", help="exit with status 1 when any row disagrees"
    )
    p.add_argument(
        "--papi-groups",
        dest="group_rule",
        default="quartiles",
        choices=["quartiles", "equal-counts", "equal-width"],
        help="how PAPI's four groups are cut across a year's provinces; the published"
        " rule is unknown (default: quartiles)",
    )
    p.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="show every row's notes (tolerances of intermediate nodes, ranks)",
    )
    p.set_defaults(handler=cmd_reproduce)

    p = sub.add_parser(
        "papi-groups",
        help="PAPI's four groups per dimension and for the total, across a year",
        description="Recompute a published PAPI dataset (as `reproduce` does) and put every"
        " province in one of PAPI's four groups (best, high-average, low-average, poor) for"
        " each dimension and for the total, across the provinces of the same year. PAPI does"
        " not publish its cut rule: choose one with --rule (default: quartiles).",
    )
    p.add_argument("file", nargs="?", help="published dataset CSV")
    p.add_argument("--dataset", "-d", help="a bundled dataset by name")
    p.add_argument(
        "--rule",
        dest="group_rule",
        default="quartiles",
        choices=["quartiles", "equal-counts", "equal-width"],
    )
    p.add_argument("--year", type=int, action="append", help="only this year (repeatable)")
    p.add_argument("--format", "-f", choices=["table", "json", "csv"], default="table")
    p.set_defaults(handler=cmd_papi_groups)

    p = sub.add_parser(
        "datasets",
        help="list the bundled published datasets",
        description="List the published datasets that `parindex reproduce --dataset NAME` can"
        " check, with their years, rulesets, titles and sources.",
    )
    p.add_argument("--format", "-f", choices=["table", "json"], default="table")
    p.set_defaults(handler=cmd_datasets)

    p = sub.add_parser(
        "sipas",
        help="SIPAS satisfaction (items, elements, index) from raw survey answers",
        description="Compute item, element and overall satisfaction per unit from a CSV of"
        " answers, streamed row by row (2017 framework: 5 elements, 22 criteria).",
        epilog=SIPAS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", help="answers CSV (respondent, unit, item, answer)")
    p.add_argument(
        "--satisfied",
        default="4,5",
        help="answer levels counted as satisfied, comma-separated (default: 4,5)",
    )
    p.add_argument(
        "--denominator",
        choices=["valid", "all"],
        default="valid",
        help="valid: blanks left out (default); all: a blank counts as not satisfied",
    )
    p.add_argument(
        "--element",
        choices=["mean_of_items", "general_item"],
        default="mean_of_items",
        help="element %% = mean of its items (default) or its 'in general' item",
    )
    p.add_argument(
        "--index",
        choices=["mean_of_elements", "mean_of_items", "overall_item"],
        default="mean_of_elements",
        help="index = mean of elements (default), of all items, or the overall item",
    )
    p.add_argument("--places", type=int, default=2, help="decimals reported (default: 2)")
    p.add_argument(
        "--rounding",
        choices=["half_up", "half_even", "down", "up"],
        default="half_up",
        help="rounding of reported values (default: half_up)",
    )
    p.add_argument("--framework", help="a framework YAML instead of the built-in 2017 one")
    p.add_argument("--format", "-f", choices=["table", "json", "csv"], default="table")
    p.set_defaults(handler=cmd_sipas)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_reproduce(args: argparse.Namespace) -> int:
    from parindex.analysis.reproduce import render_csv, render_json, render_text

    report = _report(args)
    if args.format in ("json", "csv"):
        _out(render_json(report) if args.format == "json" else render_csv(report))
        for note in report.group_notes[:1]:
            print(note, file=sys.stderr)
        print(report.summary(), file=sys.stderr)
    else:
        _out(render_text(report, verbose=args.verbose))
    return 1 if args.strict and report.disagreeing else 0


def _report(args: argparse.Namespace) -> Any:
    from parindex.analysis.reproduce import reproduce_dataset, reproduce_file
    from parindex.model.errors import ParindexError

    if bool(args.file) == bool(args.dataset):
        raise ParindexError(
            "give either a CSV file or --dataset NAME (one of them)",
            hint="`parindex datasets` lists the bundled datasets",
        )
    if args.dataset:
        return reproduce_dataset(args.dataset, group_rule=args.group_rule)
    return reproduce_file(args.file, group_rule=args.group_rule)


def cmd_papi_groups(args: argparse.Namespace) -> int:
    from parindex.analysis.reproduce import dimension_groups, render_dimension_groups

    tables = dimension_groups(_report(args), args.year)
    if not tables:
        print("parindex: no PAPI rows to group", file=sys.stderr)
        return 1
    _out(render_dimension_groups(tables, args.format))
    return 0


def cmd_datasets(args: argparse.Namespace) -> int:
    from parindex.analysis.reproduce import datasets_table, list_datasets

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
    from tabulate import tabulate

    if not datasets:
        _out("no datasets are installed (see `parindex plugins`)")
        return 0
    _out(
        tabulate(
            datasets_table(datasets),
            headers=["name", "rows", "years", "rulesets", "title"],
            disable_numparse=True,
        )
    )
    _out("check one with: parindex reproduce --dataset NAME")
    return 0


def cmd_sipas(args: argparse.Namespace) -> int:
    from parindex.analysis import sipas
    from parindex.model.errors import ParindexError

    try:
        levels = frozenset(int(x) for x in args.satisfied.split(",") if x.strip())
    except ValueError:
        raise ParindexError(
            f"--satisfied {args.satisfied!r}: give levels like 4,5", field="satisfied"
        ) from None
    params = sipas.SipasParameters(
        satisfied=levels,
        denominator=args.denominator,
        element=args.element,
        index=args.index,
        places=args.places,
        rounding=args.rounding,
    )
    framework = sipas.load_framework(args.framework) if args.framework else sipas.SIPAS_2017
    result = sipas.aggregate_csv(args.file, params, framework)
    if args.format == "json":
        import json

        _out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sipas.write_items_csv(result, sys.stdout)
    else:
        sys.stdout.write(sipas.render_text(result))
    return 0
