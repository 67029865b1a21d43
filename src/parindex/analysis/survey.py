"""From raw survey answers to the points of a ruleset's survey nodes, unit by unit.

The answers are streamed (:mod:`parindex.io.survey_answers`); per unit and question only the
counts of each answer level and of blanks are kept, so memory grows with units × questions, not
with answers. Respondents are counted as consecutive blocks of rows (survey exports list one
respondent's answers together): a question answered twice inside a block is refused with its
line. A respondent whose rows are split across the file would be counted twice and a repeat
across blocks would go unseen, so ``check_respondents=True`` keeps every respondent id seen (memory
then grows with respondents too) and refuses a respondent who reappears.

The formula is the map's (:mod:`parindex.model.survey_map`); arithmetic is exact (fractions) up
to the stated rounding. Each unit's result is an assessment *fragment*: the survey nodes' inputs,
plus every formula step with its status, which :func:`merge_fragment` adds to the appraised part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from parindex.io.survey_answers import AnswerRow, answer_rows, short_row
from parindex.io.survey_fragment import (
    FRAGMENT_KIND,
    Fragment,
    fragment_from_data,
    mark_card,
    merge_fragment,
)
from parindex.model.documents import Node, Ruleset
from parindex.model.errors import ParindexError, SchemaError
from parindex.model.i18n import N_, add_templates
from parindex.model.survey_map import NodeMap, SurveyMap, describe_node

# The errors and notes of this module, translated when shown.
add_templates(
    N_("empty {what}"),
    N_("question {question} is not in map {map}"),
    N_("answer {answer} to question {question} is not a level {levels} or blank"),
    N_("respondent {respondent} of unit {unit} answered question {question} twice"),
    N_(
        "respondent {respondent} of unit {unit} appears again after other respondents' rows"
        " (rows of one respondent must be together)"
    ),
    N_("question {question} has no valid answer: left out"),
    N_("group {name} has no valid answer: left out"),
    N_("map {map} is for ruleset {a}, not {b}"),
    N_("map {map} covers {years}, not {year}"),
    N_("node {code} is not in {ruleset} {version}"),
    N_("node {code} is not in {ruleset} {version} view {view}"),
    N_("node {code} has children: survey points go to a leaf"),
    N_("the map's scale {a} differs from the rule's {b}"),
    N_("node {code} has a {kind} rule: give it the measure ('output: measure'), not points"),
    N_("node {code} has no published maximum, so points cannot be computed from a share or a mean"),
    N_("ruleset {ruleset} {version} has no view {view}"),
    N_("input {code}: {given} {text} is not a number"),
    N_("node {code} has no rule to take a measure: its points are given"),
    N_("give 'points' for this node"),
    N_("node {code} has a {kind} rule: give it the measure, not points"),
    N_("input {code}: {value} points is below 0"),
    N_("input {code}: {value} points is above the maximum {upper}"),
    N_("unit id {unit} cannot be a file name (letters, digits, '.', '_', '-' only)"),
)


class SurveyError(ParindexError):
    """Survey answers that the map cannot take."""

    kind = "survey"


# ----------------------------------------------------------------------------------- tallies
@dataclass
class _Unit:
    counts: list[list[int]]  # per question: [blanks, answers at lowest, …, answers at levels]
    respondents: int = 0
    answers: int = 0


@dataclass
class SurveyTally:
    """Counts per unit and question, fed one answer row at a time."""

    survey_map: SurveyMap
    check_respondents: bool = False
    file: str | None = None
    rows: int = 0
    units: dict[str, _Unit] = field(default_factory=dict)

    def __post_init__(self) -> None:
        m = self.survey_map
        self._index = m.question_index()
        self._levels = {str(v): v - m.lowest + 1 for v in range(m.lowest, m.levels + 1)}
        self._width = m.levels - m.lowest + 2
        self._unit: str | None = None
        self._respondent: str | None = None
        self._seen = 0  # bit mask of the questions the current respondent answered
        self._finished: set[tuple[str, str]] = set()

    def feed(self, rows: Iterable[AnswerRow]) -> None:
        """Count answer rows (each with its line, for errors)."""
        for row in rows:
            self._one(row.line, row.respondent, row.unit, row.question, row.answer)

    def feed_csv(self, path: str | Path) -> None:
        """Stream an answer CSV. The loop is :meth:`_one` inlined for the common row; anything
        unusual goes through :meth:`_one`, which raises the located error."""
        with answer_rows(path) as (name, (ri, ui, qi, ai), reader):
            self.file = name
            width = max(ri, ui, qi, ai) + 1
            index, levels, units = self._index, self._levels, self.units
            ignore = self.survey_map.other_questions == "ignore"
            counted = 0
            try:
                for row in reader:
                    if len(row) < width and short_row(row, width, name, reader.line_num):
                        continue
                    respondent, unit = row[ri].strip(), row[ui].strip()
                    question, answer = row[qi].strip(), row[ai].strip()
                    position = index.get(question)
                    level = levels.get(answer, -1) if answer else 0
                    if (
                        position is None
                        or level < 0
                        or not respondent
                        or not unit
                        or respondent != self._respondent
                        or unit != self._unit
                    ):
                        if position is None and ignore and respondent and unit:
                            continue
                        self._one(reader.line_num, respondent, unit, question, answer)
                        continue
                    bit = 1 << position
                    if self._seen & bit:
                        self._one(reader.line_num, respondent, unit, question, answer)
                        continue
                    self._seen |= bit
                    tally = units[unit]
                    tally.counts[position][level] += 1
                    tally.answers += 1
                    counted += 1
            finally:
                self.rows += counted

    def _one(self, line: int, respondent: str, unit: str, question: str, answer: str) -> None:
        if not respondent or not unit:
            what = "respondent" if not respondent else "unit"
            raise SurveyError(f"empty {what}", field=what, file=self.file, line=line)
        position = self._index.get(question)
        if position is None:
            if self.survey_map.other_questions == "ignore":
                return
            raise SurveyError(
                f"question {question!r} is not in map {self.survey_map.id}",
                field="question",
                hint="questions: "
                + ", ".join(self._index)
                + " (or set 'other_questions: ignore' in the map)",
                file=self.file,
                line=line,
            )
        level = self._levels.get(answer) if answer else 0
        if level is None:
            raise SurveyError(
                f"answer {answer!r} to question {question!r} is not a level"
                f" {self.survey_map.lowest}–{self.survey_map.levels} or blank",
                field="answer",
                file=self.file,
                line=line,
            )
        if respondent != self._respondent or unit != self._unit:
            self._start(unit, respondent, line)
        bit = 1 << position
        if self._seen & bit:
            raise SurveyError(
                f"respondent {respondent!r} of unit {unit!r} answered question {question!r} twice",
                field="question",
                file=self.file,
                line=line,
            )
        self._seen |= bit
        tally = self.units[unit]
        tally.counts[position][level] += 1
        tally.answers += 1
        self.rows += 1

    def _start(self, unit: str, respondent: str, line: int) -> None:
        if self.check_respondents:
            if self._unit is not None and self._respondent is not None:
                self._finished.add((self._unit, self._respondent))
            if (unit, respondent) in self._finished:
                raise SurveyError(
                    f"respondent {respondent!r} of unit {unit!r} appears again after other"
                    " respondents' rows (rows of one respondent must be together)",
                    file=self.file,
                    line=line,
                    field="respondent",
                )
        self._unit, self._respondent, self._seen = unit, respondent, 0
        tally = self.units.get(unit)
        if tally is None:
            tally = _Unit([[0] * self._width for _ in self._index])
            self.units[unit] = tally
        tally.respondents += 1


# ----------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class StepResult:
    step: str
    what: str
    status: str
    note: str | None = None


@dataclass(frozen=True)
class NodeResult:
    code: str
    value: Decimal | None  # the node value, rounded (a mean answer or a %)
    value_exact: Fraction | None
    given: str | None  # "measure" or "points"
    amount: Decimal | None  # what goes into the assessment
    steps: tuple[StepResult, ...]
    notes: tuple[str, ...] = ()

    @property
    def unverified(self) -> bool:
        return any(s.status == "unverified" for s in self.steps)


@dataclass(frozen=True)
class UnitPoints:
    unit: str
    respondents: int
    answers: int
    nodes: tuple[NodeResult, ...]


@dataclass(frozen=True)
class SurveyResult:
    survey_map: SurveyMap
    ruleset: str
    version: str
    year: int
    view: str | None
    file: str | None
    rows: int
    units: tuple[UnitPoints, ...]

    def fragment(self, unit: UnitPoints) -> dict[str, Any]:
        """The assessment fragment of one unit, as plain data (YAML/JSON-ready)."""
        m = self.survey_map
        out: dict[str, Any] = {
            "kind": FRAGMENT_KIND,
            "ruleset": self.ruleset,
            "year": self.year,
        }
        if self.view:
            out["view"] = self.view
        out["unit"] = {"id": unit.unit}
        out["map"] = {"id": m.id, "status": m.status, "example": m.example}
        out["answers"] = {
            "file": self.file,
            "respondents": unit.respondents,
            "answers": unit.answers,
        }
        out["inputs"] = {
            n.code: {n.given: format(n.amount, "f")}
            for n in unit.nodes
            if n.given is not None and n.amount is not None
        }
        out["steps"] = {
            n.code: {
                "value": None if n.value is None else format(n.value, "f"),
                "value_exact": _exact(n.value_exact),
                "formula": [
                    {"step": s.step, "what": s.what, "status": s.status}
                    | ({"note": s.note} if s.note else {})
                    for s in n.steps
                ],
                "notes": list(n.notes),
            }
            for n in unit.nodes
        }
        return out


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


_MODES = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
}


def round_fraction(value: Fraction, places: int, mode: str) -> Decimal:
    """``value`` rounded to ``places`` decimals, exactly: the quotient is computed with enough
    digits that only the final quantize rounds (a Fraction's decimal expansion is cut, never a
    float's)."""
    scaled = value * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    # The last kept digit and whether the rest is below, at or above one half decide it.
    twice = 2 * rest
    if rest == 0:
        digits = whole
    elif mode == "down":
        digits = whole if value >= 0 else whole + 1
    elif mode == "up":
        digits = whole + 1 if value >= 0 else whole
    elif twice > scaled.denominator:
        digits = whole + 1
    elif twice < scaled.denominator:
        digits = whole
    elif mode == "half_up":
        digits = whole + 1 if value > 0 else whole
    else:
        digits = whole + (whole % 2)
    return Decimal(digits).scaleb(-places)


def _weighted_mean(pairs: list[tuple[Fraction, Fraction]]) -> Fraction:
    total = sum((w for _, w in pairs), Fraction(0))
    return sum((v * w for v, w in pairs), Fraction(0)) / total


def _node_result(
    node: NodeMap,
    survey_map: SurveyMap,
    counts: list[list[int]],
    index: Mapping[str, int],
    maximum: Decimal | None,
) -> NodeResult:
    notes: list[str] = []
    lowest = survey_map.lowest
    group_values: list[tuple[Fraction, Fraction]] = []
    for group in node.groups:
        pairs: list[tuple[Fraction, Fraction]] = []
        for q in group.questions:
            c = counts[index[q]]
            valid = sum(c[1:])
            if not valid:
                notes.append(f"question {q} has no valid answer: left out")
                continue
            if node.formula == "mean":
                answer = Fraction(sum((lowest + i) * n for i, n in enumerate(c[1:])), valid)
            else:
                hits = sum(c[level - lowest + 1] for level in node.satisfied)
                answer = Fraction(100 * hits, valid)
            pairs.append((answer, group.weights.get(q, Fraction(1))))
        if pairs:
            group_values.append((_weighted_mean(pairs), group.weight))
        elif len(node.groups) > 1:
            notes.append(f"group {group.code} has no valid answer: left out")
    described = describe_node(node, survey_map)
    steps = tuple(StepResult(s.name, what, s.status, s.note) for s, what in described)
    if not group_values:
        notes.append("no valid answer: the node is not given")
        return NodeResult(node.code, None, None, None, None, steps, tuple(notes))
    exact = _weighted_mean(group_values)
    value = round_fraction(exact, survey_map.value_places, survey_map.rounding)
    if node.output == "measure":
        return NodeResult(node.code, value, exact, "measure", value, steps, tuple(notes))
    assert maximum is not None  # checked against the ruleset before any answer is read
    base = Fraction(value) if survey_map.points_from == "rounded" else exact
    share = (
        base / 100 if node.formula == "share" else (base - lowest) / (survey_map.levels - lowest)
    )
    points = round_fraction(share * Fraction(maximum), survey_map.places, survey_map.rounding)
    return NodeResult(node.code, value, exact, "points", points, steps, tuple(notes))


# ----------------------------------------------------------------------------------- checks
def check_map(survey_map: SurveyMap, ruleset: Ruleset, year: int) -> dict[str, Decimal | None]:
    """Refuse a map that does not fit the ruleset; return each mapped node's maximum."""
    if survey_map.ruleset != ruleset.id:
        raise SchemaError(
            f"map {survey_map.id} is for ruleset {survey_map.ruleset}, not {ruleset.id}",
            field="ruleset",
            file=survey_map.file,
        )
    if year not in survey_map.years:
        raise SchemaError(
            f"map {survey_map.id} covers {', '.join(map(str, survey_map.years))}, not {year}",
            field="years",
            file=survey_map.file,
        )
    nodes = _view_nodes(ruleset, survey_map.view, survey_map.file)
    maxima: dict[str, Decimal | None] = {}
    for mapped in survey_map.nodes:
        node = nodes.get(mapped.code)
        if node is None:
            raise SchemaError(
                f"node {mapped.code} is not in {ruleset.id} {ruleset.version}"
                + (f" view {survey_map.view}" if survey_map.view else ""),
                file=survey_map.file,
                line=mapped.line,
                code=mapped.code,
            )
        if node.children:
            raise SchemaError(
                f"node {mapped.code} has children: survey points go to a leaf",
                file=survey_map.file,
                line=mapped.line,
                code=mapped.code,
            )
        kind = getattr(node.rule, "kind", None)
        if mapped.output == "measure":
            wanted = "survey_scale" if mapped.formula == "mean" else "percent_points"
            if kind != wanted:
                raise SchemaError(
                    f"output measure from a {mapped.formula} needs the node's rule to be"
                    f" {wanted}; {mapped.code} has {kind or 'no rule (points given)'}",
                    hint="use 'output: points' for a node whose points are given",
                    file=survey_map.file,
                    line=mapped.line,
                    code=mapped.code,
                )
            if kind == "survey_scale":
                rule: Any = node.rule
                if (rule.levels, rule.lowest) != (survey_map.levels, survey_map.lowest):
                    raise SchemaError(
                        f"the map's scale {survey_map.lowest}–{survey_map.levels} differs from"
                        f" the rule's {rule.lowest}–{rule.levels}",
                        file=survey_map.file,
                        line=mapped.line,
                        code=mapped.code,
                    )
        else:
            if kind is not None:
                raise SchemaError(
                    f"node {mapped.code} has a {kind} rule: give it the measure"
                    " ('output: measure'), not points",
                    file=survey_map.file,
                    line=mapped.line,
                    code=mapped.code,
                )
            if node.maximum is None:
                raise SchemaError(
                    f"node {mapped.code} has no published maximum, so points cannot be"
                    " computed from a share or a mean",
                    file=survey_map.file,
                    line=mapped.line,
                    code=mapped.code,
                )
        maxima[mapped.code] = node.maximum
    return maxima


def _view_nodes(ruleset: Ruleset, view: str | None, file: str | None) -> dict[str, Node]:
    if view is None:
        roots: tuple[Node, ...] | list[Node] = ruleset.nodes
    else:
        views = ruleset.views or {}
        if view not in views:
            raise SchemaError(
                f"ruleset {ruleset.id} {ruleset.version} has no view {view!r}",
                file=file,
                field="view",
            )
        roots = views[view].nodes
    found: dict[str, Node] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        found[node.code] = node
        stack.extend(node.children)
    return found


# ----------------------------------------------------------------------------------- pipeline
def survey_points(
    answers: str | Path | Iterable[AnswerRow],
    survey_map: SurveyMap,
    ruleset: Ruleset,
    year: int,
    *,
    check_respondents: bool = False,
) -> SurveyResult:
    """Stream ``answers`` (a CSV path, or answer rows) into points for the map's nodes."""
    maxima = check_map(survey_map, ruleset, year)
    file = str(answers) if isinstance(answers, (str, Path)) else None
    tally = SurveyTally(survey_map, check_respondents, file)
    if isinstance(answers, (str, Path)):
        tally.feed_csv(answers)
    else:
        tally.feed(answers)
    index = survey_map.question_index()
    units = tuple(
        UnitPoints(
            name,
            unit.respondents,
            unit.answers,
            tuple(
                _node_result(node, survey_map, unit.counts, index, maxima[node.code])
                for node in survey_map.nodes
            ),
        )
        for name, unit in sorted(tally.units.items())
    )
    return SurveyResult(
        survey_map, ruleset.id, ruleset.version, year, survey_map.view, file, tally.rows, units
    )


# ----------------------------------------------------------------------------------- fragments
# Reading and merging fragments lives in the io layer (parindex.io.survey_fragment), so that an
# assessment file listing its own fragments is merged wherever it is read; they are re-exported
# here, where the pipeline that writes them is.


def check_fragment(fragment: Fragment, ruleset: Ruleset, line_of: Any = None) -> None:
    """Refuse a fragment that does not fit ``ruleset``: each input must be a leaf of the
    fragment's view, ``points`` a number from 0 to the node's published maximum, ``measure`` a
    number for a node whose rule takes one. Errors name the fragment's file, line and node."""

    def fail(message: str, code: str, hint: str | None = None) -> SchemaError:
        line = line_of(("inputs", code)) if line_of else None
        return SchemaError(message, file=fragment.file, line=line, code=code, hint=hint)

    nodes = _view_nodes(ruleset, fragment.view, fragment.file)
    for code, entry in fragment.inputs.items():
        node = nodes.get(code)
        if node is None:
            raise fail(
                f"node {code} is not in {ruleset.id} {ruleset.version}"
                + (f" view {fragment.view}" if fragment.view else ""),
                code,
            )
        if node.children:
            raise fail(f"node {code} has children: survey points go to a leaf", code)
        ((given, text),) = entry.items()
        try:
            amount = Decimal(text)
        except ArithmeticError:
            amount = Decimal("NaN")
        if not amount.is_finite():
            raise fail(f"input {code}: {given} {text!r} is not a number", code)
        kind = getattr(node.rule, "kind", None)
        if given == "measure" and kind is None:
            raise fail(
                f"node {code} has no rule to take a measure: its points are given",
                code,
                hint="give 'points' for this node",
            )
        if given == "points":
            if kind is not None:
                raise fail(f"node {code} has a {kind} rule: give it the measure, not points", code)
            if amount < 0:
                raise fail(f"input {code}: {text} points is below 0", code)
            if node.maximum is not None and amount > node.maximum:
                top = format(node.maximum, "f")
                raise fail(f"input {code}: {text} points is above the maximum {top}", code)


__all__ = [
    "FRAGMENT_KIND",
    "Fragment",
    "NodeResult",
    "SurveyError",
    "SurveyResult",
    "SurveyTally",
    "UnitPoints",
    "check_fragment",
    "check_map",
    "fragment_from_data",
    "mark_card",
    "merge_fragment",
    "round_fraction",
    "survey_points",
]


def render_fragment(data: Mapping[str, Any], fmt: str = "yaml") -> str:
    """A fragment as YAML (with a header saying what it is) or JSON."""
    import json

    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    import yaml

    head = (
        "# Survey points for one unit, written by `parindex survey`. Merge it with the appraised\n"
        "# part: parindex score ASSESSMENT.yaml --survey THIS_FILE, or list it in the assessment\n"
        "# (survey: PATH, relative to the assessment file).\n"
    )
    return head + yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=100)


def fragment_file_name(unit: str, fmt: str = "yaml") -> str:
    """A file name for a unit's fragment: the unit id, if it is a safe file name."""
    import re

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", unit):
        raise SurveyError(
            f"unit id {unit!r} cannot be a file name (letters, digits, '.', '_', '-' only)",
            field="unit",
        )
    return f"{unit}.{'json' if fmt == 'json' else 'yaml'}"
