"""``parindex --help`` lists the plugins' commands from the names they declare in the entry-point
group ``parindex.commands``, read from the installed metadata without importing any plugin (or
pydantic); the names declared must be the commands their hooks register."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

from parindex.cli.plugin_commands import COMMANDS_GROUP, installed_entry_points
from parindex.io.registry import Registry


def test_the_declared_names_are_the_commands_the_hooks_register() -> None:
    declared = {ep.name for ep in installed_entry_points({COMMANDS_GROUP})}
    registered = {
        item.name for _, item in Registry().command_registrations() if item.extends is None
    }
    assert declared, "the built-in plugins declare their commands"
    assert declared == registered


def test_entry_points_are_read_as_importlib_metadata_reads_them() -> None:
    ours = sorted(
        (ep.group, ep.name, ep.value, ep.dist, ep.version)
        for ep in installed_entry_points({"parindex", COMMANDS_GROUP})
    )
    theirs = sorted(
        (group, ep.name, ep.value, ep.dist.name, ep.dist.version)
        for group in ("parindex", COMMANDS_GROUP)
        for ep in metadata.entry_points(group=group)
        if ep.dist is not None
    )
    assert ours == theirs


CHILD = """
import contextlib, io, json, sys
from parindex.cli.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main(["--help"])
    except SystemExit:
        pass
heavy = sorted(m for m in sys.modules if m.split(".")[0] in
               {"pydantic", "numpy", "yaml", "parindex_papi_sipas", "parindex_vn",
                "parindex_core_rules", "importlib_metadata"} or m == "importlib.metadata")
print(json.dumps({"heavy": heavy, "help": out.getvalue()}))
"""


def test_top_level_help_imports_no_plugin_and_lists_theirs() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, check=True
    )
    found = json.loads(proc.stdout)
    assert found["heavy"] == []
    assert "sipas" in found["help"] and "papi-groups" in found["help"]
    assert "a command of the plugin papi_sipas" in found["help"]
