"""parindex's standard rule kinds, as a plugin (entry point group ``parindex``)."""

from __future__ import annotations

from parindex.hookspecs import hookimpl
from parindex.model.rules import Rule
from parindex_core_rules.kinds import STANDARD_KINDS


@hookimpl
def parindex_rule_kinds() -> list[type[Rule]]:
    return list(STANDARD_KINDS)
