"""Source conflicts: published numbers outside a bound of the rules, and what that bound rests on.

A published number may break a bound of the ruleset: a rule's range (a sub-dimension outside
[1/K, 10/K]), a node's maximum or minimum, the maximum of the total. The bound is only as good as
its status. A bound that is ``derived`` (computed from published data) or ``unverified`` cannot
overrule a number a source publishes, so the row is still computed and the breach is reported as a
**source conflict**: the node, the value, the bound, the bound's status and its source. Only a
``confirmed`` bound *rejects* the number, which makes the row disagree; even then the row is
computed and reported, never skipped.

To compute a row past a breach, the engine is given a copy of the ruleset with the breached bounds
lifted (:func:`lift_bounds`); the index keeps the original total maximum.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex.model.decimals import CONTEXT, canonical, exact_sum
from parindex.model.documents import Node, Ruleset, Status
from parindex.scoring.failures import rule_failure


@dataclass(frozen=True)
class Conflict:
    """A published (or recomputed) number outside a bound of the ruleset."""

    kind: str  # rule | maximum | minimum | total_maximum
    node: str | None  # None: the total
    value: str  # the number as published, or as recomputed from its parts
    bound: str
    status: Status  # the bound's status
    source: str  # the bound's source
    message: str
    computed: bool = False  # True when the value is a sum of the row's parts, not published

    @property
    def rejects(self) -> bool:
        """Only a confirmed bound rejects published data."""
        return self.status == "confirmed"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "node": self.node,
            "value": self.value,
            "computed": self.computed,
            "bound": self.bound,
            "status": self.status,
            "source": self.source,
            "rejects": self.rejects,
            "message": self.message,
        }

    def text(self) -> str:
        what = self.node or "total"
        verdict = "rejects the row" if self.rejects else "source conflict"
        # a rule's own message already names the value and the range
        said = (
            f"{what}: {self.message}"
            if self.kind == "rule"
            else f"{what} {self.value} {self.message} ({self.bound})"
        )
        return f"{said} [{self.status} bound, {verdict}; source: {self.source}]"


@dataclass
class Breaches:
    """The conflicts of one row and the bounds to lift so that the row can be computed."""

    conflicts: list[Conflict] = field(default_factory=list)
    lift_rule: set[str] = field(default_factory=set)
    lift_maximum: set[str] = field(default_factory=set)
    lower_minimum: dict[str, Decimal] = field(default_factory=dict)
    lift_total_maximum: bool = False

    @property
    def any_lifted(self) -> bool:
        return bool(
            self.lift_rule or self.lift_maximum or self.lower_minimum or self.lift_total_maximum
        )


def _show(value: Decimal, text: str | None) -> str:
    return text if text is not None else canonical(value)


def check_given(
    ruleset: Ruleset, node: Node, value: Decimal, text: str | None, out: Breaches
) -> None:
    """The bounds one published number must respect: its rule's range, its minimum, maximum."""
    shown = _show(value, text)
    status = ruleset.status_of(node)
    source = ruleset.source_of(node).cite()
    rule = node.rule
    # The engine applies a rule to given points only on a leaf whose rule takes points.
    if rule is not None and not node.children and rule.input_kind == "points":
        try:
            with decimal.localcontext(CONTEXT):
                rule.evaluate(value, node.maximum)
        except (ValueError, decimal.DecimalException) as exc:
            out.conflicts.append(
                Conflict("rule", node.code, shown, rule.describe(), status, source, str(exc))
            )
            out.lift_rule.add(node.code)
        except Exception as exc:  # a bug in the rule kind's code, not a published conflict
            raise rule_failure(rule, exc, node.code) from exc
    lower = node.minimum if node.minimum is not None else Decimal(0)
    if value < lower:
        out.conflicts.append(
            Conflict(
                "minimum",
                node.code,
                shown,
                f"≥ {canonical(lower)}",
                status,
                source,
                "below the minimum",
            )
        )
        out.lower_minimum[node.code] = value
    if node.maximum is not None and value > node.maximum:
        out.conflicts.append(_above_maximum(ruleset, node, shown, computed=False))
        out.lift_maximum.add(node.code)


