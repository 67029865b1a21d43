"""Evaluating targets against score cards: met or not, by how much, and what it would take.

Each family of target kinds is checked in its own module (card_targets, batch_targets,
measure_targets, history_targets); this one dispatches and gathers the report.
"""

from __future__ import annotations

from collections.abc import Sequence

from parindex.analysis.planning.agency import lead_of
from parindex.analysis.planning.batch_targets import (
    batch_dimensions_target,
    batch_group_target,
)
from parindex.analysis.planning.card_targets import group_target, rank_target, value_target
from parindex.analysis.planning.context import Context
from parindex.analysis.planning.history_targets import (
    places_gained_target,
    points_gained_target,
    region_rank_target,
)
from parindex.analysis.planning.measure_targets import measure_target
from parindex.analysis.planning.responsibility import ResponsibilityMap
from parindex.analysis.planning.results import TargetResult, TargetsReport
from parindex.analysis.planning.targets import (
    GroupTarget,
    Measures,
    MeasureTarget,
    PlacesGainedTarget,
    PointsGainedTarget,
    RankRiseTarget,
    RankTarget,
    RegionRankTarget,
    Target,
    Targets,
    ValueTarget,
)
from parindex.io.registry import Registry
from parindex.model.documents import Ruleset, ScoreCard
from parindex.model.group_rules import BatchDimensionsTarget, BatchGroupTarget


def _check(t: Target, ctx: Context) -> TargetResult:
    if isinstance(t, ValueTarget):
        return value_target(t, ctx)
    if isinstance(t, GroupTarget):
        return group_target(t, ctx)
    if isinstance(t, (RankTarget, RankRiseTarget)):
        return rank_target(t, ctx)
    if isinstance(t, RegionRankTarget):
        return region_rank_target(t, ctx)
    if isinstance(t, PlacesGainedTarget):
        return places_gained_target(t, ctx)
    if isinstance(t, PointsGainedTarget):
        return points_gained_target(t, ctx)
    if isinstance(t, BatchGroupTarget):
        return batch_group_target(t, ctx)
    if isinstance(t, BatchDimensionsTarget):
        return batch_dimensions_target(t, ctx)
    if isinstance(t, MeasureTarget):
        return measure_target(t, ctx)
    # a batch kind on neither base: batch_target_kinds lets none through
    raise AssertionError(f"unexpected target kind {t.kind!r}")


def _with_leads(
    r: TargetResult,
    t: Target,
    ctx: Context,
    rmap: ResponsibilityMap | None,
    section: str | None,
) -> TargetResult:
    """The plan's rows with their lead agency (from the card the plan was made on)."""
    if r.plan is None or not r.plan.recover or not hasattr(t, "rulesets"):
        return r
    batch, _ = ctx.batch(t.rulesets)
    leads = lead_of(ctx.own(batch), [rec.code for rec in r.plan.recover], rmap, section)
    recover = tuple(rec.model_copy(update={"lead": leads[rec.code]}) for rec in r.plan.recover)
    return r.model_copy(update={"plan": r.plan.model_copy(update={"recover": recover})})


def evaluate(
    targets: Targets,
    cards: Sequence[ScoreCard],
    measures: Measures | None = None,
    rulesets: Sequence[Ruleset] = (),
    registry: Registry | None = None,
    responsibility: ResponsibilityMap | None = None,
    section: str | None = None,
) -> TargetsReport:
    """Every target of ``targets`` against ``cards`` (one unit's, or whole batches). The
    what-if rows name their lead agency from ``responsibility`` (a map; ``section`` picks its
    section), else from the ruleset's ``lead_agency``."""
    ctx = Context(targets, cards, measures, rulesets, registry)
    results = [
        _with_leads(_check(t, ctx), t, ctx, responsibility, section) for t in targets.targets
    ]
    notes = []
    if not any(c.unit.id == ctx.unit for c in cards):
        notes.append(
            f"no score card is for {ctx.unit}; unit ids found:"
            f" {', '.join(sorted({c.unit.id for c in cards})[:10])}"
        )
    return TargetsReport(
        unit=targets.targets_for,
        year=targets.year,
        source=targets.source.cite(),
        status=targets.status,
        results=tuple(results),
        notes=tuple(notes),
    )


__all__ = ["TargetResult", "TargetsReport", "evaluate"]
