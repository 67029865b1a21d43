"""docs/planning.md: every `$ parindex …` command runs, and the output it shows is what it prints
(lines with "…" are abridged and skipped; a shown line may stop before the printed line ends,
dropping trailing columns; runs of spaces are compared as one)."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from pl_helpers import REPO

from parindex.cli.main import main

DOC = REPO / "docs" / "planning.md"


def blocks() -> list[tuple[list[str], list[str]]]:
    """(commands, shown output lines) of every ```console block."""
    out = []
    for body in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        commands, shown = [], []
        for line in body.splitlines():
            if line.startswith("$ "):
                commands.append(line[2:])
            elif line.strip() and "…" not in line:
                shown.append(line)
        out.append((commands, shown))
    return out


def squash(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.strip())


@pytest.mark.parametrize("number", range(len(blocks())))
def test_documented_commands_run_and_print_what_is_shown(
    number: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    commands, shown = blocks()[number]
    printed = ""
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "parindex"
        args = argv[1:]
        for i, arg in enumerate(args[:-1]):  # outputs go to the test's folder
            if arg in ("-o", "--output", "--export"):
                args[i + 1] = str(tmp_path / os.path.basename(args[i + 1]))
        code = main(args)
        out, err = capsys.readouterr()
        assert code == 0, f"{command}\n{err}"
        printed += out
    lines = [squash(x) for x in printed.splitlines()]
    for line in shown:
        assert any(x.startswith(squash(line)) for x in lines), line
