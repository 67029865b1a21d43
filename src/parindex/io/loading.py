"""Turning YAML (or plain data) into validated rulesets and assessments, with located errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from parindex.io.rulebuild import RuleKinds as RuleKinds
from parindex.io.rulebuild import convert_rules
from parindex.io.schema_errors import schema_error as schema_error
from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, load_yaml_file
from parindex.model.documents import Assessment, Ruleset, ScoreCard
from parindex.model.errors import AssessmentError, ParindexError, SchemaError
from parindex.model.locations import LineMap, Path_
from parindex.model.validation import validate_structure

if TYPE_CHECKING:
    # The amendment machinery (its models and the blame of a broken check) is imported when a
    # ruleset has ``extends``: scoring with a plain ruleset does not pay for it.
    from parindex.io.amend import BaseResolver as BaseResolver
    from parindex.io.survey_fragment import Fragment


def ruleset_from_data(
    data: Any,
    kinds: RuleKinds,
    lines: LineMap | None = None,
    *,
    check: bool = True,
    resolve: BaseResolver | None = None,
) -> Ruleset:
    """Build and validate a :class:`Ruleset` from plain data (as read from YAML or JSON).

    Data with ``extends`` is an amendment of another version (see
    :mod:`parindex.io.amendment`); ``resolve`` finds a base named by id and version (a
    registry's :meth:`~parindex.io.registry.Registry.resolve_base`; without it only a base named by
    file can be read), a base named by file is read relative to ``lines.file``.
    """
    lines = lines or LineMap()
    if not isinstance(data, dict):
        raise SchemaError(
            f"a ruleset must be a mapping, got {type(data).__name__}", file=lines.file, line=1
        )
    if "extends" in data:
        from parindex.io.amend import amend_from_data

        def read_base(path: Path) -> Ruleset:
            return load_ruleset_file(path, kinds, resolve=resolve)

        return amend_from_data(data, kinds, lines, resolve, check=check, read_file=read_base)
    converted = convert_rules(data, (), kinds, lines)
    try:
        ruleset = Ruleset.model_validate(converted)
    except ValidationError as exc:
        raise schema_error(exc, data, lines, what="ruleset") from None
    if check:
        problems = validate_structure(ruleset, data, lines)
        if problems:
            first = problems[0]
            first.related = problems[1:]
            raise first
    return ruleset


def load_ruleset_file(
    path: str | Path,
    kinds: RuleKinds,
    limits: Limits = DEFAULT_LIMITS,
    *,
    resolve: BaseResolver | None = None,
) -> Ruleset:
    data, lines = load_yaml_file(path, limits)
    return ruleset_from_data(data, kinds, lines, resolve=resolve)


def assessment_from_data(data: Any, lines: LineMap | None = None) -> Assessment:
    lines = lines or LineMap()
    if not isinstance(data, dict):
        raise SchemaError(
            f"an assessment must be a mapping, got {type(data).__name__}", file=lines.file, line=1
        )
    try:
        assessment = Assessment.model_validate(data)
    except ValidationError as exc:
        raise schema_error(exc, data, lines, what="assessment") from None
    return assessment


class LocatedAssessment:
    """An assessment with the file and line map it was read from (for located scoring errors)."""

    def __init__(
        self, assessment: Assessment, lines: LineMap, survey: tuple[Fragment, ...] = ()
    ) -> None:
        self.assessment = assessment
        self.lines = lines
        #: The survey fragments the file lists (``survey:``), already merged into ``assessment``.
        self.survey = survey

    def mark(self, card: ScoreCard) -> ScoreCard:
        """The card with the listed fragments' unverified survey steps flagged."""
        if not self.survey:
            return card
        from parindex.io.survey_fragment import mark_card

        for fragment in self.survey:
            card = mark_card(card, fragment)
        return card

    def locate(self, err: ParindexError) -> ParindexError:
        """Place an engine error at its input's line, or at the field it names."""
        path: Path_ = ()
        if err.code and err.code in self.assessment.inputs:
            path = ("inputs", err.code)
        elif err.field:
            path = (err.field,)
        elif err.code:  # a node without an input (e.g. a missing leaf): point at the inputs
            path = ("inputs",)
        line = self.lines.line_of(path) if path else None
        return err.located(file=self.lines.file, line=line)


def located_assessment(data: Any, lines: LineMap) -> LocatedAssessment:
    """An assessment read from a file, with the survey fragments it lists merged in."""
    if not isinstance(data, dict) or "survey" not in data:  # what listed_fragments passes on
        return LocatedAssessment(assessment_from_data(data, lines), lines)
    from parindex.io.survey_fragment import listed_fragments, merge_fragment

    data, fragments = listed_fragments(data, lines)
    assessment = assessment_from_data(data, lines)
    for fragment in fragments:
        assessment = merge_fragment(assessment, fragment)
    return LocatedAssessment(assessment, lines, fragments)


def load_assessment_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> LocatedAssessment:
    data, lines = load_yaml_file(path, limits)
    return located_assessment(data, lines)


def wrap_errors(
    func: Callable[[], Any], file: str | Path | None
) -> Any:  # pragma: no cover - thin helper
    try:
        return func()
    except ParindexError as err:
        raise err.located(file=file) from None
    except (ValueError, TypeError) as exc:
        raise AssessmentError(str(exc), file=file) from None
