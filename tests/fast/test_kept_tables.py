"""A batch whose columns lie in the ranges kept from an earlier batch is added in one call of the
fused loops (``kernel._score_kept``), chunks shared out to threads: every field of its result
equals the column-by-column path's and the pure-numpy path's, for one thread or several, and a
value outside what was kept sends the batch back to the column-by-column path."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fast_helpers import bench_module, needs_numba
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.model.errors import ParindexError
from parindex.scoring.fast import fused, kernel, score_batch, threads


def _fields(r: Any) -> tuple[Any, ...]:
    return (
        r.totals.tolist(),
        None if r.indices is None else r.indices.tolist(),
        r.index_known.tolist(),
        r.groups.tolist(),
        r.ranks.tolist(),
        r.valid.tolist(),
        r.reference_rows.tolist(),
        r.engine,
    )


class _Spy:
    """Counts the calls of ``kernel._score_kept`` that scored the batch."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.used = 0
        real = kernel._score_kept

        def spy(*args: Any) -> Any:
            got = real(*args)
            self.used += got is not None
            return got

        monkeypatch.setattr(kernel, "_score_kept", spy)


def _column_path(rs: Any, arrays: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as m:
        m.setattr(kernel, "_score_kept", lambda *a: None)
        return score_batch(rs, arrays, errors="mask")


def _numpy_path(rs: Any, arrays: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as m:
        m.setenv("PARINDEX_NUMBA", "0")
        return score_batch(rs, arrays, errors="mask")


@needs_numba
@pytest.mark.parametrize("nthreads", ["1", "2", "3"])
def test_a_batch_in_kept_ranges_is_added_at_once(
    monkeypatch: pytest.MonkeyPatch, nthreads: str
) -> None:
    synthetic = bench_module()
    rs = synthetic.load_ruleset()
    monkeypatch.setenv("PARINDEX_THREADS", nthreads)
    monkeypatch.setattr(kernel, "CHUNK", 2500)  # several spans for the threads to share
    n = 9000
    first = synthetic.make_arrays(rs, n, seed=3)
    spy = _Spy(monkeypatch)
    score_batch(rs, first, errors="mask")  # keeps each column's range and scale
    assert spy.used == 0
    second = synthetic.make_arrays(rs, n, seed=4)  # other values, the same ranges
    got = score_batch(rs, second, errors="mask")
    assert spy.used == 1
    assert _fields(got) == _fields(_column_path(rs, second, monkeypatch))
    assert _fields(got) == _fields(_numpy_path(rs, second, monkeypatch))


@needs_numba
def test_a_value_outside_the_kept_range_goes_column_by_column(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synthetic = bench_module()
    rs = synthetic.load_ruleset()
    monkeypatch.setenv("PARINDEX_THREADS", "2")
    monkeypatch.setattr(kernel, "CHUNK", 2500)
    n = 5000
    arrays = synthetic.make_arrays(rs, n, seed=5)
    # the ranges kept are the last chunk's: the whole batch's, when it is the batch again
    score_batch(rs, {c: v[n // 2 :] for c, v in arrays.items()}, errors="mask")
    score_batch(rs, arrays, errors="mask")
    spy = _Spy(monkeypatch)
    assert _fields(score_batch(rs, arrays, errors="mask")) == _fields(
        _numpy_path(rs, arrays, monkeypatch)
    )
    assert spy.used == 1
    spy.used = 0
    # a column that is a view with a stride (of a 2-D array) is read column by column
    strided = {c: np.stack([v, v], axis=1)[:, 0] for c, v in arrays.items()}
    assert _fields(score_batch(rs, strided, errors="mask")) == _fields(
        _numpy_path(rs, arrays, monkeypatch)
    )
    assert spy.used == 0
    floats = [c for c, v in arrays.items() if v.dtype.kind == "f"]
    ints = [c for c, v in arrays.items() if v.dtype.kind == "i"]
    for code, value in ((floats[-1], 0.12345), (ints[-1], 10**6)):
        other = {c: v.copy() for c, v in arrays.items()}
        other[code][n - 1] = value  # the last unit of the last column: after all else is added
        got = score_batch(rs, other, errors="mask")
        assert spy.used == 0
        assert _fields(got) == _fields(_numpy_path(rs, other, monkeypatch))


@needs_numba
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(fused.MIN_UNITS, 7000))
def test_kept_path_equals_numpy_path_on_generated_batches(
    monkeypatch: pytest.MonkeyPatch, seed: int, n: int
) -> None:
    synthetic = bench_module()
    rs = synthetic.load_ruleset()
    monkeypatch.setattr(kernel, "CHUNK", 1500)
    monkeypatch.setenv("PARINDEX_THREADS", "2")
    score_batch(rs, synthetic.make_arrays(rs, n, seed=seed ^ 1), errors="mask")
    arrays = synthetic.make_arrays(rs, n, seed=seed)
    assert _fields(score_batch(rs, arrays, errors="mask")) == _fields(
        _numpy_path(rs, arrays, monkeypatch)
    )


@needs_numba
def test_the_compiled_add_columns_equals_its_python_form() -> None:
    from parindex.scoring.fast import fused_loops

    rng = np.random.default_rng(2)
    n = 3 * fused_loops.BLOCK // 2 + 7
    xf = [rng.integers(0, 101, n) / 100, rng.integers(-5, 6, n) / 10]
    xi = [rng.integers(2, 7, n)]
    tf = [rng.integers(-40, 40, 101).astype(np.int64), rng.integers(0, 9, 11).astype(np.int64)]
    ti = [rng.integers(0, 99, 5).astype(np.int64)]
    pf, lof, loi = [100.0, 10.0], [0.0, -5.0], [2]
    want = (
        tf[0][np.rint(xf[0] * 100).astype(np.int64)]
        + tf[1][np.rint(xf[1] * 10).astype(np.int64) + 5]
        + ti[0][xi[0] - 2]
    )
    for form in (fused_loops.add_columns, fused_loops.PYTHON["add_columns"]):
        args = fused_loops.typed(xf, pf, lof, tf, xi, loi, ti)
        total = np.zeros(n, dtype=np.int64)
        assert form(*args, total, 0, n) == -1
        assert total.tolist() == want.tolist()
        part = np.zeros(n, dtype=np.int64)
        assert form(*args, part, 10, 20) == -1  # only its own units are written
        assert part[10:20].tolist() == want[10:20].tolist()
        assert not part[:10].any() and not part[20:].any()
    bad_float = [xf[0], xf[1].copy()]
    bad_float[1][n - 1] = 0.05  # not exact at one decimal
    bad_int = [xi[0].copy()]
    bad_int[0][0] = 7  # one past the table
    for xs, ys, where in ((bad_float, xi, 1), (xf, bad_int, 2)):
        args = fused_loops.typed(xs, pf, lof, tf, ys, loi, ti)
        assert fused_loops.add_columns(*args, np.zeros(n, dtype=np.int64), 0, n) == where


def test_thread_count_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARINDEX_THREADS", "3")
    assert threads.count() == 3
    monkeypatch.setenv("PARINDEX_THREADS", "1000")
    assert threads.count() == threads.MAX_THREADS
    for bad in ("0", "two", "-1", "1.5"):
        monkeypatch.setenv("PARINDEX_THREADS", bad)
        with pytest.raises(ParindexError, match="PARINDEX_THREADS"):
            threads.count()
    monkeypatch.delenv("PARINDEX_THREADS")
    monkeypatch.setattr(threads.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(threads.os, "getloadavg", lambda: (2.4, 0.0, 0.0))
    assert threads.count() == 3  # one core of four busy besides this process
    monkeypatch.setattr(threads.os, "getloadavg", lambda: (9.0, 0.0, 0.0))
    assert threads.count() == 1

    def no_load() -> tuple[float, float, float]:
        raise OSError

    monkeypatch.setattr(threads.os, "getloadavg", no_load)
    assert threads.count() == 4


@pytest.mark.parametrize("nthreads", ["1", "2"])
def test_run_spans_runs_each_span_once_and_reports_a_failure(
    monkeypatch: pytest.MonkeyPatch, nthreads: str
) -> None:
    monkeypatch.setenv("PARINDEX_THREADS", nthreads)
    spans = [(a, a + 10) for a in range(0, 100, 10)]
    seen: list[tuple[int, int]] = []
    assert threads.run_spans(lambda a, b: seen.append((a, b)) or -1, spans)
    assert sorted(seen) == spans
    assert not threads.run_spans(lambda a, b: 0 if a == 50 else -1, spans)


@needs_numba
@settings(max_examples=200, deadline=None)
@given(
    nums=st.lists(
        st.one_of(st.integers(-(10**12), 10**12), st.integers(-(10**17), 10**17)),
        min_size=1,
        max_size=40,
    ),
    mul_t=st.integers(1, 50),
    den_t=st.one_of(st.integers(1, 10**6), st.integers(1, 2**61)),
    has_index=st.booleans(),
    mul_i=st.integers(1, 50),
    den_i=st.integers(1, 10**6),
    mode=st.sampled_from(["half_up", "half_even", "up", "down"]),
    ths=st.lists(st.integers(-(10**7), 10**7), max_size=5),
    lim_t=st.one_of(st.none(), st.floats(0, 10**6)),
    lim_i=st.one_of(st.none(), st.floats(0, 10**6)),
)
def test_finish_span_equals_the_kernels_numpy_steps(
    nums: list[int],
    mul_t: int,
    den_t: int,
    has_index: bool,
    mul_i: int,
    den_i: int,
    mode: str,
    ths: list[int],
    lim_t: float | None,
    lim_i: float | None,
) -> None:
    """Rounding, band and boundary test of the one-pass finish against ``round_div``,
    ``_group_codes`` and ``_near_boundaries``' tests (exact: no total test, exact index ties
    not checked)."""
    from types import SimpleNamespace

    from parindex.scoring.fast import fused_loops

    total = np.asarray(nums, dtype=np.int64)
    n = len(total)
    exact = lim_t is None
    scales = np.array([mul_t, den_t, has_index, mul_i, den_i], dtype=np.int64)
    limits = np.array(
        [-1.0 if exact else lim_t, -1.0 if lim_i is None else lim_i, 1.0 if exact else 0.0]
    )
    out_t, out_i = np.full(n, 7, np.int64), np.full(n, 7, np.int64)
    out_g, flagged = np.full(n, 7, np.int16), np.ones(n, np.bool_)
    fused_loops.finish_span(
        total,
        0,
        n,
        scales,
        fused_loops.MODES[mode],
        np.asarray(ths, dtype=np.int64),
        limits,
        out_t,
        out_i,
        out_g,
        flagged,
    )
    assert out_t.tolist() == kernel.round_div(total * mul_t, den_t, mode).tolist()
    want_flag = np.zeros(n, np.bool_)
    if not exact:
        want_flag |= kernel.boundary_distance(total * mul_t, den_t, mode) <= lim_t
    if has_index:
        idx = kernel.round_div(total * mul_i, den_i, mode)
        assert out_i.tolist() == idx.tolist()
        fake = SimpleNamespace(cache={"group thresholds": ths})
        assert out_g.tolist() == kernel._group_codes(fake, idx).tolist()  # type: ignore[arg-type]
        if lim_i is not None:
            d = kernel.boundary_distance(total * mul_i, den_i, mode)
            near = d <= lim_i
            if exact:
                near &= d > 0
            want_flag |= near
    else:
        assert not out_i.any() and (out_g == -1).all()
    assert flagged.tolist() == want_flag.tolist()


@needs_numba
@pytest.mark.parametrize("mode", ["half_up", "half_even", "up", "down"])
@pytest.mark.parametrize(("mul", "den"), [(1, 1), (1, 2), (1, 3), (1, 4), (3, 10), (7, 200)])
def test_finish_span_rounds_every_tie_and_near_tie_as_round_div(
    mode: str, mul: int, den: int
) -> None:
    """Every numerator from −3·den to 3·den: the ties (2r = den), both sides of them, zero and
    negative values, for totals and indices, with every unit's boundary distance tested."""
    from parindex.scoring.fast import fused_loops

    total = np.arange(-3 * den * 10, 3 * den * 10 + 1, dtype=np.int64)
    n = len(total)
    scales = np.array([mul, den, 1, mul, den], dtype=np.int64)
    out_t, out_i = np.empty(n, np.int64), np.empty(n, np.int64)
    out_g, flagged = np.empty(n, np.int16), np.empty(n, np.bool_)
    for limits, exact in ((np.array([0.0, 0.0, 0.0]), False), (np.array([-1.0, 0.0, 1.0]), True)):
        fused_loops.finish_span(
            total,
            0,
            n,
            scales,
            fused_loops.MODES[mode],
            np.array([5, 0, -5], dtype=np.int64),
            limits,
            out_t,
            out_i,
            out_g,
            flagged,
        )
        want = kernel.round_div(total * mul, den, mode)
        assert out_t.tolist() == want.tolist() == out_i.tolist()
        d = kernel.boundary_distance(total * mul, den, mode)
        assert flagged.tolist() == ((d <= 0) & (d > 0) if exact else d <= 0).tolist()


@needs_numba
def test_divmod_is_the_integer_one_on_both_sides_of_two_to_the_53() -> None:
    from parindex.scoring.fast import fused_loops

    e = fused_loops.EXACT_FLOAT
    nums = [0, 1, 2, 3, 10**15 + 7, e - 3, e - 2, e - 1, e, e + 1, e + 7, 2**62 + 11, 2**63 - 1]
    dens = [1, 2, 3, 7, 10, 10**8 + 1, e - 1, e, e + 1, 2**62 - 1]
    for a in nums:
        for d in dens:
            assert tuple(map(int, fused_loops._divmod_jit(a, d))) == divmod(a, d), (a, d)
            assert tuple(map(int, fused_loops.PYTHON_DIVMOD(a, d))) == divmod(a, d), (a, d)


def test_a_larger_pool_replaces_a_smaller_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threads, "_POOL", [])
    spans = [(a, a + 1) for a in range(8)]
    for k, want in (("2", 1), ("4", 3), ("2", 3)):  # never shrinks: a pool of 3 serves 1 too
        monkeypatch.setenv("PARINDEX_THREADS", k)
        assert threads.run_spans(lambda a, b: -1, spans)
        assert threads._POOL[0][0] == want
