"""``parindex survey``: raw survey answers → the points of a ruleset's survey nodes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "survey",
        help="turn raw survey answers into points for a ruleset's survey nodes",
        description="Stream an answer CSV (respondent, unit, question, answer; one row per"
        " respondent × question), group it by unit and compute the points of the survey nodes"
        " as the map says (questions, scale, formula, weights). With -o DIR, one assessment"
        " fragment per unit is written there, for `parindex score A.yaml --survey DIR/UNIT.yaml`."
        " Every formula step carries its status; unverified steps are flagged.",
    )
    p.add_argument("answers", help="answer CSV file (- for standard input)")
    p.add_argument("--ruleset", required=True, help="ruleset id, e.g. moha.province")
    p.add_argument("--year", type=int, required=True, help="evaluation year")
    p.add_argument("--map", required=True, dest="survey_map", help="survey map: name or file")
    p.add_argument("--output", "-o", help="folder for one fragment file per unit")
    p.add_argument(
        "--format",
        "-f",
        choices=["table", "yaml", "json"],
        default="table",
        help="stdout: a summary table (default), or every fragment as YAML / JSON;"
        " with -o: the fragment files' format (table means yaml)",
    )
    p.add_argument(
        "--check-respondents",
        action="store_true",
        help="remember every respondent id and refuse one whose rows are split (memory grows"
        " with respondents)",
    )
    p.set_defaults(handler=cmd_survey)


def cmd_survey(args: argparse.Namespace) -> int:
    from parindex import api

    result = api.survey(
        args.answers,
        args.ruleset,
        args.year,
        args.survey_map,
        check_respondents=args.check_respondents,
    )
    fmt = "json" if args.format == "json" else "yaml"
    if args.output:
        folder = Path(args.output)
        folder.mkdir(parents=True, exist_ok=True)
        for unit in result.units:
            name = api.survey_fragment_file_name(unit.unit, fmt)
            api.atomic_write_text(
                folder / name, api.render_survey_fragment(result.fragment(unit), fmt)
            )
    if args.format in ("yaml", "json") and not args.output:
        if args.format == "json":
            import json

            text = json.dumps(
                [result.fragment(u) for u in result.units], ensure_ascii=False, indent=2
            )
            sys.stdout.write(text + "\n")
        else:
            for unit in result.units:
                sys.stdout.write(
                    "---\n" + api.render_survey_fragment(result.fragment(unit), "yaml")
                )
        return 0
    sys.stdout.write(_summary(result, args.locale) + "\n")
    return 0


def _summary(result: Any, locale: str) -> str:
    import textwrap

    from parindex.model.i18n import gettext as _
    from parindex.model.i18n import localize
    from parindex.model.survey_map import STEP_TEMPLATES  # noqa: F401  (registers them)
    from parindex.report.numbers import number

    m = result.survey_map
    head = [
        _("survey map: {map} [{status}]").format(map=m.id, status=_(m.status))
        + (" — " + _("EXAMPLE, not a published split") if m.example else ""),
        _("ruleset: {ruleset} {version} · year {year}").format(
            ruleset=result.ruleset, version=result.version, year=result.year
        )
        + (" · " + _("view {view}").format(view=result.view) if result.view else ""),
    ]
    rows = []
    for unit in result.units:
        for node in unit.nodes:
            rows.append(
                [
                    unit.unit,
                    unit.respondents,
                    node.code,
                    number(node.value, m.value_places, locale=locale)
                    if node.value is not None
                    else "—",
                    node.given or "—",
                    number(node.amount, m.places, locale=locale)
                    if node.amount is not None
                    else "—",
                    "⚠ " + _("unverified") if node.unverified else "",
                ]
            )
    from parindex.report.table import grid, terminal_width

    table = grid(
        rows,
        [_(h) for h in ("unit", "respondents", "node", "value", "gives", "amount", "status")],
        width=terminal_width(),
        wrap=(4, 6),
        spare=(0,),
    )
    steps = []
    for node in m.nodes:
        described = result.units[0].nodes if result.units else ()
        for n in described:
            if n.code == node.code:
                for s in n.steps:
                    flag = " ⚠" if s.status == "unverified" else ""
                    steps.append(f"  {n.code}: {localize(s.what)} [{_(s.status)}]{flag}")
    notes = [
        f"{_('note')}: {u.unit}: {n.code}: {localize(x)}"
        for u in result.units
        for n in u.nodes
        for x in n.notes
    ]
    tail = _("{rows} answer rows, {units} units").format(rows=result.rows, units=len(result.units))
    width = terminal_width()

    def fit(line: str) -> str:  # prose wrapped to the terminal under its own indent
        indent = " " * (len(line) - len(line.lstrip()))
        return "\n".join(textwrap.wrap(line, width or len(line), subsequent_indent=indent + "  "))

    head = [fit(x) for x in head]
    steps = [fit(x) for x in steps]
    notes = [fit(x) for x in notes]
    return "\n".join([*head, _("formula:"), *steps, "", table, *notes, tail])
