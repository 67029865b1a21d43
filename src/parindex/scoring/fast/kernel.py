"""The vectorised kernel: exact integer fixed-point scoring of many units at once.

Every number is an ``int64`` numerator over one common denominator ``Q`` chosen per batch: the
least common multiple of the denominators of every parameter (maxima, band and option points,
per-item amounts, …) and of every input's decimal scale (``10**s`` for inputs written with ``s``
decimals), including the divisions some rules make (``measure ÷ target``, ``÷ (levels − lowest)``,
``÷ scale``). Sums are therefore exact, with no binary floating point anywhere, and the total and
the index are rounded once, at the end, with the ruleset's mode by integer ``divmod`` — half-up
really rounds half up (``numpy.round`` would round half to even).

Agreement with the reference Decimal engine
-------------------------------------------
The engine computes in :class:`decimal.Decimal`: rule arithmetic at 34 significant digits, sums in
the caller's decimal context (28 digits by default). For most rulesets every such step is exact —
a ratio ``measure ÷ 1``, a percentage ``÷ 100``, sums of numbers with few digits — and the integer
result is *the* engine result. When a step can be inexact (``measure ÷ 3``: 0.333…), the engine's
total differs from the exact rational by less than a bound computed per batch; the rounded results
can differ only for a unit whose exact total (or index, or a node sum compared with its maximum)
lies within that bound of a rounding boundary — in practice an exact half-cent tie. Those units,
and only those, are re-scored with the reference engine, so every result equals the engine's.

Each column's points come from the kernel its rule brings (:mod:`parindex.model.kernels`); this
module checks the node's bounds, sums, rounds and decides which units to defer, for any kernel.

When the numbers are too large for ``int64`` (a bound is checked per batch before computing) or a
rule kind has no kernel, the whole batch is scored by the reference engine instead.

Inputs are read by :mod:`~parindex.scoring.fast.fixed`, ranks computed by
:mod:`~parindex.scoring.fast.ranks`, results held by :mod:`~parindex.scoring.fast.results`; their
names are re-exported here.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from parindex.model.kernels import Prepared, ceil_int, decimal_places, digits, floor_int, lcm
from parindex.scoring.fast import fused, threads
from parindex.scoring.fast.compile import Column, CompiledRuleset, Plan
from parindex.scoring.fast.fixed import (
    I64,
    LIMIT,
    MAX_DECIMALS,
    MAX_FLOAT_MAGNITUDE,
    Bool,
    FixedColumn,
    RawColumn,
    Scratch,
    Unsupported,
    _pow10,
    _smallest_scale,
    fixed_choice,
    fixed_from_decimals,
    fixed_from_floats,
    fixed_input,
    read_column,
)
from parindex.scoring.fast.ranks import rank_keys, rank_rows
from parindex.scoring.fast.results import BatchResult, Scored

Errors = Literal["raise", "mask"]


# ---------------------------------------------------------------------- exact rationals
_lcm = lcm
_ceil = ceil_int
_floor = floor_int
_places = decimal_places
_digits = digits


@dataclass
class _Prepared:
    """One column, ready to be evaluated: its kernel's numerators over a known denominator."""

    col: Column
    prepared: Prepared  # what the kernel derived for this column's inputs
    scale: int  # the input's decimal places
    den: int  # the points are num / den
    lo: int
    hi: int
    bound: int  # bound on |num| and every intermediate
    exact: bool  # the engine's Decimal steps for this column are exact
    places: int  # decimal places of its exact points (when exact)


def _prepare(col: Column, x: FixedColumn, lo: int, hi: int) -> _Prepared:
    return _prepare_at(col, x.scale, lo, hi)


def _prepare_at(col: Column, scale: int, lo: int, hi: int, prec: int | None = None) -> _Prepared:
    """The column prepared for inputs ``lo … hi`` at ``scale`` (cached on the column: small
    batches bring a new range with nearly every batch, so more are kept than lookup tables)."""
    key = (scale, lo, hi, decimal.getcontext().prec if prec is None else prec)
    cache = prepared_cache(col)
    got = cache.get(key)
    if got is None:
        got = _prepare_uncached(col, scale, lo, hi)
        if len(cache) > 4096:
            cache.clear()
        cache[key] = got
    assert isinstance(got, _Prepared)
    return got


