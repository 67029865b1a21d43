"""The invariants a score card must satisfy, as plain functions that raise :class:`AssertionError`.

These functions need no hypothesis: they check one score card (or a pair, or a batch) and say in
the message exactly which node broke which rule. The expected values are computed here
independently of the engine: sums in an exact decimal context, the index with
:meth:`~decimal.Decimal.quantize` at a precision far beyond the engine's, and the group from the
bands read as intervals (not with the engine's ``classify``).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from parindex.model.documents import Assessment, NodeScore, Ruleset, ScoreCard, TieRule
from parindex.model.rules import Rule
from parindex.scoring.ranking import rank, ranks

#: Exact arithmetic for expected values: any inexact operation raises instead of rounding.
EXACT = decimal.Context(
    prec=400,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero],
)
#: Division for expected values: far more digits than the engine keeps, then one quantize.
_WIDE = decimal.Context(
    prec=200,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero],
)
#: The rounding modes a ruleset may state, spelled out here rather than taken from the engine.
ROUNDING_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of ``values`` (raises if it cannot be represented exactly)."""
    total = ZERO
    for v in values:
        total = EXACT.add(total, v)
    return total


def rounded(value: Decimal, places: int, mode: str) -> Decimal:
    """``value`` quantized to ``places`` decimals with the named rounding mode."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING_MODES[mode], context=_WIDE)


def expected_ratio(points: Decimal, maximum: Decimal, places: int, mode: str) -> Decimal:
    """points ÷ maximum × 100, rounded once to ``places`` with ``mode``."""
    return rounded(_WIDE.divide(_WIDE.multiply(points, HUNDRED), maximum), places, mode)


def _fail(card: ScoreCard, message: str) -> AssertionError:
    return AssertionError(f"{card.ruleset} {card.version} / {card.unit.id}: {message}")


def _children(card: ScoreCard) -> dict[str | None, list[NodeScore]]:
    out: dict[str | None, list[NodeScore]] = {}
    for n in card.nodes:
        out.setdefault(n.parent, []).append(n)
    return out


def _points(card: ScoreCard, n: NodeScore) -> Decimal:
    if n.points is None:
        raise _fail(card, f"node {n.code} has no points")
    return n.points


# ---------------------------------------------------------------------- single cards
def check_bounds(card: ScoreCard) -> None:
    """0 ≤ points ≤ maximum at every node (the applicable and the stated maximum), and for the
    total."""
    for n in card.nodes:
        p = _points(card, n)
        if p < 0:
            raise _fail(card, f"node {n.code} has negative points {p}")
        if n.maximum is not None and p > n.maximum:
            raise _fail(
                card, f"node {n.code} has {p} points, above its applicable maximum {n.maximum}"
            )
        if n.stated_maximum is not None and p > n.stated_maximum:
            raise _fail(
                card, f"node {n.code} has {p} points, above its stated maximum {n.stated_maximum}"
            )
        if n.maximum is not None and n.maximum < 0:
            raise _fail(card, f"node {n.code} has a negative applicable maximum {n.maximum}")
        if n.maximum is not None and n.stated_maximum is not None and n.maximum > n.stated_maximum:
            raise _fail(
                card,
                f"node {n.code}: applicable maximum {n.maximum} is above the"
                f" stated maximum {n.stated_maximum}",
            )
        if n.percent is not None and not ZERO <= n.percent <= HUNDRED:
            raise _fail(card, f"node {n.code} has a percentage {n.percent} outside 0–100")
    if card.total_exact < 0:
        raise _fail(card, f"negative total {card.total_exact}")
    if card.maximum is not None and card.total_exact > card.maximum:
        raise _fail(card, f"total {card.total_exact} is above the maximum {card.maximum}")
    if card.index is not None and not ZERO <= card.index <= HUNDRED:
        raise _fail(card, f"index {card.index} is outside 0–100")


def check_additivity(ruleset: Ruleset, card: ScoreCard) -> None:
    """A parent scored from its children has exactly their sum of points; the total is exactly
    the sum of the top-level nodes; every child of such a parent is on the card."""
    kids = _children(card)
    for n in card.nodes:
        if n.trace.how != "children":
            if n.code in kids:
                raise _fail(
                    card,
                    f"node {n.code} was scored as {n.trace.how!r}, yet its"
                    " children are on the card too",
                )
            continue
        found = ruleset.find(n.code)
        expected_codes = [c.code for c in found[1].children] if found else []
        got = kids.get(n.code, [])
        if [c.code for c in got] != expected_codes:
            raise _fail(
                card,
                f"node {n.code}: children on the card {[c.code for c in got]}"
                f" are not its children in the ruleset {expected_codes}",
            )
        total = exact_sum(_points(card, c) for c in got)
        if _points(card, n) != total:
            raise _fail(
                card,
                f"node {n.code} has {n.points} points, but its children add up to"
                f" {total} (" + " + ".join(f"{c.code}={c.points}" for c in got) + ")",
            )
    tops = kids.get(None, [])
    expected_tops = [t.code for t in ruleset.view_nodes(card.view)]
    if [t.code for t in tops] != expected_tops:
        raise _fail(
            card, f"top-level nodes {[t.code for t in tops]} are not the view's {expected_tops}"
        )
    total = exact_sum(_points(card, t) for t in tops)
    if card.total_exact != total:
        raise _fail(
            card, f"total_exact {card.total_exact} is not the sum of the top-level nodes {total}"
        )


def check_maxima(ruleset: Ruleset, card: ScoreCard) -> None:
    """Where nothing below a node is not applicable, its applicable maximum is its stated maximum,
    or (when none is stated) the sum of its children's; likewise for the total."""
    kids = _children(card)
    na_below: dict[str, bool] = {}

    def has_na(n: NodeScore) -> bool:
        if n.code not in na_below:
            na_below[n.code] = n.not_applicable or any(has_na(c) for c in kids.get(n.code, []))
        return na_below[n.code]

    for n in card.nodes:
        if has_na(n):
            continue
        if n.stated_maximum is not None or n.trace.how != "children":
            expected = n.stated_maximum
        else:
            parts = [c.maximum for c in kids.get(n.code, [])]
            expected = (
                exact_sum(p for p in parts if p is not None)
                if all(p is not None for p in parts)
                else None
            )
        if n.maximum != expected:
            raise _fail(
                card,
                f"node {n.code}: applicable maximum {n.maximum}, expected"
                f" {expected} (nothing below it is not applicable)",
            )
    tops = kids.get(None, [])
    if any(has_na(t) for t in tops):
        return
    if ruleset.maximum is not None:
        expected_total: Decimal | None = ruleset.maximum
    else:
        parts = [t.maximum for t in tops]
        expected_total = (
            exact_sum(p for p in parts if p is not None)
            if all(p is not None for p in parts)
            else None
        )
    if card.maximum != expected_total:
        raise _fail(card, f"maximum {card.maximum}, expected {expected_total}")


