"""The public Python API, and the one door the command line goes through.

Two parts:

* the functions a program calls (:func:`score`, :func:`rank`, :func:`get_ruleset` …; all of them
  are also in :mod:`parindex`). Some are defined here; the ones the lower layers need too are
  defined there and re-exported (:mod:`parindex.io.resolve`, :mod:`parindex.scoring.scorer`);
* what the ``parindex`` commands use beyond them — planning, sensitivity, reproduction, authoring,
  schemas, plugins, atomic writes (:data:`COMMAND_LINE_FACE`). Those are imported on first use
  (module ``__getattr__``), so ``import parindex.api`` stays as light as the functions above need:
  no numpy, no planning or authoring code until a command asks for it.

:mod:`parindex.cli` imports only this module, :mod:`parindex.report`, :mod:`parindex.model` and the
hook specs (an import-linter contract, see docs/architecture.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex.io.loading import (
    LocatedAssessment,
    assessment_from_data,
    load_assessment_file,
    ruleset_from_data,
)
from parindex.io.parameters import Parameters, apply_parameters
from parindex.io.registry import Registry, default_registry
from parindex.io.resolve import (
    PathLike,
    detect_kind,
    get_ruleset,
    load_assessment,
    load_ruleset,
    registry_or_default,
    with_parameters,
)
from parindex.io.yamlfile import load_yaml_file
from parindex.model.documents import Assessment, Ruleset, ScoreCard, TieRule
from parindex.model.errors import AssessmentError, ParindexError, YearNotCoveredError
from parindex.model.locations import LineMap
from parindex.scoring.ranking import RankedTable
from parindex.scoring.ranking import rank as _rank
from parindex.scoring.scorer import score, score_csv, score_many

if TYPE_CHECKING:
    from parindex.analysis.planning.agency import by_agency
    from parindex.analysis.planning.compare import compare, compare_stages
    from parindex.analysis.planning.evaluate import evaluate as evaluate_targets
    from parindex.analysis.planning.gaps import gaps, parse_depth
    from parindex.analysis.planning.inputs import load_rulesets, read_card, read_cards
    from parindex.analysis.planning.responsibility import find_map as find_responsibility_map
    from parindex.analysis.planning.targets import load_measures, load_targets_with_lines
    from parindex.analysis.planning.targets import locate as locate_target_error
    from parindex.analysis.reproduce import (
        datasets_table,
        dimension_groups,
        list_datasets,
        render_dimension_groups,
        reproduce_dataset,
        reproduce_file,
    )
    from parindex.analysis.reproduce import render_csv as render_reproduction_csv
    from parindex.analysis.reproduce import render_json as render_reproduction_json
    from parindex.analysis.reproduce import render_text as render_reproduction_text
    from parindex.analysis.sensitivity import Spec as SensitivitySpec
    from parindex.analysis.sensitivity import parse_assignments as parse_sensitivity_assignments
    from parindex.analysis.sensitivity import run as run_sensitivity
    from parindex.authoring.diff import diff_rulesets
    from parindex.authoring.importer import import_table
    from parindex.authoring.scaffold import new_ruleset, parse_years
    from parindex.authoring.schemas import json_schema, schema_files
    from parindex.authoring.yamltests import run_cases
    from parindex.io.assessment_csv import assessments_from_csv
    from parindex.io.csvlines import open_binary, utf8_lines
    from parindex.io.files import atomic_write_bytes, atomic_write_text, protect_inputs
    from parindex.io.plugins import DISABLE_ENV as PLUGIN_DISABLE_ENV
    from parindex.scoring.explain import explain
    from parindex.scoring.fast import rank_csv


@dataclass(frozen=True)
class RulesetInfo:
    id: str
    version: str
    years: tuple[int, ...]
    title: str
    unit_kind: str
    status: str
    source: str


def list_rulesets(registry: Registry | None = None) -> list[RulesetInfo]:
    """Every valid ruleset version the installed plugins provide."""
    reg = registry_or_default(registry)
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
    compiled path (:mod:`parindex.scoring.fast`, exact integer arithmetic that agrees with the
    reference engine); any assessment it cannot take, and every error, goes through :func:`score`,
    so errors are located exactly as usual.
    """
    reg = registry_or_default(registry)
    located: list[Assessment] = []
    first_place: dict[str, str] = {}
    for number, item in enumerate(assessments, 1):
        file, line = None, None
        if isinstance(item, (str, Path)):
            read = load_assessment_file(item)
            assessment, file, line = read.assessment, str(item), read.lines.line_of(("unit",))
            place = f"{file}:{line}" if line else file
        else:
            assessment, place = item, f"assessment {number} of the batch"
        seen_at = first_place.setdefault(assessment.unit.id, place)
        if seen_at is not place:
            raise AssessmentError(
                f"unit {assessment.unit.id!r} is given twice in the batch ({seen_at} and {place});"
                " a ranking would count it twice",
                file=file,
                line=line,
                field="unit",
            )
        located.append(assessment)
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
    """Total, index and group only (a :class:`parindex.scoring.fast.OneScore`), equal to
    :func:`score`'s but without building the per-node score card: for callers that score one unit
    at a time and need the result in well under a millisecond."""
    reg = registry_or_default(registry)
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
    reg = registry_or_default(registry)
    data, lines = load_yaml_file(path)
    kind = detect_kind(data)
    if kind == "ruleset":
        ruleset_from_data(data, reg.rule_kinds, lines, resolve=reg.resolve_base)
    elif kind == "parameters":
        from parindex.io.parameters import parameters_from_data

        params_file = parameters_from_data(data, lines)
        try:
            base = reg.get(params_file.parameters_for, params_file.year)
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


