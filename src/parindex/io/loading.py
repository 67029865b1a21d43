"""Turning YAML (or plain data) into validated rulesets and assessments, with located errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, LineMap, Path_, load_yaml_file
from parindex.model.documents import Assessment, Ruleset
from parindex.model.errors import (
    AssessmentError,
    ParindexError,
    SchemaError,
    UnknownRuleKindError,
)
from parindex.model.rules import Rule
from parindex.model.validation import validate_structure

RuleKinds = Mapping[str, type[Rule]]
#: Finds the base of an amendment (``extends: {ruleset: ID, version: V}``): (id, version) → ruleset.
BaseResolver = Callable[[str, str], Ruleset]


def _code_at(data: Any, path: Path_) -> str | None:
    """The code of the innermost node on ``path`` (a path through nodes/children lists)."""
    code = None
    cur = data
    for part in path:
        try:
            cur = cur[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(cur, dict) and "code" in cur and isinstance(part, int):
            code = str(cur["code"])
    return code


def _loc_path(loc: tuple[int | str, ...]) -> Path_:
    # pydantic reports tagged/union members and aliases in loc; keep only real path steps.
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))


def schema_error(
    exc: ValidationError, data: Any, lines: LineMap, prefix: Path_ = (), what: str = "value"
) -> SchemaError:
    errors = exc.errors(include_url=False)
    made: list[SchemaError] = []
    for err in errors:
        path = (*prefix, *_loc_path(err["loc"]))
        field = ".".join(str(p) for p in path) or what
        code = _code_at(data, path)
        if what == "assessment" and len(path) > 1 and path[0] == "inputs":
            code = str(path[1])  # codes contain dots: take the key, not a split of the field
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        made.append(
            SchemaError(
                msg,
                file=lines.file,
                line=lines.line_of(path),
                code=code,
                field=field,
            )
        )
    first = made[0]
    first.related = list(made[1:])
    return first


def _convert_rules(data: Any, path: Path_, kinds: RuleKinds, lines: LineMap) -> Any:
    """Replace each ``rule:`` mapping with an instance of its registered kind."""
    if isinstance(data, list):
        return [_convert_rules(item, (*path, i), kinds, lines) for i, item in enumerate(data)]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        sub = (*path, key)
        if key == "rule" and isinstance(value, dict):
            out[key] = _make_rule(value, sub, data, kinds, lines)
        elif key in {"nodes", "children", "views"} or (len(path) >= 1 and path[-1] == "views"):
            out[key] = _convert_rules(value, sub, kinds, lines)
        else:
            out[key] = value
    return out


def _make_rule(
    spec: dict[str, Any], path: Path_, node: dict[str, Any], kinds: RuleKinds, lines: LineMap
) -> Rule:
    code = str(node.get("code")) if node.get("code") is not None else None
    kind = str(spec.get("kind"))
    if kind not in kinds:
        known = ", ".join(sorted(kinds))
        raise UnknownRuleKindError(
            f"unknown rule kind {kind!r}; known kinds: {known}",
            file=lines.file,
            line=lines.line_of((*path, "kind")),
            code=code,
            hint="a plugin may register more kinds; see `parindex plugins`",
        )
    try:
        return kinds[kind].model_validate(spec)
    except ValidationError as exc:
        err = schema_error(exc, {}, lines, prefix=path, what="rule")
        err.code = code
        for other in err.related:
            other.code = code
        raise err from None


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
    :mod:`parindex.io.amend`); ``resolve`` finds a base named by id and version (default:
    the default registry), a base named by file is read relative to ``lines.file``.
    """
    lines = lines or LineMap()
    if not isinstance(data, dict):
        raise SchemaError(
            f"a ruleset must be a mapping, got {type(data).__name__}", file=lines.file, line=1
        )
    if "extends" in data:
        from parindex.io.amend import amend_from_data

        return amend_from_data(data, kinds, lines, resolve, check=check)
    converted = _convert_rules(data, (), kinds, lines)
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

    def __init__(self, assessment: Assessment, lines: LineMap) -> None:
        self.assessment = assessment
        self.lines = lines

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


def load_assessment_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> LocatedAssessment:
    data, lines = load_yaml_file(path, limits)
    return LocatedAssessment(assessment_from_data(data, lines), lines)


def wrap_errors(
    func: Callable[[], Any], file: str | Path | None
) -> Any:  # pragma: no cover - thin helper
    try:
        return func()
    except ParindexError as err:
        raise err.located(file=file) from None
    except (ValueError, TypeError) as exc:
        raise AssessmentError(str(exc), file=file) from None
