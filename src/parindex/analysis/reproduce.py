"""Reproduce a published dataset: recompute every row's total, rank and group, and compare.

A *published dataset* is a UTF-8 CSV::

    ruleset,year,unit,total,rank,group,source,note,appraisal,sipas,leaders,impact
    moha.province,2020,Quảng Ninh,91.04,1,A,http://…,,57.66,9.56,18.83,5

``ruleset``, ``year`` and ``unit`` are required; ``total``, ``rank``, ``group``, ``source``,
``note``, ``unit_name`` and ``view`` are optional; every other column is a node code (of any view
of the ruleset) holding published points, empty meaning unknown.

For every row:

* the ruleset version covering the year is found, and the view is chosen from the codes present;
* points are taken from the most detailed level given (a node's children when all of them can be
  computed, else the node's own published points) and scored with :func:`parindex.score`;
* the recomputed total is compared with the published one. The tolerance is what the published
  precision implies: half a unit of the row's last decimal (0.005 for 2 decimals) for every
  rounded component used, plus the same for the published total. Published intermediate nodes
  (e.g. PAPI dimensions next to their sub-dimensions) are compared the same way;
* the rank is recomputed among the rows of the same ruleset and year, and the group from the
  ruleset's bands, or across the batch for PAPI (:mod:`parindex.scoring.batch_groups`).

A row with only a total has nothing to recompute: its total is taken as given and only its rank
and group are checked. Rows that cannot be checked are skipped with a reason.

Datasets may describe a partial ranking (the top ten and the last place, say). A recomputed rank is
only meaningful within the complete top of the ranking: if the published ranks of the checked rows
run 1, 2, …, m without a gap (ties allowed), ranks are compared for those rows and for rows whose
recomputed rank is at most m; other rows get no computed rank. A batch with no published rank at
all is taken as complete.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.io.csvlines import open_binary, utf8_lines
from parindex.io.registry import Registry, default_registry
from parindex.model.decimals import CONTEXT, NumberError, canonical, to_decimal
from parindex.model.documents import Assessment, Node, Ruleset, ScoreCard
from parindex.model.errors import CsvFormatError, ParindexError, SchemaError
from parindex.scoring.batch_groups import (
    GROUP_RULES,
    RULE_TEXT,
    UNPUBLISHED,
    BatchGroups,
    GroupRule,
    batch_groups,
    groups_by_dimension,
)
from parindex.scoring.ranking import ranks

REQUIRED = ("ruleset", "year", "unit")
META = ("ruleset", "year", "unit", "unit_name", "total", "rank", "group", "source", "note", "view")

#: The keys of every object printed by ``--format json``, in order.
JSON_KEYS = (
    "unit",
    "year",
    "ruleset",
    "published_total",
    "computed_total",
    "difference",
    "within_tolerance",
    "published_rank",
    "computed_rank",
    "published_group",
    "computed_group",
)

#: Rulesets whose groups are relative to the batch rather than fixed bands.
BATCH_GROUPED = {"papi"}


# --------------------------------------------------------------------------- datasets
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


def load_dataset_sidecar(path: Path, plugin: str | None = None) -> Dataset:
    """Read a ``<name>.dataset.yaml`` sidecar."""
    from parindex.io.yamlfile import load_yaml_file

    data, _lines = load_yaml_file(path)
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
    )


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


# --------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class PublishedRow:
    line: int
    ruleset: str
    year: int
    unit: str
    unit_name: str | None
    total: Decimal | None
    rank: int | None
    group: str | None
    source: str | None
    note: str | None
    view: str | None
    values: dict[str, Decimal]
    #: The most decimals written in any number of the row: its published precision.
    decimals: int


def _decimals(text: str) -> int:
    mantissa = text.strip().lower().split("e")[0]
    return len(mantissa.split(".", 1)[1]) if "." in mantissa else 0


def read_published(path: str | Path) -> list[PublishedRow]:
    """Read a published dataset CSV; raises :class:`CsvFormatError` naming line and column."""
    path = Path(path)
    rows: list[PublishedRow] = []
    with open_binary(path) as handle:
        reader = csv.reader(utf8_lines(handle, str(path)))
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise CsvFormatError("the file is empty", file=path, line=1) from None
        except csv.Error as exc:
            raise CsvFormatError(
                f"the header cannot be read as CSV: {exc}", file=path, line=1
            ) from None
        if any(not h for h in header):
            raise CsvFormatError(
                f"empty column name (column {header.index('') + 1})", file=path, line=1
            )
        dup = sorted({h for h in header if header.count(h) > 1})
        if dup:
            raise CsvFormatError(f"duplicated column(s): {', '.join(dup)}", file=path, line=1)
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise CsvFormatError(
                f"missing column(s): {', '.join(missing)}",
                file=path,
                line=1,
                hint="columns: ruleset, year, unit, optional total, rank, group, source, then"
                " one column per node code",
            )
        codes = [h for h in header if h not in META]
        seen: dict[tuple[str, int, str], int] = {}
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise CsvFormatError(
                        f"row has {len(row)} cells, the header has {len(header)}",
                        file=path,
                        line=line,
                    )
                cells = dict(zip(header, (c.strip() for c in row), strict=True))
                rows.append(_parse_row(cells, codes, path, line))
                r = rows[-1]
                key = (r.ruleset, r.year, r.unit)
                if key in seen:
                    raise CsvFormatError(
                        f"unit {r.unit!r} appears twice for {r.ruleset} {r.year} (lines"
                        f" {seen[key]} and {line})",
                        file=path,
                        line=line,
                        field="unit",
                    )
                seen[key] = line
        except csv.Error as exc:
            raise CsvFormatError(str(exc), file=path, line=reader.line_num) from None
    return rows


def _parse_row(cells: dict[str, str], codes: Sequence[str], path: Path, line: int) -> PublishedRow:
    def number(column: str, is_code: bool = False) -> Decimal | None:
        text = cells.get(column, "")
        if text == "":
            return None
        try:
            value = to_decimal(text)
        except NumberError as exc:
            raise CsvFormatError(
                str(exc), file=path, line=line, field=column, code=column if is_code else None
            ) from None
        return value

    for column in REQUIRED:
        if not cells[column]:
            raise CsvFormatError(f"empty {column}", file=path, line=line, field=column)
    try:
        year = int(cells["year"])
    except ValueError:
        raise CsvFormatError(
            f"year {cells['year']!r} is not a whole number", file=path, line=line, field="year"
        ) from None
    rank: int | None = None
    if cells.get("rank"):
        try:
            rank = int(cells["rank"])
        except ValueError:
            rank = None
        if rank is None or rank < 1:
            raise CsvFormatError(
                f"rank {cells['rank']!r} is not a whole number ≥ 1",
                file=path,
                line=line,
                field="rank",
            )
    total = number("total")
    values: dict[str, Decimal] = {}
    for code in codes:
        got = number(code, is_code=True)
        if got is not None:
            values[code] = got
    written = [cells[c] for c in (*codes, "total") if cells.get(c)]
    return PublishedRow(
        line=line,
        ruleset=cells["ruleset"],
        year=year,
        unit=cells["unit"],
        unit_name=cells.get("unit_name") or None,
        total=total,
        rank=rank,
        group=cells.get("group") or None,
        source=cells.get("source") or None,
        note=cells.get("note") or None,
        view=cells.get("view") or None,
        values=values,
        decimals=max((_decimals(t) for t in written), default=0),
    )


# --------------------------------------------------------------------------- checking
@dataclass(frozen=True)
class NodeCheck:
    code: str
    published: Decimal
    computed: Decimal
    difference: Decimal
    tolerance: Decimal

    @property
    def within(self) -> bool:
        return abs(self.difference) <= self.tolerance


@dataclass
class RowResult:
    row: PublishedRow
    status: str = "skipped"  # agree | disagree | skipped
    reason: str | None = None  # why skipped (one line)
    category: str | None = None  # short reason for the summary
    view: str | None = None
    version: str | None = None
    card: ScoreCard | None = None
    computed_total: Decimal | None = None
    computed_index: Decimal | None = None
    components: int = 0
    tolerance: Decimal | None = None
    computed_rank: int | None = None
    computed_group: str | None = None
    rank_checked: bool = False
    group_checked: bool = False
    node_checks: list[NodeCheck] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def difference(self) -> Decimal | None:
        if self.computed_total is None or self.row.total is None:
            return None
        return CONTEXT.subtract(self.computed_total, self.row.total)

    @property
    def within_tolerance(self) -> bool | None:
        diff = self.difference
        if diff is None or self.tolerance is None:
            return None
        return abs(diff) <= self.tolerance and all(c.within for c in self.node_checks)

    @property
    def rank_agrees(self) -> bool | None:
        if not self.rank_checked:
            return None
        return self.row.rank == self.computed_rank

    @property
    def group_agrees(self) -> bool | None:
        if not self.group_checked or self.row.group is None or self.computed_group is None:
            return None
        return _label(self.row.group) == _label(self.computed_group)

    def to_json(self) -> dict[str, Any]:
        r = self.row
        out: dict[str, Any] = {
            "unit": r.unit,
            "year": r.year,
            "ruleset": r.ruleset,
            "published_total": _text(r.total),
            "computed_total": _text(self.computed_total),
            "difference": _text(self.difference),
            "within_tolerance": self.within_tolerance,
            "published_rank": r.rank,
            "computed_rank": self.computed_rank,
            "published_group": r.group,
            "computed_group": self.computed_group,
        }
        assert tuple(out) == JSON_KEYS
        return out


@dataclass
class ReproduceReport:
    file: str
    rows: list[RowResult]
    group_rule: GroupRule
    group_notes: list[str] = field(default_factory=list)
    dataset: Dataset | None = None

    @property
    def checked(self) -> list[RowResult]:
        return [r for r in self.rows if r.status != "skipped"]

    @property
    def agreeing(self) -> int:
        return sum(r.status == "agree" for r in self.rows)

    @property
    def disagreeing(self) -> int:
        return sum(r.status == "disagree" for r in self.rows)

    @property
    def skipped(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "skipped"]

    def summary(self) -> str:
        reasons = Counter(r.category or "skipped" for r in self.skipped)
        why = "; ".join(
            f"{n} {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        text = (
            f"rows checked: {len(self.checked)}, agreeing: {self.agreeing},"
            f" disagreeing: {self.disagreeing}, skipped: {len(self.skipped)}"
        )
        return text + (f" ({why})" if why else "")

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.rows]


def _label(group: str) -> str:
    """A group label compared loosely: case, spaces, hyphens and underscores ignored."""
    return re.sub(r"[\s_-]+", "", group.casefold())


def _text(value: Decimal | None) -> str | None:
    """A decimal as written, keeping its trailing zeros (91.80 stays 91.80), never in E notation."""
    return None if value is None else format(value, "f")


def _half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-(decimals + 1))


def _choose_view(ruleset: Ruleset, row: PublishedRow) -> tuple[str | None, str | None]:
    """(view, problem): the one view holding every code of the row."""
    if row.view is not None:
        if row.view not in ruleset.view_names:
            return None, (
                f"view {row.view!r} not in {ruleset.id} {ruleset.version}"
                f" (views: {', '.join(ruleset.view_names)})"
            )
        views = {row.view}
    else:
        views = set()
    unknown = []
    for code in row.values:
        found = ruleset.find(code)
        if found is None:
            unknown.append(code)
        else:
            views.add(found[0])
    if unknown:
        verb = "is not a node" if len(unknown) == 1 else "are not nodes"
        return None, f"{', '.join(unknown)} {verb} of {ruleset.id} {ruleset.version}"
    if len(views) > 1:
        return None, (f"codes of several views ({', '.join(sorted(views))}); give one view per row")
    return (views.pop() if views else "main"), None


def _pick(
    node: Node, values: dict[str, Decimal], inputs: dict[str, Decimal], missing: list[str]
) -> int:
    """Collect the most detailed inputs under ``node``; return how many components were used."""
    if node.children:
        sub_inputs: dict[str, Decimal] = {}
        sub_missing: list[str] = []
        used = sum(_pick(c, values, sub_inputs, sub_missing) for c in node.children)
        if not sub_missing:
            inputs.update(sub_inputs)
            return used
        if node.code in values:
            inputs[node.code] = values[node.code]
            return 1
        missing.extend(sub_missing)
        return 0
    if node.code in values:
        inputs[node.code] = values[node.code]
        return 1
    missing.append(node.code)
    return 0


def _count_under(node: Node, inputs: dict[str, Decimal]) -> int:
    if node.code in inputs:
        return 1
    return sum(_count_under(c, inputs) for c in node.children)


def _skip(result: RowResult, category: str, reason: str) -> RowResult:
    result.status = "skipped"
    result.category = category
    result.reason = reason
    return result


def _check_row(
    row: PublishedRow, registry: Registry, cache: dict[tuple[str, int], Ruleset | ParindexError]
) -> RowResult:
    from parindex.api import score

    result = RowResult(row)
    key = (row.ruleset, row.year)
    if key not in cache:
        try:
            cache[key] = registry.get(row.ruleset, row.year)
        except ParindexError as err:
            cache[key] = err
    ruleset = cache[key]
    if isinstance(ruleset, ParindexError):
        return _skip(
            result, f"no {row.ruleset} ruleset for the year", f"no ruleset: {ruleset.message}"
        )
    result.version = ruleset.version
    if not row.values and row.total is None:
        what = "no total and no node points published"
        return _skip(
            result, "no total and no node points", what + (f" ({row.note})" if row.note else "")
        )
    view, problem = _choose_view(ruleset, row)
    if view is None:
        return _skip(result, "codes do not fit the ruleset", problem or "")
    result.view = view
    half = _half_unit(row.decimals)
    if not row.values:
        # Nothing to recompute: the total is taken as given; rank and group are still checked.
        assert row.total is not None
        result.computed_total = row.total
        result.tolerance = half
        result.notes.append("total only: nothing to recompute")
        index = _index_of(ruleset, row.total)
        result.computed_index = index
        result.computed_group = _band_group(ruleset, index, result)
        result.status = "agree"
        return result
    inputs: dict[str, Decimal] = {}
    missing: list[str] = []
    used = sum(_pick(top, row.values, inputs, missing) for top in ruleset.view_nodes(view))
    if missing:
        shown = ", ".join(missing[:6]) + (
            f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        )
        return _skip(
            result, "incomplete row", f"incomplete: no points for {shown} (nor for their parents)"
        )
    assessment = Assessment.model_validate(
        {
            "ruleset": row.ruleset,
            "year": row.year,
            "unit": {"id": row.unit, "name": row.unit_name or row.unit},
            "view": None if view == "main" else view,
            "inputs": {code: {"points": value} for code, value in inputs.items()},
        }
    )
    try:
        card = score(assessment, ruleset, registry=registry)
    except ParindexError as err:
        where = f"[{err.code}] " if err.code else ""
        return _skip(result, "points rejected by the ruleset", f"{where}{err.message}")
    result.card = card
    result.components = used
    result.computed_total = card.total_exact
    result.computed_index = card.index
    result.tolerance = half * used + half
    # published intermediate nodes that were recomputed from their children
    points = {n.code: n.points for n in card.nodes}
    for top in ruleset.view_nodes(view):
        for node in top.walk():
            if node.code in row.values and node.code not in inputs and node.children:
                computed = points.get(node.code)
                if computed is None:
                    continue
                n = _count_under(node, inputs)
                result.node_checks.append(
                    NodeCheck(
                        node.code,
                        row.values[node.code],
                        computed,
                        CONTEXT.subtract(computed, row.values[node.code]),
                        half * n + half,
                    )
                )
    if ruleset.id not in BATCH_GROUPED:
        result.computed_group = card.group
        if card.group is None:
            _band_group(ruleset, card.index, result)
    result.status = "agree"
    return result


def _index_of(ruleset: Ruleset, total: Decimal) -> Decimal | None:
    from parindex.model.decimals import HUNDRED, round_to

    if ruleset.maximum is None or ruleset.maximum == 0:
        return None
    value = CONTEXT.multiply(CONTEXT.divide(total, ruleset.maximum), HUNDRED)
    return round_to(value, ruleset.rounding.places, ruleset.rounding.mode)


def _band_group(ruleset: Ruleset, index: Decimal | None, result: RowResult) -> str | None:
    """The fixed-band group of ``index``; notes why there is none."""
    from parindex.model.validation import classify

    if ruleset.id in BATCH_GROUPED:
        return None
    if not ruleset.groups:
        if result.row.group:
            result.notes.append(
                f"group not checked: {ruleset.id} {ruleset.version} publishes no group bands"
            )
        return None
    if index is None:
        return None
    band = classify(index, ruleset.groups)
    if band is None or not band.published:
        if result.row.group:
            result.notes.append(f"group not checked: no group is published at index {index}")
        return None
    return band.label


def _rank_batch(batch: list[RowResult], ties: str) -> None:
    """Computed ranks within one ruleset and year, limited to the complete top of the ranking."""
    keys = [r.computed_index if r.computed_index is not None else r.computed_total for r in batch]
    if any(k is None for k in keys):
        return
    computed = ranks([k for k in keys if k is not None], ties)  # type: ignore[arg-type]
    published = sorted(r.row.rank for r in batch if r.row.rank is not None)
    if not published:
        for r, rank in zip(batch, computed, strict=True):
            r.computed_rank = rank
            r.notes.append(f"rank among the {len(batch)} rows of this year (no rank published)")
        return
    complete = 0  # the longest prefix 1, 2, … of published ranks (ties allowed)
    for i, rank in enumerate(published, start=1):
        if rank == i or (i > 1 and rank == published[i - 2] and rank <= i):
            complete = i
        else:
            break
    for r, rank in zip(batch, computed, strict=True):
        in_top = (r.row.rank is not None and r.row.rank <= complete) or rank <= complete
        if in_top:
            r.computed_rank = rank
            r.rank_checked = r.row.rank is not None
        else:
            r.notes.append(
                f"no rank: the rows give a complete ranking only down to {complete}"
                if complete
                else "no rank: the rows do not include rank 1"
            )


def reproduce_rows(
    rows: Sequence[PublishedRow],
    *,
    file: str = "<rows>",
    group_rule: GroupRule = "quartiles",
    registry: Registry | None = None,
    dataset: Dataset | None = None,
) -> ReproduceReport:
    """Check published rows (see the module documentation)."""
    if group_rule not in GROUP_RULES or group_rule == "fixed":
        raise ParindexError(
            f"group rule {group_rule!r} cannot be used here; choose one of"
            " quartiles, equal-counts, equal-width",
            field="group_rule",
        )
    reg = registry or default_registry()
    cache: dict[tuple[str, int], Ruleset | ParindexError] = {}
    results = [_check_row(row, reg, cache) for row in rows]
    report = ReproduceReport(file, results, group_rule, dataset=dataset)
    batches: dict[tuple[str, int], list[RowResult]] = {}
    for r in results:
        if r.status != "skipped":
            batches.setdefault((r.row.ruleset, r.row.year), []).append(r)
    for (rid, year), batch in sorted(batches.items()):
        ruleset = cache[(rid, year)]
        assert isinstance(ruleset, Ruleset)
        _rank_batch(batch, ruleset.ranking.ties)
        if rid in BATCH_GROUPED:
            totals = {r.row.unit: r.computed_total for r in batch if r.computed_total is not None}
            groups = batch_groups(totals, group_rule)
            for r in batch:
                r.computed_group = groups.groups.get(r.row.unit)
                r.group_checked = True
            if not any(n.startswith("PAPI groups:") for n in report.group_notes):
                report.group_notes.insert(
                    0,
                    f"PAPI groups: {RULE_TEXT[group_rule]}; {UNPUBLISHED}"
                    " (another rule: --papi-groups)",
                )
            report.group_notes.append(f"{rid} {year} groups of the total: {groups.summary}")
        else:
            for r in batch:
                r.group_checked = True
    for r in results:
        if r.status == "skipped":
            continue
        bad = r.within_tolerance is False or r.rank_agrees is False or r.group_agrees is False
        r.status = "disagree" if bad else "agree"
    return report


def reproduce_file(
    path: str | Path,
    *,
    group_rule: GroupRule = "quartiles",
    registry: Registry | None = None,
    dataset: Dataset | None = None,
) -> ReproduceReport:
    """Read and check a published dataset CSV."""
    rows = read_published(path)
    return reproduce_rows(
        rows, file=str(path), group_rule=group_rule, registry=registry, dataset=dataset
    )


def reproduce_dataset(
    name: str, *, group_rule: GroupRule = "quartiles", registry: Registry | None = None
) -> ReproduceReport:
    """Check a bundled dataset by name (see ``parindex datasets``)."""
    ds = get_dataset(name, registry)
    return reproduce_file(ds.path, group_rule=group_rule, registry=registry, dataset=ds)


# --------------------------------------------------------------------------- output
def _n(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


def _flag(value: bool | None) -> str:
    return {True: "yes", False: "NO", None: "—"}[value]


def render_text(report: ReproduceReport, *, verbose: bool = False) -> str:
    """A plain table of every row, the notes, and the summary line last."""
    from tabulate import tabulate

    lines: list[str] = []
    if report.dataset is not None:
        ds = report.dataset
        lines.append(f"dataset {ds.name}: {ds.title}")
        for url in ds.sources[:3]:
            lines.append(f"  source: {url}")
        if len(ds.sources) > 3:
            lines.append(f"  … and {len(ds.sources) - 3} more sources (see `parindex datasets`)")
    else:
        lines.append(f"file {report.file}")
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
                    _rank_text(row.rank, None),
                    _group_text(row.group, None),
                    f"skipped: {r.reason}",
                ]
            )
            continue
        table.append(
            [
                row.line,
                row.unit,
                row.year,
                _n(row.total),
                _n(r.computed_total),
                _n(r.difference),
                _n(r.tolerance),
                _flag(r.within_tolerance),
                _rank_text(row.rank, r.computed_rank),
                _group_text(row.group, r.computed_group),
                _status_text(r, verbose),
            ]
        )
    lines.append(
        tabulate(
            table,
            headers=[
                "line",
                "unit",
                "year",
                "published",
                "computed",
                "difference",
                "tolerance",
                "within",
                "rank pub/comp",
                "group pub/comp",
                "status",
            ],
            disable_numparse=True,
        )
    )
    lines.append(
        "tolerance: half a unit of the row's last published decimal for every rounded"
        " component, plus the same for the published total"
    )
    lines.extend(report.group_notes)
    lines.append(report.summary())
    return "\n".join(lines)


def _rank_text(published: int | None, computed: int | None) -> str:
    left = "—" if published is None else str(published)
    right = "—" if computed is None else str(computed)
    return f"{left}/{right}"


def _group_text(published: str | None, computed: str | None) -> str:
    return f"{published or '—'}/{computed or '—'}"


def _status_text(r: RowResult, verbose: bool) -> str:
    parts = [r.status]
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
    if r.rank_agrees is False:
        parts.append("rank differs")
    if r.group_agrees is False:
        parts.append("group differs")
    if verbose or r.status == "disagree":
        parts.extend(n for n in r.notes if not n.startswith("rank among"))
    return "; ".join(parts)


def render_json(report: ReproduceReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)


def render_csv(report: ReproduceReport) -> str:
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*JSON_KEYS, "status", "reason"])
    for r in report.rows:
        obj = r.to_json()
        writer.writerow(
            [*("" if obj[k] is None else obj[k] for k in JSON_KEYS), r.status, r.reason or ""]
        )
    return buf.getvalue().rstrip("\n")


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


# ----------------------------------------------------------------- PAPI groups per dimension
@dataclass(frozen=True)
class DimensionGroups:
    """PAPI groups per top-level node (dimension) and for the total, for one ruleset and year."""

    ruleset: str
    year: int
    codes: tuple[str, ...]  # dimension codes, then "total"
    groups: dict[str, BatchGroups]  # code → groups of the batch
    points: dict[str, dict[str, Decimal]]  # unit → code → points


def dimension_groups(
    report: ReproduceReport, years: Sequence[int] | None = None
) -> list[DimensionGroups]:
    """Batch groups of every dimension and of the total, for each PAPI year in ``report``."""
    out = []
    batches: dict[tuple[str, int], list[RowResult]] = {}
    for r in report.checked:
        if r.row.ruleset in BATCH_GROUPED and (years is None or r.row.year in years):
            batches.setdefault((r.row.ruleset, r.row.year), []).append(r)
    for (rid, year), batch in sorted(batches.items()):
        points: dict[str, dict[str, Decimal]] = {}
        codes: dict[str, None] = {}
        for r in batch:
            unit_points: dict[str, Decimal] = {}
            if r.card is not None:
                for node in r.card.nodes:
                    if node.depth == 0 and node.points is not None:
                        unit_points[node.code] = node.points
                        codes[node.code] = None
            if r.computed_total is not None:
                unit_points["total"] = r.computed_total
            points[r.row.unit] = unit_points
        all_codes = (*codes, "total")
        groups = groups_by_dimension(points, all_codes, report.group_rule)
        out.append(DimensionGroups(rid, year, all_codes, groups, points))
    return out


def render_dimension_groups(tables: Sequence[DimensionGroups], fmt: str = "table") -> str:
    """One row per unit and year: the total and the group of the total and of every dimension."""
    header = ["year", "unit", "total"]
    rows: list[list[Any]] = []
    for t in tables:
        codes = list(t.codes)
        if len(header) == 3:
            header += [c if c != "total" else "group of total" for c in codes]
        for unit in sorted(t.points, key=lambda u: -t.points[u].get("total", Decimal(0))):
            total = t.points[unit].get("total")
            rows.append(
                [t.year, unit, _n(total), *(t.groups[c].groups.get(unit, "—") for c in codes)]
            )
    if fmt == "json":
        return json.dumps(
            [
                {
                    "ruleset": t.ruleset,
                    "year": t.year,
                    "rule": RULE_TEXT[t.groups["total"].rule],
                    "cuts": {
                        c: [format(x, "f") for x in (g.cuts or ())] for c, g in t.groups.items()
                    },
                    "counts": {c: g.counts for c, g in t.groups.items()},
                    "units": {u: {c: t.groups[c].groups.get(u) for c in t.codes} for u in t.points},
                }
                for t in tables
            ],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    from tabulate import tabulate

    lines = [tabulate(rows, headers=header, disable_numparse=True)]
    if tables:
        lines.append(f"PAPI groups: {RULE_TEXT[tables[0].groups['total'].rule]}; {UNPUBLISHED}")
    return "\n".join(lines)
