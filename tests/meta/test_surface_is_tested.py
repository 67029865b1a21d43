"""Every command-line option and every public name is exercised by some test.

Like datasette's check that each plugin hook is documented: the lists come from the code itself
(``parindex.cli.main.build_parser()`` and ``parindex.__all__``), so a new option or a new public
name fails this test until a test uses it. "Used" means: for an option, a test file line within a
few lines of the subcommand's name (``"rank", …, "--ties"`` or ``parindex rank … --ties``); for a
public name, a test file that names it as ``parindex.NAME``, ``api.NAME`` or imports it. The
allow-lists below are empty and must stay so: a new option or name needs a test, not an entry
(a stale entry would fail the test too).
"""

from __future__ import annotations

import argparse
import inspect
import re
from pathlib import Path

import parindex
from parindex.cli.main import build_parser

TESTS = Path(__file__).resolve().parents[1]
WINDOW = 12  # lines: an argv list or a shell line wrapped over several lines

#: Options every subcommand has, checked once for any command.
COMMON = {"--help", "--debug", "--locale"}


#: (subcommand, option) pairs allowed to have no test. Empty on purpose (issue 19, item 8: the
#: last ones got their tests in tests/cli/options/); keep it empty — add a test instead.
UNTESTED_OPTIONS: set[tuple[str, str]] = set()

#: Public names allowed to have no test: empty on purpose, like UNTESTED_OPTIONS.
UNTESTED_NAMES: set[str] = set()


def _test_texts() -> dict[Path, list[str]]:
    here = Path(__file__).resolve()
    out = {}
    for path in sorted(TESTS.rglob("*")):
        if (
            path.suffix in {".py", ".yaml", ".md", ".txt"}
            and path.resolve() != here
            and ".hypothesis" not in path.parts  # hypothesis's own cache is not a test
        ):
            out[path] = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return out


def _options() -> dict[str, list[str]]:
    parser = build_parser()
    out: dict[str, list[str]] = {
        "": [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
    }
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out[name] = sorted(
                    {o for a in sub._actions for o in a.option_strings if o.startswith("--")}
                )
    return out


def _mentions_command(line: str, command: str) -> bool:
    return f'"{command}"' in line or f"'{command}'" in line or f"parindex {command}" in line


def _option_used(texts: dict[Path, list[str]], command: str, option: str) -> bool:
    pattern = re.compile(re.escape(option) + r"(?![\w-])")
    for lines in texts.values():
        hits = [i for i, line in enumerate(lines) if pattern.search(line)]
        if not hits:
            continue
        if not command:
            return True
        places = [i for i, line in enumerate(lines) if _mentions_command(line, command)]
        if any(abs(h - p) <= WINDOW for h in hits for p in places):
            return True
    return False


def _name_used(texts: dict[Path, list[str]], name: str) -> bool:
    """A class counts wherever a test names it (it is public under its home module's name too);
    a function only when called through the public face (``parindex.NAME`` / ``api.NAME``, or
    imported from there), so that a test of the module behind it does not count for it."""
    word = re.escape(name)
    if inspect.isclass(getattr(parindex, name)):
        forms = re.compile(rf"\b{word}\b")
    else:
        forms = re.compile(
            rf"\b(parindex|api)\.{word}\b|^\s*from parindex(\.api)? import .*\b{word}\b"
        )
    return any(forms.search(line) for lines in texts.values() for line in lines)


def test_every_subcommand_option_is_exercised() -> None:
    texts = _test_texts()
    missing = set()
    for command, options in _options().items():
        for option in options:
            if option in COMMON and command:
                continue
            if not _option_used(texts, command, option):
                missing.add((command, option))
    assert missing - UNTESTED_OPTIONS == set(), "options no test uses (add a test for each)"
    assert UNTESTED_OPTIONS - missing == set(), "now tested: remove from UNTESTED_OPTIONS"


def test_common_options_are_exercised_somewhere() -> None:
    texts = _test_texts()
    assert {o for o in COMMON if not _option_used(texts, "", o)} == set()


def test_every_public_name_is_used_by_a_test() -> None:
    texts = _test_texts()
    missing = {n for n in parindex.__all__ if n != "__version__" and not _name_used(texts, n)}
    assert missing - UNTESTED_NAMES == set(), "public names no test uses (add a test for each)"
    assert UNTESTED_NAMES - missing == set(), "now tested: remove from UNTESTED_NAMES"
