"""Scoring assessments given as objects, plain data, files or CSV rows: the ruleset found, a
parameter file applied, and every error located at the line of the input it comes from.

:func:`score`, :func:`score_many` and :func:`score_csv` are :mod:`parindex.api`'s functions of the
same names. They live here, in the scoring layer, so that the compiled batch path
(:mod:`parindex.scoring.fast`), which falls back to them for any input it cannot take, and the
analyses above it use them without importing the API. :func:`get_ruleset` and :func:`rank` are
re-exported for the same callers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from parindex.io.assessment_csv import rows_from_csv_text
from parindex.io.loading import LocatedAssessment, assessment_from_data, load_assessment_file
from parindex.io.parameters import Parameters
from parindex.io.registry import Registry
from parindex.io.resolve import PathLike, registry_or_default, ruleset_for, with_parameters
from parindex.io.resolve import get_ruleset as get_ruleset
from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, read_text
from parindex.model.documents import Assessment, Ruleset, ScoreCard
from parindex.model.errors import ParindexError
from parindex.scoring import engine
from parindex.scoring.ranking import rank as rank


def score(
    assessment: Assessment | PathLike | Mapping[str, Any],
    ruleset: Ruleset | None = None,
    *,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> ScoreCard:
    """Score one assessment. The ruleset is found by the assessment's id and year unless given."""
    reg = registry_or_default(registry)
    located: LocatedAssessment | None = None
    if isinstance(assessment, (str, Path)):
        located = load_assessment_file(assessment)
        assessment = located.assessment
    elif isinstance(assessment, Mapping):
        assessment = assessment_from_data(dict(assessment))
    try:
        if ruleset is None:
            ruleset = ruleset_for(assessment, reg)
        if params is not None:
            ruleset = with_parameters(ruleset, params, year=assessment.year)
        card = engine.score(ruleset, assessment, reg.default_rule())
    except ParindexError as err:
        if located is not None:
            raise located.locate(err) from None
        raise
    return located.mark(card) if located is not None else card  # the file's own survey list


def score_many(
    assessments: Iterable[Assessment | PathLike | Mapping[str, Any]],
    *,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> list[ScoreCard]:
    """Score a batch; rulesets are resolved once per (id, year)."""
    return [score(a, params=params, registry=registry) for a in assessments]


def score_csv(
    path: str | Path,
    *,
    params: str | Path | None = None,
    registry: Registry | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[ScoreCard]:
    """Read and score every row of a CSV; an error in any row names the file and the row's line.

    (:func:`score_many` on :func:`parindex.io.assessment_csv.assessments_from_csv` gives the same
    cards, but a scoring error there cannot say which row it came from.)
    """
    cards = []
    for line, assessment in rows_from_csv_text(read_text(path, limits), file=path):
        try:
            cards.append(score(assessment, params=params, registry=registry))
        except ParindexError as err:
            if err.file is None:  # not an error of another file (e.g. the parameter file)
                err.file, err.line = str(path), line
            raise err from None
    return cards


__all__ = ["get_ruleset", "rank", "score", "score_csv", "score_many"]
