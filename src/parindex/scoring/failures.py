"""The error for a rule kind whose own code failed: it names the kind, its plugin and the node."""

from __future__ import annotations

import traceback

from parindex.model.errors import PluginError
from parindex.model.rules import Rule


def rule_failure(rule: Rule, exc: BaseException, code: str | None) -> PluginError:
    """The error for a rule kind whose code raised something other than the ValueError of a bad
    input: it names the kind, the plugin that provides it and the node."""
    module = type(rule).__module__
    top = module.split(".")[0]
    plugin = None
    try:
        from importlib import metadata

        plugin = next(
            (
                ep.name
                for ep in metadata.entry_points(group="parindex")
                if ep.value.split(":")[0].split(".")[0] == top
            ),
            None,
        )
    except Exception:  # pragma: no cover - broken metadata: name the module only
        plugin = None
    owner = f"plugin {plugin} ({top})" if plugin else f"module {module}"
    error = PluginError(
        f"the {rule.kind!r} rule of {owner} failed: {type(exc).__name__}: {exc}",
        code=code,
        hint=(
            f"this is a bug in the plugin; disable it with PARINDEX_DISABLE_PLUGINS={plugin}"
            " or report it to its authors"
            if plugin
            else "this is a bug in the rule kind's code; report it to its authors"
        ),
    )
    # --debug prints the error's traceback; the rule's own, where the bug is, goes with it (a note
    # survives the `raise ... from None` of the callers that place the error in its file)
    error.add_note("The rule's traceback:\n" + "".join(traceback.format_exception(exc)).rstrip())
    return error


__all__ = ["rule_failure"]