def prepared_cache(col: Column) -> dict[tuple[int, int, int, int], _Prepared]:
    """The column's prepared kernels by (scale, lo, hi, precision)."""
    got = col.cache.get("prepared")
    if got is None:
        got = col.cache["prepared"] = {}
    assert isinstance(got, dict)
    return got


def _prepare_uncached(col: Column, s: int, lo: int, hi: int) -> _Prepared:
    if col.kernel is None:
        raise Unsupported(f"{col.code}: rule kind {col.kind!r} has no batch kernel")
    got = col.kernel.prepare(s, lo, hi, decimal.getcontext().prec)
    if got.den <= 0 or got.bound < 0:
        raise Unsupported(f"{col.code}: the {col.kind!r} kernel gave an invalid denominator")
    return _Prepared(col, got, s, got.den, lo, hi, got.bound, got.exact, got.places)


def _evaluate(pc: _Prepared, x: I64) -> tuple[I64, Bool | None]:
    """Numerators (over ``pc.den``) of the points for inputs ``x``, and which inputs are invalid
    for the rule itself (None: none can be). The lower/maximum check is made by the caller."""
    kernel = pc.col.kernel
    assert kernel is not None
    return kernel.evaluate(pc.prepared, x)


# ---------------------------------------------------------------------- rounding
def round_div(num: I64, den: int, mode: str) -> I64:
    """``num / den`` rounded to an integer with a Decimal rounding mode (sign-symmetric)."""
    if den == 1:
        return num
    neg = num < 0
    anyneg = bool(neg.any())
    a = np.abs(num) if anyneg else num
    q, r = np.divmod(a, den)
    if mode == "half_up":
        q += 2 * r >= den
    elif mode == "half_even":
        q += (2 * r > den) | ((2 * r == den) & ((q & 1) == 1))
    elif mode == "up":
        q += r > 0
    elif mode != "down":  # pragma: no cover - the model restricts the modes
        raise ValueError(mode)
    return np.where(neg, -q, q) if anyneg else q


def boundary_distance(num: I64, den: int, mode: str) -> npt.NDArray[np.float64]:
    """How far ``num / den`` lies from the nearest point where rounding changes, in units of
    ``1 / (2 den)``."""
    r = np.abs(num) % den
    d = np.abs(2 * r - den) if mode.startswith("half") else 2 * np.minimum(r, den - r)
    out: npt.NDArray[np.float64] = d.astype(np.float64)
    return out


Fallback = Callable[[int], Any]  # i → a ScoreCard from the reference engine (or raises)


def group_thresholds(compiled: CompiledRuleset) -> list[int]:
    """Each band's least index (an integer × 10^places) in ``compiled.groups``' order: an index
    is in the first band whose threshold it reaches, as :func:`classify` finds it (once per
    compiled ruleset)."""
    got = compiled.cache.get("group thresholds")
    if got is None:
        p = _pow10(compiled.places)
        got = compiled.cache["group thresholds"] = [
            _ceil(g.min * p) if g.min_inclusive else _floor(g.min * p) + 1 for g in compiled.groups
        ]
    assert isinstance(got, list)
    return got


def group_at(thresholds: list[int], index: int) -> int:
    """The position of the band holding ``index`` (−1: none), for one index."""
    for at, th in enumerate(thresholds):
        if index >= th:
            return at
    return -1


def _group_codes(compiled: CompiledRuleset, indices: I64) -> npt.NDArray[np.int16]:
    """Positions in ``compiled.groups`` of each index's band, as :func:`classify` finds it."""
    ths = group_thresholds(compiled)  # index ≥ th ⇔ the band contains it (bands by min, desc)
    if not ths:
        return np.full(indices.shape, -1, dtype=np.int16)
    if all(a > b for a, b in pairwise(ths)):
        asc = np.asarray(ths[::-1], dtype=np.int64)
        pos = np.searchsorted(asc, indices, side="right") - 1  # the highest threshold ≤ index
        out: npt.NDArray[np.int16] = np.where(pos >= 0, len(ths) - 1 - pos, -1).astype(np.int16)
        return out
    res = np.full(indices.shape, -1, dtype=np.int16)
    for at in reversed(range(len(ths))):  # the first match in min-desc order wins
        res = np.where(indices >= ths[at], np.int16(at), res)
    return res


