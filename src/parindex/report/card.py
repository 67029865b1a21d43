"""Rendering score cards, rulesets and rankings for people (tables) and programs (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tabulate import tabulate

from parindex.model.documents import Node, Ruleset, ScoreCard
from parindex.model.text import safe_rows
from parindex.report.numbers import number
from parindex.report.table import md_cell, md_line
from parindex.scoring.ranking import RankedTable

FORMATS = ("table", "json", "markdown", "csv")

_LABELS = {
    "en": {
        "unit": "Unit",
        "ruleset": "Ruleset",
        "year": "Year",
        "total": "Total",
        "max": "Maximum",
        "index": "Index",
        "group": "Group",
        "code": "Code",
        "title": "Title",
        "points": "Points",
        "pct": "%",
        "how": "How",
        "status": "Status",
        "self": "Self-assessed",
        "appraised": "Appraised",
        "rank": "Rank",
        "method": "Method",
        "source": "Source",
        "rule": "Rule",
        "years": "Years",
        "version": "Version",
        "none": "— not published",
        "notes": "Notes",
        "unverified": "UNVERIFIED rules contributed to this score",
        "receipt": "Receipt",
    },
    "vi": {
        "unit": "Đơn vị",
        "ruleset": "Bộ tiêu chí",
        "year": "Năm",
        "total": "Tổng điểm",
        "max": "Điểm tối đa",
        "index": "Chỉ số",
        "group": "Nhóm",
        "code": "Mã",
        "title": "Tiêu chí",
        "points": "Điểm",
        "pct": "%",
        "how": "Cách tính",
        "status": "Trạng thái",
        "self": "Tự đánh giá",
        "appraised": "Thẩm định",
        "rank": "Xếp hạng",
        "method": "Phương pháp",
        "source": "Nguồn",
        "rule": "Quy tắc",
        "years": "Năm áp dụng",
        "version": "Phiên bản",
        "none": "— chưa công bố",
        "notes": "Ghi chú",
        "unverified": "Có tiêu chí CHƯA KIỂM CHỨNG góp vào điểm này",
        "receipt": "Biên nhận",
    },
}


def labels(locale: str) -> dict[str, str]:
    return _LABELS.get(locale, _LABELS["en"])


def _maximum(value: Decimal | None, locale: str) -> str:
    """A maximum, or the words saying that none is published (never a made-up number)."""
    return number(value, locale=locale) if value is not None else labels(locale)["none"]


def scorecard(card: ScoreCard, fmt_name: str = "table", locale: str = "en") -> str:
    if fmt_name == "json":
        return card.to_json()
    places = card.receipt.rounding.places
    L = labels(locale)
    rows = []
    for n in card.nodes:
        flag = {"unverified": " ⚠", "derived": " ~"}.get(n.status, "")
        title = n.title.best(locale)
        rows.append(
            [
                ("  " * n.depth + n.code) if fmt_name == "table" else n.code,
                title if len(title) <= 60 or fmt_name != "table" else title[:57] + "…",
                number(n.points, places, locale=locale) if n.points is not None else "—",
                number(n.maximum, locale=locale)
                if n.maximum is not None
                else L["none"]
                if n.stated_maximum is None
                else number(n.maximum, locale=locale),
                number(n.percent, places, locale=locale) if n.percent is not None else "",
                ("n/a" if n.not_applicable else n.trace.how) + flag,
            ]
            + (
                [number(n.self_points, places, locale=locale) if n.self_points is not None else ""]
                if card.self_total is not None
                else []
            )
        )
    headers = [L["code"], L["title"], L["points"], L["max"], L["pct"], L["how"]]
    if card.self_total is not None:
        headers.append(L["self"])
    if fmt_name == "csv":
        return _csv([headers, *rows])
    table = tabulate(
        _md_rows(rows) if fmt_name == "markdown" else rows,
        headers=headers,
        tablefmt="pipe" if fmt_name == "markdown" else "simple",
        disable_numparse=True,
    )
    unit = md_line(card.unit.label) if fmt_name == "markdown" else card.unit.label
    head = [
        f"{L['unit']}: {unit}",
        f"{L['ruleset']}: {card.ruleset} {card.version} · {L['year']} {card.year}"
        + (f" · view {card.view}" if card.view != "main" else ""),
        f"{L['total']}: {number(card.total, places, locale=locale)} / "
        f"{_maximum(card.maximum, locale)}"
        f" · {L['index']}: {number(card.index, places, locale=locale)}"
        f" · {L['group']}: {card.group or '—'}",
    ]
    if card.self_total is not None:
        head.append(
            f"{L['self']}: {number(card.self_total, places, locale=locale)} · {L['appraised']}:"
            f" {number(card.appraised_total, places, locale=locale)} ({card.changes} changed)"
        )
    if card.unverified:
        head.append(f"⚠ {L['unverified']}: {', '.join(card.unverified_codes)}")
    tail = [f"- {note}" for note in card.notes]
    receipt = (
        f"{L['receipt']}: {card.receipt.ruleset_id} {card.receipt.ruleset_version}"
        f" {card.receipt.content_hash[:19]}… parindex {card.receipt.library_version};"
        f" {card.receipt.rule}"
    )
    if fmt_name == "markdown":
        out = ["  \n".join(head), "", table]
        if tail:
            out += ["", f"**{L['notes']}**", "", *(md_line(t) for t in tail)]
        out += ["", f"_{receipt}_"]
        return "\n".join(out)
    out = [*head, "", table]
    if tail:
        out += ["", f"{L['notes']}:", *[f"  {t}" for t in tail]]
    out += ["", receipt]
    return "\n".join(out)


def _csv(rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(safe_rows(rows))  # no cell may start a spreadsheet formula
    return buf.getvalue().rstrip("\n")


def _md_rows(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows for a Markdown table: user text escaped (no HTML, no broken table)."""
    return [[md_cell(v) if isinstance(v, str) else v for v in row] for row in rows]


