"""Yearly parameter files: maxima a decision leaves to yearly guidance (e.g. Sơn La's fields)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from parindex.io.loading import schema_error
from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, load_yaml_file
from parindex.model.documents import Dec, Frozen, Node, Ruleset, Source, Status, Whole
from parindex.model.errors import ParindexError, RulesetError, UnknownCodeError
from parindex.model.locations import LineMap
from parindex.model.validation import validate_structure


class Parameters(Frozen):
    parameters_for: str
    year: Whole
    source: Source
    status: Status = "unverified"
    note: str | None = None
    maxima: dict[str, Dec] = Field(default_factory=dict)


def parameters_from_data(data: Any, lines: LineMap | None = None) -> Parameters:
    lines = lines or LineMap()
    if isinstance(data, dict) and isinstance(data.get("maxima"), dict):
        data = {**data, "maxima": {str(k): v for k, v in data["maxima"].items()}}
    try:
        return Parameters.model_validate(data)
    except ValidationError as exc:
        raise schema_error(exc, data, lines, what="parameters") from None


def load_parameters_file(
    path: str | Path, limits: Limits = DEFAULT_LIMITS
) -> tuple[Parameters, LineMap]:
    data, lines = load_yaml_file(path, limits)
    return parameters_from_data(data, lines), lines


def apply_parameters(
    ruleset: Ruleset, params: Parameters, lines: LineMap | None = None, year: int | None = None
) -> Ruleset:
    """A copy of ``ruleset`` with the given maxima, validated as a whole.

    Each node that receives a maximum records the parameter file's source and status as the
    maximum's (``maximum_source``, ``maximum_status``); the node keeps its own source and status,
    and the score card flags an unverified maximum as it does an unverified rule.
    """
    lines = lines or LineMap()
    if params.parameters_for != ruleset.id:
        raise RulesetError(
            f"parameters are for {params.parameters_for!r}, not {ruleset.id!r}",
            file=lines.file,
            line=lines.line_of(("parameters_for",)),
        )
    if params.year not in ruleset.years or (year is not None and params.year != year):
        raise RulesetError(
            f"parameters are for {params.year}; the ruleset covers"
            f" {', '.join(map(str, ruleset.years))}"
            + (f" and {year} is being scored" if year else ""),
            file=lines.file,
            line=lines.line_of(("year",)),
        )
    known = {n.code for _, n in ruleset.all_nodes()}
    for code in params.maxima:
        if code not in known:
            raise UnknownCodeError(
                f"unknown node code {code!r} in maxima",
                file=lines.file,
                line=lines.line_of(("maxima", code)),
                code=code,
            )

    def patch(node: Node) -> Node:
        update: dict[str, Any] = {"children": tuple(patch(c) for c in node.children)}
        if node.code in params.maxima:
            update.update(
                maximum=params.maxima[node.code],
                maximum_source=params.source,
                maximum_status=params.status,
            )
        return node.model_copy(update=update)

    views = {
        k: v.model_copy(update={"nodes": tuple(patch(n) for n in v.nodes)})
        for k, v in ruleset.views.items()
    }
    patched = ruleset.model_copy(
        update={
            "nodes": tuple(patch(n) for n in ruleset.nodes),
            "views": views,
            "years": (params.year,),
            "version": f"{ruleset.version}+params{params.year}",
        }
    )
    problems = validate_structure(patched)
    if problems:
        first: ParindexError = problems[0]
        for p in problems:
            p.file = lines.file
            p.line = (
                lines.line_of(("maxima", p.code))
                if p.code in params.maxima
                else (lines.line_of(("maxima",)))
            )
            p.message = p.message + " (after applying the parameter file)"
        first.related = problems[1:]
        raise first
    return patched
