"""One unit of a plan seen before is scored by the remembered route (``small._score_one``): each
column's prepared kernel, term of the int64 bound and points kept by input value, per common
denominator, precision and float scales. It must give what the general small route and the
numpy path give, field for field — whatever the calls before it left in the caches (other
scales, other denominators, batches scored by numpy, invalid units) — and leave every
undecided unit to them."""

from __future__ import annotations

import decimal
import importlib
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import fast_strategies as gen
import numpy as np
import pytest
from fast_helpers import flat_ruleset
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_fast_property import _as_floats, _plain_batch
from test_small_batch import _fields, _outcome

from parindex import api
from parindex.model.errors import ParindexError
from parindex.scoring import engine
from parindex.scoring.fast import batch, compile_ruleset, ranks, score_batch, small
from parindex.scoring.fast.fixed import Unsupported
from parindex.scoring.fast.results import Scored
from parindex_core_rules.kinds import PointsRule

ROOT = Path(__file__).resolve().parents[2]
_ROUTE = small._score_one


class _RouteSpy:
    """Counts the units the remembered route decided, and the calls it left to the others."""

    def __init__(self) -> None:
        self.decided = 0
        self.left = 0

    def __call__(self, *args: Any) -> Any:
        got = _ROUTE(*args)
        if got is None:
            self.left += 1
        else:
            self.decided += 1
        return got


def _new(compiled: Any, arrays: Any, spy: _RouteSpy, **kw: Any) -> Any:
    with mock.patch.object(small, "_score_one", spy):
        return score_batch(compiled, arrays, **kw)


def _old(compiled: Any, arrays: Any, **kw: Any) -> Any:
    """The general small route alone: what scored one unit before the remembered route."""
    with mock.patch.object(small, "_score_one", lambda *a: None):
        return score_batch(compiled, arrays, **kw)


def _numpy(compiled: Any, arrays: Any, **kw: Any) -> Any:
    with mock.patch.object(batch, "SMALL_BATCH", 0):
        return score_batch(compiled, arrays, **kw)


class _Three:
    """The same calls on three compiled copies of a ruleset, one per path, so that each path
    keeps its own caches (scale hints, denominators) as a caller's compiled ruleset would."""

    def __init__(self, ruleset: Any) -> None:
        self.new, self.old, self.ref = (compile_ruleset(ruleset) for _ in range(3))
        self.spy = _RouteSpy()

    def run(self, arrays: Any, **kw: Any) -> tuple[Any, ...]:
        got = _outcome(lambda: _new(self.new, arrays, self.spy, **kw))
        assert got == _outcome(lambda: _old(self.old, arrays, **kw))
        assert got == _outcome(lambda: _numpy(self.ref, arrays, **kw))
        return got


@pytest.fixture(scope="module")
def synthetic() -> Any:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("synthetic")


def test_the_benchmark_units_are_decided_by_the_route(synthetic: Any) -> None:
    """The 100-leaf benchmark ruleset, one unit per call: once each column's scale is known,
    every unit is the route's, and every field is the other paths' and the engine's."""
    ruleset = synthetic.load_ruleset()
    arrays = synthetic.make_arrays(ruleset, 12, seed=3)
    ones = [{c: v[i : i + 1] for c, v in arrays.items()} for i in range(12)]
    three = _Three(ruleset)
    for unit in ones:
        three.run(unit)
    # a value with more decimals than any before in its column is the general route's (which
    # keeps the new scale), so the first pass is partly the route's, the second wholly
    first = three.spy.decided
    assert 1 <= first < 12 and first + three.spy.left == 12
    cards = synthetic.assessments_from_arrays(ruleset, arrays, range(12))
    for unit, a in zip(ones, cards, strict=True):
        got = _new(three.new, unit, three.spy)
        card = engine.score(ruleset, a, PointsRule)
        assert (got.total(0), got.index(0), got.group(0)) == (card.total, card.index, card.group)
        assert got.engine == "fast" and got.ranks.tolist() == [1] and got.valid.tolist() == [True]
    assert three.spy.decided == first + 12 and three.spy.left == 12 - first


