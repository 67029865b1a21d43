"""Typed errors of the planning commands (gaps, responsibility maps, targets, compare, report).

Each is a :class:`parindex.model.errors.ParindexError`, so it carries the file, line, node code and
field it concerns and the command line prints it as ``file:line: [node code] message``.
"""

from __future__ import annotations

from parindex.model.errors import InputFileError, ParindexError, SchemaError


class PlanningError(ParindexError):
    """A planning input is inconsistent with the score cards it is applied to."""

    kind = "planning"


class ScoreCardFileError(InputFileError):
    """A score card JSON file cannot be read (bad JSON or not a score card)."""

    kind = "scorecard-file"


class ResponsibilityMapError(SchemaError):
    """A responsibility map is malformed."""

    kind = "responsibility-map"


class TargetsFileError(SchemaError):
    """A targets or measures file is malformed."""

    kind = "targets"


__all__ = ["PlanningError", "ResponsibilityMapError", "ScoreCardFileError", "TargetsFileError"]
