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
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from parindex import api
from parindex.model.decimals import round_to
from parindex.model.documents import Assessment, ScoreCard
from parindex.model.errors import ParindexError
from parindex.scoring import engine
from parindex.scoring.fast import rank_batch, score_assessments, score_batch
from parindex.scoring.fast.scalar import score_one
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

    _each_node_agrees(spec, raw, ref)

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


def _each_node_agrees(
    spec: dict[str, Any], raw: list[dict[str, Any]], ref: list[ScoreCard | ParindexError]
) -> None:
    """Every node's points as the fast path gives them: the node's subtree, scored as a ruleset
    of its own from the unit's inputs inside it, totals the engine's points for the node,
    rounded as the ruleset rounds."""
    cards = {i: r for i, r in enumerate(ref) if isinstance(r, ScoreCard)}
    places, mode = spec["rounding"]["places"], spec["rounding"]["mode"]
    alone = {k: v for k, v in spec.items() if k not in ("maximum", "groups")}
    for node in _subtrees(spec["nodes"]):
        code = node["code"]
        scored = [i for i, card in cards.items() if any(n.code == code for n in card.nodes)]
        if not scored:
            continue  # a parent was given points directly: its children are not scored
        sub = api.load_ruleset({**alone, "nodes": [node]})
        inside = [
            {
                **raw[i],
                "inputs": {
                    c: v
                    for c, v in raw[i]["inputs"].items()
                    if c == code or c.startswith(code + ".")
                },
            }
            for i in scored
        ]
        got = score_assessments(sub, [api.load_assessment(a) for a in inside], errors="mask")
        for j, i in enumerate(scored):
            points = cards[i].node(code).points
            assert points is not None and got.valid[j], (code, i)
            assert got.total(j) == round_to(points, places, mode), (code, i, points)


def _as_floats(raw: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    """The assessment with every measure and points value replaced by the decimal its float prints
    as: ``float(Decimal(100) / 3 * 3)`` is 100.0, and a float column holds 100, not 99.99…"""
    inputs = {
        code: {kind: Decimal(repr(float(v)))} if kind not in ("choice", "count") else {kind: v}
        for code, value in raw["inputs"].items()
        for kind, v in value.items()
    }
    assert set(inputs) == set(kinds)
    return {**raw, "inputs": inputs}


def test_a_float_column_means_the_decimal_each_float_prints_as() -> None:
    # Found at random: 99.99999999999999999999999999 (Decimal 100 / 3 * 3) as a float is 100.0,
    # so the batch path scores 100 % (index 56.25 -> 56.3) while the engine, given the 28-digit
    # Decimal, scores 56.24999… -> 56.2. Each path is right on its own input: compared on the
    # same number (the float's decimal, or the Decimal in an object column) they agree.
    ruleset = api.load_ruleset(
        {
            "id": "gen.test",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "generated"},
            "rounding": {"places": 1},
            "nodes": [
                {"code": "1", "title": "a", "maximum": 9, "rule": {"kind": "percent_points"}},
                {"code": "2", "title": "b", "maximum": 7},
            ],
        }
    )
    near = Decimal(100) / 3 * 3
    assert str(near) == "99.99999999999999999999999999" and float(near) == 100.0
    kinds: dict[str, Any] = {"1": "measure", "2": "points"}

    def engine_index(measure: Decimal) -> Decimal | None:
        card = engine.score(
            ruleset,
            api.load_assessment(
                {
                    "ruleset": "gen.test",
                    "year": 2024,
                    "unit": "u",
                    "inputs": {"1": {"measure": measure}, "2": {"points": 0}},
                }
            ),
            PointsRule,
        )
        return card.index

    floats = score_batch(
        ruleset, {"1": np.asarray([float(near)]), "2": np.asarray([0.0])}, kinds=kinds
    )
    assert floats.index(0) == engine_index(Decimal(repr(float(near)))) == Decimal("56.3")
    exact = score_batch(
        ruleset,
        {"1": np.asarray([near], dtype=object), "2": np.asarray([Decimal(0)], dtype=object)},
        kinds=kinds,
    )
    assert exact.index(0) == engine_index(near) == Decimal("56.2")


