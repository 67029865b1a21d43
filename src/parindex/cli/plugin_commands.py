"""The sub-commands plugins add (``parindex_register_commands``), put into the parser.

Each registration is applied on its own: a plugin whose ``configure`` raises loses that command
(or that extension) only, and is reported like a command module that failed to load. A new
command is built on a detached parser first and added only once it is complete, so a failure
never leaves half a command behind. A name already taken (by the core or an earlier plugin) is
refused rather than replaced.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys

# Not `typing` at run time: `parindex --help` imports this module, and typing alone would be a
# sixth of its cost over starting Python (type checkers treat any TYPE_CHECKING as true).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple, TypeAlias


class PluginCommandError(Exception):
    """Why one plugin registration could not be applied."""


if TYPE_CHECKING:
    #: What :func:`plugin_registrations` found: the registry and its plugins' registrations, or
    #: the error that kept the plugins from being asked.
    Found: TypeAlias = tuple[Any, list[Any]] | BaseException


def plugin_registrations() -> Found:
    """Every plugin registration (``parindex_register_commands``), asked once per parser."""
    from parindex import api

    try:
        registry = api.default_registry()
        return registry, registry.command_registrations()
    except Exception as exc:  # the plugins cannot be asked: the core commands still work
        return exc


def extended_commands(found: Found | None) -> set[str]:
    """The commands the plugins add options to (their parsers must be built in full)."""
    if found is None or isinstance(found, BaseException):
        return set()
    return {item.extends for _, item in found[1] if item.extends is not None}


def add_plugin_commands(sub: Any, found: Found | None = None) -> list[tuple[str, BaseException]]:
    """Apply every plugin registration to ``sub`` (the parser's sub-parsers); return the ones
    that failed, as ``(what, error)``. ``found``: the registrations already asked for."""
    if found is None:
        found = plugin_registrations()
    if isinstance(found, BaseException):
        return [("the plugins", found)]
    registry, registrations = found
    failed: list[tuple[str, BaseException]] = []
    for plugin, item in registrations:
        what = f"plugin {plugin}"
        try:
            if item.extends is not None:
                parser = sub.choices.get(item.extends)
                if parser is None:
                    raise PluginCommandError(f"it extends {item.extends!r}, which is no command")
                item.configure(parser)
                continue
            if item.name in sub.choices:
                raise PluginCommandError(f"the command name {item.name!r} is already taken")
            detached = argparse.ArgumentParser(add_help=False)
            item.configure(detached)
            sub.add_parser(item.name, parents=[detached], **item.options)
        except Exception as exc:  # a plugin's bug must not take the other commands down
            registry.host.report(plugin, f"command {item.name!r} unavailable: {exc}")
            failed.append((what, exc))
    return failed


#: The entry-point group in which a plugin declares the names of its commands (``name =
#: module:register``, ``register`` being the function its ``parindex_register_commands`` hook
#: calls), so that ``parindex --help`` lists them from the installed metadata alone.
COMMANDS_GROUP = "parindex.commands"


if TYPE_CHECKING:

    class DeclaredEntryPoint(NamedTuple):
        group: str
        name: str
        value: str
        dist: str  # the distribution's name and version, as its metadata states them
        version: str

else:  # the same tuple class, made without `typing`
    DeclaredEntryPoint = collections.namedtuple(
        "DeclaredEntryPoint", ["group", "name", "value", "dist", "version"]
    )


def installed_entry_points(groups: set[str]) -> list[DeclaredEntryPoint]:
    """The entry points of ``groups`` that the distributions on ``sys.path`` declare, read as
    ``importlib.metadata`` reads them (``*.dist-info``/``*.egg-info`` folders in path order, the
    first distribution of a name wins), but without importing it: that import alone (it brings
    in the ``email`` package) costs more than starting Python, and ``--help`` and ``--version``
    need nothing else from it."""
    found: list[DeclaredEntryPoint] = []
    seen: set[str] = set()
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for info in names:
            if not info.endswith((".dist-info", ".egg-info")):
                continue
            key = info.rsplit(".", 1)[0].split("-")[0].replace(".", "_").lower()
            if key in seen:
                continue
            seen.add(key)
            base = os.path.join(folder or ".", info)
            try:
                with open(os.path.join(base, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            points = _parse_entry_points(text, groups)
            if points:
                dist, version = _name_and_version(base)
                found += [DeclaredEntryPoint(g, n, v, dist, version) for g, n, v in points]
    return found


def _parse_entry_points(text: str, groups: set[str]) -> list[tuple[str, str, str]]:
    out, group = [], None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1].strip()
        elif group in groups and "=" in line:
            name, value = line.split("=", 1)
            out.append((group, name.strip(), value.strip()))
    return out


def _name_and_version(base: str) -> tuple[str, str]:
    name = version = ""
    for meta in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(base, meta), encoding="utf-8") as fh:
                for line in fh:
                    if not line.strip():
                        break  # the headers end at the first blank line
                    if line.startswith("Name:"):
                        name = line[5:].strip()
                    elif line.startswith("Version:"):
                        version = line[8:].strip()
            break
        except OSError:
            continue
    return name, version


def add_declared_commands(sub: Any) -> None:
    """List the commands the enabled plugins declare in :data:`COMMANDS_GROUP`, without importing
    any plugin (importing one imports pydantic and the models: most of a second, for a listing).

    Only the name is known there, so the line says whose command it is and where its help is;
    the command itself is built from the plugin's hook when it runs. A plugin that declares
    nothing still has its commands run, only not listed here."""
    # as parindex.io.plugins.disabled_names reads it (not imported: it brings in pluggy)
    disabled = {
        p.strip() for p in os.environ.get("PARINDEX_DISABLE_PLUGINS", "").split(",") if p.strip()
    }
    if "*" in disabled:
        return
    try:
        points = installed_entry_points({"parindex", COMMANDS_GROUP})
    except Exception:  # pragma: no cover - unreadable metadata: the core's commands are listed
        return
    owners = {
        ep.value.split(":")[0].split(".")[0]: ep.name for ep in points if ep.group == "parindex"
    }
    declared = sorted((ep for ep in points if ep.group == COMMANDS_GROUP), key=lambda e: e.name)
    for ep in declared:
        plugin = owners.get(ep.value.split(":")[0].split(".")[0])
        if plugin is None or plugin in disabled or ep.name in sub.choices:
            continue
        sub.add_parser(
            ep.name,
            help=f"a command of the plugin {plugin}: `parindex {ep.name} --help` shows it",
        )


__all__ = [
    "COMMANDS_GROUP",
    "DeclaredEntryPoint",
    "add_declared_commands",
    "add_plugin_commands",
    "extended_commands",
    "installed_entry_points",
    "plugin_registrations",
]