def check_computed(ruleset: Ruleset, node: Node, points: Decimal, out: Breaches) -> None:
    """The bounds a node recomputed from its children must respect."""
    shown = canonical(points)
    if node.maximum is not None and points > node.maximum:
        out.conflicts.append(_above_maximum(ruleset, node, shown, computed=True))
        out.lift_maximum.add(node.code)
    if node.minimum is not None and points < node.minimum:
        out.conflicts.append(
            Conflict(
                "minimum",
                node.code,
                shown,
                f"≥ {canonical(node.minimum)}",
                ruleset.status_of(node),
                ruleset.source_of(node).cite(),
                "(the sum of its children) is below the node's minimum",
                computed=True,
            )
        )


def check_total(ruleset: Ruleset, total: Decimal, maximum: Decimal | None, out: Breaches) -> None:
    if maximum is not None and total > maximum:
        out.conflicts.append(
            Conflict(
                "total_maximum",
                None,
                canonical(total),
                f"≤ {canonical(maximum)}",
                ruleset.status,
                ruleset.source.cite(),
                "(recomputed from the parts) is above the total maximum",
                computed=True,
            )
        )
        out.lift_total_maximum = True


def _above_maximum(ruleset: Ruleset, node: Node, shown: str, *, computed: bool) -> Conflict:
    assert node.maximum is not None
    status = node.maximum_status or ruleset.status_of(node)
    source = (node.maximum_source or ruleset.source_of(node)).cite()
    message = (
        "(the sum of its children) is above the node's maximum"
        if computed
        else "is above the node's maximum"
    )
    return Conflict(
        "maximum",
        node.code,
        shown,
        f"≤ {canonical(node.maximum)}",
        status,
        source,
        message,
        computed=computed,
    )


def total_maximum(ruleset: Ruleset, tops: Iterable[Node]) -> Decimal | None:
    """The maximum of the total, as the engine takes it: stated, else the sum of the top maxima."""
    if ruleset.maximum is not None:
        return ruleset.maximum
    maxima = [n.maximum for n in tops]
    if maxima and all(m is not None for m in maxima):
        return exact_sum(m for m in maxima if m is not None)
    return None


def lift_bounds(ruleset: Ruleset, view: str, breaches: Breaches) -> Ruleset:
    """A copy of ``ruleset`` without the breached bounds, so that the engine computes the row.

    The total maximum is stated on the copy (unless it was breached), so the index is the one the
    original ruleset gives.
    """

    tops = ruleset.view_nodes(view)
    # without a stated total maximum the engine sums the top maxima again: lift them too
    lift_top = {n.code for n in tops} if breaches.lift_total_maximum else set()

    def relax(node: Node) -> Node:
        update: dict[str, Any] = {}
        if node.code in breaches.lift_rule:
            update["rule"] = None
        if node.code in breaches.lift_maximum or node.code in lift_top:
            update["maximum"] = None
            update["maximum_status"] = None
        if node.code in breaches.lower_minimum:
            update["minimum"] = breaches.lower_minimum[node.code]
        if node.children:
            update["children"] = tuple(relax(c) for c in node.children)
        return node.model_copy(update=update) if update else node

    update: dict[str, Any] = {
        "maximum": None if breaches.lift_total_maximum else total_maximum(ruleset, tops)
    }
    if view == "main":
        update["nodes"] = tuple(relax(n) for n in ruleset.nodes)
    else:
        views = dict(ruleset.views)
        views[view] = views[view].model_copy(update={"nodes": tuple(relax(n) for n in tops)})
        update["views"] = views
    return ruleset.model_copy(update=update)
