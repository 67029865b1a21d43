"""Core commands: rulesets, show, validate, score, explain, rank, plugins, schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _formats(p: argparse.ArgumentParser, default: str = "table", xlsx: bool = False) -> None:
    p.add_argument(
        "--format",
        "-f",
        choices=["table", "json", "markdown", "csv", *(["xlsx"] if xlsx else [])],
        default=default,
        help=f"output format (default: {default})",
    )


def _bom(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--bom",
        action="store_true",
        help="start CSV output with a byte-order mark (for spreadsheet programs that need one)",
    )


def _with_bom(args: argparse.Namespace, text: str) -> str:
    return "\ufeff" + text if args.format == "csv" and getattr(args, "bom", False) else text


def _wide(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--wide",
        action="store_true",
        help="one line per row, however long (default: fit the terminal, 100 columns when"
        " not a terminal; long titles wrap, sources become numbered footnotes)",
    )


def _width(args: argparse.Namespace) -> int | None:
    from parindex.report.table import terminal_width

    return terminal_width(bool(getattr(args, "wide", False)))


def register(sub: Any) -> None:
    p = sub.add_parser(
        "rulesets",
        help="list the built-in and plugin rulesets",
        description="List every ruleset version the installed plugins provide,"
        " with the years it covers and its legal source.",
    )
    _formats(p)
    _wide(p)
    p.set_defaults(handler=cmd_rulesets)

    p = sub.add_parser(
        "show",
        help="show a ruleset's tree with maxima, sources and status",
        description="Show a ruleset: every node with its maximum (or '— not"
        " published'), method, verification status (⚠ unverified) and source.",
    )
    p.add_argument("ruleset", help="ruleset id (e.g. moha.province) or a YAML file")
    p.add_argument("--year", type=int, help="evaluation year (picks the version covering it)")
    p.add_argument("--version", dest="rs_version", help="a version by name instead of a year")
    p.add_argument("--params", help="yearly parameter file with maxima to apply")
    _formats(p)
    _wide(p)
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser(
        "validate",
        help="validate ruleset, assessment, parameter or survey fragment files",
        description="Validate YAML files. The kind is detected: a ruleset (has"
        " id and nodes), a parameter file (parameters_for), a survey points fragment"
        " (kind: survey-points, checked against its ruleset) or an assessment (with the"
        " survey fragments it lists merged). Every problem is listed with file, line and"
        " node code.",
    )
    p.add_argument("files", nargs="+", help="YAML files")
    p.add_argument(
        "--ruleset",
        dest="ruleset_file",
        help="check assessments against this ruleset file instead of the installed one",
    )
    p.add_argument("--params", help="yearly parameter file for assessments")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser(
        "score",
        help="score an assessment",
        description="Score one assessment with the ruleset version covering its"
        " year: the tree with points, maxima and %, the total, index and group.",
    )
    p.add_argument("assessment", help="assessment YAML file, or a filled .xlsx form")
    p.add_argument("--params", help="yearly parameter file (e.g. Sơn La field maxima)")
    p.add_argument(
        "--ruleset",
        dest="ruleset_file",
        help="score against this ruleset file instead of the installed one",
    )
    p.add_argument("--output", "-o", help="write to this file (atomically) instead of stdout")
    p.add_argument(
        "--survey",
        action="append",
        metavar="FRAGMENT",
        help="survey points fragment (from `parindex survey -o DIR`) to merge; repeatable",
    )
    _formats(p, xlsx=True)
    _bom(p)
    _wide(p)
    p.set_defaults(handler=cmd_score)

    p = sub.add_parser(
        "explain",
        help="explain where every point of a score came from",
        description="For each node (or one node and its subtree): the input read,"
        " the rule and the option or tier matched, the arithmetic, and the source.",
    )
    p.add_argument("assessment", help="assessment YAML file")
    p.add_argument("code", nargs="?", help="node code to explain (default: all)")
    p.add_argument("--params", help="yearly parameter file")
    p.add_argument("--ruleset", dest="ruleset_file", help="explain against this ruleset file")
    _wide(p)
    p.set_defaults(handler=cmd_explain)

    p = sub.add_parser(
        "rank",
        help="score and rank several assessments (or a CSV)",
        description="Score assessments of one ruleset and year, classify and rank"
        " them. A CSV has columns ruleset, year, unit and one column per node"
        " code holding points.",
    )
    p.add_argument(
        "inputs",
        nargs="+",
        help="assessment YAML files, one CSV file, or filled .xlsx forms and folders of them",
    )
    p.add_argument(
        "--ties",
        choices=["competition", "dense", "ordinal", "modified"],
        help="tie rule (default: the ruleset's, normally competition '1224')",
    )
    p.add_argument("--params", help="yearly parameter file")
    p.add_argument("--output", "-o", help="write to this file (atomically) instead of stdout")
    p.add_argument(
        "--ruleset",
        dest="ruleset_file",
        help="for .xlsx forms: the ruleset file they were made from (not an installed one)",
    )
    p.add_argument(
        "--within",
        choices=["region"],
        help="rank again inside each socio-economic region ('rank N of M in REGION')",
    )
    p.add_argument(
        "--changes",
        action="store_true",
        help="list every appraisal change of every unit (the council's view) instead of the"
        " ranking",
    )
    _formats(p, xlsx=True)
    _bom(p)
    p.set_defaults(handler=cmd_rank)

    p = sub.add_parser(
        "plugins",
        help="list plugins, what they provide and any failures",
        description="List the plugins found through the 'parindex' entry point"
        " group. Disable some with PARINDEX_DISABLE_PLUGINS=name1,name2.",
    )
    p.set_defaults(handler=cmd_plugins)

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of a file format",
        description="JSON Schema for editors and other programs.",
    )
    p.add_argument(
        "what",
        choices=["ruleset", "assessment", "parameters", "scorecard"],
        nargs="?",
        default="ruleset",
    )
    p.set_defaults(handler=cmd_schema)


def _write(text: str, output: str | None = None) -> None:
    if output:
        from parindex.api import atomic_write_text

        atomic_write_text(output, text + "\n")
    else:
        sys.stdout.write(text + "\n")


def cmd_rulesets(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from parindex.api import list_rulesets

    infos = list_rulesets()
    if args.format == "json":
        import json

        _write(json.dumps([i.__dict__ for i in infos], ensure_ascii=False, indent=2, default=list))
        return 0
    rows = [
        [i.id, i.version, ", ".join(map(str, i.years)), i.unit_kind, i.status, i.title, i.source]
        for i in infos
    ]
    headers = ["id", "version", "years", "unit", "status", "title", "source"]
    if args.format == "csv":
        from parindex.report.card import _csv

        _write(_csv([headers, *rows]))
    elif args.format == "table" and _width(args) is not None:
        from parindex.model.i18n import gettext as _
        from parindex.report.table import Footnotes, grid

        notes = Footnotes()  # a source is cited once, under the table
        rows = [[*r[:3], _(r[3]), _(r[4]), r[5], notes.mark(r[6])] for r in rows]
        labels = [_("Ruleset"), _("Version"), _("Years"), _("Unit"), _("Status"), _("Title")]
        table = grid(rows, [*labels, _("Source")], width=_width(args), wrap=(2, 5))
        _write("\n".join([table, "", _("Source") + ":", *notes.lines(_width(args))]))
    else:
        from parindex.report.table import md_cell

        if args.format == "markdown":  # plugin-provided titles: no HTML, no broken table
            rows = [[md_cell(c) for c in r] for r in rows]
        _write(
            tabulate(
                rows,
                headers=headers,
                disable_numparse=True,
                tablefmt="pipe" if args.format == "markdown" else "simple",
            )
        )
    return 0


def _ruleset_arg(args: argparse.Namespace) -> Any:
    from parindex import api

    if args.ruleset.endswith((".yaml", ".yml")) or Path(args.ruleset).is_file():
        rs = api.load_ruleset(args.ruleset)
    else:
        rs = api.get_ruleset(args.ruleset, args.year, version=args.rs_version)
    if args.params:
        rs = api.with_parameters(rs, args.params, year=args.year)
    return rs


def cmd_show(args: argparse.Namespace) -> int:
    from parindex.report.card import ruleset_tree

    _write(ruleset_tree(_ruleset_arg(args), args.format, args.locale, width=_width(args)))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from parindex.api import validate_file
    from parindex.model.errors import ParindexError
    from parindex.model.i18n import gettext as _
    from parindex.model.i18n import localize

    failed = 0
    for f in args.files:
        try:
            kind = validate_file(f, ruleset=args.ruleset_file, params=args.params)
            print(f"{f}: " + localize(f"valid {kind}"))
        except ParindexError as err:
            failed += 1
            for e in [err, *err.related]:
                print(f"parindex: {_('error')}: {e}", file=sys.stderr)
    return 1 if failed else 0


def _score(args: argparse.Namespace, path: str) -> Any:
    from parindex import api

    ruleset = api.load_ruleset(args.ruleset_file) if getattr(args, "ruleset_file", None) else None
    if path.lower().endswith(".xlsx"):  # a filled self-assessment form (parindex form)
        return api.score_form(path, ruleset, params=args.params)
    return api.score(path, ruleset, params=args.params)


def cmd_score(args: argparse.Namespace) -> int:
    from parindex.report.card import scorecard

    if args.survey:
        from parindex import api

        rs = api.load_ruleset(args.ruleset_file) if args.ruleset_file else None
        card = api.score_with_survey(args.assessment, args.survey, rs, params=args.params)
    else:
        card = _score(args, args.assessment)
    if args.format == "xlsx":
        from parindex.report.xlsx import scorecard_workbook

        _write_workbook(scorecard_workbook(card, args.locale), args.output)
        return 0
    from parindex.report.table import colour_enabled

    width = None if args.output else _width(args)  # a file keeps its one-line rows
    colour = not args.output and args.format == "table" and colour_enabled()
    shown = scorecard(card, args.format, args.locale, width=width, colour=colour)
    _write(_with_bom(args, shown), args.output)
    return 0


def _write_workbook(data: bytes, output: str | None) -> None:
    """A workbook goes to a file: a terminal is no place for a zip archive."""
    if not output:
        from parindex.model.errors import ParindexError

        raise ParindexError("--format xlsx writes a workbook: give its file with -o FILE.xlsx")
    from parindex.api import atomic_write_bytes

    atomic_write_bytes(output, data)


def cmd_explain(args: argparse.Namespace) -> int:
    from parindex.api import explain

    card = _score(args, args.assessment)
    _write(explain(card, args.code, args.locale, width=_width(args)))
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    from parindex import api
    from parindex.report.card import ranking

    cards: list[Any] = []
    if any(i.lower().endswith(".xlsx") or Path(i).is_dir() for i in args.inputs):
        # filled self-assessment forms, or folders of them: each scored with its cells located
        table, cards = _rank_forms(args)
    elif len(args.inputs) == 1 and args.inputs[0].endswith(".csv"):
        from parindex.api import rank_columns

        if args.changes:  # a ranking CSV holds points only: no stage to compare
            from parindex.model.errors import ParindexError

            raise ParindexError("--changes needs assessments or filled forms, not a points CSV")
        # as columns: a table printed from them needs no entry per row (xlsx, regions: the table)
        table = rank_columns(
            args.inputs[0], ties=args.ties, params=args.params, default_ties="ruleset"
        )
        if args.format == "xlsx" or args.within == "region":
            table = table.table()
    else:
        ties = args.ties
        if ties is None:
            first = api.load_assessment(args.inputs[0])
            ties = api.get_ruleset(first.ruleset, first.year, version=first.version).ranking.ties
        table = api.rank_assessments(args.inputs, ties, params=args.params)
        if args.format == "xlsx" or args.changes:  # every unit's appraisal changes
            cards = api.score_many(args.inputs, params=args.params)
    if args.changes:
        return _changes(args, cards)
    if args.format == "xlsx":
        from parindex.report.xlsx import ranking_workbook

        _write_workbook(ranking_workbook(table, args.locale, cards), args.output)
        return 0
    if args.within == "region":
        from parindex.report.regions import regional_rankings

        places = _places(table.ruleset, table.year)
        within = api.rank_within_regions(table)
        _write(regional_rankings(within, args.format, args.locale, places=places), args.output)
        return 0
    from parindex.report.table import colour_enabled

    # the cards know their ruleset's places, also when it came from a file (forms, --ruleset)
    places = cards[0].receipt.rounding.places if cards else _places(table.ruleset, table.year)
    colour = args.format == "table" and not args.output and colour_enabled()
    width = _width(args) if args.format == "table" and not args.output else None
    shown = ranking(table, args.format, args.locale, places=places, colour=colour, width=width)
    _write(_with_bom(args, shown), args.output)
    return 0


def _changes(args: argparse.Namespace, cards: list[Any]) -> int:
    """The council's view: every appraisal change of every unit, in any format."""
    from parindex.report.appraisal import appraisal_table
    from parindex.report.table import terminal_width, to_csv, to_json, to_text

    table = appraisal_table(cards, args.locale, units=True)
    if args.format == "xlsx":
        from parindex.report.xlsx import card_sources, tables_workbook

        sources = list(dict.fromkeys(s for c in cards for s in card_sources(c, args.locale)))
        _write_workbook(tables_workbook([table], sources, args.locale), args.output)
        return 0
    if args.format == "csv":
        text = to_csv(table).rstrip("\n")
    elif args.format == "json":
        text = to_json(table).rstrip("\n")
    else:
        style = "pipe" if args.format == "markdown" else "simple"
        width = terminal_width() if args.format == "table" and not args.output else None
        text = to_text(table, style, args.locale, width=width)
    _write(_with_bom(args, text), args.output)
    return 0


