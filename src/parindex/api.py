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
    located_assessment,
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
from parindex.model.errors import (
    AssessmentError,
    ConfigError,
    ParindexError,
    YearNotCoveredError,
)
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
    from parindex.io.csvlines import open_binary, utf8_blocks, utf8_lines
    from parindex.io.files import atomic_write_bytes, atomic_write_text, protect_inputs
    from parindex.io.forms import read_cover
    from parindex.io.plugins import DISABLE_ENV as PLUGIN_DISABLE_ENV
    from parindex.scoring.explain import explain
    from parindex.scoring.fast import rank_csv
    from parindex.scoring.fast.csvrank import rank_columns


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


def _is_fragment(data: Any) -> bool:
    # (survey fragments, their step templates and the survey maps are imported for a survey)
    from parindex.io.survey_fragment import is_fragment

    return is_fragment(data)


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
    elif _is_fragment(data):  # a survey points fragment: checked against its ruleset
        from parindex.analysis.survey import check_fragment
        from parindex.io.survey_fragment import fragment_from_data

        fragment = fragment_from_data(data, lines.file, lines.line_of)
        check_fragment(fragment, _fragment_ruleset(fragment, reg, lines), lines.line_of)
        return "survey fragment"
    else:
        located = located_assessment(data, lines)  # with the fragments it lists merged
        assessment = located.assessment
        try:
            if ruleset is not None and not isinstance(ruleset, Ruleset):
                ruleset = load_ruleset(ruleset, registry)
            score(assessment, ruleset, params=params, registry=registry)
        except ParindexError as err:
            raise located.locate(err) from None
    return kind


def _fragment_ruleset(fragment: Any, reg: Registry, lines: Any) -> Ruleset:
    try:
        return reg.get(fragment.ruleset, fragment.year)
    except ParindexError as err:
        key = "year" if isinstance(err, YearNotCoveredError) else "ruleset"
        raise err.located(file=lines.file, line=lines.line_of((key,))) from None


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
    "rank_columns": ("parindex.scoring.fast.csvrank", "rank_columns"),
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
    # what a filled form says it was made for (its cover sheet)
    "read_cover": ("parindex.io.forms", "read_cover"),
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
    "utf8_blocks": ("parindex.io.csvlines", "utf8_blocks"),
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
    "rank_columns",
    "rank_csv",
    "read_card",
    "read_cards",
    "read_cover",
    "render_dimension_groups",
    "render_reproduction_csv",
    "render_reproduction_json",
    "render_reproduction_text",
    "reproduce_dataset",
    "reproduce_file",
    "run_cases",
    "run_sensitivity",
    "schema_files",
    "utf8_blocks",
    "utf8_lines",
]