#: Batches above this many units are scored in chunks of it: every work buffer of a chunk stays in
#: the processor's cache, and memory does not grow with the batch beyond its results.
CHUNK = 1 << 16

#: What a loader gives for a column: fixed point already, or input still to be read.
Input = FixedColumn | RawColumn


def score_plan(
    compiled: CompiledRuleset,
    plan: Plan,
    load: Loader | Mapping[str, Input],
    n: int,
    fallback: Fallback,
) -> Scored:
    """Score ``n`` units of one plan. ``load(column, scratch)`` gives each column's inputs (or a
    mapping of code → :class:`FixedColumn` or :class:`RawColumn`). Units the fast path cannot
    decide exactly are passed to ``fallback`` (the reference engine); their cards' total, index
    and group are used. More than :data:`CHUNK` units are scored chunk by chunk."""
    if plan.static_error is not None:
        return Scored.empty(n)
    if isinstance(load, Mapping):
        fixed = load

        def load(col: Column, scratch: Scratch) -> Input:
            return fixed[col.code]

    if n > CHUNK and plan.unsupported is None:
        kept = _score_kept(compiled, plan, load, n, fallback)
        if kept is not None:
            return kept
    if n <= CHUNK:
        return _score_part(compiled, plan, load, n, fallback, Scratch(n))
    out = Scored.empty(n)
    scratch = Scratch(CHUNK)
    for a in range(0, n, CHUNK):
        b = min(n, a + CHUNK)
        scratch.n = b - a
        part = _score_part(
            compiled, plan, _chunk_loader(load, a, b), b - a, _shifted(fallback, a), scratch
        )
        out.put(a, part)
    return out


def _chunk_loader(load: Loader, a: int, b: int) -> Loader:
    def sliced(col: Column, scratch: Scratch) -> Input:
        got = load(col, scratch)
        if isinstance(got, RawColumn):
            return got.chunk(a, b)
        return FixedColumn(got.values[a:b], got.scale)

    return sliced


def _shifted(fallback: Fallback, a: int) -> Fallback:
    def call(i: int) -> Any:
        return fallback(a + i)

    return call


def _score_part(
    compiled: CompiledRuleset,
    plan: Plan,
    load: Loader,
    n: int,
    fallback: Fallback,
    scratch: Scratch,
) -> Scored:
    if plan.unsupported is None:
        try:
            return _score_fast(compiled, plan, load, n, fallback, scratch)
        except Unsupported:
            # started from the last batch's denominator, which may have been larger than
            # this batch needs: once more from its own
            if compiled.cache.pop(f"denominator:{id(plan)}", None) is not None:
                try:
                    return _score_fast(compiled, plan, load, n, fallback, scratch)
                except Unsupported:
                    pass
    return _score_reference(compiled, plan, n, fallback)


def _score_reference(compiled: CompiledRuleset, plan: Plan, n: int, fallback: Fallback) -> Scored:
    out = apply_reference(compiled, list(range(n)), Scored.empty(n), fallback)
    out.whole_reference = True
    return out


def apply_reference(
    compiled: CompiledRuleset, rows: list[int], into: Scored, fallback: Fallback
) -> Scored:
    """Score ``rows`` with the reference engine (``fallback``); store their results in ``into``.

    A row the engine rejects is marked invalid."""
    from parindex.model.errors import ParindexError

    for i in rows:
        try:
            card = fallback(i)
        except ParindexError:
            into.valid[i] = False
            continue
        into.valid[i] = True
        into.totals[i] = int(card.total.scaleb(compiled.places))
        if card.index is None:
            into.known[i] = False
            into.groups[i] = -1
        else:
            ii = int(card.index.scaleb(compiled.places))
            into.indices[i] = ii
            into.known[i] = True
            into.groups[i] = group_at(group_thresholds(compiled), ii)
    into.reference_rows.extend(rows)
    return into


