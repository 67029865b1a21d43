"""Bundled published datasets: a CSV and a ``<name>.dataset.yaml`` sidecar describing it.

Besides its title, sources and conversion notes, a sidecar may state what a source publishes about
the whole population rather than row by row: ``group_counts``, the number of units per group for
one ruleset and year, best group first, with the source that publishes it::

    group_counts:
      - ruleset: papi
        year: 2020
        counts: {best: 16, high-average: 16, low-average: 15, poor: 16}
        source: https://…
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parindex.io.registry import Registry, default_registry
from parindex.model.errors import ParindexError, SchemaError
from parindex.model.locations import LineMap, Path_


@dataclass(frozen=True)
class GroupCounts:
    """How many units a source puts in each group, for one ruleset and year (best group first)."""

    ruleset: str
    year: int
    counts: tuple[tuple[str, int], ...]
    source: str | None = None

    @property
    def population(self) -> int:
        return sum(n for _, n in self.counts)

    def text(self) -> str:
        """``A 2, B 56, C 5``."""
        return ", ".join(f"{label} {n}" for label, n in self.counts)


@dataclass(frozen=True)
class Dataset:
    """A bundled published dataset: its CSV and what its sidecar says about it."""

    name: str
    title: str
    path: Path
    sidecar: Path | None = None
    rows: int | None = None
    years: tuple[int, ...] = ()
    rulesets: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    conversion: str | None = None
    notes: str | None = None
    plugin: str | None = None
    group_counts: tuple[GroupCounts, ...] = ()

    def counts_for(self, ruleset: str, year: int) -> GroupCounts | None:
        for gc in self.group_counts:
            if gc.ruleset == ruleset and gc.year == year:
                return gc
        return None


def load_dataset_sidecar(path: Path, plugin: str | None = None) -> Dataset:
    """Read a ``<name>.dataset.yaml`` sidecar; errors name the file, the line and the field."""
    from parindex.io.yamlfile import load_yaml_file

    data, lines = load_yaml_file(path)
    if not isinstance(data, dict):
        raise SchemaError("a dataset sidecar must be a mapping", file=path, line=1)
    for key in ("name", "file"):
        if not isinstance(data.get(key), str):
            raise SchemaError(f"a dataset sidecar needs {key!r}", file=path, line=1, field=key)
    raw_sources = data.get("sources") or []
    sources = tuple(str(s.get("url")) if isinstance(s, dict) else str(s) for s in raw_sources)
    return Dataset(
        name=data["name"],
        title=str(data.get("title", "")),
        path=path.parent / data["file"],
        sidecar=path,
        rows=data.get("rows") if isinstance(data.get("rows"), int) else None,
        years=tuple(int(y) for y in data.get("years") or ()),
        rulesets=tuple(str(r) for r in data.get("rulesets") or ()),
        sources=sources,
        conversion=data.get("conversion"),
        notes=data.get("notes"),
        plugin=plugin,
        group_counts=_group_counts(data.get("group_counts"), path, lines),
    )


def _group_counts(raw: Any, path: Path, lines: LineMap) -> tuple[GroupCounts, ...]:
    if raw is None:
        return ()

    def fail(message: str, where: Path_, field: str) -> SchemaError:
        return SchemaError(message, file=path, line=lines.line_of(where) or 1, field=field)

    if not isinstance(raw, list):
        raise fail("group_counts must be a list", ("group_counts",), "group_counts")
    out: list[GroupCounts] = []
    seen: set[tuple[str, int]] = set()
    for i, item in enumerate(raw):
        where: Path_ = ("group_counts", i)
        if not isinstance(item, dict):
            raise fail("each group_counts entry must be a mapping", where, "group_counts")
        unknown = sorted(set(item) - {"ruleset", "year", "counts", "source"})
        if unknown:
            raise fail(f"unknown key(s) {', '.join(map(str, unknown))}", where, "group_counts")
        ruleset, year, counts = item.get("ruleset"), item.get("year"), item.get("counts")
        if not isinstance(ruleset, str) or not ruleset:
            raise fail("group_counts needs a ruleset id", (*where, "ruleset"), "ruleset")
        if not isinstance(year, int) or isinstance(year, bool):
            raise fail("group_counts needs a year (a whole number)", (*where, "year"), "year")
        if not isinstance(counts, dict) or not counts:
            raise fail(
                "counts must map each group, best first, to a number of units",
                (*where, "counts"),
                "counts",
            )
        pairs: list[tuple[str, int]] = []
        for label, n in counts.items():
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise fail(
                    f"count of group {label!r} must be a whole number ≥ 0, not {n!r}",
                    (*where, "counts", label),
                    "counts",
                )
            pairs.append((str(label), n))
        source = item.get("source")
        if source is not None and not isinstance(source, str):
            raise fail("source must be a text (a URL or a citation)", (*where, "source"), "source")
        if (ruleset, year) in seen:
            raise fail(f"group_counts for {ruleset} {year} given twice", where, "group_counts")
        seen.add((ruleset, year))
        out.append(GroupCounts(ruleset, year, tuple(pairs), source))
    return tuple(out)


def list_datasets(registry: Registry | None = None) -> list[Dataset]:
    """Every dataset the installed plugins provide (hook ``parindex_datasets``), by name."""
    reg = registry or default_registry()
    found: dict[str, Dataset] = {}
    for plugin, item in reg.host.collect("parindex_datasets"):
        try:
            if isinstance(item, Dataset):
                ds = item
            elif isinstance(item, (str, Path)):
                p = Path(item)
                ds = (
                    load_dataset_sidecar(p, plugin)
                    if p.name.endswith((".yaml", ".yml"))
                    else Dataset(p.stem, "", p, plugin=plugin)
                )
            else:
                reg.host.report(plugin, f"parindex_datasets returned {item!r}, not a path")
                continue
        except ParindexError as err:
            reg.host.report(plugin, f"dataset skipped: {err}")
            continue
        if ds.name in found:
            reg.host.report(plugin, f"dataset {ds.name!r} is already provided; second one ignored")
            continue
        found[ds.name] = ds
    return [found[n] for n in sorted(found)]


def get_dataset(name: str, registry: Registry | None = None) -> Dataset:
    datasets = list_datasets(registry)
    for ds in datasets:
        if ds.name == name:
            return ds
    known = ", ".join(d.name for d in datasets) or "none"
    raise ParindexError(
        f"unknown dataset {name!r}; datasets: {known}", hint="`parindex datasets` lists them"
    )


def datasets_table(datasets: Iterable[Dataset]) -> list[list[str]]:
    return [
        [
            d.name,
            str(d.rows if d.rows is not None else "?"),
            ", ".join(map(str, _year_ranges(d.years))),
            ", ".join(d.rulesets),
            d.title,
        ]
        for d in datasets
    ]


def _year_ranges(years: Sequence[int]) -> list[str]:
    out: list[str] = []
    ys = sorted(years)
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        out.append(str(ys[i]) if i == j else f"{ys[i]}–{ys[j]}")
        i = j + 1
    return out
