"""The fused loops (numba, optional) and chunked scoring give exactly the pure-numpy path's
integers, which are the engine's: checked against the engine unit by unit, and against a reading
of every float written here with Python's own integers and fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from fast_helpers import bench_module, needs_numba

from parindex import api
from parindex.model.errors import ParindexError
from parindex.scoring import engine
from parindex.scoring.fast import fused, kernel, score_batch
from parindex_core_rules.kinds import PointsRule


def _exact_at(v: float, p: int) -> tuple[bool, int]:
    """Python's reading: ``v`` is exact at ``p`` when the integer nearest ``v·p`` (as floats
    multiply) divided by ``p`` converts back to ``v`` (a Fraction's float is correctly
    rounded)."""
    if v != v or v in (float("inf"), float("-inf")):
        return False, 0
    y = round(v * p)
    return float(Fraction(y, p)) == v, y


TRICKY = [0.29, 0.1 + 0.2, -0.0, 1e-12, 12.345, -7.5, 0.005, 9.9975, 1.05, 2.675, 100.0]


@needs_numba
@pytest.mark.parametrize("scale", [0, 2, 3])
def test_scan_and_index_floats_read_as_python_does(scale: int) -> None:
    loops = fused.loops(fused.MIN_UNITS)
    assert loops is not None
    p = 10**scale
    rng = np.random.default_rng(scale)
    base = rng.integers(-5000, 5000, 500) / p
    for extra in ([], TRICKY, [float("nan")], [float("inf")], [1e300]):
        x = np.concatenate([base, np.asarray(extra, dtype=np.float64)])
        want = [_exact_at(float(v), p) for v in x]
        ok, lo, hi = loops.scan_floats(x, float(p), 1e15)
        assert ok == all(w[0] and abs(w[1]) < 10**15 for w in want)
        if ok:
            ys = [w[1] for w in want]
            assert (lo, hi) == (min(ys), max(ys))
            out = np.empty(len(x), dtype=np.int32)
            assert loops.index_floats(x, float(p), float(lo), int(hi - lo) + 1, out)
            assert out.tolist() == [y - int(lo) for y in ys]
            # one value above the table's range is refused, not read past its end
            assert not loops.index_floats(x, float(p), float(lo), int(hi - lo), out)
            assert int(out.max()) <= int(hi - lo) - 1


@needs_numba
def test_the_compiled_loops_equal_their_python_form() -> None:
    from parindex.scoring.fast import fused_loops

    rng = np.random.default_rng(7)
    x = rng.integers(0, 101, 300) / 100
    xi = rng.integers(-3, 9, 300)
    lut = rng.integers(-50, 50, 120).astype(np.int64)
    for name in ("scan_floats",):
        assert getattr(fused_loops, name)(x, 100.0, 1e15) == fused_loops.PYTHON[name](
            x, 100.0, 1e15
        )
    a, b = np.empty(300, np.int32), np.empty(300, np.int32)
    assert fused_loops.index_floats(x, 100.0, 0.0, 101, a) == fused_loops.PYTHON["index_floats"](
        x, 100.0, 0.0, 101, b
    )
    assert a.tolist() == b.tolist()
    assert fused_loops.index_ints(xi, -3, 12, a) == fused_loops.PYTHON["index_ints"](xi, -3, 12, b)
    assert a.tolist() == b.tolist() == (xi + 3).tolist()
    t1, t2 = np.arange(300, dtype=np.int64), np.arange(300, dtype=np.int64)
    fused_loops.gather_add(lut, a, t1)
    fused_loops.PYTHON["gather_add"](lut, b, t2)
    assert t1.tolist() == t2.tolist() == [i + int(lut[k]) for i, k in enumerate(xi + 3)]


def _same(a: Any, b: Any) -> None:
    assert a.totals.tolist() == b.totals.tolist()
    assert a.valid.tolist() == b.valid.tolist()
    assert a.ranks.tolist() == b.ranks.tolist()
    assert a.groups.tolist() == b.groups.tolist()
    assert (a.indices is None) == (b.indices is None)
    if a.indices is not None:
        assert a.indices.tolist() == b.indices.tolist()


def _paths(rs: Any, arrays: dict[str, Any], monkeypatch: pytest.MonkeyPatch, **kw: Any) -> Any:
    """Score with the fused loops (when installed), then with numpy only; both must agree."""
    monkeypatch.setenv("PARINDEX_NUMBA", "1")
    a = score_batch(rs, arrays, **kw)
    monkeypatch.setenv("PARINDEX_NUMBA", "0")
    b = score_batch(rs, arrays, **kw)
    _same(a, b)
    return b


def test_paths_agree_with_each_other_and_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    synthetic = bench_module()
    rs = synthetic.load_ruleset()
    n = fused.MIN_UNITS + 500
    arrays = synthetic.make_arrays(rs, n, seed=11)
    first = _paths(rs, arrays, monkeypatch)
    # a second batch with wider ranges and more decimals: the kept tables no longer fit it
    wider = {c: v.copy() for c, v in arrays.items()}
    for v in wider.values():
        if v.dtype.kind == "f" and float(v.max()) <= 1.05:
            v[::97] = np.round(v[::97] * 0.999, 4)  # 4 decimals where there were 2 or 3
    second = _paths(rs, wider, monkeypatch)
    for res, data in ((first, arrays), (second, wider)):
        for i in [*range(0, n, 211), n - 1]:
            a = api.load_assessment(
                {
                    "ruleset": rs.id,
                    "year": rs.years[0],
                    "unit": f"u{i}",
                    "inputs": {c: _input(rs, c, v[i]) for c, v in data.items()},
                }
            )
            card = engine.score(rs, a, PointsRule)
            assert (res.total(i), res.index(i), res.group(i)) == (
                card.total,
                card.index,
                card.group,
            )


def _input(rs: Any, code: str, v: Any) -> dict[str, Any]:
    """One array value as the assessment gives it (options by position, in declared order)."""
    rule = rs.find(code)[1].rule
    if rule.kind == "choice":
        return {"choice": list(rule.options)[int(v)]}
    return {rule.input_kind: Decimal(repr(float(v))) if isinstance(v, np.floating) else int(v)}


def _tie_ruleset() -> Any:
    leaves = [("1", "4.81", 3), ("2", "0.589", 9), ("3", "0.036", 6), ("4", "8.12", 9)]
    return api.load_ruleset(
        {
            "id": "t.tie",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "test"},
            "rounding": {"places": 2, "mode": "half_up"},
            "nodes": [
                {"code": c, "maximum": m, "rule": {"kind": "proportional", "target": t}}
                for c, m, t in leaves
            ],
        }
    )


def test_chunks_keep_deferred_and_invalid_units_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact ties through ÷ 3 go to the engine (3.765 → 3.76 there); with chunks of 700 units
    the same units are deferred and every result equals the unchunked batch's."""
    rs = _tie_ruleset()
    n = 3000
    rng = np.random.default_rng(5)
    tie = {"1": 1.0, "2": 5.0, "3": 5.0, "4": 2.0}
    arrays = {c: rng.integers(0, 10, n).astype(np.float64) for c in tie}
    at = np.arange(3, n, 7)
    for c, v in tie.items():
        arrays[c][at] = v
    whole = _paths(rs, arrays, monkeypatch)
    monkeypatch.setattr(kernel, "CHUNK", 700)
    chunked = _paths(rs, arrays, monkeypatch)
    _same(whole, chunked)
    assert chunked.reference_rows.tolist() == whole.reference_rows.tolist()
    assert set(at.tolist()) <= set(chunked.reference_rows.tolist())
    assert {str(chunked.total(int(i))) for i in at} == {"3.76"}  # the engine's, not 3.77
    bad = {c: v.copy() for c, v in arrays.items()}
    bad["2"][:] = 0.5
    bad["2"][2500] = 0.6  # points given directly, above the maximum 0.589: the engine refuses
    for path in ("1", "0"):
        monkeypatch.setenv("PARINDEX_NUMBA", path)
        masked = score_batch(rs, bad, errors="mask", kinds={"2": "points"})
        assert np.flatnonzero(~masked.valid).tolist() == [2500]
        with pytest.raises(ParindexError, match="row-2500"):
            score_batch(rs, bad, kinds={"2": "points"})


def test_a_batch_needing_many_decimals_does_not_slow_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A batch starts from the common denominator the last one ended with; when that one was
    large (values with 12 decimals), the next batch is still scored on the fast path."""
    rs = _tie_ruleset()
    plain = {c: np.asarray([1.0, 2.0, 3.0] * 30) for c in "1234"}
    fine = {c: v + 1e-12 for c, v in plain.items()}
    for path in ("1", "0"):
        monkeypatch.setenv("PARINDEX_NUMBA", path)
        score_batch(rs, fine)
        after = score_batch(rs, plain)
        assert after.engine == "fast" and len(after.reference_rows) == 0
        assert after.totals.tolist() == score_batch(rs, plain).totals.tolist()
