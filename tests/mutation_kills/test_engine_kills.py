"""Tests written to kill the mutants that survived tools/mutate.py on the engine
(scoring/engine.py, walk.py, construct.py, receipt.py, failures.py; docs/testing.md, "Mutation
score"), and to reach the engine's defensive branches: a ruleset built without the structural
checks (``check=False``) must still give a located error, never a raw exception.

Every expected value is worked out by hand.
"""

from __future__ import annotations

import json
from collections.abc import Sized
from decimal import Decimal
from typing import Any, ClassVar, Literal

import pytest

import parindex
from parindex import api
from parindex.io.loading import ruleset_from_data
from parindex.io.plugins import hookimpl
from parindex.model.errors import AssessmentError, ParindexError, PluginError
from parindex.model.rules import InputKind, Outcome, Rule

RULESET: dict[str, Any] = {
    "id": "x.engine", "version": "1", "years": [2024], "unit_kind": "province",
    "source": {"document": "d"},
}  # fmt: skip


def _unchecked(nodes: list[dict[str, Any]], **extra: Any) -> Any:
    kinds = api.default_registry().rule_kinds
    return ruleset_from_data({**RULESET, **extra, "nodes": nodes}, kinds, check=False)


def _score(ruleset: Any, inputs: dict[str, Any], **extra: Any) -> Any:
    data = {"ruleset": "x.engine", "year": 2024, "unit": "u", "inputs": inputs, **extra}
    return api.score(api.load_assessment(data), ruleset)


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "deduction", "per_violation": 1},
        {"kind": "survey_scale", "levels": 5},
        {"kind": "percent_points"},
        {"kind": "proportional", "target": 10},
    ],
)
def test_a_rule_that_scales_to_a_missing_maximum_is_a_located_error(rule: dict[str, Any]) -> None:
    # validation refuses such a node; the engine must still name it when asked to score one
    ruleset = _unchecked([{"code": "1", "title": "a", "rule": rule}])
    value = {"count": 1} if rule["kind"] == "deduction" else {"measure": Decimal(3)}
    with pytest.raises(AssessmentError) as err:
        _score(ruleset, {"1": value})
    assert err.value.code == "1"
    assert f"the {rule['kind']!r} rule needs a maximum" in str(err.value)


def test_the_per_ruleset_caches_stay_bounded() -> None:
    # rulesets made on the fly (parameters, studies) must not pile up in the engine's caches of
    # per-ruleset tables: none ever holds more than 64 rulesets, however many are scored
    from parindex.scoring import engine, walk

    caches: dict[str, Sized] = {
        "views": engine._VIEWS, "code index": engine._CODE_INDEX, "layouts": walk._LAYOUTS
    }  # fmt: skip
    node = {"code": "1", "title": "a", "maximum": 2}
    for i in range(70):
        ruleset = api.load_ruleset({**RULESET, "version": f"v{i}", "nodes": [node]})
        card = _score(ruleset, {"1": {"points": 1}})
        assert card.total == Decimal(1)
        for name, cache in caches.items():
            assert 1 <= len(cache) <= 64, name


def _two_views() -> Any:
    return api.load_ruleset({
        **RULESET, "maximum": 10,
        "nodes": [{"code": "1", "title": "field", "maximum": 10}],
        "views": {"components": {"title": "parts",
                                 "nodes": [{"code": "c1", "title": "part", "maximum": 10}]}},
    })  # fmt: skip


def test_inputs_of_two_views_in_one_assessment_are_refused() -> None:
    ruleset = _two_views()
    with pytest.raises(ParindexError) as err:
        _score(ruleset, {"1": {"points": 4}, "c1": {"points": 6}})
    assert "inputs mix codes of several breakdowns (components, main)" in str(err.value)
    # one view at a time is scored, and the view is the one its codes belong to
    assert _score(ruleset, {"c1": {"points": 6}}).view == "components"
    assert _score(ruleset, {"1": {"points": 4}}).view == "main"


class _Broken(Rule):
    """A third-party kind with a bug: it reads past the end of a list on any measure."""

    kind: Literal["broken"] = "broken"
    input_kind: ClassVar[InputKind] = "measure"

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        levels: list[Decimal] = []
        return Outcome(levels[0], "never")