Loader = Callable[[Column, Scratch], Input]


def start_denominator(compiled: CompiledRuleset, plan: Plan) -> int:
    """The common denominator a batch of ``plan`` starts from: the parameters' denominators and
    the one the plan's last batch ended with, so that the running total is not rescaled column
    after column (a larger denominator is as exact)."""
    key = f"parameter denominator:{id(plan)}"
    fixed = compiled.cache.get(key)
    if fixed is None:  # the parameters' part, once per plan
        dens = [plan.constant.denominator]
        for col in plan.columns:
            if col.needs_bounds_check:
                dens.extend(col.denominators())
        for chk in plan.checks:
            dens.append(chk.maximum.denominator)
            dens.append(chk.constant.denominator)
        fixed = compiled.cache[key] = _lcm(*dens)
    return _lcm(fixed, compiled.cache.get(f"denominator:{id(plan)}", 1))


def admit(q: int, bound: int, pc: _Prepared) -> tuple[int, int, int, int]:
    """Room for a column's points over ``pc.den`` in a running total over ``q`` bounded by
    ``bound``: the new ``(q, bound)``, the factor the sums so far are multiplied by, and the
    factor that brings the column's numerators to ``q``. Raises :class:`Unsupported` when a
    value could leave int64."""
    grow = 1
    if q % pc.den:  # a new denominator: what has been summed so far is rescaled
        grow = pc.den // math.gcd(q, pc.den)
        q *= grow
        bound *= grow
        if q >= LIMIT or bound >= LIMIT:
            raise Unsupported("common denominator too large")
    f = q // pc.den
    bound += pc.bound * f
    if pc.bound * f >= LIMIT or bound >= LIMIT:
        raise Unsupported("a value is too large for int64")
    return q, bound, grow, f


@dataclass(frozen=True)
class Scales:
    """How a total over ``q`` becomes the rounded total and index: ``total · mul_t / den_t`` and
    ``total · mul_i / den_i`` (``index`` False: the plan has no index)."""

    mul_t: int
    den_t: int
    index: bool
    mul_i: int
    den_i: int


def result_scales(plan: Plan, q: int, total_bound: int, places: int) -> Scales:
    """The :class:`Scales` of a batch whose totals over ``q`` are bounded by ``total_bound``;
    raises :class:`Unsupported` when the products could leave int64."""
    pt = _pow10(places)
    gt = math.gcd(pt, q)
    mul_t, den_t = pt // gt, q // gt
    if total_bound * max(mul_t, 2) >= LIMIT:
        raise Unsupported("totals too large for int64")
    maximum = plan.maximum
    if maximum is None or maximum == 0:
        return Scales(mul_t, den_t, False, 1, 1)
    if maximum < 0:
        raise Unsupported("negative maximum")
    ai = 100 * pt * maximum.denominator
    bi = q * maximum.numerator
    gi = math.gcd(ai, bi)
    mul_i, den_i = ai // gi, bi // gi
    if total_bound * max(mul_i, 2) >= LIMIT or den_i >= LIMIT // 2:
        raise Unsupported("index too large for int64")
    return Scales(mul_t, den_t, True, mul_i, den_i)


@dataclass(frozen=True)
class ErrorBounds:
    """How far the engine's Decimal results can lie from the exact ones, as thresholds on the
    boundary distances of :func:`boundary_distance` (units of ``1 / (2 den)``): a total within
    ``total`` of a rounding boundary, a node sum within ``check`` (over ``q``) of its maximum,
    an index within ``index`` of one, may round otherwise in Decimal. ``exact``: every Decimal
    step is exact (no total or sum needs checking, and an index exactly on a boundary is as
    exact in Decimal); ``index is None``: no index needs checking."""

    total: float
    check: float
    index: float | None
    exact: bool


