"""The tree walk: one pass over a view's nodes, scoring inputs with their rules, summing children,
applying the not-applicable policy and the applicable maxima.

What a node's entry takes from the ruleset alone — its place in the tree, citation, rule
description, flags and the score-card fields that never change — is laid out once per ruleset and
view (:func:`_layout`); a pass then only evaluates the inputs and adds up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.model.decimals import EXACT, ZERO
from parindex.model.documents import Assessment, Node, NodeScore, Ruleset, Value
from parindex.model.errors import AssessmentError, InputValueError, PointsAboveMaximumError
from parindex.model.rules import Outcome, Rule
from parindex.scoring.construct import _node_score, _Static, _static_of, _statics, _trace
from parindex.scoring.entries import CHILDREN, ENTRY, MISSING, NOT_APPLICABLE, Record, build_entries
from parindex.scoring.failures import rule_failure

#: A node's result: (points, applicable maximum — stated minus excluded —, how much of the stated
#: maximum was excluded; None: unknown). A plain tuple: a card makes one per node.
_Result = tuple[Decimal, Decimal | None, Decimal | None]


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
        "fast",
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
        # the rule scores with its evaluate_points; its words are worked out when read
        self.fast = rule is not None and type(rule).has_fast_points()
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
    """One evaluation of the tree with either the final or the self-assessed values: the points
    and every check on them now, each node's record for its entry (:mod:`.entries`)."""

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
        self.records: list[Record] = []

    def run_view(self, view: str) -> list[_Result]:
        """Every top node of ``view``; the records of all nodes, in tree order, in ``records``."""
        return [self.run(top) for top in _layout(self.ruleset, view)]

    def entries(self, self_points: dict[str, Decimal] | None = None) -> tuple[NodeScore, ...]:
        """The entries of the nodes run so far (see :func:`.entries.build_entries`)."""
        r = self.ruleset.rounding
        return build_entries(self.records, r.places, r.mode, self_points)

    def points(self) -> dict[str, Decimal]:
        """Code → points of every node run so far."""
        return {rec[1].code: rec[2] for rec in self.records}

    def run(self, slot: _Slot) -> _Result:
        node = slot.node
        entry = self.inputs.get(slot.code)
        records = self.records
        if entry is not None:
            value = entry.self_assessed if self.use_self else entry.final
            # the council's reason stays with its value, also when no self-assessment was given
            appraised = entry.appraised
            reason = None
            if appraised is not None:  # also on a value kept unchanged: the council's words
                reason = appraised.reason
            if value.not_applicable:
                return self.not_applicable(slot, reason, entry.evidence)
            points, rule, outcome = self.evaluate(slot, value)
            if node.evidence == "required" and not entry.evidence:  # flagged, not refused
                self.notes.append(f"{slot.code}: evidence required, but no document was given")
            if slot.flagged:
                self.unverified.append(slot.code)
            if node.children:
                self.notes.append(
                    f"{slot.code}: points given directly; its"
                    f" {len(node.children)} children were not scored"
                )
            records.append(
                (ENTRY, slot, points, node.maximum, value, reason, entry.evidence, rule, outcome)
            )
            return (points, node.maximum, ZERO)
        if slot.children:
            at = len(records)
            records.append(None)  # type: ignore[arg-type]  # the node's own record, filled below
            # the children's points, applicable maxima and exclusions added up in one pass
            points = ZERO
            excluded: Decimal | None = ZERO
            maxima: Decimal | None = ZERO
            for child in slot.children:
                p, m, ex = self.run(child)
                points = EXACT.add(points, p)
                excluded = None if excluded is None or ex is None else EXACT.add(excluded, ex)
                maxima = None if maxima is None or m is None else EXACT.add(maxima, m)
            maximum, excluded = self.aggregate_max(node, excluded, maxima)
            if slot.flagged:
                self.unverified.append(slot.code)
            if maximum is not None and points > maximum:
                applicable = "" if maximum == node.maximum else " applicable"
                raise PointsAboveMaximumError(
                    f"children's points add up to {points}, above the node's{applicable}"
                    f" maximum {maximum}",
                    code=slot.code,
                )
            records[at] = (CHILDREN, slot, points, maximum, None, None, None, None, None)
            return (points, maximum, excluded)
        # a leaf without input
        self.missing.append(slot.code)
        if slot.flagged:
            self.unverified.append(slot.code)
        records.append((MISSING, slot, ZERO, node.maximum, None, None, None, None, None))
        return (ZERO, node.maximum, ZERO)

    def aggregate_max(
        self, node: Node, excluded: Decimal | None, maxima: Decimal | None
    ) -> tuple[Decimal | None, Decimal | None]:
        """The node's applicable maximum and exclusion, from its children's total exclusion
        and the sum of their applicable maxima (None: one is unknown)."""
        if node.maximum is not None:
            if excluded is None:
                self.notes.append(
                    f"{node.code}: an excluded item has no published maximum, so"
                    " the applicable maximum is unknown"
                )
                return None, None
            return EXACT.subtract(node.maximum, excluded), excluded
        return maxima, excluded

    def not_applicable(self, slot: _Slot, reason: str | None, evidence: Any) -> _Result:
        node = slot.node
        policy = self.ruleset.na_policy(node)
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
        self.records.append(
            (NOT_APPLICABLE, slot, points, maximum, None, reason, evidence, None, policy)
        )
        return (points, maximum, excluded)

    def evaluate(self, slot: _Slot, value: Value) -> tuple[Decimal, Rule | None, Outcome | None]:
        """The points of ``value`` at ``slot``; the rule used (None: given directly) and its
        outcome (None: its words are worked out when the card is read)."""
        node = slot.node
        lower = node.minimum if node.minimum is not None else ZERO
        outcome: Outcome | None = None
        if value.points is not None and slot.bypass:
            points = value.points
            used: Rule | None = None
        else:
            rule = node.rule
            if rule is None:
                if self.default_rule is None:  # pragma: no cover - the core plugin provides it
                    raise AssessmentError("no rule kind 'points' is registered", code=node.code)
                rule = self.default_rule.model_validate({})
            given = _given(value)
            if given != rule.input_kind:
                raise InputValueError(
                    f"this node's {rule.kind!r} rule takes a {rule.input_kind}, but the input"
                    f" gives a {given}",
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
                if slot.fast if rule is node.rule else type(rule).has_fast_points():
                    points = rule.evaluate_points(value.raw(), node.maximum)
                else:  # a kind without the faster form: its words now, as always
                    outcome = rule.evaluate(value.raw(), node.maximum)
                    points = outcome.points
            except ValueError as exc:
                raise InputValueError(str(exc), code=node.code) from None
            except Exception as exc:  # a bug in the rule's code: name it, at the input's line
                raise rule_failure(rule, exc, node.code) from exc
            used = rule
        if points < lower:
            raise InputValueError(f"points {points} are below the minimum {lower}", code=node.code)
        if node.maximum is not None and points > node.maximum:
            raise PointsAboveMaximumError(
                f"points {points} are above the maximum {node.maximum}"
                + (" (given directly)" if used is None else ""),
                code=node.code,
            )
        return points, used, outcome


def _given(value: Value) -> str:
    """``value.given`` (which input the value gives), read without the property's loop."""
    if value.not_applicable:
        return "not_applicable"
    if value.points is not None:
        return "points"
    if value.measure is not None:
        return "measure"
    if value.choice is not None:
        return "choice"
    return value.given  # a count, or (never, once validated) nothing


__all__ = ["_Pass", "_Result"]
