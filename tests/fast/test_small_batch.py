"""Batches of a few units are scored in Python integers (``small.score_small_batch``) instead of
numpy: every field of the result — totals, indices, groups, ranks, validity, the units and the
batches sent to the reference engine — must be what the numpy path gives for the same arrays,
and both must be the engine's; whatever is not decided there goes to the numpy path."""

from __future__ import annotations

import importlib
import sys
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

from parindex import api
from parindex.model.errors import ParindexError
from parindex.scoring import engine
from parindex.scoring.fast import (
    FixedColumn,
    batch,
    compile_ruleset,
    fixed_from_decimals,
    rank_keys,
    score_batch,
    small,
)
from parindex.scoring.fast.fixed import Unsupported
from parindex.scoring.fast.small import SMALL_BATCH, score_small_batch
from parindex_core_rules.kinds import PointsRule

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def synthetic() -> Any:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("synthetic")


def _fields(r: Any) -> tuple[Any, ...]:
    arrays = (r.totals, r.index_known, r.groups, r.ranks, r.valid, r.reference_rows)
    return (
        r.places,
        [(a.dtype.str, a.tolist()) for a in arrays],
        None if r.indices is None else (r.indices.dtype.str, r.indices.tolist()),
        r.group_labels,
        r.ranked_by,
        r.engine,
    )


def _outcome(run: Any) -> tuple[Any, ...]:
    try:
        return ("scored", _fields(run()))
    except (ParindexError, ValueError) as exc:  # the numpy path refuses a column it cannot read
        return ("refused", type(exc).__name__, str(exc))


def _numpy_path(compiled: Any, arrays: Any, **kw: Any) -> Any:
    with mock.patch.object(batch, "SMALL_BATCH", 0):  # no batch is small: numpy scores it
        return score_batch(compiled, arrays, **kw)


class _Spy:
    """Counts the batches the small route decided (returned a result for)."""

    def __init__(self) -> None:
        self.decided = 0

    def __call__(self, *args: Any) -> Any:
        got = score_small_batch(*args)
        self.decided += got is not None
        return got


def _small_path(compiled: Any, arrays: Any, spy: _Spy, **kw: Any) -> Any:
    with mock.patch.object(batch, "score_small_batch", spy):
        return score_batch(compiled, arrays, **kw)


@pytest.mark.parametrize("n", [1, 2, 5, SMALL_BATCH])
def test_a_small_batch_is_the_numpy_paths_and_the_engines(synthetic: Any, n: int) -> None:
    ruleset = synthetic.load_ruleset()
    arrays = synthetic.make_arrays(ruleset, n, seed=n)
    compiled = compile_ruleset(ruleset)
    spy = _Spy()
    got = _small_path(compiled, arrays, spy)
    assert spy.decided == 1
    assert _fields(got) == _fields(_numpy_path(compile_ruleset(ruleset), arrays))
    for i, a in enumerate(synthetic.assessments_from_arrays(ruleset, arrays, range(n))):
        card = engine.score(ruleset, a, PointsRule)
        assert (got.total(i), got.index(i), got.group(i)) == (card.total, card.index, card.group)
    for ties in ("dense", "ordinal", "modified", "competition"):
        small_ranks = score_batch(compiled, arrays, ties=ties).ranks.tolist()
        assert small_ranks == _numpy_path(compiled, arrays, ties=ties).ranks.tolist()
    # the same batch given as fixed point, option keys and a 2-D array: the same results
    leaves = {leaf.code: leaf for leaf in synthetic.leaves(ruleset)}
    other: dict[str, Any] = {}
    for code, v in arrays.items():
        rule = leaves[code].rule
        if rule.kind == "choice":
            other[code] = np.asarray([list(rule.options)[int(k)] for k in v])
        elif v.dtype.kind == "f":
            other[code] = FixedColumn(np.rint(v * 1000).astype(np.int64), 3)
        else:
            other[code] = v
    spy = _Spy()
    assert _fields(_small_path(compiled, other, spy)) == _fields(got)
    two_d = np.column_stack([arrays[c] for c in batch.input_codes(compiled)]).astype(float)
    assert _fields(_small_path(compiled, two_d, spy)) == _fields(got)
    assert spy.decided == 2


