"""A score card's entries, made from the records of the tree walk when the card is first read.

Scoring needs only each node's points and maxima (and every check on them); the entries add what
a reader sees — the exact %, the trace's words (the input as written, the option or tier
matched, the arithmetic) — which cost more than the points. The walk records one small tuple
per node, in tree order; :func:`build_entries` turns the records into the same
:class:`~parindex.model.documents.NodeScore` objects the walk used to build directly (same
fields, order, defaults and fields set), so every output is unchanged."""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from parindex.model.decimals import _MODES, CONTEXT, HUNDRED, ZERO, RoundingMode, quantum
from parindex.model.documents import NodeScore, Trace
from parindex.model.rules import Outcome, Rule
from parindex.scoring.construct import _node_score, _trace
from parindex.scoring.failures import rule_failure

#: What a record says about its node's points: an input, a sum of children, a missing leaf, or
#: an input not applicable.
ENTRY, CHILDREN, MISSING, NOT_APPLICABLE = 0, 1, 2, 3

#: (tag, slot, points, applicable maximum, value, reason, evidence, rule, outcome), the slot
#: being the walk's ``_Slot`` (typed loosely here: the walk imports this module): for an
#: ENTRY ``rule`` is None when the points were given directly, and ``outcome`` None when the
#: rule's words are still to be worked out (its :meth:`Rule.evaluate`, called when read); a
#: NOT_APPLICABLE record keeps the policy in ``outcome``.
Record = tuple[int, Any, Decimal, Decimal | None, Any, str | None, Any, Rule | None, Any]

_ENTRY_LATER = ("points", "maximum", "percent", "trace")
_NA_LATER = ("points", "maximum", "percent", "not_applicable", "trace")


def build_entries(
    records: list[Record],
    places: int,
    mode: RoundingMode,
    self_points: Mapping[str, Decimal] | None = None,
) -> tuple[NodeScore, ...]:
    """The card's entries, in tree order; ``self_points`` (code → self-assessed points) adds
    the self-assessed points of the nodes where they differ from the final ones."""
    q, rounding = quantum(places), _MODES[mode]

    def percent(points: Decimal, maximum: Decimal | None) -> Decimal | None:
        if maximum is None or maximum == 0:
            return None
        # round_to(…, places, mode), its quantum and rounding constant looked up once
        return CONTEXT.multiply(CONTEXT.divide(points, maximum), HUNDRED).quantize(
            q, rounding=rounding, context=CONTEXT
        )

    out: list[NodeScore] = []
    with decimal.localcontext(CONTEXT):  # as when the card was scored
        for tag, slot, points, maximum, value, reason, evidence, rule, outcome in records:
            if tag == CHILDREN:
                n = slot.entry_score(
                    points=points,
                    maximum=maximum,
                    percent=percent(points, maximum),
                    trace=slot.children_trace(),
                )
            elif tag == MISSING:
                n = slot.entry_score(
                    points=ZERO,
                    maximum=maximum,
                    percent=percent(ZERO, maximum),
                    trace=slot.missing_trace(),
                )
            elif tag == ENTRY:
                make = slot.entry_score
                if evidence:
                    make = _node_score.prefilled({**slot.base, "evidence": evidence}, _ENTRY_LATER)
                n = make(
                    points=points,
                    maximum=maximum,
                    percent=percent(points, maximum),
                    trace=_entry_trace(slot, value, reason, rule, outcome),
                )
            else:
                make = slot.na_score
                if evidence:
                    make = _node_score.prefilled({**slot.base, "evidence": evidence}, _NA_LATER)
                trace = _trace(
                    how="not_applicable",
                    detail=f"did not arise; policy {outcome!r}",
                    source=str(slot.base["source"]),
                    reason=reason,
                )
                n = make(
                    points=points,
                    maximum=maximum,
                    percent=None,
                    not_applicable=True,
                    trace=trace,
                )
            if self_points is not None:
                mine = self_points.get(slot.code)
                if mine != points:
                    n = n.model_copy(update={"self_points": mine})
            out.append(n)
    return tuple(out)


def _entry_trace(
    slot: Any, value: Any, reason: str | None, rule: Rule | None, outcome: Outcome | None
) -> Trace:
    if rule is None:
        trace: Trace = slot.given_trace(input=value.describe(), reason=reason)
        return trace
    if outcome is None:
        try:
            outcome = rule.evaluate(value.raw(), slot.node.maximum)
        except Exception as exc:  # its evaluate_points accepted the input: a bug in the kind
            raise rule_failure(rule, exc, slot.code) from exc
    # the rule used is always the node's own: a leaf without one takes its points directly (the
    # default rule only ever refuses an input of another kind, before any entry is made)
    trace = slot.rule_trace(
        input=value.describe(), matched=outcome.matched, detail=outcome.detail, reason=reason
    )
    return trace


__all__ = ["CHILDREN", "ENTRY", "MISSING", "NOT_APPLICABLE", "Record", "build_entries"]