def check_rounding(ruleset: Ruleset, card: ScoreCard) -> None:
    """total = total_exact rounded; index = total_exact ÷ applicable maximum × 100 rounded once
    (places and mode as the ruleset states); node percentages likewise."""
    places, mode = ruleset.rounding.places, ruleset.rounding.mode
    if card.receipt.rounding != ruleset.rounding:
        raise _fail(card, f"receipt states {card.receipt.rounding}, ruleset {ruleset.rounding}")
    total = rounded(card.total_exact, places, mode)
    if card.total != total:
        raise _fail(
            card,
            f"total {card.total} is not total_exact {card.total_exact} rounded to"
            f" {places} places ({mode}): {total}",
        )
    if card.maximum is None or card.maximum == 0:
        if card.index is not None:
            raise _fail(card, f"index {card.index} given without a (non-zero) maximum")
    else:
        index = expected_ratio(card.total_exact, card.maximum, places, mode)
        if card.index != index:
            raise _fail(
                card,
                f"index {card.index}, expected {card.total_exact} ÷ {card.maximum}"
                f" × 100 rounded to {places} places ({mode}) = {index}",
            )
    for n in card.nodes:
        if n.not_applicable or n.maximum is None or n.maximum == 0:
            if n.percent is not None:
                raise _fail(
                    card,
                    f"node {n.code} has a percentage {n.percent} without a"
                    " (non-zero) applicable maximum",
                )
            continue
        pct = expected_ratio(_points(card, n), n.maximum, places, mode)
        if n.percent != pct:
            raise _fail(card, f"node {n.code}: percentage {n.percent}, expected {pct}")


def containing_bands(ruleset: Ruleset, index: Decimal) -> list[int]:
    """Positions (in ``ruleset.groups``) of the bands whose interval contains ``index``.

    Each band is read as the interval from its ``min`` (closed unless ``min_inclusive`` is false)
    up to the next higher band's ``min`` (open when that band includes its ``min``, closed when it
    does not); the highest band has no upper end.
    """
    bands = list(enumerate(ruleset.groups))
    bands.sort(key=lambda ib: ib[1].min)
    out: list[int] = []
    for pos, (i, band) in enumerate(bands):
        above_low = index > band.min or (index == band.min and band.min_inclusive)
        if pos + 1 < len(bands):
            nxt = bands[pos + 1][1]
            below_high = index < nxt.min or (index == nxt.min and not nxt.min_inclusive)
        else:
            below_high = True
        if above_low and below_high:
            out.append(i)
    return out


