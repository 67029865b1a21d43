"""Batch kernels of the standard rule kinds (see :mod:`parindex.model.kernels` for the contract).

Each kernel turns a column of fixed-point inputs into exact integer points with a few numpy
operations, and says when the engine's Decimal steps are exact, so the batch path agrees with the
engine digit for digit. :mod:`parindex_core_rules.kinds` imports this module only when a rule is
compiled: loading the plugin does not import numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from parindex.model.kernels import (
    ColumnKernel,
    DirectPoints,
    Prepared,
    Rational,
    ScalarFn,
    ceil_int,
    decimal_places,
    digits,
    floor_int,
    lcm,
    power_of_ten_exponent,
)
from parindex.model.rules import InputKind

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]

_BIG = 1 << 62  # stands for ±infinity in integer band bounds
#: Counts above this are left to the engine by the scalar path (its products stay small).
_MAX_COUNT = 10**15


def _pair(f: Fraction | None) -> tuple[int, int] | None:
    return None if f is None else (f.numerator, f.denominator)


def _ge(n: int, d: int, f: Fraction) -> bool:
    return n * f.denominator >= f.numerator * d


def _le(n: int, d: int, f: Fraction) -> bool:
    return n * f.denominator <= f.numerator * d


# ---------------------------------------------------------------------- points
@dataclass(frozen=True)
class PointsKernel(DirectPoints):
    """``points``: the input is the points, a multiple of ``step`` when one is set."""

    step: Fraction | None = None

    def bound_factor(self) -> int:
        return self.step.denominator if self.step else 1

    def reject(self, x: I64, scale: int) -> Bool | None:
        if self.step is None:
            return None
        a, b = self.step.numerator, self.step.denominator
        xb = x * b if b != 1 else x
        out: Bool = (xb % (a * 10**scale)) != 0
        return out

    def accepts(self, n: int, d: int) -> bool:
        step = self.step
        return step is None or (n * step.denominator) % (step.numerator * d) == 0


# ---------------------------------------------------------------------- choice
@dataclass(frozen=True)
class ChoiceKernel(ColumnKernel):
    """``choice``: an option's position → its points."""

    options: tuple[str, ...] = ()
    points: tuple[Fraction, ...] = ()
    input: ClassVar[InputKind] = "choice"

    @property
    def low(self) -> Fraction | None:
        return min(self.points)

    @property
    def high(self) -> Fraction | None:
        return max(self.points)

    def denominators(self) -> list[int]:
        return [p.denominator for p in self.points]

    def prepare(self, scale: int, lo: int, hi: int, prec: int) -> Prepared:
        den = lcm(*(p.denominator for p in self.points))
        nums = [int(p * den) for p in self.points]
        places = max((decimal_places(p) or 0) for p in self.points)
        table = np.asarray(nums, dtype=np.int64)
        return Prepared(scale, lo, hi, den, max(abs(v) for v in nums), True, places, table)

    def evaluate(self, prepared: Prepared, x: I64) -> tuple[I64, Bool | None]:
        table: I64 = prepared.data
        n = len(table)
        bad = (x < 0) | (x >= n)
        out: I64 = table[np.clip(x, 0, n - 1)]
        return out, bad

    def scalar(self) -> tuple[ScalarFn, bool]:
        table = {
            k: (p.numerator, p.denominator) for k, p in zip(self.options, self.points, strict=True)
        }

        def choice(x: str) -> Rational | None:
            return table.get(x)

        return choice, True


# ---------------------------------------------------------------------- tiers
@dataclass(frozen=True)
class Band:
    """A tier band as exact fractions (None: open)."""

    min: Fraction | None
    min_inclusive: bool
    max: Fraction | None
    max_inclusive: bool
    points: Fraction


