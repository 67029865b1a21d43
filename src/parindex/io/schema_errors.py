"""Turning a pydantic ``ValidationError`` into located :class:`SchemaError`\\ s.

Every reader of YAML (rulesets, amendments, assessments, parameter files, targets, maps) validates
with pydantic; this is the one place that maps pydantic's error locations back to the file's lines
and to the node code the problem is in.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from parindex.model.errors import SchemaError
from parindex.model.locations import LineMap, Path_
from parindex.model.text import text_of


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
            code = text_of(cur["code"])
    return code


def _loc_path(loc: tuple[int | str, ...]) -> Path_:
    # pydantic reports tagged/union members and aliases in loc; keep only real path steps.
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))


def schema_error(
    exc: ValidationError, data: Any, lines: LineMap, prefix: Path_ = (), what: str = "value"
) -> SchemaError:
    """The first problem of ``exc`` located in ``lines``, the others in its ``related``."""
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


__all__ = ["schema_error"]