# ------------------------------------------------------------- self-assessment forms (issue 15)
# Imported on use: openpyxl is needed only by the commands that read or write workbooks.
def write_forms(
    ruleset: Ruleset,
    year: int,
    units: Sequence[Any] = (),
    out: PathLike = ".",
    *,
    missing: str = "error",
    parameters: str | None = None,
    prefill: Assessment | PathLike | None = None,
) -> list[Path]:
    """Write one self-assessment workbook per unit (a :class:`Unit`, an id, or ``id=Name``) of
    ``ruleset`` (parameters applied) for ``year``; no unit: one blank form. ``out`` is a folder,
    or an ``.xlsx`` file when there is at most one unit. Returns the paths written.

    ``prefill``: an assessment (or its file) whose values, reasons and evidence fill the form of
    its own unit."""
    from parindex.io.files import atomic_write_bytes
    from parindex.model.documents import Unit
    from parindex.report.forms import form_workbook

    if year not in ruleset.years:
        raise YearNotCoveredError(ruleset.id, year, list(ruleset.years))
    from parindex.io.reference_data import abolished_reason

    # a ruleset file may claim years its level of government did not live to see (issue 16)
    reason = abolished_reason(ruleset.unit_kind, year, registry_or_default(None))
    if reason:
        raise ConfigError(
            f"ruleset {ruleset.id}: no {ruleset.unit_kind} forms for {year}: {reason}",
            field="--year",
        )
    wanted: list[Unit | None] = []
    for u in units:
        if isinstance(u, Unit):
            wanted.append(u)
        else:
            uid, _, name = str(u).partition("=")
            wanted.append(Unit(id=uid.strip(), name=name.strip() or None, kind=ruleset.unit_kind))
    filled: Assessment | None = None
    located: LocatedAssessment | None = None
    if isinstance(prefill, Assessment):
        filled = prefill
    elif prefill is not None:
        located = load_assessment_file(prefill)
        filled = located.assessment
    if filled is not None:
        if wanted:
            raise ParindexError(
                "a pre-filled form is for the assessment's own unit: give no --unit"
            )
        wanted = [filled.unit]
    target = Path(out)
    single = target.suffix.lower() == ".xlsx"
    if single and len(wanted) > 1:
        raise ParindexError(
            f"{len(wanted)} units need a folder for their forms, not the file {target}",
            field="output",
        )
    written = []
    for unit in wanted or [None]:
        try:
            data = form_workbook(
                ruleset, year, unit, missing=missing, parameters=parameters, prefill=filled
            )
        except ParindexError as err:
            if located is not None:
                raise located.locate(err) from None
            raise
        if single:
            path = target
        else:
            uid = unit.id if unit else ""
            stem = "".join(c if c.isalnum() or c in "-_." else "-" for c in uid)
            path = target / f"{stem or 'form'}.xlsx"
            path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
        written.append(path)
    return written