def _ruleset(nodes: list[dict[str, Any]], **more: Any) -> Any:
    return flat_ruleset("t.unit", nodes, **more)


MIXED = [
    {"code": "t", "maximum": "3", "rule": {"kind": "proportional", "target": 3}},
    {
        "code": "b",
        "maximum": "2",
        "rule": {
            "kind": "tiers",
            "bands": [{"min": "0.5", "points": "2"}, {"max": "0.5", "points": "0.5"}],
        },
    },
    {"code": "p", "maximum": "1.25"},
    {"code": "c", "maximum": "1", "rule": {"kind": "choice", "options": {"y": 1, "n": 0}}},
    {"code": "d", "maximum": "2", "rule": {"kind": "deduction", "per_violation": "0.5"}},
]


def _unit(t: Any, b: Any = 0.5, p: Any = 1.0, c: Any = 0, d: Any = 1) -> dict[str, Any]:
    def arr(v: Any) -> Any:
        return v if isinstance(v, np.ndarray) else np.asarray([v])

    return {"t": arr(t), "b": arr(b), "p": arr(p), "c": arr(c), "d": arr(d)}


def test_scales_and_denominators_change_between_calls() -> None:
    """A measure read at 1, then 2, then 3 decimals (each a new scale: the general route reads
    it and keeps the scale), a value exact at the kept scale (the route), a batch scored by
    numpy in between, integers where floats were, NaN, an unknown option, a negative count: each
    call equals the other paths', and the route decides exactly the calls it can."""
    three = _Three(_ruleset(MIXED))
    calls: list[tuple[dict[str, Any], bool]] = [
        (_unit(0.5), False),  # no scale known yet
        (_unit(1.5), True),
        (_unit(0.25), False),  # two decimals: a new scale
        (_unit(0.75, b=0.25), False),  # a new scale for b
        (_unit(0.75, b=0.75), True),
        (_unit(0.125), False),  # three
        (_unit(0.5), True),  # exact at the kept three decimals: the same integers, 500
        (_unit(np.arange(10) / 4, *(np.zeros(10),) * 2, *(np.zeros(10, int),) * 2), False),
        (_unit(0.5), True),
        (_unit(np.asarray([2], dtype=np.int64)), True),  # an integer column: a route of its own
        (_unit(np.asarray([2], dtype=np.int32), c=np.asarray([1], dtype=np.uint8)), True),
        (_unit(float("nan")), False),
        (_unit(float("inf")), False),
        (_unit(0.5, c=2), False),  # no option at position 2
        (_unit(0.5, c=-1), False),
        (_unit(0.5, d=-1), False),  # a negative count
        (_unit(0.5, d=9), True),  # deductions beyond the maximum: 0 points, valid
        (_unit(0.5, c=np.asarray(["y"])), False),  # option keys: read by the general route
        (_unit(0.5, p=1.3), False),  # above the node's maximum: invalid
        (_unit(0.5, p=True), False),  # booleans are not read by the route
        (_unit(1.5), True),
    ]
    for arrays, decided in calls:
        before = three.spy.decided
        three.run(arrays, errors="mask")
        assert three.spy.decided == before + decided, arrays
    for arrays, _ in calls:  # again, every scale known: the route decides more
        three.run(arrays, errors="raise")
    assert three.spy.decided > 2 * sum(d for _, d in calls)


def test_an_inexact_tie_is_rescored_on_the_route() -> None:
    """3.765 exactly, 3.7649…9 in the engine's Decimal steps (as in test_small_batch): decided
    by the route on the second call, and re-scored by the engine there too."""
    leaves = [("1", "4.81", 3, 1), ("2", "0.589", 9, 5), ("3", "0.036", 6, 5), ("4", "8.12", 9, 2)]
    rs = _ruleset(
        [
            {"code": c, "maximum": m, "rule": {"kind": "proportional", "target": t}}
            for c, m, t, _ in leaves
        ]
    )
    arrays = {c: np.asarray([float(x)]) for c, _, _, x in leaves}
    three = _Three(rs)
    first = three.run(arrays)
    second = three.run(arrays)
    assert three.spy.decided == 1 and first == second
    got = _new(three.new, arrays, three.spy)
    assert got.reference_rows.tolist() == [0] and got.total(0) == Decimal("3.76")


