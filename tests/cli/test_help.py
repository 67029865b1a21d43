"""``--help`` works for the command and for every sub-command: exit 0, text shown, no ``%%``.

The sub-commands are discovered from the parser (so a new one is checked without editing this
file). A help text with a bare ``%`` makes argparse raise while formatting (``parindex sipas
--help`` once crashed so), and a ``%%`` in a text argparse does not %-format (a description or a
raw epilog) is printed literally.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from parindex.cli.main import build_parser, main


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path of ``parser``: () for the top level, then each sub-command (nested ones
    too, should any appear)."""
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in sorted(action.choices.items()):
                found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(build_parser())


def test_the_sub_commands_are_discovered() -> None:
    names = {path[0] for path in COMMANDS if path}
    # a sample of the known ones, so that discovery finding nothing cannot pass
    assert {"score", "sipas", "sensitivity", "example", "reproduce"} <= names
    assert len(names) >= 20


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "parindex")
def test_help_exits_0_and_prints_no_double_percent(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main([*path, "--help"])
    out, err = capsys.readouterr()
    assert stop.value.code == 0, err
    assert out.startswith(f"usage: parindex {' '.join(path)}".rstrip())
    assert "%%" not in out
    assert "internal error" not in err and "Traceback" not in err
    # every option is documented: no raw %(default)s or similar left in the text
    assert "%(" not in out


@pytest.mark.parametrize("path", [p for p in COMMANDS if p], ids=" ".join)
def test_help_lists_the_options_accepted_after_the_command(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([*path, "--help"])
    out = capsys.readouterr().out
    assert "--debug" in out and "--locale" in out


def test_percent_signs_in_help_texts_are_shown_once(capsys: pytest.CaptureFixture[str]) -> None:
    for path, needle in [(("sipas",), "element % = mean"), (("sensitivity",), "5–95 % rank")]:
        with pytest.raises(SystemExit):
            main([*path, "--help"])
        assert needle in " ".join(capsys.readouterr().out.split())


def test_top_level_help_points_to_the_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "parindex example" in out
    assert "examples/" not in out  # a wheel install has no examples/ folder


def test_python_m_parindex_help_in_a_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "parindex", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: parindex ")
    assert "%%" not in proc.stdout and "sensitivity" in proc.stdout
    assert proc.stderr == ""
