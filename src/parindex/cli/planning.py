"""Planning commands: gaps, targets, compare, report (issue 5).

Each reads score cards (``parindex score X --format json``) or assessments (scored on the fly),
in any mix; a ruleset that no plugin provides is given with ``--ruleset FILE``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

FORMATS = ["table", "markdown", "csv", "json", "xlsx"]


def _common(p: argparse.ArgumentParser, fmt: bool = True) -> None:
    p.add_argument(
        "--ruleset",
        action="append",
        default=[],
        metavar="FILE",
        help="a ruleset YAML file for inputs whose ruleset no plugin provides (repeatable)",
    )
    if fmt:
        p.add_argument(
            "--format",
            "-f",
            choices=FORMATS,
            default="table",
            help="output format (default: table; xlsx: a workbook, with -o FILE.xlsx)",
        )
        p.add_argument("--bom", action="store_true", help=BOM_HELP)
    p.add_argument("--output", "-o", help="write to this file (atomically) instead of stdout")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "gaps",
        help="list the nodes that lost points, or total them by lead agency",
        description="Every node below its maximum, with the points it lost and its share of all"
        " points lost, largest first. INPUT is a score card (JSON from `parindex score"
        " --format json`) or an assessment (YAML, scored here). With --by agency the lost points"
        " are totalled per lead agency of a responsibility map (they add up to the points lost).",
        epilog="examples (`parindex example ...` writes the files used here into this folder):\n"
        "  parindex example moha-2017-example.yaml\n"
        "  parindex score moha-2017-example.yaml --format json -o card.json\n"
        "  parindex gaps card.json --depth field\n"
        "  parindex example planning\n"
        "  parindex gaps planning/lang-son-2021.yaml --depth criterion \\\n"
        "      --ruleset planning/rulesets/example-province-2021.yaml\n"
        "  parindex gaps planning/lang-son-2021.yaml --ruleset"
        " planning/rulesets/example-province-2021.yaml \\\n"
        "      --by agency --responsibility lang-son-2022",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", help="score card JSON or assessment YAML")
    p.add_argument(
        "--depth",
        default="leaf",
        help="field, criterion, sub-criterion, leaf (the deepest scored; default) or a"
        " number (0 = top level)",
    )
    p.add_argument(
        "--by",
        choices=["node", "agency"],
        default="node",
        help="list nodes (default) or total by lead agency",
    )
    p.add_argument(
        "--responsibility",
        metavar="MAP",
        help="responsibility map: a YAML file or a shipped name (lang-son-2022,"
        " yen-bai-2021, hung-yen-2022); without it --by agency uses the ruleset's"
        " lead_agency",
    )
    p.add_argument("--section", help="the map section to use (default: by ruleset id)")
    p.add_argument(
        "--previous",
        metavar="CARD",
        help="last year's score card or assessment: each row shows what the node lost then,"
        " and the nodes that lost points in both years are marked (lost again)",
    )
    _common(p)
    p.add_argument(
        "--wide",
        action="store_true",
        help="one line per row, however long (default: fit the terminal, 100 columns)",
    )
    p.set_defaults(handler=cmd_gaps)

    p = sub.add_parser(
        "targets",
        help="evaluate a targets file against score cards (met, margin, what-if)",
        description="Evaluate every target of TARGETS (YAML) against the score cards given with"
        " --scores: met or not, by how much, and for targets not met the fewest extra points"
        " that reach them (given the other units' scores for ranks and batch-relative groups)"
        " and the lost points that would cover them.",
    )
    p.add_argument("targets", help="targets YAML file")
    p.add_argument(
        "--scores",
        nargs="+",
        required=True,
        metavar="FILE",
        help="score cards, assessments or batch CSVs (all units, for rank targets)",
    )
    p.add_argument(
        "--measures",
        metavar="FILE",
        help="YAML with values measured elsewhere (for `measure` targets)",
    )
    p.add_argument(
        "--responsibility",
        metavar="MAP",
        help="responsibility map (file or shipped name) for the what-if's lead agency column;"
        " without it the ruleset's lead_agency is used",
    )
    p.add_argument("--section", help="the map section to use (default: by ruleset id)")
    _common(p)
    p.add_argument(
        "--wide",
        action="store_true",
        help="one line per row, however long (default: fit the terminal, 100 columns)",
    )
    p.set_defaults(handler=cmd_targets)

    p = sub.add_parser(
        "compare",
        help="compare two score cards (two years, or self-assessed vs appraised)",
        description="Per-node changes from A to B, with rank and group changes. Nodes whose"
        " rules changed between the ruleset versions are flagged, so that a drop caused by a rule"
        " change is not read as a drop in performance. With one input, its self-assessed points"
        " are compared with its appraised points.",
    )
    p.add_argument("a", help="score card or assessment (earlier year, or the only one)")
    p.add_argument("b", nargs="?", help="score card or assessment (later year)")
    p.add_argument(
        "--batch-a",
        nargs="+",
        default=[],
        metavar="FILE",
        help="all units of A's year (to show ranks)",
    )
    p.add_argument(
        "--batch-b",
        nargs="+",
        default=[],
        metavar="FILE",
        help="all units of B's year (to show ranks)",
    )
    p.add_argument("--depth", help="show nodes down to this depth (field, criterion, …)")
    p.add_argument(
        "--all",
        action="store_true",
        help="show every node, not only those that changed or whose rules changed",
    )
    _common(p)
    p.add_argument(
        "--wide",
        action="store_true",
        help="one line per row, however long (default: fit the terminal, 100 columns)",
    )
    p.set_defaults(handler=cmd_compare)

    p = sub.add_parser(
        "report",
        help="write a report (Markdown or self-contained HTML with SVG charts)",
        description="A report on one unit: summary, per-field profile chart, ranking chart (with"
        " --batch), points lost, lost points by agency (with --responsibility), targets (with"
        " --targets) and a comparison (with --previous). HTML is one file with inline CSS and"
        " SVG: no script, no external asset. --export DIR writes every table as CSV and JSON.",
    )
    p.add_argument("input", help="score card JSON or assessment YAML of the unit")
    p.add_argument("--format", "-f", choices=["html", "markdown"], default="html")
    p.add_argument(
        "--batch",
        nargs="+",
        default=[],
        metavar="FILE",
        help="the other units of the same ruleset and year (for the ranking)",
    )
    p.add_argument("--depth", default="leaf", help="depth of the gaps table (default: leaf)")
    p.add_argument("--responsibility", metavar="MAP", help="responsibility map (file or name)")
    p.add_argument("--section", help="the map section to use")
    p.add_argument("--targets", metavar="FILE", help="targets YAML to evaluate")
    p.add_argument(
        "--scores",
        nargs="+",
        default=[],
        metavar="FILE",
        help="score cards for the targets (default: INPUT and --batch)",
    )
    p.add_argument("--measures", metavar="FILE", help="measured values for the targets")
    p.add_argument(
        "--previous",
        metavar="FILE",
        help="last year's score card: a comparison, and the gaps lost again (in both years)",
    )
    p.add_argument(
        "--history",
        nargs="*",
        metavar="DATASET",
        help="a section on the unit's years: index and rank charted over the group bands, the"
        " change year on year; from the named bundled datasets (none named: every dataset of"
        " the card's ruleset), INPUT and --previous",
    )
    p.add_argument(
        "--export",
        metavar="DIR|FILE.xlsx",
        help="also write every table as CSV and JSON into DIR, or as one workbook FILE.xlsx",
    )
    p.add_argument(
        "--ruleset",
        action="append",
        default=[],
        metavar="FILE",
        help="a ruleset YAML file (repeatable)",
    )
    p.add_argument("--output", "-o", help="output file (default: stdout)")
    p.set_defaults(handler=cmd_report)


def _write(text: str, output: str | None) -> None:
    if not text.endswith("\n"):
        text += "\n"
    if output:
        from parindex.api import atomic_write_text

        atomic_write_text(output, text)
    else:
        sys.stdout.write(text)


BOM_HELP = "start CSV output with a byte-order mark (for spreadsheet programs that need one)"


def _emit(tables: list[Any], head: list[str], tail: list[str], args: Any, data: Any) -> int:
    """``tables`` in ``--format``: a workbook (``cards``' receipts and sources in its "Nguồn"
    sheet), or text (CSV with a byte-order mark under ``--bom``)."""
    if args.format == "xlsx":
        from parindex.report.xlsx import card_sources, tables_workbook

        cards = getattr(args, "cards", [])
        sources = list(dict.fromkeys(s for c in cards for s in card_sources(c, args.locale)))
        sources += [("summary", line) for line in [*head, *tail]]
        places = cards[0].receipt.rounding.places if cards else None
        _write_workbook(tables_workbook(tables, sources, args.locale, places), args.output)
        return 0
    text = _render(tables, head, tail, args.format, args.locale, data, args.wide)
    _write(("\ufeff" if args.format == "csv" and args.bom else "") + text, args.output)
    return 0


def _read_card(path: str, rulesets: Any) -> Any:
    """A score card from a card JSON, an assessment YAML or a filled form (.xlsx), read with the
    given ruleset file it was made from, if any."""
    from parindex import api

    if not path.lower().endswith(".xlsx"):
        return api.read_card(path, rulesets)
    cover = api.read_cover(path)
    version = cover.version.partition("+params")[0]
    made = [r for r in rulesets if (r.id, r.version) == (cover.ruleset, version)]
    return api.score_form(path, made[0] if made else None)


def _read_cards(paths: list[str], rulesets: Any) -> list[Any]:
    from parindex import api

    cards: list[Any] = []
    for path in api.form_files(paths):
        if path.suffix.lower() == ".xlsx":
            cards.append(_read_card(str(path), rulesets))
        else:
            cards += api.read_cards([path], rulesets)
    return cards


def _write_workbook(data: bytes, output: str | None) -> None:
    from parindex.cli.core import _write_workbook as write

    write(data, output)


def _render(
    tables: list[Any],
    head: list[str],
    tail: list[str],
    fmt: str,
    locale: str,
    data: Any,
    wide: bool = False,
) -> str:
    import textwrap

    from parindex.model.i18n import localize
    from parindex.report.table import colour_enabled, md_line, terminal_width, to_csv, to_text

    if fmt == "json":
        return str(data.model_dump_json(indent=2))
    if fmt == "csv":
        return to_csv(tables[0])
    style = "pipe" if fmt == "markdown" else "simple"
    md = md_line if fmt == "markdown" else str  # user text in Markdown: escaped
    width = terminal_width(wide) if fmt == "table" else None
    colour = fmt == "table" and colour_enabled()

    def fit(line: str, indent: str = "") -> str:
        if width is None:
            return line
        return "\n".join(
            textwrap.wrap(
                line,
                width,
                subsequent_indent=indent + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )

    parts = ["  \n".join(map(md, head)) if fmt == "markdown" else "\n".join(map(fit, head))]
    for t in tables:
        title = t.title.best(locale)
        parts.append(f"### {md(title)}" if fmt == "markdown" else title)
        parts.append(to_text(t, style, locale, width=width, colour=colour))
        if t.notes:
            parts.append("\n".join(fit(f"- {md(localize(n, locale))}") for n in t.notes))
    parts += [fit(t) for t in tail]
    return "\n\n".join(p for p in parts if p)


def N_(message: str) -> str:
    """Marks a message for the catalogue (translated where it is shown)."""
    return message


_DEPTH_HEAD = N_("points lost: {lost}; listed at depth {depth}: {listed} in {count} node(s)")
#: One sentence per named depth, so that the depth's name is translated with its sentence
#: ("field" alone is the catalogue's word for a YAML field).
_DEPTH_HEADS = {
    "field": N_("points lost: {lost}; listed at depth field: {listed} in {count} node(s)"),
    "criterion": N_("points lost: {lost}; listed at depth criterion: {listed} in {count} node(s)"),
    "sub-criterion": N_(
        "points lost: {lost}; listed at depth sub-criterion: {listed} in {count} node(s)"
    ),
    "leaf": N_("points lost: {lost}; listed at depth leaf: {listed} in {count} node(s)"),
}


def cmd_gaps(args: argparse.Namespace) -> int:
    from parindex.api import by_agency, gaps, load_rulesets, parse_depth
    from parindex.api import find_responsibility_map as find_map
    from parindex.model.i18n import gettext as _
    from parindex.report import planning_tables as T
    from parindex.report.numbers import number as fmt
    from parindex.report.table import group_name

    rulesets = load_rulesets(args.ruleset)
    card = _read_card(args.input, rulesets)
    previous = _read_card(args.previous, rulesets) if args.previous else None
    L = args.locale
    places = card.receipt.rounding.places  # points as the score card prints them

    def pts(value: Any) -> str:
        return str(fmt(value, places, locale=L))

    head = [
        f"{card.unit.label} · {card.ruleset} {card.version} · {card.year}",
        _("total {total} / {maximum} · index {index} · group {group}").format(
            total=pts(card.total),
            maximum=fmt(card.maximum, locale=L),
            index=pts(card.index),
            group=group_name(card.group, L),
        ),
    ]
    if args.by == "agency":
        rmap = find_map(args.responsibility) if args.responsibility else None
        rep = by_agency(card, rmap, args.section)
        head.append(
            _("responsibility: {map} ({source}), section {section}").format(
                map=rep.map_id, source=rep.map_source, section=rep.section
            )
        )
        ok = rep.total_lost is not None and rep.attributed == rep.total_lost
        tail = [
            _("sum over agencies: {sum}").format(sum=pts(rep.attributed))
            + (
                " " + _("= points lost {lost} ✓").format(lost=pts(rep.total_lost))
                if ok
                else "; " + _("points lost: {lost}").format(lost=pts(rep.total_lost))
            )
        ]
        tables = [T.agency_table(rep, L, places), T.agency_items_table(rep, L, places)]
        args.cards = [card]
        return _emit(tables, head, tail, args, rep)
    gap = gaps(card, parse_depth(args.depth), previous)
    head.append(
        _(_DEPTH_HEADS.get(args.depth, _DEPTH_HEAD)).format(
            lost=pts(gap.total_lost),
            depth=args.depth,
            listed=pts(gap.listed_lost),
            count=len(gap.rows),
        )
    )
    table = T.gaps_table(gap, L, places)
    args.cards = [card]
    return _emit([table], head, [], args, gap)


def cmd_targets(args: argparse.Namespace) -> int:
    from parindex.api import load_measures, load_rulesets
    from parindex.report import planning_tables as T

    rulesets = load_rulesets(args.ruleset)
    cards = _read_cards(args.scores, rulesets)
    measures = load_measures(args.measures) if args.measures else None
    rmap = _map(args.responsibility)
    if rmap is not None and args.section is not None:
        rmap.section_for("", args.section)  # an unknown section: refused before any target
    rep = _evaluate(args.targets, cards, measures, rulesets, rmap, args.section)
    from parindex.model.i18n import gettext as _

    head = [
        _("targets of {unit} for {year} ({source})").format(
            unit=rep.unit.name or rep.unit.id, year=rep.year, source=rep.source
        ),
        _("met: {met} of {count}").format(met=rep.met, count=len(rep.results)),
    ]
    tables = [T.targets_table(rep), T.whatif_table(rep, args.locale)]
    args.cards = cards
    return _emit(tables, head, [], args, rep)


def _map(name: str | None) -> Any:
    from parindex.api import find_responsibility_map

    return find_responsibility_map(name) if name else None


def _evaluate(
    path: str,
    cards: Any,
    measures: Any,
    rulesets: Any,
    rmap: Any = None,
    section: str | None = None,
) -> Any:
    from parindex.api import evaluate_targets as evaluate
    from parindex.api import load_targets_with_lines
    from parindex.api import locate_target_error as locate
    from parindex.model.errors import ParindexError

    targets, lines = load_targets_with_lines(path)
    try:
        return evaluate(targets, cards, measures, rulesets, responsibility=rmap, section=section)
    except ParindexError as err:
        raise locate(err, targets, lines) from None


def _depth(text: str | None) -> int | None:
    if text is None:
        return None
    from parindex.api import parse_depth

    return parse_depth(text)


def cmd_compare(args: argparse.Namespace) -> int:
    from parindex.api import compare, compare_stages, load_rulesets
    from parindex.report import planning_tables as T

    rulesets = load_rulesets(args.ruleset)
    a = _read_card(args.a, rulesets)
    if args.b is None:
        cmp = compare_stages(a)
    else:
        b = _read_card(args.b, rulesets)
        cmp = compare(
            a,
            b,
            rulesets,
            _read_cards(args.batch_a, rulesets) if args.batch_a else None,
            _read_cards(args.batch_b, rulesets) if args.batch_b else None,
        )
    tables = [
        T.compare_summary_table(cmp),
        T.compare_table(cmp, args.locale, changed_only=not args.all, depth=_depth(args.depth)),
    ]
    from parindex.model.i18n import gettext

    side_a, side_b = gettext(cmp.a.label), gettext(cmp.b.label)
    head = [f"{side_a} → {side_b}"]  # the basis is the summary table's note: said once
    if args.b is None and a.changes:  # self vs appraised: the council's reasons too
        from parindex.report.appraisal import appraisal_table

        tables.append(appraisal_table([a], args.locale))
    shown = tables[1:] if args.format == "csv" else tables
    args.cards = [a] if args.b is None else [a, b]
    return _emit(shown, head, [], args, cmp)


def _history(args: argparse.Namespace, card: Any, previous: Any) -> dict[str, Any]:
    """The report's history rows and notes (none without --history)."""
    if args.history is None:
        return {}
    from parindex.api import history, list_datasets

    names = args.history or [d.name for d in list_datasets() if card.ruleset in d.rulesets]
    rows, notes = history(
        card.unit.name or card.unit.id,
        datasets=names,
        cards=[c for c in (previous, card) if c is not None],
        locale=args.locale,
    )
    return {"history": rows, "history_notes": notes}