@dataclass(frozen=True)
class TiersKernel(ColumnKernel):
    """``tiers``: the first band, in declared order, that contains the measure gives the points."""

    bands: tuple[Band, ...]
    domain: tuple[Fraction | None, Fraction | None] = (None, None)
    input: ClassVar[InputKind] = "measure"

    @property
    def low(self) -> Fraction | None:
        return min(b.points for b in self.bands)

    @property
    def high(self) -> Fraction | None:
        return max(b.points for b in self.bands)

    def denominators(self) -> list[int]:
        return [b.points.denominator for b in self.bands]

    def prepare(self, scale: int, lo: int, hi: int, prec: int) -> Prepared:
        den = lcm(*(b.points.denominator for b in self.bands))
        bound = max(abs(int(b.points * den)) for b in self.bands)
        places = max((decimal_places(b.points) or 0) for b in self.bands)
        ax = max(abs(lo), abs(hi))
        return Prepared(
            scale, lo, hi, den, max(bound, ax), True, places, self._integers(scale, den)
        )

    def _integers(self, scale: int, den: int) -> dict[str, Any]:
        """Inclusive integer bounds of every band at ``scale``, and its points over ``den``."""
        p = 10**scale
        los: list[int] = []
        his: list[int] = []
        pts: list[int] = []
        for b in self.bands:
            if b.min is None:
                lo = -_BIG
            else:
                lo = ceil_int(b.min * p) if b.min_inclusive else floor_int(b.min * p) + 1
            if b.max is None:
                hi = _BIG
            else:
                hi = floor_int(b.max * p) if b.max_inclusive else ceil_int(b.max * p) - 1
            los.append(lo)
            his.append(hi)
            pts.append(int(b.points * den))
        dmin, dmax = self.domain
        order = sorted((i for i in range(len(los)) if los[i] <= his[i]), key=lambda i: los[i])
        disjoint = all(his[a] < los[b] for a, b in pairwise(order))
        return {
            "los": los,
            "his": his,
            "pts": pts,
            "dmin": None if dmin is None else ceil_int(dmin * p),
            "dmax": None if dmax is None else floor_int(dmax * p),
            "sorted": (
                (
                    np.asarray([los[i] for i in order], dtype=np.int64),
                    np.asarray([his[i] for i in order], dtype=np.int64),
                    np.asarray([pts[i] for i in order], dtype=np.int64),
                )
                if disjoint and order
                else None
            ),
        }

    def evaluate(self, prepared: Prepared, x: I64) -> tuple[I64, Bool | None]:
        t = prepared.data
        bad = np.zeros(x.shape, dtype=np.bool_)
        if t["dmin"] is not None:
            bad |= x < t["dmin"]
        if t["dmax"] is not None:
            bad |= x > t["dmax"]
        if t["sorted"] is not None:  # disjoint bands: one binary search
            slo, shi, spt = t["sorted"]
            idx = np.searchsorted(slo, x, side="right") - 1
            safe = np.clip(idx, 0, len(slo) - 1)
            bad |= (idx < 0) | (x > shi[safe])
            out: I64 = spt[safe]
            return out, bad
        los, his, pts = t["los"], t["his"], t["pts"]
        res = np.zeros(x.shape, dtype=np.int64)
        matched = np.zeros(x.shape, dtype=np.bool_)
        for i in reversed(range(len(los))):  # the first band declared wins, as in the engine
            hit = (x >= los[i]) & (x <= his[i])
            res = np.where(hit, pts[i], res)
            matched |= hit
        return res, bad | ~matched

    def scalar(self) -> tuple[ScalarFn, bool]:
        dmin, dmax = self.domain
        # the bands' fractions as integer pairs once (a Fraction's attributes are properties)
        ints = [
            (_pair(b.min), b.min_inclusive, _pair(b.max), b.max_inclusive, _pair(b.points))
            for b in self.bands
        ]

        def tiers(x: Decimal) -> Rational | None:
            n, d = x.as_integer_ratio()
            if (dmin is not None and not _ge(n, d, dmin)) or (
                dmax is not None and not _le(n, d, dmax)
            ):
                return None
            for lo, lo_inc, hi, hi_inc, points in ints:
                if lo is not None:
                    c = n * lo[1] - lo[0] * d
                    if c < 0 or (c == 0 and not lo_inc):
                        continue
                if hi is not None:
                    c = n * hi[1] - hi[0] * d
                    if c > 0 or (c == 0 and not hi_inc):
                        continue
                return points
            return None

        return tiers, True

    def input_range(self) -> tuple[Fraction | None, Fraction | None]:
        return self.domain