def _rank_forms(args: argparse.Namespace) -> tuple[Any, list[Any]]:
    from parindex import api
    from parindex.model.errors import AssessmentError, InputFileError

    rs = api.load_ruleset(args.ruleset_file) if args.ruleset_file else None
    cards: list[Any] = []
    seen: dict[str, Path] = {}
    for f in api.form_files(args.inputs):
        if f.suffix.lower() == ".xlsx":
            card = api.score_form(f, rs, params=args.params)
        else:  # an assessment file given with the forms
            card = api.score(f, rs, params=args.params)
        if card.unit.id in seen:
            raise AssessmentError(
                f"unit {card.unit.id!r} is given twice ({seen[card.unit.id]} and {f}); a"
                " ranking would count it twice",
                file=f,
            )
        seen[card.unit.id] = f
        cards.append(card)
    if not cards:
        raise InputFileError("no .xlsx form found in " + ", ".join(args.inputs))
    if rs is None:
        rs = api.get_ruleset(cards[0].ruleset, cards[0].year, version=cards[0].version)
    return api.rank(cards, args.ties or rs.ranking.ties), cards


def _places(ruleset_id: str, year: int | None) -> int | None:
    """The ruleset's decimal places for printed points (None when it cannot be found)."""
    from parindex import api
    from parindex.model.errors import ParindexError

    try:
        return int(api.get_ruleset(ruleset_id, year).rounding.places)
    except (ParindexError, TypeError):
        return None


