"""Batches of a few units scored in Python integers: the numpy path's arithmetic, without numpy.

For a handful of units numpy's per-call cost — about ten calls per column — is nearly all of a
batch's time. Here the units of a batch of at most :data:`SMALL_BATCH` are scored with the steps
of :func:`parindex.scoring.fast.kernel.score_plan`, on Python integers:

* every column is read as the numpy path reads it (the same scale for each float, found the same
  way from the same hint, and the hint kept for the next batch as that path keeps it);
* its kernel is prepared for the same scale and range, so the bounds are the same, and so is the
  decision "this plan and these inputs fit int64" (:func:`~parindex.scoring.fast.kernel.admit`,
  :func:`~parindex.scoring.fast.kernel.result_scales`) — a batch that does not fit is left to the
  numpy path, which gives it to the reference engine and says so;
* each value's points come from the kernel's scalar form (exact rationals), brought to the same
  common denominator;
* totals and indices are rounded, and the units lying within the engine's error bound of a
  rounding boundary found, with the same integers and the same floating-point thresholds
  (:func:`~parindex.scoring.fast.kernel.error_bounds`), and those units re-scored by the engine.

So every field of the :class:`~parindex.scoring.fast.results.BatchResult` is the one the numpy path
gives. Whatever is not decided here — an invalid unit, a value that cannot be read, an input type
not read here, a batch that does not fit int64 — returns None, and the numpy path scores the batch
(and raises or marks as it does).

One unit at a time (the commonest small batch: a form, a what-if), nearly every value has been
seen before, so the unit route (:func:`_score_one`) remembers, per plan and column dtypes and
then per common denominator, precision and float scales, each column's prepared kernel, term of
the bound and points by input value: a column costs one dictionary look-up, the floats are read
in one numpy pass and the integers in another. Anything new or odd — a value not exact at its
column's scale, rejected by its rule, needing a larger denominator, a bound beyond int64, another
array type — leaves the unit to the steps above, from the same state, so the route is a cache of
their results and changes none.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from decimal import Decimal
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np

from parindex.model.kernels import ScalarFn
from parindex.scoring.fast.compile import Column, CompiledRuleset, Plan
from parindex.scoring.fast.fixed import (
    LIMIT,
    MAX_DECIMALS,
    MAX_FLOAT_MAGNITUDE,
    FixedColumn,
    Unsupported,
)
from parindex.scoring.fast.kernel import (
    ErrorBounds,
    Fallback,
    Scales,
    Scored,
    _prepare_at,
    _Prepared,
    admit,
    apply_reference,
    error_bounds,
    group_at,
    group_thresholds,
    prepared_cache,
    result_scales,
    start_denominator,
)
from parindex.scoring.fast.points import evaluator

#: Batches of at most this many units are scored here (numpy pays off from a few dozen).
SMALL_BATCH = 8

#: Wide enough for any int64 numerator: reading a fixed-point value as a Decimal never rounds,
#: whatever the caller's context.
_EXACT = decimal.Context(prec=40)

Read = tuple[list[int], int, int, int]  # fixed-point values, their scale, least, greatest

_F64 = np.dtype(np.float64)
_POW = tuple(float(10**s) for s in range(MAX_DECIMALS + 1))
_INF = float("inf")


def score_small_batch(
    compiled: CompiledRuleset,
    plan: Plan,
    data: Mapping[str, Any],
    n: int,
    decimals: int | Mapping[str, int] | None,
    fallback: Fallback,
) -> Scored | None:
    """The scores of ``n`` units (1 ≤ n ≤ :data:`SMALL_BATCH`) of ``plan`` whose inputs are
    ``data`` (code → array, as :func:`~parindex.scoring.fast.score_batch` takes them), equal to
    the numpy path's; None when the numpy path is to score them."""
    if not 0 < n <= SMALL_BATCH or plan.static_error is not None or plan.unsupported is not None:
        return None
    if n == 1 and decimals is None:
        got = _score_one(compiled, plan, data, fallback)
        if got is not None:
            return got
    try:
        return _score(compiled, plan, data, n, decimals, fallback)
    except Unsupported:
        # as the numpy path does: once more from the plan's own denominator, not the last one
        if compiled.cache.pop(f"denominator:{id(plan)}", None) is not None:
            try:
                return _score(compiled, plan, data, n, decimals, fallback)
            except Unsupported:
                pass
    return None  # the reference engine scores the whole batch: the numpy path decides it


