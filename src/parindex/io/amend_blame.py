"""Blaming a problem of an amended ruleset on the change of the amendment that caused it.

The amended ruleset is validated as a whole, like any ruleset, so a problem is found in the
*result* (say, node 1.1's children no longer add up to its maximum). The author needs to hear
which line of the amendment did it: ``overrides.1.1.4: override of 1.1.4 (maximum 1 → 3) breaks
the sum of 1.1: ...``. Each change is recorded as a :class:`Change` while it is applied; here a
problem is matched to the changes of its node (or of its children) and re-located at the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex.io.amendment import Amendment
from parindex.model.decimals import ZERO, canonical
from parindex.model.documents import Node, Ruleset
from parindex.model.errors import BandError, MaximumSumError, ParindexError
from parindex.model.locations import LineMap, Path_


@dataclass
class Change:
    """One change the amendment makes, for blaming validation problems on it."""

    kind: str  # override | add | remove | header
    code: str  # the node code, or the header field's name
    parent: str | None  # the node's parent code (None: top level)
    view: str
    path: Path_  # where it is written in the amendment file
    label: str  # what it changes, in words

    @property
    def where(self) -> str:
        return ".".join(str(p) for p in self.path)


def show(value: Any) -> str:
    """A value in a change's label: decimals canonically, an absent value as "none"."""
    if value is None:
        return "none"
    if isinstance(value, Decimal):
        return canonical(value)
    return str(value)


def blame(
    problem: ParindexError,
    changes: list[Change],
    added_paths: dict[str, tuple[int, Path_]],
    result: Ruleset,
    lines: LineMap,
    spec: Amendment,
) -> ParindexError:
    """``problem`` (found in the amended ruleset) re-located at the change that caused it."""
    code = problem.code
    if isinstance(problem, MaximumSumError):
        target = f"the sum of {code}" if code is not None else "the ruleset total"
    else:
        target = f"node {code}" if code is not None else "the ruleset"
    if code is not None and code in added_paths:
        i, path = added_paths[code]
        op = next(o for o in changes if o.kind == "add" and o.path == ("add", i))
        message = f"{op.label} breaks {target}: {problem.message}"
        return _relocated(problem, message, path, lines, _sum_hint(problem, code, result))
    if isinstance(problem, BandError):
        causes = [o for o in changes if o.kind == "header" and o.code == "groups"]
    elif code is None:
        causes = [o for o in changes if o.kind == "header" and o.code == "maximum"]
        causes += [o for o in changes if o.kind != "header" and o.parent is None]
    else:
        causes = [o for o in changes if o.kind != "header" and (o.code == code or o.parent == code)]
    if not causes:
        message = f"after applying the amendment to {spec.extends.describe()}: {problem.message}"
        return _relocated(problem, message, ("extends",), lines, None)
    if len(causes) == 1:
        message = f"{causes[0].label} breaks {target}: {problem.message}"
    else:
        listed = "; ".join(f"{o.label} ({o.where})" for o in causes)
        message = f"together, {listed} break {target}: {problem.message}"
    return _relocated(problem, message, causes[0].path, lines, _sum_hint(problem, code, result))


def _find(ruleset: Ruleset, code: str | None) -> Node | None:
    if code is None:
        return None
    found = ruleset.find(code)
    return found[1] if found else None


def _sum_hint(problem: ParindexError, code: str | None, result: Ruleset) -> str | None:
    if not isinstance(problem, MaximumSumError):
        return None
    node = _find(result, code)
    if node is not None:
        maxima, stated, name = [c.maximum for c in node.children], node.maximum, code
    else:
        tops = result.nodes
        maxima, stated, name = [t.maximum for t in tops], result.maximum, "the ruleset"
    if stated is None or any(m is None for m in maxima):
        return None
    total = sum((m for m in maxima if m is not None), ZERO)
    gap = total - stated
    own = "the ruleset maximum" if node is None else f"the maximum of {name} (and its parents')"
    more, verb, other = (gap, "more", "lower") if gap > 0 else (-gap, "less", "raise")
    return (
        f"the parts now add up to {canonical(total)}, {canonical(more)} {verb} than"
        f" {canonical(stated)}: {other} other parts of {name} by {canonical(more)} in total, or"
        f" change {own} in the same amendment"
    )


def _relocated(
    problem: ParindexError, message: str, path: Path_, lines: LineMap, hint: str | None
) -> ParindexError:
    made = type(problem)(
        message,
        file=lines.file,
        line=lines.line_of(path),
        code=problem.code,
        field=".".join(str(p) for p in path),
        hint=hint or problem.hint,
    )
    return made


__all__ = ["Change", "blame", "show"]
