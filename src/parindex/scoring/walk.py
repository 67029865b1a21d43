"""The tree walk: one pass over a view's nodes, scoring inputs with their rules, summing children,
applying the not-applicable policy and the applicable maxima."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex.model.decimals import CONTEXT, EXACT, HUNDRED, ZERO, exact_sum, round_to
from parindex.model.documents import Assessment, Entry, Node, NodeScore, Ruleset, Trace, Value
from parindex.model.errors import AssessmentError, InputValueError, PointsAboveMaximumError
from parindex.model.rules import Rule
from parindex.scoring.construct import _node_score, _Static, _static_of, _statics, _trace
from parindex.scoring.failures import rule_failure


@dataclass
class _Result:
    points: Decimal
    maximum: Decimal | None  # applicable maximum (stated minus excluded)
    excluded: Decimal | None  # how much of the stated maximum was excluded (None: unknown)
    scores: list[NodeScore] = field(default_factory=list)


class _Pass:
    """One evaluation of the tree with either the final or the self-assessed values."""

    def __init__(
        self,
        ruleset: Ruleset,
        assessment: Assessment,
        default_rule: type[Rule] | None,
        use_self: bool,
    ) -> None:
        self.ruleset = ruleset
        self.inputs = assessment.inputs
        self.missing_policy = assessment.missing
        self.default_rule = default_rule
        self.use_self = use_self
        self.missing: list[str] = []
        self.unverified: list[str] = []
        self.notes: list[str] = []
        self.places = ruleset.rounding.places
        self.mode = ruleset.rounding.mode
        self.statics = _statics(ruleset)

    def static(self, node: Node) -> _Static:
        found = self.statics.get(id(node))
        return found if found is not None else _static_of(self.ruleset, node)

    def value_of(self, entry: Entry) -> Value:
        return entry.self_assessed if self.use_self else entry.final

    def percent(self, points: Decimal, maximum: Decimal | None) -> Decimal | None:
        if maximum is None or maximum == 0:
            return None
        return round_to(
            CONTEXT.multiply(CONTEXT.divide(points, maximum), HUNDRED), self.places, self.mode
        )

    def run(self, node: Node, parent: str | None, depth: int) -> _Result:
        static = self.static(node)
        status = static.status
        entry = self.inputs.get(node.code)
        base: dict[str, Any] = {**static.base, "parent": parent, "depth": depth}
        if entry is not None:
            value = self.value_of(entry)
            reason = entry.appraised.reason if entry.appraised and entry.changed else None
            if value.not_applicable:
                return self.not_applicable(node, base, reason)
            points, trace = self.evaluate(node, value, reason)
            if node.evidence == "required" and not entry.evidence:  # flagged, not refused
                self.notes.append(f"{node.code}: evidence required, but no document was given")
            if "unverified" in (status, node.maximum_status):
                self.unverified.append(node.code)
            if node.children:
                self.notes.append(
                    f"{node.code}: points given directly; its"
                    f" {len(node.children)} children were not scored"
                )
            score = _node_score(
                points=points,
                maximum=node.maximum,
                percent=self.percent(points, node.maximum),
                trace=trace,
                **base,
            )
            return _Result(points, node.maximum, ZERO, [score])
        if node.children:
            results = [self.run(c, node.code, depth + 1) for c in node.children]
            points = exact_sum(r.points for r in results)
            maximum, excluded = self.aggregate_max(node, results)
            if "unverified" in (status, node.maximum_status):
                self.unverified.append(node.code)
            trace = _trace(
                how="children",
                detail=" + ".join(c.code for c in node.children),
                source=base["source"],
            )
            if maximum is not None and points > maximum:
                applicable = "" if maximum == node.maximum else " applicable"
                raise PointsAboveMaximumError(
                    f"children's points add up to {points}, above the node's{applicable}"
                    f" maximum {maximum}",
                    code=node.code,
                )
            score = _node_score(
                points=points,
                maximum=maximum,
                percent=self.percent(points, maximum),
                trace=trace,
                **base,
            )
            return _Result(
                points, maximum, excluded, [score, *(s for r in results for s in r.scores)]
            )
        # a leaf without input
        self.missing.append(node.code)
        if "unverified" in (status, node.maximum_status):
            self.unverified.append(node.code)
        score = _node_score(
            points=ZERO,
            maximum=node.maximum,
            percent=self.percent(ZERO, node.maximum),
            trace=_trace(how="missing", detail="no input: scored 0", source=base["source"]),
            **base,
        )
        return _Result(ZERO, node.maximum, ZERO, [score])

    def aggregate_max(
        self, node: Node, results: list[_Result]
    ) -> tuple[Decimal | None, Decimal | None]:
        excluded: Decimal | None = ZERO
        for r in results:
            excluded = (
                None if excluded is None or r.excluded is None else EXACT.add(excluded, r.excluded)
            )
        if node.maximum is not None:
            if excluded is None:
                self.notes.append(
                    f"{node.code}: an excluded item has no published maximum, so"
                    " the applicable maximum is unknown"
                )
                return None, None
            return EXACT.subtract(node.maximum, excluded), excluded
        maxima = [r.maximum for r in results]
        if all(m is not None for m in maxima):
            return exact_sum(m for m in maxima if m is not None), excluded
        return None, excluded

    def not_applicable(self, node: Node, base: dict[str, Any], reason: str | None) -> _Result:
        policy = self.ruleset.na_policy(node)
        trace = _trace(
            how="not_applicable",
            detail=f"did not arise; policy {policy!r}",
            source=str(base["source"]),
            reason=reason,
        )
        points: Decimal
        maximum: Decimal | None
        excluded: Decimal | None
        if policy == "full":
            if node.maximum is None:
                raise AssessmentError(
                    "not applicable under the 'full points' policy, but the node has no"
                    " published maximum to award",
                    code=node.code,
                )
            points, maximum, excluded = node.maximum, node.maximum, ZERO
        elif policy == "zero":
            points, maximum, excluded = ZERO, node.maximum, ZERO
        else:
            points, maximum, excluded = ZERO, ZERO, node.maximum
        score = _node_score(
            points=points, maximum=maximum, percent=None, not_applicable=True, trace=trace, **base
        )
        return _Result(points, maximum, excluded, [score])

    def evaluate(
        self, node: Node, value: Value, reason: str | None = None
    ) -> tuple[Decimal, Trace]:
        static = self.static(node)
        src = static.base["source"]
        lower = node.minimum if node.minimum is not None else ZERO
        if value.points is not None and (
            node.children or node.rule is None or node.rule.input_kind != "points"
        ):
            points = value.points
            how = "given"
            trace = _trace(
                how="given",
                input=value.describe(),
                source=src,
                detail="points given directly",
                reason=reason,
            )
        else:
            rule = node.rule
            if rule is None:
                if self.default_rule is None:  # pragma: no cover - the core plugin provides it
                    raise AssessmentError("no rule kind 'points' is registered", code=node.code)
                rule = self.default_rule.model_validate({})
            if value.given != rule.input_kind:
                raise InputValueError(
                    f"this node's {rule.kind!r} rule takes a {rule.input_kind}, but the input"
                    f" gives a {value.given}",
                    code=node.code,
                    hint=f"write {{{rule.input_kind}: ...}}"
                    + (" or give points directly" if rule.input_kind != "points" else ""),
                )
            if rule.needs_maximum and node.maximum is None:
                raise AssessmentError(
                    f"the {rule.kind!r} rule needs a maximum, which is not published for this node",
                    code=node.code,
                )
            try:
                outcome = rule.evaluate(value.raw(), node.maximum)
            except ValueError as exc:
                raise InputValueError(str(exc), code=node.code) from None
            except Exception as exc:  # a bug in the rule's code: name it, at the input's line
                raise rule_failure(rule, exc, node.code) from exc
            points = outcome.points
            how = "rule"
            trace = _trace(
                how="rule",
                input=value.describe(),
                rule=static.description if rule is node.rule else rule.describe(),
                matched=outcome.matched,
                detail=outcome.detail,
                source=src,
                reason=reason,
            )
        if points < lower:
            raise InputValueError(f"points {points} are below the minimum {lower}", code=node.code)
        if node.maximum is not None and points > node.maximum:
            raise PointsAboveMaximumError(
                f"points {points} are above the maximum {node.maximum}"
                + (" (given directly)" if how == "given" else ""),
                code=node.code,
            )
        return points, trace


__all__ = ["_Pass", "_Result"]
