"""The plugin's commands: ``sipas`` (satisfaction from raw survey answers), ``papi-groups``
(PAPI's four groups per dimension), and ``--papi-groups`` on ``reproduce`` (the rule that cuts
PAPI's groups). Registered through ``parindex_register_commands``.

Like :mod:`parindex.cli`, the handlers reach parindex through its face, :mod:`parindex.api`,
imported when a command runs: registering the commands stays light.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from parindex.hookspecs import CommandRegistrar
from parindex.model.errors import ParindexError

#: The rules that cut a batch with nothing else given (``fixed`` needs cut points).
BATCH_RULES = ["quartiles", "equal-counts", "equal-width"]

SIPAS_EPILOG = """\
examples (`parindex example sipas-answers.csv` writes the answers used here):
  parindex example sipas-answers.csv
  parindex sipas sipas-answers.csv
  parindex sipas sipas-answers.csv --format json
  parindex sipas sipas-answers.csv --satisfied 3,4,5 --element general_item --index overall_item

The CSV has columns respondent, unit, item, answer (1-5, or blank). It is streamed, not loaded.
Every formula step is a parameter; the defaults are the usual reading and are UNVERIFIED.
"""


def register_commands(register: CommandRegistrar) -> None:
    register.extend("reproduce", _reproduce_option)
    register(
        "papi-groups",
        _papi_groups_arguments,
        help="PAPI's four groups per dimension and for the total, across a year",
        description="Recompute a published PAPI dataset (as `reproduce` does) and put every"
        " province in one of PAPI's four groups (best, high-average, low-average, poor) for"
        " each dimension and for the total, across the provinces of the same year. PAPI does"
        " not publish its cut rule: choose one with --rule (default: quartiles).",
    )
    register(
        "sipas",
        _sipas_arguments,
        help="SIPAS satisfaction (items, elements, index) from raw survey answers",
        description="Compute item, element and overall satisfaction per unit from a CSV of"
        " answers, streamed row by row (2017 framework: 5 elements, 22 criteria).",
        epilog=SIPAS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


# --------------------------------------------------------------------------- reproduce
def _reproduce_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--papi-groups",
        dest="group_rule",
        default="quartiles",
        choices=BATCH_RULES,
        help="how PAPI's four groups are cut across a year's provinces; the published"
        " rule is unknown (default: quartiles)",
    )


# --------------------------------------------------------------------------- papi-groups
def _papi_groups_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", help="published dataset CSV")
    p.add_argument("--dataset", "-d", help="a bundled dataset by name")
    p.add_argument("--rule", dest="group_rule", default="quartiles", choices=BATCH_RULES)
    p.add_argument("--year", type=int, action="append", help="only this year (repeatable)")
    p.add_argument("--format", "-f", choices=["table", "json", "csv"], default="table")
    p.add_argument(
        "--wide",
        action="store_true",
        help="one line per row, however long (default: fit the terminal, 100 columns when not"
        " a terminal; group names wrap)",
    )
    p.set_defaults(handler=cmd_papi_groups)


def _report(args: argparse.Namespace) -> Any:
    from parindex import api

    if bool(args.file) == bool(args.dataset):
        raise ParindexError(
            "give either a CSV file or --dataset NAME (one of them)",
            hint="`parindex datasets` lists the bundled datasets",
        )
    if args.dataset:
        return api.reproduce_dataset(args.dataset, group_rule=args.group_rule)
    return api.reproduce_file(args.file, group_rule=args.group_rule)


def cmd_papi_groups(args: argparse.Namespace) -> int:
    from parindex import api

    tables = api.dimension_groups(_report(args), args.year)
    if not tables:
        from parindex.model.i18n import gettext as _

        print("parindex: " + _("no PAPI rows to group"), file=sys.stderr)
        return 1
    _out(api.render_dimension_groups(tables, args.format, wide=args.wide))
    return 0


# --------------------------------------------------------------------------- sipas
def _sipas_arguments(p: argparse.ArgumentParser) -> None:
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


def cmd_sipas(args: argparse.Namespace) -> int:
    from parindex_papi_sipas import sipas

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


__all__ = ["cmd_papi_groups", "cmd_sipas", "register_commands"]
