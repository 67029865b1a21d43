"""One input's exact points, in Python integers: a column's kernel in its scalar form, with the
node's ``lower ≤ points ≤ maximum`` check (used by :mod:`~parindex.scoring.fast.scalar` for one
assessment and :mod:`~parindex.scoring.fast.small` for a few units)."""

from __future__ import annotations

from typing import Any

from parindex.model.kernels import Rational, ScalarFn
from parindex.scoring.fast.compile import Column


def evaluator(col: Column) -> tuple[ScalarFn, bool]:
    """A function from the input value to its exact points (or None: invalid), and whether the
    engine's Decimal steps for it are always exact: the column's kernel's, with the node's
    ``lower ≤ points ≤ maximum`` check where it can fail."""
    assert col.kernel is not None  # a plan with a column without a kernel is unsupported
    ev, exact = col.kernel.scalar()
    if not col.needs_bounds_check:
        return ev, exact
    lower, maximum = col.lower, col.maximum
    ln, ld = lower.numerator, lower.denominator

    def bounded(x: Any) -> Rational | None:
        r = ev(x)
        if r is None:
            return None
        n, d = r
        if n * ld < ln * d or (
            maximum is not None and n * maximum.denominator > maximum.numerator * d
        ):
            return None
        return r

    return bounded, exact


__all__ = ["evaluator"]
