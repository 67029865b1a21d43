"""Rendering score cards, rulesets and rankings for people (tables) and programs (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tabulate import tabulate  # the card and ruleset tables; a ranking uses tabulated

from parindex.model.documents import Node, Ruleset, ScoreCard
from parindex.model.i18n import N_, gettext, localize, ngettext
from parindex.model.text import safe_rows
from parindex.report.numbers import number
from parindex.report.table import Footnotes, grid, group_name, md_cell, md_line
from parindex.report.tabulated import tabulated
from parindex.scoring.ranking import RankedColumns, RankedTable

FORMATS = ("table", "json", "markdown", "csv")

#: Column and heading labels, in the catalogue's source language (translated when shown).
_LABELS = {
    "unit": N_("Unit"),
    "ruleset": N_("Ruleset"),
    "year": N_("Year"),
    "total": N_("Total"),
    "max": N_("Maximum"),
    "index": N_("Index"),
    "group": N_("Group"),
    "code": N_("Code"),
    "title": N_("Title"),
    "points": N_("Points"),
    "pct": "%",
    "how": N_("How"),
    "status": N_("Status"),
    "self": N_("Self-assessed"),
    "appraised": N_("Appraised"),
    "rank": N_("Rank"),
    "method": N_("Method"),
    "source": N_("Source"),
    "rule": N_("Rule"),
    "years": N_("Years"),
    "version": N_("Version"),
    "none": N_("— not published"),
    "notes": N_("Notes"),
    "unverified": N_("UNVERIFIED rules contributed to this score"),
    "receipt": N_("Receipt"),
    "view": N_("view"),
}

#: Values of the model's closed vocabularies that are shown to people (method, status, unit
#: kind, what a ranking is by): translated when shown, canonical in CSV and JSON.
VOCABULARY = (
    N_("appraisal"),
    N_("survey"),
    N_("external"),
    N_("confirmed"),
    N_("derived"),
    N_("unverified"),
    N_("province"),
    N_("department"),
    N_("district"),
    N_("commune"),
    N_("agency"),
    N_("index"),
    N_("total"),
    N_("(ruleset)"),  # the engine's mark for "the whole ruleset" among unverified codes
)

#: How a node's points were found (the How column), and the markers after it.
_HOW = {
    "rule": N_("rule"),
    "given": N_("given"),
    "children": N_("children"),
    "not_applicable": N_("not applicable"),
    "missing": N_("missing"),
}
_MARKERS = {"unverified": " ⚠", "derived": " ~"}
_LEGEND = {
    "⚠": N_("⚠ unverified: not confirmed by a source, kept configurable"),
    "~": N_("~ derived: computed from published data, not stated by a source"),
}


def labels(locale: str) -> dict[str, str]:
    return {key: gettext(text, locale) if text != "%" else text for key, text in _LABELS.items()}


def _maximum(value: Decimal | None, locale: str) -> str:
    """A maximum, or the words saying that none is published (never a made-up number)."""
    return number(value, locale=locale) if value is not None else labels(locale)["none"]


def _legend(cells: Sequence[str], locale: str) -> list[str]:
    """One line per marker that the table uses."""
    used = [m for m in _LEGEND if any(m in c for c in cells)]
    return [gettext(_LEGEND[m], locale) for m in used]


_RANGE = re.compile(r"in \[[^\]]+\]")
_NO_MAXIMUM = "maximum not published, so its points are not bounded by one and it has no %"
_BOUNDED_BY_RULE = N_(
    "no maximum is published, so there is no %; the rule bounds the points: {rule}"
)


def collapse_notes(card: ScoreCard, locale: str) -> list[str]:
    """The card's notes for people: notes that differ only by their node code said once, with
    the codes listed ("22 nodes (D1.1, …): …"); a node without a published maximum whose rule
    bounds its points says the rule's range instead of "not bounded"."""
    codes = {n.code: n for n in card.nodes}
    grouped: dict[str, list[str]] = {}
    order: list[str] = []
    for note in card.notes:
        code, sep, rest = note.partition(": ")
        if sep and code in codes:
            if code and rest == _NO_MAXIMUM:
                ranges = _RANGE.findall(codes[code].trace.rule or "")
                if ranges:
                    rest = _BOUNDED_BY_RULE.format(rule=codes[code].trace.rule)
            key = rest
        else:
            key, code = note, ""
        if key not in grouped:
            grouped[key] = []
            order.append(key)
        if code:
            grouped[key].append(code)
    out = []
    for key in order:
        found = grouped[key]
        text = localize(key, locale)
        if len(found) == 1:
            out.append(f"{found[0]}: {text}")
        elif found:
            many = ngettext("{count} node", "{count} nodes", len(found), locale)
            out.append(f"{many.format(count=len(found))} ({', '.join(found)}): {text}")
        else:
            out.append(text)
    return out


