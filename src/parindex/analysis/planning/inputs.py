"""Reading the inputs of the planning commands: score cards, assessments and batches.

A SCORECARD is the JSON written by ``parindex score X --format json``; an ASSESSMENT is the YAML
that ``parindex score`` reads. Which one a file holds is decided by its content (a JSON object
with ``receipt`` and ``nodes`` is a score card), never by its name. A ``.csv`` file is a batch in
the format of ``parindex rank`` (columns ruleset, year, unit, then node codes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parindex.analysis.planning.errors import ScoreCardFileError
from parindex.io.assessment_csv import assessments_from_csv
from parindex.io.loading import LocatedAssessment, located_assessment
from parindex.io.registry import Registry, default_registry
from parindex.io.resolve import load_ruleset
from parindex.io.yamlfile import load_yaml, read_text
from parindex.model.documents import Assessment, Ruleset, ScoreCard
from parindex.model.errors import ParindexError, UnknownRulesetError, YearNotCoveredError
from parindex.model.locations import LineMap
from parindex.scoring.engine import content_hash
from parindex.scoring.scorer import score

PathLike = str | Path


def load_rulesets(paths: Iterable[PathLike]) -> list[Ruleset]:
    """Rulesets from YAML files (for ids that no installed plugin provides)."""
    return [load_ruleset(p) for p in paths]


def _is_card(data: Any) -> bool:
    return isinstance(data, dict) and "receipt" in data and "nodes" in data and "unit" in data


def _line_of_key(text: str, key: str | int) -> int | None:
    if isinstance(key, int):
        return None
    match = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def card_from_data(data: Any, text: str, file: PathLike) -> ScoreCard:
    try:
        return ScoreCard.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "scorecard"
        line = _line_of_key(text, loc[-1]) if loc else None
        raise ScoreCardFileError(
            f"not a valid score card: {err['msg']}", file=file, line=line, field=field
        ) from None


def pick_ruleset(
    assessment: Assessment, rulesets: Sequence[Ruleset], registry: Registry | None = None
) -> Ruleset:
    """The ruleset for ``assessment``: a given file with its id and year first, else a plugin's."""
    mine = [
        r
        for r in rulesets
        if r.id == assessment.ruleset
        and assessment.year in r.years
        and (assessment.version is None or r.version == assessment.version)
    ]
    if len(mine) > 1:
        raise ParindexError(
            f"several given rulesets cover {assessment.ruleset} {assessment.year}:"
            f" versions {', '.join(r.version for r in mine)}",
            field="ruleset",
        )
    if mine:
        return mine[0]
    reg = registry or default_registry()
    try:
        return reg.get(assessment.ruleset, assessment.year, assessment.version)
    except (UnknownRulesetError, YearNotCoveredError) as err:
        err.hint = err.hint or "give the ruleset file with --ruleset FILE"
        raise


def score_assessment(
    located: LocatedAssessment, rulesets: Sequence[Ruleset], registry: Registry | None = None
) -> ScoreCard:
    reg = registry or default_registry()
    try:
        ruleset = pick_ruleset(located.assessment, rulesets, reg)
        return located.mark(score(located.assessment, ruleset, registry=reg))
    except ParindexError as err:
        raise located.locate(err) from None


def read_card(
    path: PathLike, rulesets: Sequence[Ruleset] = (), registry: Registry | None = None
) -> ScoreCard:
    """One score card from a score-card JSON file or an assessment YAML (scored here)."""
    text = read_text(path)
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text, parse_float=str)
        except json.JSONDecodeError as exc:
            raise ScoreCardFileError(
                f"invalid JSON: {exc.msg}", file=path, line=exc.lineno
            ) from None
        if _is_card(data):
            return card_from_data(data, text, path)
        lines = LineMap(file=str(path))
    else:
        data, lines = load_yaml(text, file=path)
        if _is_card(data):
            return card_from_data(data, text, path)
    located = located_assessment(data, lines)  # with the survey fragments it lists
    return score_assessment(located, rulesets, registry)


def read_cards(
    paths: Iterable[PathLike], rulesets: Sequence[Ruleset] = (), registry: Registry | None = None
) -> list[ScoreCard]:
    """Score cards from any mix of score-card JSON, assessment YAML and batch CSV files."""
    cards: list[ScoreCard] = []
    for path in paths:
        if str(path).lower().endswith(".csv"):
            for assessment in assessments_from_csv(path):
                located = LocatedAssessment(assessment, LineMap(file=str(path)))
                cards.append(score_assessment(located, rulesets, registry))
        else:
            cards.append(read_card(path, rulesets, registry))
    return cards


def ruleset_of(
    card: ScoreCard, rulesets: Sequence[Ruleset] = (), registry: Registry | None = None
) -> Ruleset | None:
    """The exact ruleset that scored ``card`` (same id, version and content hash), if at hand."""
    for r in rulesets:
        if r.id == card.ruleset and r.version == card.version:
            return r if content_hash(r) == card.receipt.content_hash else None
    reg = registry or default_registry()
    try:
        r = reg.get(card.ruleset, version=card.version)
    except ParindexError:
        return None
    return r if content_hash(r) == card.receipt.content_hash else None


__all__ = ["load_rulesets", "pick_ruleset", "read_card", "read_cards", "ruleset_of"]