def test_what_is_not_decided_here_goes_to_the_numpy_path(synthetic: Any) -> None:
    ruleset = synthetic.load_ruleset()
    compiled = compile_ruleset(ruleset)
    plan = compiled.plan("main", compiled.leaf_signature())
    kinds = {leaf.code: leaf.rule.kind for leaf in synthetic.leaves(ruleset)}
    measure = next(c for c, k in kinds.items() if k == "tiers")
    choice = next(c for c, k in kinds.items() if k == "choice")
    count = next(c for c, k in kinds.items() if k == "deduction")
    base = synthetic.make_arrays(ruleset, 3, seed=7)
    bad_values = [
        (measure, np.array([0.5, np.nan, 0.25]), None),  # not a number: refused
        (measure, np.array([0.5, np.inf, 0.25]), None),  # nor is ∞
        (measure, np.array([0.5, 2e12, 0.25]), [True, False, True]),  # above any tier
        (measure, np.array([0.5, 0.1 + 0.2, 0.25]), [True, True, True]),  # 17 digits: the engine
        (choice, np.array([0, 99, 1]), [True, False, True]),  # no option at that position
        (choice, np.array([0, -1, 1]), [True, False, True]),  # nor at −1
        (choice, np.array(["0", "nope", "1"]), [True, False, True]),  # no such option
        (choice, np.array([0.0, 1.5, 1.0]), None),  # a position that is not a whole number
        (choice, np.array([True, False, True]), None),  # nor a position nor a key
        (count, np.array([1, -1, 0]), [True, False, True]),  # a negative count
        (count, np.array([1.0, 2.5, 0.0]), None),  # a count that is not a whole number
        (measure, np.array([0.5, 0.7, 0.25], dtype=np.float128), [True, True, True]),
        (measure, np.array([1, 2, 3], dtype=np.uint64), [True, False, False]),  # above 1: no tier
        (measure, [0.5, 0.7, 0.25], [True, True, True]),  # a list, not an array
        (measure, np.array([Decimal("0.5"), Decimal("0.7"), Decimal(0)]), [True, True, True]),
        (measure, FixedColumn(np.array([50, 70, 25]), 2, lo=0, hi=70), [True, True, True]),
    ]
    for code, column, valid in bad_values:
        arrays = {**base, code: column}
        assert score_small_batch(compiled, plan, arrays, 3, None, lambda i: None) is None, code
        spy = _Spy()
        got = _outcome(lambda a=arrays, s=spy: _small_path(compiled, a, s, errors="mask"))
        assert spy.decided == 0
        fresh = compile_ruleset(ruleset)
        assert got == _outcome(lambda a=arrays, c=fresh: _numpy_path(c, a, errors="mask"))
        assert got[0] == ("refused" if valid is None else "scored"), (code, column)
        if valid is not None:
            assert got[1][1][4][1] == valid, (code, column)
            inexact = isinstance(column, np.ndarray) and column[1] == 0.1 + 0.2
            assert got[1][-1] == ("reference" if inexact else "fast")
    # stated decimals that do not hold, and more units than a small batch
    assert score_small_batch(compiled, plan, base, 3, 1, lambda i: None) is None
    assert score_small_batch(compiled, plan, synthetic.make_arrays(ruleset, 9), 9, None, id) is None


def _ruleset(nodes: list[dict[str, Any]], **more: Any) -> Any:
    return flat_ruleset("t.small", nodes, **more)


def test_an_inexact_tie_goes_to_the_engine_on_both_paths() -> None:
    """3.765 exactly, 3.7649…9 in the engine's 34/28-digit steps: the unit is re-scored."""
    leaves = [("1", "4.81", 3, 1), ("2", "0.589", 9, 5), ("3", "0.036", 6, 5), ("4", "8.12", 9, 2)]
    rs = _ruleset(
        [
            {"code": c, "maximum": m, "rule": {"kind": "proportional", "target": t}}
            for c, m, t, _ in leaves
        ]
    )
    arrays = {c: np.asarray([float(x), 0.5]) for c, _, _, x in leaves}
    spy = _Spy()
    got = _small_path(compile_ruleset(rs), arrays, spy)
    assert spy.decided == 1
    assert _fields(got) == _fields(_numpy_path(compile_ruleset(rs), arrays))
    assert got.reference_rows.tolist() == [0]
    assert got.total(0) == Decimal("3.76")  # the engine's, not the exact rational's 3.77


def test_a_batch_beyond_int64_goes_to_the_engine_on_both_paths() -> None:
    """Points with 14 significant digits next to ratios over 3 · 7 · 11 · 13 · 17 · 19: the
    totals' bound leaves int64, so the whole batch is the reference engine's
    (``engine == "reference"``); with 7 digits it fits."""
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
    arrays = {"0": np.asarray([99999999999.999]), **{str(t): np.asarray([3.0]) for t in targets}}
    compiled = compile_ruleset(rs)
    spy = _Spy()
    got = _small_path(compiled, arrays, spy)
    assert spy.decided == 0  # the numpy path decides it, and says so
    assert got.engine == "reference" and got.reference_rows.tolist() == [0]
    assert _fields(got) == _fields(_numpy_path(compile_ruleset(rs), arrays))
    one = {
        "ruleset": "t.small",
        "year": 2024,
        "unit": "u",
        "inputs": {"0": {"points": "99999999999.999"}, **{str(t): {"measure": 3} for t in targets}},
    }
    card = engine.score(rs, api.load_assessment(one), PointsRule)
    assert (got.total(0), got.index(0)) == (card.total, card.index)
    # a smaller value fits: decided here, by the fast path
    arrays["0"] = np.asarray([9999.999])
    got = _small_path(compiled, arrays, spy)
    assert spy.decided == 1 and got.engine == "fast"
    assert _fields(got) == _fields(_numpy_path(compile_ruleset(rs), arrays))


