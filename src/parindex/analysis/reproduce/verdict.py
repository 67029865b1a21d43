"""The verdict on one published row, and the row's JSON form.

Statuses:

``agree``
    the total was recomputed from the row's parts, and every check passed;
``disagree``
    a check failed: the recomputed total or a published intermediate node is outside its
    tolerance, the published rank, group or order contradicts the totals, the rank does not fit
    the published group counts, or a ``confirmed`` bound rejects a published number;
``checked``
    nothing could be recomputed (a total only, or parts that do not all add up), but what can be
    checked — rank, group, order, each given node against its own bounds — passed;
``skipped``
    nothing at all can be checked (no ruleset for the year, codes that are not nodes, no number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex.analysis.reproduce.conflicts import Conflict
from parindex.analysis.reproduce.published import PublishedRow
from parindex.model.decimals import CONTEXT
from parindex.model.documents import ScoreCard

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
    "status",
    "tolerance",
    "conflicts",
    "diagnosis",
)

STATUSES = ("agree", "disagree", "checked", "skipped")


@dataclass(frozen=True)
class NodeCheck:
    """A published intermediate node compared with the sum of its published parts."""

    code: str
    published: Decimal
    computed: Decimal
    difference: Decimal
    tolerance: Decimal
    #: The codes of the published parts it was recomputed from.
    parts: tuple[str, ...] = ()

    @property
    def within(self) -> bool:
        return abs(self.difference) <= self.tolerance


@dataclass(frozen=True)
class OrderIssue:
    """This row's published rank contradicts its total against another row's."""

    other_unit: str
    other_rank: int
    other_value: Decimal
    above: bool  # True: this row is ranked above the other one but cannot score as high

    def text(self) -> str:
        where = "above" if self.above else "below"
        return (
            f"ranked {where} {self.other_unit} (rank {self.other_rank},"
            f" {format(self.other_value, 'f')})"
        )


@dataclass
class RowResult:
    row: PublishedRow
    status: str = "skipped"  # one of STATUSES
    reason: str | None = None  # why skipped (one line)
    category: str | None = None  # short reason for the summary
    view: str | None = None
    version: str | None = None
    card: ScoreCard | None = None
    #: True when the total was recomputed from the row's parts.
    recomputed: bool = False
    computed_total: Decimal | None = None
    computed_index: Decimal | None = None
    components: int = 0
    #: The gap the published total may have from the recomputed one.
    tolerance: Decimal | None = None
    computed_rank: int | None = None
    computed_group: str | None = None
    rank_checked: bool = False
    group_checked: bool = False
    node_checks: list[NodeCheck] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    order_issues: list[OrderIssue] = field(default_factory=list)
    #: The group the published group counts give this row's rank, when it differs.
    counts_group: str | None = None
    counts_text: str | None = None
    diagnosis: str | None = None
    notes: list[str] = field(default_factory=list)
    #: What the row is ranked by: the index (else the total), recomputed or else published.
    rank_key: Decimal | None = None
    #: The total the row is grouped by across its batch: recomputed, else published.
    batch_value: Decimal | None = None
    #: The total the published order is checked with (published, else recomputed), and the
    #: half-unit of its uncertainty.
    order_value: Decimal | None = None
    order_half: Decimal | None = None
    #: The codes of the inputs the total was recomputed from.
    inputs: dict[str, Decimal] = field(default_factory=dict)

    @property
    def difference(self) -> Decimal | None:
        if not self.recomputed or self.computed_total is None or self.row.total is None:
            return None
        return CONTEXT.subtract(self.computed_total, self.row.total)

    @property
    def total_within(self) -> bool | None:
        diff = self.difference
        if diff is None or self.tolerance is None:
            return None
        return abs(diff) <= self.tolerance

    @property
    def within_tolerance(self) -> bool | None:
        """The total and every published intermediate node within their tolerance."""
        nodes_ok = all(c.within for c in self.node_checks)
        total = self.total_within
        if total is None:
            return None if not self.node_checks else nodes_ok
        return total and nodes_ok

    @property
    def rank_agrees(self) -> bool | None:
        if not self.rank_checked:
            return None
        return self.row.rank == self.computed_rank

    @property
    def group_agrees(self) -> bool | None:
        if not self.group_checked or self.row.group is None or self.computed_group is None:
            return None
        return same_label(self.row.group, self.computed_group)

    @property
    def rejected(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.rejects]

    def failures(self) -> list[str]:
        """What disagrees, in words (empty when every check passed)."""
        out = []
        if self.total_within is False:
            out.append("total outside tolerance")
        out += [f"{c.code} outside tolerance" for c in self.node_checks if not c.within]
        if self.rank_agrees is False:
            out.append("rank differs")
        if self.group_agrees is False:
            out.append("group differs")
        if self.order_issues:
            out.append("order contradicts the totals")
        if self.counts_group is not None:
            out.append("rank does not fit the published group counts")
        out += [f"{c.node or 'total'} rejected by a confirmed bound" for c in self.rejected]
        return out

    def settle(self) -> None:
        """Set the final status from the checks (a skipped row stays skipped)."""
        if self.status == "skipped":
            return
        if self.failures():
            self.status = "disagree"
        else:
            self.status = "agree" if self.recomputed else "checked"

    def to_json(self) -> dict[str, Any]:
        r = self.row
        out: dict[str, Any] = {
            "unit": r.unit,
            "year": r.year,
            "ruleset": r.ruleset,
            "published_total": text(r.total),
            "computed_total": text(self.computed_total) if self.recomputed else None,
            "difference": text(self.difference),
            "within_tolerance": self.within_tolerance,
            "published_rank": r.rank,
            "computed_rank": self.computed_rank,
            "published_group": r.group,
            "computed_group": self.computed_group,
            "status": self.status,
            "tolerance": text(self.tolerance),
            "conflicts": [c.to_json() for c in self.conflicts],
            "diagnosis": self.diagnosis,
        }
        assert tuple(out) == JSON_KEYS
        return out


def same_label(a: str, b: str) -> bool:
    """Group labels compared loosely: case, spaces, hyphens and underscores ignored."""
    return _label(a) == _label(b)


def _label(group: str) -> str:
    return re.sub(r"[\s_-]+", "", group.casefold())


def text(value: Decimal | None) -> str | None:
    """A decimal as written, keeping its trailing zeros (91.80 stays 91.80), never in E notation."""
    return None if value is None else format(value, "f")