def ruleset_tree(ruleset: Ruleset, fmt_name: str = "table", locale: str = "en") -> str:
    L = labels(locale)
    if fmt_name == "json":
        return json.dumps(ruleset.model_dump(mode="json"), ensure_ascii=False, indent=2)
    rows = []
    for view in ruleset.view_names:
        for top in ruleset.view_nodes(view):
            for node, depth in _walk(top, 0):
                status = ruleset.status_of(node)
                rows.append(
                    [
                        view if view != "main" else "",
                        ("  " * depth + node.code) if fmt_name == "table" else node.code,
                        node.title.best(locale),
                        _maximum(node.maximum, locale),
                        node.method,
                        ("⚠ " if "unverified" in (status, node.maximum_status) else "")
                        + status
                        + (f"; max {node.maximum_status}" if node.maximum_status else ""),
                        node.rule.describe() if node.rule else ("" if node.children else "points"),
                        ruleset.source_of(node).cite() if node.source else "(as ruleset)",
                    ]
                )
    headers = [
        "view",
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
    table = tabulate(
        _md_rows(rows) if fmt_name == "markdown" else rows,
        headers=headers,
        tablefmt="pipe" if fmt_name == "markdown" else "simple",
        disable_numparse=True,
    )
    bands = (
        "; ".join(
            (f"{b.label} ≥ " if b.min_inclusive else f"{b.label} > ") + number(b.min, locale=locale)
            if b.published
            else f"below next band from {number(b.min, locale=locale)}: none published"
            for b in sorted(ruleset.groups, key=lambda b: -b.min)
        )
        or "none published"
    )
    head = [
        f"{ruleset.id} {ruleset.version} — {ruleset.title.best(locale)}",
        f"{L['years']}: {', '.join(map(str, ruleset.years))} · unit: {ruleset.unit_kind}"
        f" · {L['status']}: {ruleset.status}",
        f"{L['source']}: {ruleset.source.cite()}",
        f"{L['max']}: {_maximum(ruleset.maximum, locale)} · {L['group']}: {bands}",
        f"rounding: {ruleset.rounding.places} places, {ruleset.rounding.mode};"
        f" not applicable: {ruleset.not_applicable}; ties: {ruleset.ranking.ties}",
    ]
    if ruleset.note:
        head.append(f"note: {ruleset.note}")
    unpublished = sum(1 for _, n in ruleset.all_nodes() if n.maximum is None)
    unverified = sum(1 for _, n in ruleset.all_nodes() if ruleset.status_of(n) == "unverified")
    head.append(f"{unpublished} node(s) without a published maximum; {unverified} unverified (⚠)")
    if fmt_name == "markdown":
        head = [md_line(h) for h in head]
    return "\n".join([*head, "", table])


def _walk(node: Node, depth: int) -> list[tuple[Node, int]]:
    out = [(node, depth)]
    for c in node.children:
        out.extend(_walk(c, depth + 1))
    return out


def ranking(table: RankedTable, fmt_name: str = "table", locale: str = "en") -> str:
    if fmt_name == "json":
        return table.model_dump_json(indent=2)
    L = labels(locale)
    rows = [
        [
            e.rank,
            e.unit.label,
            number(e.total, locale=locale),
            number(e.index, locale=locale) if e.index is not None else "—",
            e.group or "—",
        ]
        for e in table.entries
    ]
    headers = [L["rank"], L["unit"], L["total"], L["index"], L["group"]]
    if fmt_name == "csv":
        return _csv([headers, *rows])
    body = tabulate(
        _md_rows(rows) if fmt_name == "markdown" else rows,
        headers=headers,
        tablefmt="pipe" if fmt_name == "markdown" else "simple",
        disable_numparse=True,
    )
    foot = f"ranked by {table.by}; ties: {table.ties} — {table.tie_rule}"
    if table.unranked:
        foot += f"\nnot ranked (no {table.by}): {', '.join(table.unranked)}"
    return f"{table.ruleset} {table.year}\n\n{body}\n\n{foot}"
