"""What-if: the fewest extra points that reach a value, a rank or a group, and where to win them.

All arithmetic is exact (Decimal). A rank is reached when the unit's key (index, or total where no
index is known) reaches a value fixed by the other units' keys and the tie rule; a batch-relative
group (e.g. PAPI's) when the unit's value, put back into the batch, falls in that group (the cut
points move with it, so the value is found by bisection on the reported precision).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_CEILING, Decimal

from parindex.analysis.planning.tree import CardTree
from parindex.model.decimals import CONTEXT, HUNDRED, quantum
from parindex.model.documents import Dec, Frozen, Method, ScoreCard, Text, TieRule

CHEAPEST_RULE = (
    "lost points ordered by lost points ÷ effort, largest first (effort 1 unless the targets file"
    " sets one), taken until they cover the extra points: with no efforts given this is the"
    " fewest items; the sources give no cost per item"
)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def needed_for_rank(
    others: Sequence[Decimal], rank: int, ties: TieRule, step: Decimal
) -> tuple[Decimal | None, str]:
    """The lowest key that gives rank ≤ ``rank`` against ``others``, and how it was found.

    None when any key does (fewer than ``rank`` other units)."""
    ordered = sorted(others, reverse=True)
    if ties == "dense":
        distinct = sorted(set(others), reverse=True)
        if len(distinct) < rank:
            return None, f"fewer than {rank} distinct keys above: any value reaches it"
        return distinct[rank - 1], (
            f"dense ranking: reach the {ordinal(rank)} distinct key of the other"
            " units (ties share the rank)"
        )
    if len(ordered) < rank:
        return None, f"only {len(ordered)} other units: any value reaches rank {rank}"
    nth = ordered[rank - 1]
    if ties == "competition":
        return nth, (
            f'competition ranking ("1224"): reach the {ordinal(rank)} highest key of the other'
            " units; a tie shares the better rank"
        )
    why = (
        'modified ranking ("1334"): a tie takes the worse rank'
        if ties == "modified"
        else ("ordinal ranking: ties are broken by input order, so only a higher key is sure")
    )
    return CONTEXT.add(
        nth, step
    ), f"{why}; exceed the {ordinal(rank)} highest key of the other units"


def points_for_index(card: ScoreCard, index: Decimal) -> Decimal | None:
    """Exact total that gives ``index`` (index × applicable maximum ÷ 100)."""
    if card.maximum is None:
        return None
    return CONTEXT.divide(CONTEXT.multiply(index, card.maximum), HUNDRED)


def search_lowest(
    is_met: Callable[[Decimal], bool], low: Decimal, high: Decimal, step: Decimal
) -> Decimal | None:
    """The lowest multiple of ``step`` in (low, high] where ``is_met`` holds, by bisection
    (``is_met`` must be monotone); None when even ``high`` does not meet it."""
    if not is_met(high):
        return None
    lo = 0  # number of steps above low: lo never meets, hi always does
    hi = int(
        CONTEXT.divide(CONTEXT.subtract(high, low), step).to_integral_value(rounding=ROUND_CEILING)
    )
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if is_met(CONTEXT.add(low, CONTEXT.multiply(step, Decimal(mid)))):
            hi = mid
        else:
            lo = mid
    value = CONTEXT.add(low, CONTEXT.multiply(step, Decimal(hi)))
    return min(value, high)


class Recovery(Frozen):
    code: str
    title: Text
    method: Method
    lost: Dec
    effort: Dec
    take: Dec
    #: The lead agency (responsibility map, else the ruleset's ``lead_agency``), set once the
    #: plan is made: the official reads who wins the points back in the same row.
    lead: str | None = None


class Plan(Frozen):
    """The extra points needed and the lost points that would cover them."""

    needed: Dec | None
    needed_of: str
    extra_points: Dec | None
    possible: bool
    explanation: str
    recover: tuple[Recovery, ...] = ()
    rule: str = CHEAPEST_RULE


def effort_of(tree: CardTree, code: str, effort: Mapping[str, Decimal]) -> Decimal:
    for c in tree.ancestors(code):
        if c in effort:
            return effort[c]
    return Decimal(1)


def cheapest(
    card: ScoreCard,
    extra: Decimal,
    effort: Mapping[str, Decimal] | None = None,
    within: str | None = None,
) -> tuple[list[Recovery], bool]:
    """Lost points to win back to cover ``extra`` points, and whether they suffice."""
    tree = CardTree(card)
    parts, _ = tree.finest_partition()
    effort = effort or {}
    order = {n.code: i for i, n in enumerate(card.nodes)}
    cands = [
        (n, lost, effort_of(tree, n.code, effort))
        for n, lost in parts
        if lost > 0 and (within is None or within in tree.ancestors(n.code))
    ]
    cands.sort(key=lambda c: (-CONTEXT.divide(c[1], c[2]), order[c[0].code]))
    out: list[Recovery] = []
    left = extra
    for node, lost, eff in cands:
        if left <= 0:
            break
        take = min(lost, left)
        out.append(
            Recovery(
                code=node.code,
                title=node.title,
                method=node.method,
                lost=lost,
                effort=eff,
                take=take,
            )
        )
        left = CONTEXT.subtract(left, take)
    return out, left <= 0


def plan_points(
    card: ScoreCard,
    needed: Decimal,
    needed_of: str,
    extra: Decimal | None,
    explanation: str,
    effort: Mapping[str, Decimal] | None = None,
    within: str | None = None,
    ceiling: Decimal | None = None,
) -> Plan:
    if extra is None:
        return Plan(
            needed=needed,
            needed_of=needed_of,
            extra_points=None,
            possible=False,
            explanation=explanation + "; the maximum is not published, so the extra"
            " points cannot be computed",
        )
    if ceiling is not None and needed > ceiling:
        return Plan(
            needed=needed,
            needed_of=needed_of,
            extra_points=extra,
            possible=False,
            explanation=explanation + f"; above the maximum {ceiling}: not reachable",
        )
    rec, enough = cheapest(card, extra, effort, within)
    if not enough:
        explanation += "; the lost points listed are not enough (some maxima are not published)"
    return Plan(
        needed=needed,
        needed_of=needed_of,
        extra_points=extra,
        possible=enough,
        explanation=explanation,
        recover=tuple(rec),
    )


def step_of(card: ScoreCard) -> Decimal:
    return quantum(card.receipt.rounding.places)


__all__ = [
    "CHEAPEST_RULE",
    "Plan",
    "Recovery",
    "cheapest",
    "needed_for_rank",
    "ordinal",
    "plan_points",
    "points_for_index",
    "search_lowest",
    "step_of",
]
