"""Targets on values measured outside the score cards (a satisfaction rate), read from a
measures file."""

from __future__ import annotations

from parindex.analysis.planning.context import Context
from parindex.analysis.planning.results import TargetResult, compare_values, num, result, unknown
from parindex.analysis.planning.targets import COMPARATORS, MeasureTarget


def measure_target(t: MeasureTarget, ctx: Context) -> TargetResult:
    key, bound = t.comparator
    unit = f" {t.unit}" if t.unit else ""
    req = f"{t.name} {COMPARATORS[key]} {num(bound)}{unit}"
    m = ctx.measures
    if m is None or t.name not in m.values:
        return unknown(
            t, req, [f"no value for {t.name!r}: give it in a measures file (--measures FILE)"]
        )
    notes: list[str] = []
    if m.measures_for.id != ctx.unit:
        notes.append(f"the measures are for {m.measures_for.id}, the targets for {ctx.unit}")
    if m.year != ctx.targets.year:
        notes.append(f"the measures are for {m.year}, the targets for {ctx.targets.year}")
    value = m.values[t.name]
    if value.note:
        notes.append(value.note)
    met, margin = compare_values(key, value.value, bound)
    actual = f"{t.name} {num(value.value)}{unit}"
    return result(t, req, actual, met, margin, t.unit or t.name, notes)


__all__ = ["measure_target"]
