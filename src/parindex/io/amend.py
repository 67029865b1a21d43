"""Amendments: a ruleset version written as changes to an earlier one.

An amendment file names its base (``extends``) and lists what changes, by node code::

    extends: {ruleset: camau.department, version: "2013"}   # or a file: extends: 2013.yaml
    version: "2014"
    years: [2014]
    source: {document: 999/QĐ-UBND, date: 2014-03-01}     # the document that makes the change
    overrides:
      "1.1.4": {maximum: 1.5, rule: {kind: tiers, bands: [...]}}
      "1.2":   {title: {vi: ..., en: ...}}
    add:
      - {parent: "1.2", node: {code: "1.2.3", title: ..., maximum: 0.5}}
    remove: ["1.3"]

Any ruleset-level field (``title``, ``groups``, ``maximum``, ...) given in the file replaces the
base's. The result is validated as a whole, like any ruleset; a problem that an amendment causes is
reported at the line of the override (or addition, or removal) that caused it, naming the node
whose check broke, e.g. ``overrides.1.1.4: maximum 1 → 3 breaks node 1.1: children's maxima add up
to 6 ...``.

Provenance is kept honest: a node the amendment does not touch keeps the source and status it had
in the base, even where it used to inherit them from the base's ruleset-level source; a node whose
substance an override changes (title, maximum, minimum, rule, method, ...) takes the amendment's
source and status unless the override gives its own.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from parindex.io.loading import (
    BaseResolver,
    RuleKinds,
    _convert_rules,
    _make_rule,
    load_ruleset_file,
    schema_error,
)
from parindex.io.yamlfile import LineMap, Path_
from parindex.model.decimals import ZERO, canonical
from parindex.model.documents import (
    Dec,
    Frozen,
    GroupBand,
    Method,
    Node,
    NotApplicablePolicy,
    Ranking,
    Rounding,
    Ruleset,
    Source,
    Status,
    TextField,
    UnitKind,
)
from parindex.model.errors import (
    BandError,
    InputFileError,
    MaximumSumError,
    ParindexError,
    RulesetError,
    SchemaError,
    UnknownCodeError,
)
from parindex.model.validation import validate_structure

#: Node fields an override may change. ``code`` and ``children`` are changed with add/remove.
OVERRIDE_FIELDS = (
    "title",
    "maximum",
    "minimum",
    "method",
    "status",
    "source",
    "lead_agency",
    "not_applicable",
    "note",
    "maximum_source",
    "maximum_status",
    "rule",
)
#: Override fields that change what a node *is* (rather than its citation or commentary): a node
#: changed in one of these takes the amendment's source and status unless the override gives them.
SUBSTANTIVE_FIELDS = frozenset(
    {"title", "maximum", "minimum", "method", "lead_agency", "not_applicable", "rule"}
)
#: Top-level keys that belong to the amendment itself rather than to the resulting ruleset.
AMENDMENT_KEYS = ("extends", "overrides", "add", "remove")


def _text_key(value: object) -> object:
    # YAML reads an unquoted 1.1 or 2022 as a number; codes and versions are text.
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    return value


class BaseRef(Frozen):
    """What an amendment extends: a registered ruleset version, or a YAML file (a path relative to
    the amendment file)."""

    ruleset: str | None = None
    version: str | None = None
    file: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"file": data}
        if isinstance(data, dict) and "version" in data:
            return {**data, "version": _text_key(data["version"])}
        return data

    @model_validator(mode="after")
    def _one_kind(self) -> BaseRef:
        if self.file is not None and (self.ruleset is not None or self.version is not None):
            raise ValueError("give either a file, or a ruleset and a version, not both")
        if self.file is None and (self.ruleset is None or self.version is None):
            raise ValueError(
                'extends needs a ruleset and a version ({ruleset: moha.province, version: "2022"})'
                " or a file path relative to this file"
            )
        return self

    def describe(self) -> str:
        return self.file if self.file is not None else f"{self.ruleset}@{self.version}"


class NodeOverride(Frozen):
    """New values for some fields of one node. A field written as ``null`` is cleared (e.g.
    ``maximum: null``: the maximum is no longer published; ``rule: null``: points are entered)."""

    title: TextField | None = None
    maximum: Dec | None = None
    minimum: Dec | None = None
    method: Method | None = None
    status: Status | None = None
    source: Source | None = None
    lead_agency: str | None = None
    not_applicable: NotApplicablePolicy | None = None
    note: str | None = None
    maximum_source: Source | None = None
    maximum_status: Status | None = None
    rule: dict[str, Any] | None = Field(
        None, description="a whole rule ({kind: ..., ...}); it replaces the base's rule"
    )


class Addition(Frozen):
    """A new node (with any children) under ``parent``, or at the top of ``view`` (default: the
    main tree). It goes after the sibling ``after``, or last."""

    parent: str | None = None
    view: str | None = None
    after: str | None = None
    node: dict[str, Any]

    @model_validator(mode="before")
    @classmethod
    def _codes_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: _text_key(v) if k in {"parent", "after"} else v for k, v in data.items()}
        return data


class Amendment(Frozen):
    """An amendment file: the base, the new version's identity, and the changes."""

    extends: BaseRef
    id: str | None = Field(
        None, pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="default: the base's id"
    )
    version: str
    years: tuple[int, ...] = Field(min_length=1)
    source: Source = Field(description="the document that makes the amendment")
    authority: TextField | None = None
    unit_kind: UnitKind | None = None
    title: TextField | None = None
    status: Status | None = None
    maximum: Dec | None = None
    rounding: Rounding | None = None
    not_applicable: NotApplicablePolicy | None = None
    groups: tuple[GroupBand, ...] | None = None
    ranking: Ranking | None = None
    note: str | None = None
    overrides: dict[str, NodeOverride] = Field(default_factory=dict)
    add: tuple[Addition, ...] = ()
    remove: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _codes_as_text(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("overrides"), dict):
            data["overrides"] = {str(_text_key(k)): v for k, v in data["overrides"].items()}
        if isinstance(data.get("remove"), list):
            data["remove"] = [_text_key(c) for c in data["remove"]]
        return data

    @field_validator("overrides")
    @classmethod
    def _not_empty(cls, value: dict[str, NodeOverride]) -> dict[str, NodeOverride]:
        empty = [code for code, ov in value.items() if not ov.model_fields_set]
        if empty:
            raise ValueError(f"override of {empty[0]} changes nothing")
        return value


