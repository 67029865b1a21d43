"""Reference files the plugins ship (hook ``parindex_reference_data``), found by name.

A reference file is YAML with a ``kind`` (``survey-map``, ``regions``, ``reorganisation``); its
name is the file's stem. A name may also be a path to such a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from parindex.io.yamlfile import load_yaml_file
from parindex.model.errors import ConfigError, ParindexError, SchemaError
from parindex.model.locations import LineMap


class HasHost(Protocol):
    """A :class:`~parindex.io.registry.Registry` (typed by what is used: the registry itself
    imports this module, to give the reason a ruleset's years end)."""

    @property
    def host(self) -> Any: ...


def reference_files(registry: HasHost) -> dict[str, Path]:
    """Every shipped reference file, by name."""
    reg = registry
    found: dict[str, Path] = {}
    for plugin, item in reg.host.collect("parindex_reference_data"):
        if not isinstance(item, (str, Path)):
            reg.host.report(plugin, f"{item!r} is not the path of a reference file")
            continue
        path = Path(item)
        if path.stem in found and found[path.stem] != path:
            reg.host.report(plugin, f"reference file {path.stem!r} is already shipped")
            continue
        found[path.stem] = path
    return dict(sorted(found.items()))


def find_reference(name: str | Path, kind: str, registry: HasHost) -> tuple[Any, LineMap]:
    """The data and line map of the reference file ``name`` (a shipped name or a path), checked
    to be of ``kind``."""
    path = Path(name)
    if not path.is_file():
        shipped = {n: p for n, p in reference_files(registry).items() if _kind_of(p) == kind}
        if str(name) not in shipped:
            raise ConfigError(
                f"no {kind} named {str(name)!r}",
                hint="shipped: " + (", ".join(shipped) or "none") + "; or give a file path",
            )
        path = shipped[str(name)]
    data, lines = load_yaml_file(path)
    if not isinstance(data, dict) or data.get("kind") != kind:
        raise SchemaError(f"not a {kind} file (needs 'kind: {kind}')", file=str(path), line=1)
    return data, lines


def shipped_of_kind(kind: str, registry: HasHost) -> dict[str, Path]:
    return {n: p for n, p in reference_files(registry).items() if _kind_of(p) == kind}


def _kind_of(path: Path) -> str | None:
    """The ``kind:`` line of a small reference file, read without parsing the whole file."""
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("kind:"):
                    return line.partition(":")[2].strip().strip("'\"")
    except OSError:
        return None
    return None


def abolished_reason(unit_kind: str, year: int, registry: HasHost) -> str | None:
    """Why no ruleset for ``unit_kind`` covers ``year``, when a shipped reorganisation file says
    that level of government ended before it (``levels_abolished``)."""
    for path in shipped_of_kind("reorganisation", registry).values():
        try:
            data, _ = load_yaml_file(path)
        except ParindexError:
            continue
        for level in (data.get("levels_abolished") or []) if isinstance(data, dict) else []:
            if not isinstance(level, dict) or level.get("unit_kind") != unit_kind:
                continue
            start = str(level.get("from", ""))
            if start[:4].isdigit() and year >= int(start[:4]):
                return f"{level.get('reason', '')} [{data.get('document', path.stem)}]".strip()
    return None


__all__ = ["abolished_reason", "find_reference", "reference_files", "shipped_of_kind"]
