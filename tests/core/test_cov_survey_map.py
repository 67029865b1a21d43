"""Survey maps (``parindex.model.survey_map``): every refusal names its file, line, field and
node; the values a valid map keeps, its question numbering and its formula in words.

Each bad map below differs from a valid one in one place; the line expected is the one given to
that place (or its nearest ancestor) in the hand-made line map, so a refusal that names another
place fails."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest

from parindex.model.errors import SchemaError
from parindex.model.locations import LineMap
from parindex.model.survey_map import (
    NodeMap,
    QuestionGroup,
    Step,
    SurveyMap,
    describe_node,
    survey_map_from_data,
)

FILE = "maps/t.yaml"
#: one line per place a refusal can name (the numbers only need to differ)
LINES = LineMap(
    FILE,
    {
        ("kind",): 1,
        ("years",): 4,
        ("scale",): 5,
        ("rounding",): 6,
        ("rounding", "points_from"): 7,
        ("status",): 8,
        ("other_questions",): 9,
        ("source",): 10,
        ("extra",): 11,
        ("nodes",): 12,
        ("nodes", 0): 13,
        ("nodes", 0, "formula"): 14,
        ("nodes", 0, "output"): 15,
        ("nodes", 0, "satisfied"): 16,
        ("nodes", 0, "groups"): 17,
        ("nodes", 0, "groups", 0): 18,
        ("nodes", 0, "groups", 0, "questions"): 19,
        ("nodes", 0, "groups", 0, "weights"): 20,
        ("nodes", 0, "groups", 0, "weight"): 21,
        ("nodes", 0, "steps"): 22,
        ("nodes", 0, "steps", "question"): 23,
        ("nodes", 0, "steps", "points"): 24,
        ("nodes", 0, "questions"): 25,
        ("nodes", 0, "weights"): 26,
        ("nodes", 0, "extra"): 27,
        ("nodes", 1): 30,
    },
)


def _valid() -> dict[str, Any]:
    return {
        "kind": "survey-map",
        "id": "t",
        "ruleset": "r",
        "years": [2023],
        "scale": {"levels": 5, "lowest": 1},
        "nodes": [{"code": "N", "formula": "mean", "output": "points", "questions": ["Q1", "Q2"]}],
    }


def _grouped() -> dict[str, Any]:
    data = _valid()
    data["nodes"] = [
        {
            "code": "N",
            "formula": "mean",
            "output": "points",
            "groups": [{"code": "G", "questions": ["Q1"]}, {"code": "H", "questions": ["Q2"]}],
        }
    ]
    return data


def _refused(data: Any) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        survey_map_from_data(data, LINES)
    assert info.value.file == FILE
    return info.value


def _with(base: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """``base`` with the value at ``path`` replaced (``...`` deletes it)."""
    data = copy.deepcopy(base)
    parent: Any = data
    for key in path[:-1]:
        parent = parent[key]
    if value is ...:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


# ------------------------------------------------------------------------ the map as a whole
def test_a_map_that_is_not_a_mapping_is_refused_at_its_top() -> None:
    error = _refused(["kind", "survey-map"])
    assert error.message == "a survey map must be a mapping"
    assert (error.line, error.field, error.code) == (None, None, None)


def test_a_map_of_another_kind_names_the_kind_line() -> None:
    error = _refused(_with(_valid(), ("kind",), "ruleset"))
    assert (error.line, error.field) == (1, "kind")


@pytest.mark.parametrize("key", ["id", "ruleset", "years", "scale", "nodes"])
def test_each_required_key_is_asked_for_by_name(key: str) -> None:
    error = _refused(_with(_valid(), (key,), ...))
    assert error.message == f"a survey map needs {key!r}"


def test_unknown_keys_are_listed_and_the_first_located() -> None:
    data = {**_valid(), "zeta": 1, "extra": 2}
    error = _refused(data)
    assert error.message == "unknown key(s) extra, zeta"
    assert (error.line, error.field) == (11, "extra")


@pytest.mark.parametrize("years", [2023, [], [2023, "2024"], [True], [2023.0]])
def test_years_must_be_a_non_empty_list_of_whole_numbers(years: Any) -> None:
    error = _refused(_with(_valid(), ("years",), years))
    assert (error.line, error.field) == (4, "years")


@pytest.mark.parametrize(
    "scale",
    [
        [5, 1],
        {"lowest": 1},  # no levels
        {"levels": "5", "lowest": 1},
        {"levels": 5, "lowest": 1.0},
        {"levels": True, "lowest": 0},
        {"levels": 5, "lowest": -1},
        {"levels": 5, "lowest": 5},  # lowest must be below levels
        {"levels": 101, "lowest": 1},
    ],
)
def test_a_scale_outside_0_lowest_levels_100_is_refused(scale: Any) -> None:
    error = _refused(_with(_valid(), ("scale",), scale))
    assert (error.line, error.field) == (5, "scale")


def test_the_widest_scale_is_accepted_and_lowest_defaults_to_1() -> None:
    widest = survey_map_from_data(_with(_valid(), ("scale",), {"levels": 100, "lowest": 0}))
    assert (widest.levels, widest.lowest) == (100, 0)
    default = survey_map_from_data(_with(_valid(), ("scale",), {"levels": 7}))
    assert (default.levels, default.lowest) == (7, 1)


@pytest.mark.parametrize(
    ("rounding", "line", "field"),
    [
        ([2, 2], 6, "rounding"),
        ({"points_from": "raw"}, 7, "rounding.points_from"),
        ({"places": 2, "digits": 2}, 6, "rounding"),
        ({"places": "2"}, 6, "rounding"),
        ({"value_places": 1.5}, 6, "rounding"),
        ({"places": 11}, 6, "rounding"),
        ({"value_places": -1}, 6, "rounding"),
        ({"mode": "ceiling"}, 6, "rounding"),
    ],
)
def test_bad_rounding_is_located(rounding: Any, line: int, field: str) -> None:
    error = _refused(_with(_valid(), ("rounding",), rounding))
    assert (error.line, error.field) == (line, field)


def test_rounding_takes_its_limits_and_defaults() -> None:
    given = {"value_places": 0, "places": 10, "mode": "down", "points_from": "exact"}
    m = survey_map_from_data(_with(_valid(), ("rounding",), given))
    assert (m.value_places, m.places, m.rounding, m.points_from) == (0, 10, "down", "exact")
    none = survey_map_from_data(_with(_valid(), ("rounding",), None))  # `rounding:` left empty
    assert (none.value_places, none.places, none.rounding, none.points_from) == (
        2,
        2,
        "half_up",
        "rounded",
    )


@pytest.mark.parametrize(
    ("key", "value", "line"),
    [("status", "likely", 8), ("other_questions", "warn", 9), ("source", ["a"], 10)],
)
def test_bad_status_other_questions_and_source_are_located(key: str, value: Any, line: int) -> None:
    error = _refused(_with(_valid(), (key,), value))
    assert (error.line, error.field) == (line, key)


@pytest.mark.parametrize("nodes", [{"code": "N"}, []])
def test_nodes_must_be_a_non_empty_list(nodes: Any) -> None:
    error = _refused(_with(_valid(), ("nodes",), nodes))
    assert (error.line, error.field) == (12, "nodes")


def test_a_node_mapped_twice_names_the_second() -> None:
    data = _valid()
    data["nodes"].append({"code": "N", "formula": "mean", "questions": ["Q9"]})
    error = _refused(data)
    assert error.message == "node N is mapped twice"
    assert (error.line, error.field, error.code) == (30, "nodes.1", "N")


def test_a_valid_map_keeps_every_value_given() -> None:
    data = {
        **_valid(),
        "title": "Khảo sát",
        "status": "derived",
        "example": True,
        "view": "components",
        "other_questions": "ignore",
        "source": {"decision": 880, "url": "https://example.org"},
        "note": 7,
    }
    m = survey_map_from_data(data, LINES)
    assert (m.id, m.title, m.status, m.example, m.ruleset) == (
        "t",
        "Khảo sát",
        "derived",
        True,
        "r",
    )
    assert (m.years, m.view, m.levels, m.lowest) == ((2023,), "components", 5, 1)
    assert (m.other_questions, m.note, m.file) == ("ignore", "7", FILE)
    assert m.source == {"decision": "880", "url": "https://example.org"}
    assert m.nodes[0].line == 13


def test_a_bare_map_takes_its_id_as_title_and_leaves_the_rest_out() -> None:
    m = survey_map_from_data(_valid())
    assert (m.title, m.status, m.example, m.view, m.note, m.file) == (
        "t",
        "unverified",
        False,
        None,
        None,
        None,
    )
    assert (m.other_questions, dict(m.source)) == ("error", {})
    assert m.nodes[0].line is None


# ------------------------------------------------------------------------------------- nodes
def _node_refused(node: Any) -> SchemaError:
    data = _valid()
    data["nodes"] = [node]
    return _refused(data)


_MEAN = {"code": "N", "formula": "mean", "questions": ["Q1"]}


@pytest.mark.parametrize("node", ["N", {"formula": "mean", "questions": ["Q1"]}])
def test_a_node_needs_a_code(node: Any) -> None:
    error = _node_refused(node)
    assert error.message == "a mapped node needs a 'code'"
    assert (error.line, error.field, error.code) == (13, "nodes.0", None)


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        ({"extra": 1}, 27, "nodes.0.extra"),
        ({"formula": "median"}, 14, "nodes.0.formula"),
        ({"formula": None}, 14, "nodes.0.formula"),
        ({"output": "score"}, 15, "nodes.0.output"),
        ({"satisfied": [4, 5]}, 16, "nodes.0.satisfied"),  # on a mean
        ({"groups": [{"code": "G", "questions": ["Q2"]}]}, 13, "nodes.0"),  # and questions
        ({"steps": ["question"]}, 22, "nodes.0.steps"),
        ({"steps": {"weights": {"status": "confirmed"}}}, 22, "nodes.0.steps"),
        ({"steps": {"question": "confirmed"}}, 23, "nodes.0.steps.question"),
        ({"steps": {"question": {"status": "sure"}}}, 23, "nodes.0.steps.question"),
        ({"steps": {"points": {"status": "confirmed"}}}, 24, "nodes.0.steps.points"),
        ({"questions": "Q1"}, 25, "nodes.0.questions"),
        ({"questions": []}, 25, "nodes.0.questions"),
        ({"questions": ["Q1", " "]}, 25, "nodes.0.questions"),
        ({"questions": ["Q1", "Q1"]}, 13, "nodes.0"),
        ({"weights": ["Q1", 2]}, 26, "nodes.0.weights"),
        ({"weights": {"Q7": 2}}, 26, "nodes.0.weights"),
    ],
)
def test_a_bad_node_names_its_code_and_the_place(
    change: dict[str, Any], line: int, field: str
) -> None:
    error = _node_refused({**_MEAN, **change})  # output: measure by default
    assert (error.line, error.field, error.code) == (line, field, "N")


@pytest.mark.parametrize(
    "satisfied",
    [None, "4,5", [], [4, "5"], [True]],
)
def test_a_share_needs_a_list_of_whole_levels(satisfied: Any) -> None:
    node = {"code": "N", "formula": "share", "questions": ["Q1"]}
    if satisfied is not None:
        node["satisfied"] = satisfied
    error = _node_refused(node)
    assert (error.line, error.field, error.code) == (16, "nodes.0.satisfied", "N")
    assert "a list of answer levels" in error.message


def test_satisfied_levels_outside_the_scale_are_listed() -> None:
    # scale 1–5: 0 and 6 lie outside it, 1 and 5 (its ends) inside
    error = _node_refused(
        {"code": "N", "formula": "share", "satisfied": [0, 1, 5, 6], "questions": ["Q1"]}
    )
    assert error.message == "satisfied levels [0, 6] are outside the scale 1–5"
    assert (error.line, error.code) == (16, "N")


def test_neither_questions_nor_groups_is_refused() -> None:
    error = _node_refused({"code": "N", "formula": "mean"})
    assert error.message == "give either 'questions' or 'groups'"
    assert (error.line, error.code) == (13, "N")


@pytest.mark.parametrize(
    ("groups", "line", "field"),
    [
        ({"code": "G"}, 17, "nodes.0.groups"),
        ([], 17, "nodes.0.groups"),
        (["G"], 18, "nodes.0.groups.0"),
        ([{"questions": ["Q1"]}], 18, "nodes.0.groups.0"),
        ([{"code": "G"}], 19, "nodes.0.groups.0.questions"),
        ([{"code": "G", "questions": ["Q1"], "weights": "Q1"}], 20, "nodes.0.groups.0.weights"),
        ([{"code": "G", "questions": ["Q1"], "weight": 0}], 21, "nodes.0.groups.0.weight"),
        ([{"code": "G", "questions": ["Q1"]}, {"code": "H", "questions": ["Q1"]}], 13, "nodes.0"),
    ],
)
def test_bad_groups_are_located(groups: Any, line: int, field: str) -> None:
    error = _node_refused({"code": "N", "formula": "mean", "groups": groups})
    assert (error.line, error.field, error.code) == (line, field, "N")


def test_a_question_in_two_groups_is_named_once() -> None:
    groups = [
        {"code": "G", "questions": ["Q1", "Q2"]},
        {"code": "H", "questions": ["Q2", "Q1", "Q3"]},
    ]
    error = _node_refused({"code": "N", "formula": "mean", "groups": groups})
    assert error.message == "question(s) Q1, Q2 used twice in one node"


@pytest.mark.parametrize(
    "weight",
    [True, None, [1], "many", "1/0", 0, -2, "-1/2", 0.0, float("inf"), float("nan")],
)
def test_a_weight_that_is_not_a_positive_number_is_refused(weight: Any) -> None:
    on_question = _node_refused({**_MEAN, "weights": {"Q1": weight}})
    assert on_question.message == "weight of 'Q1' must be a positive number"
    assert (on_question.line, on_question.code) == (26, "N")
    groups = [{"code": "G", "questions": ["Q1"], "weight": weight}]
    on_group = _node_refused({"code": "N", "formula": "mean", "groups": groups})
    assert on_group.message == "'weight' must be a positive number"
    assert on_group.line == 21


def test_weights_are_exact_fractions_from_ints_strings_and_floats() -> None:
    groups = [
        {"code": "G", "questions": ["Q1", "Q2", "Q3"], "weight": "2/3",
         "weights": {"Q1": 3, "Q2": "1/3", "Q3": 0.25}},
        {"code": "H", "questions": [" Q4 "]},
    ]  # fmt: skip
    data = _valid()
    data["nodes"] = [{"code": "N", "formula": "mean", "groups": groups}]
    node = survey_map_from_data(data).nodes[0]
    g, h = node.groups
    assert (g.code, g.weight) == ("G", Fraction(2, 3))
    assert dict(g.weights) == {"Q1": 3, "Q2": Fraction(1, 3), "Q3": Fraction(1, 4)}
    # no weight given: 1, and a question code loses its surrounding blanks
    assert (h.code, h.questions, h.weight) == ("H", ("Q4",), Fraction(1))
    assert dict(h.weights) == {}
    assert node.questions() == ["Q1", "Q2", "Q3", "Q4"]


def test_a_share_node_keeps_its_levels_and_its_steps() -> None:
    steps = {
        "question": {"status": "confirmed", "note": "MoHA"},
        "combine": {},  # no status: unverified
        "points": {"status": "derived", "note": ""},
    }
    node_data = {
        "code": "S",
        "formula": "share",
        "satisfied": [4, 5, 4],
        "output": "points",
        "questions": ["Q1"],
        "steps": steps,
    }
    data = _valid()
    data["nodes"] = [node_data]
    node = survey_map_from_data(data).nodes[0]
    assert (node.formula, node.output, node.satisfied) == ("share", "points", frozenset({4, 5}))
    assert node.step("question") == Step("question", "confirmed", "MoHA")
    assert node.step("combine") == Step("combine", "unverified", None)
    assert node.step("points") == Step("points", "derived", None)  # an empty note is no note


def test_a_step_not_given_is_unverified_and_an_empty_steps_key_gives_none() -> None:
    node = survey_map_from_data(_with(_valid(), ("nodes", 0, "steps"), None)).nodes[0]
    assert dict(node.steps) == {}
    assert node.step("points") == Step("points", "unverified", None)


def test_a_question_feeding_two_nodes_is_numbered_once_in_map_order() -> None:
    data = _valid()
    data["nodes"].append({"code": "M", "formula": "mean", "questions": ["Q3", "Q1", "Q4"]})
    m = survey_map_from_data(data)
    assert m.question_index() == {"Q1": 0, "Q2": 1, "Q3": 2, "Q4": 3}


# ------------------------------------------------------------------------- formula in words
def _one(
    formula: str,
    output: str,
    groups: int = 1,
    points_from: str = "rounded",
) -> tuple[NodeMap, SurveyMap]:
    made = tuple(QuestionGroup(f"G{i}", (f"Q{i}",), {}) for i in range(groups))
    satisfied = frozenset({5, 4}) if formula == "share" else frozenset()
    node = NodeMap("N", formula, output, made, satisfied)  # type: ignore[arg-type]
    survey = SurveyMap(
        "t", "t", "unverified", False, "r", (2023,), None, 5, 1, (node,),
        value_places=3, places=1, rounding="half_even", points_from=points_from,  # type: ignore[arg-type]
    )  # fmt: skip
    return node, survey


def test_a_mean_of_one_group_to_a_measure_has_two_steps() -> None:
    node, survey = _one("mean", "measure")
    words = [(step.name, text) for step, text in describe_node(node, survey)]
    assert words == [
        ("question", "question value = mean of its valid answers on the 1–5 scale"),
        (
            "combine",
            "node value = weighted mean of its questions, rounded to 3 decimals (half_even)",
        ),
    ]


def test_a_mean_to_points_divides_by_levels_minus_lowest() -> None:
    node, survey = _one("mean", "points", groups=2, points_from="exact")
    steps = describe_node(node, survey)
    assert [s.name for s, _ in steps] == ["question", "combine", "points"]
    assert steps[1][1].startswith("node value = weighted mean of its groups, each the weighted")
    # scale 1–5: 5 − 1 = 4
    assert steps[2][1] == (
        "points = (exact value − 1) ÷ 4 × the node's maximum, rounded to 1 decimals (half_even)"
    )


def test_a_share_to_points_lists_its_levels_in_order() -> None:
    node, survey = _one("share", "points")
    steps = describe_node(node, survey)
    assert steps[0][1] == "question value = 100 × answers at levels {4, 5} ÷ valid answers"
    assert steps[2][1] == (
        "points = rounded value ÷ 100 × the node's maximum, rounded to 1 decimals (half_even)"
    )
    assert all(step.status == "unverified" for step, _ in steps)