def _wrapped(lines: Sequence[str], width: int | None, indent: str = "") -> list[str]:
    if width is None:
        return [indent + line for line in lines]
    out = []
    for line in lines:
        out += textwrap.wrap(
            line,
            width,
            initial_indent=indent,
            subsequent_indent=indent + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        ) or [indent]
    return out


def scorecard(
    card: ScoreCard,
    fmt_name: str = "table",
    locale: str = "en",
    *,
    width: int | None = None,
    colour: bool = False,
) -> str:
    """A score card for people (``table``, ``markdown``) or programs (``json``, ``csv``: canonical
    codes, exact numbers). A table fits ``width`` columns (None: one line per row), titles
    wrapped in their cell."""
    if fmt_name == "json":
        return card.to_json()
    places = card.receipt.rounding.places
    L = labels(locale)
    rows = []
    for n in card.nodes:
        flag = _MARKERS.get(n.status, "")
        how = "not_applicable" if n.not_applicable else n.trace.how
        rows.append(
            [
                ("  " * n.depth + n.code) if fmt_name == "table" else n.code,
                n.title.best(locale),
                number(n.points, places, locale=locale) if n.points is not None else "—",
                number(n.maximum, locale=locale)
                if n.maximum is not None
                else L["none"]
                if n.stated_maximum is None
                else number(n.maximum, locale=locale),
                number(n.percent, places, locale=locale) if n.percent is not None else "",
                (how if fmt_name == "csv" else gettext(_HOW.get(how, how), locale)) + flag,
            ]
            + (
                [number(n.self_points, places, locale=locale) if n.self_points is not None else ""]
                if card.self_total is not None
                else []
            )
            + ([n.trace.reason or ""] if card.changes else [])
        )
    headers = [L["code"], L["title"], L["points"], L["max"], L["pct"], L["how"]]
    if card.self_total is not None:
        headers.append(L["self"])
    if card.changes:  # only a card with appraisal changes gets the column: others stay as they were
        headers.append(gettext("Reason", locale))
    if fmt_name == "csv":
        return _csv([headers, *rows])
    table = (
        _md_table(rows, headers)
        if fmt_name == "markdown"
        else grid(rows, headers, width=width, wrap=(1, len(headers) - 1) if card.changes else (1,))
    )
    unit = md_line(card.unit.label) if fmt_name == "markdown" else card.unit.label
    head = [
        f"{L['unit']}: {unit}",
        f"{L['ruleset']}: {card.ruleset} {card.version} · {L['year']} {card.year}"
        + (f" · {L['view']} {card.view}" if card.view != "main" else ""),
        f"{L['total']}: {number(card.total, places, locale=locale)} / "
        f"{_maximum(card.maximum, locale)}"
        f" · {L['index']}: {number(card.index, places, locale=locale)}"
        f" · {L['group']}: {group_name(card.group, locale, colour)}",
    ]
    if card.self_total is not None:
        changed = ngettext("({count} changed)", "({count} changed)", card.changes, locale)
        head.append(
            f"{L['self']}: {number(card.self_total, places, locale=locale)} · {L['appraised']}:"
            f" {number(card.appraised_total, places, locale=locale)}"
            f" {changed.format(count=card.changes)}"
        )
    if card.changes:
        head.append(appraisal_summary(card, locale))
    if card.unverified:
        codes = [gettext(c, locale) if c == "(ruleset)" else c for c in card.unverified_codes]
        head.append(f"⚠ {L['unverified']}: {', '.join(codes)}")
    legend = _legend([r[5] for r in rows], locale)
    tail = [f"- {note}" for note in collapse_notes(card, locale)]
    receipt = (
        f"{L['receipt']}: {card.receipt.ruleset_id} {card.receipt.ruleset_version}"
        f" {card.receipt.content_hash[:19]}… parindex {card.receipt.library_version};"
        f" {localize(card.receipt.rule, locale)}"
    )
    if fmt_name == "markdown":
        out = ["  \n".join(head), "", table]
        if legend:
            out += ["", *(f"_{md_line(x)}_  " for x in legend)]
        if tail:
            out += ["", f"**{L['notes']}**", "", *(md_line(t) for t in tail)]
        out += ["", f"_{receipt}_"]
        return "\n".join(out)
    out = [*head, "", table]
    if legend:
        out += ["", *legend]
    if tail:
        out += ["", f"{L['notes']}:", *_wrapped(tail, width, "  ")]
    out += ["", *_wrapped([receipt], width)]
    return "\n".join(out)


