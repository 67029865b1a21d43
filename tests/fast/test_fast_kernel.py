"""The fast path's building blocks, and cases chosen by hand (ties, errors, views, the synthetic
100-leaf ruleset, PAPI's own rule kind)."""

from __future__ import annotations

import sys
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex import api
from parindex.model.errors import ParindexError
from parindex.scoring import engine
from parindex.scoring.fast import (
    FixedColumn,
    fixed_from_floats,
    input_codes,
    rank_batch,
    rank_keys,
    round_div,
    score_assessments,
    score_batch,
)
from parindex.scoring.ranking import ranks
from parindex_core_rules.kinds import PointsRule

ROOT = Path(__file__).resolve().parents[2]
MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}


def _bench() -> Any:
    """benchmarks/synthetic.py: the synthetic 100-leaf ruleset and its input generator."""
    import importlib

    sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("synthetic")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=30),
    st.integers(1, 10**6),
    st.sampled_from(sorted(MODES)),
)
def test_round_div_matches_decimal(nums: list[int], den: int, mode: str) -> None:
    got = round_div(np.asarray(nums, dtype=np.int64), den, mode)
    for n, g in zip(nums, got, strict=True):
        want = (Decimal(n) / Decimal(den)).quantize(Decimal(1), rounding=MODES[mode])
        assert Decimal(int(g)) == want, (n, den, mode)


def test_round_div_half_cent_ties() -> None:
    # 0.125, 0.135, −0.125 at two places: numpy.round would give 0.12, 0.14, −0.12
    nums = np.asarray([125, 135, -125, 145], dtype=np.int64)
    assert round_div(nums, 10, "half_up").tolist() == [13, 14, -13, 15]
    assert round_div(nums, 10, "half_even").tolist() == [12, 14, -12, 14]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 40), min_size=1, max_size=40),
    st.sampled_from(["competition", "dense", "ordinal", "modified"]),
    st.sampled_from([1, 10**9]),
)
def test_rank_keys_matches_ranking(keys: list[int], ties: str, spread: int) -> None:
    scaled = [k * spread for k in keys]  # a wide spread takes the sorting path, else counting
    got = rank_keys(np.asarray(scaled, dtype=np.int64), ties).tolist()
    assert got == ranks([Decimal(k) for k in scaled], ties)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.integers(-(10**14), 10**14), st.integers(0, 8))
def test_floats_read_as_the_decimal_they_print_as(k: int, places: int) -> None:
    d = Decimal(k).scaleb(-places)
    assert len(str(abs(k))) <= 15  # drawn so: a float holds every 15-digit decimal exactly
    fx = fixed_from_floats(np.asarray([float(d)]))
    assert fx.decimal(0) == Decimal(repr(float(d))) == d


def test_float_with_too_many_digits_goes_to_the_engine() -> None:
    rs = _tiny()
    res = score_batch(rs, {"1": np.asarray([0.1 + 0.2, 0.5])})
    assert res.engine == "reference"
    assert [res.total(i) for i in range(2)] == [
        api.score(_one(rs, {"1": {"measure": Decimal(repr(0.1 + 0.2))}}), rs).total,
        Decimal("0.5"),
    ]


def _tiny() -> Any:
    return api.load_ruleset(
        {
            "id": "t.tiny",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "test"},
            "nodes": [{"code": "1", "maximum": 1, "rule": {"kind": "proportional", "target": 1}}],
        }
    )


def _one(rs: Any, inputs: dict[str, Any], unit: str = "u") -> Any:
    return api.load_assessment(
        {"ruleset": rs.id, "year": rs.years[0], "unit": unit, "inputs": inputs}
    )


def test_inexact_decimal_tie_matches_the_engine() -> None:
    """Exact arithmetic gives 3.765 → 3.77; the engine's 34/28-digit steps give 3.7649…9 → 3.76.
    The engine defines the score, so the fast path detects the tie and defers to it."""
    leaves = [("1", "4.81", 3, 1), ("2", "0.589", 9, 5), ("3", "0.036", 6, 5), ("4", "8.12", 9, 2)]
    rs = api.load_ruleset(
        {
            "id": "t.tie",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "test"},
            "rounding": {"places": 2, "mode": "half_up"},
            "nodes": [
                {"code": c, "maximum": m, "rule": {"kind": "proportional", "target": t}}
                for c, m, t, _ in leaves
            ],
        }
    )
    a = _one(rs, {c: {"measure": x} for c, _, _, x in leaves})
    card = engine.score(rs, a, PointsRule)
    assert card.total == Decimal("3.76")  # the exact rational is 3.765 exactly
    got = score_assessments(
        rs, [a, a.model_copy(update={"unit": a.unit.model_copy(update={"id": "v"})})]
    )
    assert got.total(0) == card.total and got.index(0) == card.index
    assert list(got.reference_rows) == [0, 1]
    arrays = score_batch(rs, {c: np.asarray([float(x)] * 3) for c, _, _, x in leaves})
    assert [arrays.total(i) for i in range(3)] == [Decimal("3.76")] * 3


