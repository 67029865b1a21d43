"""A score card's entries are made when the card is first read (issue 17, "explained card").

Scoring checks every input and works out the totals at once; each node's entry (its %, its trace's
words) is made on the card's first read, whatever the read: an attribute, a dump, a copy, a
comparison, a hash, pickling, a card inside another model. A rule kind may bring a faster
``evaluate_points``; one written against ``evaluate`` alone keeps working, evaluated at once.
Every expected value is worked out by hand."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any, ClassVar, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import parindex
from parindex import api
from parindex.io.plugins import hookimpl
from parindex.model.documents import LaterEntries, ScoreCard
from parindex.model.errors import InputValueError, PluginError
from parindex.model.rules import InputKind, Outcome, Rule
from parindex_core_rules.kinds import STANDARD_KINDS, ChoiceRule, TiersRule

RULESET: dict[str, Any] = {
    "id": "later.test", "version": "1", "years": [2024], "unit_kind": "province",
    "source": {"document": "d"},
    "nodes": [
        {"code": "1", "title": "one", "children": [
            {"code": "1.1", "title": "a", "maximum": 2,
             "rule": {"kind": "choice", "options": {"yes": 2, "late": 0.5, "no": 0}}},
            {"code": "1.2", "title": "b", "maximum": 3,
             "rule": {"kind": "tiers", "bands": [
                 {"min": 90, "min_inclusive": False, "points": 3},
                 {"min": 70, "max": 90, "max_inclusive": True, "points": 1},
                 {"max": 70, "points": 0}]}},
        ]},
        {"code": "2", "title": "two", "maximum": 4, "rule": {"kind": "proportional", "target": 8}},
    ],
}  # fmt: skip

INPUTS = {"1.1": {"choice": "late"}, "1.2": {"measure": 90}, "2": {"measure": 6}}


def _pending(card: ScoreCard) -> bool:
    return type(object.__getattribute__(card, "__pydantic_private__")) is LaterEntries


def _card(inputs: dict[str, Any] = INPUTS) -> ScoreCard:
    ruleset = api.load_ruleset(RULESET)
    return api.score(
        {"ruleset": "later.test", "year": 2024, "unit": "u", "inputs": inputs}, ruleset
    )


def test_the_totals_are_there_before_the_entries() -> None:
    card = _card()
    # 0.5 (late) + 1 (90 is in the closed band 70–90) + 6 ÷ 8 × 4 = 3; 4.5 of 9 = 50 %
    assert (card.total, card.maximum, card.index) == (D("4.50"), D(9), D("50.00"))
    assert _pending(card)
    assert [n.code for n in card.nodes] == ["1", "1.1", "1.2", "2"]
    assert not _pending(card)
    n = {x.code: x for x in card.nodes}
    assert n["1.1"].trace.detail == "option late → 0.5"
    assert n["1.2"].trace.matched == "[70, 90]"
    assert n["1.2"].percent == D("33.33")  # 1 of 3
    assert n["2"].trace.detail == "min(max(6 ÷ 8, 0), 1) × 4"
    assert (n["1"].points, n["1"].trace.detail) == (D("1.5"), "1.1 + 1.2")


READS: dict[str, Callable[[ScoreCard], Any]] = {
    "json": lambda c: c.model_dump_json(indent=2),
    "dump": lambda c: c.model_dump(),
    "dict": lambda c: dict(c),
    "repr": repr,
    "hash": hash,
    "copy": lambda c: copy.copy(c).model_dump_json(),
    "deepcopy": lambda c: copy.deepcopy(c).model_dump_json(),
    "model_copy": lambda c: c.model_copy(update={"group": "Z"}).model_dump_json(),
    "pickle": lambda c: pickle.loads(pickle.dumps(c)).model_dump_json(),
    "vars": lambda c: vars(c)["nodes"],
    "node": lambda c: c.node("1.2").points,
}


@pytest.mark.parametrize("read", sorted(READS))
def test_any_first_read_sees_the_entries(read: str) -> None:
    eager = _card()
    assert len(eager.nodes) == 4  # built first
    card = _card()
    assert _pending(card)
    assert READS[read](card) == READS[read](eager)
    assert not _pending(card)
    assert card == eager and card.model_dump_json() == eager.model_dump_json()


def test_a_pending_card_equals_a_built_one_and_one_read_back_from_json() -> None:
    a, b = _card(), _card()
    assert a == b and _pending(a) is False and _pending(b) is False
    back = ScoreCard.from_json(_card().to_json())
    assert back == _card()
    assert hash(back) == hash(_card())


class _Holder(BaseModel):
    card: ScoreCard


def test_a_card_inside_another_model_is_serialised_with_its_entries() -> None:
    holder = _Holder(card=_card())
    assert _pending(holder.card)  # validating the holder does not read the card
    nodes = json.loads(holder.model_dump_json())["card"]["nodes"]
    assert [n["code"] for n in nodes] == ["1", "1.1", "1.2", "2"]
    assert nodes[3]["points"] == "3"


def test_build_is_called_once() -> None:
    calls: list[int] = []
    built = _card()

    def build() -> Any:
        calls.append(1)
        return built.nodes

    fields = {k: getattr(built, k) for k in ScoreCard.model_fields if k != "nodes"}
    card = ScoreCard.entries_later(build, **fields)
    assert calls == []
    assert card.nodes == built.nodes and card.model_dump_json() == built.model_dump_json()
    assert card == built
    assert calls == [1]


def test_a_failing_build_leaves_the_card_pending() -> None:
    built = _card()
    fields = {k: getattr(built, k) for k in ScoreCard.model_fields if k != "nodes"}
    tries: list[int] = []

    def build() -> Any:
        tries.append(1)
        if len(tries) == 1:
            raise RuntimeError("first read fails")
        return built.nodes

    card = ScoreCard.entries_later(build, **fields)
    with pytest.raises(RuntimeError):
        card.model_dump_json()
    assert _pending(card)
    assert card.model_dump_json() == built.model_dump_json()


def test_errors_are_raised_when_scoring_not_when_reading() -> None:
    with pytest.raises(InputValueError) as err:
        _card({**INPUTS, "1.1": {"choice": "maybe"}})
    assert err.value.code == "1.1"
    assert "unknown option 'maybe'; options: yes, late, no" in str(err.value)


# ---------------------------------------------------------------------- evaluate_points
EVALUATED: list[str] = []


class Halves(Rule):
    """A third-party kind written against ``evaluate`` only: half the measure."""

    kind: Literal["halves"] = "halves"
    input_kind: ClassVar[InputKind] = "measure"

    def evaluate(self, value: D | str, maximum: D | None) -> Outcome:
        EVALUATED.append("halves")
        assert not isinstance(value, str)
        return Outcome(value / 2, "half", f"{value} ÷ 2")


class QuickHalves(Halves):
    """The same, with a faster ``evaluate_points`` (the words come later)."""

    kind: Literal["quick_halves"] = "quick_halves"  # type: ignore[assignment]

    def evaluate_points(self, value: D | str, maximum: D | None) -> D:
        EVALUATED.append("points")
        assert not isinstance(value, str)
        return value / 2


class Inconsistent(Halves):
    """A buggy kind: ``evaluate_points`` accepts what ``evaluate`` refuses."""

    kind: Literal["inconsistent"] = "inconsistent"  # type: ignore[assignment]

    def evaluate(self, value: D | str, maximum: D | None) -> Outcome:
        raise ValueError("refused")

    def evaluate_points(self, value: D | str, maximum: D | None) -> D:
        return D(1)


class _Plugin:
    @hookimpl
    def parindex_rule_kinds(self) -> list[type[Rule]]:
        return [Halves, QuickHalves, Inconsistent]


def _kind_card(kind: str) -> ScoreCard:
    registry = parindex.Registry(plugins=[_Plugin()])
    data = {**RULESET, "nodes": [{"code": "1", "title": "a", "maximum": 5, "rule": {"kind": kind}}]}
    ruleset = api.load_ruleset(data, registry=registry)
    assessment = {
        "ruleset": "later.test",
        "year": 2024,
        "unit": "u",
        "inputs": {"1": {"measure": 3}},
    }
    return api.score(assessment, ruleset, registry=registry)


def test_a_kind_with_evaluate_only_is_evaluated_when_scored() -> None:
    assert not Halves.has_fast_points() and QuickHalves.has_fast_points()
    EVALUATED.clear()
    card = _kind_card("halves")
    assert EVALUATED == ["halves"]  # once, when scored
    assert card.total == D("1.50")
    assert (card.nodes[0].trace.matched, card.nodes[0].trace.detail) == ("half", "3 ÷ 2")
    assert EVALUATED == ["halves"]


def test_a_kind_with_evaluate_points_is_worded_when_read() -> None:
    EVALUATED.clear()
    card = _kind_card("quick_halves")
    assert EVALUATED == ["points"]
    assert card.total == D("1.50")
    assert (card.nodes[0].trace.matched, card.nodes[0].trace.detail) == ("half", "3 ÷ 2")
    assert EVALUATED == ["points", "halves"]
    assert card.nodes[0].trace.rule == "quick_halves"  # describe() of the base class


def test_a_kind_whose_two_forms_disagree_is_named_on_read() -> None:
    for read in ("model_dump_json", "model_dump", "nodes"):
        card = _kind_card("inconsistent")
        assert card.total == D("1.00")
        with pytest.raises(PluginError) as err:
            getattr(card, read)() if read != "nodes" else card.nodes
        assert err.value.code == "1"
        assert "the 'inconsistent' rule of module" in str(err.value)


def test_the_default_evaluate_points_is_evaluate_s_points() -> None:
    rule = Halves()
    assert rule.evaluate_points(D(5), None) == D("2.5")


def test_every_standard_kind_brings_evaluate_points() -> None:
    assert all(k.has_fast_points() for k in STANDARD_KINDS)


KIND_CASES: list[tuple[dict[str, Any], Any]] = [
    ({"kind": "points"}, st.decimals(-5, 50, places=2)),
    ({"kind": "points", "step": "0.25"}, st.decimals(-1, 10, places=2)),
    ({"kind": "choice", "options": {"yes": 2, "no": 0}}, st.sampled_from(["yes", "no", "x"])),
    (
        {
            "kind": "tiers",
            "domain": {"min": 0, "max": 100},
            "bands": [
                {"min": 0, "max": 50, "points": 1},
                {"min": 50, "max": 100, "max_inclusive": True, "points": 2},
            ],
        },
        st.sampled_from([D(-1), D(0), D(50), D(100), D(101), D("49.99")]),
    ),
    ({"kind": "tiers", "bands": [{"min": 1, "points": 1}]}, st.decimals(-3, 3, places=1)),
    ({"kind": "proportional", "target": 3}, st.decimals(-5, 10, places=3)),
    ({"kind": "count", "per_item": "0.5", "cap": 2}, st.integers(0, 9).map(D)),
    ({"kind": "count", "per_item": "0.5"}, st.integers(0, 9).map(D)),
    ({"kind": "deduction", "per_violation": "0.75"}, st.integers(0, 9).map(D)),
    ({"kind": "survey_scale", "levels": 5}, st.decimals(0, 6, places=2)),
    ({"kind": "percent_points"}, st.decimals(-5, 105, places=1)),
]


@pytest.mark.parametrize("spec, values", KIND_CASES, ids=lambda x: str(x)[:40])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_evaluate_points_gives_evaluate_s_points_and_errors(
    spec: dict[str, Any], values: Any, data: Any
) -> None:
    kinds = {k.model_fields["kind"].default: k for k in STANDARD_KINDS}
    rule = kinds[spec["kind"]].model_validate(spec)
    value = data.draw(values)
    maximum = data.draw(st.sampled_from([D(4), D("2.5"), None]))
    if isinstance(value, D) and data.draw(st.booleans()):
        value = str(value)  # a number where a choice is expected, or the reverse
    try:
        want: Any = rule.evaluate(value, maximum).points
    except (ValueError, AssertionError) as exc:
        want = (type(exc), str(exc))
    try:
        got: Any = rule.evaluate_points(value, maximum)
    except (ValueError, AssertionError) as exc:
        got = (type(exc), str(exc))
    assert got == want
    if isinstance(want, D):
        assert str(got) == str(want)  # the same digits, not merely an equal number


def test_the_fast_forms_take_their_common_path() -> None:
    # evaluate_points answers without evaluate on the inputs scoring sees most
    class Spy(ChoiceRule):
        def evaluate(self, value: D | str, maximum: D | None) -> Outcome:
            raise AssertionError("not called")

    assert Spy(options={"a": D(1)}).evaluate_points("a", None) == D(1)

    class TierSpy(TiersRule):
        def evaluate(self, value: D | str, maximum: D | None) -> Outcome:
            raise AssertionError("not called")

    tiers = TierSpy.model_validate({"bands": [{"max": 1, "points": 0}, {"min": 1, "points": 2}]})
    assert tiers.evaluate_points(D(1), None) == D(2)