def cmd_plugins(args: argparse.Namespace) -> int:
    """One row per plugin, then each plugin's problems, wrapped, at most 20 each."""
    import shutil
    import textwrap

    from parindex.api import PLUGIN_DISABLE_ENV as DISABLE_ENV
    from parindex.api import default_registry
    from parindex.model.i18n import gettext as _
    from parindex.model.i18n import localize
    from parindex.report.table import grid, terminal_width

    reg = default_registry()
    statuses = reg.plugins()
    rows = []
    for st in statuses:  # what a plugin provides is named by its hook (parindex_rulesets …)
        provides = ", ".join(f"{k.removeprefix('parindex_')}: {v}" for k, v in st.provides.items())
        rows.append([st.name, localize(st.summary), st.origin, provides or "—"])
    heads = [_("plugin"), _("state"), _("module"), _("provides")]
    fit = terminal_width()
    out = [grid(rows, heads, width=fit, wrap=(3,))]
    kinds = [  # which kinds the batch path scores with their own kernel, which unit by unit
        [name, kind.__module__, _("kernel") if kind.has_kernel() else _("engine, unit by unit")]
        for name, kind in sorted(reg.rule_kinds.items())
    ]
    if kinds:
        heads = [_("rule kind"), _("from"), _("batch path")]
        table = grid(kinds, heads, width=fit and fit - 2, wrap=(1, 2))
        out += ["", textwrap.indent(table, "  ")]
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120)) - 6
    shown = 20
    troubled = [st for st in statuses if st.errors]
    if troubled:
        out += ["", "Problems:"]
        for st in troubled:
            out.append(f"  {st.name} ({st.summary}):")
            for message in st.errors[:shown]:
                lines = textwrap.wrap(
                    " ".join(message.split()),
                    width=width,
                    break_long_words=False,
                    break_on_hyphens=False,
                ) or [""]
                out.append("    - " + lines[0])
                out += ["      " + line for line in lines[1:]]
            if len(st.errors) > shown:
                out.append(f"    … and {len(st.errors) - shown} more")
    disabled = [st.name for st in statuses if st.state == "disabled"]
    if disabled:
        out += ["", f"Disabled by {DISABLE_ENV}: {', '.join(disabled)}"]
    unknown = getattr(reg.host, "unknown_disabled", [])
    if unknown:
        out += ["", f"{DISABLE_ENV} names no installed plugin: {', '.join(unknown)}"]
    if any(st.state == "failed" for st in statuses) or troubled:
        out += [
            "",
            "What failed is skipped; everything else works.",
            f"Disable a plugin with {DISABLE_ENV}=name (several: name1,name2).",
        ]
    _write("\n".join(out))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from parindex.api import json_schema

    _write(json.dumps(json_schema(args.what), ensure_ascii=False, indent=2))
    return 0
