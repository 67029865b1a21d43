"""Performance commands: ``parindex sensitivity`` (Monte Carlo stability of a ranking).

Imports stay inside the handler: registering this module must not import numpy.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXAMPLES = """\
examples (`parindex example planning` writes the files used here into this folder):
  parindex example planning
  parindex sensitivity planning/papi-2021-synthetic.csv --se 0.05 --draws 10000 --seed 1
  parindex sensitivity planning/par-2021-synthetic.csv \\
      --ruleset planning/rulesets/example-province-2021.yaml --se 8=0.3 --se 5=0.2 --group-sd 0.5
  parindex sensitivity planning/papi-2021-synthetic.csv --se D5=0.1 --group-sd 0.5 \\
      --svg stability.svg --html stability.html

Inputs are assessment files, or one CSV, of one ruleset and year.
--se, --tier-sd: a value alone applies to every survey input (every input at or under a node
with method: survey) or every tiers rule; CODE=VALUE applies to one input (any input may be
named). Standard deviations are in the units of what they perturb; --group-sd is in index points.
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sensitivity",
        help="how stable is a ranking? Monte Carlo perturbation of inputs and cut-offs",
        description="Score and rank assessments of one ruleset and year many times, perturbing"
        " survey components by a stated standard error, tier thresholds and group cut-offs,"
        " with a fixed seed; report per unit the median rank, the 5–95 % rank interval and"
        " the probability of each group.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", help="assessment YAML files, or one CSV file")
    p.add_argument("--draws", type=int, default=1000, help="number of draws (default: 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument(
        "--se",
        action="append",
        default=[],
        metavar="[CODE=]SE",
        help="standard error of survey inputs (repeatable)",
    )
    p.add_argument(
        "--tier-sd",
        action="append",
        default=[],
        metavar="[CODE=]SD",
        help="standard deviation of tier cut points (repeatable)",
    )
    p.add_argument(
        "--group-sd", metavar="SD", help="standard deviation of group cut-offs, in index points"
    )
    p.add_argument(
        "--decimals",
        type=int,
        default=4,
        help="grid of perturbed values, in decimal places (default: 4)",
    )
    p.add_argument(
        "--ties",
        choices=["competition", "dense", "ordinal", "modified"],
        help="tie rule (default: the ruleset's)",
    )
    p.add_argument(
        "--ruleset", dest="ruleset_file", help="use this ruleset file instead of the installed one"
    )
    p.add_argument("--params", help="yearly parameter file")
    p.add_argument("--limit", type=int, default=80, help="units shown in the chart (default: 80)")
    p.add_argument("--svg", help="write the chart to this SVG file")
    p.add_argument("--html", help="write a self-contained HTML report (table and chart)")
    p.add_argument("--output", "-o", help="write the table to this file instead of stdout")
    p.add_argument(
        "--format",
        "-f",
        choices=["table", "json", "markdown", "csv"],
        default="table",
        help="output format (default: table)",
    )
    p.set_defaults(handler=cmd_sensitivity)


def _load(args: argparse.Namespace) -> tuple[Any, list[Any], list[Any]]:
    """The ruleset, the assessments and (for YAML inputs) the located assessments, checked to be
    of one ruleset and year, each unit once; an error names the file that does not fit."""
    from parindex import api
    from parindex.model.errors import ParindexError

    located: list[Any] = []
    if len(args.inputs) == 1 and args.inputs[0].endswith(".csv"):
        from parindex.api import assessments_from_csv

        assessments = assessments_from_csv(args.inputs[0])
    else:
        from parindex.api import load_assessment_file

        located = [load_assessment_file(path) for path in args.inputs]
        assessments = [la.assessment for la in located]
        _check_together(args.inputs, located)
    if not assessments:
        raise ParindexError("nothing to simulate: no assessments given")
    first = assessments[0]
    if args.ruleset_file:
        ruleset = api.load_ruleset(args.ruleset_file)
    else:
        ruleset = api.get_ruleset(first.ruleset, first.year, version=first.version)
    if args.params:
        ruleset = api.with_parameters(ruleset, args.params, year=first.year)
    return ruleset, assessments, located


def _check_together(paths: list[str], located: list[Any]) -> None:
    """Every file has the first file's ruleset, version and year, and a unit of its own."""
    from parindex.model.errors import AssessmentError

    first = located[0].assessment
    seen: dict[str, str] = {}
    for path, la in zip(paths, located, strict=True):
        a = la.assessment
        for what, mine, theirs in (
            ("ruleset", a.ruleset, first.ruleset),
            ("year", a.year, first.year),
            ("version", a.version, first.version),
        ):
            if mine != theirs:
                raise la.locate(
                    AssessmentError(
                        f"{mine}, but {paths[0]} has {what} {theirs}: a sensitivity run"
                        " ranks assessments of one ruleset and year together",
                        field=what,
                        hint="give only the files of one ruleset and year (or one CSV of them)",
                    )
                )
        if a.unit.id in seen:
            raise la.locate(
                AssessmentError(
                    f"unit {a.unit.id!r} is also the unit of {seen[a.unit.id]}: each unit may be"
                    " given once",
                    field="unit",
                )
            )
        seen[a.unit.id] = path