def test_a_unit_beyond_int64_is_left_to_the_numpy_path() -> None:
    """The bound of the total leaves int64 only with the large value: the route leaves that
    call, and the numpy path gives it to the engine (``engine == "reference"``)."""
    targets = [3, 7, 11, 13, 17, 19]
    rs = _ruleset(
        [
            {"code": "0"},
            *(
                {"code": str(t), "maximum": "0.589", "rule": {"kind": "proportional", "target": t}}
                for t in targets
            ),
        ]
    )
    three = _Three(rs)
    small_value = {"0": np.asarray([9999.999]), **{str(t): np.asarray([3.0]) for t in targets}}
    three.run(small_value)
    three.run(small_value)
    assert three.spy.decided == 1
    large = {**small_value, "0": np.asarray([99999999999.999])}
    got = three.run(large)
    assert three.spy.decided == 1 and got[1][-1] == "reference"
    three.run(small_value)


def test_arrays_of_other_shapes_are_not_read_by_the_route() -> None:
    three = _Three(_ruleset(MIXED))
    three.run(_unit(0.5))
    for odd in (np.asarray([[0.5]]), np.ma.masked_array([0.5]), [0.5]):
        three.run({**_unit(0.5), "t": odd}, errors="mask")
        three.run({k: np.asarray([[v[0]]]) for k, v in _unit(0.5).items()}, errors="mask")
    ints = _Three(_ruleset(MIXED[3:]))  # integers only
    for arrays in ({"c": np.asarray([1]), "d": np.asarray([2])},) * 2:
        ints.run(arrays)
        ints.run({k: v.reshape(1, 1) for k, v in arrays.items()}, errors="mask")
    # the first call needs a larger denominator (½ point per violation): the general route's
    assert three.spy.decided == 0 and ints.spy.decided == 1


def test_forgetting_every_remembered_hit_changes_nothing() -> None:
    """With room for three hits per route, one state and one remembered result: every call
    forgets and refills; and a state per decimal precision (the prepared kernels and the error
    bounds depend on it)."""
    three = _Three(_ruleset(MIXED))
    values = (0.5, 1.5, 0.5, 2.5, 0.5, 3.0, 1.5)
    with mock.patch.object(small, "_ROUTE_HITS", 3), mock.patch.object(small, "_MEMO", 1):
        for t in values:
            three.run(_unit(t, p=t / 4))  # the bound of p's points varies with it
            three.run(_unit(np.asarray([int(t)])))
    with mock.patch.object(small, "_STATES", 1):
        for t in values:
            three.run(_unit(t))
            with decimal.localcontext(prec=20):
                three.run(_unit(t))
            three.run(_unit(np.asarray([int(t)], dtype=np.int32)))  # a route of its own
    assert three.spy.decided >= 12


def test_node_checks_on_the_route() -> None:
    """Nodes whose parts have no maximum, so that their sums are checked against the node's
    (two columns, one column, one column next to a part not applicable under ``full``): as the
    other paths check them."""
    nodes = [
        {"code": "1", "maximum": "2", "children": [{"code": "1.1"}, {"code": "1.2"}]},
        {"code": "2", "maximum": "1", "children": [{"code": "2.1"}]},
        {
            "code": "3",
            "maximum": "1",
            "children": [{"code": "3.1", "maximum": "0.5"}, {"code": "3.2"}],
        },
    ]
    three = _Three(_ruleset(nodes, not_applicable="full"))
    units = [(1.25, 0.25, 0.25), (1, 1, 1), (0.75, 0.75, 0.5), (1.25, 1, 0.5), (0.5, 0.5, 1.25)]
    for a, b, c in [*units, (1, 0.5, 0.25)]:
        arrays = {
            "1.1": np.asarray([a]),
            "1.2": np.asarray([b]),
            "2.1": np.asarray([c]),
            "3.1": np.asarray([0.0]),
            "3.2": np.asarray([c]),
        }
        three.run(arrays, errors="mask")
        three.run(arrays, errors="mask", kinds={"3.1": "not_applicable"})
    # each plan's first unit finds the scales, two others are above a maximum; with 3.1 not
    # applicable (its 0.5 given in full) so is (1, 1, 1)
    assert three.spy.decided == 3 + 2


