"""YAML test cases: an assessment and the points it must score, checked by ``parindex test`` and
by the pytest plugin (:mod:`parindex.pytest_plugin`).

A case file is named ``*.case.yaml``. It holds one case, or several under ``cases:``::

    name: plan late, 90% carried out          # default: the file name
    ruleset_file: ../ruleset.yaml             # optional: this file instead of the installed ruleset
    params: ../params/2023.yaml               # optional: a yearly parameter file
    assessment:                               # the assessment, inline (or a path to a YAML file)
      ruleset: camau.department
      year: 2013
      unit: test
      inputs: {"1.1.1": {choice: khong_kip_thoi}, "1.1.4": {measure: 90}, ...}
    expect:
      points: {"1.1.1": 0.5, "1.1.4": 1, "1.1": 3.5}   # exact points of chosen nodes
      total: 14.25                            # the rounded total, as published
      index: 71.25
      group: null                             # null: no group
      error: {kind: missing-input, code: "1.2.2"}   # instead: scoring must fail so

With ``cases:``, the top-level ``ruleset_file`` and ``params`` are defaults for every case, and
``assessment`` may be given once at the top and changed per case with ``inputs`` (replacing the
inputs of the named codes).

Only what ``expect`` names is checked. Numbers are compared exactly (``1`` equals ``1.00``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from parindex.authoring import CASE_SUFFIX
from parindex.io.loading import LocatedAssessment, assessment_from_data, schema_error
from parindex.io.registry import Registry
from parindex.io.yamlfile import load_yaml_file
from parindex.model.decimals import canonical
from parindex.model.documents import Dec, Frozen, NodeScore, Ruleset, ScoreCard
from parindex.model.errors import InputFileError, ParindexError, SchemaError
from parindex.model.locations import LineMap, Path_


class ExpectedError(Frozen):
    """Scoring must fail: with this kind of error (``missing-input``, ``unknown-code``, ...; see
    ``parindex.model.errors``), about this node, with this text in its message."""

    kind: str | None = None
    code: str | None = None
    message: str | None = None


class Expect(Frozen):
    points: dict[str, Dec] = Field(default_factory=dict)
    percent: dict[str, Dec | None] = Field(default_factory=dict)
    total: Dec | None = None
    total_exact: Dec | None = None
    maximum: Dec | None = None
    index: Dec | None = None
    group: str | None = None
    self_total: Dec | None = None
    unverified: bool | None = None
    error: ExpectedError | None = None

    @model_validator(mode="before")
    @classmethod
    def _codes_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for key in ("points", "percent"):
                if isinstance(data.get(key), dict):
                    data[key] = {str(k): v for k, v in data[key].items()}
        return data

    @model_validator(mode="after")
    def _something(self) -> Expect:
        if not self.model_fields_set:
            raise ValueError("expect names nothing to check")
        if self.error is not None and len(self.model_fields_set) > 1:
            raise ValueError("expect either an error or results, not both")
        return self


class CaseSpec(Frozen):
    name: str | None = None
    note: str | None = None
    ruleset_file: str | None = None
    params: str | None = None
    assessment: dict[str, Any] | str | None = None
    inputs: dict[str, Any] | None = Field(
        None, description="with a shared assessment: inputs that replace the shared ones"
    )
    expect: Expect


class CaseFileSpec(Frozen):
    """A file of several cases sharing a ruleset file, parameters and an assessment."""

    ruleset_file: str | None = None
    params: str | None = None
    assessment: dict[str, Any] | str | None = None
    note: str | None = None
    cases: list[CaseSpec] = Field(min_length=1)


@dataclass
class Case:
    """One case, ready to run: where it was written, and what to score."""

    name: str
    file: Path
    line: int | None
    assessment: LocatedAssessment
    expect: Expect
    ruleset_file: Path | None = None
    params: Path | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file)


@dataclass(frozen=True)
class Mismatch:
    what: str
    expected: str
    actual: str
    trace: tuple[str, ...] = ()


@dataclass
class CaseResult:
    name: str
    where: str
    case: Case | None = None  # None: the case file itself could not be read (see ``error``)
    mismatches: list[Mismatch] = field(default_factory=list)
    error: ParindexError | None = None
    checks: int = 0
    card: ScoreCard | None = None

    @property
    def passed(self) -> bool:
        return not self.mismatches and self.error is None

    def report(self) -> str:
        """What failed, expected against actual, each node with its trace."""
        head = f"case {self.name!r} ({self.where})"
        if self.error is not None:
            return f"{head}: scoring failed: {self.error}"
        if self.passed:
            return f"{head}: passed ({self.checks} checks)"
        lines = [f"{head}: {len(self.mismatches)} of {self.checks} checks failed"]
        for m in self.mismatches:
            lines.append(f"  {m.what}: expected {m.expected}, got {m.actual}")
            lines.extend(f"      {t}" for t in m.trace)
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------- reading
def _sub_lines(lines: LineMap, prefix: Path_) -> LineMap:
    """The line map of the value at ``prefix``, with paths relative to it."""
    n = len(prefix)
    return LineMap(
        file=lines.file,
        lines={p[n:]: line for p, line in lines.lines.items() if p[:n] == prefix},
    )


def _relative(base: Path, value: str | None) -> Path | None:
    return None if value is None else (base.parent / value)


def _assessment(
    value: dict[str, Any] | str | None,
    inputs: dict[str, Any] | None,
    file: Path,
    lines: LineMap,
    prefix: Path_,
) -> LocatedAssessment:
    if value is None:
        raise SchemaError("a case needs an assessment", file=file, line=lines.line_of(prefix))
    if isinstance(value, str):
        data, sub = load_yaml_file(file.parent / value)
    else:
        data, sub = value, _sub_lines(lines, prefix)
    if inputs is not None:
        if not isinstance(data, dict):
            raise SchemaError("the assessment must be a mapping", file=sub.file, line=1)
        shared = data.get("inputs") or {}
        data = {**data, "inputs": {**{str(k): v for k, v in shared.items()}, **inputs}}
    return LocatedAssessment(assessment_from_data(data, sub), sub)


def load_cases(path: str | Path) -> list[Case]:
    """The cases in one ``*.case.yaml`` file, checked for shape (not yet scored)."""
    file = Path(path)
    data, lines = load_yaml_file(file)
    stem = file.name.removesuffix(CASE_SUFFIX).removesuffix(".yaml")
    if isinstance(data, dict) and "cases" in data:
        try:
            spec = CaseFileSpec.model_validate(data)
        except ValidationError as exc:
            raise schema_error(exc, data, lines, what="cases") from None
        out = []
        for i, case in enumerate(spec.cases):
            prefix: Path_ = ("cases", i)
            own = case.assessment is not None
            out.append(
                Case(
                    name=case.name or f"{stem}[{i}]",
                    file=file,
                    line=lines.line_of(prefix),
                    assessment=_assessment(
                        case.assessment if own else spec.assessment,
                        case.inputs,
                        file,
                        lines,
                        (*prefix, "assessment") if own else ("assessment",),
                    ),
                    expect=case.expect,
                    ruleset_file=_relative(file, case.ruleset_file or spec.ruleset_file),
                    params=_relative(file, case.params or spec.params),
                )
            )
        return out
    try:
        one = CaseSpec.model_validate(data)
    except ValidationError as exc:
        raise schema_error(exc, data, lines, what="case") from None
    return [
        Case(
            name=one.name or stem,
            file=file,
            line=lines.line_of(()) or 1,
            assessment=_assessment(one.assessment, one.inputs, file, lines, ("assessment",)),
            expect=one.expect,
            ruleset_file=_relative(file, one.ruleset_file),
            params=_relative(file, one.params),
        )
    ]


def find_case_files(paths: Iterable[str | Path]) -> list[Path]:
    """Case files among ``paths``: files as given, folders searched for ``*.case.yaml``."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob(f"*{CASE_SUFFIX}") if q.is_file()))
        elif p.exists():
            out.append(p)
        else:
            raise InputFileError("file not found", file=p)
    return out