def _score(
    compiled: CompiledRuleset,
    plan: Plan,
    data: Mapping[str, Any],
    n: int,
    decimals: int | Mapping[str, int] | None,
    fallback: Fallback,
) -> Scored | None:
    prec = decimal.getcontext().prec
    places = compiled.places
    q = start_denominator(compiled, plan)
    const = plan.constant
    totals = [const.numerator * (q // const.denominator)] * n
    bound = abs(const.numerator) * (q // const.denominator)
    keep: dict[int, list[int]] = {}
    prepared = []
    by_code = decimals if isinstance(decimals, Mapping) else None
    same = None if isinstance(decimals, Mapping) else decimals
    steps = _steps(compiled, plan)
    early = _read_at_hints(steps, data, n) if decimals is None else {}
    prepares = [prepared_cache(col) for col in plan.columns]
    for ci, col, code, ev, as_value, memo, kept in steps:
        got = early.get(ci)
        if got is None:
            got = _read(data[code], col, same if by_code is None else by_code.get(code))
            if got is None:
                return None
        xs, scale, lo, hi = got
        pc = prepares[ci].get((scale, lo, hi, prec))
        if pc is None:
            pc = _prepare_at(col, scale, lo, hi, prec)
        if q % pc.den == 0:  # what admit() finds when q stays, without its call
            bound += pc.bound * (q // pc.den)
            if bound >= LIMIT:
                raise Unsupported("a value is too large for int64")
        else:
            q, bound, grow, _ = admit(q, bound, pc)
            if grow != 1:
                totals = [t * grow for t in totals]
                for k, kept_points in keep.items():
                    keep[k] = [p * grow for p in kept_points]
        column = []
        for i, x in enumerate(xs):
            key = (x, scale, q)
            pts = memo.get(key)
            if pts is None:
                r = ev(as_value(x, scale))
                if r is None:
                    return None  # rejected by the rule or the node's bounds: numpy marks it
                pts, rest = divmod(r[0] * q, r[1])
                if rest:  # pragma: no cover - a kernel's scalar form disagreeing with itself
                    return None
                if len(memo) > _MEMO:
                    memo.clear()
                memo[key] = pts
            totals[i] += pts
            if kept:
                column.append(pts)
        if kept:
            keep[ci] = column
        prepared.append(pc)
    compiled.cache[f"denominator:{id(plan)}"] = q
    sums: list[list[int]] = []
    for chk in plan.checks:
        base = chk.constant.numerator * (q // chk.constant.denominator)
        s = [base + sum(keep[ci][i] for ci in chk.columns) for i in range(n)]
        if max(s) > chk.maximum.numerator * (q // chk.maximum.denominator):
            return None  # a node above its maximum: invalid, the numpy path marks it
        sums.append(s)

    sc = result_scales(plan, q, bound, places)
    err = error_bounds(plan, prepared, q, bound, places, sc)
    return _results(compiled, plan, q, sc, err, totals, sums, fallback)


def _results(
    compiled: CompiledRuleset,
    plan: Plan,
    q: int,
    sc: Scales,
    err: ErrorBounds,
    totals: list[int],
    sums: list[list[int]],
    fallback: Fallback,
) -> Scored:
    """Totals over ``q`` rounded to the results, as :func:`~parindex.scoring.fast.kernel.score_plan`
    rounds them, and the units near a rounding boundary re-scored by the engine (``sums``: each
    node check's sums, unit by unit)."""
    mode = compiled.mode
    n = len(totals)
    ths = group_thresholds(compiled)
    out_t: list[int] = []
    out_i: list[int] = []
    out_g: list[int] = []
    flagged: list[int] = []
    for i, total in enumerate(totals):
        t = total * sc.mul_t
        out_t.append(_round(t, sc.den_t, mode))
        near = False
        if not err.exact:
            near = _distance(t, sc.den_t, mode) <= err.total
            for chk, s in zip(plan.checks, sums, strict=True):
                mx = chk.maximum.numerator * (q // chk.maximum.denominator)
                near = near or float(abs(s[i] - mx)) <= err.check
        if sc.index:
            t = total * sc.mul_i
            index = _round(t, sc.den_i, mode)
            out_i.append(index)
            out_g.append(group_at(ths, index))
            if err.index is not None:
                d = _distance(t, sc.den_i, mode)
                near = near or (d <= err.index and (d > 0 or not err.exact))
        if near:
            flagged.append(i)
    # np.array of a list: numpy's Python-level np.ones and np.full cost more for a few units
    out = Scored(
        np.array(out_t, dtype=np.int64),
        np.array(out_i if sc.index else [0] * n, dtype=np.int64),
        np.array([sc.index] * n, dtype=np.bool_),
        np.array(out_g if sc.index else [-1] * n, dtype=np.int16),
        np.array([True] * n, dtype=np.bool_),
        [],
    )
    if flagged:
        apply_reference(compiled, flagged, out, fallback)
    return out


# ---------------------------------------------------------------------- one unit
#: A hit: the column's points over the state's denominator, its term of the running bound,
#: its decimal places when its Decimal steps are exact (−1 when not), and its prepared kernel.
Hit = tuple[int, int, int, _Prepared]


class _State:
    """What one unit's route remembers for one common denominator, decimal precision and set
    of float scales: the powers of ten the floats are read with, and per column (in the
    route's order) a :data:`Hit` by input value — every input seen before costs one look-up."""

    __slots__ = ("hits", "powers", "results", "scales")

    def __init__(self, scales: tuple[int, ...], width: int) -> None:
        self.scales = scales
        self.powers = np.asarray([_pow(s) for s in scales], dtype=np.float64)
        self.hits: list[dict[int, Hit]] = [{} for _ in range(width)]
        #: (bound, least and greatest places flag) → the batch's Scales and ErrorBounds
        self.results: dict[tuple[int, int, int], tuple[Scales, ErrorBounds]] = {}


class _Route:
    """How one unit of a plan whose columns have given dtypes is read: the float64 columns
    (measures and points, read at their scale hint) first, then the integer ones, each in plan
    order; worked out once per plan and dtypes."""

    __slots__ = ("checks", "columns", "floats", "hints", "ints", "remembered", "scalars", "states")

    def __init__(self, plan: Plan, fpos: list[int], ipos: list[int]) -> None:
        self.floats = _picker(fpos)
        self.ints = _picker(ipos)
        order = fpos + ipos
        where = {ci: at for at, ci in enumerate(order)}
        self.columns = [plan.columns[ci] for ci in order]
        self.hints = [plan.columns[ci].cache for ci in fpos]
        self.scalars = [_scalar(col) for col in self.columns]
        #: per node check: the check, and what picks its columns' points
        self.checks = [
            (chk, _picker([where[ci] for ci in chk.columns]) or _nothing) for chk in plan.checks
        ]
        self.states: dict[tuple[int, int, tuple[int | None, ...]], _State] = {}
        #: hits kept over all states (bounded by :data:`_ROUTE_HITS`)
        self.remembered = 0


def _picker(positions: list[int]) -> Callable[[list[Any]], tuple[Any, ...]] | None:
    """The items at ``positions`` of a list, as a tuple (None: no position)."""
    if not positions:
        return None
    if len(positions) == 1:
        only = positions[0]
        return lambda items: (items[only],)
    return itemgetter(*positions)


def _nothing(items: list[Any]) -> tuple[Any, ...]:  # pragma: no cover - see below
    # a node check without a column: its parts all not applicable, whose maxima then add up
    # to its own (the model checks it), so no check is made; kept for a plan that has one
    return ()


class _Routes:
    """A plan's unit routes by the dtypes of its columns (None: a dtype read elsewhere)."""

    __slots__ = ("by_dtypes", "codes")

    def __init__(self, plan: Plan) -> None:
        self.codes = [col.code for col in plan.columns]
        self.by_dtypes: dict[tuple[np.dtype[Any], ...], _Route | None] = {}


_NDARRAY = {np.ndarray}
#: Routes kept per plan (by dtypes) and states per route (by denominator, precision, scales).
_STATES = 8
#: Hits kept per route over all its states (a few MB); all are forgotten when it is reached.
_ROUTE_HITS = 1 << 16
_NO_ROUTE = object()


def _score_one(
    compiled: CompiledRuleset, plan: Plan, data: Mapping[str, Any], fallback: Fallback
) -> Scored | None:
    """One unit, when every column is a plain one-dimensional array of float64 or of integers
    and every input has been seen before at this denominator: the same steps as :func:`_score`
    with every column's prepared kernel, term of the bound and points remembered by value, so
    that a column costs one dictionary look-up. None when anything is new or out of the
    ordinary (a value that is not exact at its scale hint, that the rule rejects, that needs a
    larger denominator, a total that could leave int64): :func:`_score` then scores the unit
    from the same state, as it would have without this route."""
    key = f"small unit routes:{id(plan)}"
    routes = compiled.cache.get(key)
    if routes is None:
        routes = compiled.cache[key] = _Routes(plan)
    assert isinstance(routes, _Routes)
    arrays = list(map(data.__getitem__, routes.codes))
    if set(map(type, arrays)) != _NDARRAY:
        return None
    dtypes = tuple(map(_DTYPE, arrays))
    route = routes.by_dtypes.get(dtypes, _NO_ROUTE)
    if route is _NO_ROUTE:
        route = _route(plan, dtypes)
        if len(routes.by_dtypes) >= _STATES:
            routes.by_dtypes.clear()
        routes.by_dtypes[dtypes] = route
    if route is None:
        return None
    assert isinstance(route, _Route)
    prec = decimal.getcontext().prec
    q = start_denominator(compiled, plan)
    hints = tuple(map(dict.get, route.hints, repeat("scale")))
    state_key = (q, prec, hints)
    state = route.states.get(state_key)
    if state is None:
        scales = [s for s in hints if s is not None]
        if len(scales) < len(hints):
            return None  # a float column never read before: its scale is found there
        if len(route.states) >= _STATES:
            route.states.clear()
            route.remembered = 0
        state = route.states[state_key] = _State(tuple(scales), len(route.columns))
    xs: list[int] = []
    try:  # one-dimensional arrays of one value each, or not read here
        fx = None if route.floats is None else np.concatenate(route.floats(arrays))
        ix = None if route.ints is None else np.concatenate(route.ints(arrays))
    except ValueError:
        return None
    if (fx is not None and fx.ndim != 1) or (ix is not None and ix.ndim != 1):
        return None
    if fx is not None:
        x = fx
        y = x * state.powers
        np.rint(y, out=y)
        # exact at the hint, and at most 15 digits: as _read_at_hints reads them
        if not (y / state.powers == x).all() or not np.abs(y).max() < MAX_FLOAT_MAGNITUDE:
            return None
        xs = y.astype(np.int64).tolist()
    if ix is not None:
        xs += ix.tolist()
    hits: list[Hit | None] = list(map(dict.get, state.hits, xs))
    if None in hits:
        for at, hit in enumerate(hits):
            if hit is None:
                hit = _hit(route, state, at, xs[at], q, prec)
                if hit is None:
                    return None
                if route.remembered >= _ROUTE_HITS:
                    for memo in state.hits:
                        memo.clear()
                    route.states = {state_key: state}
                    route.remembered = 0
                state.hits[at][xs[at]] = hits[at] = hit
                route.remembered += 1
    got: list[Hit] = hits  # type: ignore[assignment]  # no None is left
    const = plan.constant
    f = q // const.denominator
    bound = abs(const.numerator) * f + sum(map(_BOUND, got))
    if bound >= LIMIT:
        return None  # the general route raises Unsupported, and decides from there
    points = list(map(_POINTS, got))
    sums: list[list[int]] = []
    for chk, pick in route.checks:
        s = chk.constant.numerator * (q // chk.constant.denominator) + sum(pick(points))
        if s > chk.maximum.numerator * (q // chk.maximum.denominator):
            return None  # a node above its maximum: invalid, the numpy path marks it
        sums.append([s])
    flags = list(map(_PLACES, got))
    least, most = min(flags), max(flags)
    rkey = (bound, least, most)
    res = state.results.get(rkey)
    if res is None:
        try:
            sc = result_scales(plan, q, bound, compiled.places)
        except Unsupported:
            return None
        err = error_bounds(plan, list(map(_PREPARED, got)), q, bound, compiled.places, sc)
        if len(state.results) >= _MEMO:
            state.results.clear()
        res = state.results[rkey] = (sc, err)
    compiled.cache[f"denominator:{id(plan)}"] = q
    return _results(
        compiled, plan, q, res[0], res[1], [const.numerator * f + sum(points)], sums, fallback
    )


_DTYPE = attrgetter("dtype")
_POINTS = itemgetter(0)
_BOUND = itemgetter(1)
_PLACES = itemgetter(2)
_PREPARED = itemgetter(3)


def _route(plan: Plan, dtypes: tuple[np.dtype[Any], ...]) -> _Route | None:
    """The route of a plan's columns of ``dtypes``; None when one is not read here: float64
    options or counts, or another dtype than float64 and the integers of up to 64 bits
    (booleans and ``uint64`` are read by :func:`_read`)."""
    fpos: list[int] = []
    ipos: list[int] = []
    for ci, (col, dt) in enumerate(zip(plan.columns, dtypes, strict=True)):
        if dt is _F64 and col.input not in ("choice", "count"):
            fpos.append(ci)
        elif dt.kind == "i" or (dt.kind == "u" and dt.itemsize < 8):
            ipos.append(ci)
        else:
            return None
    return _Route(plan, fpos, ipos)


def _hit(route: _Route, state: _State, at: int, x: int, q: int, prec: int) -> Hit | None:
    """The :data:`Hit` of input ``x`` of the route's column ``at`` over ``q``; None when the
    input is invalid or needs another denominator than ``q``."""
    col = route.columns[at]
    scales = state.scales
    scale = scales[at] if at < len(scales) else 0  # the floats come first
    if col.input == "choice" and not 0 <= x < len(col.options):
        return None
    try:
        pc = _prepare_at(col, scale, x, x, prec)
    except Unsupported:
        return None
    if q % pc.den:
        return None
    ev, as_value = route.scalars[at]
    r = ev(as_value(x, scale))
    if r is None:
        return None
    pts, rest = divmod(r[0] * q, r[1])
    if rest:  # pragma: no cover - a kernel's scalar form disagreeing with itself
        return None
    return pts, pc.bound * (q // pc.den), pc.places if pc.exact else -1, pc


#: Points (over the batch's denominator) remembered per column, by input value and denominator
#: (cleared when full): a column's inputs repeat from unit to unit, its points do not change.
_MEMO = 4096

Step = tuple[int, Column, str, ScalarFn, Callable[[int, int], Any], dict[Any, Any], bool]


def _steps(compiled: CompiledRuleset, plan: Plan) -> list[Step]:
    """Per column of ``plan``: its position, the column, its code, its value → points function,
    how a fixed-point input becomes that value, the points found so far by value, and whether
    a node check needs its points (once per plan)."""
    key = f"small steps:{id(plan)}"
    got = compiled.cache.get(key)
    if got is None:
        needed = {i for chk in plan.checks for i in chk.columns}
        got = compiled.cache[key] = [
            (ci, col, col.code, *_scalar(col), _memo(col), ci in needed)
            for ci, col in enumerate(plan.columns)
        ]
    assert isinstance(got, list)
    return got


def _read_at_hints(steps: list[Step], data: Mapping[str, Any], n: int) -> dict[int, Read]:
    """The float columns that their last scale reads exactly, read all at once: one array of
    every such column's values, so that numpy's per-call cost is paid once per batch, not per
    column. The same checks as :func:`fixed_from_floats` at that scale (multiply, ``rint``,
    divide back, compare, at most 15 digits); a column that fails any is left out, and read on
    its own by :func:`_read`."""
    cols: list[int] = []
    arrays = []
    scales: list[int] = []
    for ci, col, code, *_ in steps:
        values = data[code]
        if (
            values.__class__ is np.ndarray
            and values.dtype is _F64
            and values.ndim == 1
            and col.input not in ("choice", "count")
        ):
            s = col.cache.get("scale")
            if s is not None:
                cols.append(ci)
                arrays.append(values)
                scales.append(s)
    if len(cols) < 4:
        return {}
    x = np.concatenate(arrays)
    p = (
        np.repeat(np.asarray([_pow(s) for s in scales]), n)
        if n > 1
        else np.asarray([_pow(s) for s in scales])
    )
    y = np.rint(x * p)
    ok = (y / p == x) & (np.abs(y) < MAX_FLOAT_MAGNITUDE)
    ints = np.where(ok, y, 0.0).astype(np.int64)  # NaN and ∞ have no integer: left out below
    if n == 1:
        vals = ints.tolist()
        good = ok.tolist()
        return {
            ci: ([v], s, v, v) for ci, s, v, g in zip(cols, scales, vals, good, strict=True) if g
        }
    m = ints.reshape(len(cols), n)
    good = ok.reshape(len(cols), n).all(axis=1).tolist()
    rows = m.tolist()
    los = m.min(axis=1).tolist()
    his = m.max(axis=1).tolist()
    return {
        ci: (r, s, lo, hi)
        for ci, s, r, lo, hi, g in zip(cols, scales, rows, los, his, good, strict=True)
        if g
    }


def _memo(col: Column) -> dict[Any, Any]:
    got = col.cache.get("small points")
    if got is None:
        got = col.cache["small points"] = {}
    assert isinstance(got, dict)
    return got


def _scalar(col: Column) -> tuple[ScalarFn, Callable[[int, int], Any]]:
    """The column's value → points function (with the node's bounds) and how a fixed-point
    input becomes the value it takes: a Decimal measure or points, an option key, a count."""
    got = col.cache.get("small scalar")
    if got is None:
        ev, _ = evaluator(col)
        if col.input == "choice":
            options = col.options
            got = (ev, lambda x, s: options[x])
        elif col.input == "count":
            got = (ev, lambda x, s: x)
        else:
            got = (ev, _decimal)
        col.cache["small scalar"] = got
    assert isinstance(got, tuple)
    return got


def _decimal(x: int, scale: int) -> Decimal:
    return Decimal(x).scaleb(-scale, _EXACT) if scale else Decimal(x)


def _read(values: Any, col: Column, dec: int | None) -> Read | None:
    """One column as :func:`~parindex.scoring.fast.fixed.fixed_input` reads it, in Python
    integers; None when this module does not read it (the numpy path reads it, or refuses it);
    :class:`Unsupported` where that function raises it."""
    if dec is not None and dec < 0:
        return None
    if (
        values.__class__ is np.ndarray
        and values.dtype is _F64
        and values.ndim == 1
        and col.input != "choice"
    ):
        if col.input == "count":
            dec = 0
        hint = col.cache.get("scale")
        s = hint if dec is None else dec
        if s is not None:  # the usual case: the scale used before reads the batch exactly
            p = _pow(s)
            ys = []
            for v in values.tolist():
                y = v * p
                if y != y or y in (_INF, -_INF):
                    break
                k = round(y)  # half to even, as numpy's rint
                if k / p != v:
                    break
                ys.append(k)
            else:
                lo, hi = (ys[0], ys[0]) if len(ys) == 1 else (min(ys), max(ys))
                if max(-lo, hi) < MAX_FLOAT_MAGNITUDE:
                    col.cache["scale"] = s
                    return ys, s, lo, hi
            if dec is not None:
                return _floats(values.tolist(), dec, None)
        got = _floats(values.tolist(), dec, hint)
        if got is not None:
            col.cache["scale"] = got[1]
        return got
    if isinstance(values, FixedColumn):
        v = values.values
        if not isinstance(v, np.ndarray) or v.ndim != 1 or v.dtype != np.int64:
            return None
        if col.input in ("choice", "count") and values.scale:
            return None
        ints: list[int] = v.tolist()
        lo, hi = values.bounds()
        if (lo, hi) != (min(ints), max(ints)):
            return None  # bounds stated wrongly: the numpy path uses them as given
        if col.input == "choice" and not 0 <= lo <= hi < len(col.options):
            return None  # no option at a position: the unit is invalid
        return ints, values.scale, lo, hi
    if not isinstance(values, np.ndarray) or values.ndim != 1:
        return None
    kind = values.dtype.kind
    size = values.dtype.itemsize
    xs: list[Any] = values.tolist()
    if col.input == "choice":
        if kind == "i" or (kind == "u" and size < 8):
            ints = xs
        elif kind == "f" and size <= 8 and all(abs(v) < 1e18 and v.is_integer() for v in xs):
            ints = [int(v) for v in xs]
        elif kind == "U":
            where = _option_positions(col)
            if any(k not in where for k in xs):
                return None  # an unknown option: the unit is invalid
            ints = [where[k] for k in xs]
        else:
            return None
        lo, hi = min(ints), max(ints)
        if not 0 <= lo <= hi < len(col.options):
            return None  # no option at a position: the unit is invalid
        return ints, 0, lo, hi
    if kind in "ib" or (kind == "u" and size < 8):
        ints = [int(v) for v in xs]
        return ints, 0, min(ints), max(ints)
    if kind != "f" or size > 8:
        return None
    got = _floats(xs, 0 if col.input == "count" else dec, col.cache.get("scale"))
    if got is not None:
        col.cache["scale"] = got[1]
    return got


def _pow(s: int) -> float:
    return _POW[s] if s <= MAX_DECIMALS else float(10**s)


def _option_positions(col: Column) -> dict[str, int]:
    got = col.cache.get("option positions")
    if got is None:
        got = col.cache["option positions"] = {k: i for i, k in enumerate(col.options)}
    assert isinstance(got, dict)
    return got


def _floats(xs: list[float], dec: int | None, hint: int | None) -> Read | None:
    """Floats as the decimals they print as, at the scale
    :func:`~parindex.scoring.fast.fixed.fixed_from_floats` would choose."""
    if dec is not None:
        return _at_scale(xs, dec)
    if hint is not None:
        try:
            got = _at_scale(xs, hint)
        except Unsupported:
            got = None
        if got is not None:
            return got
    start = MAX_DECIMALS
    for s in range(MAX_DECIMALS + 1):
        if _exact(xs, s) is not None:
            start = s
            break
    for s in range(start, MAX_DECIMALS + 1):
        got = _at_scale(xs, s)
        if got is not None:
            return got
    return None  # NaN, ±∞, or more digits than int64 holds: the numpy path says which


def _exact(xs: list[float], s: int) -> list[int] | None:
    """``rint(x·10^s)`` of every value when each converts back to itself exactly, else None."""
    p = _pow(s)
    out = []
    for v in xs:
        y = v * p
        if y != y or y in (_INF, -_INF):
            return None
        k = round(y)  # half to even, as numpy's rint
        if k / p != v:
            return None
        out.append(k)
    return out


def _at_scale(xs: list[float], s: int) -> Read | None:
    ys = _exact(xs, s)
    if ys is None:
        return None
    lo, hi = (ys[0], ys[0]) if len(ys) == 1 else (min(ys), max(ys))
    if max(-lo, hi) >= MAX_FLOAT_MAGNITUDE:
        raise Unsupported("a value has more than 15 significant digits")
    return ys, s, lo, hi


def _round(num: int, den: int, mode: str) -> int:
    """``num / den`` rounded as :func:`~parindex.scoring.fast.kernel.round_div` rounds it."""
    if den == 1:
        return num
    neg = num < 0
    q, r = divmod(-num if neg else num, den)
    if mode == "half_up":
        q += 2 * r >= den
    elif mode == "half_even":
        q += 2 * r > den or (2 * r == den and q % 2 == 1)
    elif mode == "up":
        q += r > 0
    return -q if neg else q


def _distance(num: int, den: int, mode: str) -> float:
    """:func:`~parindex.scoring.fast.kernel.boundary_distance` of one numerator."""
    r = abs(num) % den
    return float(abs(2 * r - den) if mode.startswith("half") else 2 * min(r, den - r))


__all__ = ["SMALL_BATCH", "score_small_batch"]
