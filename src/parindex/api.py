"""The public Python API. The command line is a thin layer over these functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parindex.io.loading import (
    LocatedAssessment,
    assessment_from_data,
    load_assessment_file,
    ruleset_from_data,
)
from parindex.io.parameters import Parameters, apply_parameters, load_parameters_file
from parindex.io.registry import Registry, default_registry
from parindex.io.yamlfile import LineMap, load_yaml_file
from parindex.model.documents import Assessment, Ruleset, ScoreCard, TieRule
from parindex.model.errors import ParindexError, UnknownRulesetError, YearNotCoveredError
from parindex.scoring import engine
from parindex.scoring.ranking import RankedTable
from parindex.scoring.ranking import rank as _rank

PathLike = str | Path


@dataclass(frozen=True)
class RulesetInfo:
    id: str
    version: str
    years: tuple[int, ...]
    title: str
    unit_kind: str
    status: str
    source: str


def _reg(registry: Registry | None) -> Registry:
    return registry or default_registry()


def list_rulesets(registry: Registry | None = None) -> list[RulesetInfo]:
    """Every valid ruleset version the installed plugins provide."""
    reg = _reg(registry)
    out = []
    for rid in reg.ids():
        try:
            versions = reg.versions(rid)
        except ParindexError:
            continue
        for r in versions:
            out.append(
                RulesetInfo(
                    r.id, r.version, r.years, r.title.best(), r.unit_kind, r.status, r.source.cite()
                )
            )
    return out


def get_ruleset(
    ruleset_id: str,
    year: int | None = None,
    *,
    version: str | None = None,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> Ruleset:
    """The ruleset version covering ``year``; raises :class:`YearNotCoveredError` otherwise."""
    ruleset = _reg(registry).get(ruleset_id, year, version)
    if params is not None:
        ruleset = with_parameters(ruleset, params, year=year)
    return ruleset


def with_parameters(
    ruleset: Ruleset, params: PathLike | Parameters, year: int | None = None
) -> Ruleset:
    """Apply a yearly parameter file (path or :class:`Parameters`) and validate the result."""
    if isinstance(params, Parameters):
        return apply_parameters(ruleset, params, year=year)
    p, lines = load_parameters_file(params)
    return apply_parameters(ruleset, p, lines, year=year)


def load_ruleset(source: PathLike | Mapping[str, Any], registry: Registry | None = None) -> Ruleset:
    """Read and validate a ruleset from a YAML file or from plain data."""
    kinds = _reg(registry).rule_kinds
    if isinstance(source, Mapping):
        return ruleset_from_data(dict(source), kinds)
    data, lines = load_yaml_file(source)
    return ruleset_from_data(data, kinds, lines)


def load_assessment(source: PathLike | Mapping[str, Any]) -> Assessment:
    """Read and check the shape of an assessment from a YAML file or plain data."""
    if isinstance(source, Mapping):
        return assessment_from_data(dict(source))
    return load_assessment_file(source).assessment


def score(
    assessment: Assessment | PathLike | Mapping[str, Any],
    ruleset: Ruleset | None = None,
    *,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> ScoreCard:
    """Score one assessment. The ruleset is found by the assessment's id and year unless given."""
    reg = _reg(registry)
    located: LocatedAssessment | None = None
    if isinstance(assessment, (str, Path)):
        located = load_assessment_file(assessment)
        assessment = located.assessment
    elif isinstance(assessment, Mapping):
        assessment = assessment_from_data(dict(assessment))
    try:
        if ruleset is None:
            try:
                ruleset = reg.get(assessment.ruleset, assessment.year, assessment.version)
            except (UnknownRulesetError, YearNotCoveredError) as err:
                if err.field is None:
                    if isinstance(err, YearNotCoveredError):
                        err.field = "year"
                    elif assessment.version is not None and assessment.ruleset in reg.ids():
                        err.field = "version"
                    else:
                        err.field = "ruleset"
                raise
        if params is not None:
            ruleset = with_parameters(ruleset, params, year=assessment.year)
        return engine.score(ruleset, assessment, reg.default_rule())
    except ParindexError as err:
        if located is not None:
            raise located.locate(err) from None
        raise


