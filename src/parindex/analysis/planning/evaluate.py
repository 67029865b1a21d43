"""Evaluating targets against score cards: met or not, by how much, and what it would take."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from parindex.analysis.planning.errors import PlanningError
from parindex.analysis.planning.inputs import ruleset_of
from parindex.analysis.planning.targets import (
    COMPARATORS,
    GroupTarget,
    Measures,
    MeasureTarget,
    RankRiseTarget,
    RankTarget,
    Target,
    Targets,
    UnitRef,
    ValueTarget,
)
from parindex.analysis.planning.whatif import (
    Plan,
    Recovery,
    needed_for_rank,
    plan_points,
    points_for_index,
    search_lowest,
    step_of,
)
from parindex.io.registry import Registry, default_registry
from parindex.model.decimals import CONTEXT, canonical, quantum
from parindex.model.documents import Dec, Frozen, GroupBand, Ruleset, ScoreCard, Text
from parindex.model.group_rules import (
    BatchDimensionsTarget,
    BatchGroupTarget,
    BatchTargetBase,
    Grouping,
    GroupRule,
)
from parindex.scoring.ranking import rank as rank_cards


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


def _num(value: Decimal) -> str:
    return canonical(value)


def _compare(key: str, actual: Decimal, bound: Decimal) -> tuple[bool, Decimal]:
    """Whether ``actual`` satisfies the comparator, and the margin (positive = to spare)."""
    if key == "at_least":
        return actual >= bound, actual - bound
    if key == "above":
        return actual > bound, actual - bound
    if key == "at_most":
        return actual <= bound, bound - actual
    return actual < bound, bound - actual


class _Context:
    def __init__(
        self,
        targets: Targets,
        cards: Sequence[ScoreCard],
        measures: Measures | None,
        rulesets: Sequence[Ruleset],
        registry: Registry | None,
    ) -> None:
        self.targets = targets
        self.cards = cards
        self.measures = measures
        self.rulesets = rulesets
        self.registry = registry
        self.unit = targets.targets_for.id

    def batch(self, rulesets: Sequence[str]) -> tuple[list[ScoreCard], list[str]]:
        """The cards of the first listed ruleset that has a card for the unit, in the target
        year when there is one."""
        notes: list[str] = []
        for rid in rulesets:
            mine = [c for c in self.cards if c.ruleset == rid]
            if not any(c.unit.id == self.unit for c in mine):
                continue
            years = sorted({c.year for c in mine if c.unit.id == self.unit})
            year = self.targets.year if self.targets.year in years else years[-1]
            if year != self.targets.year:
                notes.append(f"no {rid} score for {self.targets.year}; {year} scores used")
            return [c for c in mine if c.year == year], notes
        return [], [f"no score card of {self.unit} for {', '.join(rulesets)}"]

    def own(self, batch: Sequence[ScoreCard]) -> ScoreCard:
        return next(c for c in batch if c.unit.id == self.unit)

    def effort(self) -> Mapping[str, Decimal]:
        return self.targets.effort


def _unknown(target: Target, requirement: str, notes: list[str]) -> TargetResult:
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


def _value(t: ValueTarget, ctx: _Context) -> TargetResult:
    key, bound = t.comparator
    what = t.of if t.of in ("index", "total") else f"{t.of} {t.measure}"
    req = f"{what} {COMPARATORS[key]} {_num(bound)}"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return _unknown(t, req, notes)
    card = ctx.own(batch)
    node = None
    if t.of == "index":
        actual = card.index
    elif t.of == "total":
        actual = card.total
    else:
        node = next((n for n in card.nodes if n.code == t.of), None)
        if node is None:
            return _unknown(t, req, [*notes, f"node {t.of} is not scored in the card"])
        actual = node.percent if t.measure == "percent" else node.points
    if actual is None:
        return _unknown(t, req, [*notes, f"{what} is not known (no published maximum)"])
    met, margin = _compare(key, actual, bound)
    plan = None
    if not met and key in ("at_least", "above"):
        step = step_of(card)
        needed = bound if key == "at_least" else CONTEXT.add(bound, step)
        why = f"{what} must reach {_num(needed)}"
        if t.of == "index":
            target_total = points_for_index(card, needed)
            extra = None if target_total is None else target_total - card.total_exact
            plan = plan_points(
                card, needed, "index", extra, why, ctx.effort(), ceiling=Decimal(100)
            )
        elif t.of == "total":
            plan = plan_points(
                card,
                needed,
                "total",
                needed - card.total_exact,
                why,
                ctx.effort(),
                ceiling=card.maximum,
            )
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
            pts = CONTEXT.divide(CONTEXT.multiply(needed, node.maximum), Decimal(100))
            plan = plan_points(
                card,
                needed,
                f"{t.of} %",
                pts - (node.points or 0),
                why,
                ctx.effort(),
                within=node.code,
                ceiling=Decimal(100),
            )
    return TargetResult(
        id=t.id,
        kind=t.kind,
        title=t.title,
        requirement=req,
        actual=f"{what} {format(actual, 'f')}",
        met=met,
        margin=margin,
        margin_unit=what,
        plan=plan,
        clause=t.clause,
        notes=tuple(notes),
    )


def _bands(card: ScoreCard, ctx: _Context) -> tuple[GroupBand, ...] | None:
    rs = ruleset_of(card, ctx.rulesets, ctx.registry)
    return rs.groups if rs is not None else None


def _group(t: GroupTarget, ctx: _Context) -> TargetResult:
    req = f"group {t.at_least} or better"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return _unknown(t, req, notes)
    card = ctx.own(batch)
    bands = _bands(card, ctx)
    if bands is None:
        return _unknown(
            t,
            req,
            [
                *notes,
                f"the ruleset {card.ruleset} {card.version} that scored"
                " the card is not at hand (give it with --ruleset FILE)",
            ],
        )
    published = sorted((b for b in bands if b.published), key=lambda b: -b.min)
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
        return _unknown(t, req, [*notes, "the card has no index"])
    met = card.group in labels and labels.index(card.group) <= labels.index(t.at_least)
    margin = card.index - band.min
    plan = None
    if not met:
        needed = band.min if band.min_inclusive else CONTEXT.add(band.min, step_of(card))
        total = points_for_index(card, needed)
        plan = plan_points(
            card,
            needed,
            "index",
            None if total is None else total - card.total_exact,
            f"group {t.at_least} starts at index {_num(band.min)}",
            ctx.effort(),
        )
    return TargetResult(
        id=t.id,
        kind=t.kind,
        title=t.title,
        requirement=req,
        actual=f"group {card.group or '—'} (index {format(card.index, 'f')})",
        met=met,
        margin=margin,
        margin_unit="index",
        plan=plan,
        clause=t.clause,
        notes=tuple(notes),
    )


def _rank(t: RankTarget | RankRiseTarget, ctx: _Context) -> TargetResult:
    limit = t.at_most
    req = f"rank ≤ {limit}"
    if isinstance(t, RankRiseTarget):
        req += f" (up ≥ {t.by} from {t.previous.rank} in {t.previous.year})"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return _unknown(t, req, notes)
    if len(batch) < 2:
        return _unknown(
            t,
            req,
            [
                *notes,
                "a rank needs the other units' scores: give the whole"
                " batch (e.g. a CSV of all provinces)",
            ],
        )
    card = ctx.own(batch)
    rs = ruleset_of(card, ctx.rulesets, ctx.registry)
    ties = rs.ranking.ties if rs is not None else "competition"
    table = rank_cards(batch, ties)
    entry = next((e for e in table.entries if e.unit.id == ctx.unit), None)
    if entry is None or entry.key is None:
        return _unknown(t, req, [*notes, f"{ctx.unit} could not be ranked"])
    n = len(table.entries)
    if isinstance(t, RankRiseTarget) and t.previous.of is not None and t.previous.of != n:
        notes.append(f"last year's rank is out of {t.previous.of}; this batch has {n} units")
    met = entry.rank <= limit
    if isinstance(t, RankRiseTarget):
        margin = Decimal(t.previous.rank - entry.rank - t.by)
    else:
        margin = Decimal(limit - entry.rank)
    plan = None
    if not met:
        others = [e.key for e in table.entries if e.unit.id != ctx.unit and e.key is not None]
        step = quantum(card.receipt.rounding.places)
        needed, why = needed_for_rank(others, limit, ties, step)
        if needed is not None:
            if table.by == "index":
                total = points_for_index(card, needed)
                extra = None if total is None else total - card.total_exact
            else:
                extra = needed - card.total_exact
            plan = plan_points(
                card,
                needed,
                table.by,
                extra,
                f"{why}: {table.by} {_num(needed)}",
                ctx.effort(),
                ceiling=Decimal(100) if table.by == "index" else card.maximum,
            )
    return TargetResult(
        id=t.id,
        kind=t.kind,
        title=t.title,
        requirement=req,
        actual=f"rank {entry.rank} of {n} ({table.by} {format(entry.key, 'f')})",
        met=met,
        margin=margin,
        margin_unit="ranks",
        plan=plan,
        clause=t.clause,
        notes=tuple(notes),
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


def _grouping(t: BatchTargetBase, ctx: _Context) -> Grouping | None:
    return (ctx.registry or default_registry()).groupings.get(t.grouping)


def _no_grouping(t: BatchTargetBase) -> TargetResult:
    return _unknown(
        t, f"{t.kind} target", [f"no plugin registers the grouping {t.grouping!r} any more"]
    )


def _batch_group(t: BatchGroupTarget, ctx: _Context) -> TargetResult:
    grouping = _grouping(t, ctx)
    if grouping is None:
        return _no_grouping(t)
    rule = grouping.rule(t.rule)
    req = f"{grouping.noun} of {t.of} ≥ {grouping.words(t.at_least)}, rule {rule.name}"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return _unknown(t, req, notes)
    card = ctx.own(batch)
    values = _batch_values(batch, t.of)
    if ctx.unit not in values:
        return _unknown(t, req, [*notes, f"{t.of} is not scored for {ctx.unit}"])
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
                    explanation=f"not reachable even at the maximum {_num(upper)}",
                )
            else:
                plan = plan_points(
                    card,
                    needed,
                    t.of,
                    needed - value,
                    f"{t.of} must reach {_num(needed)} (the batch's cut points"
                    " recomputed with that value)",
                    ctx.effort(),
                    within=None if t.of == "total" else t.of,
                )
    return TargetResult(
        id=t.id,
        kind=t.kind,
        title=t.title,
        requirement=req,
        actual=f"{grouping.words(label)} ({t.of} {format(value, 'f')})",
        met=met,
        margin=margin,
        margin_unit=t.of,
        plan=plan,
        clause=t.clause,
        notes=tuple(notes),
    )


def _batch_dimensions(t: BatchDimensionsTarget, ctx: _Context) -> TargetResult:
    grouping = _grouping(t, ctx)
    if grouping is None:
        return _no_grouping(t)
    rule = grouping.rule(t.rule)
    req = f"no dimension in {grouping.words(t.none_in)}, rule {rule.name}"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return _unknown(t, req, notes)
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
    return TargetResult(
        id=t.id,
        kind=t.kind,
        title=t.title,
        requirement=req,
        actual=f"in {t.none_in}: {shown}",
        met=met,
        margin=Decimal(-len(bad)) if bad else Decimal(0),
        margin_unit="dimensions",
        plan=plan,
        clause=t.clause,
        notes=tuple(notes),
    )


def _measure(t: MeasureTarget, ctx: _Context) -> TargetResult:
    key, bound = t.comparator
    unit = f" {t.unit}" if t.unit else ""
    req = f"{t.name} {COMPARATORS[key]} {_num(bound)}{unit}"
    m = ctx.measures
    if m is None or t.name not in m.values:
        return _unknown(
            t, req, [f"no value for {t.name!r}: give it in a measures file (--measures FILE)"]
        )
    notes = []
    if m.measures_for.id != ctx.unit:
        notes.append(f"the measures are for {m.measures_for.id}, the targets for {ctx.unit}")
    if m.year != ctx.targets.year:
        notes.append(f"the measures are for {m.year}, the targets for {ctx.targets.year}")
    value = m.values[t.name]
    if value.note:
        notes.append(value.note)
    met, margin = _compare(key, value.value, bound)
    return TargetResult(
        id=t.id,
        kind=t.kind,
        title=t.title,
        requirement=req,
        actual=f"{t.name} {_num(value.value)}{unit}",
        met=met,
        margin=margin,
        margin_unit=t.unit or t.name,
        clause=t.clause,
        notes=tuple(notes),
    )


def evaluate(
    targets: Targets,
    cards: Sequence[ScoreCard],
    measures: Measures | None = None,
    rulesets: Sequence[Ruleset] = (),
    registry: Registry | None = None,
) -> TargetsReport:
    """Every target of ``targets`` against ``cards`` (one unit's, or whole batches)."""
    ctx = _Context(targets, cards, measures, rulesets, registry)
    results: list[TargetResult] = []
    for t in targets.targets:
        if isinstance(t, ValueTarget):
            results.append(_value(t, ctx))
        elif isinstance(t, GroupTarget):
            results.append(_group(t, ctx))
        elif isinstance(t, (RankTarget, RankRiseTarget)):
            results.append(_rank(t, ctx))
        elif isinstance(t, BatchGroupTarget):
            results.append(_batch_group(t, ctx))
        elif isinstance(t, BatchDimensionsTarget):
            results.append(_batch_dimensions(t, ctx))
        elif isinstance(t, MeasureTarget):
            results.append(_measure(t, ctx))
        else:  # a batch kind on neither base: batch_target_kinds lets none through
            raise AssertionError(f"unexpected target kind {t.kind!r}")
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
