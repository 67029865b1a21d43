"""Recomputing one published row: the view, the most detailed parts, the total and the nodes.

* The ruleset version covering the year is found, and the view is chosen from the codes present.
* Points are taken from the most detailed level given (a node's children when all of them can be
  computed, else the node's own published points) and scored by the reference engine.
* Every published number is checked against its own bounds (:mod:`.conflicts`): a breach of a
  bound that is not ``confirmed`` is a source conflict and never stops the row from being computed.
* A row whose parts cannot all be computed falls back to what can be checked: every given node
  against its bounds, every published intermediate node whose children are all given against
  their sum, and — from the published total — the rank, the group and the order.
"""

from __future__ import annotations

from decimal import Decimal

from parindex.analysis.reproduce.conflicts import (
    Breaches,
    check_computed,
    check_given,
    check_total,
    lift_bounds,
    total_maximum,
)
from parindex.analysis.reproduce.published import TOTAL, PublishedRow
from parindex.analysis.reproduce.tolerance import allowed_gap, half_unit
from parindex.analysis.reproduce.verdict import NodeCheck, RowResult
from parindex.io.registry import Registry
from parindex.model.decimals import CONTEXT, HUNDRED, exact_sum, round_to
from parindex.model.documents import Assessment, Node, Ruleset
from parindex.model.errors import ParindexError
from parindex.scoring import engine

RulesetCache = dict[tuple[str, int], Ruleset | ParindexError]


def check_row(row: PublishedRow, registry: Registry, cache: RulesetCache) -> RowResult:
    """Everything about ``row`` that does not depend on the other rows of its batch."""
    result = RowResult(row)
    key = (row.ruleset, row.year)
    if key not in cache:
        try:
            cache[key] = registry.get(row.ruleset, row.year)
        except ParindexError as err:
            cache[key] = err
    ruleset = cache[key]
    if isinstance(ruleset, ParindexError):
        return skip(
            result, f"no {row.ruleset} ruleset for the year", f"no ruleset: {ruleset.message}"
        )
    result.version = ruleset.version
    if not row.values and row.total is None:
        what = "no total and no node points published"
        return skip(
            result, "no total and no node points", what + (f" ({row.note})" if row.note else "")
        )
    view, problem = choose_view(ruleset, row)
    if view is None:
        return skip(result, "codes do not fit the ruleset", problem or "")
    result.view = view
    result.status = "checked"  # settled once the batch checks are done
    tops = ruleset.view_nodes(view)
    breaches = Breaches()
    for top in tops:
        for node in top.walk():
            if node.code in row.values:
                check_given(
                    ruleset, node, row.values[node.code], row.texts.get(node.code), breaches
                )
    inputs: dict[str, Decimal] = {}
    missing: list[str] = []
    used = sum(pick(top, row.values, inputs, missing) for top in tops) if row.values else 0
    if not row.values or missing:
        if not missing:
            why = "total only: nothing to recompute"
        else:
            shown = ", ".join(missing[:6]) + (
                f" and {len(missing) - 6} more" if len(missing) > 6 else ""
            )
            why = (
                f"not recomputed: no points for {shown} (nor for their parents); checked what"
                " can be checked"
            )
        return _fall_back(result, ruleset, tops, breaches, why)
    points = _sums(tops, inputs)
    for top in tops:
        for node in top.walk():
            # a node under one taken whole has no points of its own (not in ``points``)
            if node.code in points and node.code not in inputs and node.children:
                check_computed(ruleset, node, points[node.code], breaches)
    maximum = total_maximum(ruleset, tops)
    check_total(ruleset, exact_sum(points[t.code] for t in tops), maximum, breaches)
    result.conflicts = list(breaches.conflicts)
    scored = lift_bounds(ruleset, view, breaches) if breaches.any_lifted else ruleset
    assessment = Assessment.model_validate(
        {
            "ruleset": row.ruleset,
            "year": row.year,
            "unit": {"id": row.unit, "name": row.unit_name or row.unit},
            "view": None if view == "main" else view,
            "inputs": {code: {"points": value} for code, value in inputs.items()},
        }
    )
    try:
        card = engine.score(scored, assessment, registry.default_rule())
    except ParindexError as err:  # a bound not foreseen above: still check what can be
        where = f"[{err.code}] " if err.code else ""
        why = f"not recomputed: the engine refused the points: {where}{err.message}"
        return _fall_back(result, ruleset, tops, breaches, why)
    if breaches.any_lifted:  # said once the engine has computed past them
        result.notes.append(
            "computed past the breached bounds (see conflicts); "
            + (
                "no index: the total is above the total maximum"
                if breaches.lift_total_maximum
                else "the index uses the original total maximum"
            )
        )
    result.card = card
    result.recomputed = True
    result.inputs = inputs
    result.components = used
    result.computed_total = card.total_exact
    result.computed_index = card.index if not breaches.lift_total_maximum else None
    quanta = [row.quantum(c) for c in inputs]
    result.tolerance = allowed_gap(quanta, row.quantum(TOTAL)) if row.total is not None else None
    # ranked by the index the original ruleset gives (even above 100, past a lifted maximum)
    index = index_of(ruleset, tops, card.total_exact)
    result.rank_key = index if index is not None else card.total_exact
    result.batch_value = card.total_exact
    if row.total is not None:
        result.order_value, result.order_half = row.total, half_unit(row.quantum(TOTAL))
    else:
        result.order_value, result.order_half = card.total_exact, allowed_gap(quanta, None)
    _node_checks(result, tops, inputs, points)
    return result


