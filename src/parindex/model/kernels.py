"""The batch contract of a rule kind: a *column kernel* that scores many inputs at once, exactly.

The compiled batch path (:mod:`parindex.scoring.fast`) scores every unit of a batch column by
column. It knows no rule kind: for each leaf it asks the node's rule for a kernel
(:meth:`parindex.model.rules.Rule.compile`) and a kind that gives none is scored unit by unit by
the reference engine, with the same results, only slower.

A kernel works on integers. An input column arrives in fixed point — ``x[i] / 10**scale`` is unit
i's measure or points, options arrive as their position in :attr:`ColumnKernel.options`, counts as
whole numbers (scale 0) — and the kernel returns, for every unit, the numerator of its points over
one denominator it chose (:attr:`Prepared.den`), and which inputs the rule rejects. Everything is
exact: parameters are :class:`fractions.Fraction`, arrays are ``int64``, and the kernel states a
bound on every intermediate value so the caller can refuse a batch that would overflow.

:meth:`ColumnKernel.prepare` runs once per column and input range (its result is cached), so the
per-unit work is a few vectorised numpy operations. A kernel may also tell whether the engine's
Decimal arithmetic is exact for those inputs (a division by 3 is not): the batch path then knows
which units to re-score with the engine to agree with it digit for digit.

This module imports no numpy: a kernel imports it where it evaluates.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    I64 = npt.NDArray[np.int64]
    Bool = npt.NDArray[np.bool_]

#: What an assessment gives for a leaf: points, a measure, a choice (an option key) or a count.
#: (Defined here, below the Rule interface, which re-exports it.)
InputKind = Literal["points", "measure", "choice", "count"]
#: An exact rational as (numerator, positive denominator).
Rational = tuple[int, int]
#: One input (a Decimal, an option key, a count) → its exact points (None: the rule rejects it).
ScalarFn = Callable[[Any], "Rational | None"]


@dataclass(frozen=True)
class Prepared:
    """A kernel's integer parameters for one column of inputs: points are ``num / den``.

    ``bound`` must bound the absolute value of every numerator :meth:`ColumnKernel.evaluate`
    returns and of every intermediate value it computes, for inputs in ``lo … hi``.
    """

    scale: int  # inputs are x / 10**scale
    lo: int  # the smallest input of the column (fixed point)
    hi: int  # the largest
    den: int  # the points' denominator
    bound: int
    #: True when the engine's Decimal steps for these inputs are exact (no inexact division)
    exact: bool = True
    #: decimal places of the exact points, when ``exact``
    places: int = 0
    #: whatever else the kernel derived once for this column (integer tables, thresholds)
    data: Any = None


class ColumnKernel(ABC):
    """How one rule scores a whole column of inputs. Subclasses are usually frozen dataclasses
    holding the rule's parameters as exact fractions.

    The node's own bounds (its minimum and maximum) are checked by the batch path, not here; a
    kernel rejects only what its rule rejects (an unknown option, a measure outside the domain).
    """

    #: What the column holds: ``points``, ``measure``, ``choice`` (positions) or ``count``.
    input: ClassVar[InputKind] = "points"
    #: For ``choice`` inputs: the option keys, in the order their positions refer to.
    options: tuple[str, ...] = ()

    @property
    def low(self) -> Fraction | None:
        """The fewest points an input the rule accepts can give (None: no bound known)."""
        return None

    @property
    def high(self) -> Fraction | None:
        """The most points an input the rule accepts can give (None: no bound known)."""
        return None

    def denominators(self) -> Sequence[int]:
        """Denominators of the points the kernel can give, when known in advance (they seed the
        batch's common denominator, which saves rescaling)."""
        return ()

    @abstractmethod
    def prepare(self, scale: int, lo: int, hi: int, prec: int) -> Prepared:
        """Integer parameters for inputs ``lo … hi`` at ``scale``. ``prec`` is the precision of
        the caller's decimal context (the engine's sums run in it)."""

    @abstractmethod
    def evaluate(self, prepared: Prepared, x: I64) -> tuple[I64, Bool | None]:
        """Numerators (over ``prepared.den``) of the points for inputs ``x``, and which inputs
        the rule rejects (None: none). ``x`` must not be modified; it may be returned."""

    def scalar(self) -> tuple[ScalarFn, bool]:
        """A function from one input (a Decimal; an option key; an int count) to its exact points
        (None: rejected), and whether the engine's Decimal steps for it are always exact.

        The default runs :meth:`evaluate` on a one-element array: correct, but a kernel used to
        score single assessments quickly (``parindex.api.score_summary``) should give a plain
        Python function."""
        import numpy as np

        def one(value: Any) -> Rational | None:
            if self.input == "choice":
                if value not in self.options:
                    return None
                n, d = self.options.index(value), 1
            else:
                n, d = Fraction(value).as_integer_ratio()
            scale = decimal_places(Fraction(1, d))
            if scale is None:
                return None
            x = n * 10**scale // d
            pre = self.prepare(scale, x, x, 28)
            num, bad = self.evaluate(pre, np.asarray([x], dtype=np.int64))
            if bad is not None and bool(bad[0]):
                return None
            f = Fraction(int(num[0]), pre.den)
            return f.numerator, f.denominator

        return one, False

    def input_range(self) -> tuple[Fraction | None, Fraction | None] | None:
        """The inputs the rule accepts, ``(low, high)`` with None for an open side; None when
        inputs are discrete (options, counts) or the kernel does not say. Analyses that perturb
        inputs (``parindex sensitivity``) keep perturbed values inside this range."""
        return None


@dataclass(frozen=True)
class DirectPoints(ColumnKernel):
    """Points given directly: each input is its own points (a node without a rule, an internal
    node given points, or a rule whose input is points). Subclasses add the rule's own checks in
    :meth:`reject` and :meth:`accepts`."""

    lower: Fraction
    maximum: Fraction | None

    def bound_factor(self) -> int:
        """How much larger than the inputs :meth:`reject`'s intermediate values can grow."""
        return 1

    def prepare(self, scale: int, lo: int, hi: int, prec: int) -> Prepared:
        ax = max(abs(lo), abs(hi))
        return Prepared(scale, lo, hi, 10**scale, ax * self.bound_factor(), True, scale)

    def reject(self, x: I64, scale: int) -> Bool | None:
        """Which inputs (``x / 10**scale``) the rule rejects; None: it accepts every number."""
        return None

    def evaluate(self, prepared: Prepared, x: I64) -> tuple[I64, Bool | None]:
        return x, self.reject(x, prepared.scale)

    def accepts(self, n: int, d: int) -> bool:
        """Whether the rule accepts the points ``n / d`` (one value: the scalar path). A subclass
        that overrides :meth:`reject` should override this too, or each value is checked by
        :meth:`reject` on a one-element array (correct, slower)."""
        return True

    def scalar(self) -> tuple[ScalarFn, bool]:
        cls = type(self)
        if cls.reject is not DirectPoints.reject and cls.accepts is DirectPoints.accepts:
            return super().scalar()
        accepts = self.accepts

        def direct(x: Any) -> Rational | None:
            n, d = x.as_integer_ratio()
            return (n, d) if accepts(n, d) else None

        return direct, True

    def input_range(self) -> tuple[Fraction | None, Fraction | None] | None:
        return self.lower, self.maximum


# ---------------------------------------------------------------------- exact integer helpers
def lcm(*values: int) -> int:
    """The least common multiple (1 for none)."""
    out = 1
    for v in values:
        out = out * v // math.gcd(out, v)
    return out


def ceil_int(f: Fraction) -> int:
    """The smallest integer ≥ ``f``."""
    return -((-f.numerator) // f.denominator)


def floor_int(f: Fraction) -> int:
    """The largest integer ≤ ``f``."""
    return f.numerator // f.denominator


def power_of_ten_exponent(n: int) -> int | None:
    """The smallest k with n | 10**k, or None when n has a prime factor other than 2 and 5 (or
    is 0, which divides no power of ten)."""
    n = abs(n)
    if n == 0:  # halving 0 never ends
        return None
    k2 = k5 = 0
    while n % 2 == 0:
        n //= 2
        k2 += 1
    while n % 5 == 0:
        n //= 5
        k5 += 1
    return max(k2, k5) if n == 1 else None


def decimal_places(f: Fraction) -> int | None:
    """How many decimal places ``f`` needs (None: its decimal does not terminate)."""
    return power_of_ten_exponent(f.denominator)


def digits(n: int) -> int:
    """The number of decimal digits of ``|n|``."""
    return len(str(abs(n)))


__all__ = [
    "ColumnKernel",
    "DirectPoints",
    "InputKind",
    "Prepared",
    "Rational",
    "ScalarFn",
    "ceil_int",
    "decimal_places",
    "digits",
    "floor_int",
    "lcm",
    "power_of_ten_exponent",
]