#: Ruleset fields an amendment may set directly.
HEADER_FIELDS = tuple(f for f in Amendment.model_fields if f not in AMENDMENT_KEYS)


def is_amendment(data: Any) -> bool:
    return isinstance(data, dict) and "extends" in data


# ---------------------------------------------------------------------------------------- reading
_FILES: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "parindex_amendment_files", default=()
)


def parse_amendment(data: Any, lines: LineMap | None = None) -> Amendment:
    lines = lines or LineMap()
    if not isinstance(data, dict):
        raise SchemaError("an amendment must be a mapping", file=lines.file, line=1)
    for key in ("nodes", "views"):
        if key in data:
            raise SchemaError(
                f"an amendment does not restate `{key}`: change nodes with `overrides`, `add`"
                " and `remove`",
                file=lines.file,
                line=lines.line_of((key,)),
                field=key,
            )
    try:
        return Amendment.model_validate(data)
    except ValidationError as exc:
        err = schema_error(exc, data, lines, what="amendment")
        for e in [err, *err.related]:
            parts = (e.field or "").split(".")
            if e.code is None and len(parts) > 1 and parts[0] == "overrides":
                e.code = _override_code(parts[1:], data)
        raise err from None


def _override_code(parts: list[str], data: dict[str, Any]) -> str:
    # "overrides.1.1.4.maximum" → "1.1.4": the longest prefix that is an overridden code.
    overrides = data.get("overrides") or {}
    keys = {str(k) for k in overrides} if isinstance(overrides, dict) else set()
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in keys:
            return candidate
    return parts[0]


