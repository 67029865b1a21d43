"""Targets set against last year and the region, as the plans set them: "tăng 2 bậc", "tăng 3
điểm so với năm trước", "xếp thứ 6 trong vùng".

Last year is read from the scores given (the unit's latest card before the target year, same
ruleset id), or from the target's ``previous`` (a published value, cited). Points gained are the
index's change, places gained the rank's (a smaller rank is a gain), as ``parindex history``
writes them. A rank within a region needs every province of the region in the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from parindex.analysis.planning.card_targets import plan_for_rank, ranked
from parindex.analysis.planning.context import Context
from parindex.analysis.planning.results import TargetResult, num, result, unknown
from parindex.analysis.planning.targets import (
    PlacesGainedTarget,
    PointsGainedTarget,
    RegionRankTarget,
)
from parindex.analysis.regions import Region, Regions, load_regions
from parindex.model.decimals import CONTEXT
from parindex.model.documents import ScoreCard
from parindex.model.i18n import N_, add_names, add_templates

# The sentences of these targets, translated when shown (the catalogue has them in vi). Each
# starts unlike the core's rank and index sentences, so that none of those matches it first.
add_templates(
    N_("rank in region ≤ {limit}"),
    N_("region rank {rank} of {count}, {region} ({by} {key})"),
    N_("{count} of the {size} provinces of {region} are in the batch"),
    N_("ranked among the {size} provinces of {region} ({regions})"),
    N_("{unit} is in no region of {regions}"),
    N_("places gained ≥ {count}"),
    N_("rank {rank}, {before} in {year}: {gained} places"),
    N_("last year's rank: {rank} in {year} ({source})"),
    N_("index gained ≥ {value} points"),
    N_("index {index}, {before} in {year}, change {delta}"),
    N_("last year's index: {index} in {year} ({source})"),
    N_("index must reach {before} + {points} = {needed}"),
    N_("no {card} score card of {unit} before {year}"),
    N_("no {year} scores; {used} used"),
    N_("rising {count} places from rank {rank} is impossible"),
)

_NEEDS_BATCH = (
    "a rank needs the other units' scores: give the whole batch (e.g. a CSV of all provinces)"
)


def _region_of(regions: Regions, card: ScoreCard) -> Region | None:
    for name in (card.unit.name, card.unit.id):
        region = regions.region_of(name) if name else None
        if region is not None:
            return region
    return None


def region_rank_target(t: RegionRankTarget, ctx: Context) -> TargetResult:
    req = f"rank in region ≤ {t.at_most}"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return unknown(t, req, notes)
    card = ctx.own(batch)
    regions = load_regions(t.regions, ctx.registry)
    add_names("vi", {r.en: r.vi for r in regions.regions})  # the sentences name the region
    region = _region_of(regions, card)
    if region is None:
        return unknown(t, req, [*notes, f"{ctx.unit} is in no region of {regions.id}"])
    members = [c for c in batch if _region_of(regions, c) is region]
    size = len(region.provinces)
    if len(members) < size:
        return unknown(
            t,
            req,
            [*notes, f"{len(members)} of the {size} provinces of {region.en} are in the batch"],
        )
    table, ties = ranked(card, members, ctx)
    entry = next((e for e in table.entries if e.unit.id == ctx.unit), None)
    if entry is None or entry.key is None:
        return unknown(t, req, [*notes, f"{ctx.unit} could not be ranked"])
    met = entry.rank <= t.at_most
    plan = None if met else plan_for_rank(card, table, ties, t.at_most, ctx)
    notes.append(f"ranked among the {size} provinces of {region.en} ({regions.id})")
    key = format(entry.key, "f")
    actual = f"region rank {entry.rank} of {size}, {region.en} ({table.by} {key})"
    margin = Decimal(t.at_most - entry.rank)
    return result(t, req, actual, met, margin, "ranks", notes, plan)


def _rank_of(batch: Sequence[ScoreCard], ctx: Context) -> int | None:
    if len(batch) < 2:
        return None
    table, _ = ranked(ctx.own(batch), batch, ctx)
    entry = next((e for e in table.entries if e.unit.id == ctx.unit), None)
    return None if entry is None or entry.key is None else entry.rank


def places_gained_target(t: PlacesGainedTarget, ctx: Context) -> TargetResult:
    req = f"places gained ≥ {t.at_least}"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return unknown(t, req, notes)
    if len(batch) < 2:
        return unknown(t, req, [*notes, _NEEDS_BATCH])
    card = ctx.own(batch)
    before: int | None
    since: int | None
    if t.previous is not None:
        before, since = t.previous.rank, t.previous.year
        notes.append(f"last year's rank: {before} in {since} ({t.previous.source})")
    else:
        last, more = ctx.before(card)
        notes += more
        before, since = _rank_of(last, ctx), (last[0].year if last else None)
        if before is None:
            why = N_(
                "last year's rank: give last year's batch in --scores, or previous: in the target"
            )
            return unknown(t, req, [*notes, why])
    table, ties = ranked(card, batch, ctx)
    entry = next((e for e in table.entries if e.unit.id == ctx.unit), None)
    if entry is None or entry.key is None or before is None:
        return unknown(t, req, [*notes, f"{ctx.unit} could not be ranked"])
    gained = before - entry.rank
    met = gained >= t.at_least
    limit = before - t.at_least
    plan = None
    if not met and limit >= 1:
        plan = plan_for_rank(card, table, ties, limit, ctx)
    elif not met:
        notes.append(f"rising {t.at_least} places from rank {before} is impossible")
    actual = f"rank {entry.rank}, {before} in {since}: {gained:+d} places"
    return result(t, req, actual, met, Decimal(gained - t.at_least), "ranks", notes, plan)


def points_gained_target(t: PointsGainedTarget, ctx: Context) -> TargetResult:
    req = f"index gained ≥ {num(t.at_least)} points"
    batch, notes = ctx.batch(t.rulesets)
    if not batch:
        return unknown(t, req, notes)
    card = ctx.own(batch)
    before: Decimal | None
    since: int | None
    if t.previous is not None:
        before, since = t.previous.index, t.previous.year
        notes.append(f"last year's index: {before} in {since} ({t.previous.source})")
    else:
        last, more = ctx.before(card)
        notes += more
        before = ctx.own(last).index if last else None
        since = last[0].year if last else None
        if before is None:
            why = N_(
                "last year's index: give last year's card in --scores, or previous: in the target"
            )
            return unknown(t, req, [*notes, why])
    if card.index is None or before is None:
        return unknown(t, req, [*notes, "the card has no index"])
    gained = card.index - before
    met = gained >= t.at_least
    plan = None
    if not met:
        needed = CONTEXT.add(before, t.at_least)
        why = f"index must reach {num(before)} + {num(t.at_least)} = {num(needed)}"
        plan = ctx.plan_key(card, needed, "index", why)
    now, then = format(card.index, "f"), format(before, "f")
    actual = f"index {now}, {then} in {since}, change {gained:+f}"
    return result(t, req, actual, met, gained - t.at_least, "index", notes, plan)


__all__ = ["places_gained_target", "points_gained_target", "region_rank_target"]