class _BrokenPlugin:
    @hookimpl
    def parindex_rule_kinds(self) -> list[type[Rule]]:
        return [_Broken]


def test_a_rule_kind_whose_own_code_fails_is_named_with_its_module_and_node() -> None:
    registry = parindex.Registry(plugins=[_BrokenPlugin()])
    ruleset = api.load_ruleset(
        {**RULESET, "nodes": [{"code": "1", "title": "a", "maximum": 2,
                               "rule": {"kind": "broken"}}]},
        registry=registry,
    )  # fmt: skip
    with pytest.raises(PluginError) as err:
        api.score({"ruleset": "x.engine", "year": 2024, "unit": "u",
                   "inputs": {"1": {"measure": 1}}}, ruleset, registry=registry)  # fmt: skip
    assert err.value.code == "1"
    # not from an entry point: the module is named, not a plugin to disable
    failed = "failed: IndexError: list index out of range"
    assert f"the 'broken' rule of module {__name__} {failed}" in str(err.value)
    assert err.value.hint == "this is a bug in the rule kind's code; report it to its authors"
    # the rule's own traceback goes with the error, for --debug
    assert any("levels[0]" in note for note in err.value.__notes__)


def test_the_applicable_maximum_is_unknown_when_an_excluded_item_has_none() -> None:
    # stated 10, item 2 (no published maximum) excluded: how much to take off 10 is unknown
    ruleset = api.load_ruleset({
        **RULESET, "maximum": 10, "not_applicable": "exclude",
        "nodes": [{"code": "1", "title": "a", "maximum": 6}, {"code": "2", "title": "b"}],
    })  # fmt: skip
    card = _score(ruleset, {"1": {"points": 3}, "2": {"not_applicable": True}})
    assert (card.total, card.maximum, card.index) == (Decimal("3.00"), None, None)
    assert "the total maximum is not known, so no index or group can be computed" in card.notes
    # the same item scored instead: the stated maximum holds, 3 + 1 of 10
    card = _score(ruleset, {"1": {"points": 3}, "2": {"points": 1}})
    assert (card.maximum, card.index) == (Decimal(10), Decimal("40.00"))


def test_without_a_stated_total_the_maximum_is_the_sum_of_the_top_maxima() -> None:
    known = api.load_ruleset({
        **RULESET,
        "nodes": [{"code": "1", "title": "a", "maximum": 6}, {"code": "2", "title": "b",
                                                              "maximum": 2}],
    })  # fmt: skip
    card = _score(known, {"1": {"points": 3}, "2": {"points": 1}})
    assert (card.maximum, card.index) == (Decimal(8), Decimal("50.00"))  # 4 ÷ 8
    unknown = api.load_ruleset({
        **RULESET,
        "nodes": [{"code": "1", "title": "a", "maximum": 6}, {"code": "2", "title": "b"}],
    })  # fmt: skip
    card = _score(unknown, {"1": {"points": 3}, "2": {"points": 1}})
    assert (card.maximum, card.index, card.group) == (None, None, None)


def test_a_note_names_each_scored_node_without_a_published_maximum() -> None:
    ruleset = api.load_ruleset({
        **RULESET, "not_applicable": "exclude",
        "nodes": [{"code": "1", "title": "a", "maximum": 6}, {"code": "2", "title": "b"},
                  {"code": "3", "title": "c"}],
    })  # fmt: skip
    card = _score(ruleset, {"1": {"points": 3}, "2": {"points": 1}, "3": {"not_applicable": True}})
    unbounded = [n for n in card.notes if "maximum not published" in n]
    # 1 has a maximum; 3 is excluded, so it needs none: only 2 is named
    assert unbounded == [
        "2: maximum not published, so its points are not bounded by one and it has no %"
    ]


@pytest.mark.parametrize(
    ("status", "node_status", "codes"),
    [
        ("confirmed", "confirmed", ()),  # nothing unverified: the flag is off, no codes
        ("unverified", "unverified", ("1",)),  # the node itself is named
        ("unverified", "confirmed", ("(ruleset)",)),  # no node is: the ruleset as a whole
    ],
)
def test_an_unverified_ruleset_flags_its_cards(
    status: str, node_status: str, codes: tuple[str, ...]
) -> None:
    ruleset = api.load_ruleset({
        **RULESET, "status": status,
        "nodes": [{"code": "1", "title": "a", "maximum": 6, "status": node_status}],
    })  # fmt: skip
    card = _score(ruleset, {"1": {"points": 3}})
    assert card.unverified is bool(codes)
    assert card.unverified_codes == codes