def amend_from_data(
    data: Any,
    kinds: RuleKinds,
    lines: LineMap | None = None,
    resolve: BaseResolver | None = None,
    *,
    check: bool = True,
) -> Ruleset:
    """Read an amendment (plain data, as from YAML), load its base and apply it."""
    lines = lines or LineMap()
    spec = parse_amendment(data, lines)
    here = str(Path(lines.file).resolve()) if lines.file else None
    stack = _FILES.get()
    token = _FILES.set((*stack, here) if here else stack)
    try:
        base = _load_base(spec.extends, kinds, lines, resolve)
    finally:
        _FILES.reset(token)
    return apply_amendment(base, spec, kinds, lines, check=check)


def _load_base(
    ref: BaseRef, kinds: RuleKinds, lines: LineMap, resolve: BaseResolver | None
) -> Ruleset:
    line = lines.line_of(("extends",))
    if ref.file is not None:
        folder = Path(lines.file).parent if lines.file else Path.cwd()
        path = (folder / ref.file).resolve()
        chain = _FILES.get()
        if str(path) in chain:
            shown = " → ".join([*chain[chain.index(str(path)) :], str(path)])
            raise RulesetError(
                f"amendments extend each other in a cycle: {shown}",
                file=lines.file,
                line=line,
                field="extends",
            )
        try:
            return load_ruleset_file(path, kinds, resolve=resolve)
        except InputFileError as err:
            if err.file == str(path) and err.line is None:
                raise RulesetError(
                    f"the base {ref.file} cannot be read: {err.message}",
                    file=lines.file,
                    line=line,
                    field="extends",
                ) from None
            raise
    assert ref.ruleset is not None and ref.version is not None
    if resolve is None:
        from parindex.io.registry import default_registry

        resolve = default_registry().resolve_base
    try:
        return resolve(ref.ruleset, ref.version)
    except ParindexError as err:
        if err.file is None:
            err.file, err.line, err.field = lines.file, line, "extends"
        raise


# --------------------------------------------------------------------------------------- applying
@dataclass
class _Op:
    """One change the amendment makes, for blaming validation problems on it."""

    kind: str  # override | add | remove | header
    code: str  # the node code, or the header field's name
    parent: str | None  # the node's parent code (None: top level)
    view: str
    path: Path_  # where it is written in the amendment file
    label: str  # what it changes, in words

    @property
    def where(self) -> str:
        return ".".join(str(p) for p in self.path)


@dataclass(frozen=True)
class Place:
    """Where a node sits: its view and its parent's code (None at the top)."""

    view: str
    parent: str | None
    node: Node


def places(ruleset: Ruleset) -> dict[str, Place]:
    """Every node of every view, by code, in tree order."""
    out: dict[str, Place] = {}

    def visit(nodes: tuple[Node, ...], parent: str | None, view: str) -> None:
        for node in nodes:
            out.setdefault(node.code, Place(view, parent, node))
            visit(node.children, node.code, view)

    for view in ruleset.view_names:
        visit(ruleset.view_nodes(view), None, view)
    return out


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, Decimal):
        return canonical(value)
    return str(value)


