"""Which rulesets have batch-relative groups, and the rules that cut a batch into them.

The groupings come from plugins (``parindex_group_rules``, see
:mod:`parindex.model.group_rules`); this module looks them up in a registry (the process-wide one
by default) and applies a rule to each code of a batch. The core names no index here: a ruleset
is batch-grouped because a plugin's grouping lists it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from parindex.io.registry import Registry, default_registry
from parindex.model.group_rules import GroupedBatch, Grouping, GroupRule, GroupRuleError


def _reg(registry: Registry | None) -> Registry:
    return registry or default_registry()


def groupings(registry: Registry | None = None) -> dict[str, Grouping]:
    """Every registered grouping, by name."""
    return dict(_reg(registry).groupings)


def grouping_of(ruleset_id: str, registry: Registry | None = None) -> Grouping | None:
    """The grouping of ``ruleset_id`` across a batch; None when its groups are fixed bands."""
    return _reg(registry).grouping_of(ruleset_id)


def group_rules(registry: Registry | None = None) -> dict[str, GroupRule]:
    """Every registered rule, by ``grouping.rule`` name."""
    return {f"{g.name}.{r.name}": r for g in _reg(registry).groupings.values() for r in g.rules}


def group_rule(name: str, registry: Registry | None = None) -> GroupRule:
    """The rule ``grouping.rule``, or a bare rule name that one grouping alone has."""
    rules = group_rules(registry)
    if name in rules:
        return rules[name]
    bare = [r for qualified, r in rules.items() if qualified.split(".", 1)[1] == name]
    if len(bare) == 1:
        return bare[0]
    known = ", ".join(rules) or "none (no plugin registers a grouping)"
    what = "ambiguous" if bare else "unknown"
    raise GroupRuleError(f"{what} group rule {name!r}; rules: {known}", field="rule")


def batch_rule_names(registry: Registry | None = None) -> list[str]:
    """The names of the rules that need nothing but the batch, in registration order."""
    names: dict[str, None] = {}
    for g in _reg(registry).groupings.values():
        names.update(dict.fromkeys(r.name for r in g.batch_rules))
    return list(names)


def group_each(
    rows: Mapping[str, Mapping[str, Decimal]],
    codes: Sequence[str],
    rule: GroupRule,
    cuts: Sequence[Decimal] | None = None,
) -> dict[str, GroupedBatch]:
    """The groups of every code across a batch: ``rows`` maps a unit to its values by code; a unit
    without a value for a code is left out of that code's batch."""
    return {
        code: rule.assign({u: p[code] for u, p in rows.items() if code in p}, cuts)
        for code in codes
    }


__all__ = [
    "batch_rule_names",
    "group_each",
    "group_rule",
    "group_rules",
    "grouping_of",
    "groupings",
]