def test_every_item_excluded_gives_no_index_and_a_maximum_of_one_gives_one() -> None:
    ruleset = api.load_ruleset({
        **RULESET, "not_applicable": "exclude",
        "nodes": [{"code": "1", "title": "a", "maximum": "0.5"},
                  {"code": "2", "title": "b", "maximum": "0.5"}],
    })  # fmt: skip
    card = _score(ruleset, {"1": {"not_applicable": True}, "2": {"not_applicable": True}})
    assert (card.total, card.maximum, card.index) == (Decimal("0.00"), Decimal(0), None)
    assert "every item was excluded as not applicable: no index" in card.notes
    # a maximum of exactly 1 is an ordinary one: 0.25 + 0.5 of 1 is an index of 75
    card = _score(ruleset, {"1": {"points": "0.25"}, "2": {"points": "0.5"}})
    assert (card.maximum, card.index) == (Decimal(1), Decimal("75.00"))


def test_a_leaf_that_requires_evidence_is_flagged_only_without_it() -> None:
    ruleset = api.load_ruleset({
        **RULESET,
        "nodes": [{"code": "1", "title": "a", "maximum": 2, "evidence": "required"},
                  {"code": "2", "title": "b", "maximum": 2}],
    })  # fmt: skip
    note = "1: evidence required, but no document was given"
    card = _score(ruleset, {"1": {"points": 1}, "2": {"points": 1}})
    assert note in card.notes
    assert card.total == Decimal("2.00")  # flagged, not refused
    document = [{"number": "12/QĐ-UBND"}]
    card = _score(ruleset, {"1": {"points": 1, "evidence": document}, "2": {"points": 1}})
    assert not any("evidence" in n for n in card.notes)
    # a leaf that does not require it is never flagged
    card = _score(ruleset, {"1": {"points": 1, "evidence": document}, "2": {"points": 2}})
    assert not any("evidence" in n for n in card.notes)


def test_points_above_a_maximum_say_whether_they_were_given_and_which_maximum() -> None:
    ruleset = api.load_ruleset({
        **RULESET, "not_applicable": "exclude",
        "nodes": [
            {"code": "1", "title": "a", "maximum": 4, "children": [
                {"code": "1.1", "title": "x", "maximum": 2},
                {"code": "1.2", "title": "y", "maximum": 2},
                {"code": "1.3", "title": "z"},
            ]},
            {"code": "2", "title": "b", "maximum": 2, "rule": {"kind": "points"}},
        ],
    })  # fmt: skip
    # 1.2 excluded: 1's applicable maximum is 4 − 2 = 2, and 2 + 1 is above it
    with pytest.raises(ParindexError) as err:
        _score(ruleset, {"1.1": {"points": 2}, "1.2": {"not_applicable": True},
                         "1.3": {"points": 1}, "2": {"points": 0}})  # fmt: skip
    assert err.value.code == "1"
    assert "children's points add up to 3, above the node's applicable maximum 2" in str(err.value)
    # nothing excluded: the stated maximum, not called applicable
    with pytest.raises(ParindexError) as err:
        _score(ruleset, {"1.1": {"points": 2}, "1.2": {"points": 2},
                         "1.3": {"points": 1}, "2": {"points": 0}})  # fmt: skip
    assert "children's points add up to 5, above the node's maximum 4" in str(err.value)
    # a leaf without a rule takes its points as given; a `points` rule scores them
    with pytest.raises(ParindexError) as err:
        _score(ruleset, {"1.1": {"points": 3}})
    assert err.value.code == "1.1"
    assert str(err.value).endswith("points 3 are above the maximum 2 (given directly)")
    with pytest.raises(ParindexError) as err:
        _score(ruleset, {"2": {"points": 3}})
    assert err.value.code == "2"
    assert str(err.value).endswith("points 3 are above the maximum 2")


