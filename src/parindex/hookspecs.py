"""Plugin hook specifications (pluggy). A plugin is a module or object with ``@hookimpl`` functions,
published under the entry-point group ``parindex``.

Each hook returns a list, and every plugin's answer is collected separately, so one failing plugin
is reported by name while the others keep working.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("parindex")


@hookspec
def parindex_rule_kinds() -> list[Any]:
    """Rule kinds: subclasses of :class:`parindex.model.rules.Rule` with a unique ``kind``."""
    return []


@hookspec
def parindex_rulesets() -> list[Any]:
    """Rulesets: :class:`parindex.io.plugins.RulesetSource` objects, paths to YAML files, or
    :class:`parindex.model.documents.Ruleset` instances."""
    return []


@hookspec
def parindex_datasets() -> list[Any]:
    """Published datasets that ``parindex reproduce --dataset NAME`` can check."""
    return []