def check_group(ruleset: Ruleset, card: ScoreCard) -> None:
    """The group is the label of the one band that contains the (rounded) index, or none when that
    band is unpublished, when there is no index or when the ruleset has no bands."""
    if card.index is None or not ruleset.groups:
        if card.group is not None:
            raise _fail(card, f"group {card.group!r} without an index or group bands")
        return
    found = containing_bands(ruleset, card.index)
    if len(found) != 1:
        raise _fail(card, f"index {card.index} lies in {len(found)} bands: {found}")
    band = ruleset.groups[found[0]]
    expected = band.label if band.published else None
    if card.group != expected:
        raise _fail(
            card,
            f"index {card.index} lies in band {band.label!r} (from {band.min}),"
            f" so the group is {expected!r}, not {card.group!r}",
        )


def check_json_round_trip(card: ScoreCard) -> None:
    """``ScoreCard.from_json(card.to_json())`` equals the card and serialises identically."""
    text = card.to_json()
    back = ScoreCard.from_json(text)
    if back != card:
        diff = [k for k in ScoreCard.model_fields if getattr(back, k) != getattr(card, k)]
        raise _fail(card, f"JSON round trip changed the card (fields {diff})")
    if back.to_json() != text:
        raise _fail(card, "JSON round trip changed the JSON text")
    if back.model_dump(mode="json") != card.model_dump(mode="json"):
        raise _fail(card, "JSON round trip changed the dumped data")


def check_card(ruleset: Ruleset, card: ScoreCard) -> None:
    """Every single-card invariant: bounds, additivity, maxima, rounding, group, JSON round trip."""
    check_bounds(card)
    check_additivity(ruleset, card)
    check_maxima(ruleset, card)
    check_rounding(ruleset, card)
    check_group(ruleset, card)
    check_json_round_trip(card)


# ---------------------------------------------------------------------- pairs
def _ancestors(card: ScoreCard, code: str) -> list[str]:
    parent = {n.code: n.parent for n in card.nodes}
    out: list[str] = []
    cur = parent.get(code)
    while cur is not None:
        out.append(cur)
        cur = parent.get(cur)
    return out


def check_monotone(lower: ScoreCard, higher: ScoreCard, code: str, increasing: bool) -> None:
    """``higher`` differs from ``lower`` only by a larger input at node ``code``. When the rule is
    increasing (a better measure, more points given) no node's points and neither total nor index
    go down; when it is decreasing (more violations) none goes up. Other nodes do not move."""
    path = {code, *_ancestors(lower, code)}
    before = {n.code: n for n in lower.nodes}
    after = {n.code: n for n in higher.nodes}
    if set(before) != set(after):
        raise _fail(higher, "changing one input changed which nodes are on the card")
    word = "raised" if increasing else "lowered"
    for c, a in before.items():
        b = after[c]
        pa, pb = _points(lower, a), _points(higher, b)
        if c not in path:
            if a != b:
                raise _fail(higher, f"changing the input of {code} changed node {c}")
            continue
        if (pb < pa) if increasing else (pb > pa):
            kind = "increasing" if increasing else "decreasing"
            wrong = "lowered" if increasing else "raised"
            raise _fail(
                higher,
                f"a larger input at {code} ({kind} rule) {wrong} node {c}"
                f" from {pa} to {pb}; it may only have {word} it",
            )
        if a.maximum != b.maximum:
            raise _fail(higher, f"changing the input of {code} changed the maximum of {c}")
    pairs = [
        ("total_exact", lower.total_exact, higher.total_exact),
        ("total", lower.total, higher.total),
    ]
    if lower.index is not None and higher.index is not None:
        pairs.append(("index", lower.index, higher.index))
    for what, x, y in pairs:
        if (y < x) if increasing else (y > x):
            raise _fail(higher, f"a larger input at {code} moved the {what} from {x} to {y}")


def check_not_applicable(ruleset: Ruleset, before: ScoreCard, after: ScoreCard, code: str) -> None:
    """``after`` is ``before`` with node ``code`` marked not applicable (its inputs below removed).

    The node follows its policy (exclude: 0 of 0; full: its maximum of its maximum; zero: 0 of its
    maximum); its descendants leave the card; each ancestor's maximum and points (and the card's
    maximum and total) move by exactly the node's change — so excluding an item lowers the maximum
    by exactly its maximum — and no other node changes at all."""
    found = ruleset.find(code)
    if found is None:
        raise _fail(after, f"unknown code {code}")
    node = found[1]
    policy = ruleset.na_policy(node)
    b = {n.code: n for n in before.nodes}
    a = {n.code: n for n in after.nodes}
    nb, na_ = b[code], a[code]
    if not na_.not_applicable:
        raise _fail(after, f"node {code} is not marked not applicable")
    stated = node.maximum
    want_points, want_max = {
        "exclude": (ZERO, ZERO),
        "full": (stated, stated),
        "zero": (ZERO, stated),
    }[policy]
    if na_.points != want_points or na_.maximum != want_max:
        raise _fail(
            after,
            f"not-applicable node {code} (policy {policy!r}) has"
            f" {na_.points} of {na_.maximum}, expected {want_points} of {want_max}",
        )
    descendants = {c for c in b if code in _ancestors(before, c)}
    nothing_excluded_below = not any(b[c].not_applicable for c in descendants)
    if (
        policy == "exclude"
        and stated is not None
        and nothing_excluded_below
        and nb.maximum != stated
    ):
        # so that excluding the item lowers the maximum by exactly its (stated) maximum
        raise _fail(before, f"node {code} had applicable maximum {nb.maximum}, stated {stated}")
    left = descendants & set(a)
    if left:
        raise _fail(after, f"descendants {sorted(left)} of not-applicable {code} are still scored")
    ancestors = set(_ancestors(before, code))
    if set(a) != set(b) - descendants:
        raise _fail(after, "marking a node not applicable changed which other nodes are scored")
    d_points = EXACT.subtract(_points(after, na_), _points(before, nb))
    d_max = (
        EXACT.subtract(na_.maximum, nb.maximum)
        if na_.maximum is not None and nb.maximum is not None
        else None
    )
    for c, n_after in a.items():
        if c == code:
            continue
        n_before = b[c]
        if c not in ancestors:
            if n_after != n_before:
                raise _fail(after, f"marking {code} not applicable changed unrelated node {c}")
            continue
        p_b, p_a = _points(before, n_before), _points(after, n_after)
        if EXACT.subtract(p_a, p_b) != d_points:
            raise _fail(
                after,
                f"ancestor {c} of not-applicable {code} went from {p_b} to {p_a}"
                f" points; the node itself moved by {d_points}",
            )
        _check_max_move(
            after, f"ancestor {c}", n_before.maximum, n_after.maximum, d_max, policy, stated
        )
    moved = EXACT.subtract(after.total_exact, before.total_exact)
    if moved != d_points:
        raise _fail(after, f"total moved by {moved}, the not-applicable node {code} by {d_points}")
    _check_max_move(
        after, "the ruleset total", before.maximum, after.maximum, d_max, policy, stated
    )


def _check_max_move(
    card: ScoreCard,
    what: str,
    before: Decimal | None,
    after: Decimal | None,
    d_max: Decimal | None,
    policy: str,
    stated: Decimal | None,
) -> None:
    if d_max is None or (policy == "exclude" and stated is None):
        # the item's maximum (before or after) is not known, nor is how much the maxima above
        # it move
        return
    if before is None:
        if after is not None:
            raise _fail(
                card,
                f"{what}: maximum became {after} from unknown, though the item's"
                f" maximum only moved by {d_max}",
            )
        return
    if after is None:
        raise _fail(card, f"{what}: maximum {before} became unknown")
    if EXACT.subtract(after, before) != d_max:
        raise _fail(
            card,
            f"{what}: maximum went from {before} to {after}; the not-applicable"
            f" node's maximum moved by {d_max}",
        )


# ---------------------------------------------------------------------- batches and re-runs
def _key(cards: Sequence[ScoreCard]) -> Callable[[ScoreCard], Decimal]:
    if all(c.index is not None for c in cards):
        return lambda c: c.index if c.index is not None else ZERO
    return lambda c: c.total


def check_ranking(cards: Sequence[ScoreCard], ties: TieRule) -> None:
    """Rank order agrees with index order (total order when some index is unknown): a higher key
    never ranks below a lower one, equal keys share a rank (except ``ordinal``, which numbers them
    1…n in the order given), and each rank is the one the tie rule defines."""
    table = rank(cards, ties)
    key = _key(cards)
    by_id = {c.unit.id: c for c in cards}
    got = {e.unit.id: e.rank for e in table.entries}
    if set(got) != set(by_id) or table.unranked:
        raise AssertionError(
            f"ranked {sorted(got)}, unranked {table.unranked}; expected {sorted(by_id)}"
        )
    keys = {u: key(c) for u, c in by_id.items()}
    for u, k in keys.items():
        better = [v for v in keys.values() if v > k]
        same = [v for v in keys.values() if v == k]
        expected = {
            "competition": 1 + len(better),
            "dense": 1 + len(set(better)),
            "modified": len(better) + len(same),
        }.get(ties)
        if expected is not None and got[u] != expected:
            raise AssertionError(f"{ties}: {u} (key {k}) ranked {got[u]}, expected {expected}")
        for v, kv in keys.items():
            if k > kv and not got[u] < got[v]:
                raise AssertionError(
                    f"{ties}: {u} (key {k}) ranked {got[u]}, not above"
                    f" {v} (key {kv}) ranked {got[v]}"
                )
            if ties != "ordinal" and k == kv and got[u] != got[v]:
                raise AssertionError(
                    f"{ties}: {u} and {v} tie at {k} but rank {got[u]} and {got[v]}"
                )
    if ties == "ordinal":
        if sorted(got.values()) != list(range(1, len(cards) + 1)):
            raise AssertionError(f"ordinal ranks {sorted(got.values())} are not 1…{len(cards)}")
        in_order = [c.unit.id for c in cards]
        for u in got:
            for v in got:
                if keys[u] == keys[v] and in_order.index(u) < in_order.index(v) and got[u] > got[v]:
                    raise AssertionError(f"ordinal: tied {u} and {v} lost the order given")
    for e in table.entries:
        tied = sum(1 for k in keys.values() if k == keys[e.unit.id]) > 1
        if e.tied != tied:
            raise AssertionError(f"{e.unit.id}: tied flag {e.tied}, expected {tied}")
    plain = ranks([keys[c.unit.id] for c in cards], ties)
    if plain != [got[c.unit.id] for c in cards]:
        raise AssertionError(
            f"ranks() gives {plain}, rank() gives {[got[c.unit.id] for c in cards]}"
        )


Scorer = Callable[[Ruleset, Assessment], ScoreCard]


def check_deterministic(ruleset: Ruleset, assessment: Assessment, score: Scorer) -> None:
    """Scoring again — the same objects, then deep copies of the ruleset and the assessment — gives
    an identical card, byte for byte. (The trace quotes each input as written, so an assessment
    whose numbers are rewritten, e.g. ``25.000`` as ``25``, may give a different trace text.)"""
    first = score(ruleset, assessment)
    text = first.to_json()
    again = score(ruleset, assessment)
    if again.to_json() != text:
        raise _fail(first, "scoring the same assessment twice gave different cards")
    third = score(ruleset.model_copy(deep=True), assessment.model_copy(deep=True))
    if third.to_json() != text:
        raise _fail(first, "scoring copies of the ruleset and assessment gave a different card")


def check_context_independent(ruleset: Ruleset, assessment: Assessment, score: Scorer) -> None:
    """The card does not depend on the caller's decimal context (precision or rounding)."""
    first = score(ruleset, assessment)
    for ctx in (
        decimal.Context(prec=6, rounding=decimal.ROUND_FLOOR),
        decimal.Context(prec=60, rounding=decimal.ROUND_UP),
    ):
        with decimal.localcontext(ctx):
            other = score(ruleset, assessment)
        if other.to_json() != first.to_json():
            diff = [n.code for n, m in zip(first.nodes, other.nodes, strict=False) if n != m]
            raise _fail(
                first,
                f"scoring under decimal context prec={ctx.prec},"
                f" rounding={ctx.rounding} changed the card (nodes {diff},"
                f" total {first.total_exact} → {other.total_exact})",
            )


def engine_scorer(default_rule: type[Rule] | None) -> Scorer:
    """A scorer calling :func:`parindex.scoring.engine.score` with the given default rule kind."""
    from parindex.scoring import engine

    def _score(ruleset: Ruleset, assessment: Assessment) -> ScoreCard:
        return engine.score(ruleset, assessment, default_rule)

    return _score


__all__ = [
    "EXACT",
    "ROUNDING_MODES",
    "Scorer",
    "check_additivity",
    "check_bounds",
    "check_card",
    "check_context_independent",
    "check_deterministic",
    "check_group",
    "check_json_round_trip",
    "check_maxima",
    "check_monotone",
    "check_not_applicable",
    "check_ranking",
    "check_rounding",
    "containing_bands",
    "engine_scorer",
    "exact_sum",
    "expected_ratio",
    "rounded",
]
