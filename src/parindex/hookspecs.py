"""Plugin hook specifications (pluggy). A plugin is a module or object with ``@hookimpl`` functions,
published under the entry-point group ``parindex``.

Two styles of hook:

* *list* hooks (``parindex_rule_kinds``, ``parindex_rulesets``, ``parindex_datasets``,
  ``parindex_responsibility_maps``) take nothing and return a list; every plugin's answer is
  collected separately, so one failing plugin is reported by name while the others keep working;
* *registration* hooks (``parindex_group_rules``, ``parindex_register_commands``) are given a
  ``register`` callback and call it once per thing they add; a plugin whose hook raises is
  reported, and what it registered before it failed is dropped.

A plugin needs only this module (for :data:`hookimpl`) and :mod:`parindex.model` (for the types it
hands over: :class:`~parindex.model.rules.Rule`, :class:`~parindex.model.sources.RulesetSource`,
:class:`~parindex.model.group_rules.Grouping` …). A minimal plugin::

    from parindex.hookspecs import hookimpl
    from parindex.model.sources import rulesets_in

    @hookimpl
    def parindex_rulesets():
        return rulesets_in(Path(__file__).parent / "rulesets")
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, Protocol

import pluggy

PROJECT = "parindex"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: ``configure(parser)`` adds a command's arguments and sets ``handler``:
#: ``parser.set_defaults(handler=run)`` where ``run(args) -> int`` returns the exit status.
Configure = Callable[[argparse.ArgumentParser], None]


class CommandRegistrar(Protocol):
    """What ``parindex_register_commands`` is given."""

    def __call__(self, name: str, configure: Configure, **parser_options: Any) -> None:
        """Add the sub-command ``name``; ``parser_options`` are those of argparse's
        ``add_parser`` (``help``, ``description``, ``epilog``, ``formatter_class`` …). A name the
        core or another plugin already uses is refused (and reported)."""

    def extend(self, command: str, configure: Configure) -> None:
        """Add options to an existing command (e.g. the choice of a group rule to
        ``reproduce``); ``configure`` must not replace the command's handler."""


class GroupingRegistrar(Protocol):
    """What ``parindex_group_rules`` is given."""

    def __call__(self, grouping: Any) -> None:
        """Register a batch-relative grouping, a :class:`parindex.model.group_rules.Grouping`
        (typed loosely here: the hook specs import nothing of parindex, as the model imports
        nothing of them)."""


@hookspec
def parindex_rule_kinds() -> list[Any]:
    """Rule kinds: subclasses of :class:`parindex.model.rules.Rule` with a unique ``kind``."""
    return []


@hookspec
def parindex_rulesets() -> list[Any]:
    """Rulesets: :class:`parindex.model.sources.RulesetSource` objects, paths to YAML files, or
    :class:`parindex.model.documents.Ruleset` instances."""
    return []


@hookspec
def parindex_datasets() -> list[Any]:
    """Published datasets that ``parindex reproduce --dataset NAME`` can check (the paths of
    their ``<name>.dataset.yaml`` sidecars)."""
    return []


@hookspec
def parindex_responsibility_maps() -> list[Any]:
    """Responsibility maps (which agency leads each node) that ``--responsibility NAME`` finds by
    name: paths to their YAML files, the name being the file's stem."""
    return []


@hookspec
def parindex_reference_data() -> list[Any]:
    """Sourced reference files found by name (the file's stem): survey maps (``kind:
    survey-map``, for ``parindex survey --map NAME``), province regions and reorganisations
    (``kind: regions`` / ``kind: reorganisation``, for ``history`` and ``rank --within``)."""
    return []


@hookspec
def parindex_group_rules(register: GroupingRegistrar) -> None:
    """Batch-relative groupings: call ``register(grouping)`` with a
    :class:`parindex.model.group_rules.Grouping` for each."""


@hookspec
def parindex_register_commands(register: CommandRegistrar) -> None:
    """Command-line sub-commands: call ``register(name, configure, help=...)`` for each, and
    ``register.extend(command, configure)`` to add options to an existing one."""


__all__ = [
    "CommandRegistrar",
    "Configure",
    "GroupingRegistrar",
    "hookimpl",
    "hookspec",
]
