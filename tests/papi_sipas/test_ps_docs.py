"""The examples in docs/papi.md and docs/sipas.md run and print what the docs say."""

from __future__ import annotations

import contextlib
import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from parindex.cli.main import main

REPO = Path(__file__).resolve().parents[2]


def _blocks(doc: str, lang: str) -> list[str]:
    text = (REPO / "docs" / doc).read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("doc", ["papi.md", "sipas.md"])
def test_python_examples_run(doc: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    for block in _blocks(doc, "python"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, f"docs/{doc}", "exec"), {})  # our own docs
        for line in block.splitlines():  # "print(x)  # expected" comments must match
            m = re.match(r"print\((.*)\)\s+# (.+)$", line)
            if m and not m.group(2).startswith(("names", "rule")):
                assert m.group(2).strip() in out.getvalue(), (doc, line)


def test_sipas_console_example_matches(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    console = _blocks("sipas.md", "console")[0]
    first = console.split("\n$ ")[0]
    command, *expected = first.splitlines()
    assert command == "$ parindex sipas examples/sipas-answers.csv"
    assert main(command.split()[2:]) == 0
    assert capsys.readouterr().out.splitlines() == expected


def test_papi_example_assessment_reproduces_the_published_total() -> None:
    from parindex import score

    card = score(os.fspath(REPO / "examples" / "papi-2016-ha-noi.yaml"))
    assert abs(card.total_exact - Decimal("33.805961")) <= Decimal("1e-5")
