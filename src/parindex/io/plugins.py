"""Discovering and running plugins, with failures isolated and reported by name.

A plugin that fails - it raises (or calls ``sys.exit``) while being imported, a hook raises or
returns something that is not a list, it implements a hook that does not exist (a misspelling), it
offers an invalid ruleset - is recorded in :attr:`PluginHost.status` under its entry-point name
and skipped; every other plugin keeps working. ``parindex plugins`` lists the failures.
``PARINDEX_DISABLE_PLUGINS=name1,name2`` (or ``*`` for all entry-point plugins) skips plugins
without importing them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pluggy

from parindex import hookspecs
from parindex.hookspecs import hookimpl
from parindex.model.sources import RulesetSource, rulesets_in

ENTRY_POINT_GROUP = "parindex"
#: Comma-separated plugin names to skip; ``*`` skips every entry-point plugin.
DISABLE_ENV = "PARINDEX_DISABLE_PLUGINS"

#: Re-exported for plugins written before they moved to :mod:`parindex.hookspecs` and
#: :mod:`parindex.model.sources`.
__all__ = [
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "PluginHost",
    "PluginStatus",
    "RulesetSource",
    "disabled_names",
    "hookimpl",
    "hookspecs_names",
    "rulesets_in",
]


@dataclass
class PluginStatus:
    name: str
    origin: str
    state: str = "loaded"  # loaded | failed | disabled
    errors: list[str] = field(default_factory=list)
    provides: dict[str, int] = field(default_factory=dict)

    def fail(self, message: str) -> None:
        """The plugin cannot be used at all (import or registration failed)."""
        self.state = "failed"
        self.errors.append(message)

    @property
    def summary(self) -> str:
        """The state, with the number of problems of a plugin that loaded but had some."""
        if self.state == "loaded" and self.errors:
            n = len(self.errors)
            return f"loaded, {n} problem{'s' if n > 1 else ''}"
        return self.state


#: Exceptions a plugin's code may raise that are caught and reported; KeyboardInterrupt is not.
PLUGIN_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"SystemExit({exc.code!r}): the plugin tried to end the program"
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    more = " …" if len(text.splitlines()) > 1 else ""
    return f"{type(exc).__name__}: {first}{more}" if first else type(exc).__name__


def disabled_names() -> set[str]:
    """The plugin names listed in ``PARINDEX_DISABLE_PLUGINS`` (``*``: all)."""
    raw = os.environ.get(DISABLE_ENV, "")
    return {p.strip() for p in raw.split(",") if p.strip()}


_disabled = disabled_names


def _quiet() -> contextlib.AbstractContextManager[Any]:
    """A plugin's ``print()`` while it is imported or its hooks run goes to standard error: the
    command's standard output (``score -f json``) carries only the command's output."""
    return contextlib.redirect_stdout(sys.stderr)


class PluginHost:
    """Loads plugins from entry points (and any given explicitly) and collects their answers."""

    def __init__(self, extra: Iterable[object] = (), *, entry_points: bool = True) -> None:
        self.pm = pluggy.PluginManager("parindex")
        self.pm.add_hookspecs(hookspecs)
        self.status: dict[str, PluginStatus] = {}
        disabled = disabled_names()
        #: Names in PARINDEX_DISABLE_PLUGINS that match no installed plugin (likely a typo).
        self.unknown_disabled: list[str] = []
        if entry_points:
            found = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
            for ep in found:
                if ep.name in self.status:
                    self.status[ep.name].errors.append(
                        f"another plugin is also named {ep.name!r} ({ep.value}); it was skipped"
                    )
                    continue
                st = PluginStatus(ep.name, ep.value)
                self.status[ep.name] = st
                if ep.name in disabled or "*" in disabled:
                    st.state = "disabled"
                    continue
                try:
                    with _quiet():
                        plugin = ep.load()
                except PLUGIN_FAILURES as exc:  # any failure in third-party code
                    st.fail(f"import failed: {_describe(exc)}")
                    continue
                self._register(plugin, ep.name, st)
            self.unknown_disabled = sorted(disabled - {ep.name for ep in found} - {"*"})
        for i, plugin in enumerate(extra):
            name = getattr(plugin, "__name__", None) or f"plugin-{i}"
            st = PluginStatus(name, "given in code")
            self.status[name] = st
            self._register(plugin, name, st)

    def _register(self, plugin: object, name: str, st: PluginStatus) -> None:
        try:
            self.pm.register(plugin, name=name)
        except PLUGIN_FAILURES as exc:
            st.fail(f"registration failed: {_describe(exc)}")
            return
        known = set(hookspecs_names())
        for caller in self.pm.get_hookcallers(plugin) or []:
            if caller.name not in known:
                st.errors.append(
                    f"implements {caller.name!r}, which is not a parindex hook"
                    f" (hooks: {', '.join(sorted(known))}); it is never called"
                )

    def collect(self, hook: str) -> Iterator[tuple[str, Any]]:
        """Each plugin's items for ``hook``; a plugin whose hook raises is reported and skipped.

        A hook must return a list (or another finite iterable); anything else is reported. The
        :class:`~parindex.model.documents.Ruleset` objects a ``parindex_rulesets`` hook returns
        are checked like ruleset files (sums of maxima, codes, tiers), and an invalid one is
        skipped.
        """
        caller = getattr(self.pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            st = self.status.setdefault(impl.plugin_name, PluginStatus(impl.plugin_name, "?"))
            try:
                with _quiet():
                    answer = impl.function()
                if answer is not None and (
                    isinstance(answer, (str, bytes, dict)) or not hasattr(answer, "__iter__")
                ):
                    raise TypeError(f"returned {type(answer).__name__}, not a list")
                items = list(answer or [])
            except PLUGIN_FAILURES as exc:
                st.state = "failed" if not st.provides else st.state
                st.errors.append(f"{hook} failed: {_describe(exc)}")
                continue
            if hook == "parindex_rulesets":
                items = [item for item in items if self._valid_object(impl.plugin_name, item)]
            st.provides[hook] = st.provides.get(hook, 0) + len(items)
            for item in items:
                yield impl.plugin_name, item

    def gather(
        self, hook: str, make_register: Callable[[list[Any]], Any]
    ) -> Iterator[tuple[str, Any]]:
        """Each plugin's registrations for the registration hook ``hook``.

        Every implementation is called with ``register=make_register(items)``, a callback that
        appends to ``items``; a plugin whose hook raises is reported, and what it registered
        before it failed is dropped (so it is never half there). Unlike :meth:`collect`, this may
        be called again (a new command-line parser gathers the commands anew).
        """
        caller = getattr(self.pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            st = self.status.setdefault(impl.plugin_name, PluginStatus(impl.plugin_name, "?"))
            items: list[Any] = []
            try:
                with _quiet():
                    impl.function(**{name: make_register(items) for name in impl.argnames})
            except PLUGIN_FAILURES as exc:
                self.report(impl.plugin_name, f"{hook} failed: {_describe(exc)}")
                continue
            st.provides[hook] = len(items)
            for item in items:
                yield impl.plugin_name, item

    def _valid_object(self, plugin: str, item: Any) -> bool:
        from parindex.model.documents import Ruleset

        if not isinstance(item, Ruleset):
            return True  # files are read (and checked) by the registry when first used
        from parindex.model.validation import validate_structure

        try:
            problems = validate_structure(item)
        except PLUGIN_FAILURES as exc:
            self.report(plugin, f"invalid ruleset object {item.id!r} skipped: {_describe(exc)}")
            return False
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.report(
                plugin,
                f"invalid ruleset object {item.id!r} {item.version!r} skipped: {problems[0]}{more}",
            )
            return False
        return True

    def report(self, plugin: str, message: str) -> None:
        """Record a problem of ``plugin`` (once: a problem found again is not repeated)."""
        errors = self.status.setdefault(plugin, PluginStatus(plugin, "?")).errors
        if message not in errors:
            errors.append(message)


def hookspecs_names() -> list[str]:
    """The names of the parindex hooks (``parindex_rule_kinds``, ...)."""
    return sorted(
        n for n in vars(hookspecs) if n.startswith("parindex_") and callable(getattr(hookspecs, n))
    )
