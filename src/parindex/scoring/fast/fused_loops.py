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


#: units per block of :func:`_add_columns`: a block's indices and totals stay in the L1 cache
BLOCK = 1 << 14


def _float_block(x: Any, p: float, lo: float, top: float, idx: Any) -> bool:
    """``idx[i] = rint(x[i]·p) − lo``; False when a value is not exact at ``p`` or its
    position is outside ``0 … top``."""
    bad = False
    for i in range(x.shape[0]):
        v = x[i]
        y = np.rint(v * p)
        k = y - lo
        kc = min(max(k, 0.0), top)
        bad |= (y / p != v) | (kc != k)
        idx[i] = np.int32(kc)
    return not bad


def _int_block(x: Any, lo: int, span: int, idx: Any) -> bool:
    """``idx[i] = x[i] − lo``; False when a position is outside the table."""
    bad = False
    for i in range(x.shape[0]):
        k = x[i] - lo
        bad |= (k < 0) | (k >= span)
        idx[i] = np.int32(min(max(k, 0), span - 1))
    return not bad


def _gather_block(table: Any, idx: Any, total: Any) -> None:
    """``total[i] += table[idx[i]]``."""
    for i in range(total.shape[0]):
        total[i] += table[idx[i]]


float_block = _jit(_float_block)
int_block = _jit(_int_block)
gather_block = _jit(_gather_block)


def _add_columns(
    xf: Any,
    pf: Any,
    lof: Any,
    tf: Any,
    xi: Any,
    loi: Any,
    ti: Any,
    total: Any,
    start: int,
    stop: int,
) -> int:
    """``total[i] += Σ_j tf[j][rint(xf[j][i]·pf[j]) − lof[j]] + Σ_j ti[j][xi[j][i] − loi[j]]``
    for ``start ≤ i < stop``: every column in one call, block by block of units, so that a
    block's running totals stay in the cache while each column's inputs are read once. Returns
    −1, or the position of the first column (float columns first, then integer ones) with a
    value not exact at its scale or outside its table; ``total`` is then partly added to and
    meaningless. Calls on disjoint ranges may run at the same time (no shared writes)."""
    idx = np.empty(BLOCK, dtype=np.int32)
    for a in range(start, stop, BLOCK):
        m = min(stop, a + BLOCK) - a
        part = total[a : a + m]
        at = idx[:m]
        for j in range(len(xf)):
            t = tf[j]
            if not float_block(xf[j][a : a + m], pf[j], lof[j], t.shape[0] - 1.0, at):
                return j
            gather_block(t, at, part)
        for j in range(len(xi)):
            t = ti[j]
            if not int_block(xi[j][a : a + m], loi[j], t.shape[0], at):
                return len(xf) + j
            gather_block(t, at, part)
    return -1


#: rounding modes as :func:`_finish_span` takes them
MODES = {"half_up": 0, "half_even": 1, "up": 2, "down": 3}


#: below this, an int64 and its float64 are the same number
EXACT_FLOAT = 1 << 53


def _divmod(a: Any, den: Any) -> tuple[Any, Any]:
    """``divmod(a, den)`` for ``a ≥ 0``, ``den ≥ 1``. Below 2^53 both are exact floats, whose
    correctly rounded quotient is within one of the integer one, so one step corrects it (an
    int64 division costs several times a float one)."""
    if a < EXACT_FLOAT and den < EXACT_FLOAT:
        q = np.int64(np.float64(a) / np.float64(den))
        r = a - q * den
        if r < 0:
            q -= 1
            r += den
        elif r >= den:
            q += 1
            r -= den
        return q, r
    q = a // den
    return q, a - q * den


def _rounded(num: int, q: int, r: int, den: int, mode: int) -> int:
    """:func:`parindex.scoring.fast.kernel.round_div` of ``num`` from ``divmod(|num|, den)``."""
    if mode == 0:
        if 2 * r >= den:
            q += 1
    elif mode == 1:
        if 2 * r > den or (2 * r == den and q % 2 == 1):
            q += 1
    elif mode == 2 and r > 0:
        q += 1
    return -q if num < 0 else q


