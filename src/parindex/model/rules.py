"""The rule-kind interface. Concrete kinds live in plugins (``parindex_core_rules`` and others).

A rule turns one input (points, a measure, a choice or a count) into points for a leaf node. Each
kind is a frozen pydantic model whose fields are its parameters; it is registered through the
``parindex_rule_kinds`` plugin hook, exactly as a third party's kind would be.

A kind may also bring its batch kernel (:meth:`Rule.compile`, see :mod:`parindex.model.kernels`):
the compiled batch path then scores a whole column of units with it at numpy speed. Without one,
the kind still works everywhere; batches are scored unit by unit by the reference engine.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from parindex.model.errors import RuleError, RulesetError
from parindex.model.kernels import ColumnKernel, InputKind

__all__ = ["ColumnKernel", "InputKind", "Outcome", "Rule"]


@dataclass(frozen=True)
class Outcome:
    """What a rule computed, and how: the trace shown to users."""

    points: Decimal
    matched: str | None = None  # the option or tier that applied, or the formula used
    detail: str | None = None  # the arithmetic, in words


class Rule(BaseModel):
    """Base class of every rule kind.

    Subclasses declare ``kind: Literal["name"] = "name"``, set :attr:`input_kind`, and implement
    :meth:`evaluate`. They may override :meth:`check` to validate themselves against the node's
    maximum at load time, and :meth:`max_points` when the rule itself bounds the points.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    kind: str
    #: Which input the assessment supplies for a leaf with this rule.
    input_kind: ClassVar[InputKind] = "points"
    #: True when the rule cannot be scored without the node's maximum.
    needs_maximum: ClassVar[bool] = False
    #: The error type raised when :meth:`check` finds a problem.
    error_type: ClassVar[type[RulesetError]] = RuleError
    #: True when a larger input never gives fewer points (``False`` for deductions).
    increasing: ClassVar[bool | None] = True

    def check(self, maximum: Decimal | None) -> list[str]:
        """Problems with this rule for a node with ``maximum``; empty when it is consistent."""
        return []

    def max_points(self) -> Decimal | None:
        """The most points the rule can give, when it knows (e.g. the best option)."""
        return None

    @abstractmethod
    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        """Points for ``value``. Raise :class:`ValueError` with a clear message for bad values."""

    def evaluate_points(self, value: Decimal | str, maximum: Decimal | None) -> Decimal:
        """The points :meth:`evaluate` gives, without the words of its trace.

        A kind may override this with a faster form; the engine then scores with it and calls
        :meth:`evaluate` only when the card's entries are first read, for the option or tier
        matched and the arithmetic. An override must give exactly :meth:`evaluate`'s points and
        raise exactly what it raises (the simplest way: call :meth:`evaluate` for any input off
        the common path; ``tests/core/test_entries_later.py`` checks the standard kinds). Kinds
        that do not override it are evaluated in full when scored, as before."""
        return self.evaluate(value, maximum).points

    @classmethod
    def has_fast_points(cls) -> bool:
        """Whether the kind brings its own :meth:`evaluate_points` (its traces are then worded
        when read)."""
        return cls.evaluate_points is not Rule.evaluate_points

    def describe(self) -> str:
        """A one-line description for ``parindex show``."""
        return self.kind

    def compile(self, maximum: Fraction | None, lower: Fraction) -> ColumnKernel | None:
        """The batch kernel of this rule at a node with ``maximum`` (None: not published) and
        minimum ``lower``, or None when the kind has none: the batch path then leaves the node's
        units to the reference engine. A kernel must give exactly the points :meth:`evaluate`
        gives and reject exactly the inputs it rejects (``tests/fast/test_every_kind.py`` checks
        every registered kind)."""
        return None

    @classmethod
    def has_kernel(cls) -> bool:
        """Whether the kind brings a batch kernel (overrides :meth:`compile`)."""
        return cls.compile is not Rule.compile