def error_bounds(
    plan: Plan, prepared: list[_Prepared], q: int, total_bound: int, places: int, scales: Scales
) -> ErrorBounds:
    """The :class:`ErrorBounds` of a batch (``total_bound / q`` bounds every total)."""
    prec = min(decimal.getcontext().prec, 34)
    # |constant| + Σ bound/den of every column, exactly: the running bound over q is that sum
    size = Fraction(total_bound, q)
    cols_exact = all(pc.exact for pc in prepared)
    sums_exact = False
    if cols_exact:
        e = max([pc.places for pc in prepared] + [_places(plan.constant) or 0])
        sums_exact = _digits(math.ceil(size * _pow10(e)) + 1) <= prec - 1
    err_t = (
        0.0
        if cols_exact and sums_exact
        else (10.0 * (plan.additions + 2) * (float(size) + 1.0) * 10.0 ** (1 - prec))
    )
    # distances are in units of 1 / (2 den_t) of a 10^-places
    scale_t = 2.0 * scales.den_t * 10.0**places
    index: float | None = None
    if scales.index:
        maximum = plan.maximum
        assert maximum is not None
        imax = float(size) * 100.0 / float(maximum) + 1.0
        err_i = err_t * 100.0 / float(maximum) + 10.0 * imax * 1e-33
        scale_i = 2.0 * scales.den_i * 10.0**places
        if err_i * scale_i >= 1.0 or err_t > 0:
            index = err_i * scale_i
    return ErrorBounds(err_t * scale_t, err_t * q, index, err_t == 0)


