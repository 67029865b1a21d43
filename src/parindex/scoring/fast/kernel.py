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
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from parindex.model.kernels import Prepared, ceil_int, decimal_places, digits, floor_int, lcm
from parindex.scoring.fast.compile import Column, CompiledRuleset, Plan

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]

#: Every intermediate value must stay below this (int64 holds ±9.2e18).
LIMIT = 1 << 62
#: Float inputs are read as decimals with at most this many places.
MAX_DECIMALS = 12
#: Float inputs must have at most this many significant digits (so the decimal is unique).
MAX_FLOAT_MAGNITUDE = 10**15
Errors = Literal["raise", "mask"]


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
    else:  # the sample's scale is a lower bound for the whole column's
        start = _smallest_scale(np.asarray(x[:256], dtype=np.float64))
        if hint is not None and hint > start:  # a scale that represented this column before
            try:
                return fixed_from_floats(x, hint, scratch)
            except (ValueError, Unsupported):
                pass
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
    key = ("prepare", x.scale, lo, hi, decimal.getcontext().prec)
    got = col.cache.get(key)
    if got is None:
        got = _prepare_uncached(col, x.scale, lo, hi)
        if len(col.cache) > 256:
            col.cache.clear()
        col.cache[key] = got
    assert isinstance(got, _Prepared)
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


def _boundary_distance(num: I64, den: int, mode: str) -> npt.NDArray[np.float64]:
    """How far ``num / den`` lies from the nearest point where rounding changes, in units of
    ``1 / (2 den)``."""
    r = np.abs(num) % den
    d = np.abs(2 * r - den) if mode.startswith("half") else 2 * np.minimum(r, den - r)
    out: npt.NDArray[np.float64] = d.astype(np.float64)
    return out


