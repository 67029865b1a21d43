"""docs/history.md: every `$ parindex …` transcript prints what it shows (lines with "…" are
abridged and skipped; runs of spaces compare as one). tests/cli/test_documented_commands.py runs
every command of the page; this checks the output the transcripts show."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from parindex.cli.main import main

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "history.md"


def blocks() -> list[tuple[list[str], list[str]]]:
    out = []
    for body in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        commands = [line[2:] for line in body.splitlines() if line.startswith("$ ")]
        shown = [
            line
            for line in body.splitlines()
            if line.strip() and not line.startswith("$ ") and "…" not in line
        ]
        out.append((commands, shown))
    return out


def squash(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.strip())


def test_the_page_has_transcripts() -> None:
    assert len(blocks()) >= 2 and all(shown for _, shown in blocks())


@pytest.mark.parametrize("number", range(len(blocks())))
def test_transcripts_print_what_they_show(
    number: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("COLUMNS", "100")  # the page shows the notes wrapped at 100 columns
    commands, shown = blocks()[number]
    printed = ""
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "parindex"
        assert main(argv[1:]) == 0, command
        printed += capsys.readouterr().out
    lines = [squash(x) for x in printed.splitlines()]
    for line in shown:
        assert any(x.startswith(squash(line)) for x in lines), line