class _Sums:
    """The running total of a chunk over the common denominator ``q``, its bound, the units
    found invalid so far, and the points of the columns a node check needs."""

    def __init__(self, n: int, q: int, constant: Fraction) -> None:
        self.q = q
        self.total = np.full(n, constant.numerator * (q // constant.denominator), dtype=np.int64)
        self.bound = abs(constant.numerator) * (q // constant.denominator)
        self.invalid: Bool | None = None
        self.keep: dict[int, I64] = {}

    def admit(self, pc: _Prepared) -> int:
        """Make room for a column's points over ``pc.den``; the factor that brings them to
        ``q``."""
        self.q, self.bound, grow, f = admit(self.q, self.bound, pc)
        if grow != 1:
            self.total *= grow
            for arr in self.keep.values():
                arr *= grow
        return f

    def flag(self, more: Bool | None) -> None:
        if more is not None:
            self.invalid = more if self.invalid is None else self.invalid | more


def _score_fast(
    compiled: CompiledRuleset,
    plan: Plan,
    load: Loader,
    n: int,
    fallback: Fallback,
    scratch: Scratch,
) -> Scored:
    sums = _Sums(n, start_denominator(compiled, plan), plan.constant)
    needed = {i for chk in plan.checks for i in chk.columns}
    prepared: list[_Prepared] = []
    loops: Any = False  # looked up at the first column still to be read (numba's import)
    for ci, col in enumerate(plan.columns):
        got = load(col, scratch)
        if len(got.values) != n:
            raise ValueError(f"{col.code}: {len(got.values)} values for {n} units")
        pc = None
        if isinstance(got, RawColumn):
            if loops is False:
                loops = fused.loops(n)
            if loops is not None:
                pc = _fused_column(loops, sums, col, got, scratch, ci if ci in needed else None)
        if pc is None:
            fx = read_column(got, col, scratch)
            pc = _numpy_column(sums, col, fx, scratch, ci if ci in needed else None)
        prepared.append(pc)
    compiled.cache[f"denominator:{id(plan)}"] = sums.q
    return _results(compiled, plan, sums, prepared, fallback)


def _score_kept(
    compiled: CompiledRuleset, plan: Plan, load: Loader, n: int, fallback: Fallback
) -> Scored | None:
    """A large batch scored chunk by chunk in one call of the fused loops each, the chunks
    shared out to threads (the loops release the GIL), when every column's inputs lie in the
    range and scale kept from an earlier batch (the steady state of a caller scoring batch after
    batch). Each chunk's points are added with the lookup tables that batch used, and its totals
    rounded, banded and tested for the engine's check in the same call (``finish_span``), so the
    result is the one the column-by-column path gives without its Python and numpy work per
    column. None (nothing changed) when a column is not such a column, or a value falls outside
    what was kept."""
    loops = fused.loops(n)
    if loops is None or plan.checks:
        return None
    sums = _Sums(n, start_denominator(compiled, plan), plan.constant)
    prepared: list[_Prepared] = []
    xf: list[npt.NDArray[Any]] = []
    tf: list[I64] = []
    pf: list[float] = []
    lof: list[float] = []
    xi: list[npt.NDArray[Any]] = []
    ti: list[I64] = []
    loi: list[int] = []
    scratch = Scratch(0)
    try:
        for col in plan.columns:
            got = load(col, scratch)
            if (
                not isinstance(got, RawColumn)
                or len(got.values) != n
                or not got.values.flags.c_contiguous
            ):
                return None
            x = got.values
            if x.dtype == np.float64 and col.input not in ("choice", "count"):
                state = col.cache.get("fused")
                if state is None or got.decimals not in (None, state[0]):
                    return None
            elif x.dtype == np.int64:
                state = col.cache.get("fused-int")
                if state is None:
                    return None
            else:
                return None
            s, lo, hi = state
            pc = _prepare_at(col, s, lo, hi)
            q, _, grow, f = admit(sums.q, sums.bound, pc)
            lut, badl = _lookup_table(pc, q, f)
            if grow != 1 or badl is not None:
                return None
            sums.admit(pc)
            prepared.append(pc)
            if x.dtype == np.float64 and col.input not in ("choice", "count"):
                xf.append(x)
                tf.append(lut)
                pf.append(float(_pow10(s)))
                lof.append(float(lo))
            else:
                xi.append(x)
                ti.append(lut)
                loi.append(lo)
        places = compiled.places
        sc = result_scales(plan, sums.q, sums.bound, places)
        err = error_bounds(plan, prepared, sums.q, sums.bound, places, sc)
    except Unsupported:
        return None
    args = (*loops.typed(xf, pf, lof, tf, xi, loi, ti), sums.total)
    scales = np.array([sc.mul_t, sc.den_t, sc.index, sc.mul_i, sc.den_i], dtype=np.int64)
    limits = np.array(
        [
            -1.0 if err.exact else err.total,
            -1.0 if err.index is None else err.index,
            1.0 if err.exact else 0.0,
        ]
    )
    mode = loops.MODES[compiled.mode]
    ths = np.asarray(group_thresholds(compiled), dtype=np.int64)
    out = Scored.empty(n)
    flagged = np.empty(n, dtype=np.bool_)

    def add(a: int, b: int) -> int:
        got = int(loops.add_columns(*args, a, b))
        if got < 0:
            loops.finish_span(
                sums.total,
                a,
                b,
                scales,
                mode,
                ths,
                limits,
                out.totals,
                out.indices,
                out.groups,
                flagged,
            )
        return got

    # spans of about equal size, at least one per thread (a unit's result is its own: where
    # the spans begin changes nothing), none larger than a chunk
    parts = max(-(-n // CHUNK), threads.count())
    cuts = [n * k // parts for k in range(parts + 1)]
    spans = [(a, b) for a, b in pairwise(cuts) if b > a]
    if not threads.run_spans(add, spans):
        return None
    out.known[:] = sc.index
    out.valid[:] = True
    rows = [int(i) for i in np.flatnonzero(flagged)]
    if rows:
        apply_reference(compiled, rows, out, fallback)
    return out


def _results(
    compiled: CompiledRuleset,
    plan: Plan,
    sums: _Sums,
    prepared: list[_Prepared],
    fallback: Fallback,
) -> Scored:
    """Rounded totals, indices and groups of the units summed in ``sums``; the units whose
    Decimal results could differ from the exact ones are scored by ``fallback``."""
    places = compiled.places
    mode = compiled.mode
    q = sums.q
    total = sums.total
    n = len(total)
    invalid = sums.invalid
    keep = sums.keep
    for chk in plan.checks:
        s = np.full(n, chk.constant.numerator * (q // chk.constant.denominator), dtype=np.int64)
        for ci in chk.columns:
            s += keep[ci]
        over = s > chk.maximum.numerator * (q // chk.maximum.denominator)
        invalid = over if invalid is None else invalid | over

    sc = result_scales(plan, q, sums.bound, places)
    # ---- rounding, index, groups
    mul_t, den_t, mul_i, den_i = sc.mul_t, sc.den_t, sc.mul_i, sc.den_i
    totals = round_div(total * mul_t if mul_t != 1 else total, den_t, mode)
    if sc.index:
        indices = round_div(total * mul_i if mul_i != 1 else total, den_i, mode)
        groups = _group_codes(compiled, indices)
        known = np.ones(n, dtype=np.bool_)
    else:
        indices = np.zeros(n, dtype=np.int64)
        groups = np.full(n, -1, dtype=np.int16)
        known = np.zeros(n, dtype=np.bool_)

    # ---- agreement with the engine's Decimal steps
    flagged = _near_boundaries(
        plan, total, sc, error_bounds(plan, prepared, q, sums.bound, places, sc), mode, q, keep
    )
    valid = np.ones(n, dtype=np.bool_) if invalid is None else ~invalid
    out = Scored(totals, indices, known, groups, valid, [])
    if flagged is not None:
        rows = [int(i) for i in np.flatnonzero(flagged & valid)]
        if rows:
            apply_reference(compiled, rows, out, fallback)
    return out


def _lut_fits(lo: int, hi: int, n: int) -> bool:
    """A lookup table over ``lo … hi`` is worth building for ``n`` units."""
    return n >= 64 and hi - lo + 1 <= max(1024, n // 2)


def _numpy_column(
    sums: _Sums, col: Column, fx: FixedColumn, scratch: Scratch, keep: int | None
) -> _Prepared:
    """Add one column's points to ``sums`` with numpy operations."""
    n = len(fx.values)
    lo, hi = fx.bounds()
    pc = _prepare(col, fx, lo, hi)
    f = sums.admit(pc)
    x = fx.values
    if _lut_fits(lo, hi, n):
        lut, badl = _lookup_table(pc, sums.q, f)
        if lo:
            xi = x if fx.scratch else scratch.get("index", np.int64)
            np.subtract(x, lo, out=xi)
        else:
            xi = x
        pts = scratch.get("points", np.int64)
        # every index is in range (lo … hi); "clip" skips the buffered copy "raise" makes
        np.take(lut, xi, out=pts, mode="clip")
        if badl is not None:
            sums.flag(badl.take(xi))
    else:
        num, bad = _evaluate(pc, x)
        pts = num * f if f != 1 else num
        sums.flag(_bounds(col, pts, sums.q, bad))
    np.add(sums.total, pts, out=sums.total)
    if keep is not None:
        sums.keep[keep] = pts.copy()
    return pc


def _fused_column(
    loops: Any, sums: _Sums, col: Column, raw: RawColumn, scratch: Scratch, keep: int | None
) -> _Prepared | None:
    """Add one column's points to ``sums`` with the fused loops (one pass over the inputs), or
    return None (nothing added) when the column needs the numpy path: a value that is not exact
    at the scale tried, a range too wide for a lookup table, an input type the loops do not
    read. The lookup table's range and scale are kept on the column: a later batch with values
    inside it needs no separate pass to find them."""
    x = raw.values
    n = len(x)
    idx = scratch.get("fused-index", np.int32)
    if x.dtype == np.float64 and col.input not in ("choice", "count"):
        state = col.cache.get("fused")
        hit: tuple[int, int, int] | None = None
        if state is not None and raw.decimals in (None, state[0]):
            s, lo, hi = state
            if loops.index_floats(x, float(_pow10(s)), float(lo), hi - lo + 1, idx):
                hit = state
        if hit is None:
            s = raw.decimals if raw.decimals is not None else col.cache.get("scale")
            if s is None:
                s = _smallest_scale(np.asarray(x[:256]))  # a lower bound; numpy searches on
            p = float(_pow10(s))
            ok, flo, fhi = loops.scan_floats(x, p, float(MAX_FLOAT_MAGNITUDE))
            if not ok:
                return None
            lo, hi = int(flo), int(fhi)
            if not _lut_fits(lo, hi, n) or not loops.index_floats(x, p, flo, hi - lo + 1, idx):
                return None
            hit = (s, lo, hi)
            col.cache["fused"] = hit
            col.cache["scale"] = s
    elif x.dtype == np.int64:
        state = col.cache.get("fused-int")
        hit = None
        if state is not None and loops.index_ints(x, state[1], state[2] - state[1] + 1, idx):
            hit = state
        if hit is None:
            lo, hi = int(x.min()), int(x.max())
            if not _lut_fits(lo, hi, n):
                return None
            loops.index_ints(x, lo, hi - lo + 1, idx)
            hit = (0, lo, hi)
            col.cache["fused-int"] = hit
    else:
        return None
    s, lo, hi = hit
    pc = _prepare_at(col, s, lo, hi)
    f = sums.admit(pc)
    lut, badl = _lookup_table(pc, sums.q, f)
    loops.gather_add(lut, idx, sums.total)
    if badl is not None:
        sums.flag(badl.take(idx))
    if keep is not None:
        sums.keep[keep] = lut.take(idx)
    return pc


def _lookup_table(pc: _Prepared, q: int, f: int) -> tuple[I64, Bool | None]:
    """Points (over ``q``) of every input from ``pc.lo`` to ``pc.hi``, and which are invalid."""
    key = (pc.scale, pc.lo, pc.hi, q)
    tables = pc.col.cache.get("lookup tables")
    if tables is None:  # kept apart from the column's other caches: only these can be large
        tables = pc.col.cache["lookup tables"] = {}
    got = tables.get(key)
    if got is None:
        grid = np.arange(pc.lo, pc.hi + 1, dtype=np.int64)
        num, bad = _evaluate(pc, grid)
        lut = num * f if f != 1 else num
        badl = _bounds(pc.col, lut, q, bad)
        got = (lut, badl if badl is not None and bool(badl.any()) else None)
        if len(tables) > 256:
            tables.clear()
        tables[key] = got
    assert isinstance(got, tuple)
    return got


def _bounds(col: Column, pts: I64, q: int, bad: Bool | None) -> Bool | None:
    """Add the engine's ``lower ≤ points ≤ maximum`` check where it can fail."""
    if not col.needs_bounds_check:
        return bad
    low = col.lower.numerator * (q // col.lower.denominator)
    out = pts < low
    if col.maximum is not None:
        out |= pts > col.maximum.numerator * (q // col.maximum.denominator)
    if bad is not None:
        out |= bad
    return out


def _near_boundaries(
    plan: Plan,
    total: I64,
    sc: Scales,
    err: ErrorBounds,
    mode: str,
    q: int,
    keep: dict[int, I64],
) -> Bool | None:
    """Units whose rounded results could differ between exact and Decimal arithmetic."""
    flagged: Bool | None = None
    if not err.exact:
        d = boundary_distance(total * sc.mul_t if sc.mul_t != 1 else total, sc.den_t, mode)
        flagged = d <= err.total
        for chk in plan.checks:
            s = np.full(
                len(total), chk.constant.numerator * (q // chk.constant.denominator), dtype=np.int64
            )
            for ci in chk.columns:
                s += keep[ci]
            mx = chk.maximum.numerator * (q // chk.maximum.denominator)
            flagged |= np.abs(s - mx).astype(np.float64) <= err.check
    if err.index is not None:
        d = boundary_distance(total * sc.mul_i if sc.mul_i != 1 else total, sc.den_i, mode)
        near = d <= err.index
        if err.exact:
            near &= d > 0  # an exact tie of an exact total is exact in Decimal too
        flagged = near if flagged is None else flagged | near
    return flagged


__all__ = [
    "CHUNK",
    "I64",
    "LIMIT",
    "MAX_DECIMALS",
    "MAX_FLOAT_MAGNITUDE",
    "BatchResult",
    "Bool",
    "Errors",
    "Fallback",
    "FixedColumn",
    "Input",
    "Loader",
    "RawColumn",
    "Scored",
    "Scratch",
    "Unsupported",
    "apply_reference",
    "fixed_choice",
    "fixed_from_decimals",
    "fixed_from_floats",
    "fixed_input",
    "rank_keys",
    "rank_rows",
    "round_div",
    "score_plan",
]