def _fall_back(
    result: RowResult,
    ruleset: Ruleset,
    tops: tuple[Node, ...],
    breaches: Breaches,
    why: str,
) -> RowResult:
    """Nothing can be recomputed (``why``): check what the row's own numbers allow."""
    row = result.row
    result.notes.append(why)
    # published intermediate nodes whose children are all given can still be compared
    for top in tops:
        for node in top.walk():
            if node.children and node.code in row.values:
                sub: dict[str, Decimal] = {}
                lacking: list[str] = []
                for child in node.children:
                    pick(child, row.values, sub, lacking)
                if not lacking:
                    points = _sums((node,), sub)
                    check_computed(ruleset, node, points[node.code], breaches)
                    _node_checks(result, (node,), sub, points)
    result.conflicts = list(breaches.conflicts)
    if row.total is None:  # then the row has values: check_row skips a row with neither
        result.notes.append("no published total: rank, group and order not checked")
    else:
        index = index_of(ruleset, tops, row.total)
        result.computed_index = index
        result.rank_key = index if index is not None else row.total
        result.batch_value = row.total
        result.order_value, result.order_half = row.total, half_unit(row.quantum(TOTAL))
    checked_nodes = len(result.node_checks) + sum(
        1
        for top in tops
        for n in top.walk()
        if n.code in row.values and (n.maximum is not None or n.rule is not None)
    )
    if row.total is None and not checked_nodes:
        return skip(result, "incomplete row", "incomplete and no total: no bound or sum to check")
    return result


def _sums(tops: tuple[Node, ...], inputs: dict[str, Decimal]) -> dict[str, Decimal]:
    """Every node's points: its input, else the sum of its children (inputs cover the tree)."""
    points: dict[str, Decimal] = {}

    def visit(node: Node) -> Decimal:
        if node.code in inputs:
            value = inputs[node.code]
        else:
            value = exact_sum(visit(c) for c in node.children)
        points[node.code] = value
        return value

    for top in tops:
        visit(top)
    return points


def _node_checks(
    result: RowResult,
    tops: tuple[Node, ...],
    inputs: dict[str, Decimal],
    points: dict[str, Decimal],
) -> None:
    """Published intermediate nodes recomputed from the parts under them."""
    row = result.row
    for top in tops:
        for node in top.walk():
            if node.code in row.values and node.code not in inputs and node.children:
                computed = points.get(node.code)
                if computed is None:
                    continue
                under = inputs_under(node, inputs)
                gap = allowed_gap((row.quantum(c) for c in under), row.quantum(node.code))
                result.node_checks.append(
                    NodeCheck(
                        node.code,
                        row.values[node.code],
                        computed,
                        CONTEXT.subtract(computed, row.values[node.code]),
                        gap,
                        tuple(under),
                    )
                )


def inputs_under(node: Node, inputs: dict[str, Decimal]) -> list[str]:
    """The codes of the inputs at or below ``node``."""
    if node.code in inputs:
        return [node.code]
    return [c for child in node.children for c in inputs_under(child, inputs)]


def index_of(ruleset: Ruleset, tops: tuple[Node, ...], total: Decimal) -> Decimal | None:
    """The index of a total: total ÷ the total maximum × 100, with the ruleset's rounding."""
    maximum = total_maximum(ruleset, tops)
    if maximum is None or maximum == 0:
        return None
    value = CONTEXT.multiply(CONTEXT.divide(total, maximum), HUNDRED)
    return round_to(value, ruleset.rounding.places, ruleset.rounding.mode)


def choose_view(ruleset: Ruleset, row: PublishedRow) -> tuple[str | None, str | None]:
    """(view, problem): the one view holding every code of the row."""
    if row.view is not None:
        if row.view not in ruleset.view_names:
            return None, (
                f"view {row.view!r} not in {ruleset.id} {ruleset.version}"
                f" (views: {', '.join(ruleset.view_names)})"
            )
        views = {row.view}
    else:
        views = set()
    unknown = []
    for code in row.values:
        found = ruleset.find(code)
        if found is None:
            unknown.append(code)
        else:
            views.add(found[0])
    if unknown:
        verb = "is not a node" if len(unknown) == 1 else "are not nodes"
        return None, f"{', '.join(unknown)} {verb} of {ruleset.id} {ruleset.version}"
    if len(views) > 1:
        return None, (f"codes of several views ({', '.join(sorted(views))}); give one view per row")
    return (views.pop() if views else "main"), None


def pick(
    node: Node, values: dict[str, Decimal], inputs: dict[str, Decimal], missing: list[str]
) -> int:
    """Collect the most detailed inputs under ``node``; return how many components were used."""
    if node.children:
        sub_inputs: dict[str, Decimal] = {}
        sub_missing: list[str] = []
        used = sum(pick(c, values, sub_inputs, sub_missing) for c in node.children)
        if not sub_missing:
            inputs.update(sub_inputs)
            return used
        if node.code in values:
            inputs[node.code] = values[node.code]
            return 1
        missing.extend(sub_missing)
        return 0
    if node.code in values:
        inputs[node.code] = values[node.code]
        return 1
    missing.append(node.code)
    return 0


def skip(result: RowResult, category: str, reason: str) -> RowResult:
    result.status = "skipped"
    result.category = category
    result.reason = reason
    return result
