"""Property: the compiled batch path agrees with the reference Decimal engine, unit by unit.

For generated rulesets (every standard rule kind, every rounding mode and number of places, tier
bands with either inclusivity, group bands, not-applicable policies, missing leaves, points given
directly to internal nodes, self/appraised stages) and generated assessments (some invalid on
purpose), every total, index and group equals the engine's after rounding, every unit the engine
rejects is rejected, and the ranked table equals ``api.rank(api.score_many(...))``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import fast_strategies as gen
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex import api, engine
from parindex.errors import ParindexError
from parindex.fast import rank_batch, score_assessments, score_batch
from parindex.fast.scalar import score_one
from parindex.models import Assessment, ScoreCard
from parindex_core_rules.kinds import PointsRule

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _reference(ruleset: Any, items: list[Assessment]) -> list[ScoreCard | ParindexError]:
    out: list[ScoreCard | ParindexError] = []
    for a in items:
        try:
            out.append(engine.score(ruleset, a, PointsRule))
        except ParindexError as err:
            out.append(err)
    return out


@SETTINGS
@given(st.data())
def test_batch_agrees_with_engine(data: st.DataObject) -> None:
    spec = data.draw(gen.rulesets(), label="ruleset")
    ruleset = api.load_ruleset(spec)
    n = data.draw(st.integers(1, 12), label="units")
    raw = data.draw(gen.assessments(spec, n), label="assessments")
    items = [api.load_assessment(a) for a in raw]
    ref = _reference(ruleset, items)

    for a, r in zip(items, ref, strict=True):  # one at a time, in Python integers
        if isinstance(r, ParindexError):
            try:
                score_one(ruleset, a)
            except ParindexError as err:
                assert str(err) == str(r)
            else:  # pragma: no cover - a failure
                raise AssertionError(f"score_one accepted what the engine rejects: {r}")
        else:
            one = score_one(ruleset, a)
            assert (one.total, one.index, one.group) == (r.total, r.index, r.group)

    got = score_assessments(ruleset, items, errors="mask")
    for i, r in enumerate(ref):
        if isinstance(r, ParindexError):
            assert not got.valid[i], f"unit {i}: the engine rejects it ({r}); the fast path not"
            continue
        assert got.valid[i], f"unit {i}: the fast path rejects what the engine scores"
        assert got.total(i) == r.total, (i, got.total(i), r.total)
        assert got.index(i) == r.index, (i, got.index(i), r.index)
        assert got.group(i) == r.group, (i, got.group(i), r.group)

    if all(not isinstance(r, ParindexError) for r in ref):
        expected = api.rank([r for r in ref if isinstance(r, ScoreCard)], ruleset.ranking.ties)
        assert rank_batch(ruleset, items, ruleset.ranking.ties) == expected
    else:
        first = next(r for r in ref if isinstance(r, ParindexError))
        try:
            rank_batch(ruleset, items)
        except ParindexError as err:
            assert str(err) == str(first)
        else:  # pragma: no cover - a failure
            raise AssertionError("rank_batch accepted an invalid assessment")


@SETTINGS
@given(st.data())
def test_arrays_agree_with_engine(data: st.DataObject) -> None:
    """The array entry point: Decimal, float and integer columns give the engine's results."""
    spec = data.draw(gen.rulesets(), label="ruleset")
    ruleset = api.load_ruleset(spec)
    n = data.draw(st.integers(1, 80), label="units")
    raw = data.draw(gen.assessments(spec, n), label="assessments")
    # keep one signature: plain values on every leaf, as an array batch has
    leafs = {leaf["code"]: leaf for leaf in gen.leaves(spec["nodes"])}
    rows = [
        a
        for a in raw
        if set(a["inputs"]) == set(leafs)
        and all(
            isinstance(v, dict) and len(v) == 1 and "self" not in v for v in a["inputs"].values()
        )
    ]
    if not rows:
        return
    kinds = {c: next(iter(rows[0]["inputs"][c])) for c in leafs}
    rows = [a for a in rows if all(next(iter(a["inputs"][c])) == kinds[c] for c in leafs)]
    items = [api.load_assessment(a) for a in rows]
    ref = _reference(ruleset, items)
    as_float = data.draw(st.booleans(), label="floats")
    columns: dict[str, Any] = {}
    for code, kind in kinds.items():
        vals = [a["inputs"][code][kind] for a in rows]
        if kind == "choice":
            columns[code] = np.asarray(vals)
        elif kind == "count":
            columns[code] = np.asarray(vals, dtype=np.int64)
        elif as_float:
            columns[code] = np.asarray([float(v) for v in vals])
        else:
            columns[code] = np.asarray([Decimal(v) for v in vals], dtype=object)
    res = score_batch(ruleset, columns, kinds=kinds, errors="mask")
    for i, r in enumerate(ref):
        if isinstance(r, ParindexError):
            assert not res.valid[i], (i, str(r))
            continue
        assert res.valid[i], i
        assert (res.total(i), res.index(i), res.group(i)) == (r.total, r.index, r.group), i
    ok = [i for i, r in enumerate(ref) if not isinstance(r, ParindexError)]
    if ok and len(ok) == len(ref):
        from parindex.ranking import ranks

        keys = [
            r.index if r.index is not None else r.total for r in ref if isinstance(r, ScoreCard)
        ]
        assert list(res.ranks) == ranks(keys, ruleset.ranking.ties)
