"""The top-level help lists the commands from ``parindex.cli.command_list`` and a command line
builds only the module of the command it names (issue 17, start-up): the list must be what the
modules register, and either way of building must give what the whole parser gives."""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from parindex.cli import command_list
from parindex.cli.main import COMMAND_MODULES, _env_locale, _named_command, build_parser, main
from parindex.model.i18n import UnknownLocaleError, locale_from_env, using_locale

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "moha-2017-example.yaml"


def _registered(module: str) -> list[tuple[str, str | None]]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    importlib.import_module(module).register(sub)
    return [(a.dest, a.help) for a in sub._choices_actions]


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_the_list_is_what_each_module_registers(module: str) -> None:
    assert list(command_list.COMMANDS[module]) == _registered(module)


def test_every_listed_module_is_a_command_module() -> None:
    assert list(command_list.COMMANDS) == COMMAND_MODULES
    assert command_list.module_of("score") == "parindex.cli.core"
    assert command_list.module_of("history") == "parindex.cli.history"
    assert command_list.module_of("sipas") is None  # a plugin's


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def test_the_listed_commands_are_the_whole_parsers() -> None:
    def core(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
        shown = [(a.dest, a.help) for a in _subparsers(parser)._choices_actions]
        return [(name, text) for name, text in shown if command_list.module_of(name)]

    whole = build_parser()
    assert core(build_parser(load_plugins=False)) == core(whole)
    assert [c for cs in command_list.COMMANDS.values() for c in cs] == core(whole)
    for locale in ("en", "vi"):  # a command line naming a command has the whole top-level help
        with using_locale(locale):
            assert build_parser(command="score").format_help() == whole.format_help()


@pytest.mark.parametrize("command", ["score", "reproduce", "gaps", "example", "history"])
def test_a_named_command_is_built_as_in_the_whole_parser(command: str) -> None:
    whole = _subparsers(build_parser()).choices[command]
    named = build_parser(command=command)
    own = _subparsers(named).choices[command]
    assert own.format_help() == whole.format_help()
    assert list(_subparsers(named).choices) == list(_subparsers(build_parser()).choices)
    # every other module's commands are only listed: one parser without options stands for them
    others = {
        id(p)
        for name, p in _subparsers(named).choices.items()
        if command_list.module_of(name) not in (command_list.module_of(command), None)
        and command_list.module_of(name) != "parindex.cli.reproduce"  # a plugin extends it
    }
    assert len(others) == 1


def test_a_command_a_plugin_extends_is_built_in_full() -> None:
    choices = _subparsers(build_parser(command="score")).choices
    options = {o for a in choices["reproduce"]._actions for o in a.option_strings}
    whole = _subparsers(build_parser()).choices["reproduce"]
    assert options == {o for a in whole._actions for o in a.option_strings}


@pytest.mark.parametrize(
    "argv, named",
    [
        (["score", "x.yaml"], "score"),
        (["--locale", "vi", "score"], "score"),
        (["--loc", "vi", "score"], "score"),  # argparse takes an abbreviated option
        (["--locale=vi", "show"], "show"),
        (["--debug", "--", "rank"], "rank"),
        (["--"], ""),
        (["--help"], None),
        (["--locale", "vi"], None),
        ([], None),
    ],
)
def test_the_named_command(argv: list[str], named: str | None) -> None:
    assert _named_command(argv) == named


def test_an_abbreviated_locale_still_scores(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--loc", "vi", "score", str(EXAMPLE)]) == 0
    assert "87,75" in capsys.readouterr().out


ENVIRONMENTS = [
    dict(zip(("PARINDEX_LOCALE", "LC_ALL", "LANG"), values, strict=True))
    for values in itertools.product(
        ["", "vi", " en ", "fr"], ["", "vi_VN.UTF-8", "C"], ["", "fr_FR", "vi"]
    )
]


@pytest.mark.parametrize("environ", ENVIRONMENTS)
def test_the_help_reads_the_environment_as_the_catalogue_does(environ: dict[str, str]) -> None:
    try:
        expected = locale_from_env(environ)
    except UnknownLocaleError:
        expected = "en"  # the help is then in English; the command line reports the value
    assert _env_locale(environ) == expected


def test_the_english_help_imports_neither_typing_nor_the_catalogue() -> None:
    # what the interpreter (or a coverage measurement started by a .pth file) imported before
    # parindex does not count: the check is on what the help itself imports
    script = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import contextlib, io, json\n"
        "from parindex.cli.main import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "names = ('typing', 'traceback', 'parindex.model.i18n', 'parindex.cli.core')\n"
        "print(json.dumps([m for m in names if m in sys.modules and m not in before]))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "LANG": "C"}
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []
