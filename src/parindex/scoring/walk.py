"""The tree walk: one pass over a view's nodes, scoring inputs with their rules, summing children,
applying the not-applicable policy and the applicable maxima.

What a node's entry takes from the ruleset alone — its place in the tree, citation, rule
description, flags and the score-card fields that never change — is laid out once per ruleset and
view (:func:`_layout`); a pass then only evaluates the inputs and adds up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from parindex.model.decimals import _MODES, CONTEXT, EXACT, HUNDRED, ZERO, exact_sum, quantum
from parindex.model.documents import Assessment, Node, NodeScore, Ruleset, Trace, Value
from parindex.model.errors import AssessmentError, InputValueError, PointsAboveMaximumError
from parindex.model.rules import Rule
from parindex.scoring.construct import (
    _node_score,
    _Prefilled,
    _Static,
    _static_of,
    _statics,
    _trace,
)
from parindex.scoring.failures import rule_failure


class _Result(NamedTuple):
    points: Decimal
    maximum: Decimal | None  # applicable maximum (stated minus excluded)
    excluded: Decimal | None  # how much of the stated maximum was excluded (None: unknown)


class _Slot:
    """One node at its place in a view, with everything its entries take from the ruleset."""

    __slots__ = (
        "base",
        "bypass",
        "children",
        "children_trace",
        "code",
        "description",
        "entry_score",
        "flagged",
        "given_trace",
        "missing_trace",
        "na_score",
        "node",
        "rule_trace",
    )

    def __init__(self, node: Node, static: _Static, parent: str | None, depth: int) -> None:
        self.node = node
        self.code = node.code
        self.base: dict[str, Any] = {**static.base, "parent": parent, "depth": depth}
        self.flagged = "unverified" in (static.status, node.maximum_status)
        self.description = static.description
        self.children: tuple[_Slot, ...] = ()
        source = self.base["source"]
        # the same fields, in the same order, as each kind of entry was always built with
        self.entry_score = _node_score.prefilled(
            self.base, ("points", "maximum", "percent", "trace")
        )
        self.na_score = _node_score.prefilled(
            self.base, ("points", "maximum", "percent", "not_applicable", "trace")
        )
        self.children_trace = _trace.prefilled(
            {
                "how": "children",
                "detail": " + ".join(c.code for c in node.children),
                "source": source,
            },
            (),
        )
        rule = node.rule
        # points in the input bypass the rule (a node's own points, or a rule taking no points)
        self.bypass = bool(node.children or rule is None or rule.input_kind != "points")
        self.given_trace = _trace.prefilled(
            {"how": "given", "source": source, "detail": "points given directly"},
            ("input", "reason"),
        )
        self.rule_trace = _trace.prefilled(
            {"how": "rule", "rule": self.description, "source": source},
            ("input", "matched", "detail", "reason"),
        )
        self.missing_trace = _trace.prefilled(
            {"how": "missing", "detail": "no input: scored 0", "source": source}, ()
        )


def _layout(ruleset: Ruleset, view: str) -> tuple[_Slot, ...]:
    """The view's top slots, laid out once per ruleset object and view."""
    key = (id(ruleset), view)
    cached = _LAYOUTS.get(key)
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    statics = _statics(ruleset)

    def slot(node: Node, parent: str | None, depth: int) -> _Slot:
        found = statics.get(id(node))
        s = _Slot(node, found if found is not None else _static_of(ruleset, node), parent, depth)
        s.children = tuple(slot(c, node.code, depth + 1) for c in node.children)
        return s

    tops = tuple(slot(top, None, 0) for top in ruleset.view_nodes(view))
    if len(_LAYOUTS) >= 64:  # rulesets made on the fly (parameters, studies) must not pile up
        _LAYOUTS.clear()
    _LAYOUTS[key] = (ruleset, tops)
    return tops


