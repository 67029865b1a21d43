"""Finding the ruleset a caller means: a registered version by id and year (strictly), a ruleset
file or plain data, with a yearly parameter file applied.

These are the functions :mod:`parindex.api` offers under the same names. They live here, below
the scoring layer, so that every layer above (the compiled batch path, the analyses, the
authoring tools) can use them without importing the API it sits under.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from parindex.io.loading import assessment_from_data, load_assessment_file, ruleset_from_data
from parindex.io.parameters import Parameters, apply_parameters, load_parameters_file
from parindex.io.registry import Registry, default_registry
from parindex.io.yamlfile import load_yaml_file
from parindex.model.documents import Assessment, Ruleset
from parindex.model.errors import UnknownRulesetError, YearNotCoveredError

PathLike = str | Path


def registry_or_default(registry: Registry | None) -> Registry:
    """``registry``, or the process-wide one built from the installed plugins."""
    return registry or default_registry()


def with_parameters(
    ruleset: Ruleset, params: PathLike | Parameters, year: int | None = None
) -> Ruleset:
    """Apply a yearly parameter file (path or :class:`Parameters`) and validate the result."""
    if isinstance(params, Parameters):
        return apply_parameters(ruleset, params, year=year)
    p, lines = load_parameters_file(params)
    return apply_parameters(ruleset, p, lines, year=year)


def get_ruleset(
    ruleset_id: str,
    year: int | None = None,
    *,
    version: str | None = None,
    params: PathLike | Parameters | None = None,
    registry: Registry | None = None,
) -> Ruleset:
    """The ruleset version covering ``year``; raises :class:`YearNotCoveredError` otherwise."""
    ruleset = registry_or_default(registry).get(ruleset_id, year, version)
    if params is not None:
        ruleset = with_parameters(ruleset, params, year=year)
    return ruleset


def load_ruleset(source: PathLike | Mapping[str, Any], registry: Registry | None = None) -> Ruleset:
    """Read and validate a ruleset from a YAML file or from plain data.

    An amendment (``extends:``) finds a base named by id and version in ``registry`` (default:
    the installed plugins')."""
    reg = registry_or_default(registry)
    if isinstance(source, Mapping):
        return ruleset_from_data(dict(source), reg.rule_kinds, resolve=reg.resolve_base)
    data, lines = load_yaml_file(source)
    return ruleset_from_data(data, reg.rule_kinds, lines, resolve=reg.resolve_base)


def load_assessment(source: PathLike | Mapping[str, Any]) -> Assessment:
    """Read and check the shape of an assessment from a YAML file or plain data."""
    if isinstance(source, Mapping):
        return assessment_from_data(dict(source))
    return load_assessment_file(source).assessment


def ruleset_for(assessment: Assessment, registry: Registry) -> Ruleset:
    """The registered ruleset version ``assessment`` names (id, year and optional version).

    An error names the field of the assessment that does not fit (``year``, ``version`` or
    ``ruleset``), so a reader can place it at that field's line."""
    try:
        return registry.get(assessment.ruleset, assessment.year, assessment.version)
    except (UnknownRulesetError, YearNotCoveredError) as err:
        if err.field is None:
            if isinstance(err, YearNotCoveredError):
                err.field = "year"
            elif assessment.version is not None and assessment.ruleset in registry.ids():
                err.field = "version"
            else:
                err.field = "ruleset"
        raise


def detect_kind(data: Any) -> str:
    """What a YAML document is: ``ruleset`` (an amendment too), ``parameters`` or ``assessment``."""
    if isinstance(data, dict):
        if ("nodes" in data and "id" in data) or "extends" in data:  # extends: an amendment
            return "ruleset"
        if "parameters_for" in data:
            return "parameters"
    return "assessment"


__all__ = [
    "PathLike",
    "detect_kind",
    "get_ruleset",
    "load_assessment",
    "load_ruleset",
    "registry_or_default",
    "ruleset_for",
    "with_parameters",
]