def _plain_value(draw: Any, leaf: dict[str, Any], want: str) -> dict[str, Any]:
    """One input of kind ``want`` for ``leaf``, drawn as :func:`gen.assessments` draws it."""
    rule = leaf.get("rule") or {"kind": "points"}
    maximum = leaf.get("maximum")
    if want == "points" and rule["kind"] != "points":
        return {"points": gen.dec(draw, 3, 0, 300)}
    if want == "points":
        if maximum is not None and draw(st.integers(0, 5)) > 0:
            return {"points": (maximum * draw(st.integers(0, 8)) / 8).normalize()}
        return {"points": gen.dec(draw, 3, -2, 50)}
    if want == "choice":
        keys = list(rule["options"])
        wrong = draw(st.integers(0, 9)) == 0  # an unknown option: the unit is invalid
        return {"choice": draw(st.sampled_from([*keys, "nope"] if wrong else keys))}
    if want == "count":
        return {"count": draw(st.integers(0, 12))}
    return {"measure": gen._measure(draw, rule)}


@st.composite
def _plain_batch(draw: Any, spec: dict[str, Any], n: int) -> tuple[dict[str, Any], list[Any]]:
    """``n`` assessments of one array signature: every leaf takes one plain value of the same
    input kind in every unit (its rule's input, or points given directly), as an array batch has.
    Drawn so rather than filtered from :func:`gen.assessments`, so that no example is empty."""
    leafs = gen.leaves(spec["nodes"])
    kinds: dict[str, Any] = {}
    for leaf in leafs:
        kind = (leaf.get("rule") or {"kind": "points"})["kind"]
        natural = {"points": "points", "choice": "choice", "count": "count", "deduction": "count"}
        kinds[leaf["code"]] = natural.get(kind, "measure")
        if kind != "points" and draw(st.integers(0, 12)) == 0:
            kinds[leaf["code"]] = "points"  # points given directly, bypassing the rule
    rows = []
    for i in range(n):
        inputs: dict[str, Any] = {}
        for leaf in leafs:
            inputs[leaf["code"]] = _plain_value(draw, leaf, kinds[leaf["code"]])
        rows.append({"ruleset": spec["id"], "year": 2024, "unit": f"u{i}", "inputs": inputs})
    return kinds, rows


def _subtrees(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for n in nodes for s in [n, *_subtrees(n.get("children", []))]]


@SETTINGS
@given(st.data())
def test_arrays_agree_with_engine(data: st.DataObject) -> None:
    """The array entry point: Decimal, float and integer columns give the engine's results, for
    the total, index and group and for every node's points (each node's subtree is scored as a
    ruleset of its own, whose total is the node's points rounded as the ruleset rounds)."""
    spec = data.draw(gen.rulesets(), label="ruleset")
    ruleset = api.load_ruleset(spec)
    n = data.draw(st.integers(1, 80), label="units")
    kinds, rows = data.draw(_plain_batch(spec, n), label="assessments")
    as_float = data.draw(st.booleans(), label="floats")
    if as_float:  # the engine must see the number each float stands for, as the batch path reads it
        rows = [_as_floats(a, kinds) for a in rows]
    items = [api.load_assessment(a) for a in rows]
    ref = _reference(ruleset, items)
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
    assert len(res) == len(ref) == n
    for i, r in enumerate(ref):
        if isinstance(r, ParindexError):
            assert not res.valid[i], (i, str(r))
            continue
        assert res.valid[i], i
        assert (res.total(i), res.index(i), res.group(i)) == (r.total, r.index, r.group), i

    cards = {i: r for i, r in enumerate(ref) if isinstance(r, ScoreCard)}
    event("some unit is valid" if cards else "every unit is invalid")
    places, mode = ruleset.rounding.places, ruleset.rounding.mode
    for node in _subtrees(spec["nodes"]):
        alone = {k: v for k, v in spec.items() if k not in ("maximum", "groups")}
        sub = api.load_ruleset({**alone, "nodes": [node]})
        codes = {leaf["code"] for leaf in gen.leaves([node])}
        part = score_batch(
            sub,
            {c: v for c, v in columns.items() if c in codes},
            kinds={c: k for c, k in kinds.items() if c in codes},
            errors="mask",
        )
        for i, card in cards.items():
            points = next(s.points for s in card.nodes if s.code == node["code"])
            assert points is not None and part.valid[i], (node["code"], i)
            assert part.total(i) == round_to(points, places, mode), (node["code"], i)

    if len(cards) == len(ref):
        from parindex.scoring.ranking import ranks

        keys = [r.index if r.index is not None else r.total for r in cards.values()]
        assert list(res.ranks) == ranks(keys, ruleset.ranking.ties)
