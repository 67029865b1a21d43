"""Reading inputs as exact fixed-point columns: ``int64`` numerators over a power of ten.

Floats are read as the decimals they print as, Decimals and ints at their smallest common decimal
scale, options by position — so the kernel (:mod:`parindex.scoring.fast.kernel`) never sees a
binary float. :class:`Unsupported` says a batch does not fit ``int64``; the reference engine then
scores it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from parindex.scoring.fast.compile import Column

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]

#: Every intermediate value must stay below this (int64 holds ±9.2e18).
LIMIT = 1 << 62
#: Float inputs are read as decimals with at most this many places.
MAX_DECIMALS = 12
#: Float inputs must have at most this many significant digits (so the decimal is unique).
MAX_FLOAT_MAGNITUDE = 10**15


class Unsupported(Exception):
    """The batch cannot be scored exactly in int64; the reference engine scores it."""


# ---------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class FixedColumn:
    """An input column as integers: ``values[i] / 10**scale`` is unit i's input, exactly.

    Options are given by position (in the order the ruleset declares them; −1 for an unknown
    key) and counts as whole numbers (scale 0).
    """

    values: I64
    scale: int = 0
    #: the smallest and largest value, when already known (saves two passes over the data)
    lo: int | None = None
    hi: int | None = None
    #: True when ``values`` is a work buffer the kernel may overwrite once it has read it
    scratch: bool = False

    def bounds(self) -> tuple[int, int]:
        if not len(self.values):
            return 0, 0
        if self.lo is not None and self.hi is not None:
            return self.lo, self.hi
        return int(self.values.min()), int(self.values.max())

    def decimal(self, i: int) -> Decimal:
        return Decimal(int(self.values[i])).scaleb(-self.scale)


def _pow10(s: int) -> int:
    return int(10**s)


def fixed_from_floats(
    x: npt.NDArray[np.floating[Any]],
    decimals: int | None = None,
    scratch: Scratch | None = None,
    hint: int | None = None,
) -> FixedColumn:
    """Read floats as the decimals they print as (``0.29`` → 29 hundredths), exactly.

    With ``decimals`` the scale is fixed; otherwise the smallest scale that represents every value
    is found. A value is accepted only when the decimal with that many places converts back to the
    same float and has at most 15 significant digits — it is then the decimal ``repr`` prints, as
    the YAML reader would read it. Raises :class:`ValueError` otherwise (NaN, ∞, too many digits).
    With ``scratch`` the result lives in a work buffer (valid until the next column is read).
    """
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    if decimals is not None:
        start, stop = decimals, decimals + 1
    else:
        if hint is not None:  # a scale that represented this column before: usually does again
            try:
                return fixed_from_floats(x, hint, scratch)
            except (ValueError, Unsupported):
                pass
        # the sample's scale is a lower bound for the whole column's
        start = _smallest_scale(np.asarray(x[:256], dtype=np.float64))
        stop = MAX_DECIMALS + 1
    if scratch is not None and scratch.n == n:
        y, back, same = (
            scratch.get("y", np.float64),
            scratch.get("back", np.float64),
            scratch.get("same", np.bool_),
        )
    else:
        y, back, same = np.empty(n), np.empty(n), np.empty(n, dtype=np.bool_)
    for s in range(start, stop):
        p = float(_pow10(s))
        np.multiply(x, p, out=y)
        np.rint(y, out=y)
        np.divide(y, p, out=back)
        np.equal(back, x, out=same)
        if not bool(same.all()):
            continue
        if not n:
            return FixedColumn(np.zeros(0, dtype=np.int64), s, 0, 0)
        lo, hi = float(y.min()), float(y.max())
        if not math.isfinite(lo - hi):  # ±∞ converts back to itself: it is no decimal either
            raise ValueError("NaN or infinite value")
        if max(-lo, hi) >= MAX_FLOAT_MAGNITUDE:
            raise Unsupported("a value has more than 15 significant digits")
        if scratch is not None and scratch.n == n:
            out = scratch.get("ints", np.int64)
            np.copyto(out, y, casting="unsafe")
            return FixedColumn(out, s, int(lo), int(hi), scratch=True)
        return FixedColumn(y.astype(np.int64), s, int(lo), int(hi))
    if not bool(np.all(np.isfinite(x))):
        raise ValueError("NaN or infinite value")
    if decimals is not None:
        raise ValueError(f"values are not exact decimals with {decimals} places")
    # e.g. 0.1 + 0.2 = 0.30000000000000004: exact only with 17 digits, beyond int64 fixed point
    raise Unsupported("values need more digits than int64 fixed point holds")


def _smallest_scale(x: npt.NDArray[np.float64]) -> int:
    for s in range(MAX_DECIMALS + 1):
        p = float(_pow10(s))
        if bool((np.rint(x * p) / p == x).all()):
            return s
    return MAX_DECIMALS


def fixed_from_decimals(values: Sequence[Decimal | int]) -> FixedColumn:
    """Exact integers from Decimals (or ints) at the smallest common decimal scale."""
    ratios = [v.as_integer_ratio() for v in values]
    n = len(ratios)
    try:
        nums = np.fromiter((r[0] for r in ratios), dtype=np.int64, count=n)
        dens = np.fromiter((r[1] for r in ratios), dtype=np.int64, count=n)
    except OverflowError:
        raise Unsupported("input too large for int64") from None
    den = 1
    for d in np.unique(dens).tolist():
        den = den * d // math.gcd(den, d)
    s = 0
    while _pow10(s) % den:
        s += 1
        if s > 18:
            raise Unsupported("too many decimals")
    p = _pow10(s)
    if n and int(np.abs(nums).max()) * p >= LIMIT:
        raise Unsupported("input too large for int64")
    out = nums * (p // dens) if p > 1 else nums
    return FixedColumn(out.astype(np.int64, copy=False), s)


def fixed_choice(values: npt.ArrayLike, col: Column) -> FixedColumn:
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return FixedColumn(arr.astype(np.int64, copy=False), 0)
    if arr.dtype.kind == "f" and bool(np.all(np.rint(arr) == arr)):  # e.g. a float 2-D array
        return FixedColumn(arr.astype(np.int64), 0)
    if arr.dtype.kind in "USO":
        pos = {k: i for i, k in enumerate(col.options)}
        keys, inverse = np.unique(arr.astype(str), return_inverse=True)
        table = np.asarray([pos.get(str(k), -1) for k in keys], dtype=np.int64)
        return FixedColumn(table[inverse.reshape(-1)], 0)
    raise ValueError("options are given as option keys (text) or positions (integers)")


def fixed_input(
    values: Any, col: Column, decimals: int | None = None, scratch: Scratch | None = None
) -> FixedColumn:
    """Turn one column of user input into a :class:`FixedColumn`."""
    if isinstance(values, FixedColumn):
        return values
    if col.input == "choice":
        return fixed_choice(values, col)
    arr = np.asarray(values)
    if arr.dtype.kind in "iub":
        return FixedColumn(arr.astype(np.int64, copy=False), 0)
    if arr.dtype.kind == "f":
        fx = fixed_from_floats(
            arr, 0 if col.input == "count" else decimals, scratch, col.cache.get("scale")
        )
        col.cache["scale"] = fx.scale
        return fx
    if arr.dtype.kind == "O":
        return fixed_from_decimals(list(arr.reshape(-1)))
    raise ValueError(f"cannot read values of type {arr.dtype}")


class Scratch:
    """Work buffers of one batch, reused from column to column (and from chunk to chunk):
    allocating fresh arrays for every operation (and paying the page faults) costs more than the
    arithmetic itself. ``n`` is the current length; buffers keep the largest length asked for."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._bufs: dict[tuple[str, str], npt.NDArray[Any]] = {}

    def get(self, name: str, dtype: type[np.generic]) -> npt.NDArray[Any]:
        key = (name, np.dtype(dtype).str)
        buf = self._bufs.get(key)
        if buf is None or len(buf) < self.n:
            buf = np.empty(self.n, dtype=dtype)
            self._bufs[key] = buf
        return buf[: self.n]


