"""Discovering and running plugins, with failures isolated and reported by name."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pluggy

from parindex import hookspecs

hookimpl = pluggy.HookimplMarker("parindex")

ENTRY_POINT_GROUP = "parindex"
#: Comma-separated plugin names to skip; ``*`` skips every entry-point plugin.
DISABLE_ENV = "PARINDEX_DISABLE_PLUGINS"


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


@dataclass
class PluginStatus:
    name: str
    origin: str
    state: str = "loaded"  # loaded | failed | disabled
    errors: list[str] = field(default_factory=list)
    provides: dict[str, int] = field(default_factory=dict)

    def fail(self, message: str) -> None:
        self.state = "failed" if self.state == "loaded" and not self.provides else self.state
        self.errors.append(message)


def _disabled() -> set[str]:
    raw = os.environ.get(DISABLE_ENV, "")
    return {p.strip() for p in raw.split(",") if p.strip()}


class PluginHost:
    """Loads plugins from entry points (and any given explicitly) and collects their answers."""

    def __init__(self, extra: Iterable[object] = (), *, entry_points: bool = True) -> None:
        self.pm = pluggy.PluginManager("parindex")
        self.pm.add_hookspecs(hookspecs)
        self.status: dict[str, PluginStatus] = {}
        disabled = _disabled()
        if entry_points:
            for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
                if ep.name in self.status:
                    continue
                st = PluginStatus(ep.name, ep.value)
                self.status[ep.name] = st
                if ep.name in disabled or "*" in disabled:
                    st.state = "disabled"
                    continue
                try:
                    plugin = ep.load()
                    self.pm.register(plugin, name=ep.name)
                except Exception as exc:
                    st.state = "failed"
                    st.errors.append(f"import failed: {type(exc).__name__}: {exc}")
        for i, plugin in enumerate(extra):
            name = getattr(plugin, "__name__", None) or f"plugin-{i}"
            st = PluginStatus(name, "given in code")
            self.status[name] = st
            try:
                self.pm.register(plugin, name=name)
            except Exception as exc:
                st.state = "failed"
                st.errors.append(f"registration failed: {type(exc).__name__}: {exc}")

    def collect(self, hook: str) -> Iterator[tuple[str, Any]]:
        """Each plugin's items for ``hook``; a plugin whose hook raises is reported and skipped."""
        caller = getattr(self.pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            st = self.status.setdefault(impl.plugin_name, PluginStatus(impl.plugin_name, "?"))
            try:
                items = impl.function()
                items = list(items or [])
            except Exception as exc:
                st.state = "failed"
                st.errors.append(f"{hook} failed: {type(exc).__name__}: {exc}")
                continue
            st.provides[hook] = st.provides.get(hook, 0) + len(items)
            for item in items:
                yield impl.plugin_name, item

    def report(self, plugin: str, message: str) -> None:
        self.status.setdefault(plugin, PluginStatus(plugin, "?")).errors.append(message)