def apply_amendment(
    base: Ruleset,
    spec: Amendment,
    kinds: RuleKinds,
    lines: LineMap | None = None,
    *,
    check: bool = True,
) -> Ruleset:
    """``base`` with the changes of ``spec``, validated as a whole. Errors are located in the
    amendment (``lines``) at the change that caused them."""
    lines = lines or LineMap()

    def at(path: Path_) -> dict[str, Any]:
        return {"file": lines.file, "line": lines.line_of(path)}

    rid = spec.id or base.id
    if rid == base.id and spec.version == base.version:
        raise RulesetError(
            f"an amendment needs a version of its own; {spec.version!r} is the base's version",
            field="version",
            **at(("version",)),
        )
    if rid == base.id:
        shared = sorted(set(spec.years) & set(base.years))
        if shared:
            raise RulesetError(
                f"year(s) {', '.join(map(str, shared))} are also covered by the base version"
                f" {base.version} ({', '.join(map(str, base.years))}); each year is scored by"
                " one version only",
                field="years",
                hint="narrow the base's years, or give this version other years",
                **at(("years",)),
            )

    index = places(base)

    def unknown(code: str, path: Path_, what: str) -> UnknownCodeError:
        codes = list(index)
        shown = ", ".join(codes[:15]) + (" …" if len(codes) > 15 else "")
        return UnknownCodeError(
            f"{what} {code!r} is not a node of {base.id} {base.version}",
            code=code,
            field=".".join(map(str, path)),
            hint=f"its codes: {shown}",
            **at(path),
        )

    # ---- removals
    removed: set[str] = set()
    ops: list[_Op] = []
    for i, code in enumerate(spec.remove):
        if code not in index:
            raise unknown(code, ("remove", i), "removed node")
        place = index[code]
        removed.update(n.code for n in place.node.walk())
        mx = f" (maximum {_show(place.node.maximum)})" if place.node.maximum is not None else ""
        ops.append(
            _Op("remove", code, place.parent, place.view, ("remove", i), f"removal of {code}{mx}")
        )

    # ---- overrides
    for code, ov in spec.overrides.items():
        if code not in index:
            raise unknown(code, ("overrides", code), "overridden node")
        if code in removed:
            raise RulesetError(
                f"node {code} is overridden, but it (or a node above it) is removed",
                code=code,
                field=f"overrides.{code}",
                **at(("overrides", code)),
            )
        place = index[code]
        ops.append(
            _Op(
                "override",
                code,
                place.parent,
                place.view,
                ("overrides", code),
                f"override of {code} ({_override_label(place.node, ov)})",
            )
        )

    # ---- additions
    added: list[tuple[int, Addition, Node]] = []
    added_paths: dict[str, tuple[int, Path_]] = {}
    added_codes: set[str] = set()
    for i, add in enumerate(spec.add):
        node = _added_node(add, i, kinds, lines)
        if add.parent is not None:
            if add.parent in removed:
                raise RulesetError(
                    f"the parent {add.parent} of the added node {node.code} is removed",
                    code=node.code,
                    field=f"add.{i}.parent",
                    **at(("add", i, "parent")),
                )
            if add.parent not in index and add.parent not in added_codes:
                raise unknown(add.parent, ("add", i, "parent"), "parent")
            parent_view = index[add.parent].view if add.parent in index else None
            if add.view is not None and parent_view is not None and add.view != parent_view:
                raise RulesetError(
                    f"the parent {add.parent} is in view {parent_view!r}, not {add.view!r}",
                    code=node.code,
                    field=f"add.{i}.view",
                    **at(("add", i, "view")),
                )
        view = add.view or (index[add.parent].view if add.parent in index else "main")
        if add.parent is None and view not in base.view_names:
            raise RulesetError(
                f"{base.id} {base.version} has no view {view!r};"
                f" views: {', '.join(base.view_names)}",
                field=f"add.{i}.view",
                **at(("add", i, "view")),
            )
        for path, code in _subtree_paths(add.node, ("add", i, "node")):
            added_paths.setdefault(code, (i, path))
        added_codes.update(n.code for n in node.walk())
        added.append((i, add, node))
        mx = f" (maximum {_show(node.maximum)})" if node.maximum is not None else ""
        where = f"under {add.parent}" if add.parent is not None else f"at the top of {view!r}"
        ops.append(
            _Op(
                "add",
                node.code,
                add.parent,
                view,
                ("add", i),
                f"addition of {node.code} {where}{mx}",
            )
        )

    # ---- header fields
    header: dict[str, Any] = {}
    for name in HEADER_FIELDS:
        if name in spec.model_fields_set:
            header[name] = getattr(spec, name)
            if name not in {"version", "years", "source", "id"}:
                old = getattr(base, name)
                label = (
                    f"ruleset maximum {_show(old)} → {_show(header[name])}"
                    if name == "maximum"
                    else f"new ruleset {name}"
                )
                ops.append(_Op("header", name, None, "main", (name,), label))
    header["id"] = rid
    new_status: Status = spec.status or base.status

    # ---- rebuild the trees
    def provenance(node: Node, ov: NodeOverride | None) -> dict[str, Any]:
        """Source and status fields for ``node`` in the result (see the module docstring)."""
        update: dict[str, Any] = {}
        given = ov.model_fields_set if ov is not None else set()
        if given & SUBSTANTIVE_FIELDS:
            update["source"] = ov.source if ov is not None and "source" in given else None
            update["status"] = ov.status if ov is not None and "status" in given else None
            if "maximum" in given:
                for name in ("maximum_source", "maximum_status"):
                    update[name] = getattr(ov, name) if name in given else None
            return update
        if "source" not in given and node.source is None and base.source != spec.source:
            update["source"] = base.source
        if "status" not in given and node.status is None and base.status != new_status:
            update["status"] = base.status
        return update

    def patched(node: Node, view: str) -> Node:
        ov = spec.overrides.get(node.code)
        update: dict[str, Any] = {"children": build(node.children, node.code, view)}
        if ov is not None:
            for name in ov.model_fields_set:
                if name == "rule":
                    update["rule"] = (
                        None
                        if ov.rule is None
                        else _make_rule(
                            ov.rule,
                            ("overrides", node.code, "rule"),
                            {"code": node.code},
                            kinds,
                            lines,
                        )
                    )
                else:
                    update[name] = getattr(ov, name)
        update.update(provenance(node, ov))
        return node.model_copy(update=update)

    def build(nodes: tuple[Node, ...], parent: str | None, view: str) -> tuple[Node, ...]:
        out = [patched(n, view) for n in nodes if n.code not in removed]
        for i, add, node in added:
            here = add.parent == parent and (parent is not None or (add.view or "main") == view)
            if not here:
                continue
            new = node.model_copy(update={"children": build(node.children, node.code, view)})
            if add.after is None:
                out.append(new)
                continue
            codes = [n.code for n in out]
            if add.after not in codes:
                raise RulesetError(
                    f"`after: {add.after}`: no such sibling"
                    + (f" under {parent}" if parent else " at the top level")
                    + f"; siblings: {', '.join(codes) or 'none'}",
                    code=node.code,
                    field=f"add.{i}.after",
                    **at(("add", i, "after")),
                )
            out.insert(codes.index(add.after) + 1, new)
        return tuple(out)

    nodes = build(base.nodes, None, "main")
    if not nodes:
        raise RulesetError(
            "the amendment removes every node of the main tree", field="remove", **at(("remove",))
        )
    views = {
        name: view.model_copy(update={"nodes": build(view.nodes, None, name)})
        for name, view in base.views.items()
    }
    result = base.model_copy(
        update={**header, "status": new_status, "nodes": nodes, "views": views}
    )
    if check:
        problems = validate_structure(result)
        if problems:
            blamed = [_blame(p, ops, added_paths, result, lines, spec) for p in problems]
            first = blamed[0]
            first.related = blamed[1:]
            raise first
    return result