@pytest.mark.parametrize(
    ("rule", "hint"),
    [
        (
            {"kind": "tiers", "bands": [{"points": 1}]},
            "write {measure: ...} or give points directly",
        ),
        ({"kind": "points"}, "write {points: ...}"),
    ],
)
def test_an_input_of_the_wrong_kind_names_the_one_the_rule_takes(
    rule: dict[str, Any], hint: str
) -> None:
    ruleset = api.load_ruleset(
        {**RULESET, "nodes": [{"code": "1", "title": "a", "maximum": 2, "rule": rule}]}
    )
    with pytest.raises(ParindexError) as err:
        _score(ruleset, {"1": {"count": 1}})
    assert err.value.code == "1"
    assert err.value.hint == hint


def test_a_failing_kind_of_an_installed_plugin_names_the_plugin_to_disable() -> None:
    from parindex.scoring.failures import rule_failure
    from parindex_core_rules.kinds import ChoiceRule

    error = rule_failure(ChoiceRule(options={"yes": 1}), KeyError("no"), "3.1")
    assert error.code == "3.1"
    # the core kinds come from the entry point `core_rules` = parindex_core_rules
    assert str(error).startswith(
        "[node 3.1] the 'choice' rule of plugin core_rules (parindex_core_rules) failed:"
        " KeyError: 'no'"
    )
    assert error.hint == (
        "this is a bug in the plugin; disable it with PARINDEX_DISABLE_PLUGINS=core_rules"
        " or report it to its authors"
    )


def test_the_content_hash_follows_the_content_not_the_object() -> None:
    from parindex.scoring.receipt import content_hash

    node = {"code": "1", "title": "a", "maximum": 2}
    one = api.load_ruleset({**RULESET, "nodes": [node]})
    same = api.load_ruleset({**RULESET, "nodes": [node]})
    other = api.load_ruleset({**RULESET, "nodes": [{**node, "maximum": 3}]})
    assert content_hash(one) == content_hash(one) == content_hash(same)  # cached, then again
    assert content_hash(other) != content_hash(one)
    assert content_hash(one).startswith("sha256:") and len(content_hash(one)) == 7 + 64
    assert _score(one, {"1": {"points": 1}}).receipt.content_hash == content_hash(same)


@pytest.mark.parametrize(
    ("first", "self_total", "appraised_total", "self_points"),
    [
        # one stage given is enough for both totals; the other stage is the same value
        ({"self": {"points": 2}}, "3.00", "3.00", None),
        ({"appraised": {"points": 3}}, "4.00", "4.00", None),
        # both: the self-assessed points are kept where the council changed them
        ({"self": {"points": 2}, "appraised": {"points": 3, "reason": "r"}}, "3.00", "4.00", 2),
        # no stage at all: the stage totals are absent, not equal to the total
        ({"points": 2}, None, None, None),
    ],
)
def test_stage_totals_exist_exactly_when_an_input_has_a_stage(
    first: dict[str, Any],
    self_total: str | None,
    appraised_total: str | None,
    self_points: int | None,
) -> None:
    ruleset = api.load_ruleset({
        **RULESET,
        "nodes": [{"code": "1", "title": "a", "maximum": 6}, {"code": "2", "title": "b",
                                                              "maximum": 4}],
    })  # fmt: skip
    card = _score(ruleset, {"1": first, "2": {"points": 1}})
    assert card.self_total == (None if self_total is None else Decimal(self_total))
    assert card.appraised_total == (None if appraised_total is None else Decimal(appraised_total))
    points = {n.code: n.self_points for n in card.nodes}
    assert points == {"1": None if self_points is None else Decimal(self_points), "2": None}
    shown = json.loads(card.to_json())  # null in the JSON when absent
    for key, expected in (("self_total", self_total), ("appraised_total", appraised_total)):
        assert (None if shown[key] is None else Decimal(shown[key])) == (
            None if expected is None else Decimal(expected)
        )