# ---------------------------------------------------------------------- ranks
def rank_keys(keys: I64, ties: str) -> I64:
    """Ranks (1 = best; higher key is better) under a tie rule, as
    :func:`parindex.scoring.ranking.ranks` computes them: the sort is stable, so ordinal ranks keep
    the input order among ties.

    Keys are integers (rounded indices or totals in units of the last place), so when their range
    is small the ranks come from counting (O(n)) instead of sorting."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if ties != "ordinal":
        lo, hi = int(keys.min()), int(keys.max())
        span = hi - lo + 1
        if span <= max(4 * n, 1 << 16):
            k = keys - lo if lo else keys
            counts = np.bincount(k, minlength=span)
            greater = n - np.cumsum(counts)  # how many keys are above each value
            if ties == "competition":
                table = greater + 1
            elif ties == "modified":
                table = greater + counts
            else:  # dense
                present = counts > 0
                table = int(present.sum()) - np.cumsum(present) + 1
            out: I64 = table.take(k).astype(np.int64, copy=False)
            return out
    order = np.argsort(-keys, kind="stable")
    sk = keys[order]
    pos = np.arange(n, dtype=np.int64)
    new = np.empty(n, dtype=np.bool_)
    new[0] = True
    np.not_equal(sk[1:], sk[:-1], out=new[1:])
    if ties == "competition":
        ranked = np.maximum.accumulate(np.where(new, pos, 0)) + 1
    elif ties == "dense":
        ranked = np.cumsum(new, dtype=np.int64)
    elif ties == "ordinal":
        ranked = pos + 1
    else:  # modified: the worst rank of the block
        last = np.empty(n, dtype=np.bool_)
        last[-1] = True
        last[:-1] = new[1:]
        ends = np.where(last, pos, n)
        ranked = np.minimum.accumulate(ends[::-1])[::-1] + 1
    result = np.empty(n, dtype=np.int64)
    result[order] = ranked
    return result


def rank_rows(keys: I64, ties: str) -> npt.NDArray[np.int32]:
    """:func:`rank_keys` for every row of a 2-D array at once (one row per draw)."""
    m, n = keys.shape
    out = np.empty((m, n), dtype=np.int32)
    if n == 0:
        return out
    order = np.argsort(-keys, axis=1, kind="stable")
    sk = np.take_along_axis(keys, order, axis=1)
    pos = np.broadcast_to(np.arange(n, dtype=np.int32), (m, n))
    new = np.ones((m, n), dtype=np.bool_)
    np.not_equal(sk[:, 1:], sk[:, :-1], out=new[:, 1:])
    if ties == "competition":
        ranked = np.maximum.accumulate(np.where(new, pos, 0), axis=1) + 1
    elif ties == "dense":
        ranked = np.cumsum(new, axis=1, dtype=np.int32)
    elif ties == "ordinal":
        ranked = pos + 1
    else:  # modified
        last = np.ones((m, n), dtype=np.bool_)
        last[:, :-1] = new[:, 1:]
        ends = np.where(last, pos, n)
        ranked = np.minimum.accumulate(ends[:, ::-1], axis=1)[:, ::-1] + 1
    np.put_along_axis(out, order, ranked.astype(np.int32), axis=1)
    return out


# ---------------------------------------------------------------------- results
@dataclass
class BatchResult:
    """Scores of a batch. Totals and indices are integers: ``totals[i] / 10**places``.

    ``valid[i]`` is False for a unit the reference engine would reject (only with
    ``errors="mask"``; by default the first such unit's error is raised). ``index_known[i]`` is
    False where the unit has no index (no known maximum, or every item excluded); ``indices`` is
    None when no unit has one. ``groups[i]`` is a position in ``group_labels`` (−1: no group).
    ``ranks`` rank the valid units under the tie rule by index, or by total unless every unit has
    an index (0 for invalid units). ``reference_rows`` lists units scored by the reference engine
    (exact ties reached through an inexact Decimal step, or shapes the fast path leaves to it).
    """

    places: int
    totals: I64
    indices: I64 | None
    index_known: Bool
    groups: npt.NDArray[np.int16]
    group_labels: tuple[str | None, ...]
    ranks: I64
    ranked_by: Literal["index", "total"]
    valid: Bool
    reference_rows: npt.NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    #: "reference" when the numbers did not fit int64 and the whole batch went to the engine
    engine: Literal["fast", "reference"] = "fast"

    def __len__(self) -> int:
        return len(self.totals)

    def total(self, i: int) -> Decimal:
        return Decimal(int(self.totals[i])).scaleb(-self.places)

    def index(self, i: int) -> Decimal | None:
        if self.indices is None or not self.index_known[i]:
            return None
        return Decimal(int(self.indices[i])).scaleb(-self.places)

    def group(self, i: int) -> str | None:
        g = int(self.groups[i])
        return None if g < 0 else self.group_labels[g]


@dataclass
class Scored:
    """Per-unit results before ranking (several plans' results are merged in a batch)."""

    totals: I64
    indices: I64
    known: Bool  # the unit has an index
    groups: npt.NDArray[np.int16]
    valid: Bool
    reference_rows: list[int]
    whole_reference: bool = False

    @classmethod
    def empty(cls, n: int) -> Scored:
        return cls(
            np.zeros(n, np.int64),
            np.zeros(n, np.int64),
            np.zeros(n, np.bool_),
            np.full(n, -1, np.int16),
            np.zeros(n, np.bool_),
            [],
        )


Fallback = Callable[[int], Any]  # i → a ScoreCard from the reference engine (or raises)


def _group_codes(compiled: CompiledRuleset, indices: I64) -> npt.NDArray[np.int16]:
    """Positions in ``compiled.groups`` of each index's band, as :func:`classify` finds it."""
    p = _pow10(compiled.places)
    ths = [
        _ceil(g.min * p) if g.min_inclusive else _floor(g.min * p) + 1 for g in compiled.groups
    ]  # index ≥ th ⇔ the band contains it (bands by min, desc)
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


def score_plan(
    compiled: CompiledRuleset,
    plan: Plan,
    load: Loader | Mapping[str, FixedColumn],
    n: int,
    fallback: Fallback,
) -> Scored:
    """Score ``n`` units of one plan. ``load(column, scratch)`` gives each column's inputs (or a
    mapping of code → :class:`FixedColumn`). Units the fast path cannot decide exactly are passed
    to ``fallback`` (the reference engine); their cards' total, index and group are used."""
    if plan.static_error is not None:
        return Scored.empty(n)
    if isinstance(load, Mapping):
        fixed = load

        def load(col: Column, scratch: Scratch) -> FixedColumn:
            return fixed[col.code]

    try:
        if plan.unsupported is not None:
            raise Unsupported(plan.unsupported)
        return _score_fast(compiled, plan, load, n, fallback)
    except Unsupported:
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
            into.groups[i] = _group_codes(compiled, np.asarray([ii], dtype=np.int64))[0]
    into.reference_rows.extend(rows)
    return into


class Scratch:
    """Work buffers of one batch, reused from column to column: allocating fresh arrays for every
    operation (and paying the page faults) costs more than the arithmetic itself."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._bufs: dict[tuple[str, str], npt.NDArray[Any]] = {}

    def get(self, name: str, dtype: type[np.generic]) -> npt.NDArray[Any]:
        key = (name, np.dtype(dtype).str)
        buf = self._bufs.get(key)
        if buf is None:
            buf = np.empty(self.n, dtype=dtype)
            self._bufs[key] = buf
        return buf


Loader = Callable[[Column, Scratch], FixedColumn]


def _score_fast(
    compiled: CompiledRuleset, plan: Plan, load: Loader, n: int, fallback: Fallback
) -> Scored:
    places = compiled.places
    mode = compiled.mode
    scratch = Scratch(n)
    dens = [plan.constant.denominator]
    for col in plan.columns:
        if col.needs_bounds_check:
            dens.extend(col.denominators())
    for chk in plan.checks:
        dens.append(chk.maximum.denominator)
        dens.append(chk.constant.denominator)
    q = _lcm(*dens)
    total = np.full(n, plan.constant.numerator * (q // plan.constant.denominator), dtype=np.int64)
    total_bound = abs(plan.constant.numerator) * (q // plan.constant.denominator)
    invalid: Bool | None = None
    keep: dict[int, I64] = {}
    needed = {i for chk in plan.checks for i in chk.columns}
    prepared: list[_Prepared] = []
    for ci, col in enumerate(plan.columns):
        fx = load(col, scratch)
        if len(fx.values) != n:
            raise ValueError(f"{col.code}: {len(fx.values)} values for {n} units")
        lo, hi = fx.bounds()
        pc = _prepare(col, fx, lo, hi)
        prepared.append(pc)
        if q % pc.den:  # a new denominator: rescale what has been summed so far
            grow = pc.den // math.gcd(q, pc.den)
            q *= grow
            total_bound *= grow
            if q >= LIMIT or total_bound >= LIMIT:
                raise Unsupported("common denominator too large")
            total *= grow
            for arr in keep.values():
                arr *= grow
        f = q // pc.den
        total_bound += pc.bound * f
        if pc.bound * f >= LIMIT or total_bound >= LIMIT:
            raise Unsupported("a value is too large for int64")
        x = fx.values
        if n >= 64 and hi - lo + 1 <= max(1024, n // 2):
            lut, badl = _lookup_table(pc, q, f)
            if lo:
                xi = x if fx.scratch else scratch.get("index", np.int64)
                np.subtract(x, lo, out=xi)
            else:
                xi = x
            pts = scratch.get("points", np.int64)
            np.take(lut, xi, out=pts)
            if badl is not None:
                more = badl.take(xi)
                invalid = more if invalid is None else invalid | more
        else:
            num, bad = _evaluate(pc, x)
            pts = num * f if f != 1 else num
            more2 = _bounds(col, pts, q, bad)
            if more2 is not None:
                invalid = more2 if invalid is None else invalid | more2
        np.add(total, pts, out=total)
        if ci in needed:
            keep[ci] = pts.copy()
    for chk in plan.checks:
        s = np.full(n, chk.constant.numerator * (q // chk.constant.denominator), dtype=np.int64)
        for ci in chk.columns:
            s += keep[ci]
        over = s > chk.maximum.numerator * (q // chk.maximum.denominator)
        invalid = over if invalid is None else invalid | over

    pt = _pow10(places)
    gt = math.gcd(pt, q)
    mul_t, den_t = pt // gt, q // gt
    if total_bound * max(mul_t, 2) >= LIMIT:
        raise Unsupported("totals too large for int64")
    maximum = plan.maximum
    use_index = maximum is not None and maximum != 0
    mul_i = den_i = 1
    if use_index:
        assert maximum is not None
        if maximum < 0:
            raise Unsupported("negative maximum")
        ai = 100 * pt * maximum.denominator
        bi = q * maximum.numerator
        gi = math.gcd(ai, bi)
        mul_i, den_i = ai // gi, bi // gi
        if total_bound * max(mul_i, 2) >= LIMIT or den_i >= LIMIT // 2:
            raise Unsupported("index too large for int64")

    # ---- rounding, index, groups
    totals = round_div(total * mul_t if mul_t != 1 else total, den_t, mode)
    if use_index:
        indices = round_div(total * mul_i if mul_i != 1 else total, den_i, mode)
        groups = _group_codes(compiled, indices)
        known = np.ones(n, dtype=np.bool_)
    else:
        indices = np.zeros(n, dtype=np.int64)
        groups = np.full(n, -1, dtype=np.int16)
        known = np.zeros(n, dtype=np.bool_)

    # ---- agreement with the engine's Decimal steps
    flagged = _near_boundaries(
        plan,
        prepared,
        q,
        total,
        mul_t,
        den_t,
        places,
        mode,
        (mul_i, den_i, maximum) if use_index else None,
        keep,
    )
    valid = np.ones(n, dtype=np.bool_) if invalid is None else ~invalid
    out = Scored(totals, indices, known, groups, valid, [])
    if flagged is not None:
        rows = [int(i) for i in np.flatnonzero(flagged & valid)]
        if rows:
            apply_reference(compiled, rows, out, fallback)
    return out


def _lookup_table(pc: _Prepared, q: int, f: int) -> tuple[I64, Bool | None]:
    """Points (over ``q``) of every input from ``pc.lo`` to ``pc.hi``, and which are invalid."""
    key = ("lut", pc.scale, pc.lo, pc.hi, q)
    got = pc.col.cache.get(key)
    if got is None:
        grid = np.arange(pc.lo, pc.hi + 1, dtype=np.int64)
        num, bad = _evaluate(pc, grid)
        lut = num * f if f != 1 else num
        badl = _bounds(pc.col, lut, q, bad)
        got = (lut, badl if badl is not None and bool(badl.any()) else None)
        if len(pc.col.cache) > 256:
            pc.col.cache.clear()
        pc.col.cache[key] = got
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
    prepared: list[_Prepared],
    q: int,
    total: I64,
    mul_t: int,
    den_t: int,
    places: int,
    mode: str,
    index: tuple[int, int, Fraction | None] | None,
    keep: dict[int, I64],
) -> Bool | None:
    """Units whose rounded results could differ between exact and Decimal arithmetic."""
    prec = min(decimal.getcontext().prec, 34)
    size = Fraction(abs(plan.constant))
    for pc in prepared:
        size += Fraction(pc.bound, pc.den)
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
    flagged: Bool | None = None
    scale_t = 2.0 * den_t * 10.0**places  # distances are in units of 1 / (2 den_t) of a 10^-p
    if err_t > 0:
        d = _boundary_distance(total * mul_t if mul_t != 1 else total, den_t, mode)
        flagged = d <= err_t * scale_t
        for chk in plan.checks:
            s = np.full(
                len(total), chk.constant.numerator * (q // chk.constant.denominator), dtype=np.int64
            )
            for ci in chk.columns:
                s += keep[ci]
            mx = chk.maximum.numerator * (q // chk.maximum.denominator)
            flagged |= np.abs(s - mx).astype(np.float64) <= err_t * q
    if index is not None:
        mul_i, den_i, maximum = index
        assert maximum is not None
        imax = float(size) * 100.0 / float(maximum) + 1.0
        err_i = err_t * 100.0 / float(maximum) + 10.0 * imax * 1e-33
        scale_i = 2.0 * den_i * 10.0**places
        if err_i * scale_i >= 1.0 or err_t > 0:
            d = _boundary_distance(total * mul_i if mul_i != 1 else total, den_i, mode)
            near = d <= err_i * scale_i
            if err_t == 0:
                near &= d > 0  # an exact tie of an exact total is exact in Decimal too
            flagged = near if flagged is None else flagged | near
    return flagged


__all__ = [
    "BatchResult",
    "FixedColumn",
    "fixed_from_decimals",
    "fixed_from_floats",
    "fixed_input",
    "rank_keys",
    "round_div",
    "score_plan",
]