_LAYOUTS: dict[tuple[int, str], tuple[Ruleset, tuple[_Slot, ...]]] = {}


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
        self._quantum = quantum(self.places)
        self._rounding = _MODES[self.mode]
        self.scores: list[NodeScore] = []

    def percent(self, points: Decimal, maximum: Decimal | None) -> Decimal | None:
        if maximum is None or maximum == 0:
            return None
        # round_to(…, places, mode), its quantum and rounding constant looked up once per pass
        return CONTEXT.multiply(CONTEXT.divide(points, maximum), HUNDRED).quantize(
            self._quantum, rounding=self._rounding, context=CONTEXT
        )

    def run_view(self, view: str) -> list[_Result]:
        """Every top node of ``view``; the entries of all nodes, in tree order, in ``scores``."""
        return [self.run(top) for top in _layout(self.ruleset, view)]

    def run(self, slot: _Slot) -> _Result:
        node = slot.node
        entry = self.inputs.get(slot.code)
        scores = self.scores
        if entry is not None:
            value = entry.self_assessed if self.use_self else entry.final
            entry_score, na_score = slot.entry_score, slot.na_score
            if entry.evidence:  # carried to the card: explain, JSON, reports and workbooks
                extra = {**slot.base, "evidence": entry.evidence}
                entry_score = _node_score.prefilled(
                    extra, ("points", "maximum", "percent", "trace")
                )
                na_score = _node_score.prefilled(
                    extra, ("points", "maximum", "percent", "not_applicable", "trace")
                )
            # the council's reason stays with its value, also when no self-assessment was given
            appraised = entry.appraised
            keep = appraised is not None and (entry.changed or entry.self_ is None)
            reason = appraised.reason if keep and appraised is not None else None
            if value.not_applicable:
                return self.not_applicable(slot, na_score, reason)
            points, trace = self.evaluate(slot, value, reason)
            if node.evidence == "required" and not entry.evidence:  # flagged, not refused
                self.notes.append(f"{slot.code}: evidence required, but no document was given")
            if slot.flagged:
                self.unverified.append(slot.code)
            if node.children:
                self.notes.append(
                    f"{slot.code}: points given directly; its"
                    f" {len(node.children)} children were not scored"
                )
            scores.append(
                entry_score(
                    points=points,
                    maximum=node.maximum,
                    percent=self.percent(points, node.maximum),
                    trace=trace,
                )
            )
            return _Result(points, node.maximum, ZERO)
        if slot.children:
            at = len(scores)
            scores.append(None)  # type: ignore[arg-type]  # the node's own entry, filled below
            results = [self.run(c) for c in slot.children]
            points = exact_sum(r.points for r in results)
            maximum, excluded = self.aggregate_max(node, results)
            if slot.flagged:
                self.unverified.append(slot.code)
            trace = slot.children_trace()
            if maximum is not None and points > maximum:
                applicable = "" if maximum == node.maximum else " applicable"
                raise PointsAboveMaximumError(
                    f"children's points add up to {points}, above the node's{applicable}"
                    f" maximum {maximum}",
                    code=slot.code,
                )
            scores[at] = slot.entry_score(
                points=points,
                maximum=maximum,
                percent=self.percent(points, maximum),
                trace=trace,
            )
            return _Result(points, maximum, excluded)
        # a leaf without input
        self.missing.append(slot.code)
        if slot.flagged:
            self.unverified.append(slot.code)
        scores.append(
            slot.entry_score(
                points=ZERO,
                maximum=node.maximum,
                percent=self.percent(ZERO, node.maximum),
                trace=slot.missing_trace(),
            )
        )
        return _Result(ZERO, node.maximum, ZERO)

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

    def not_applicable(self, slot: _Slot, make: _Prefilled, reason: str | None) -> _Result:
        node = slot.node
        policy = self.ruleset.na_policy(node)
        trace = _trace(
            how="not_applicable",
            detail=f"did not arise; policy {policy!r}",
            source=str(slot.base["source"]),
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
        self.scores.append(
            make(points=points, maximum=maximum, percent=None, not_applicable=True, trace=trace)
        )
        return _Result(points, maximum, excluded)

    def evaluate(
        self, slot: _Slot, value: Value, reason: str | None = None
    ) -> tuple[Decimal, Trace]:
        node = slot.node
        lower = node.minimum if node.minimum is not None else ZERO
        if value.points is not None and slot.bypass:
            points = value.points
            how = "given"
            trace = slot.given_trace(input=value.describe(), reason=reason)
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
            if rule is node.rule:
                trace = slot.rule_trace(
                    input=value.describe(),
                    matched=outcome.matched,
                    detail=outcome.detail,
                    reason=reason,
                )
            else:
                trace = _trace(
                    how="rule",
                    input=value.describe(),
                    rule=rule.describe(),
                    matched=outcome.matched,
                    detail=outcome.detail,
                    source=slot.base["source"],
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