@pytest.mark.parametrize(("count", "more"), [(12, ""), (13, " …")])
def test_an_unknown_code_lists_the_first_12_codes_of_the_view(count: int, more: str) -> None:
    nodes = [{"code": str(i), "title": "t", "maximum": 1} for i in range(1, count + 1)]
    ruleset = api.load_ruleset({**RULESET, "nodes": nodes})
    with pytest.raises(ParindexError) as err:
        _score(ruleset, {"99": {"points": 1}, "98": {"points": 1}, "1": {"points": 1}})
    assert err.value.code == "99"
    assert "unknown node code '99' for x.engine 1 (and 1 more)" in str(err.value)
    assert err.value.hint == "codes in this view: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12" + more
    with pytest.raises(ParindexError) as err:
        _score(ruleset, {"99": {"points": 1}})
    assert "unknown node code '99' for x.engine 1" in str(err.value)
    assert "more)" not in str(err.value)


@pytest.mark.parametrize(
    ("groups", "note", "group"),
    [
        (None, "this ruleset publishes no group bands", None),
        # 40 falls in a range the source names no group for, with or without a note of its own
        ([{"label": "A", "min": 50}, {"label": "D", "min": 0, "published": False}],
         "index 40.00: the source publishes no group here", None),
        ([{"label": "A", "min": 50}, {"label": "D", "min": 0, "published": False,
                                      "note": "not ranked"}],
         "index 40.00: not ranked", None),
        ([{"label": "A", "min": 50}, {"label": "B", "min": 0}], None, "B"),
    ],
)  # fmt: skip
def test_the_card_says_why_it_has_no_group(
    groups: list[dict[str, Any]] | None, note: str | None, group: str | None
) -> None:
    extra = {} if groups is None else {"groups": groups}
    ruleset = api.load_ruleset(
        {**RULESET, **extra, "nodes": [{"code": "1", "title": "a", "maximum": 10}]}
    )
    card = _score(ruleset, {"1": {"points": 4}})
    assert (card.index, card.group) == (Decimal("40.00"), group)
    assert card.notes == (() if note is None else (note,))  # the only note


def test_a_code_of_another_view_is_named_with_its_view() -> None:
    with pytest.raises(ParindexError) as err:
        _score(_two_views(), {"c1": {"points": 1}}, view="main")
    assert err.value.code == "c1"
    assert err.value.hint == "c1 belongs to view 'components'"


def test_inputs_on_a_node_and_below_it_name_the_first_descendant_given() -> None:
    ruleset = api.load_ruleset({
        **RULESET,
        "nodes": [{"code": "1", "title": "a", "maximum": 4, "children": [
            {"code": "1.1", "title": "b", "maximum": 2},
            {"code": "1.2", "title": "c", "maximum": 2},
        ]}],
    })  # fmt: skip
    with pytest.raises(ParindexError) as err:
        _score(ruleset, {"1": {"points": 3}, "1.2": {"points": 1}, "1.1": {"points": 1}})
    assert err.value.code == "1.1"  # in tree order, not in the order given
    assert "inputs are given both for 1 and for its descendant 1.1; give one level only" in str(
        err.value
    )


@pytest.mark.parametrize(("leaves", "shown"), [(10, ""), (11, " …")])
def test_missing_inputs_are_listed_up_to_ten(leaves: int, shown: str) -> None:
    nodes = [{"code": str(i), "title": "t", "maximum": 1} for i in range(1, leaves + 2)]
    ruleset = api.load_ruleset({**RULESET, "nodes": nodes})
    given = {str(leaves + 1): {"points": 1}}  # the last leaf only
    first_ten = ", ".join(str(i) for i in range(1, 11))
    with pytest.raises(ParindexError) as err:
        _score(ruleset, given)
    assert err.value.code == "1"
    assert f"{leaves} leaf node(s) have no input: {first_ten}{shown}" in str(err.value)
    card = _score(ruleset, given, missing="zero")
    assert f"{leaves} leaf node(s) had no input and were scored 0: {first_ten}" in card.notes