@dataclass(frozen=True)
class RawColumn:
    """A column of user input not yet read as fixed point (a 1-D float or integer array): read
    chunk by chunk, by the fused loops (:mod:`parindex.scoring.fast.fused`) or by
    :func:`fixed_input`."""

    values: npt.NDArray[Any]
    decimals: int | None = None

    def chunk(self, start: int, stop: int) -> RawColumn:
        return RawColumn(self.values[start:stop], self.decimals)


def read_column(
    got: FixedColumn | RawColumn, col: Column, scratch: Scratch | None = None
) -> FixedColumn:
    """``got`` as a :class:`FixedColumn`; a value that cannot be read raises :class:`ValueError`
    naming the column's code."""
    if isinstance(got, FixedColumn):
        return got
    try:
        return fixed_input(got.values, col, got.decimals, scratch)
    except ValueError as exc:
        raise ValueError(f"{col.code}: {exc}") from None


__all__ = [
    "I64",
    "LIMIT",
    "MAX_DECIMALS",
    "MAX_FLOAT_MAGNITUDE",
    "Bool",
    "FixedColumn",
    "RawColumn",
    "Scratch",
    "Unsupported",
    "fixed_choice",
    "fixed_from_decimals",
    "fixed_from_floats",
    "fixed_input",
    "read_column",
]
