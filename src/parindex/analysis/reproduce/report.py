"""Reproducing a whole published dataset: every row, then every batch (ruleset and year).

Each row is recomputed on its own (:mod:`.recompute`); then, per batch, ranks and order are checked
(:mod:`.order`), groups computed (:mod:`.groups`), published group counts compared; then every
row's verdict is settled (:mod:`.verdict`) and each disagreement diagnosed (:mod:`.diagnosis`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.analysis.reproduce.conflicts import Conflict
from parindex.analysis.reproduce.datasets import Dataset, get_dataset, load_dataset_sidecar
from parindex.analysis.reproduce.diagnosis import (
    Part,
    Target,
    diagnose,
    order_hypothesis,
    variant_hypothesis,
)
from parindex.analysis.reproduce.groups import (
    GroupCountCheck,
    apply_counts,
    band_group,
    batch_grouping,
    check_rule_name,
    group_batch,
    rule_for,
    rule_note,
)
from parindex.analysis.reproduce.order import check_order, rank_batch
from parindex.analysis.reproduce.published import TOTAL, PublishedRow, read_published
from parindex.analysis.reproduce.recompute import RulesetCache, check_row, index_of
from parindex.analysis.reproduce.verdict import RowResult, same_label
from parindex.io.registry import Registry, default_registry
from parindex.model.decimals import EXACT
from parindex.model.documents import Ruleset
from parindex.model.validation import classify


@dataclass
class ReproduceReport:
    file: str
    rows: list[RowResult]
    #: The name of the rule batch-relative groups were cut with (None: each grouping's default).
    group_rule: str | None = None
    group_notes: list[str] = field(default_factory=list)
    dataset: Dataset | None = None
    #: Published group counts compared with the batches.
    count_checks: list[GroupCountCheck] = field(default_factory=list)
    #: The registry the rows were checked with (its rulesets and groupings).
    registry: Registry | None = field(default=None, repr=False, compare=False)

    @property
    def checked(self) -> list[RowResult]:
        """Every row that is not skipped (recomputed or checked only)."""
        return [r for r in self.rows if r.status != "skipped"]

    @property
    def recomputed(self) -> list[RowResult]:
        return [r for r in self.rows if r.status != "skipped" and r.recomputed]

    @property
    def checked_only(self) -> list[RowResult]:
        """Rows with nothing recomputed whose rank, group, order or bounds were checked."""
        return [r for r in self.rows if r.status != "skipped" and not r.recomputed]

    @property
    def agreeing(self) -> int:
        """Rows recomputed and agreeing."""
        return sum(r.status == "agree" for r in self.rows)

    @property
    def disagreeing(self) -> int:
        """Rows with a failed check (recomputed or not)."""
        return sum(r.status == "disagree" for r in self.rows)

    @property
    def skipped(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "skipped"]

    @property
    def conflicts(self) -> list[tuple[RowResult, Conflict]]:
        return [(r, c) for r in self.rows for c in r.conflicts]

    @property
    def counts_disagreeing(self) -> list[GroupCountCheck]:
        return [c for c in self.count_checks if not c.agrees]

    @property
    def failed(self) -> bool:
        """Whether anything disagrees (what ``--strict`` exits 1 for)."""
        return bool(self.disagreeing or self.counts_disagreeing)

    def summary(self) -> str:
        reasons = Counter(r.category or "skipped" for r in self.skipped)
        why = "; ".join(
            f"{n} {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        recomputed = self.recomputed
        bad = sum(r.status == "disagree" for r in recomputed)
        only = self.checked_only
        bad_only = sum(r.status == "disagree" for r in only)
        text = (
            f"rows: {len(self.rows)}; recomputed: {len(recomputed)} (agreeing:"
            f" {len(recomputed) - bad}, disagreeing: {bad}); checked only: {len(only)}"
            + (f" (disagreeing: {bad_only})" if bad_only else "")
            + f"; skipped: {len(self.skipped)}"
            + (f" ({why})" if why else "")
            + f"; source conflicts: {len(self.conflicts)}"
        )
        if self.count_checks:
            text += (
                f"; group counts: {len(self.count_checks)} compared,"
                f" {len(self.counts_disagreeing)} disagreeing"
            )
        return text

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.rows]


def reproduce_rows(
    rows: Sequence[PublishedRow],
    *,
    file: str = "<rows>",
    group_rule: str | None = None,
    registry: Registry | None = None,
    dataset: Dataset | None = None,
) -> ReproduceReport:
    """Check published rows (see :mod:`parindex.analysis.reproduce`)."""
    reg = registry or default_registry()
    check_rule_name(group_rule, reg)
    cache: RulesetCache = {}
    results = [check_row(row, reg, cache) for row in rows]
    report = ReproduceReport(file, results, group_rule, dataset=dataset, registry=reg)
    batches: dict[tuple[str, int], list[RowResult]] = {}
    for r in results:
        if r.status != "skipped":
            batches.setdefault((r.row.ruleset, r.row.year), []).append(r)
    rule_notes: list[str] = []
    for (rid, year), batch in sorted(batches.items()):
        ruleset = cache[(rid, year)]
        assert isinstance(ruleset, Ruleset)
        rank_batch(batch, ruleset.ranking.ties)
        check_order(batch)
        grouping = batch_grouping(rid, reg)
        if grouping is not None:
            rule = rule_for(grouping, group_rule)
            groups = group_batch(batch, rule)
            note = rule_note(grouping, rule)
            if note not in rule_notes:
                rule_notes.append(note)
            report.group_notes.append(f"{rid} {year} groups of the total: {groups.summary}")
        else:
            for r in batch:
                r.computed_group = band_group(ruleset, r.computed_index, r)
                r.group_checked = True
        counts = dataset.counts_for(rid, year) if dataset is not None else None
        if counts is not None:
            report.count_checks.append(apply_counts(batch, counts))
    report.group_notes[:0] = rule_notes
    for r in results:
        r.settle()
    for (rid, year), batch in batches.items():
        ruleset = cache[(rid, year)]
        assert isinstance(ruleset, Ruleset)
        for r in batch:
            if r.status == "disagree":
                r.diagnosis = diagnose_row(r, ruleset, batch)
    return report


def reproduce_file(
    path: str | Path,
    *,
    group_rule: str | None = None,
    registry: Registry | None = None,
    dataset: Dataset | None = None,
) -> ReproduceReport:
    """Read and check a published dataset: a CSV, or a ``.dataset.yaml`` sidecar naming one."""
    p = Path(path)
    if dataset is None and p.name.endswith((".dataset.yaml", ".dataset.yml")):
        dataset = load_dataset_sidecar(p)
        p = dataset.path
    rows = read_published(p)
    return reproduce_rows(
        rows, file=str(p), group_rule=group_rule, registry=registry, dataset=dataset
    )


def reproduce_dataset(
    name: str, *, group_rule: str | None = None, registry: Registry | None = None
) -> ReproduceReport:
    """Check a bundled dataset by name (see ``parindex datasets``)."""
    ds = get_dataset(name, registry)
    return reproduce_file(ds.path, group_rule=group_rule, registry=registry, dataset=ds)


# ----------------------------------------------------------------------------- diagnosis
def diagnose_row(r: RowResult, ruleset: Ruleset, batch: Sequence[RowResult]) -> str:
    """What disagrees in ``r`` and, for each, the usual cause that fits (a hypothesis)."""
    out: list[str] = []
    row = r.row
    if r.total_within is False and row.total is not None:
        out.append("total: " + diagnose(_target(r, ruleset, TOTAL, list(r.inputs))))
    for check in r.node_checks:
        if not check.within:
            target = _target(r, ruleset, check.code, list(check.parts))
            out.append(f"{check.code}: " + diagnose(target))
    if r.order_issues:
        out.append(
            "order: " + "; ".join(i.text() for i in r.order_issues) + ". " + _order(r, batch)
        )
    elif r.rank_agrees is False:
        out.append(f"rank: published {row.rank}, computed {r.computed_rank}. " + _rank(r, batch))
    if r.group_agrees is False:
        out.append(
            f"group: published {row.group}, computed {r.computed_group}. " + _group(r, ruleset)
        )
    if r.counts_text:
        out.append(f"group counts: {r.counts_text}")
    for c in r.rejected:
        out.append(f"rejected by a confirmed bound: {c.node or 'total'} {c.value} ({c.bound})")
    return " | ".join(out)


def _target(r: RowResult, ruleset: Ruleset, label: str, codes: list[str]) -> Target:
    row = r.row
    nodes = {n.code: n for n in ruleset.iter_nodes(r.view)}
    parts = tuple(
        Part(
            code,
            row.values[code],
            row.texts.get(code, format(row.values[code], "f")),
            row.quantum(code),
            survey=code in nodes and nodes[code].method == "survey",
        )
        for code in codes
    )
    published = row.total if label == TOTAL else row.values[label]
    assert published is not None
    text = row.texts.get(label, format(published, "f"))
    return Target(label, published, text, row.quantum(label), parts)


def _order(r: RowResult, batch: Sequence[RowResult]) -> str:
    row = r.row
    if r.recomputed and r.total_within:
        return (
            "hypothesis: this row's total agrees with its parts, so the other row's total or the"
            " published ranks are in question"
        )
    rank = row.rank
    if row.total is None or rank is None:
        return "hypothesis: none of the usual causes can be tested without a published total"
    lows: list[Decimal] = []
    highs: list[Decimal] = []
    for o in batch:
        if o.row.rank is None or o.order_value is None or o.order_half is None:
            continue
        if o.row.rank > rank:
            lows.append(EXACT.subtract(o.order_value, o.order_half))
        elif o.row.rank < rank:
            highs.append(EXACT.add(o.order_value, o.order_half))
    found = order_hypothesis(
        row.texts.get(TOTAL, format(row.total, "f")),
        row.quantum(TOTAL),
        max(lows, default=None),
        min(highs, default=None),
    )
    return found or "hypothesis: no one-digit typo or transposition of this total fits the ranks"


def _group(r: RowResult, ruleset: Ruleset) -> str:
    row = r.row
    if r.recomputed and r.total_within:
        return (
            "hypothesis: this row's total agrees with its parts, so the published group or the"
            " group rule is in question"
        )
    if row.total is None or row.group is None or not ruleset.groups:
        return "hypothesis: the group follows from the total under the batch rule printed below"
    tops = ruleset.view_nodes(r.view)
    published = row.group

    def in_group(total: Decimal) -> bool:
        index = index_of(ruleset, tops, total)
        band = classify(index, ruleset.groups) if index is not None else None
        return band is not None and band.label is not None and same_label(band.label, published)

    found = variant_hypothesis(row.texts.get(TOTAL, format(row.total, "f")), in_group)
    if found:
        return f"hypothesis: {found} would fall in the published group {published}"
    return "hypothesis: no one-digit typo or transposition of the total gives the published group"


def _rank(r: RowResult, batch: Sequence[RowResult]) -> str:
    tied = [
        o.row.unit
        for o in batch
        if o is not r and o.rank_key is not None and o.rank_key == r.rank_key
    ]
    if tied:
        return (
            f"hypothesis: a tie with {', '.join(tied[:3])} (equal totals), broken by the"
            " publisher with unrounded values or another tie rule"
        )
    return "hypothesis: the rows' totals put it elsewhere; see the order of the other rows"