def _override_label(old: Node, ov: NodeOverride) -> str:
    parts = []
    for name in OVERRIDE_FIELDS:
        if name not in ov.model_fields_set:
            continue
        if name in {"maximum", "minimum"}:
            parts.append(f"{name} {_show(getattr(old, name))} → {_show(getattr(ov, name))}")
        elif name == "rule":
            parts.append("rule removed" if ov.rule is None else "new rule")
        else:
            parts.append(f"new {name}")
    return ", ".join(parts)


def _added_node(add: Addition, i: int, kinds: RuleKinds, lines: LineMap) -> Node:
    path: Path_ = ("add", i, "node")
    converted = _convert_rules(add.node, path, kinds, lines)
    try:
        return Node.model_validate(converted)
    except ValidationError as exc:
        err = schema_error(exc, {}, lines, prefix=path, what="node")
        code = add.node.get("code")
        for e in [err, *err.related]:
            e.code = e.code or (str(code) if code is not None else None)
        raise err from None


def _subtree_paths(node: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if not isinstance(node, dict):
        return
    if node.get("code") is not None:
        yield path, str(node["code"])
    children = node.get("children")
    if isinstance(children, list):
        for j, child in enumerate(children):
            yield from _subtree_paths(child, (*path, "children", j))


def _find(ruleset: Ruleset, code: str | None) -> Node | None:
    if code is None:
        return None
    found = ruleset.find(code)
    return found[1] if found else None


def _blame(
    problem: ParindexError,
    ops: list[_Op],
    added_paths: dict[str, tuple[int, Path_]],
    result: Ruleset,
    lines: LineMap,
    spec: Amendment,
) -> ParindexError:
    """``problem`` (found in the amended ruleset) re-located at the change that caused it."""
    code = problem.code
    if isinstance(problem, MaximumSumError):
        target = f"the sum of {code}" if code is not None else "the ruleset total"
    else:
        target = f"node {code}" if code is not None else "the ruleset"
    if code is not None and code in added_paths:
        i, path = added_paths[code]
        op = next(o for o in ops if o.kind == "add" and o.path == ("add", i))
        message = f"{op.label} breaks {target}: {problem.message}"
        return _relocated(problem, message, path, lines, _sum_hint(problem, code, result))
    if isinstance(problem, BandError):
        causes = [o for o in ops if o.kind == "header" and o.code == "groups"]
    elif code is None:
        causes = [o for o in ops if o.kind == "header" and o.code == "maximum"]
        causes += [o for o in ops if o.kind != "header" and o.parent is None]
    else:
        causes = [o for o in ops if o.kind != "header" and (o.code == code or o.parent == code)]
    if not causes:
        message = f"after applying the amendment to {spec.extends.describe()}: {problem.message}"
        return _relocated(problem, message, ("extends",), lines, None)
    if len(causes) == 1:
        message = f"{causes[0].label} breaks {target}: {problem.message}"
    else:
        listed = "; ".join(f"{o.label} ({o.where})" for o in causes)
        message = f"together, {listed} break {target}: {problem.message}"
    return _relocated(problem, message, causes[0].path, lines, _sum_hint(problem, code, result))


def _sum_hint(problem: ParindexError, code: str | None, result: Ruleset) -> str | None:
    if not isinstance(problem, MaximumSumError):
        return None
    node = _find(result, code)
    if node is not None:
        maxima, stated, name = [c.maximum for c in node.children], node.maximum, code
    else:
        tops = result.nodes
        maxima, stated, name = [t.maximum for t in tops], result.maximum, "the ruleset"
    if stated is None or any(m is None for m in maxima):
        return None
    total = sum((m for m in maxima if m is not None), ZERO)
    gap = total - stated
    own = "the ruleset maximum" if node is None else f"the maximum of {name} (and its parents')"
    more, verb, other = (gap, "more", "lower") if gap > 0 else (-gap, "less", "raise")
    return (
        f"the parts now add up to {canonical(total)}, {canonical(more)} {verb} than"
        f" {canonical(stated)}: {other} other parts of {name} by {canonical(more)} in total, or"
        f" change {own} in the same amendment"
    )


def _relocated(
    problem: ParindexError, message: str, path: Path_, lines: LineMap, hint: str | None
) -> ParindexError:
    made = type(problem)(
        message,
        file=lines.file,
        line=lines.line_of(path),
        code=problem.code,
        field=".".join(str(p) for p in path),
        hint=hint or problem.hint,
    )
    return made


__all__ = [
    "Addition",
    "Amendment",
    "BaseRef",
    "NodeOverride",
    "amend_from_data",
    "apply_amendment",
    "is_amendment",
    "parse_amendment",
]
