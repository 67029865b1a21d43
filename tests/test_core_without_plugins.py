"""The core knows no index: without plugins it works and names none; PAPI and SIPAS come from
the ``papi_sipas`` plugin, through the hooks a third party would use.

Two kinds of check:

* ``parindex --help`` run in a fresh interpreter with every plugin disabled, and with them all;
* every module under ``src/parindex/`` read with :mod:`ast`: no identifier, import, attribute or
  string names PAPI or SIPAS. Docstrings, comments and help text (``help=``, ``description=``,
  ``epilog=`` of the command-line parsers, and the constants passed there) may use them as
  examples, as the docs do.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "parindex"
INDEX_NAMES = re.compile(r"papi|sipas", re.IGNORECASE)
HELP_KEYWORDS = {"help", "description", "epilog"}


def _help(disabled: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PARINDEX_DISABLE_PLUGINS"}
    if disabled is not None:
        env["PARINDEX_DISABLE_PLUGINS"] = disabled
    env["COLUMNS"] = "200"  # one command per line, whatever the terminal
    return subprocess.run(
        [sys.executable, "-m", "parindex", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
        timeout=120,
    )


def _commands(help_text: str) -> set[str]:
    """The sub-command names listed under ``COMMAND``."""
    return set(re.findall(r"^    ([a-z][a-z-]*)\s", help_text, flags=re.MULTILINE))


def test_help_without_any_plugin_works_and_names_no_index() -> None:
    proc = _help("*")
    assert proc.returncode == 0, proc.stderr
    assert "usage: parindex" in proc.stdout
    found = INDEX_NAMES.findall(proc.stdout + proc.stderr)
    assert not found, f"index-specific names in `parindex --help` without plugins: {found}"
    commands = _commands(proc.stdout)
    # the core's own commands are all there; the plugin's are not
    assert {"score", "rank", "reproduce", "targets", "plugins"} <= commands
    assert not commands & {"sipas", "papi-groups"}


def test_help_with_the_plugins_lists_their_commands() -> None:
    proc = _help(None)
    assert proc.returncode == 0, proc.stderr
    assert {"sipas", "papi-groups"} <= _commands(proc.stdout)


def test_disabling_only_papi_sipas_drops_only_its_commands() -> None:
    proc = _help("papi_sipas")
    assert proc.returncode == 0, proc.stderr
    commands = _commands(proc.stdout)
    assert "score" in commands and not commands & {"sipas", "papi-groups"}


# ------------------------------------------------------------------------------- the source
def _docstring_nodes(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _help_nodes(tree: ast.AST) -> set[int]:
    """Strings given as a parser's help, description or epilog (directly or through a name)."""
    help_names: set[str] = set()
    values: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in HELP_KEYWORDS:
            values.append(node.value)
            if isinstance(node.value, ast.Name):
                help_names.add(node.value.id)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in help_names for t in node.targets
        ):
            values.append(node.value)
    return {id(n) for value in values for n in ast.walk(value)}


def _mentions(path: Path) -> Iterator[str]:
    """Every identifier or string of ``path`` that names PAPI or SIPAS, outside documentation."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path.name
    allowed = _docstring_nodes(tree) | _help_nodes(tree)
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in allowed:
                names.append(node.value)
        elif isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.arg) or (isinstance(node, ast.keyword) and node.arg):
            names.append(node.arg or "")
        elif isinstance(node, ast.alias):
            names += [node.name, node.asname or ""]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        for name in names:
            if INDEX_NAMES.search(name):
                line = getattr(node, "lineno", 0)
                yield f"{shown}:{line}: {name[:70]!r}"


def test_the_scanner_sees_code_and_skips_documentation(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    source = (
        '"""PAPI in a docstring is fine."""\n'
        "import parindex_papi_sipas  # comments are never seen\n"
        "EPILOG = 'parindex sipas x.csv'\n"
        "def f(papi_rule=None):\n"
        "    '''SIPAS, documented.'''\n"
        "    parser.add_argument('--x', help='PAPI groups')\n"
        "    parser.add_parser('y', epilog=EPILOG)\n"
        "    return {'papi'} if papi_rule else obj.sipas\n"
    )
    sample.write_text(source, encoding="utf-8")
    found = [m.split(": ", 1)[1] for m in _mentions(sample)]
    assert sorted(found) == sorted(
        ["'parindex_papi_sipas'", "'papi_rule'", "'papi_rule'", "'papi'", "'sipas'"]
    )


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_core_module_names_an_index(path: Path) -> None:
    found = list(_mentions(path))
    assert not found, "the core names an index:\n" + "\n".join(found)
