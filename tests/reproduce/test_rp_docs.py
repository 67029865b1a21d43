"""docs/reproduce.md: the worked example's output is what ``parindex reproduce`` prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parindex import Registry
from parindex.cli.main import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "reproduce.md"


def _blocks(section: str) -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return {lang: code for lang, code in re.findall(r"```(\w+)\n(.*?)```", body, re.S)}


def test_the_worked_example_output_is_current(
    tmp_path: Path,
    cli_registry: Registry,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocks = _blocks("A worked example")
    (tmp_path / "figures.csv").write_text(blocks["csv"], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["reproduce", "figures.csv"]) == 0
    assert capsys.readouterr().out == blocks["text"]


def test_the_tolerance_table_states_the_computed_gaps() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "0.00005 + 3 × 0.005 + 0.05 = **0.06505**" in text
    assert "`5` among 2-decimal values is `5.00`" in text