def filled_form(
    path: PathLike,
    ruleset: Ruleset | PathLike | None = None,
    *,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> Any:
    """A filled form read back (a :class:`parindex.io.forms.FilledForm`: the assessment and the
    cell of every input), after checking that it was made from this very ruleset content."""
    from parindex.io.forms import COVER_KEYS, COVER_SHEET, read_cover
    from parindex.io.forms import read_form as read_cells
    from parindex.scoring.engine import content_hash

    cover = read_cover(path)
    hash_cell = f"C{5 + [k for k, _ in COVER_KEYS].index('content_hash')}"
    try:
        if ruleset is None:
            # a form made with yearly parameters names the version they made ("2021+params2023")
            base = cover.version.partition("+params")[0]
            rs = get_ruleset(cover.ruleset, cover.year, version=base, registry=registry)
        elif isinstance(ruleset, Ruleset):
            rs = ruleset
        else:
            rs = load_ruleset(ruleset, registry)
        if params is not None:
            rs = with_parameters(rs, params, year=cover.year)
    except ParindexError as err:
        err.located(file=path)
        err.sheet = err.sheet or COVER_SHEET
        raise
    got = content_hash(rs)
    if got != cover.content_hash:
        raise AssessmentError(
            f"the form was made for {cover.ruleset} version {cover.version} ({cover.content_hash}),"
            f" but is being read with {rs.id} version {rs.version} ({got}); a form is read only"
            " with the ruleset content it was made from",
            file=path,
            sheet=COVER_SHEET,
            cell=hash_cell,
            hint="give the same --ruleset/--params the form was made with"
            + (f" (it was made with parameters: {cover.parameters})" if cover.parameters else "")
            + ", or make a new form with `parindex form`",
        )
    return read_cells(path, rs, cover), rs


def read_form(
    path: PathLike,
    ruleset: Ruleset | PathLike | None = None,
    *,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> Assessment:
    """The assessment in a filled self-assessment workbook written by :func:`write_forms`."""
    form, _ = filled_form(path, ruleset, params=params, registry=registry)
    assessment: Assessment = form.assessment
    return assessment


def score_form(
    path: PathLike,
    ruleset: Ruleset | PathLike | None = None,
    *,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> ScoreCard:
    """Score a filled form; every subtotal is computed again, and an error names the file,
    sheet, cell and node code."""
    form, rs = filled_form(path, ruleset, params=params, registry=registry)
    try:
        return score(form.assessment, rs, registry=registry)
    except ParindexError as err:
        raise form.locate(err, _self_at_fault(form.assessment, rs, err, registry)) from None


def _self_at_fault(
    assessment: Assessment, ruleset: Ruleset, err: ParindexError, registry: Registry | None
) -> bool:
    """Whether the error is in a node's self-assessed value rather than its appraised one: the
    engine scores the appraised values first, so the node scores without its self-assessed one."""
    entry = assessment.inputs.get(err.code or "")
    if entry is None or entry.self_ is None or entry.appraised is None:
        return False
    from parindex.model.documents import Entry

    inputs = {**assessment.inputs, err.code or "": Entry(value=entry.appraised)}
    try:
        score(assessment.model_copy(update={"inputs": inputs}), ruleset, registry=registry)
    except ParindexError as again:
        return again.code != err.code
    return True


def form_files(inputs: Sequence[PathLike]) -> list[Path]:
    """The workbooks named by ``inputs``: files as given, folders expanded to their ``*.xlsx``
    (sorted by name; spreadsheet programs' lock files ``~$…`` left out)."""
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found += sorted(f for f in p.glob("*.xlsx") if not f.name.startswith("~$"))
        else:
            found.append(p)
    return found


__all__ += ["filled_form", "form_files", "read_form", "score_form", "write_forms"]


# ------------------------------------------------------------------------- surveys (issue 16)
def load_survey_map(source: PathLike, registry: Registry | None = None) -> Any:
    """A survey map (:class:`parindex.model.survey_map.SurveyMap`) by shipped name or path."""
    from parindex.io.reference_data import find_reference
    from parindex.model.survey_map import survey_map_from_data

    data, lines = find_reference(source, "survey-map", registry_or_default(registry))
    return survey_map_from_data(data, lines)


def survey(
    answers: PathLike,
    ruleset: str | Ruleset,
    year: int,
    survey_map: Any,
    *,
    check_respondents: bool = False,
    registry: Registry | None = None,
) -> Any:
    """Stream raw answers into points for the ruleset's survey nodes, unit by unit (a
    :class:`parindex.analysis.survey.SurveyResult`; ``result.fragment(unit)`` is the assessment
    fragment of one unit)."""
    from parindex.analysis.survey import survey_points
    from parindex.model.survey_map import SurveyMap

    if not isinstance(survey_map, SurveyMap):
        survey_map = load_survey_map(survey_map, registry)
    if not isinstance(ruleset, Ruleset):
        ruleset = get_ruleset(ruleset, year, registry=registry)
    return survey_points(answers, survey_map, ruleset, year, check_respondents=check_respondents)


def read_survey_fragment(path: PathLike) -> Any:
    """A survey fragment file written by ``parindex survey -o DIR`` (YAML or JSON)."""
    from parindex.io.survey_fragment import read_fragment_file

    return read_fragment_file(path)


def score_with_survey(
    assessment: Assessment | PathLike,
    fragments: Sequence[PathLike],
    ruleset: Ruleset | None = None,
    *,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> ScoreCard:
    """Score the appraised part with the survey fragments' inputs added; the survey's unverified
    formula steps are flagged on the card (``unverified_codes``, notes)."""
    from parindex.analysis.survey import mark_card, merge_fragment

    located = None
    if isinstance(assessment, (str, Path)):
        located = load_assessment_file(assessment)
        assessment = located.assessment
    read = [read_survey_fragment(f) for f in fragments]
    for fragment in read:
        assessment = merge_fragment(assessment, fragment)
    try:
        card = score(assessment, ruleset, params=params, registry=registry)
    except ParindexError as err:
        raise (located.locate(err) if located else err) from None
    card = located.mark(card) if located else card  # the fragments the file lists itself
    for fragment in read:
        card = mark_card(card, fragment)
    return card


def render_survey_fragment(data: Mapping[str, Any], fmt: str = "yaml") -> str:
    """A survey fragment (from ``SurveyResult.fragment``) as YAML or JSON text."""
    from parindex.analysis.survey import render_fragment

    return render_fragment(data, fmt)


def survey_fragment_file_name(unit: str, fmt: str = "yaml") -> str:
    """The file name ``parindex survey -o DIR`` gives a unit's fragment (refuses unsafe ids)."""
    from parindex.analysis.survey import fragment_file_name

    return fragment_file_name(unit, fmt)


# ------------------------------------------------------------------------- history and regions
def load_regions(name: PathLike = "vn-regions-2023", registry: Registry | None = None) -> Any:
    """The provinces' socio-economic regions (:class:`parindex.analysis.regions.Regions`)."""
    from parindex.analysis.regions import load_regions as _load

    return _load(name, registry)


def load_reorganisation(
    name: PathLike = "vn-provinces-2025", registry: Registry | None = None
) -> Any:
    """The 2025 province reorganisation (:class:`parindex.analysis.regions.Reorganisation`)."""
    from parindex.analysis.regions import load_reorganisation as _load

    return _load(name, registry)


def history(
    unit: str | None = None,
    *,
    datasets: Sequence[str] | None = None,
    files: Sequence[PathLike] = (),
    cards: Sequence[ScoreCard] = (),
    ruleset: str = "moha.province",
    regions: str | None = "vn-regions-2023",
    reorganisation: str | None = "vn-provinces-2025",
    locale: str = "en",
    registry: Registry | None = None,
) -> tuple[list[Any], list[str]]:
    """A unit's (or every unit's) years: (rows, notes). ``datasets`` defaults to every bundled
    dataset of ``ruleset``; ``files`` are score cards (JSON) or assessments (YAML); ``cards``
    score cards already read."""
    from parindex.analysis.history import (
        history as _history,
    )
    from parindex.analysis.history import (
        merge_points,
        points_from_datasets,
        read_card_files,
        reorganisation_notes,
        version_changes,
    )
    from parindex.analysis.reproduce import list_datasets

    available = list_datasets(registry)
    if datasets is None:
        chosen = [d for d in available if ruleset in d.rulesets] if not (files or cards) else []
    else:
        by_name = {d.name: d for d in available}
        unknown = [n for n in datasets if n not in by_name]
        if unknown:
            raise ParindexError(
                f"no dataset named {', '.join(unknown)}", hint="datasets: " + ", ".join(by_name)
            )
        chosen = [by_name[n] for n in datasets]
    groups = points_from_datasets(chosen)
    if files:
        groups.append(read_card_files(list(files), lambda p: score(p, registry=registry)))
    if cards:
        from parindex.analysis.history import card_point

        groups.append([card_point(c, f"card: {c.unit.label} {c.year}") for c in cards])
    points = merge_points(groups)
    reg_data = load_regions(regions, registry) if regions else None
    reorg = load_reorganisation(reorganisation, registry) if reorganisation else None
    rows = _history(points, unit, regions=reg_data, reorganisation=reorg, locale=locale)
    notes = reorganisation_notes(unit, reorg) if unit else []

    def version_of(ruleset_id: str, year: int) -> Ruleset | None:
        try:
            return get_ruleset(ruleset_id, year, registry=registry)
        except ParindexError:
            return None

    notes += version_changes(rows, version_of)
    return rows, notes


def render_history(rows: Sequence[Any], notes: Sequence[str], fmt: str, locale: str = "en") -> str:
    """History rows as a table, JSON or CSV."""
    from parindex.analysis.history import render_csv, render_json, render_text

    if fmt == "json":
        return render_json(rows, notes, locale)
    if fmt == "csv":
        return render_csv(rows, locale)
    return render_text(rows, notes, locale)


def rank_within_regions(table: RankedTable, regions: PathLike = "vn-regions-2023") -> list[Any]:
    """``table`` ranked again inside each region: (region, table, provinces in the region)."""
    from parindex.analysis.regions import rank_within

    return rank_within(table, load_regions(regions))