# ---------------------------------------------------------------------------------------- running
_RULESETS: dict[tuple[str, int], Ruleset] = {}


def _ruleset_file(path: Path, registry: Registry | None) -> Ruleset:
    """A ruleset file; with the installed plugins, read once per content (the cases of one run
    usually share it)."""
    from parindex.io.resolve import load_ruleset

    try:
        key = (str(path.resolve()), path.stat().st_mtime_ns)
    except OSError:
        raise InputFileError("ruleset file not found", file=path) from None
    if registry is not None:
        return load_ruleset(path, registry)
    if key not in _RULESETS:
        _RULESETS[key] = load_ruleset(path)
    return _RULESETS[key]


def run_case(case: Case, registry: Registry | None = None) -> CaseResult:
    """Score the case's assessment and compare with what it expects. The ruleset comes from
    ``registry`` (default: the installed plugins) unless the case names a ruleset file."""
    from parindex.scoring.scorer import score

    result = CaseResult(case.name, case.where, case)
    expected_error = case.expect.error
    try:
        ruleset = _ruleset_file(case.ruleset_file, registry) if case.ruleset_file else None
        card = score(case.assessment.assessment, ruleset, params=case.params, registry=registry)
    except ParindexError as err:
        err = case.assessment.locate(err)
        if expected_error is None:
            result.error = err
        else:
            _compare_error(result, expected_error, err)
        return result
    result.card = card
    if expected_error is not None:
        result.checks = 1
        result.mismatches.append(Mismatch("error", _error_text(expected_error), "no error"))
        return result
    _compare_card(result, case.expect, card)
    return result


