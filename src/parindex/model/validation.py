"""Structural checks of a ruleset: codes, sums of maxima, rules against their nodes, group bands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.model.decimals import CONTEXT, HUNDRED, ZERO
from parindex.model.documents import GroupBand, Node, Ruleset
from parindex.model.errors import (
    BandError,
    CodeStructureError,
    DuplicateCodeError,
    MaximumSumError,
    ParindexError,
    RuleError,
)
from parindex.model.locations import LineMap, Path_
from parindex.model.text import text_of


def _node_paths(data: Any) -> dict[str, list[Path_]]:
    """Where each node code sits in the raw data (every occurrence, in document order)."""
    out: dict[str, list[Path_]] = {}

    def visit(nodes: Any, path: Path_) -> None:
        if not isinstance(nodes, list):
            return
        for i, node in enumerate(nodes):
            if isinstance(node, dict):
                code = text_of(node.get("code"))
                out.setdefault(code, []).append((*path, i))
                visit(node.get("children"), (*path, i, "children"))

    if isinstance(data, dict):
        visit(data.get("nodes"), ("nodes",))
        views = data.get("views")
        if isinstance(views, dict):
            for name, view in views.items():
                if isinstance(view, dict):
                    visit(view.get("nodes"), ("views", name, "nodes"))
    return out


def fmt_sum(parts: list[Decimal]) -> str:
    return " + ".join(format(p, "f") for p in parts)


def fmt_terms(nodes: tuple[Node, ...]) -> str:
    """Each node's code with its maximum (``1: 10 + 8: 1000``; ``?`` where none is published)."""
    return " + ".join(
        f"{n.code}: {format(n.maximum, 'f') if n.maximum is not None else '?'}" for n in nodes
    )


def validate_structure(
    ruleset: Ruleset, data: Any = None, lines: LineMap | None = None
) -> list[ParindexError]:
    """Every structural problem of ``ruleset``, each located by file, line and node code."""
    lines = lines or LineMap()
    paths = _node_paths(data) if data is not None else {}
    problems: list[ParindexError] = []

    def add(
        err_type: type[ParindexError],
        msg: str,
        code: str | None,
        *extra: str | int,
        hint: str | None = None,
        occurrence: int = 0,
        at: Path_ | None = None,
    ) -> None:
        found = paths.get(code, []) if code else []
        path = at if at is not None else found[min(occurrence, len(found) - 1)] if found else ()
        problems.append(
            err_type(
                msg, file=lines.file, line=lines.line_of((*path, *extra)), code=code, hint=hint
            )
        )

    if "main" in ruleset.views:
        add(CodeStructureError, "a view may not be called 'main' (that is the node tree)", None)

    seen: dict[str, str] = {}
    times: dict[str, int] = {}
    for view, node in ruleset.all_nodes():
        times[node.code] = times.get(node.code, 0) + 1
        if node.code in seen:
            where = (
                f"in view {view!r}"
                if view == seen[node.code]
                else (f"in views {seen[node.code]!r} and {view!r}")
            )
            first = paths.get(node.code, [()])[0]
            first_line = lines.line_of(first) if first else None
            add(
                DuplicateCodeError,
                f"code {node.code!r} is used twice {where}"
                + (f" (first at line {first_line})" if first_line else ""),
                node.code,
                occurrence=times[node.code] - 1,
            )
        else:
            seen[node.code] = view

    for view in ruleset.view_names:
        tops = ruleset.view_nodes(view)
        sum_at: Path_ = ("maximum",) if view == "main" else ("views", view, "nodes")
        for top in tops:
            _check_node(top, add)
        top_max = [t.maximum for t in tops]
        if ruleset.maximum is not None and all(m is not None for m in top_max):
            total = sum((m for m in top_max if m is not None), ZERO)
            if total != ruleset.maximum:
                add(
                    MaximumSumError,
                    f"top-level maxima of view {view!r} add up to {total} ({fmt_terms(tops)}),"
                    f" not to the ruleset maximum {ruleset.maximum}",
                    None,
                    at=sum_at,
                )
        elif ruleset.maximum is not None:
            known = sum((m for m in top_max if m is not None), ZERO)
            if known > ruleset.maximum:
                add(
                    MaximumSumError,
                    f"the known top-level maxima of view {view!r} add up to {known}"
                    f" ({fmt_terms(tops)}), more than the ruleset maximum {ruleset.maximum}",
                    None,
                    at=sum_at,
                )

    problems.extend(_check_bands(ruleset.groups, lines))
    return problems


