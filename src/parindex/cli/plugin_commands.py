"""The sub-commands plugins add (``parindex_register_commands``), put into the parser.

Each registration is applied on its own: a plugin whose ``configure`` raises loses that command
(or that extension) only, and is reported like a command module that failed to load. A new
command is built on a detached parser first and added only once it is complete, so a failure
never leaves half a command behind. A name already taken (by the core or an earlier plugin) is
refused rather than replaced.
"""

from __future__ import annotations

import argparse
from typing import Any


class PluginCommandError(Exception):
    """Why one plugin registration could not be applied."""


def add_plugin_commands(sub: Any) -> list[tuple[str, BaseException]]:
    """Apply every plugin registration to ``sub`` (the parser's sub-parsers); return the ones
    that failed, as ``(what, error)``."""
    from parindex import api

    failed: list[tuple[str, BaseException]] = []
    try:
        registry = api.default_registry()
        registrations = registry.command_registrations()
    except Exception as exc:  # the plugins cannot be asked: the core commands still work
        return [("the plugins", exc)]
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


__all__ = ["add_plugin_commands"]