SETTINGS = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _columns(
    draw: Any, kinds: dict[str, str], rows: list[dict[str, Any]], as_float: bool
) -> dict[str, Any]:
    """The batch as arrays, each column in one of the forms a caller may give it."""
    out: dict[str, Any] = {}
    for code, kind in kinds.items():
        vals = [a["inputs"][code][kind] for a in rows]
        form = draw(st.integers(0, 3))
        if kind == "choice":
            out[code] = np.asarray(vals)
        elif kind == "count":
            out[code] = np.asarray(vals, dtype=np.int64 if form else np.float64)
        elif as_float:
            out[code] = np.asarray([float(v) for v in vals])
        elif form == 0:
            try:
                out[code] = fixed_from_decimals([Decimal(v) for v in vals])
            except Unsupported:  # more digits than int64 holds: as Decimal objects
                out[code] = np.asarray([Decimal(v) for v in vals], dtype=object)
        elif form == 1 and all(Decimal(v) == int(Decimal(v)) for v in vals):
            out[code] = np.asarray([int(Decimal(v)) for v in vals], dtype=np.int64)
        else:
            out[code] = np.asarray([float(Decimal(v)) for v in vals])
    return out


@SETTINGS
@given(st.data())
def test_small_batches_equal_the_numpy_path_and_the_engine(data: st.DataObject) -> None:
    """Generated rulesets and batches of 1–8 units: the small route's result equals the numpy
    path's field for field (each on a freshly compiled ruleset), and the engine's unit by unit;
    then both keep their state alike (scales and denominators seen): a second batch on the same
    compiled rulesets is equal too."""
    spec = data.draw(gen.rulesets(), label="ruleset")
    ruleset = api.load_ruleset(spec)
    n = data.draw(st.integers(1, SMALL_BATCH), label="units")
    kinds, rows = data.draw(_plain_batch(spec, n), label="assessments")
    as_float = data.draw(st.booleans(), label="floats")
    if as_float:
        rows = [_as_floats(a, kinds) for a in rows]
    columns = _columns(data.draw, kinds, rows, as_float)
    kw: dict[str, Any] = {"kinds": kinds, "errors": data.draw(st.sampled_from(["mask", "raise"]))}
    if as_float and data.draw(st.integers(0, 4)) == 0:
        kw["decimals"] = data.draw(st.integers(0, 4), label="decimals")
    ours, theirs = compile_ruleset(ruleset), compile_ruleset(ruleset)
    spy = _Spy()
    got = _outcome(lambda: _small_path(ours, columns, spy, **kw))
    assert got == _outcome(lambda: _numpy_path(theirs, columns, **kw))
    event(f"decided by the small route: {spy.decided}")
    if got[0] == "scored":
        event(f"engine: {got[1][-1]}; units re-scored: {bool(got[1][1][5][1])}")
        res = _small_path(ours, columns, spy, **kw)
        for i, a in enumerate(rows):
            try:
                card = engine.score(ruleset, api.load_assessment(a), PointsRule)
            except ParindexError:
                assert not res.valid[i]
                continue
            assert res.valid[i]
            assert (res.total(i), res.index(i), res.group(i)) == (
                card.total,
                card.index,
                card.group,
            )
    # a second batch (the first one's rows reversed) on the compiled rulesets used above
    again = {
        c: (FixedColumn(v.values[::-1].copy(), v.scale) if isinstance(v, FixedColumn) else v[::-1])
        for c, v in columns.items()
    }
    assert _outcome(lambda: _small_path(ours, again, spy, **kw)) == _outcome(
        lambda: _numpy_path(theirs, again, **kw)
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(-5, 5), min_size=1, max_size=small.SMALL_BATCH),
    st.sampled_from(["competition", "dense", "ordinal", "modified"]),
)
def test_ranks_of_a_few_keys_are_the_numpy_ranks(keys: list[int], ties: str) -> None:
    arr = np.asarray(keys, dtype=np.int64)
    got = rank_keys(arr, ties)
    with mock.patch("parindex.scoring.fast.ranks.SMALL", 0):
        numpy_ranks = rank_keys(arr, ties)
    assert got.dtype == numpy_ranks.dtype and got.tolist() == numpy_ranks.tolist()
    # and independently: competition ranks are 1 + the number of better keys
    if ties == "competition":
        assert got.tolist() == [1 + sum(k > x for k in keys) for x in keys]