def _blame_file(err: Any, ruleset: Any, located: list[Any], spec: Any) -> Any:
    """Place an error of the simulation (which knows no files) at the file that causes it: the
    first assessment that fails the same way on its own."""
    import dataclasses

    from parindex.api import run_sensitivity as run
    from parindex.model.errors import ParindexError

    if err.file is not None:
        return err
    one_draw = dataclasses.replace(spec, draws=1)
    for la in located:
        try:
            run(ruleset, [la.assessment], one_draw)
        except ParindexError as alone:
            if alone.message == err.message:
                return la.locate(err)
    return err


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from parindex.api import SensitivitySpec as Spec
    from parindex.api import atomic_write_text
    from parindex.api import parse_sensitivity_assignments as parse_assignments
    from parindex.api import run_sensitivity as run
    from parindex.model.decimals import NumberError, to_decimal
    from parindex.model.errors import ParindexError
    from parindex.report.sensitivity_chart import sensitivity_svg

    survey_se, se = parse_assignments(args.se, "--se")
    tier_sd, tier_by = parse_assignments(args.tier_sd, "--tier-sd")
    group_sd = None
    if args.group_sd is not None:
        try:
            group_sd = to_decimal(args.group_sd)
        except NumberError as exc:
            raise ParindexError(f"--group-sd: {exc}") from None
    ruleset, assessments, located = _load(args)
    spec = Spec(
        draws=args.draws,
        seed=args.seed,
        survey_se=survey_se,
        se=se,
        tier_sd=tier_sd,
        tier_sd_by_code=tier_by,
        group_sd=group_sd,
        decimals=args.decimals,
        ties=args.ties,
    )
    try:
        result = run(ruleset, assessments, spec)
    except ParindexError as err:
        raise _blame_file(err, ruleset, located, spec) from None
    if not result.perturbed_codes and group_sd is None:
        print(
            "parindex: note: nothing was perturbed (no survey inputs, or no --se/--tier-sd/"
            "--group-sd given); every draw equals the base ranking",
            file=sys.stderr,
        )
    text = render(result, args.format)
    if args.output:
        atomic_write_text(args.output, text + "\n")
    else:
        sys.stdout.write(text + "\n")
    if args.svg:
        atomic_write_text(
            args.svg,
            sensitivity_svg(result, limit=args.limit, locale=args.locale, standalone=True) + "\n",
        )
    if args.html:
        atomic_write_text(args.html, html_report(result, args.limit, args.locale))
    return 0


def render(result: Any, fmt_name: str) -> str:
    if fmt_name == "json":
        return str(result.to_json())
    head, rows = result.rows()
    if fmt_name == "csv":
        import csv
        import io

        from parindex.model.text import safe_rows

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(head)
        writer.writerows(safe_rows(rows))  # no unit name may start a spreadsheet formula
        return buf.getvalue().rstrip("\n")
    import textwrap

    from tabulate import tabulate

    from parindex.model.i18n import gettext as _
    from parindex.model.i18n import localize, localize_numbers
    from parindex.report.table import md_cell, terminal_width

    # for people: headings, words and numbers in the reader's locale (CSV and JSON: canonical)
    head = [localize(h) for h in head]
    rows = [[localize_numbers(_(c)) if isinstance(c, str) else c for c in r] for r in rows]
    table = tabulate(
        [[md_cell(c) if isinstance(c, str) else c for c in r] for r in rows]
        if fmt_name == "markdown"
        else rows,
        headers=head,
        disable_numparse=True,
        tablefmt="pipe" if fmt_name == "markdown" else "simple",
    )
    title = _("{title}: {count} units, ranked by {by} ({ties} ties)").format(
        title=_title(result), count=len(result.units), by=_(result.by), ties=result.ties
    )
    width = terminal_width() if fmt_name == "table" else None
    said = [localize(p) for p in result.perturbations]
    lines = [
        title,
        *(
            "\n".join(textwrap.wrap(p, width, initial_indent="  ", subsequent_indent="    "))
            if width
            else f"  {p}"
            for p in said
        ),
        "",
        table,
    ]
    return "\n".join(lines)


def _title(result: Any) -> str:
    if str(result.version) == str(result.year):
        return f"{result.ruleset} {result.year}"
    return f"{result.ruleset} {result.version}, {result.year}"


def html_report(result: Any, limit: int, locale: str) -> str:
    """A self-contained HTML page: what was perturbed, the chart, the table."""
    from html import escape

    from parindex.report.sensitivity_chart import sensitivity_svg

    head, rows = result.rows()
    cells = "".join(f"<th>{escape(str(h))}</th>" for h in head)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    items = "".join(f"<li>{escape(p)}</li>" for p in result.perturbations)
    title = _title(result)
    return f"""<!DOCTYPE html>
<html lang="{escape(locale)}"><head><meta charset="utf-8">
<title>Sensitivity — {escape(title)}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px 32px; color: #0f172a; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #cbd5e1; padding: 2px 8px; }}
th {{ background: #f1f5f9; }} td {{ text-align: right; }} td:nth-child(2) {{ text-align: left; }}
svg.chart text {{ font-size: 11px; fill: #0f172a; }} svg.chart text.tick, svg.chart text.note
{{ fill: #475569; }}
</style></head><body>
<h1>Sensitivity of the ranking — {escape(title)}</h1>
<p>{len(result.units)} units, ranked by {escape(result.by)} ({escape(result.ties)} ties).</p>
<ul>{items}</ul>
<figure>{sensitivity_svg(result, limit=limit, locale=locale)}</figure>
<table><thead><tr>{cells}</tr></thead><tbody>
{body}
</tbody></table>
</body></html>
"""