def appraisal_summary(card: ScoreCard, locale: str = "en") -> str:
    """``appraisal changed 7 nodes, −3.25 points``: what the appraisal did to a unit's total."""
    delta = (card.appraised_total or card.total) - (card.self_total or card.total)
    # a true minus sign, and a plus for a raise: the direction is the point of the line
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    shown = sign + number(abs(delta), card.receipt.rounding.places, locale=locale)
    line = ngettext(
        "appraisal changed {count} node, {delta} points",
        "appraisal changed {count} nodes, {delta} points",
        card.changes,
        locale,
    )
    return line.format(count=card.changes, delta=shown)


def _md_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    return str(tabulate(_md_rows(rows), headers=headers, tablefmt="pipe", disable_numparse=True))


def _csv(rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(safe_rows(rows))  # no cell may start a spreadsheet formula
    return buf.getvalue().rstrip("\n")


def _md_rows(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows for a Markdown table: user text escaped (no HTML, no broken table)."""
    return [[md_cell(v) if isinstance(v, str) else v for v in row] for row in rows]


#: The not-applicable policies in words; the translation keeps the YAML's word beside them.
NOT_APPLICABLE_WORDS = {"exclude": N_("exclude"), "full": N_("full"), "zero": N_("zero")}


def ruleset_tree(
    ruleset: Ruleset,
    fmt_name: str = "table",
    locale: str = "en",
    *,
    width: int | None = None,
) -> str:
    """A ruleset's tree. In a table that fits ``width`` (not None), titles and rules wrap in
    their cells and each source is a numbered footnote, printed once under the table."""
    L = labels(locale)
    if fmt_name == "json":
        return json.dumps(ruleset.model_dump(mode="json"), ensure_ascii=False, indent=2)
    notes = Footnotes()
    footnoted = fmt_name == "table" and width is not None
    as_ruleset = gettext("(as ruleset)", locale)
    rows = []
    views = ruleset.view_names
    for view in views:
        for top in ruleset.view_nodes(view):
            for node, depth in _walk(top, 0):
                status = ruleset.status_of(node)
                cite = ruleset.source_of(node).cite() if node.source else None
                rows.append(
                    [
                        view if view != "main" else "",
                        ("  " * depth + node.code) if fmt_name == "table" else node.code,
                        node.title.best(locale),
                        _maximum(node.maximum, locale),
                        node.method if fmt_name == "csv" else gettext(node.method, locale),
                        ("⚠ " if "unverified" in (status, node.maximum_status) else "")
                        + _status(status, fmt_name, locale)
                        + (
                            f"; {gettext('max', locale)}"
                            f" {_status(node.maximum_status, fmt_name, locale)}"
                            if node.maximum_status
                            else ""
                        ),
                        localize(node.rule.describe(), locale)
                        if node.rule
                        else ("" if node.children else gettext("points", locale)),
                        (notes.mark(cite) if cite else "") if footnoted else cite or as_ruleset,
                    ]
                )
    headers = [
        L["view"],
        L["code"],
        L["title"],
        L["max"],
        L["method"],
        L["status"],
        L["rule"],
        L["source"],
    ]
    if fmt_name == "csv":
        return _csv([headers, *rows])
    if footnoted and views == ["main"]:  # one view: no column of empty cells
        headers, rows = headers[1:], [r[1:] for r in rows]
    table = (
        _md_table(rows, headers)
        if fmt_name == "markdown"
        else grid(
            rows, headers, width=width, wrap=(1, 3, 4, 5) if len(headers) == 7 else (2, 4, 5, 6)
        )
    )
    bands = "; ".join(_band(b, above, locale) for b, above in _bands_with_tops(ruleset)) or (
        gettext("none published", locale)
    )
    unpublished = sum(1 for _, n in ruleset.all_nodes() if n.maximum is None)
    unverified = sum(1 for _, n in ruleset.all_nodes() if ruleset.status_of(n) == "unverified")
    head = [
        f"{ruleset.id} {ruleset.version} — {ruleset.title.best(locale)}",
        f"{L['years']}: {', '.join(map(str, ruleset.years))}"
        f" · {gettext('unit', locale)}: {gettext(ruleset.unit_kind, locale)}"
        f" · {L['status']}: {_status(ruleset.status, fmt_name, locale)}",
        f"{L['source']}: {ruleset.source.cite()}",
        f"{L['max']}: {_maximum(ruleset.maximum, locale)} · {L['group']}: {bands}",
        gettext(
            "rounding: {places} places, {mode}; not applicable: {policy}; ties: {ties}", locale
        ).format(
            places=ruleset.rounding.places,
            mode=ruleset.rounding.mode,
            policy=gettext(NOT_APPLICABLE_WORDS[ruleset.not_applicable], locale),
            ties=ruleset.ranking.ties,
        ),
    ]
    if ruleset.note:
        head.append(f"{gettext('note', locale)}: {ruleset.note}")
    head.append(
        gettext(
            "{unpublished} node(s) without a published maximum; {unverified} unverified (⚠)",
            locale,
        ).format(unpublished=unpublished, unverified=unverified)
    )
    if fmt_name == "markdown":
        head = [md_line(h) for h in head]
        return "\n".join([*head, "", table])
    out = [*_wrapped(head, width), "", table]
    if footnoted:
        out += ["", f"{L['source']}:", *notes.lines(width)]
        if any(r[-1] == "" for r in rows):
            out.append(gettext("(no mark: the source of the ruleset)", locale))
    return "\n".join(out)


def _bands_with_tops(ruleset: Ruleset) -> list[tuple[Any, Decimal | None]]:
    """The group bands, highest first, each with the lower bound of the band above it."""
    ordered = sorted(ruleset.groups, key=lambda b: -b.min)
    return [(b, ordered[i - 1].min if i else None) for i, b in enumerate(ordered)]


def _band(band: Any, above: Decimal | None, locale: str) -> str:
    """``A ≥ 90``; a range the source gives no group: ``< 70: no group published``."""
    low = number(band.min, locale=locale)
    if band.published:
        return f"{band.label} {'≥' if band.min_inclusive else '>'} {low}"
    if above is None:
        span = f"≥ {low}"
    elif band.min == 0:
        span = f"< {number(above, locale=locale)}"
    else:
        span = f"{low}–<{number(above, locale=locale)}"
    return gettext("{range}: no group published", locale).format(range=span)


def _status(status: str | None, fmt_name: str, locale: str) -> str:
    if status is None:
        return ""
    return status if fmt_name == "csv" else gettext(status, locale)


def _walk(node: Node, depth: int) -> list[tuple[Node, int]]:
    out = [(node, depth)]
    for c in node.children:
        out.extend(_walk(c, depth + 1))
    return out


def ranking(
    table: RankedTable | RankedColumns,
    fmt_name: str = "table",
    locale: str = "en",
    *,
    places: int | None = None,
    colour: bool = False,
    width: int | None = None,
) -> str:
    """A ranking; totals and indices with ``places`` decimals (the ruleset's; None: as exact as
    they are); the notes under it wrapped to ``width`` (None: one line each). A ranking held as
    columns (``rank_csv``'s) is printed from them, the same text as from its table."""
    if fmt_name == "json":
        return table.table().model_dump_json(indent=2)
    L = labels(locale)
    rows = _ranking_rows(table, fmt_name, locale, places, colour)
    headers = [L["rank"], L["unit"], L["total"], L["index"], L["group"]]
    if fmt_name == "csv":
        return _csv([headers, *rows])
    if fmt_name == "markdown":
        body = tabulated(_md_rows(rows), headers, "pipe")
    else:
        body = tabulated(rows, headers, "simple")
    foot = gettext("ranked by {by}; ties: {ties} — {rule}", locale).format(
        by=gettext(table.by, locale), ties=table.ties, rule=localize(table.tie_rule, locale)
    )
    if table.unranked:
        foot += "\n" + gettext("not ranked (no {by}): {units}", locale).format(
            by=gettext(table.by, locale), units=", ".join(table.unranked)
        )
    if width is not None:
        foot = "\n".join(_wrapped(foot.split("\n"), width))
    return f"{table.ruleset} {table.year}\n\n{body}\n\n{foot}"


def _ranking_rows(
    table: RankedTable | RankedColumns,
    fmt_name: str,
    locale: str,
    places: int | None,
    colour: bool,
) -> list[list[Any]]:
    """Rank, unit, total, index and group of each entry, as shown."""
    if isinstance(table, RankedTable):
        return [
            [
                e.rank,
                e.unit.label,
                number(e.total, places, locale=locale),
                number(e.index, places, locale=locale) if e.index is not None else "—",
                (e.group or "") if fmt_name == "csv" else group_name(e.group, locale, colour),
            ]
            for e in table.entries
        ]
    shown = {
        g: (g or "") if fmt_name == "csv" else group_name(g, locale, colour)
        for g in set(table.groups)
    }
    totals = _scaled(table.totals, table.scale, places, locale)
    indices = _scaled(table.indices, table.scale, places, locale)
    return [
        [r, n, t, x if k else "—", shown[g]]
        for r, n, t, x, k, g in zip(
            table.ranks, table.names, totals, indices, table.known, table.groups, strict=True
        )
    ]


def _scaled(values: Sequence[int], scale: int, places: int | None, locale: str) -> list[str]:
    """``number(Decimal(v).scaleb(-scale), places, locale=locale)`` of each integer ``v``; with
    at least ``scale`` places (no rounding to do), written from the integer's digits."""
    memo: dict[int, str] = {}
    if places is None or places < scale:
        for v in set(values):
            memo[v] = number(Decimal(v).scaleb(-scale), places, locale=locale)
        return [memo[v] for v in values]
    shift = 10 ** (places - scale)
    point = "," if locale == "vi" else "."
    for v in set(values):
        digits = str(abs(v) * shift).rjust(places + 1, "0")
        whole = digits[: len(digits) - places]
        if locale == "vi":  # thousands by dots, as number() groups them
            whole = f"{int(whole):,}".replace(",", ".")
        sign = "-" if v < 0 else ""
        memo[v] = sign + whole + (point + digits[len(digits) - places :] if places else "")
    return [memo[v] for v in values]