def test_totals_too_large_to_round_are_left_to_the_numpy_path() -> None:
    """A total whose bound fits the kernels' 2^62 (3·10^11 points over 10^7, next to a
    seven-decimal value) but not once doubled for rounding: left by the route, given to the
    engine by the numpy path; the units after it are the route's again."""
    three = _Three(_ruleset([{"code": "0"}, {"code": "1", "maximum": "1"}]))
    got = []
    for big in (1, 2, 3 * 10**11, 4, 4):
        arrays = {"0": np.asarray([big], dtype=np.int64), "1": np.asarray([0.1234567])}
        before = three.spy.decided
        got.append((three.run(arrays)[1][-1], three.spy.decided - before))
    assert got == [("fast", 0), ("fast", 1), ("reference", 0), ("fast", 1), ("fast", 1)]
    # beyond the model's limit of points, the engine's refusal, on every path
    arrays = {"0": np.asarray([3 * 10**18], dtype=np.int64), "1": np.asarray([0.5])}
    refused = three.run(arrays)
    assert refused[:2] == ("refused", "SchemaError") and "larger than 1E+12" in refused[2]
    assert three.run(arrays, errors="mask")[1][1][4][1] == [False]  # valid: no


def test_a_kernel_refused_on_the_route_is_refused_on_the_others() -> None:
    three = _Three(_ruleset(MIXED))
    three.run(_unit(0.5))

    def refuse(*args: Any) -> Any:
        raise Unsupported("no kernel today")

    with mock.patch.object(small, "_prepare_at", refuse):
        three.run(_unit(1.0))
    assert three.spy.decided == 0


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _step(
    draw: Callable[..., Any], kinds: dict[str, str], spec: dict[str, Any], rows: list[Any]
) -> tuple[dict[str, Any], bool]:
    """The rows as arrays: floats for measures and points (integers when whole, sometimes),
    option positions (an unknown key at the position past the last) or keys, counts as
    integers of some width or floats; sometimes a NaN, ∞ or −1 put in (then True)."""
    options = {
        leaf["code"]: list(leaf["rule"]["options"])
        for leaf in gen.leaves(spec["nodes"])
        if kinds[leaf["code"]] == "choice"
    }
    out: dict[str, Any] = {}
    for code, kind in kinds.items():
        vals = [a["inputs"][code][kind] for a in rows]
        form = draw(st.integers(0, 5))
        if kind == "choice":
            keys = options[code]
            pos = [keys.index(v) if v in keys else len(keys) for v in vals]
            out[code] = np.asarray(vals) if form == 0 else np.asarray(pos, dtype=np.int64)
        elif kind == "count":
            dtype = [np.float64, np.int32, np.int64, np.int64, np.uint16, np.int64][form]
            out[code] = np.asarray(vals, dtype=dtype)
        elif form == 0 and all(Decimal(v) == int(Decimal(v)) for v in vals):
            out[code] = np.asarray([int(Decimal(v)) for v in vals], dtype=np.int64)
        else:
            out[code] = np.asarray([float(v) for v in vals])
    odd = draw(st.integers(0, 9)) == 0
    if odd:
        code = draw(st.sampled_from(sorted(out)))
        bad = draw(st.sampled_from([np.nan, np.inf, -1]))
        column = out[code]
        if (column.dtype.kind in "iu" and bad == -1) or column.dtype.kind == "f":
            out[code] = column.astype(np.float64 if column.dtype.kind == "f" else np.int64)
            out[code][0] = bad
    return out, odd


