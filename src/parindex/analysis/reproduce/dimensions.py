"""Batch-relative groups of every top-level node (dimension) and of the total, per batch.

For rulesets whose groups are relative to the batch (PAPI's four groups, for example): the rows of
a reproduced dataset put in a group for each dimension and for the total, across the rows of the
same ruleset and year, with the grouping's rule.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex.analysis.reproduce.groups import batch_grouping, rule_for
from parindex.analysis.reproduce.report import ReproduceReport
from parindex.analysis.reproduce.verdict import RowResult
from parindex.io.registry import Registry, default_registry
from parindex.model.group_rules import GroupedBatch, Grouping, GroupRule
from parindex.model.text import safe_rows
from parindex.scoring.grouping import group_each


@dataclass(frozen=True)
class DimensionGroups:
    """Groups per top-level node (dimension) and for the total, for one ruleset and year."""

    ruleset: str
    year: int
    codes: tuple[str, ...]  # dimension codes, then "total"
    groups: dict[str, GroupedBatch]  # code → groups of the batch
    points: dict[str, dict[str, Decimal]]  # unit → code → points
    grouping: Grouping
    rule: GroupRule


def dimension_groups(
    report: ReproduceReport,
    years: Sequence[int] | None = None,
    registry: Registry | None = None,
) -> list[DimensionGroups]:
    """Batch groups of every dimension and of the total, for each batch-grouped year."""
    reg = registry or report.registry or default_registry()
    out = []
    batches: dict[tuple[str, int], list[RowResult]] = {}
    for r in report.checked:
        if years is None or r.row.year in years:
            batches.setdefault((r.row.ruleset, r.row.year), []).append(r)
    for (rid, year), batch in sorted(batches.items()):
        grouping = batch_grouping(rid, reg)
        if grouping is None:
            continue
        rule = rule_for(grouping, report.group_rule)
        ruleset = reg.get(rid, year)
        points: dict[str, dict[str, Decimal]] = {}
        codes: dict[str, None] = {}
        for r in batch:
            unit_points: dict[str, Decimal] = {}
            if r.card is not None:
                for node in r.card.nodes:
                    if node.depth == 0 and node.points is not None:
                        unit_points[node.code] = node.points
                        codes[node.code] = None
            else:
                # not recomputed: the dimensions it publishes count, as its published total does
                for top in ruleset.view_nodes(r.view):
                    if top.code in r.row.values:
                        unit_points[top.code] = r.row.values[top.code]
                        codes[top.code] = None
            if r.batch_value is not None:
                unit_points["total"] = r.batch_value
            points[r.row.unit] = unit_points
        # the ruleset's order, whichever row names a dimension first
        position = {node.code: i for i, (_, node) in enumerate(ruleset.all_nodes())}
        all_codes = (*sorted(codes, key=position.__getitem__), "total")
        groups = group_each(points, all_codes, rule)
        out.append(DimensionGroups(rid, year, all_codes, groups, points, grouping, rule))
    return out


def render_dimension_groups(
    tables: Sequence[DimensionGroups], fmt: str = "table", *, wide: bool = False
) -> str:
    """One row per unit and year: the total and the group of the total and of every dimension
    (a table fitted to the terminal: group names wrap in their cells; ``wide``: one line per
    row)."""
    header = ["year", "unit", "total"]
    rows: list[list[Any]] = []
    for t in tables:
        codes = list(t.codes)
        if len(header) == 3:
            header += [c if c != "total" else "group of total" for c in codes]
        for unit in sorted(t.points, key=lambda u: -t.points[u].get("total", Decimal(0))):
            total = t.points[unit].get("total")
            rows.append(
                [
                    t.year,
                    unit,
                    "—" if total is None else format(total, "f"),
                    *(t.groups[c].groups.get(unit, "—") for c in codes),
                ]
            )
    if fmt == "json":
        return json.dumps(
            [
                {
                    "ruleset": t.ruleset,
                    "year": t.year,
                    "rule": t.rule.text,
                    "cuts": {
                        c: [format(x, "f") for x in (g.cuts or ())] for c, g in t.groups.items()
                    },
                    "counts": {c: dict(g.counts) for c, g in t.groups.items()},
                    "units": {u: {c: t.groups[c].groups.get(u) for c in t.codes} for u in t.points},
                }
                for t in tables
            ],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(safe_rows(rows))  # unit names: never a spreadsheet formula
        return buf.getvalue().rstrip("\n")
    import textwrap

    from parindex.model.i18n import N_
    from parindex.model.i18n import gettext as _
    from parindex.model.layout import grid, terminal_width

    N_("group of total")  # a heading below, translated with the others
    # for people: the headings and the group names in the current locale (CSV/JSON: canonical)
    from parindex.model.decimals import fmt as number
    from parindex.model.i18n import current_locale

    def points(text: str) -> str:  # the locale's decimal sign, every published decimal kept
        if text == "—":
            return text
        places = max(0, -int(Decimal(text).as_tuple().exponent))
        return number(Decimal(text), places, locale=current_locale())

    shown = [[*r[:2], points(r[2]), *(_(g) if g != "—" else g for g in r[3:])] for r in rows]
    heads = [_(h) if i < 3 or h == "group of total" else h for i, h in enumerate(header)]
    width = terminal_width(wide)
    groups = tuple(range(3, len(heads)))
    lines = [grid(shown, heads, width=width, wrap=groups, spare=(1,))]
    if tables:
        first = tables[0]
        note = f"; {_(first.grouping.note)}" if first.grouping.note else ""
        about = f"{_(first.grouping.title)}: {_(first.rule.text)}{note}"
        lines.append("\n".join(textwrap.wrap(about, width)) if width else about)
    return "\n".join(lines)
