"""Compile a ruleset into a flat scoring plan: one column per input, exact rational parameters.

The reference engine (:mod:`parindex.scoring.engine`) walks the tree for every assessment. A *plan*
does that walk once per *signature* — the set of codes an assessment gives inputs for, with the
kind of each input (``points``, ``measure``, ``choice``, ``count`` or ``not_applicable``) and its
policy for missing leaves. Every unit with the same signature is then scored by the same flat
list of columns, whose points add up to the total. Everything the engine decides from the tree
alone is decided here, once:

* which rule scores each input (or whether points are given directly, bypassing the rule), through
  the batch kernel the rule itself brings (:meth:`parindex.model.rules.Rule.compile`): this
  module knows no rule kind by name, and a kind without a kernel leaves its plans to the
  reference engine;
* the applicable maximum after items marked not applicable (``exclude`` / ``full`` / ``zero``);
* which inputs make every unit of the signature invalid (a missing leaf under ``missing: error``,
  an input of the wrong kind, a rule needing a maximum that is not published, …);
* which sums of children could exceed their node's maximum and so must be checked per unit.

Parameters are kept as :class:`fractions.Fraction`, so the kernel
(:mod:`parindex.scoring.fast.kernel`) can turn them into exact integers at a common fixed-point
scale.

This module imports no numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, Literal

from parindex.model.documents import Node, Ruleset, TieRule
from parindex.model.kernels import ColumnKernel, DirectPoints
from parindex.model.rules import InputKind

#: The kind name of a column whose points are given directly (a node without a rule, an internal
#: node, or points bypassing the node's rule); any other column is named after its rule's kind.
GIVEN = "given"
Given = Literal["points", "measure", "choice", "count", "not_applicable"]
MissingPolicy = Literal["error", "zero"]
#: What an assessment gives, code by code, sorted by code; plus its policy for missing leaves.
Signature = tuple[tuple[tuple[str, Given], ...], MissingPolicy]


def frac(value: Decimal | int) -> Fraction:
    return Fraction(value)


@dataclass(frozen=True)
class Column:
    """One input of a plan and the kernel that turns it into points.

    ``kind`` only names the rule (for messages and analyses); the batch path never branches on
    it. A kernel's own parameters (a tier kernel's ``bands``, …) can be read as attributes of the
    column."""

    code: str
    kind: str
    input: InputKind  # what the column holds: points, a measure, an option or a count
    maximum: Fraction | None
    lower: Fraction  # the node's minimum, 0 by default
    #: how the rule scores a column of inputs (None: the kind has no kernel)
    kernel: ColumnKernel | None
    #: derived integer parameters and lookup tables, per input scale (filled by the kernel)
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __getattr__(self, name: str) -> Any:
        kernel = self.__dict__.get("kernel")
        if kernel is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(kernel, name)

    @property
    def options(self) -> tuple[str, ...]:
        """For a choice input: the option keys, in the order positions refer to."""
        return self.kernel.options if self.kernel is not None else ()

    @cached_property
    def static_low(self) -> Fraction | None:
        """The fewest points a valid input gives (None: unbounded)."""
        return self.kernel.low if self.kernel is not None else None

    @cached_property
    def static_high(self) -> Fraction | None:
        """The most points a valid input gives (None: unbounded)."""
        return self.kernel.high if self.kernel is not None else None

    @cached_property
    def needs_bounds_check(self) -> bool:
        """True when the engine's ``lower ≤ points ≤ maximum`` check can fail for a valid input."""
        low_ok = self.static_low is not None and self.static_low >= self.lower
        high_ok = self.maximum is None or (
            self.static_high is not None and self.static_high <= self.maximum
        )
        return not (low_ok and high_ok)

    def denominators(self) -> list[int]:
        """Denominators of the fixed parameters (the input's scale adds its own)."""
        out = [self.lower.denominator]
        if self.maximum is not None:
            out.append(self.maximum.denominator)
        if self.kernel is not None:
            out.extend(self.kernel.denominators())
        return out


@dataclass(frozen=True)
class NodeCheck:
    """An internal node (or the whole total, code None) whose points must be compared with its
    maximum per unit, because the maxima of its parts do not bound it statically."""

    code: str | None
    maximum: Fraction
    columns: tuple[int, ...]
    constant: Fraction