def _check_node(node: Node, add: Any) -> None:
    if node.children and node.rule is not None:
        add(RuleError, "a node has either children or a rule, not both", node.code, "rule")
    if node.maximum is not None and node.maximum < 0:
        add(RuleError, f"maximum {node.maximum} is negative", node.code, "maximum")
    if node.minimum is not None and node.maximum is not None and node.minimum > node.maximum:
        add(
            RuleError,
            f"minimum {node.minimum} is above the maximum {node.maximum}",
            node.code,
            "minimum",
        )
    if node.rule is not None:
        rule = node.rule
        for problem in rule.check(node.maximum):
            add(rule.error_type, problem, node.code, "rule")
        if rule.needs_maximum and node.maximum is None:
            add(
                RuleError,
                f"a {rule.kind!r} rule needs the node's maximum, which is not given",
                node.code,
                "rule",
                hint="a rule that scales to the maximum cannot be used where none is published",
            )
        best = rule.max_points()
        if best is not None and node.maximum is not None and best > node.maximum:
            add(
                RuleError,
                f"the rule can give {best} points, more than the maximum {node.maximum}",
                node.code,
                "rule",
            )
    maxima = [c.maximum for c in node.children]
    for child in node.children:
        if not child.code.startswith(node.code + "."):
            add(
                CodeStructureError,
                f"child code {child.code!r} does not extend its parent's code {node.code!r}"
                f" (expected {node.code}.<n>)",
                child.code,
                "code",
            )
        _check_node(child, add)
    if node.maximum is not None and maxima:
        if all(m is not None for m in maxima):
            total = sum((m for m in maxima if m is not None), ZERO)
            if total != node.maximum:
                add(
                    MaximumSumError,
                    f"children's maxima add up to {total} ({fmt_sum(maxima)}),"  # type: ignore[arg-type]
                    f" not to the node's maximum {node.maximum}",
                    node.code,
                    "maximum",
                    hint=f"the children: {fmt_terms(node.children)}",
                )
        else:
            known = sum((m for m in maxima if m is not None), ZERO)
            if known > node.maximum:
                add(
                    MaximumSumError,
                    f"the known children's maxima add up to {known}, more than the node's"
                    f" maximum {node.maximum}",
                    node.code,
                    "maximum",
                    hint=f"the children: {fmt_terms(node.children)}",
                )


def _check_bands(bands: tuple[GroupBand, ...], lines: LineMap) -> list[ParindexError]:
    if not bands:
        return []
    out: list[ParindexError] = []

    def err(msg: str, i: int | None = None) -> None:
        path: Path_ = ("groups", i) if i is not None else ("groups",)
        out.append(BandError(msg, file=lines.file, line=lines.line_of(path), field="groups"))

    mins: dict[Decimal, int] = {}
    for i, band in enumerate(bands):
        if band.min < 0 or band.min > HUNDRED:
            err(f"band {band.label!r} starts at {band.min}, outside 0–100", i)
        if band.min in mins:
            err(
                f"bands {bands[mins[band.min]].label!r} and {band.label!r} both start at"
                f" {band.min}: they overlap",
                i,
            )
        mins[band.min] = i
    lowest = min(bands, key=lambda b: b.min)
    if lowest.min != 0 or not lowest.min_inclusive:
        err(
            f"bands leave indices below {lowest.min} without a group; add a band from 0"
            " (mark it `published: false` if the source names no group there)"
        )
    labels = [b.label for b in bands if b.label]
    if len(set(labels)) != len(labels):
        err("two bands share a label")
    return out


def classify(index: Decimal, bands: tuple[GroupBand, ...]) -> GroupBand | None:
    """The band that contains ``index`` (bands are half-open, lower bound inclusive by default)."""
    for band in sorted(bands, key=lambda b: b.min, reverse=True):
        if index > band.min or (band.min_inclusive and index == band.min):
            return band
    return None


__all__ = ["CONTEXT", "classify", "validate_structure"]
