"""Groups of published rows: the ruleset's fixed bands, groups relative to the batch, and the
number of units per group a source publishes.

* **Fixed bands**: the group of the index under the ruleset's bands (``moha.province`` 2018:
  A ≥ 80, …). A ruleset without bands gives no group, and says so.
* **Batch-relative groups**: a ruleset that a plugin's grouping names (PAPI's four groups, for
  example) gets its groups across the rows of the same year, with the grouping's rule; the rule and
  its standing are printed. :func:`batch_grouping` is the one place that asks.
* **Published group counts** (a dataset's ``group_counts``): the group each rank falls in,
  counting from the best group; a row whose group is not otherwise computed gets that group (so
  its published group is checked), a row whose computed group differs from it disagrees. When the
  batch holds the whole population, the computed counts are compared with the published ones;
  when it holds part of it, a group with more rows than published is still a disagreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from parindex.analysis.reproduce.datasets import GroupCounts
from parindex.analysis.reproduce.verdict import RowResult, same_label
from parindex.io.registry import Registry
from parindex.model.documents import Ruleset
from parindex.model.errors import ParindexError
from parindex.model.group_rules import GroupedBatch, Grouping, GroupRule
from parindex.scoring.grouping import batch_rule_names, grouping_of


def batch_grouping(ruleset_id: str, registry: Registry) -> Grouping | None:
    """The grouping of ``ruleset_id`` across a batch, or None when its groups are fixed bands."""
    return grouping_of(ruleset_id, registry)


def check_rule_name(name: str | None, registry: Registry) -> None:
    """``name`` must be a rule that cuts a batch with nothing else given (None: the defaults)."""
    if name is None:
        return
    names = batch_rule_names(registry)
    if name not in names:
        raise ParindexError(
            f"group rule {name!r} cannot be used here; choose one of {', '.join(names) or 'none'}",
            field="group_rule",
        )


def rule_for(grouping: Grouping, name: str | None) -> GroupRule:
    """The grouping's rule called ``name`` when it has one, else its default rule."""
    if name is not None and any(r.name == name and not r.takes_cuts for r in grouping.rules):
        return grouping.rule(name)
    return grouping.default_rule


def rule_note(grouping: Grouping, rule: GroupRule) -> str:
    """``PAPI groups: quartiles: …; PAPI does not publish … (another rule: --papi-groups)``."""
    text = f"{grouping.title}: {rule.text}"
    if grouping.note:
        text += f"; {grouping.note}"
    if grouping.option:
        text += f" (another rule: {grouping.option})"
    return text


def group_batch(batch: Sequence[RowResult], rule: GroupRule) -> GroupedBatch:
    """Put every row with a total into a group across the batch."""
    values = {r.row.unit: r.batch_value for r in batch if r.batch_value is not None}
    groups = rule.assign(values, None)
    for r in batch:
        r.computed_group = groups.groups.get(r.row.unit)
        r.group_checked = True
    return groups


def band_group(ruleset: Ruleset, index: Decimal | None, result: RowResult) -> str | None:
    """The fixed-band group of ``index``; notes why there is none."""
    from parindex.model.validation import classify

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


@dataclass
class GroupCountCheck:
    """The published number of units per group against the rows of one batch."""

    counts: GroupCounts
    #: Computed groups of the batch: label → rows (groups from bands or from the batch only).
    computed: dict[str, int] = field(default_factory=dict)
    #: Rows of the batch with a computed group.
    grouped: int = 0
    #: Rows whose group was taken from the published counts and their rank.
    from_ranks: int = 0
    #: Rows whose computed group differs from the one their rank gets from the counts.
    misplaced: int = 0

    @property
    def complete(self) -> bool:
        return self.grouped == self.counts.population

    @property
    def over(self) -> list[str]:
        """Labels with more computed rows than published (a disagreement even on partial data)."""
        published = dict(self.counts.counts)
        return [
            label
            for label, n in self.computed.items()
            if n > next((m for k, m in published.items() if same_label(k, label)), 0)
        ]

    @property
    def differ(self) -> list[str]:
        """Labels whose count differs, when the batch holds the whole population."""
        if not self.complete:
            return self.over
        out = []
        for label, n in self.counts.counts:
            got = next((m for k, m in self.computed.items() if same_label(k, label)), 0)
            if got != n:
                out.append(label)
        return out

    @property
    def agrees(self) -> bool:
        return not self.differ and not self.misplaced

    def text(self) -> str:
        where = f"{self.counts.ruleset} {self.counts.year} group counts"
        published = f"published {self.counts.text()}"
        if self.grouped:
            computed = ", ".join(f"{k} {v}" for k, v in self.computed.items())
            scope = "all" if self.complete else f"{self.grouped} of {self.counts.population}"
            got = f"computed for {scope} rows: {computed}"
        else:
            got = "no group computed from bands or across the batch"
        parts = [f"{where}: {published}; {got}"]
        if self.from_ranks:
            parts.append(f"{self.from_ranks} rows grouped by rank from the published counts")
        if self.misplaced:
            parts.append(f"{self.misplaced} rows in another group than their rank gives")
        if self.differ:
            parts.append(f"DISAGREE: {', '.join(self.differ)}")
        elif self.grouped:
            parts.append("agree" if self.complete else "no group over its count")
        if self.counts.source:
            parts.append(f"source: {self.counts.source}")
        return "; ".join(parts)


def apply_counts(batch: Sequence[RowResult], counts: GroupCounts) -> GroupCountCheck:
    """Compare a batch with the published number of units per group (see the module text)."""
    check = GroupCountCheck(counts)
    for r in batch:
        if r.computed_group is not None:
            check.grouped += 1
            label = next((k for k in check.computed if same_label(k, r.computed_group)), None)
            label = label or r.computed_group
            check.computed[label] = check.computed.get(label, 0) + 1
    bounds = _rank_bounds(counts.counts)
    for r in batch:
        rank = r.computed_rank if r.computed_rank is not None else r.row.rank
        if rank is None:
            continue
        by_rank = next((label for label, last in bounds if rank <= last), None)
        if by_rank is None:
            r.notes.append(
                f"rank {rank} is beyond the {counts.population} units of the published counts"
            )
            continue
        if r.computed_group is None:
            r.computed_group = by_rank
            r.group_checked = True
            check.from_ranks += 1
            r.notes.append(
                f"group {by_rank}: rank {rank} under the published counts ({counts.text()})"
            )
        elif not same_label(r.computed_group, by_rank):
            r.counts_group = by_rank
            r.counts_text = (
                f"rank {rank} falls in group {by_rank} under the published counts"
                f" ({counts.text()}), computed group {r.computed_group}"
            )
            check.misplaced += 1
    return check


def _rank_bounds(counts: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """(label, last rank of the label), best group first."""
    out = []
    last = 0
    for label, n in counts:
        last += n
        out.append((label, last))
    return out
