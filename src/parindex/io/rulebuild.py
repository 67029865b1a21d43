"""Building :class:`~parindex.model.rules.Rule` objects from the ``rule:`` mappings of a ruleset.

A ruleset's YAML names each rule by kind (``rule: {kind: tiers, bands: [...]}``); the kinds are
classes the plugins register. Both a whole ruleset (:mod:`parindex.io.loading`) and the nodes an
amendment adds or overrides (:mod:`parindex.io.amend`) are built here, so an unknown kind or a bad
rule is reported the same way, at the line of the rule, naming the node.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from parindex.io.schema_errors import schema_error
from parindex.model.errors import UnknownRuleKindError
from parindex.model.locations import LineMap, Path_
from parindex.model.rules import Rule
from parindex.model.text import text_of

#: The registered rule kinds, by the name a ruleset writes in ``kind:``.
RuleKinds = Mapping[str, type[Rule]]


def convert_rules(data: Any, path: Path_, kinds: RuleKinds, lines: LineMap) -> Any:
    """``data`` with each ``rule:`` mapping replaced by an instance of its registered kind."""
    if isinstance(data, list):
        return [convert_rules(item, (*path, i), kinds, lines) for i, item in enumerate(data)]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        sub = (*path, key)
        if key == "rule" and isinstance(value, dict):
            out[key] = make_rule(value, sub, data, kinds, lines)
        elif key in {"nodes", "children", "views"} or (len(path) >= 1 and path[-1] == "views"):
            out[key] = convert_rules(value, sub, kinds, lines)
        else:
            out[key] = value
    return out


def make_rule(
    spec: dict[str, Any], path: Path_, node: dict[str, Any], kinds: RuleKinds, lines: LineMap
) -> Rule:
    """The rule ``spec`` (written at ``path``, in ``node``) as an instance of its kind."""
    code = text_of(node.get("code")) if node.get("code") is not None else None
    kind = str(spec.get("kind"))
    if kind not in kinds:
        known = ", ".join(sorted(kinds))
        raise UnknownRuleKindError(
            f"unknown rule kind {kind!r}; known kinds: {known}",
            file=lines.file,
            line=lines.line_of((*path, "kind")),
            code=code,
            hint="a plugin may register more kinds; see `parindex plugins`",
        )
    try:
        return kinds[kind].model_validate(spec)
    except ValidationError as exc:
        err = schema_error(exc, {}, lines, prefix=path, what="rule")
        err.code = code
        for other in err.related:
            other.code = code
        raise err from None


__all__ = ["RuleKinds", "convert_rules", "make_rule"]