def cmd_report(args: argparse.Namespace) -> int:
    from parindex.api import (
        compare,
        load_measures,
        load_rulesets,
        parse_depth,
    )
    from parindex.api import find_responsibility_map as find_map
    from parindex.model.i18n import gettext as _
    from parindex.report import build_report, export_tables, to_html, to_markdown

    rulesets = load_rulesets(args.ruleset)
    card = _read_card(args.input, rulesets)
    # one batch CSV, ranked only: the report reads it on the batch path (no card per row)
    batch_csv = (
        args.batch[0]
        if args.batch
        and len(args.batch) == 1
        and args.batch[0].lower().endswith(".csv")
        and not args.targets
        and not rulesets
        else None
    )
    batch = _read_cards(args.batch, rulesets) if args.batch and batch_csv is None else []
    rmap = find_map(args.responsibility) if args.responsibility else None
    targets = None
    if args.targets:
        scores = _read_cards(args.scores, rulesets) if args.scores else [card, *batch]
        measures = load_measures(args.measures) if args.measures else None
        targets = _evaluate(args.targets, scores, measures, rulesets, rmap, args.section)
    comparison = previous = None
    if args.previous:
        previous = _read_card(args.previous, rulesets)
        comparison = compare(previous, card, rulesets)
    doc = build_report(
        card,
        locale=args.locale,
        depth=parse_depth(args.depth),
        batch=batch,
        rmap=rmap,
        section=args.section,
        targets=targets,
        comparison=comparison,
        rulesets=rulesets,
        batch_csv=batch_csv,
        previous=previous,
        **_history(args, card, previous),
    )
    text = to_html(doc) if args.format == "html" else to_markdown(doc)
    _write(text, args.output)
    if args.export and args.export.lower().endswith(".xlsx"):  # one workbook, a sheet a table
        from parindex.report.appraisal import appraisal_table, evidence_table
        from parindex.report.xlsx import card_sources, tables_workbook

        own = [appraisal_table([card], args.locale), evidence_table([card], args.locale)]
        tables = [*doc.tables(), *(t for t in own if t.rows)]
        places = card.receipt.rounding.places
        book = tables_workbook(tables, card_sources(card, args.locale), args.locale, places)
        _write_workbook(book, args.export)
        done = _("exported {count} tables to {file}").format(count=len(tables), file=args.export)
        print(done, file=sys.stderr)
    elif args.export:
        written = export_tables(doc.tables(), args.export)
        done = _("exported {count} files to {file}").format(count=len(written), file=args.export)
        print(done, file=sys.stderr)
    return 0
