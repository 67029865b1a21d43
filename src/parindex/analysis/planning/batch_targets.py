"""Targets judged across the batch by a plugin's grouping (e.g. PAPI's quartile groups)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from parindex.analysis.planning.context import Context
from parindex.analysis.planning.results import TargetResult, num, result, unknown
from parindex.analysis.planning.whatif import Plan, Recovery, plan_points, search_lowest, step_of
from parindex.io.registry import default_registry
from parindex.model.documents import ScoreCard
from parindex.model.group_rules import (
    BatchDimensionsTarget,
    BatchGroupTarget,
    BatchTargetBase,
    Grouping,
    GroupRule,
)


def _batch_values(batch: Sequence[ScoreCard], of: str) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for c in batch:
        if of == "total":
            out[c.unit.id] = c.total
            continue
        node = next((n for n in c.nodes if n.code == of), None)
        if node is not None and node.points is not None:
            out[c.unit.id] = node.points
    return out


def _label_of(
    values: Mapping[str, Decimal],
    unit: str,
    x: Decimal,
    rule: GroupRule,
    cuts: Sequence[Decimal] | None,
) -> str:
    trial = dict(values)
    trial[unit] = x
    return rule.assign(trial, cuts).groups[unit]


def _grouping(t: BatchTargetBase, ctx: Context) -> Grouping | None:
    return (ctx.registry or default_registry()).groupings.get(t.grouping)


def _no_grouping(t: BatchTargetBase) -> TargetResult:
    return unknown(
        t, f"{t.kind} target", [f"no plugin registers the grouping {t.grouping!r} any more"]
    )


def batch_group_target(t: BatchGroupTarget, ctx: Context) -> TargetResult:
    grouping = _grouping(t, ctx)
    if grouping is None:
        return _no_grouping(t)
    rule = grouping.rule(t.rule)
    req = f"{grouping.noun} of {t.of} ≥ {grouping.words(t.at_least)}, rule {rule.name}"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return unknown(t, req, notes)
    card = ctx.own(batch)
    values = _batch_values(batch, t.of)
    if ctx.unit not in values:
        return unknown(t, req, [*notes, f"{t.of} is not scored for {ctx.unit}"])
    groups = rule.assign(values, t.cuts)
    label = groups.groups[ctx.unit]
    goal = grouping.rank_of(t.at_least)
    met = grouping.rank_of(label) <= goal
    notes.append(groups.description)
    value = values[ctx.unit]
    last = len(grouping.labels) - 1
    margin = value - groups.cuts[goal] if groups.cuts is not None and goal < last else None
    plan = None
    if not met:
        node = next((n for n in card.nodes if n.code == t.of), None)
        upper = card.maximum if t.of == "total" else (node.maximum if node else None)
        step = step_of(card)
        if upper is not None:
            needed = search_lowest(
                lambda x: grouping.rank_of(_label_of(values, ctx.unit, x, rule, t.cuts)) <= goal,
                value,
                upper,
                step,
            )
            if needed is None:
                plan = Plan(
                    needed=None,
                    needed_of=t.of,
                    extra_points=None,
                    possible=False,
                    explanation=f"not reachable even at the maximum {num(upper)}",
                )
            else:
                plan = plan_points(
                    card,
                    needed,
                    t.of,
                    needed - value,
                    f"{t.of} must reach {num(needed)} (the batch's cut points"
                    " recomputed with that value)",
                    ctx.effort(),
                    within=None if t.of == "total" else t.of,
                )
    actual = f"{grouping.words(label)} ({t.of} {format(value, 'f')})"
    return result(t, req, actual, met, margin, t.of, notes, plan)


def batch_dimensions_target(t: BatchDimensionsTarget, ctx: Context) -> TargetResult:
    grouping = _grouping(t, ctx)
    if grouping is None:
        return _no_grouping(t)
    rule = grouping.rule(t.rule)
    req = f"no dimension in {grouping.words(t.none_in)}, rule {rule.name}"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return unknown(t, req, notes)
    card = ctx.own(batch)
    dims = [n for n in card.nodes if n.parent is None]
    bad: list[tuple[str, Decimal, str]] = []
    recover: list[Recovery] = []
    reachable = True
    worst = grouping.rank_of(t.none_in)
    for dim in dims:
        values = _batch_values(batch, dim.code)
        if ctx.unit not in values:
            continue
        groups = rule.assign(values, t.cuts)
        label = groups.groups[ctx.unit]
        if grouping.rank_of(label) != worst:
            continue
        notes.append(f"{dim.code}: {groups.description}")
        value = values[ctx.unit]
        bad.append((dim.code, value, label))
        if dim.maximum is None:
            reachable = False
            continue

        def leaves(x: Decimal, v: Mapping[str, Decimal] = values) -> bool:
            return grouping.rank_of(_label_of(v, ctx.unit, x, rule, t.cuts)) != worst

        needed = search_lowest(leaves, value, dim.maximum, step_of(card))
        if needed is None:
            reachable = False
            continue
        recover.append(
            Recovery(
                code=dim.code,
                title=dim.title,
                method=dim.method,
                lost=dim.maximum - value,
                effort=Decimal(1),
                take=needed - value,
            )
        )
    met = not bad
    plan = None
    if bad:
        extra = sum((r.take for r in recover), Decimal(0))
        plan = Plan(
            needed=None,
            needed_of="dimensions",
            extra_points=extra,
            possible=reachable,
            explanation="each dimension in the group must rise to the lowest value that"
            " leaves it, with the batch's cut points recomputed",
            recover=tuple(recover),
        )
    shown = ", ".join(f"{code} {format(v, 'f')}" for code, v, _ in bad) or "none"
    actual = f"in {t.none_in}: {shown}"
    margin = Decimal(-len(bad)) if bad else Decimal(0)
    return result(t, req, actual, met, margin, "dimensions", notes, plan)


__all__ = ["batch_dimensions_target", "batch_group_target"]