def test_each_entry_knows_its_depth_and_parent() -> None:
    ruleset = api.load_ruleset({
        **RULESET,
        "nodes": [{"code": "1", "title": "a", "maximum": 4, "children": [
            {"code": "1.1", "title": "b", "maximum": 4, "children": [
                {"code": "1.1.1", "title": "c", "maximum": 4}]}]},
            {"code": "2", "title": "d", "maximum": 1}],
    })  # fmt: skip
    card = _score(ruleset, {"1.1.1": {"points": 3}, "2": {"points": 1}})
    assert [(n.code, n.depth, n.parent) for n in card.nodes] == [
        ("1", 0, None), ("1.1", 1, "1"), ("1.1.1", 2, "1.1"), ("2", 0, None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("appraised", "reason"),
    [
        ({"points": 3, "reason": "minutes missing"}, "minutes missing"),  # changed: the reason
        ({"points": 2}, None),  # accepted as self-assessed: nothing to explain
    ],
)
def test_the_councils_reason_is_kept_only_where_it_changed_the_points(
    appraised: dict[str, Any], reason: str | None
) -> None:
    ruleset = api.load_ruleset({**RULESET, "nodes": [{"code": "1", "title": "a", "maximum": 4}]})
    card = _score(ruleset, {"1": {"self": {"points": 2}, "appraised": appraised}})
    assert card.nodes[0].trace.reason == reason
    assert card.changes == (0 if reason is None else 1)


def _made(m: Any) -> tuple[dict[str, Any], set[str]]:
    return dict(m.__dict__), set(m.model_fields_set)


def test_the_entry_shortcut_makes_what_model_construct_makes() -> None:
    # the engine's shortcut past pydantic's model_construct (scoring/construct.py) must give the
    # very same instance: the same fields, in the same order, and the same fields set, and it
    # must step aside for a call it does not cover (a required field missing, an unknown name)
    from parindex.model.documents import NodeScore, Trace
    from parindex.scoring.construct import _node_score, _trace

    calls: list[tuple[Any, Any, dict[str, Any]]] = [
        (_trace, Trace, {"how": "given", "detail": "points given directly"}),
        (_trace, Trace, {"how": "given", "bogus": 1}),  # an unknown name
        (_node_score, NodeScore, {"code": "1"}),  # required fields missing
    ]
    for make, cls, values in calls:
        got, expected = make(**values), cls.model_construct(**values)
        assert _made(got) == _made(expected), values
        assert list(got.__dict__) == list(expected.__dict__)  # declaration order
    prefilled = _trace.prefilled({"how": "rule", "source": "d"}, ("detail",))
    for values in ({"detail": "x"}, {"detail": "x", "reason": "r"}, {}):
        expected = Trace.model_construct(how="rule", source="d", **values)  # type: ignore[arg-type]
        assert _made(prefilled(**values)) == _made(expected), values
    partial = _node_score.prefilled({"code": "1"}, ())  # required fields missing
    assert _made(partial()) == _made(NodeScore.model_construct(code="1"))  # type: ignore[call-arg]
    unknown = _trace.prefilled({"how": "rule", "bogus": 1}, ())  # a name Trace does not have
    assert _made(unknown()) == _made(Trace.model_construct(how="rule", bogus=1))  # type: ignore[call-arg]


def test_the_entry_shortcut_steps_aside_for_a_model_with_a_post_init_hook() -> None:
    from pydantic import BaseModel

    from parindex.scoring.construct import _Construct

    class Hooked(BaseModel):
        x: int
        seen: bool = False

        def model_post_init(self, context: Any) -> None:
            self.seen = True  # model_construct runs the hook; a bare shortcut would not

    assert Hooked.model_construct(x=1).seen
    assert _Construct(Hooked)(x=1).seen


def test_the_entry_shortcut_steps_aside_for_a_model_that_allows_extra_fields() -> None:
    from pydantic import BaseModel, ConfigDict

    from parindex.scoring.construct import _Construct

    class Open(BaseModel):
        model_config = ConfigDict(extra="allow")
        a: int

    got, expected = _Construct(Open)(a=1), Open.model_construct(a=1)
    assert got.__pydantic_extra__ == expected.__pydantic_extra__ == {}
    assert _made(got) == _made(expected)


def test_the_entry_shortcut_never_shares_a_mutable_default() -> None:
    from pydantic import BaseModel

    from parindex.scoring.construct import _Construct

    class Tagged(BaseModel):
        tags: list[str] = []  # pydantic copies this default for each instance

    make = _Construct(Tagged)
    first, second = make(), make()
    first.tags.append("x")
    assert second.tags == [] and Tagged.model_fields["tags"].default == []