def score_many(
    assessments: Iterable[Assessment | PathLike | Mapping[str, Any]],
    *,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> list[ScoreCard]:
    """Score a batch; rulesets are resolved once per (id, year)."""
    return [score(a, params=params, registry=registry) for a in assessments]


#: From this many assessments of one ruleset version on, ranking uses the compiled batch path.
FAST_BATCH_MIN = 16


def rank_assessments(
    assessments: Sequence[Assessment | PathLike],
    ties: TieRule | None = None,
    *,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> RankedTable:
    """Score and rank a batch: the same table as ``rank(score_many(...), ties)``.

    Batches of :data:`FAST_BATCH_MIN` or more assessments of one ruleset version are scored by the
    compiled path (:mod:`parindex.scoring.fast`, exact integer arithmetic that agrees with the reference
    engine); any assessment it cannot take, and every error, goes through :func:`score`, so errors
    are located exactly as usual.
    """
    reg = _reg(registry)
    located: list[Assessment] = []
    for item in assessments:
        located.append(
            load_assessment_file(item).assessment if isinstance(item, (str, Path)) else item
        )
    keys = {(a.ruleset, a.year, a.version) for a in located}
    if len(located) >= FAST_BATCH_MIN and len(keys) == 1:
        first = located[0]
        ruleset = reg.get(first.ruleset, first.year, first.version)
        if params is not None:
            ruleset = with_parameters(ruleset, params, year=first.year)
        from parindex.scoring.fast import rank_batch

        def fallback(i: int) -> ScoreCard:
            return score(assessments[i], ruleset, registry=reg)

        return rank_batch(ruleset, located, ties, fallback=fallback)
    return rank(score_many(assessments, params=params, registry=reg), ties)


def score_summary(
    assessment: Assessment | PathLike | Mapping[str, Any],
    ruleset: Ruleset | None = None,
    *,
    registry: Registry | None = None,
) -> Any:
    """Total, index and group only (a :class:`parindex.scoring.fast.OneScore`), equal to :func:`score`'s
    but without building the per-node score card: for callers that score one unit at a time and
    need the result in well under a millisecond."""
    reg = _reg(registry)
    if isinstance(assessment, (str, Path)):
        assessment = load_assessment_file(assessment).assessment
    elif isinstance(assessment, Mapping):
        assessment = assessment_from_data(dict(assessment))
    if ruleset is None:
        ruleset = reg.get(assessment.ruleset, assessment.year, assessment.version)
    from parindex.scoring.fast.scalar import score_one

    return score_one(ruleset, assessment)


def rank(cards: Sequence[ScoreCard], ties: TieRule | None = None) -> RankedTable:
    """Rank score cards of one ruleset and year (competition ranking "1224" by default)."""
    return _rank(cards, ties)


def validate_file(
    path: PathLike,
    registry: Registry | None = None,
    *,
    ruleset: Ruleset | PathLike | None = None,
    params: PathLike | Parameters | None = None,
) -> str:
    """Validate a ruleset, assessment or parameter file; return its kind or raise the first error
    (with the others in ``error.related``)."""
    data, lines = load_yaml_file(path)
    kind = detect_kind(data)
    if kind == "ruleset":
        ruleset_from_data(data, _reg(registry).rule_kinds, lines)
    elif kind == "parameters":
        from parindex.io.parameters import parameters_from_data

        params_file = parameters_from_data(data, lines)
        try:
            base = _reg(registry).get(params_file.parameters_for, params_file.year)
        except ParindexError as err:
            key = "year" if isinstance(err, YearNotCoveredError) else "parameters_for"
            raise err.located(file=lines.file, line=lines.line_of((key,))) from None
        apply_parameters(base, params_file, lines)
    else:
        assessment = assessment_from_data(data, lines)
        located = LocatedAssessment(assessment, lines)
        try:
            if ruleset is not None and not isinstance(ruleset, Ruleset):
                ruleset = load_ruleset(ruleset, registry)
            score(assessment, ruleset, params=params, registry=registry)
        except ParindexError as err:
            raise located.locate(err) from None
    return kind


def detect_kind(data: Any) -> str:
    if isinstance(data, dict):
        if ("nodes" in data and "id" in data) or "extends" in data:  # extends: an amendment
            return "ruleset"
        if "parameters_for" in data:
            return "parameters"
    return "assessment"


__all__ = [
    "LineMap",
    "RulesetInfo",
    "get_ruleset",
    "list_rulesets",
    "load_assessment",
    "load_ruleset",
    "rank",
    "rank_assessments",
    "score",
    "score_many",
    "score_summary",
    "validate_file",
    "with_parameters",
]
