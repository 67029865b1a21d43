"""The outcome of checking one target, and the builders every target kind shares."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from parindex.analysis.planning.targets import Target, UnitRef
from parindex.analysis.planning.whatif import Plan
from parindex.model.decimals import canonical
from parindex.model.documents import Dec, Frozen, Text


class TargetResult(Frozen):
    id: str
    kind: str
    title: Text
    requirement: str
    actual: str | None
    met: bool | None
    margin: Dec | None
    margin_unit: str
    plan: Plan | None = None
    clause: str | None = None
    notes: tuple[str, ...] = ()


class TargetsReport(Frozen):
    unit: UnitRef
    year: int
    source: str
    status: str
    results: tuple[TargetResult, ...]
    notes: tuple[str, ...] = ()

    @property
    def met(self) -> int:
        return sum(1 for r in self.results if r.met)


def num(value: Decimal) -> str:
    return canonical(value)


def compare_values(key: str, actual: Decimal, bound: Decimal) -> tuple[bool, Decimal]:
    """Whether ``actual`` satisfies the comparator, and the margin (positive = to spare)."""
    if key == "at_least":
        return actual >= bound, actual - bound
    if key == "above":
        return actual > bound, actual - bound
    if key == "at_most":
        return actual <= bound, bound - actual
    return actual < bound, bound - actual


def result(
    target: Target,
    requirement: str,
    actual: str,
    met: bool,
    margin: Decimal | None,
    margin_unit: str,
    notes: Sequence[str],
    plan: Plan | None = None,
) -> TargetResult:
    """A checked target: the target's own fields (id, kind, title, clause) copied once, here."""
    return TargetResult(
        id=target.id,
        kind=target.kind,
        title=target.title,
        requirement=requirement,
        actual=actual,
        met=met,
        margin=margin,
        margin_unit=margin_unit,
        plan=plan,
        clause=target.clause,
        notes=tuple(notes),
    )


def unknown(target: Target, requirement: str, notes: Sequence[str]) -> TargetResult:
    """A target that cannot be checked with what is at hand; the notes say what is missing."""
    return TargetResult(
        id=target.id,
        kind=target.kind,
        title=target.title,
        requirement=requirement,
        actual=None,
        met=None,
        margin=None,
        margin_unit="",
        clause=target.clause,
        notes=tuple(notes),
    )


__all__ = ["TargetResult", "TargetsReport", "compare_values", "num", "result", "unknown"]
