"""The three outputs of ``parindex reproduce``: a table, JSON and CSV, showing the same verdicts."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from decimal import Decimal

from parindex.analysis.reproduce.report import ReproduceReport
from parindex.analysis.reproduce.verdict import JSON_KEYS, RowResult
from parindex.model.decimals import canonical
from parindex.model.i18n import N_, add_templates, localize, localize_numbers
from parindex.model.i18n import gettext as _
from parindex.model.layout import grid, terminal_width
from parindex.model.text import safe_row

TOLERANCE_RULE = N_(
    "tolerance: each published number counts half a unit of its own last decimal (a whole number"
    " among decimals is read at the row's finest decimals): the half-units of the parts used plus"
    " the published total's own"
)


def _n(value: Decimal | None) -> str:
    # the published places kept (91.00 stays 91.00), the reader's decimal sign (91,00 under vi)
    return "—" if value is None else localize_numbers(format(value, "f"))


#: A row's status, shown translated (canonical in JSON and CSV).
STATUSES = (N_("agree"), N_("disagree"), N_("skipped"))
#: Why a row was skipped (its category, then its reason) and the group notes, in English in the
#: report (JSON keeps them so), translated when the table shows them.
SKIPPED = (
    N_("no total and no node points"),
    N_("codes do not fit the ruleset"),
    N_("no {ruleset} ruleset for the year"),
)
add_templates(
    N_("no total and no node points published"),
    N_("no total and no node points published ({note})"),
    N_("no ruleset: {message}"),
    N_("{title}: {rule} (another rule: {option})"),
    N_("{ruleset} {year} groups of the total: {summary}"),
    N_("cuts {cuts}; best/high-average/low-average/poor = {counts}"),
    N_("best/high-average/low-average/poor = {counts}"),
    *SKIPPED,
    # the summary line, each part between "; " on its own, when it is printed alone (after a
    # workbook, JSON or CSV: parindex.cli.reproduce)
    N_("rows: {count}"),
    N_("recomputed: {count} (agreeing: {a}, disagreeing: {b})"),
    N_("checked only: {count}"),
    N_("checked only: {count} (disagreeing: {b})"),
    N_("skipped: {count}"),
    N_("skipped: {count} ({why})"),
    N_("{count} no total and no node points"),
    N_("{count} codes do not fit the ruleset"),
    N_("source conflicts: {count}"),
    N_("group counts: {count} compared, {b} disagreeing"),
)


def _flag(value: bool | None) -> str:
    return {True: _("yes"), False: _("NO"), None: "—"}[value]


def render_text(report: ReproduceReport, *, verbose: bool = False, wide: bool = False) -> str:
    """A table of every row (fitted to the terminal: units and statuses wrap in their cells;
    ``wide``: one line per row), the conflicts, the diagnoses, the notes, the summary last."""
    lines: list[str] = []
    if report.dataset is not None:
        ds = report.dataset
        lines.append(_("dataset {name}: {title}").format(name=ds.name, title=ds.title))
        for url in ds.sources[:3]:
            lines.append("  " + _("source: {source}").format(source=url))
        if len(ds.sources) > 3:
            more = _("… and {count} more sources (see `parindex datasets`)")
            lines.append("  " + more.format(count=len(ds.sources) - 3))
    else:
        lines.append(_("file {file}").format(file=report.file))
    width = terminal_width(wide)
    #: A row's details (why it disagrees, its conflicts) → its footnote number: a fitted table
    #: keeps the short status and a mark, the details are listed under it, each once.
    details: dict[str, int] = {}
    table = []
    for r in report.rows:
        row = r.row
        if r.status == "skipped":
            table.append(
                [
                    row.line,
                    row.unit,
                    row.year,
                    _n(row.total),
                    "—",
                    "—",
                    "—",
                    "—",
                    _pair(row.rank, None),
                    _pair(row.group, None),
                    _("skipped: {reason}").format(reason=localize(str(r.reason))),
                ]
            )
            continue
        table.append(
            [
                row.line,
                row.unit,
                row.year,
                _n(row.total),
                _n(r.computed_total if r.recomputed else None),
                _n(r.difference),
                _n(r.tolerance),
                _flag(r.within_tolerance),
                _pair(row.rank, r.computed_rank),
                _pair(row.group, r.computed_group),
                _status_cell(r, verbose, details if width is not None else None),
            ]
        )
    lines.append(
        grid(
            table,
            [
                _("line"),
                _("unit"),
                _("year"),
                _("published"),
                _("computed"),
                _("difference"),
                _("tolerance"),
                _("within"),
                _("rank pub/comp"),
                _("group pub/comp"),
                _("status"),
            ],
            width=width,
            wrap=(10, 9),
            spare=(1,),
        )
    )
    lines.extend(f"[{n}] {text}" for text, n in details.items())
    lines.append(_(TOLERANCE_RULE))
    conflicts = report.conflicts
    if conflicts:
        lines.append(_("source conflicts ({count}):").format(count=len(conflicts)))
        lines.extend(
            f"  line {r.row.line} {r.row.unit} {r.row.year}: {c.text()}" for r, c in conflicts
        )
    diagnosed = [r for r in report.rows if r.diagnosis]
    if diagnosed:
        lines.append(_("diagnosis of each disagreement (hypotheses, not corrections):"))
        lines.extend(
            f"  line {r.row.line} {r.row.unit} {r.row.year}: {r.diagnosis}" for r in diagnosed
        )
    lines.extend(localize(note) for note in report.group_notes)
    lines.extend(c.text() for c in report.count_checks)
    lines.append(_summary(report.summary()))
    return "\n".join(line if "\n" in line else _fit(line, width) for line in lines)


def _fit(line: str, width: int | None) -> str:
    """A line of prose wrapped to ``width`` under its own indent (a URL is never cut)."""
    if width is None or len(line) <= width:
        return line
    indent = line[: len(line) - len(line.lstrip())]
    return "\n".join(
        textwrap.wrap(
            line,
            width,
            subsequent_indent=indent + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    )


#: The words of the summary line (``rows: 378; recomputed: …``), translated one by one.
_SUMMARY_WORDS = (
    N_("rows"),
    N_("recomputed"),
    N_("agreeing"),
    N_("disagreeing"),
    N_("checked only"),
    N_("skipped"),
    N_("source conflicts"),
    N_("group counts"),
)


def _summary(text: str) -> str:
    # whole words only: "agreeing:" is also the end of "disagreeing:"
    for word in _SUMMARY_WORDS:
        text = re.sub(rf"(?<![\w-]){re.escape(word)}:", f"{_(word)}:", text)
    for category in SKIPPED[:2]:  # "skipped: 2 (2 no total and no node points)"
        text = re.sub(rf"(?<=\d ){re.escape(category)}(?=[;)])", _(category), text)
    return localize_numbers(text)


def _pair(published: object, computed: object) -> str:
    left = "—" if published is None else _(str(published))
    right = "—" if computed is None else _(str(computed))
    return f"{left}/{right}"


def _status_cell(r: RowResult, verbose: bool, details: dict[str, int] | None) -> str:
    """The status, then its details: inline (``details`` None: one line per row), or as the
    number of a footnote in ``details``."""
    status, *rest = _status_parts(r, verbose)
    if not rest:
        return status
    if details is None:
        return "; ".join([status, *rest])
    mark = details.setdefault("; ".join(rest), len(details) + 1)
    return f"{status} [{mark}]"


def _status_parts(r: RowResult, verbose: bool) -> list[str]:
    parts = [_(r.status)]
    bad_nodes = [c for c in r.node_checks if not c.within]
    if bad_nodes:
        parts.append(
            "nodes off: "
            + ", ".join(
                f"{c.code} {canonical(c.published)} vs {canonical(c.computed)}"
                for c in bad_nodes[:3]
            )
        )
    elif r.node_checks and verbose:
        worst = max(r.node_checks, key=lambda c: abs(c.difference))
        parts.append(
            f"{len(r.node_checks)} nodes within tolerance (largest gap"
            f" {canonical(abs(worst.difference))} at {worst.code})"
        )
    if r.total_within is False:
        parts.append(_("total outside tolerance"))
    if r.rank_agrees is False:
        parts.append(_("rank differs"))
    if r.group_agrees is False:
        parts.append(_("group differs"))
    if r.order_issues:
        parts.append("order: " + "; ".join(i.text() for i in r.order_issues))
    if r.counts_text:
        parts.append(r.counts_text)
    if r.conflicts:
        rejecting = len(r.rejected)
        parts.append(
            f"{len(r.conflicts)} source conflict{'s' if len(r.conflicts) > 1 else ''}"
            + (f" ({rejecting} rejecting)" if rejecting else "")
        )
    if verbose or r.status == "disagree":
        parts.extend(n for n in r.notes if not n.startswith("rank among"))
    return parts


def render_json(report: ReproduceReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)


def render_csv(report: ReproduceReport) -> str:
    """The JSON keys as columns (conflicts as text, one per ``|``), plus why a row was skipped."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*JSON_KEYS, "reason"])
    for r in report.rows:
        obj = r.to_json()
        obj["conflicts"] = " | ".join(c.text() for c in r.conflicts)
        row = [*("" if obj[k] is None else obj[k] for k in JSON_KEYS), r.reason or ""]
        writer.writerow(safe_row(row))  # unit names from the file: never a spreadsheet formula
    return buf.getvalue().rstrip("\n")
