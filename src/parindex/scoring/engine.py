"""The reference scoring engine: exact Decimal arithmetic, one stated rounding rule.

Rounding rule (stated in every score card's receipt): points at every node are kept exact; the
total and the index (total ÷ applicable maximum × 100) are each rounded once, at the end, to the
ruleset's places with its mode (2 places, half-up by default); node percentages are rounded the same
way for display; the group and the rank are decided on the rounded index.
"""

from __future__ import annotations

import decimal
import hashlib
import json
import traceback
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex._version import __version__
from parindex.model.decimals import CONTEXT, EXACT, HUNDRED, ZERO, exact_sum, round_to
from parindex.model.documents import (
    Assessment,
    Entry,
    Node,
    NodeScore,
    Receipt,
    Ruleset,
    ScoreCard,
    Trace,
    Value,
)
from parindex.model.errors import (
    AssessmentError,
    ConflictingInputError,
    InputValueError,
    MissingInputError,
    ParindexError,
    PluginError,
    PointsAboveMaximumError,
    UnknownCodeError,
)
from parindex.model.rules import Rule
from parindex.model.validation import classify

ROUNDING_RULE = (
    "node points exact; total and index rounded once at the end to {places} places ({mode});"
    " group and rank use the rounded index"
)


def content_hash(ruleset: Ruleset) -> str:
    """sha256 of the ruleset's canonical JSON: two rulesets with equal content share it."""
    cached = _HASHES.get(id(ruleset))
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    payload = json.dumps(
        ruleset.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    digest = "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()
    _HASHES[id(ruleset)] = (ruleset, digest)
    return digest


_HASHES: dict[int, tuple[Ruleset, str]] = {}


class _Construct:
    """``cls.model_construct`` for the engine's already-valid values, without pydantic's generic
    per-call walk over every field's aliases and defaults (a card builds ~280 such objects, and
    that walk was a third of its cost). The instance is the one ``model_construct`` makes: the
    fields in declaration order (serialisation follows it), the defaults of the fields not given,
    and the given names as the fields set. A model this shortcut does not cover (aliases, default
    factories, a post-init hook, extra fields allowed) goes through ``model_construct``."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls
        fields = cls.__pydantic_fields__
        self.generic = bool(
            cls.__pydantic_post_init__
            or cls.__pydantic_root_model__
            or cls.model_config.get("extra") == "allow"
            or any(
                f.alias is not None or f.validation_alias is not None or f.default_factory
                for f in fields.values()
            )
        )
        fields_ = [(name, f.is_required(), f.default) for name, f in fields.items()]
        immutable = (type(None), bool, int, str, tuple, Decimal)
        self.generic |= any(not r and not isinstance(d, immutable) for _, r, d in fields_)
        # every field in declaration order, the required ones as placeholders that each call
        # overwrites (updating a copy keeps the order); the defaults are immutable, so shared
        self.template = {name: default for name, _, default in fields_}
        self.required = frozenset(name for name, r, _ in fields_ if r)
        self.names = frozenset(self.template)

    def __call__(self, **values: Any) -> Any:
        if self.generic or not self.required <= values.keys() or not values.keys() <= self.names:
            return self.cls.model_construct(**values)
        given = self.template.copy()
        given.update(values)
        m = object.__new__(self.cls)
        object.__setattr__(m, "__dict__", given)
        object.__setattr__(m, "__pydantic_fields_set__", set(values))
        object.__setattr__(m, "__pydantic_extra__", None)
        object.__setattr__(m, "__pydantic_private__", None)
        return m


_node_score = _Construct(NodeScore)
_trace = _Construct(Trace)


@dataclass(frozen=True, slots=True)
class _Static:
    """What a node's score card entries take from the ruleset alone, worked out once per ruleset
    (the citation and the rule's description are formatted strings; every card repeated them)."""

    base: dict[str, Any]
    status: str
    description: str | None  # node.rule.describe(), if the node has a rule


def _statics(ruleset: Ruleset) -> dict[int, _Static]:
    """Node id → its static part, cached per ruleset object (kept alive with it, as the content
    hashes are, so that an id is never reused while cached)."""
    cached = _STATICS.get(id(ruleset))
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    table = {id(node): _static_of(ruleset, node) for _, node in ruleset.all_nodes()}
    _STATICS[id(ruleset)] = (ruleset, table)
    return table


def _static_of(ruleset: Ruleset, node: Node) -> _Static:
    status = ruleset.status_of(node)
    return _Static(
        base={
            "code": node.code,
            "title": node.title,
            "stated_maximum": node.maximum,
            "method": node.method,
            "status": status,
            "maximum_status": node.maximum_status,
            "source": ruleset.source_of(node).cite(),
            "lead_agency": node.lead_agency,
        },
        status=status,
        description=node.rule.describe() if node.rule is not None else None,
    )


_STATICS: dict[int, tuple[Ruleset, dict[int, _Static]]] = {}


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


def _choose_view(ruleset: Ruleset, assessment: Assessment) -> str:
    if assessment.view is not None:
        if assessment.view not in ruleset.view_names:
            raise AssessmentError(
                f"ruleset {ruleset.id} {ruleset.version} has no view {assessment.view!r};"
                f" views: {', '.join(ruleset.view_names)}",
                field="view",
            )
        return assessment.view
    views = set()
    for code in assessment.inputs:
        found = ruleset.find(code)
        if found is not None:
            views.add(found[0])
    if len(views) > 1:
        raise ConflictingInputError(
            f"inputs mix codes of several breakdowns ({', '.join(sorted(views))}); score each"
            " breakdown in its own assessment",
            field="inputs",
        )
    return views.pop() if views else "main"


def _check_codes(ruleset: Ruleset, assessment: Assessment, view: str) -> None:
    nodes = {n.code: n for n in ruleset.iter_nodes(view)}
    unknown = [c for c in assessment.inputs if c not in nodes]
    if unknown:
        c = unknown[0]
        other = ruleset.find(c)
        hint = (
            f"{c} belongs to view {other[0]!r}"
            if other
            else f"codes in this view: {', '.join(list(nodes)[:12])}"
            + (" …" if len(nodes) > 12 else "")
        )
        raise UnknownCodeError(
            f"unknown node code {c!r} for {ruleset.id} {ruleset.version}"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""),
            code=c,
            hint=hint,
        )
    # an input on a node and on one of its descendants is ambiguous
    given = set(assessment.inputs)
    for top in ruleset.view_nodes(view):
        for node in top.walk():
            if node.code in given and node.children:
                below = [d.code for d in node.walk() if d.code in given and d is not node]
                if below:
                    raise ConflictingInputError(
                        f"inputs are given both for {node.code} and for its descendant"
                        f" {below[0]}; give one level only",
                        code=below[0],
                    )


def score(
    ruleset: Ruleset, assessment: Assessment, default_rule: type[Rule] | None = None
) -> ScoreCard:
    """Score one assessment. Raises a located :class:`ParindexError` for any bad input.

    Every operation, the rules' included, runs in :data:`parindex.model.decimals.CONTEXT`, so the
    result does not depend on the caller's decimal context.
    """
    with decimal.localcontext(CONTEXT):
        return _score(ruleset, assessment, default_rule)


def _score(ruleset: Ruleset, assessment: Assessment, default_rule: type[Rule] | None) -> ScoreCard:
    if assessment.ruleset != ruleset.id:
        raise AssessmentError(
            f"assessment is for ruleset {assessment.ruleset!r}, not {ruleset.id!r}", field="ruleset"
        )
    if assessment.year not in ruleset.years:
        raise AssessmentError(
            f"{ruleset.id} version {ruleset.version} covers {', '.join(map(str, ruleset.years))},"
            f" not {assessment.year}",
            field="year",
        )
    if assessment.version is not None and assessment.version != ruleset.version:
        raise AssessmentError(
            f"assessment asks for version {assessment.version!r}, ruleset is {ruleset.version!r}",
            field="version",
        )
    view = _choose_view(ruleset, assessment)
    _check_codes(ruleset, assessment, view)

    final = _Pass(ruleset, assessment, default_rule, use_self=False)
    tops = [final.run(top, None, 0) for top in ruleset.view_nodes(view)]
    if final.missing and assessment.missing == "error":
        shown = ", ".join(final.missing[:10]) + (" …" if len(final.missing) > 10 else "")
        raise MissingInputError(
            f"{len(final.missing)} leaf node(s) have no input: {shown}",
            code=final.missing[0],
            hint="give every leaf an input (or points for its parent), or set `missing: zero`",
        )
    total_exact = exact_sum(r.points for r in tops)
    stated = ruleset.maximum
    top_max = [r.maximum for r in tops]
    excluded: Decimal | None = ZERO
    for r in tops:
        excluded = (
            None if excluded is None or r.excluded is None else EXACT.add(excluded, r.excluded)
        )
    if stated is not None and excluded is not None:
        maximum: Decimal | None = EXACT.subtract(stated, excluded)
    elif stated is None and all(m is not None for m in top_max):
        maximum = exact_sum(m for m in top_max if m is not None)
    else:
        maximum = None
    notes = list(final.notes)
    if maximum is not None and total_exact > maximum:
        raise PointsAboveMaximumError(f"total {total_exact} is above the maximum {maximum}")
    places, mode = ruleset.rounding.places, ruleset.rounding.mode
    index = None
    group = None
    if maximum is None:
        notes.append("the total maximum is not known, so no index or group can be computed")
    elif maximum == 0:
        notes.append("every item was excluded as not applicable: no index")
    else:
        index = round_to(
            CONTEXT.multiply(CONTEXT.divide(total_exact, maximum), HUNDRED), places, mode
        )
        band = classify(index, ruleset.groups)
        if band is not None and band.published:
            group = band.label
        elif band is not None:
            notes.append(f"index {index}: {band.note or 'the source publishes no group here'}")
        elif not ruleset.groups:
            notes.append("this ruleset publishes no group bands")
    for n in (s for r in tops for s in r.scores):
        if n.maximum is None and n.stated_maximum is None and n.trace.how != "not_applicable":
            notes.append(
                f"{n.code}: maximum not published, so its points are not bounded by one"
                " and it has no %"
            )
    if final.missing:
        notes.append(
            f"{len(final.missing)} leaf node(s) had no input and were scored 0:"
            f" {', '.join(final.missing[:10])}"
        )
    unverified = list(dict.fromkeys(final.unverified))
    if ruleset.status == "unverified" and not unverified:
        unverified = ["(ruleset)"]

    self_total = appraised_total = None
    changes = sum(1 for e in assessment.inputs.values() if e.changed)
    has_stages = any(
        e.self_ is not None or e.appraised is not None for e in assessment.inputs.values()
    )
    nodes = [s for r in tops for s in r.scores]
    if has_stages:
        selfp = _Pass(ruleset, assessment, default_rule, use_self=True)
        self_tops = [selfp.run(top, None, 0) for top in ruleset.view_nodes(view)]
        self_exact = exact_sum(r.points for r in self_tops)
        self_total = round_to(self_exact, places, mode)
        appraised_total = round_to(total_exact, places, mode)
        self_points = {s.code: s.points for r in self_tops for s in r.scores}
        nodes = [
            n.model_copy(update={"self_points": self_points.get(n.code)})
            if self_points.get(n.code) != n.points
            else n
            for n in nodes
        ]

    return ScoreCard(
        unit=assessment.unit,
        ruleset=ruleset.id,
        version=ruleset.version,
        year=assessment.year,
        view=view,
        total=round_to(total_exact, places, mode),
        total_exact=total_exact,
        maximum=maximum,
        index=index,
        group=group,
        self_total=self_total,
        appraised_total=appraised_total,
        changes=changes,
        unverified=bool(unverified),
        unverified_codes=tuple(unverified),
        notes=tuple(notes),
        nodes=tuple(nodes),
        receipt=Receipt(
            ruleset_id=ruleset.id,
            ruleset_version=ruleset.version,
            content_hash=content_hash(ruleset),
            library_version=__version__,
            rounding=ruleset.rounding,
            rule=ROUNDING_RULE.format(places=places, mode=mode),
        ),
    )


def rule_failure(rule: Rule, exc: BaseException, code: str | None) -> PluginError:
    """The error for a rule kind whose code raised something other than the ValueError of a bad
    input: it names the kind, the plugin that provides it and the node."""
    module = type(rule).__module__
    top = module.split(".")[0]
    plugin = None
    try:
        from importlib import metadata

        plugin = next(
            (
                ep.name
                for ep in metadata.entry_points(group="parindex")
                if ep.value.split(":")[0].split(".")[0] == top
            ),
            None,
        )
    except Exception:  # pragma: no cover - broken metadata: name the module only
        plugin = None
    owner = f"plugin {plugin} ({top})" if plugin else f"module {module}"
    error = PluginError(
        f"the {rule.kind!r} rule of {owner} failed: {type(exc).__name__}: {exc}",
        code=code,
        hint=(
            f"this is a bug in the plugin; disable it with PARINDEX_DISABLE_PLUGINS={plugin}"
            " or report it to its authors"
            if plugin
            else "this is a bug in the rule kind's code; report it to its authors"
        ),
    )
    # --debug prints the error's traceback; the rule's own, where the bug is, goes with it (a note
    # survives the `raise ... from None` of the callers that place the error in its file)
    error.add_note("The rule's traceback:\n" + "".join(traceback.format_exception(exc)).rstrip())
    return error


__all__ = ["ParindexError", "content_hash", "rule_failure", "score"]
