"""Survey maps: which survey questions feed which node of a ruleset, and by what formula.

A map is a small YAML file (``kind: survey-map``)::

    kind: survey-map
    id: sonla-xhh-example
    title: "…"
    status: unverified          # the map as a whole
    example: true               # an illustration, not a published split
    ruleset: sonla.department
    years: [2021, 2022]
    view: components            # optional: the ruleset view the nodes belong to
    scale: {levels: 5, lowest: 1}
    rounding: {value_places: 2, places: 2, mode: half_up, points_from: rounded}
    nodes:
      - code: XHH
        formula: mean           # mean answer, or `share` of answers at the `satisfied` levels (%)
        satisfied: [4, 5]       # share only
        output: points          # or `measure`, handed to the node's own rule
        groups:                 # or a flat `questions: [Q1, Q2]` with optional `weights`
          - {code: CS, weight: 2, questions: [CS1, CS2]}
        steps:                  # the status of each formula step, and why
          question: {status: unverified, note: "…"}
          combine: {status: unverified}
          points: {status: unverified}

The formula of a node, exactly (fractions, no floats):

1. *question value*: the mean of its valid answers (``mean``), or 100 × the answers at the
   ``satisfied`` levels ÷ its valid answers (``share``); a blank answer is not a valid answer;
2. *group value*: the weighted mean of its questions' values (weight 1 unless given);
3. *node value*: the weighted mean of its groups' values (one implicit group for ``questions``),
   rounded to ``value_places``;
4. ``output: measure`` hands the rounded value to the node's rule (``survey_scale`` for a mean,
   ``percent_points`` for a share); ``output: points`` converts it to points with the node's
   maximum in the ruleset — share ÷ 100 × maximum, or (mean − lowest) ÷ (levels − lowest) ×
   maximum — rounded to ``places``.

The maximum is never in the map: it is read from the ruleset, so a map cannot invent one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from parindex.model.errors import SchemaError
from parindex.model.i18n import N_, add_templates
from parindex.model.locations import LineMap

Formula = Literal["mean", "share"]
Output = Literal["measure", "points"]
StepStatus = Literal["confirmed", "derived", "unverified"]
STATUSES: tuple[str, ...] = ("confirmed", "derived", "unverified")
STEPS: tuple[str, ...] = ("question", "combine", "points")
ROUNDING_MODES: tuple[str, ...] = ("half_up", "half_even", "down", "up")


@dataclass(frozen=True)
class Step:
    """One formula step and how sure it is."""

    name: str
    status: StepStatus = "unverified"
    note: str | None = None


@dataclass(frozen=True)
class QuestionGroup:
    code: str
    questions: tuple[str, ...]
    weights: Mapping[str, Fraction]
    weight: Fraction = Fraction(1)


@dataclass(frozen=True)
class NodeMap:
    code: str
    formula: Formula
    output: Output
    groups: tuple[QuestionGroup, ...]
    satisfied: frozenset[int] = frozenset()
    steps: Mapping[str, Step] = field(default_factory=dict)
    line: int | None = None

    def questions(self) -> list[str]:
        return [q for g in self.groups for q in g.questions]

    def step(self, name: str) -> Step:
        return self.steps.get(name) or Step(name)


@dataclass(frozen=True)
class SurveyMap:
    id: str
    title: str
    status: StepStatus
    example: bool
    ruleset: str
    years: tuple[int, ...]
    view: str | None
    levels: int
    lowest: int
    nodes: tuple[NodeMap, ...]
    value_places: int = 2
    places: int = 2
    rounding: str = "half_up"
    #: Points from the node value as rounded (``rounded``, as a published % is), or ``exact``.
    points_from: Literal["rounded", "exact"] = "rounded"
    #: ``error`` (default): an answer to a question no node uses is refused; ``ignore``: skipped.
    other_questions: Literal["error", "ignore"] = "error"
    source: Mapping[str, str] = field(default_factory=dict)
    note: str | None = None
    file: str | None = None

    def question_index(self) -> dict[str, int]:
        """Every question any node reads, numbered in map order (a question may feed two nodes)."""
        index: dict[str, int] = {}
        for node in self.nodes:
            for q in node.questions():
                index.setdefault(q, len(index))
        return index


def survey_map_from_data(data: Any, lines: LineMap | None = None) -> SurveyMap:
    """Build a :class:`SurveyMap` from plain data; every problem names file, line and node."""
    lines = lines or LineMap()
    where = lines.file

    def fail(message: str, at: tuple[str | int, ...], code: str | None = None) -> SchemaError:
        return SchemaError(
            message,
            file=where,
            line=lines.line_of(at),
            code=code,
            field=".".join(str(p) for p in at) or None,
        )

    if not isinstance(data, dict):
        raise fail("a survey map must be a mapping", ())
    if data.get("kind") != "survey-map":
        raise fail("a survey map needs 'kind: survey-map'", ("kind",))
    for key in ("id", "ruleset", "years", "scale", "nodes"):
        if key not in data:
            raise fail(f"a survey map needs {key!r}", ())
    known = {
        "kind", "id", "title", "status", "example", "ruleset", "years", "view", "scale",
        "rounding", "nodes", "other_questions", "source", "note",
    }  # fmt: skip
    extra = sorted(set(data) - known)
    if extra:
        raise fail(f"unknown key(s) {', '.join(extra)}", (extra[0],))
    years = data["years"]
    if not isinstance(years, list) or not years or not all(_whole(y) for y in years):
        raise fail("'years' must be a non-empty list of years", ("years",))
    scale = data["scale"]
    if not isinstance(scale, dict):
        raise fail("'scale' must be a mapping {levels, lowest}", ("scale",))
    raw_levels, raw_lowest = scale.get("levels"), scale.get("lowest", 1)
    if not _whole(raw_levels) or not _whole(raw_lowest):
        raise fail("'scale' needs whole numbers 0 ≤ lowest < levels ≤ 100", ("scale",))
    levels, lowest = int(str(raw_levels)), int(str(raw_lowest))
    if not 0 <= lowest < levels <= 100:
        raise fail("'scale' needs whole numbers 0 ≤ lowest < levels ≤ 100", ("scale",))
    rounding = data.get("rounding") or {}
    if not isinstance(rounding, dict):
        raise fail("'rounding' must be a mapping", ("rounding",))
    value_places = rounding.get("value_places", 2)
    places = rounding.get("places", 2)
    mode = rounding.get("mode", "half_up")
    points_from = rounding.get("points_from", "rounded")
    if points_from not in ("rounded", "exact"):
        raise fail("'points_from' must be rounded or exact", ("rounding", "points_from"))
    if set(rounding) - {"value_places", "places", "mode", "points_from"}:
        raise fail("rounding takes value_places, places, mode and points_from", ("rounding",))
    if not (_whole(value_places) and _whole(places)) or not (
        0 <= value_places <= 10 and 0 <= places <= 10
    ):
        raise fail("rounding places must be whole numbers from 0 to 10", ("rounding",))
    if mode not in ROUNDING_MODES:
        raise fail(f"rounding mode must be one of {', '.join(ROUNDING_MODES)}", ("rounding",))
    status = data.get("status", "unverified")
    if status not in STATUSES:
        raise fail(f"'status' must be one of {', '.join(STATUSES)}", ("status",))
    other = data.get("other_questions", "error")
    if other not in ("error", "ignore"):
        raise fail("'other_questions' must be error or ignore", ("other_questions",))
    raw_nodes = data["nodes"]
    if not isinstance(raw_nodes, list) or not raw_nodes:
        raise fail("'nodes' must be a non-empty list", ("nodes",))
    nodes = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_nodes):
        node = _node(raw, ("nodes", n), levels, lowest, fail, lines)
        if node.code in seen:
            raise fail(f"node {node.code} is mapped twice", ("nodes", n), node.code)
        seen.add(node.code)
        nodes.append(node)
    source = data.get("source") or {}
    if not isinstance(source, dict):
        raise fail("'source' must be a mapping", ("source",))
    return SurveyMap(
        id=str(data["id"]),
        title=str(data.get("title", data["id"])),
        status=status,
        example=bool(data.get("example", False)),
        ruleset=str(data["ruleset"]),
        years=tuple(int(y) for y in years),
        view=str(data["view"]) if data.get("view") is not None else None,
        levels=int(levels),
        lowest=int(lowest),
        nodes=tuple(nodes),
        value_places=int(value_places),
        places=int(places),
        rounding=str(mode),
        points_from=points_from,
        other_questions=other,
        source={str(k): str(v) for k, v in source.items()},
        note=str(data["note"]) if data.get("note") is not None else None,
        file=where,
    )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _weight(value: Any) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, (int, str, float)):
        return None
    try:
        got = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None
    return got if got > 0 else None


def _node(
    raw: Any,
    at: tuple[str | int, ...],
    levels: int,
    lowest: int,
    fail: Any,
    lines: LineMap,
) -> NodeMap:
    if not isinstance(raw, dict) or "code" not in raw:
        raise fail("a mapped node needs a 'code'", at)
    code = str(raw["code"])
    known = {"code", "formula", "output", "questions", "weights", "groups", "satisfied", "steps"}
    extra = sorted(set(raw) - known)
    if extra:
        raise fail(f"unknown key(s) {', '.join(extra)}", (*at, extra[0]), code)
    formula = raw.get("formula")
    if formula not in ("mean", "share"):
        raise fail("'formula' must be mean or share", (*at, "formula"), code)
    output = raw.get("output", "measure")
    if output not in ("measure", "points"):
        raise fail("'output' must be measure or points", (*at, "output"), code)
    satisfied: frozenset[int] = frozenset()
    if formula == "share":
        got = raw.get("satisfied")
        if not isinstance(got, list) or not got or not all(_whole(x) for x in got):
            raise fail(
                "a share needs 'satisfied': a list of answer levels", (*at, "satisfied"), code
            )
        bad = [x for x in got if not lowest <= x <= levels]
        if bad:
            raise fail(
                f"satisfied levels {bad} are outside the scale {lowest}–{levels}",
                (*at, "satisfied"),
                code,
            )
        satisfied = frozenset(got)
    elif "satisfied" in raw:
        raise fail("'satisfied' belongs to a share formula", (*at, "satisfied"), code)
    if ("groups" in raw) == ("questions" in raw):
        raise fail("give either 'questions' or 'groups'", at, code)
    groups: list[QuestionGroup] = []
    if "questions" in raw:
        groups.append(_group(code, raw, at, fail, code))
    else:
        raw_groups = raw["groups"]
        if not isinstance(raw_groups, list) or not raw_groups:
            raise fail("'groups' must be a non-empty list", (*at, "groups"), code)
        for g, raw_group in enumerate(raw_groups):
            if not isinstance(raw_group, dict) or "code" not in raw_group:
                raise fail("a group needs a 'code'", (*at, "groups", g), code)
            groups.append(_group(str(raw_group["code"]), raw_group, (*at, "groups", g), fail, code))
    questions = [q for g in groups for q in g.questions]
    dupes = sorted({q for q in questions if questions.count(q) > 1})
    if dupes:
        raise fail(f"question(s) {', '.join(dupes)} used twice in one node", at, code)
    steps: dict[str, Step] = {}
    raw_steps = raw.get("steps") or {}
    if not isinstance(raw_steps, dict):
        raise fail("'steps' must be a mapping", (*at, "steps"), code)
    for name, raw_step in raw_steps.items():
        if name not in STEPS:
            raise fail(f"unknown step {name!r} (steps: {', '.join(STEPS)})", (*at, "steps"), code)
        if not isinstance(raw_step, dict) or raw_step.get("status", "unverified") not in STATUSES:
            raise fail(
                f"step {name} needs a status: {', '.join(STATUSES)}", (*at, "steps", name), code
            )
        note = raw_step.get("note")
        steps[name] = Step(name, raw_step.get("status", "unverified"), str(note) if note else None)
    if output == "measure" and "points" in steps:
        raise fail("a 'points' step belongs to output: points", (*at, "steps", "points"), code)
    return NodeMap(code, formula, output, tuple(groups), satisfied, steps, lines.line_of(at))


def _group(
    code: str, raw: Mapping[str, Any], at: tuple[str | int, ...], fail: Any, node: str
) -> QuestionGroup:
    questions = raw.get("questions")
    if not isinstance(questions, list) or not questions:
        raise fail("'questions' must be a non-empty list", (*at, "questions"), node)
    names = tuple(str(q).strip() for q in questions)
    if any(not q for q in names):
        raise fail("a question code is empty", (*at, "questions"), node)
    raw_weights = raw.get("weights") or {}
    if not isinstance(raw_weights, dict):
        raise fail("'weights' must map question codes to positive numbers", (*at, "weights"), node)
    weights: dict[str, Fraction] = {}
    for q, w in raw_weights.items():
        if str(q) not in names:
            raise fail(f"weight for {q!r}, which is not a question here", (*at, "weights"), node)
        got = _weight(w)
        if got is None:
            raise fail(f"weight of {q!r} must be a positive number", (*at, "weights"), node)
        weights[str(q)] = got
    weight = _weight(raw.get("weight", 1))
    if weight is None:
        raise fail("'weight' must be a positive number", (*at, "weight"), node)
    return QuestionGroup(code, names, weights, weight)


def describe_node(node: NodeMap, survey_map: SurveyMap) -> Sequence[tuple[Step, str]]:
    """The node's formula steps in words, each with its step (and so its status)."""
    scale = f"{survey_map.lowest}–{survey_map.levels}"
    if node.formula == "mean":
        question = f"question value = mean of its valid answers on the {scale} scale"
    else:
        levels = ", ".join(str(x) for x in sorted(node.satisfied))
        question = f"question value = 100 × answers at levels {{{levels}}} ÷ valid answers"
    if len(node.groups) == 1:
        combine = "node value = weighted mean of its questions"
    else:
        combine = (
            "node value = weighted mean of its groups, each the weighted mean of its questions"
        )
    combine += f", rounded to {survey_map.value_places} decimals ({survey_map.rounding})"
    out: list[tuple[Step, str]] = [
        (node.step("question"), question),
        (node.step("combine"), combine),
    ]
    if node.output == "points":
        value = "rounded value" if survey_map.points_from == "rounded" else "exact value"
        how = (
            f"{value} ÷ 100 × the node's maximum"
            if node.formula == "share"
            else f"({value} − {survey_map.lowest}) ÷ {survey_map.levels - survey_map.lowest} ×"
            " the node's maximum"
        )
        out.append(
            (
                node.step("points"),
                f"points = {how}, rounded to {survey_map.places} decimals ({survey_map.rounding})",
            )
        )
    return out


#: The steps :func:`describe_node` writes, translated where they are shown (``parindex survey``,
#: the notes of a card whose survey fragment lists unverified steps).
STEP_TEMPLATES = (
    N_("question value = mean of its valid answers on the {scale} scale"),
    N_("question value = 100 × answers at levels {levels} ÷ valid answers"),
    N_("node value = weighted mean of its questions, rounded to {places} decimals ({mode})"),
    N_(
        "node value = weighted mean of its groups, each the weighted mean of its questions,"
        " rounded to {places} decimals ({mode})"
    ),
    N_("points = {how}, rounded to {places} decimals ({mode})"),
    N_("({value} − {low}) ÷ {span} × the node's maximum"),
    N_("{value} ÷ 100 × the node's maximum"),
)
add_templates(*STEP_TEMPLATES)


__all__ = [
    "STEP_TEMPLATES",
    "NodeMap",
    "QuestionGroup",
    "Step",
    "SurveyMap",
    "describe_node",
    "survey_map_from_data",
]