@dataclass(frozen=True)
class Plan:
    """How every unit with one signature is scored."""

    view: str
    signature: Signature
    columns: tuple[Column, ...]
    #: points from items that did not arise under the ``full`` policy
    constant: Fraction
    #: the applicable maximum (None: not known, so no index)
    maximum: Fraction | None
    checks: tuple[NodeCheck, ...]
    #: number of additions the engine makes (for the error bound of inexact Decimal steps)
    additions: int
    #: leaves without input (scored 0 under ``missing: zero``)
    missing: tuple[str, ...] = ()
    #: why every unit of this signature is invalid (the reference engine raises the error)
    static_error: str | None = None
    #: why the fast path cannot score this plan (the reference engine scores it)
    unsupported: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.columns)

    def column(self, code: str) -> Column:
        for c in self.columns:
            if c.code == code:
                return c
        raise KeyError(code)


@dataclass(frozen=True)
class GroupSpec:
    """A group band as :func:`parindex.model.validation.classify` sees it (by min, descending)."""

    min: Fraction
    min_inclusive: bool
    label: str | None  # None where the band is not published


@dataclass
class CompiledRuleset:
    """A ruleset prepared for batch scoring; plans are made on first use and cached."""

    ruleset: Ruleset
    places: int
    mode: str
    ties: TieRule
    groups: tuple[GroupSpec, ...]
    _plans: dict[tuple[str, Signature], Plan] = field(default_factory=dict)
    #: other derived data (e.g. the view of every code), filled on first use
    cache: dict[str, Any] = field(default_factory=dict)

    def plan(self, view: str, signature: Signature) -> Plan:
        key = (view, signature)
        got = self._plans.get(key)
        if got is None:
            got = _make_plan(self.ruleset, view, signature)
            self._plans[key] = got
        return got

    def leaf_signature(
        self,
        view: str | None = None,
        missing: MissingPolicy = "error",
        kinds: dict[str, Given] | None = None,
    ) -> Signature:
        """The signature of an assessment giving every leaf of ``view`` its rule's input."""
        kinds = kinds or {}
        items: list[tuple[str, Given]] = []
        for node in self.ruleset.iter_nodes(view):
            if node.code in kinds:
                items.append((node.code, kinds[node.code]))
            elif not node.children:
                items.append((node.code, node.rule.input_kind if node.rule else "points"))
        return (tuple(sorted(items)), missing)

    def view_name(self, view: str | None) -> str:
        return "main" if view is None else view


def compile_ruleset(ruleset: Ruleset) -> CompiledRuleset:
    """Prepare ``ruleset`` for :func:`parindex.scoring.fast.score_batch`."""
    ordered = sorted(ruleset.groups, key=lambda b: b.min, reverse=True)  # as classify() does
    groups = tuple(
        GroupSpec(frac(b.min), b.min_inclusive, b.label if b.published else None) for b in ordered
    )
    return CompiledRuleset(
        ruleset=ruleset,
        places=ruleset.rounding.places,
        mode=ruleset.rounding.mode,
        ties=ruleset.ranking.ties,
        groups=groups,
    )


# ---------------------------------------------------------------------- plans
class _Static(Exception):
    """Every unit of the signature is invalid."""


@dataclass
class _Sub:
    points_cols: list[int]
    constant: Fraction
    maximum: Fraction | None
    excluded: Fraction | None
    high: Fraction | None  # static upper bound of the points (None: unbounded)