def test_half_cent_totals_round_half_up() -> None:
    rs = api.load_ruleset(
        {
            "id": "t.half",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "test"},
            "maximum": 20,
            "groups": [{"label": "A", "min": "50.01"}, {"label": "B", "min": 0}],
            "nodes": [{"code": "1", "maximum": 10}, {"code": "2", "maximum": 10}],
        }
    )
    pts = {"1": np.asarray([0.005, 9.9975, 0.125, 5.0]), "2": np.asarray([0.0, 0.0, 0.0, 5.0])}
    res = score_batch(rs, pts)
    assert [str(res.total(i)) for i in range(4)] == ["0.01", "10.00", "0.13", "10.00"]
    for i in range(4):
        card = api.score(_one(rs, {c: Decimal(repr(float(v[i]))) for c, v in pts.items()}), rs)
        assert (res.total(i), res.index(i), res.group(i)) == (card.total, card.index, card.group)


def test_errors_are_the_engines() -> None:
    rs = _tiny()
    with pytest.raises(ParindexError) as fast:
        score_batch(rs, {"1": np.asarray([0.5, -1.5])}, kinds={"1": "points"})
    with pytest.raises(ParindexError) as ref:
        api.score(_one(rs, {"1": {"points": Decimal("-1.5")}}), rs)
    assert ref.value.message in fast.value.message and "row-1" in fast.value.message
    res = score_batch(rs, {"1": np.asarray([0.5, -1.5])}, kinds={"1": "points"}, errors="mask")
    assert res.valid.tolist() == [True, False] and res.ranks.tolist() == [1, 0]


def test_two_dimensional_inputs_follow_input_codes() -> None:
    rs = _synthetic()
    codes = input_codes(rs)
    assert len(codes) == 100
    synthetic = _bench()

    arrays = synthetic.make_arrays(rs, 50, seed=3)
    matrix = np.column_stack([arrays[c].astype(np.float64) for c in codes])
    a = score_batch(rs, arrays)
    b = score_batch(rs, matrix)
    assert a.totals.tolist() == b.totals.tolist()


def _synthetic() -> Any:
    synthetic = _bench()

    return synthetic.load_ruleset()


def test_synthetic_ruleset_agrees_with_engine() -> None:
    """The benchmark's 100-leaf ruleset and inputs: every total, index, group and rank."""
    synthetic = _bench()

    rs = synthetic.load_ruleset()
    n = 300
    arrays = synthetic.make_arrays(rs, n, seed=11)
    items = synthetic.make_assessments(rs, n, seed=11)
    res = score_batch(rs, arrays)
    cards = [engine.score(rs, a, PointsRule) for a in items]
    for i, c in enumerate(cards):
        assert (res.total(i), res.index(i), res.group(i)) == (c.total, c.index, c.group)
    assert res.ranks.tolist() == ranks([c.index for c in cards])  # type: ignore[misc]
    assert rank_batch(rs, items) == api.rank(cards)
    fixed = {
        c: FixedColumn(np.rint(v * 1000).astype(np.int64), 3) if v.dtype.kind == "f" else v
        for c, v in arrays.items()
    }
    assert score_batch(rs, fixed).totals.tolist() == res.totals.tolist()


def test_components_view() -> None:
    rs = api.get_ruleset("moha.province", 2020)
    rows = [
        ("a", "57.66", "9.56", "18.83", "5"),
        ("b", "58.71", "9.35", "19.45", "3"),
        ("c", "56.78", "8.57", "20.11", "3.01"),
    ]
    items = [
        api.load_assessment(
            {
                "ruleset": "moha.province",
                "year": 2020,
                "view": "components",
                "unit": u,
                "inputs": {"appraisal": a, "sipas": s, "leaders": ld, "impact": i},
            }
        )
        for u, a, s, ld, i in rows
    ]
    table = rank_batch(rs, items)
    assert table == api.rank(api.score_many(items))
    assert [e.unit.id for e in table.entries] == ["a", "b", "c"]


def test_papi_subdimension_kind_is_compiled() -> None:
    rs = api.get_ruleset("papi", 2011)
    leaves = [n for n in rs.iter_nodes() if not n.children]
    rng = np.random.default_rng(5)
    items = []
    for u in range(20):
        inputs = {}
        for leaf in leaves:
            k = int(leaf.rule.k) if leaf.rule is not None else 1  # type: ignore[attr-defined]
            lo, hi = 1 / k, 10 / k
            inputs[leaf.code] = Decimal(str(round(float(rng.uniform(lo + 0.001, hi - 0.001)), 4)))
        items.append(_one(rs, inputs, unit=f"p{u}"))
    res = score_assessments(rs, items)
    assert len(res.reference_rows) == 0
    assert rank_batch(rs, items, rs.ranking.ties) == api.rank(
        api.score_many(items), rs.ranking.ties
    )


def test_mixed_shapes_in_one_batch() -> None:
    """Not-applicable items, stages and points given to a parent, all in one batch."""
    rs = api.load_ruleset(ROOT / "tests" / "core" / "fixtures" / "small.yaml")
    base = api.load_assessment(ROOT / "tests" / "core" / "fixtures" / "assessment.yaml")
    items = [
        base.model_copy(update={"unit": base.unit.model_copy(update={"id": f"u{i}"})})
        for i in range(5)
    ]
    table = rank_batch(rs, items)
    assert table == api.rank([api.score(a, rs) for a in items])
