"""What changed between two rulesets: nodes added, removed and changed, and ruleset-level fields.

Nodes are matched by code (codes are unique across a ruleset's views). A node is *changed* when
one of its rule-bearing fields differs: title, maximum, minimum, rule, method, not-applicable
policy, lead agency, its parent or its view. Citation fields (source, status, notes) are compared
only when asked (``provenance=True``); source and status are then compared as they apply to the
node (its own, or the ruleset's when it has none), so a node that merely keeps inheriting is not
reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from parindex.io.amend import Place, places
from parindex.model.decimals import canonical
from parindex.model.documents import GroupBand, Ruleset, Text
from parindex.model.text import md_cell

#: Node fields compared by default, in the order they are reported.
NODE_FIELDS = (
    "title",
    "maximum",
    "minimum",
    "rule",
    "method",
    "not_applicable",
    "lead_agency",
    "parent",
    "view",
)
#: Node fields compared with ``provenance=True``.
PROVENANCE_FIELDS = ("source", "status", "maximum_source", "maximum_status", "note")
#: Ruleset-level fields compared (``note`` and the notes of group bands only with provenance).
HEADER_FIELDS = (
    "id",
    "years",
    "authority",
    "unit_kind",
    "title",
    "source",
    "status",
    "maximum",
    "rounding",
    "not_applicable",
    "groups",
    "ranking",
)


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class NodeInfo:
    code: str
    view: str
    parent: str | None
    title: Text
    maximum: Decimal | None


@dataclass(frozen=True)
class NodeChange:
    code: str
    view: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class RulesetDiff:
    old: tuple[str, str]
    new: tuple[str, str]
    header: tuple[Change, ...] = ()
    added: tuple[NodeInfo, ...] = ()
    removed: tuple[NodeInfo, ...] = ()
    changed: tuple[NodeChange, ...] = ()
    provenance: bool = False

    @property
    def empty(self) -> bool:
        return not (self.header or self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        def info(n: NodeInfo) -> dict[str, Any]:
            return {
                "code": n.code,
                "view": n.view,
                "parent": n.parent,
                "title": _json(n.title),
                "maximum": _json(n.maximum),
            }

        def changes(cs: tuple[Change, ...]) -> dict[str, Any]:
            return {c.field: {"old": _json(c.old), "new": _json(c.new)} for c in cs}

        return {
            "old": {"id": self.old[0], "version": self.old[1]},
            "new": {"id": self.new[0], "version": self.new[1]},
            "provenance": self.provenance,
            "ruleset": changes(self.header),
            "added": [info(n) for n in self.added],
            "removed": [info(n) for n in self.removed],
            "changed": [
                {"code": c.code, "view": c.view, "changes": changes(c.changes)}
                for c in self.changed
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_table(self, fmt: str = "simple") -> str:
        from tabulate import tabulate

        from parindex.model.i18n import gettext as _
        from parindex.model.layout import grid, terminal_width

        rows: list[list[str]] = []
        for c in self.header:
            rows.append([_("ruleset"), "", c.field, *_pair(c)])  # fields: the YAML keys
        for n in self.removed:
            rows.append([_("removed"), n.code, "", _node_text(n), ""])
        for n in self.added:
            rows.append([_("added"), n.code, "", "", _node_text(n)])
        for nc in self.changed:
            for i, c in enumerate(nc.changes):
                first = i == 0
                rows.append(
                    [_("changed") if first else "", nc.code if first else "", c.field, *_pair(c)]
                )
        title = f"{self.old[0]} {self.old[1]} → {self.new[0]} {self.new[1]}"
        summary = _(
            "{added} added, {removed} removed, {changed} changed node(s);"
            " {fields} ruleset field(s) changed"
        ).format(
            added=len(self.added),
            removed=len(self.removed),
            changed=len(self.changed),
            fields=len(self.header),
        )
        if not rows:
            if self.provenance:
                return _("{title}: no differences").format(title=title)
            return _("{title}: no differences (sources, statuses and notes not compared)").format(
                title=title
            )
        if fmt == "pipe":  # Markdown: titles and notes must not become HTML or break the table
            rows = [[md_cell(c) for c in r] for r in rows]
        heads = [_("change"), _("code"), _("field"), _("old"), _("new")]
        if fmt == "pipe":
            table = tabulate(rows, headers=heads, tablefmt=fmt, disable_numparse=True)
        else:  # old and new wrap in their cells to fit the terminal, as every table does
            table = grid(rows, heads, style=fmt, width=terminal_width(), wrap=(3, 4))
        return f"{title}\n{summary}\n\n{table}"


def _json(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, (tuple, list)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    return str(value)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, Text):
        return value.vi or value.en or "—"
    if hasattr(value, "describe") and hasattr(value, "kind"):
        return str(value.describe())
    if isinstance(value, BaseModel) and hasattr(value, "cite"):
        return str(value.cite())
    if isinstance(value, (tuple, list)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, GroupBand):
        return _band_text(value)
    if isinstance(value, BaseModel):
        return ", ".join(f"{k}: {v}" for k, v in value.model_dump(mode="json").items())
    return str(value)


def _pair(change: Change) -> list[str]:
    """Old and new values for people; a title whose Vietnamese is unchanged shows its English."""
    from parindex.model.i18n import localize, localize_numbers

    old, new = change.old, change.new
    if isinstance(old, Text) and isinstance(new, Text) and old.vi == new.vi:
        return [old.en or "—", new.en or "—"]
    # a word of a closed vocabulary (a status, a method) translated, numbers in the reader's style
    return [localize_numbers(localize(_text(old))), localize_numbers(localize(_text(new)))]


def _band_text(band: GroupBand) -> str:
    sign = "≥" if band.min_inclusive else ">"
    label = band.label if band.published else "(none published)"
    return f"{label} {sign} {canonical(band.min)}"


def _node_text(n: NodeInfo) -> str:
    from parindex.model.i18n import gettext as _
    from parindex.model.i18n import localize_numbers

    title = n.title.vi or n.title.en or ""
    mx = (
        _("max {value}").format(value=localize_numbers(canonical(n.maximum)))
        if n.maximum is not None
        else _("no maximum")
    )
    where = " [" + _("view {view}").format(view=n.view) + "]" if n.view != "main" else ""
    return f"{title} ({mx}){where}"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, BaseModel) and isinstance(b, BaseModel):
        return type(a) is type(b) and a.model_dump(mode="json") == b.model_dump(mode="json")
    return bool(a == b)


def _band_key(band: GroupBand, provenance: bool) -> tuple[Any, ...]:
    key = (band.label, band.min, band.min_inclusive, band.published)
    return (*key, band.note) if provenance else key


def diff_rulesets(old: Ruleset, new: Ruleset, *, provenance: bool = False) -> RulesetDiff:
    """The differences from ``old`` to ``new``."""
    header: list[Change] = []
    for name in (*HEADER_FIELDS, *(("note",) if provenance else ())):
        a, b = getattr(old, name), getattr(new, name)
        if name == "groups":
            same = [_band_key(x, provenance) for x in a] == [_band_key(x, provenance) for x in b]
        else:
            same = _same(a, b)
        if not same:
            header.append(Change(name, a, b))

    before, after = places(old), places(new)
    removed = tuple(
        NodeInfo(code, p.view, p.parent, p.node.title, p.node.maximum)
        for code, p in before.items()
        if code not in after
    )
    added = tuple(
        NodeInfo(code, p.view, p.parent, p.node.title, p.node.maximum)
        for code, p in after.items()
        if code not in before
    )
    changed: list[NodeChange] = []
    fields = (*NODE_FIELDS, *(PROVENANCE_FIELDS if provenance else ()))
    for code, now in after.items():
        was = before.get(code)
        if was is None:
            continue
        changes = []
        for name in fields:
            a, b = _field(old, was, name), _field(new, now, name)
            if not _same(a, b):
                changes.append(Change(name, a, b))
        if changes:
            changed.append(NodeChange(code, now.view, tuple(changes)))
    return RulesetDiff(
        old=(old.id, old.version),
        new=(new.id, new.version),
        header=tuple(header),
        added=added,
        removed=removed,
        changed=tuple(changed),
        provenance=provenance,
    )


def _field(rs: Ruleset, place: Place, name: str) -> Any:
    if name in {"view", "parent"}:
        return getattr(place, name)
    if name == "source":
        return rs.source_of(place.node)
    if name == "status":
        return rs.status_of(place.node)
    return getattr(place.node, name)


__all__ = ["Change", "NodeChange", "NodeInfo", "RulesetDiff", "diff_rulesets"]