# ------------------------------------------------------------------------- the command line's face
#: What the command line uses beyond the functions above: name here → (home module, name there).
#: Imported on first use; the home modules may move, these names stay.
COMMAND_LINE_FACE: dict[str, tuple[str, str]] = {
    # files and plugins
    "atomic_write_bytes": ("parindex.io.files", "atomic_write_bytes"),
    "atomic_write_text": ("parindex.io.files", "atomic_write_text"),
    "protect_inputs": ("parindex.io.files", "protect_inputs"),
    "PLUGIN_DISABLE_ENV": ("parindex.io.plugins", "DISABLE_ENV"),
    "assessments_from_csv": ("parindex.io.assessment_csv", "assessments_from_csv"),
    # scoring
    "explain": ("parindex.scoring.explain", "explain"),
    "rank_csv": ("parindex.scoring.fast", "rank_csv"),
    # planning
    "by_agency": ("parindex.analysis.planning.agency", "by_agency"),
    "compare": ("parindex.analysis.planning.compare", "compare"),
    "compare_stages": ("parindex.analysis.planning.compare", "compare_stages"),
    "evaluate_targets": ("parindex.analysis.planning.evaluate", "evaluate"),
    "find_responsibility_map": ("parindex.analysis.planning.responsibility", "find_map"),
    "gaps": ("parindex.analysis.planning.gaps", "gaps"),
    "load_measures": ("parindex.analysis.planning.targets", "load_measures"),
    "load_rulesets": ("parindex.analysis.planning.inputs", "load_rulesets"),
    "load_targets_with_lines": ("parindex.analysis.planning.targets", "load_targets_with_lines"),
    "locate_target_error": ("parindex.analysis.planning.targets", "locate"),
    "parse_depth": ("parindex.analysis.planning.gaps", "parse_depth"),
    "read_card": ("parindex.analysis.planning.inputs", "read_card"),
    "read_cards": ("parindex.analysis.planning.inputs", "read_cards"),
    # sensitivity
    "SensitivitySpec": ("parindex.analysis.sensitivity", "Spec"),
    "parse_sensitivity_assignments": ("parindex.analysis.sensitivity", "parse_assignments"),
    "run_sensitivity": ("parindex.analysis.sensitivity", "run"),
    # reproduction of published results
    "datasets_table": ("parindex.analysis.reproduce", "datasets_table"),
    "list_datasets": ("parindex.analysis.reproduce", "list_datasets"),
    "render_reproduction_csv": ("parindex.analysis.reproduce", "render_csv"),
    "render_reproduction_json": ("parindex.analysis.reproduce", "render_json"),
    "render_reproduction_text": ("parindex.analysis.reproduce", "render_text"),
    "reproduce_dataset": ("parindex.analysis.reproduce", "reproduce_dataset"),
    "reproduce_file": ("parindex.analysis.reproduce", "reproduce_file"),
    "dimension_groups": ("parindex.analysis.reproduce", "dimension_groups"),
    "render_dimension_groups": ("parindex.analysis.reproduce", "render_dimension_groups"),
    # for plugins: reading text files line by line, with the line of a bad byte named
    "open_binary": ("parindex.io.csvlines", "open_binary"),
    "utf8_lines": ("parindex.io.csvlines", "utf8_lines"),
    # authoring
    "diff_rulesets": ("parindex.authoring.diff", "diff_rulesets"),
    "import_table": ("parindex.authoring.importer", "import_table"),
    "json_schema": ("parindex.authoring.schemas", "json_schema"),
    "new_ruleset": ("parindex.authoring.scaffold", "new_ruleset"),
    "parse_years": ("parindex.authoring.scaffold", "parse_years"),
    "run_cases": ("parindex.authoring.yamltests", "run_cases"),
    "schema_files": ("parindex.authoring.schemas", "schema_files"),
}