def _distance(r: int, den: int, mode: int) -> float:
    """:func:`parindex.scoring.fast.kernel.boundary_distance` from the remainder of
    ``|num| / den``."""
    if mode <= 1:
        d = 2 * r - den
        return float(-d if d < 0 else d)
    return float(2 * min(r, den - r))


def _finish_span(
    total: Any,
    start: int,
    stop: int,
    scales: Any,
    mode: int,
    thresholds: Any,
    limits: Any,
    totals: Any,
    indices: Any,
    groups: Any,
    flagged: Any,
) -> None:
    """The rounded totals, indices, groups and the units to check with the engine, of units
    ``start … stop − 1``: the kernel's ``round_div``, ``boundary_distance``, band look-up and
    boundary test in one pass. ``scales`` = (mul_t, den_t, has index, mul_i, den_i);
    ``limits`` = (total's threshold, < 0 for none; index's threshold, < 0 for none; 1 when every
    Decimal step is exact)."""
    mul_t, den_t, has_index, mul_i, den_i = scales[0], scales[1], scales[2], scales[3], scales[4]
    lim_t, lim_i, exact = limits[0], limits[1], limits[2] == 1.0
    for i in range(start, stop):
        t = total[i]
        nt = t * mul_t
        q, r = _divmod_jit(-nt if nt < 0 else nt, den_t)
        totals[i] = _rounded_jit(nt, q, r, den_t, mode)
        near = False
        if lim_t >= 0.0:
            near = _distance_jit(r, den_t, mode) <= lim_t
        if has_index:
            ni = t * mul_i
            q, r = _divmod_jit(-ni if ni < 0 else ni, den_i)
            index = _rounded_jit(ni, q, r, den_i, mode)
            indices[i] = index
            g = -1
            for at in range(thresholds.shape[0]):
                if index >= thresholds[at]:
                    g = at
                    break
            groups[i] = g
            if lim_i >= 0.0:
                d = _distance_jit(r, den_i, mode)
                near |= (d <= lim_i) & ((not exact) | (d > 0.0))
        else:
            indices[i] = 0
            groups[i] = -1
        flagged[i] = near


def typed(
    xf: list[Any],
    pf: list[float],
    lof: list[float],
    tf: list[Any],
    xi: list[Any],
    loi: list[int],
    ti: list[Any],
) -> tuple[Any, ...]:
    """:func:`add_columns`' arguments as numba takes them (typed lists of arrays; an empty list
    gets its item type from a zero-length array of the same type)."""
    f64 = np.zeros(0, dtype=np.float64)
    i64 = np.zeros(0, dtype=np.int64)

    def arrays(items: list[Any], like: Any) -> Any:
        out = numba.typed.List.empty_list(numba.typeof(like))  # type: ignore[no-untyped-call,unused-ignore]
        for a in items:
            out.append(a)
        return out

    return (
        arrays(xf, f64),
        np.asarray(pf, dtype=np.float64),
        np.asarray(lof, dtype=np.float64),
        arrays(tf, i64),
        arrays(xi, i64),
        np.asarray(loi, dtype=np.int64),
        arrays(ti, i64),
    )


_divmod_jit = _jit(_divmod)
_rounded_jit = _jit(_rounded)
_distance_jit = _jit(_distance)
finish_span = _jit(_finish_span)
scan_floats = _jit(_scan_floats)
index_floats = _jit(_index_floats)
index_ints = _jit(_index_ints)
gather_add = _jit(_gather_add)
add_columns = _jit(_add_columns)

#: the division as a plain Python function (for the tests)
PYTHON_DIVMOD = _divmod

#: the same loops as plain Python functions (for the tests)
PYTHON = {
    "scan_floats": _scan_floats,
    "index_floats": _index_floats,
    "index_ints": _index_ints,
    "gather_add": _gather_add,
    "add_columns": _add_columns,
}

__all__ = [
    "BLOCK",
    "PYTHON",
    "add_columns",
    "gather_add",
    "index_floats",
    "index_ints",
    "scan_floats",
]
