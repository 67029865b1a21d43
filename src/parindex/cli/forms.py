"""The ``form`` command: self-assessment workbooks (phiếu tự đánh giá), one per unit.

Filled forms are read back by ``parindex score FORM.xlsx`` and ``parindex rank FOLDER/``
(:mod:`parindex.cli.core`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EPILOG = """\
examples:
  parindex form moha.province --year 2017 --unit tinh-a="Tỉnh A" --unit tinh-b -o forms/
  parindex example moha-2017-example.yaml
  parindex form moha.province --from moha-2017-example.yaml -o filled/tinh-minh-hoa.xlsx
  parindex score filled/tinh-minh-hoa.xlsx
  parindex rank filled/
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "form",
        help="write self-assessment workbooks (.xlsx) to fill in, one per unit",
        description="Write one self-assessment workbook per unit: a cover sheet (ruleset,"
        " version, content hash, year, unit, how to fill in), one row per node with its"
        " maximum, rule, input cell (checked by the spreadsheet program), evidence, appraised"
        " value and reason, and a summary of subtotals. Read filled forms back with"
        " `parindex score FORM.xlsx` or `parindex rank FOLDER/`.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ruleset", help="ruleset id (e.g. moha.province) or a YAML file")
    p.add_argument("--year", type=int, help="evaluation year (default: that of --from)")
    p.add_argument("--version", dest="rs_version", help="a version by name instead of a year")
    p.add_argument("--params", help="yearly parameter file with maxima to apply")
    p.add_argument(
        "--unit",
        action="append",
        default=[],
        metavar="ID[=NAME]",
        help="a unit to write a form for (repeat for several); none: one blank form",
    )
    p.add_argument(
        "--from",
        dest="prefill",
        metavar="ASSESSMENT",
        help="fill the form with this assessment's values, reasons and evidence (its unit)",
    )
    p.add_argument(
        "--missing",
        choices=["error", "zero"],
        default="error",
        help="what a blank input cell means when read back: an error (default) or 0 points",
    )
    p.add_argument(
        "--output", "-o", required=True, help="a folder, or an .xlsx file for a single unit"
    )
    p.set_defaults(handler=cmd_form)


def cmd_form(args: argparse.Namespace) -> int:
    from parindex import api
    from parindex.model.errors import ParindexError

    prefill = api.load_assessment(args.prefill) if args.prefill else None
    if args.year is None:
        if prefill is None:
            raise ParindexError("give the evaluation year with --year", field="--year")
        args.year = prefill.year
    if args.ruleset.endswith((".yaml", ".yml")) or Path(args.ruleset).is_file():
        ruleset = api.load_ruleset(args.ruleset)
    else:
        ruleset = api.get_ruleset(args.ruleset, args.year, version=args.rs_version)
    parameters = None
    if args.params:
        ruleset = api.with_parameters(ruleset, args.params, year=args.year)
        parameters = Path(args.params).name
    paths = api.write_forms(
        ruleset,
        args.year,
        args.unit,
        args.output,
        missing=args.missing,
        parameters=parameters,
        prefill=args.prefill,
    )
    for path in paths:
        sys.stdout.write(f"{path}\n")
    return 0
