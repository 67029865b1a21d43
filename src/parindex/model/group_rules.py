"""Batch-relative groups: groups that depend on the other units of a batch, not on fixed bands.

Some indices put each unit in a group by comparing it with the other units of the same year (the
top quarter, the next quarter …) instead of classifying its index with published bands. The core
knows no such index: a plugin describes one as a :class:`Grouping` — its labels, the rulesets it
applies to, the rules that may cut a batch — and registers it through the
``parindex_group_rules`` hook (:mod:`parindex.hookspecs`). A ruleset a grouping names gets its
groups across the batch in ``parindex reproduce`` and in batch targets; its own bands are not used.

A :class:`GroupRule` takes the batch's values (unit → total, index or node points) and returns a
label per unit (:class:`GroupedBatch`), and says in words how it cut and whether the index's
publisher states that rule.

A grouping may also bring target kinds for plans ("at least group X across the batch", "no
dimension in group Y"), as subclasses of :class:`BatchGroupTarget` and
:class:`BatchDimensionsTarget`, the way a plugin brings rule kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Protocol

from pydantic import BeforeValidator, Field

from parindex.model.documents import Dec, Frozen, Text, TextField
from parindex.model.errors import ParindexError


class GroupRuleError(ParindexError):
    kind = "group-rule"


class GroupedBatch(Protocol):
    """The groups of one batch under one rule."""

    @property
    def rule(self) -> str: ...

    #: Lower bounds of every group but the last, best first (None: the rule cuts by rank).
    @property
    def cuts(self) -> Sequence[Decimal] | None: ...

    @property
    def groups(self) -> Mapping[str, str]:
        """Unit → label."""
        ...

    @property
    def counts(self) -> Mapping[str, int]:
        """Label → how many units."""
        ...

    @property
    def summary(self) -> str:
        """The cut points and the group sizes, in a few words."""
        ...

    @property
    def description(self) -> str:
        """The rule, the summary and whether the rule is published, in one sentence."""
        ...


#: ``assign(values, cuts)``: a label for every key of ``values``; ``cuts`` are the cut points a
#: rule that takes them (:attr:`GroupRule.takes_cuts`) is given.
Assign = Callable[[Mapping[str, Decimal], Sequence[Decimal] | None], GroupedBatch]


@dataclass(frozen=True)
class GroupRule:
    """One way of cutting a batch into a grouping's groups (e.g. at the quartiles)."""

    name: str
    #: The rule in words, as notes and reports print it.
    text: str
    #: Whether the index's publisher states this rule (False: a reading, marked unverified).
    published: bool
    assign: Assign
    #: The rule needs cut points from the user; it is never chosen by default.
    takes_cuts: bool = False


@dataclass(frozen=True)
class Grouping:
    """A batch-relative grouping of one index, as a plugin registers it."""

    #: A short name, unique among the registered groupings.
    name: str
    #: Heads the notes about it ("X groups: <rule>; <note>").
    title: str
    #: One group, in a target's requirement ("X group of total ≥ best").
    noun: str
    #: The labels, best first.
    labels: tuple[str, ...]
    #: The rules that may cut a batch; the first one that takes no cut points is the default.
    rules: tuple[GroupRule, ...]
    #: The ids of the rulesets whose groups these are.
    rulesets: tuple[str, ...]
    #: What to say about the rules' standing (e.g. that the publisher does not state any).
    note: str = ""
    #: Labels in other languages: locale → label → words.
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: The option of ``parindex reproduce`` that chooses the rule, when the plugin adds one.
    option: str | None = None
    #: Target kinds for plans (subclasses of the target bases below).
    target_kinds: tuple[type[BatchTargetBase], ...] = ()

    def __post_init__(self) -> None:
        if not self.labels or not self.rules:
            raise GroupRuleError(f"grouping {self.name!r} needs labels and rules")
        if not any(not r.takes_cuts for r in self.rules):
            raise GroupRuleError(f"grouping {self.name!r} needs a rule that takes no cut points")

    @property
    def default_rule(self) -> GroupRule:
        return next(r for r in self.rules if not r.takes_cuts)

    @property
    def batch_rules(self) -> tuple[GroupRule, ...]:
        """The rules that need nothing but the batch (no cut points from the user)."""
        return tuple(r for r in self.rules if not r.takes_cuts)

    def rule(self, name: str | None = None) -> GroupRule:
        """The rule called ``name`` (None: the default); an unknown name is a typed error."""
        if name is None:
            return self.default_rule
        for r in self.rules:
            if r.name == name:
                return r
        known = ", ".join(r.name for r in self.rules)
        raise GroupRuleError(f"unknown group rule {name!r}; rules: {known}", field="rule")

    def rank_of(self, label: str) -> int:
        """0 for the best group, 1 for the next …"""
        return self.labels.index(label)

    def words(self, label: str, locale: str = "vi") -> str:
        """``label (its words in locale)``, or the label alone when no words are given."""
        other = self.translations.get(locale, {}).get(label)
        return f"{label} ({other})" if other else label


# ------------------------------------------------------------------------------ target bases
def _listed(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


#: One ruleset id or a list of them.
Rulesets = Annotated[tuple[str, ...], BeforeValidator(_listed)]


class TargetBase(Frozen):
    """What every target of a plan has: an id, a title, and where the plan says it."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: TextField = Text()
    clause: str | None = None
    quote: str | None = None
    note: str | None = None


class BatchTargetBase(TargetBase):
    """A target judged by a grouping across the batch. A subclass fixes ``kind`` (a ``Literal``),
    ``grouping`` (the :attr:`Grouping.name`), the default ``rulesets`` and the allowed labels."""

    grouping: ClassVar[str] = ""
    kind: str
    rulesets: Rulesets = Field(min_length=1)


class BatchGroupTarget(BatchTargetBase):
    """At least the named group across the batch, for the total or one node."""

    at_least: str
    of: str = "total"
    rule: str | None = None
    cuts: tuple[Dec, ...] | None = None


class BatchDimensionsTarget(BatchTargetBase):
    """No top-level node (dimension) in the named group across the batch."""

    none_in: str
    rule: str | None = None
    cuts: tuple[Dec, ...] | None = None


__all__ = [
    "Assign",
    "BatchDimensionsTarget",
    "BatchGroupTarget",
    "BatchTargetBase",
    "GroupRule",
    "GroupRuleError",
    "GroupedBatch",
    "Grouping",
    "Rulesets",
    "TargetBase",
]
