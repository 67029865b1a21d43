"""The fused inner loops, compiled by numba: one pass over a column reads every float as fixed
point, checks that it is exact and inside a lookup table's range, and gives its table index.

numpy needs about eight passes for the same (multiply, ``rint``, divide back, compare, minimum,
maximum, convert, subtract); here each value is loaded once. Importing this module imports numba
(an optional extra): :mod:`parindex.scoring.fast.fused` imports it only when numba is installed
and a batch is large enough to use it. Every function is also correct as plain Python (the tests
run them so, to check the numba build against them and the pure-numpy path).
"""

from __future__ import annotations

from typing import Any

import numba  # type: ignore[import-not-found,import-untyped,unused-ignore]
import numpy as np

_jit = numba.njit(cache=True, nogil=True, boundscheck=False)


def _scan_floats(x: Any, p: float, limit: float) -> tuple[bool, float, float]:
    """Whether every ``x[i]`` is exactly ``rint(x[i]·p) / p`` with ``|rint(x[i]·p)| < limit``,
    and the least and greatest ``rint(x[i]·p)`` (NaN and ±∞ are never exact)."""
    n = x.shape[0]
    bad = False
    lo = np.inf
    hi = -np.inf
    for i in range(n):
        v = x[i]
        y = np.rint(v * p)
        bad |= y / p != v
        lo = min(lo, y)
        hi = max(hi, y)
    return (not bad) and n > 0 and -limit < lo and hi < limit, lo, hi


def _index_floats(x: Any, p: float, lo: float, span: int, out: Any) -> bool:
    """``out[i] = rint(x[i]·p) − lo``; False when a value is not exact at ``p`` or its index is
    outside ``0 … span − 1`` (``out`` is then meaningless)."""
    n = x.shape[0]
    top = span - 1.0
    bad = False
    for i in range(n):
        v = x[i]
        y = np.rint(v * p)
        k = y - lo
        kc = min(max(k, 0.0), top)  # kept in range even for a bad value: never out of bounds
        bad |= (y / p != v) | (kc != k)
        out[i] = np.int32(kc)
    return not bad


def _index_ints(x: Any, lo: int, span: int, out: Any) -> bool:
    """``out[i] = x[i] − lo``; False when an index is outside ``0 … span − 1``."""
    n = x.shape[0]
    bad = False
    for i in range(n):
        k = x[i] - lo
        bad |= (k < 0) | (k >= span)
        out[i] = np.int32(min(max(k, 0), span - 1))
    return not bad


def _gather_add(table: Any, idx: Any, total: Any) -> None:
    """``total[i] += table[idx[i]]``."""
    for i in range(idx.shape[0]):
        total[i] += table[idx[i]]


scan_floats = _jit(_scan_floats)
index_floats = _jit(_index_floats)
index_ints = _jit(_index_ints)
gather_add = _jit(_gather_add)

#: the same loops as plain Python functions (for the tests)
PYTHON = {
    "scan_floats": _scan_floats,
    "index_floats": _index_floats,
    "index_ints": _index_ints,
    "gather_add": _gather_add,
}

__all__ = ["PYTHON", "gather_add", "index_floats", "index_ints", "scan_floats"]
