"""The batch path against the engine at every node, on generated rulesets and assessments.

The batch result (:class:`parindex.scoring.fast.BatchResult`) exposes totals, indices, groups and
ranks, not per-node points. So each node is compared through a unit of its own: the assessment
restricted to the inputs inside that node's subtree, with ``missing: zero``. A tree's other nodes
then score nothing, so that unit's total is the node's points, rounded once — and the batch path
must give the engine's full-card node points, rounded by an independent oracle. Every example
asserts: the full assessment is always compared (total, index, group, on every path), and every
restricted unit is either compared or refused by both the engine and the batch path.
"""

from __future__ import annotations

from fractions import Fraction

import oracle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.model.documents import Assessment, Node, Ruleset, Unit
from parindex.model.errors import ParindexError
from parindex.scoring import engine
from parindex.scoring.fast import score_assessments
from parindex.scoring.fast.scalar import score_one
from parindex.testing.strategies import assessments, rulesets
from parindex_core_rules.kinds import PointsRule

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _subtree(node: Node) -> set[str]:
    codes = {node.code}
    for child in node.children:
        codes |= _subtree(child)
    return codes


def _nodes(ruleset: Ruleset, view: str) -> dict[str, Node]:
    return {n.code: n for n in ruleset.iter_nodes(view)}


@SETTINGS
@given(st.data())
def test_every_node_agrees_between_engine_and_batch(data: st.DataObject) -> None:
    ruleset = data.draw(rulesets(views=False), label="ruleset")
    a = data.draw(assessments(ruleset), label="assessment")
    card = engine.score(ruleset, a, PointsRule)  # generated assessments are valid
    one = score_one(ruleset, a)
    full = score_assessments(ruleset, [a])
    assert (one.total, one.index, one.group) == (card.total, card.index, card.group)
    assert (full.total(0), full.index(0), full.group(0)) == (card.total, card.index, card.group)

    nodes = _nodes(ruleset, card.view)
    compared = [n for n in card.nodes if n.points is not None]
    restricted: list[Assessment] = []
    for n in compared:
        inside = _subtree(nodes[n.code])
        restricted.append(
            a.model_copy(
                update={
                    "unit": Unit(id=f"node-{n.code}"),
                    "missing": "zero",
                    "inputs": {c: v for c, v in a.inputs.items() if c in inside},
                }
            )
        )
    batch = score_assessments(ruleset, restricted, errors="mask")
    places, mode = ruleset.rounding.places, ruleset.rounding.mode
    if not any(node.minimum for node in nodes.values()):  # nothing can refuse a restricted unit
        assert bool(batch.valid.all()), "a restricted unit was refused without any minimum"
    for i, n in enumerate(compared):
        try:
            alone = engine.score(ruleset, restricted[i], PointsRule)
        except ParindexError:  # e.g. an ancestor's minimum, unmet once its other children are 0
            assert not batch.valid[i], f"{n.code}: the batch path accepts what the engine refuses"
            continue
        assert batch.valid[i], f"{n.code}: the batch path refuses what the engine scores"
        assert n.points is not None
        expected = oracle.round_fraction(Fraction(n.points), places, mode)
        assert Fraction(alone.total) == expected, (n.code, alone.total, n.points)
        assert Fraction(batch.total(i)) == expected, (n.code, batch.total(i), n.points)
