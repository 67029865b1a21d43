"""Targets on one unit's card within its batch: a value, a group of the ruleset's bands, a rank."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from parindex.analysis.planning.context import Context
from parindex.analysis.planning.errors import PlanningError
from parindex.analysis.planning.results import TargetResult, num, result, unknown
from parindex.analysis.planning.results import compare_values as _compare
from parindex.analysis.planning.targets import (
    COMPARATORS,
    GroupTarget,
    RankRiseTarget,
    RankTarget,
    ValueTarget,
)
from parindex.analysis.planning.whatif import Plan, needed_for_rank, plan_points, step_of
from parindex.model.decimals import CONTEXT, HUNDRED, quantum
from parindex.model.documents import ScoreCard, TieRule
from parindex.scoring.ranking import RankedTable
from parindex.scoring.ranking import rank as rank_cards


def value_target(t: ValueTarget, ctx: Context) -> TargetResult:
    key, bound = t.comparator
    what = t.of if t.of in ("index", "total") else f"{t.of} {t.measure}"
    req = f"{what} {COMPARATORS[key]} {num(bound)}"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return unknown(t, req, notes)
    card = ctx.own(batch)
    node = None
    if t.of == "index":
        actual = card.index
    elif t.of == "total":
        actual = card.total
    else:
        node = next((n for n in card.nodes if n.code == t.of), None)
        if node is None:
            return unknown(t, req, [*notes, f"node {t.of} is not scored in the card"])
        actual = node.percent if t.measure == "percent" else node.points
    if actual is None:
        return unknown(t, req, [*notes, f"{what} is not known (no published maximum)"])
    met, margin = _compare(key, actual, bound)
    plan = None
    if not met and key in ("at_least", "above"):
        needed = bound if key == "at_least" else CONTEXT.add(bound, step_of(card))
        why = f"{what} must reach {num(needed)}"
        if t.of in ("index", "total"):
            plan = ctx.plan_key(card, needed, t.of, why)
        elif node is not None and t.measure == "points":
            plan = plan_points(
                card,
                needed,
                t.of,
                needed - actual,
                why,
                ctx.effort(),
                within=node.code,
                ceiling=node.maximum,
            )
        elif node is not None and node.maximum is not None:
            pts = CONTEXT.divide(CONTEXT.multiply(needed, node.maximum), HUNDRED)
            plan = plan_points(
                card,
                needed,
                f"{t.of} %",
                pts - (node.points or 0),
                why,
                ctx.effort(),
                within=node.code,
                ceiling=HUNDRED,
            )
    return result(t, req, f"{what} {format(actual, 'f')}", met, margin, what, notes, plan)


def group_target(t: GroupTarget, ctx: Context) -> TargetResult:
    req = f"group {t.at_least} or better"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return unknown(t, req, notes)
    card = ctx.own(batch)
    rs = ctx.ruleset(card)
    if rs is None:
        return unknown(
            t,
            req,
            [
                *notes,
                f"the ruleset {card.ruleset} {card.version} that scored"
                " the card is not at hand (give it with --ruleset FILE)",
            ],
        )
    published = sorted((b for b in rs.groups if b.published), key=lambda b: -b.min)
    labels = [b.label for b in published]
    if t.at_least not in labels:
        raise PlanningError(
            f"target {t.id}: {card.ruleset} {card.version} has no group"
            f" {t.at_least!r}; groups: {', '.join(str(x) for x in labels)}",
            code=t.id,
            field="at_least",
        )
    band = published[labels.index(t.at_least)]
    if card.index is None:
        return unknown(t, req, [*notes, "the card has no index"])
    met = card.group in labels and labels.index(card.group) <= labels.index(t.at_least)
    plan = None
    if not met:
        needed = band.min if band.min_inclusive else CONTEXT.add(band.min, step_of(card))
        why = f"group {t.at_least} starts at index {num(band.min)}"
        plan = ctx.plan_key(card, needed, "index", why)
    actual = f"group {card.group or '—'} (index {format(card.index, 'f')})"
    return result(t, req, actual, met, card.index - band.min, "index", notes, plan)


def ranked(
    card: ScoreCard, batch: Sequence[ScoreCard], ctx: Context
) -> tuple[RankedTable, TieRule]:
    """The batch ranked by the tie rule of the ruleset that scored ``card``."""
    rs = ctx.ruleset(card)
    ties: TieRule = rs.ranking.ties if rs is not None else "competition"
    return rank_cards(batch, ties), ties


def plan_for_rank(
    card: ScoreCard, table: RankedTable, ties: TieRule, limit: int, ctx: Context
) -> Plan | None:
    """The plan that lifts ``card`` to rank ``limit`` or better among the table's other units
    (None when any value reaches it)."""
    others = [e.key for e in table.entries if e.unit.id != card.unit.id and e.key is not None]
    needed, why = needed_for_rank(others, limit, ties, quantum(card.receipt.rounding.places))
    if needed is None:
        return None
    return ctx.plan_key(card, needed, table.by, f"{why}: {table.by} {num(needed)}")


def rank_target(t: RankTarget | RankRiseTarget, ctx: Context) -> TargetResult:
    limit = t.at_most
    req = f"rank ≤ {limit}"
    if isinstance(t, RankRiseTarget):
        req += f" (up ≥ {t.by} from {t.previous.rank} in {t.previous.year})"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return unknown(t, req, notes)
    if len(batch) < 2:
        return unknown(
            t,
            req,
            [
                *notes,
                "a rank needs the other units' scores: give the whole"
                " batch (e.g. a CSV of all provinces)",
            ],
        )
    card = ctx.own(batch)
    table, ties = ranked(card, batch, ctx)
    entry = next((e for e in table.entries if e.unit.id == ctx.unit), None)
    if entry is None or entry.key is None:
        return unknown(t, req, [*notes, f"{ctx.unit} could not be ranked"])
    n = len(table.entries)
    if isinstance(t, RankRiseTarget) and t.previous.of is not None and t.previous.of != n:
        notes.append(f"last year's rank is out of {t.previous.of}; this batch has {n} units")
    met = entry.rank <= limit
    if isinstance(t, RankRiseTarget):
        margin = Decimal(t.previous.rank - entry.rank - t.by)
    else:
        margin = Decimal(limit - entry.rank)
    plan = None if met else plan_for_rank(card, table, ties, limit, ctx)
    actual = f"rank {entry.rank} of {n} ({table.by} {format(entry.key, 'f')})"
    return result(t, req, actual, met, margin, "ranks", notes, plan)


__all__ = ["group_target", "plan_for_rank", "rank_target", "ranked", "value_target"]