def run_cases(
    paths: Iterable[str | Path], registry: Registry | None = None
) -> Iterator[CaseResult]:
    """Load and run every case in ``paths`` (files or folders). A file that cannot be read gives
    one failed result carrying the error."""
    for file in find_case_files(paths):
        try:
            cases = load_cases(file)
        except ParindexError as err:
            where = f"{file}:{err.line}" if err.line else str(file)
            yield CaseResult(file.name, where, error=err)
            continue
        for case in cases:
            yield run_case(case, registry)


def _error_text(e: ExpectedError) -> str:
    parts = [f"kind {e.kind}" if e.kind else "", f"node {e.code}" if e.code else ""]
    if e.message:
        parts.append(f"message containing {e.message!r}")
    return "an error (" + ", ".join(p for p in parts if p) + ")"


def _compare_error(result: CaseResult, expected: ExpectedError, err: ParindexError) -> None:
    checks = [
        ("error kind", expected.kind, err.kind),
        ("error node", expected.code, err.code),
    ]
    for what, want, got in checks:
        if want is None:
            continue
        result.checks += 1
        if want != got:
            result.mismatches.append(Mismatch(what, str(want), str(got), (str(err),)))
    if expected.message is not None:
        result.checks += 1
        if expected.message not in err.message:
            result.mismatches.append(
                Mismatch("error message", f"text {expected.message!r}", repr(err.message))
            )
    if result.checks == 0:
        result.checks = 1  # "some error" was expected, and one came


def _num(value: Decimal | None) -> str:
    return "none" if value is None else canonical(value)


def _compare_card(result: CaseResult, expect: Expect, card: ScoreCard) -> None:
    nodes = {n.code: n for n in card.nodes}
    given = expect.model_fields_set

    def check(what: str, want: Any, got: Any, trace: tuple[str, ...] = ()) -> None:
        result.checks += 1
        if want != got:
            show = (
                (_num(want), _num(got))
                if isinstance(want, Decimal) or isinstance(got, Decimal)
                else ("none" if want is None else str(want), "none" if got is None else str(got))
            )
            result.mismatches.append(Mismatch(what, show[0], show[1], trace))

    for code, want in expect.points.items():
        node = nodes.get(code)
        if node is None:
            result.checks += 1
            shown = ", ".join(list(nodes)[:15])
            result.mismatches.append(
                Mismatch(
                    f"points of {code}",
                    _num(want),
                    f"no node {code} in the score card (its codes: {shown})",
                )
            )
            continue
        mx = f"of {_num(node.maximum)}" if node.maximum is not None else "no maximum"
        title = node.title.best("vi")
        label = f"{code} {title} ({mx})" if title else f"{code} ({mx})"
        check(label, want, node.points, node_trace(node, nodes))
    for code, want_pct in expect.percent.items():
        node = nodes.get(code)
        got = node.percent if node is not None else None
        check(f"percent of {code}", want_pct, got, node_trace(node, nodes) if node else ())
    for name in ("total", "total_exact", "maximum", "index", "self_total"):
        if name in given:
            check(name, getattr(expect, name), getattr(card, name), _card_trace(card))
    if "group" in given:
        check("group", expect.group, card.group, _card_trace(card))
    if "unverified" in given:
        check(
            "unverified",
            expect.unverified,
            card.unverified,
            (f"unverified codes: {', '.join(card.unverified_codes) or 'none'}",),
        )


def node_trace(node: NodeScore, nodes: dict[str, NodeScore] | None = None) -> tuple[str, ...]:
    """How a node's points were obtained, in a few lines."""
    t = node.trace
    out: list[str] = []
    if t.how == "rule":
        out.append(f"input {t.input}; rule {t.rule}")
        if t.detail:
            out.append(f"→ {t.detail}")
    elif t.how == "given":
        out.append(f"{t.input} (given directly)")
    elif t.how == "children" and nodes is not None:
        kids = [n for n in nodes.values() if n.parent == node.code]
        out.append("sum of " + " + ".join(f"{k.code} ({_num(k.points)})" for k in kids))
    elif t.detail:
        out.append(t.detail)
    if t.reason:
        out.append(f"appraiser's reason: {t.reason}")
    if node.self_points is not None:
        out.append(f"self-assessed {_num(node.self_points)}")
    out.append(f"source: {node.source}")
    return tuple(out)


def _card_trace(card: ScoreCard) -> tuple[str, ...]:
    out = [
        f"total {_num(card.total)} (exact {_num(card.total_exact)}) of {_num(card.maximum)};"
        f" index {_num(card.index)}; group {card.group or 'none'}",
        card.receipt.rule,
    ]
    out.extend(f"note: {n}" for n in card.notes)
    return tuple(out)


__all__ = [
    "CASE_SUFFIX",
    "Case",
    "CaseResult",
    "Expect",
    "Mismatch",
    "find_case_files",
    "load_cases",
    "node_trace",
    "run_case",
    "run_cases",
]
