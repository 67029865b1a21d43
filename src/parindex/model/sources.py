"""What a plugin hands the core: where its ruleset files are.

Plain data with no dependency on the rest of parindex, so that a plugin needs only
:mod:`parindex.model` and :mod:`parindex.hookspecs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RulesetSource:
    """A ruleset file offered by a plugin. ``ruleset_id`` lets the file be parsed only when used."""

    path: Path
    ruleset_id: str | None = None


def rulesets_in(directory: Path) -> list[RulesetSource]:
    """Every ``<id>/<version>.yaml`` under ``directory`` (deeper files, e.g. params, are not)."""
    if not directory.is_dir():
        return []
    return [
        RulesetSource(p, p.parent.name)
        for p in sorted(directory.glob("*/*.yaml"))
        if not p.name.startswith(".")
    ]


__all__ = ["RulesetSource", "rulesets_in"]
