"""Applying an amendment (:mod:`parindex.io.amendment`): loading its base, making the changes,
validating the result.

The result is validated as a whole, like any ruleset; a problem that an amendment causes is
reported at the line of the override (or addition, or removal) that caused it, naming the node
whose check broke, e.g. ``overrides.1.1.4: maximum 1 → 3 breaks node 1.1: children's maxima add up
to 6 ...`` (see :mod:`parindex.io.amend_blame`).

Provenance is kept honest: a node the amendment does not touch keeps the source and status it had
in the base, even where it used to inherit them from the base's ruleset-level source; a node whose
substance an override changes (title, maximum, minimum, rule, method, ...) takes the amendment's
source and status unless the override gives its own.

The base is found through two functions the caller passes: ``resolve`` for a registered version
(``extends: {ruleset: ID, version: V}``, normally :meth:`Registry.resolve_base
<parindex.io.registry.Registry.resolve_base>`) and ``read_file`` for a file (``extends: 2013.yaml``,
normally :func:`parindex.io.loading.load_ruleset_file`). So this module imports neither the loader
nor the registry, which both import it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parindex.io.amend_blame import Change, blame, show
from parindex.io.amendment import (
    HEADER_FIELDS,
    OVERRIDE_FIELDS,
    SUBSTANTIVE_FIELDS,
    Addition,
    Amendment,
    BaseRef,
    NodeOverride,
    is_amendment,
    parse_amendment,
)
from parindex.io.node_places import Place, places
from parindex.io.rulebuild import RuleKinds, convert_rules, make_rule
from parindex.io.schema_errors import schema_error
from parindex.model.documents import Node, Ruleset, Status
from parindex.model.errors import (
    InputFileError,
    ParindexError,
    RulesetError,
    UnknownCodeError,
)
from parindex.model.locations import LineMap, Path_
from parindex.model.validation import validate_structure

#: Finds the base of an amendment (``extends: {ruleset: ID, version: V}``): (id, version) → ruleset.
BaseResolver = Callable[[str, str], Ruleset]
#: Reads a base named by file (``extends: 2013.yaml``), itself possibly an amendment.
BaseReader = Callable[[Path], Ruleset]


# ---------------------------------------------------------------------------------------- reading
_FILES: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "parindex_amendment_files", default=()
)


def amend_from_data(
    data: Any,
    kinds: RuleKinds,
    lines: LineMap | None = None,
    resolve: BaseResolver | None = None,
    *,
    check: bool = True,
    read_file: BaseReader,
) -> Ruleset:
    """Read an amendment (plain data, as from YAML), load its base and apply it."""
    lines = lines or LineMap()
    spec = parse_amendment(data, lines)
    here = str(Path(lines.file).resolve()) if lines.file else None
    stack = _FILES.get()
    token = _FILES.set((*stack, here) if here else stack)
    try:
        base = _load_base(spec.extends, lines, resolve, read_file)
    finally:
        _FILES.reset(token)
    return apply_amendment(base, spec, kinds, lines, check=check)


def _load_base(
    ref: BaseRef, lines: LineMap, resolve: BaseResolver | None, read_file: BaseReader
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
            return read_file(path)
        except InputFileError as err:
            if err.file == str(path) and err.line is None:
                raise RulesetError(
                    f"the base {ref.file} cannot be read: {err.message}",
                    file=lines.file,
                    line=line,
                    field="extends",
                ) from None
            raise _named_by_extends(err, path, ref.file, lines, line) from None
        except ParindexError as err:
            raise _named_by_extends(err, path, ref.file, lines, line) from None
    assert ref.ruleset is not None and ref.version is not None
    if resolve is None:
        raise RulesetError(
            f"extends {ref.describe()}: a registered version is found through a registry, and"
            " none was given",
            file=lines.file,
            line=line,
            field="extends",
            hint="read the amendment with parindex.load_ruleset (or a Registry), or extend a file",
        )
    try:
        return resolve(ref.ruleset, ref.version)
    except ParindexError as err:
        if err.file is None:
            err.file, err.line, err.field = lines.file, line, "extends"
        raise


def _named_by_extends(
    err: ParindexError, path: Path, named: str, lines: LineMap, line: int | None
) -> ParindexError:
    """An error in the base file, placed at the `extends:` that named it; the message names the
    base's own file and line, and the base's other problems follow as related errors."""
    if err.file != str(path):
        return err  # deeper down (the base's own base): already placed at its `extends:`
    outer = RulesetError(
        f"the base {named} is not a valid ruleset: {err}",
        file=lines.file,
        line=line,
        field="extends",
    )
    outer.related = list(err.related)
    return outer


# --------------------------------------------------------------------------------------- applying
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
    ops: list[Change] = []
    for i, code in enumerate(spec.remove):
        if code not in index:
            raise unknown(code, ("remove", i), "removed node")
        place = index[code]
        removed.update(n.code for n in place.node.walk())
        mx = f" (maximum {show(place.node.maximum)})" if place.node.maximum is not None else ""
        ops.append(
            Change(
                "remove", code, place.parent, place.view, ("remove", i), f"removal of {code}{mx}"
            )
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
            Change(
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
        mx = f" (maximum {show(node.maximum)})" if node.maximum is not None else ""
        where = f"under {add.parent}" if add.parent is not None else f"at the top of {view!r}"
        ops.append(
            Change(
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
                    f"ruleset maximum {show(old)} → {show(header[name])}"
                    if name == "maximum"
                    else f"new ruleset {name}"
                )
                ops.append(Change("header", name, None, "main", (name,), label))
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
                        else make_rule(
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
            blamed = [blame(p, ops, added_paths, result, lines, spec) for p in problems]
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
            parts.append(f"{name} {show(getattr(old, name))} → {show(getattr(ov, name))}")
        elif name == "rule":
            parts.append("rule removed" if ov.rule is None else "new rule")
        else:
            parts.append(f"new {name}")
    return ", ".join(parts)


def _added_node(add: Addition, i: int, kinds: RuleKinds, lines: LineMap) -> Node:
    path: Path_ = ("add", i, "node")
    converted = convert_rules(add.node, path, kinds, lines)
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


__all__ = [
    "HEADER_FIELDS",
    "OVERRIDE_FIELDS",
    "SUBSTANTIVE_FIELDS",
    "Addition",
    "Amendment",
    "BaseReader",
    "BaseRef",
    "BaseResolver",
    "NodeOverride",
    "Place",
    "amend_from_data",
    "apply_amendment",
    "is_amendment",
    "parse_amendment",
    "places",
]