@SETTINGS
@given(st.data())
def test_one_unit_after_another_equals_the_other_paths(data: st.DataObject) -> None:
    """Generated rulesets, and a run of calls on the same compiled rulesets — mostly one unit,
    sometimes a batch of 9–12 that numpy scores (new scales, a new denominator), in varied
    dtypes, with a NaN, ∞ or −1 put in now and then: every call's result (or refusal) equals
    the general small route's and the numpy path's, field for field, and each valid unit the
    engine's."""
    spec = data.draw(gen.rulesets(), label="ruleset")
    ruleset = api.load_ruleset(spec)
    sizes = data.draw(
        st.lists(st.sampled_from([1, 1, 1, 1, 9, 12]), min_size=2, max_size=8), label="sizes"
    )
    kinds, rows = data.draw(_plain_batch(spec, sum(sizes)), label="assessments")
    rows = [_as_floats(a, kinds) for a in rows]
    errors = data.draw(st.sampled_from(["mask", "raise"]), label="errors")
    three = _Three(ruleset)
    start = 0
    for size in sizes:
        part = rows[start : start + size]
        start += size
        arrays, odd = _step(data.draw, kinds, spec, part)
        got = three.run(arrays, kinds=kinds, errors=errors)
        if got[0] != "scored" or odd:
            continue
        res = _new(three.new, arrays, three.spy, kinds=kinds, errors=errors)
        assert _fields(res) == got[1]
        for i, a in enumerate(part):
            try:
                card = engine.score(ruleset, api.load_assessment(a), PointsRule)
            except ParindexError:
                assert not res.valid[i]
                continue
            assert (res.total(i), res.index(i), res.group(i)) == (
                card.total,
                card.index,
                card.group,
            )
    event(f"units decided by the route: {min(three.spy.decided, 4)}+")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.booleans(), st.booleans()),
        max_size=8,
    ),
    st.sampled_from([None, "competition", "dense", "ordinal", "modified"]),
    st.lists(st.integers(0, 7), max_size=3),
    st.booleans(),
)
def test_a_few_units_finish_as_numpy_finishes_them(
    units: list[tuple[int, int, bool, bool]],
    ties: Any,
    rescored: list[int],
    whole: bool,
) -> None:
    """Ranks (ties, invalid units), the index known or not, the rows re-scored: the result of
    a few units built in Python lists is numpy's field for field (dtypes too)."""
    n = len(units)
    rows = [r for r in rescored if r < n]

    def scored() -> Scored:
        return Scored(
            np.asarray([u[0] for u in units], dtype=np.int64),
            np.asarray([u[1] for u in units], dtype=np.int64),
            np.asarray([u[2] for u in units], dtype=np.bool_),
            np.asarray([u[1] % 3 - 1 for u in units], dtype=np.int16),
            np.asarray([u[3] for u in units], dtype=np.bool_),
            list(rows),
            whole,
        )

    compiled = compile_ruleset(_ruleset(MIXED, ranking={"ties": "dense"}))
    got = batch._finish(compiled, scored(), ties)
    with mock.patch.object(batch, "SMALL", -1), mock.patch.object(ranks, "SMALL", 0):
        want = batch._finish(compiled, scored(), ties)  # numpy's calls, ranks too
    assert _fields(got) == _fields(want)
    # and independently: valid units ranked by competition are 1 + the number of better keys
    valid = [u for u in units if u[3]]
    by_index = bool(valid) and all(u[2] for u in valid)
    if ties == "competition":
        keys = [u[1] if by_index else u[0] for u in units]
        ok = [keys[i] for i, u in enumerate(units) if u[3]]
        expect = [1 + sum(k > keys[i] for k in ok) if u[3] else 0 for i, u in enumerate(units)]
        assert got.ranks.tolist() == expect
    assert got.ranked_by == ("index" if by_index else "total")