# Hidden from mypy: it sees the names in the TYPE_CHECKING block, and flags any other name.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        try:
            module, attr = COMMAND_LINE_FACE[name]
        except KeyError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        # Looked up on every use, not cached here: a test that replaces the home module's function
        # (say, io.files.atomic_write_bytes with a spy) then sees the command line call it.
        return getattr(importlib.import_module(module), attr)


def __dir__() -> list[str]:
    return sorted({*globals(), *COMMAND_LINE_FACE})


__all__ = [
    "FAST_BATCH_MIN",
    "LineMap",
    "PathLike",
    "RulesetInfo",
    "default_registry",
    "detect_kind",
    "get_ruleset",
    "list_rulesets",
    "load_assessment",
    "load_assessment_file",
    "load_ruleset",
    "rank",
    "rank_assessments",
    "score",
    "score_csv",
    "score_many",
    "score_summary",
    "validate_file",
    "with_parameters",
]
#: The command line's face (:data:`COMMAND_LINE_FACE`), imported on first use.
__all__ += [
    "PLUGIN_DISABLE_ENV",
    "SensitivitySpec",
    "assessments_from_csv",
    "atomic_write_bytes",
    "atomic_write_text",
    "by_agency",
    "compare",
    "compare_stages",
    "datasets_table",
    "diff_rulesets",
    "dimension_groups",
    "evaluate_targets",
    "explain",
    "find_responsibility_map",
    "gaps",
    "import_table",
    "json_schema",
    "list_datasets",
    "load_measures",
    "load_rulesets",
    "load_targets_with_lines",
    "load_yaml_file",
    "locate_target_error",
    "new_ruleset",
    "open_binary",
    "parse_depth",
    "parse_sensitivity_assignments",
    "parse_years",
    "protect_inputs",
    "rank_csv",
    "read_card",
    "read_cards",
    "render_dimension_groups",
    "render_reproduction_csv",
    "render_reproduction_json",
    "render_reproduction_text",
    "reproduce_dataset",
    "reproduce_file",
    "run_cases",
    "run_sensitivity",
    "schema_files",
    "utf8_lines",
]