def _make_plan(ruleset: Ruleset, view: str, signature: Signature) -> Plan:
    given = dict(signature[0])
    missing_policy = signature[1]
    columns: list[Column] = []
    checks: list[NodeCheck] = []
    missing: list[str] = []
    unsupported: list[str] = []
    additions = 0

    def run(node: Node) -> _Sub:
        nonlocal additions
        kind = given.get(node.code)
        if kind == "not_applicable":
            policy = ruleset.na_policy(node)
            if policy == "full":
                if node.maximum is None:
                    raise _Static(f"{node.code}: not applicable under 'full' with no maximum")
                m = frac(node.maximum)
                return _Sub([], m, m, Fraction(0), m)
            if policy == "zero":
                return _Sub([], Fraction(0), _f(node.maximum), Fraction(0), Fraction(0))
            return _Sub([], Fraction(0), Fraction(0), _f(node.maximum), Fraction(0))
        if kind is not None:
            below = [d.code for d in node.walk() if d is not node and d.code in given]
            if below:
                raise _Static(f"inputs for both {node.code} and its descendant {below[0]}")
            col = _column(node, kind)
            if col.kernel is None:
                unsupported.append(f"{node.code}: rule kind {col.kind!r} has no batch kernel")
            columns.append(col)
            high = col.static_high
            if col.maximum is not None:
                high = col.maximum if high is None else min(high, col.maximum)
            return _Sub([len(columns) - 1], Fraction(0), _f(node.maximum), Fraction(0), high)
        if node.children:
            subs = [run(c) for c in node.children]
            additions += len(subs)
            cols = [i for s in subs for i in s.points_cols]
            const = sum((s.constant for s in subs), Fraction(0))
            excluded: Fraction | None = Fraction(0)
            for s in subs:
                excluded = None if excluded is None or s.excluded is None else excluded + s.excluded
            highs = [s.high for s in subs]
            high = (
                None
                if any(h is None for h in highs)
                else sum((h for h in highs if h is not None), Fraction(0))
            )
            if node.maximum is not None:
                m = frac(node.maximum)
                if high is None or high > m:
                    checks.append(NodeCheck(node.code, m, tuple(cols), const))
                high = m if high is None else min(high, m)
                maximum = None if excluded is None else m - excluded
                return _Sub(cols, const, maximum, None if excluded is None else excluded, high)
            maxima = [s.maximum for s in subs]
            if all(x is not None for x in maxima):
                agg: Fraction | None = sum((x for x in maxima if x is not None), Fraction(0))
            else:
                agg = None
            return _Sub(cols, const, agg, excluded, high)
        missing.append(node.code)
        return _Sub([], Fraction(0), _f(node.maximum), Fraction(0), Fraction(0))

    try:
        codes = {n.code for n in ruleset.iter_nodes(view)}
        unknown = [c for c in given if c not in codes]
        if unknown:
            raise _Static(f"unknown code {unknown[0]}")
        tops = [run(top) for top in ruleset.view_nodes(view)]
        if missing and missing_policy == "error":
            raise _Static(f"{len(missing)} leaf node(s) have no input")
        additions += len(tops)
        stated = _f(ruleset.maximum)
        excluded: Fraction | None = Fraction(0)
        for t in tops:
            excluded = None if excluded is None or t.excluded is None else excluded + t.excluded
        top_max = [t.maximum for t in tops]
        maximum: Fraction | None
        if stated is not None and excluded is not None:
            maximum = stated - excluded
        elif stated is None and all(m is not None for m in top_max):
            maximum = sum((m for m in top_max if m is not None), Fraction(0))
        else:
            maximum = None
        constant = sum((t.constant for t in tops), Fraction(0))
        highs = [t.high for t in tops]
        high = (
            None
            if any(h is None for h in highs)
            else sum((h for h in highs if h is not None), Fraction(0))
        )
        if maximum is not None and (high is None or high > maximum):
            checks.append(NodeCheck(None, maximum, tuple(range(len(columns))), constant))
        return Plan(
            view=view,
            signature=signature,
            columns=tuple(columns),
            constant=constant,
            maximum=maximum,
            checks=tuple(checks),
            additions=additions,
            missing=tuple(missing),
            unsupported=unsupported[0] if unsupported else None,
        )
    except _Static as exc:
        return Plan(
            view=view,
            signature=signature,
            columns=(),
            constant=Fraction(0),
            maximum=None,
            checks=(),
            additions=0,
            static_error=str(exc),
        )


def _f(value: Decimal | None) -> Fraction | None:
    return None if value is None else frac(value)


def _column(node: Node, given: Given) -> Column:
    """The column for an input of kind ``given`` at ``node`` (mirrors ``_Pass.evaluate``)."""
    maximum = _f(node.maximum)
    lower = frac(node.minimum) if node.minimum is not None else Fraction(0)
    rule = node.rule
    if given == "points" and (node.children or rule is None or rule.input_kind != "points"):
        return Column(node.code, GIVEN, "points", maximum, lower, DirectPoints(lower, maximum))
    if rule is None:
        # the engine would use the default 'points' rule, which takes points only
        raise _Static(f"{node.code}: a node without a rule takes points, not a {given}")
    if given != rule.input_kind:
        raise _Static(f"{node.code}: the {rule.kind!r} rule takes a {rule.input_kind}")
    if rule.needs_maximum and maximum is None:
        raise _Static(f"{node.code}: the {rule.kind!r} rule needs a maximum")
    kernel = rule.compile(maximum, lower)
    if kernel is not None and kernel.input != rule.input_kind:
        kernel = None  # a kernel reading another input than its rule cannot be used
    return Column(node.code, rule.kind, rule.input_kind, maximum, lower, kernel)


__all__ = [
    "GIVEN",
    "Column",
    "CompiledRuleset",
    "GroupSpec",
    "NodeCheck",
    "Plan",
    "Signature",
    "compile_ruleset",
]