# ---------------------------------------------------------------------- linear in a measure
@dataclass(frozen=True)
class LinearKernel(ColumnKernel):
    """``(measure − shift) ÷ divisor × maximum``: the shape of ``proportional`` (clamped to
    0 … 1, shift 0), ``percent_points`` (measure in 0 … divisor) and ``survey_scale`` (measure in
    lowest … levels, shift = lowest, divisor = levels − lowest).

    The engine divides first (at 34 digits) and multiplies second, so the result is exact when
    the divisor's only prime factors are 2 and 5 and the digits fit; otherwise the batch path is
    told the steps are inexact and defers units near a rounding boundary to the engine."""

    maximum: Fraction
    divisor: Fraction
    #: proportional: the ratio is clamped to 0 … 1 (no input is rejected)
    clamp: bool = False
    #: survey_scale: the lowest answer (an integer), subtracted first in the caller's context
    shift: int | None = None
    #: the accepted measures (None: any)
    accept_min: Fraction | None = None
    accept_max: Fraction | None = None
    input: ClassVar[InputKind] = "measure"

    @property
    def low(self) -> Fraction | None:
        return Fraction(0)

    @property
    def high(self) -> Fraction | None:
        return self.maximum

    def _factors(self, scale: int) -> tuple[int, int, int, int, int]:
        p = 10**scale
        if self.shift is not None:
            a, b = int(self.divisor), 1
            shift = self.shift * p
        else:
            a, b = self.divisor.numerator, self.divisor.denominator
            shift = 0
        m = self.maximum
        u = p * a
        g = math.gcd(m.numerator, u * m.denominator)
        return a, b, shift, u, g

    def prepare(self, scale: int, lo: int, hi: int, prec: int) -> Prepared:
        m = self.maximum
        a, b, shift, u, g = self._factors(scale)
        ax = max(abs(lo), abs(hi))
        # the survey scale's x − lowest is computed in the caller's context: exact if it fits
        first_exact = self.shift is None or digits(ax + abs(shift)) <= prec
        den = u * m.denominator // g
        k = m.numerator // g
        top = (ax + abs(shift)) * b
        bound = max(top, u) * max(k, 1)
        kk = power_of_ten_exponent(a)
        mp = decimal_places(m) or 0
        exact = first_exact and kk is not None
        if exact:
            assert kk is not None
            ratio_coef = top * 10**kk // a + 1
            clamped = min(ratio_coef, 10 ** (scale + kk)) if self.clamp else ratio_coef
            exact = (
                digits(ratio_coef) <= 34
                and digits(clamped * m.numerator * 10**mp // m.denominator) <= 34
            )
        places = scale + (kk or 0) + mp
        return Prepared(scale, lo, hi, den, bound, exact, places, (b, shift, u, k))

    def evaluate(self, prepared: Prepared, x: I64) -> tuple[I64, Bool | None]:
        b, shift, u, k = prepared.data
        bad: Bool | None = None
        if self.clamp:
            r = np.clip(x * b if b != 1 else x, 0, u)
        elif self.shift is None:
            r = x * b if b != 1 else x
            bad = (r < 0) | (r > u)
        else:
            assert self.accept_max is not None
            r = x - shift
            bad = (x < shift) | (x > int(self.accept_max) * 10**prepared.scale)
        out: I64 = r * k if k != 1 else r
        return out, bad

    def scalar(self) -> tuple[ScalarFn, bool]:
        m = self.maximum
        div = self.divisor
        shift = Fraction(self.shift or 0)
        lo_ok, hi_ok = self.accept_min, self.accept_max
        a, b = div.numerator, div.denominator
        clamp = self.clamp

        def linear(x: Decimal) -> Rational | None:
            n, d = x.as_integer_ratio()
            if lo_ok is not None and (not _ge(n, d, lo_ok) or not _le(n, d, hi_ok or lo_ok)):
                return None
            # (x − shift) ÷ div: numerator and denominator of the ratio
            rn = (n * shift.denominator - shift.numerator * d) * b
            rd = d * shift.denominator * a
            if clamp:
                if rn < 0:
                    rn = 0
                elif rn > rd:
                    rn = rd
            return rn * m.numerator, rd * m.denominator

        return linear, power_of_ten_exponent(a) is not None

    def input_range(self) -> tuple[Fraction | None, Fraction | None]:
        return self.accept_min, self.accept_max


# ---------------------------------------------------------------------- counts
@dataclass(frozen=True)
class CountKernel(ColumnKernel):
    """``count``: ``min(count × per_item, cap)``."""

    per: Fraction
    cap: Fraction
    input: ClassVar[InputKind] = "count"

    @property
    def low(self) -> Fraction | None:
        return Fraction(0)

    @property
    def high(self) -> Fraction | None:
        return self.cap

    def denominators(self) -> list[int]:
        return [self.per.denominator, self.cap.denominator]

    def prepare(self, scale: int, lo: int, hi: int, prec: int) -> Prepared:
        den = lcm(self.per.denominator, self.cap.denominator)
        per = int(self.per * den)
        cap = int(self.cap * den)
        ax = max(abs(lo), abs(hi))
        bound = max(ax * abs(per), abs(cap))
        pp = decimal_places(self.per) or 0
        exact = digits(ax * self.per.numerator * 10**pp // self.per.denominator) <= prec
        places = max(pp, decimal_places(self.cap) or 0)
        return Prepared(scale, lo, hi, den, bound, exact, places, (per, cap))

    def evaluate(self, prepared: Prepared, x: I64) -> tuple[I64, Bool | None]:
        per, cap = prepared.data
        out: I64 = np.minimum(x * per, cap)
        return out, x < 0

    def scalar(self) -> tuple[ScalarFn, bool]:
        per, cap = self.per, self.cap

        def count(x: int) -> Rational | None:
            if x < 0 or x > _MAX_COUNT:
                return None
            v = min(per * x, cap)
            return v.numerator, v.denominator

        return count, True


@dataclass(frozen=True)
class DeductionKernel(ColumnKernel):
    """``deduction``: ``max(maximum − count × per_violation, 0)``."""

    per: Fraction
    maximum: Fraction
    input: ClassVar[InputKind] = "count"

    @property
    def low(self) -> Fraction | None:
        return Fraction(0)

    @property
    def high(self) -> Fraction | None:
        return self.maximum

    def denominators(self) -> list[int]:
        return [self.per.denominator]

    def prepare(self, scale: int, lo: int, hi: int, prec: int) -> Prepared:
        den = lcm(self.per.denominator, self.maximum.denominator)
        per = int(self.per * den)
        mx = int(self.maximum * den)
        ax = max(abs(lo), abs(hi))
        bound = ax * abs(per) + abs(mx)
        places = max(decimal_places(self.per) or 0, decimal_places(self.maximum) or 0)
        exact = digits(bound * 10**places // den + 1) <= prec
        return Prepared(scale, lo, hi, den, bound, exact, places, (per, mx))

    def evaluate(self, prepared: Prepared, x: I64) -> tuple[I64, Bool | None]:
        per, mx = prepared.data
        out: I64 = np.maximum(mx - x * per, 0)
        return out, x < 0

    def scalar(self) -> tuple[ScalarFn, bool]:
        # m − x·per over the common denominator, in integers, reduced as a Fraction would be
        den = lcm(self.per.denominator, self.maximum.denominator)
        mn = self.maximum.numerator * (den // self.maximum.denominator)
        pn = self.per.numerator * (den // self.per.denominator)

        def deduction(x: int) -> Rational | None:
            if x < 0 or x > _MAX_COUNT:
                return None
            v = mn - pn * x
            if v <= 0:
                return 0, 1
            g = math.gcd(v, den)
            return v // g, den // g

        return deduction, True


__all__ = [
    "Band",
    "ChoiceKernel",
    "CountKernel",
    "DeductionKernel",
    "LinearKernel",
    "PointsKernel",
    "TiersKernel",
]
