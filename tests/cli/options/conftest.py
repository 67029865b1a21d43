"""A ``cli`` fixture: run ``parindex`` in process and get its exit status and output.

Each test file here exercises the options of one subcommand and checks what each option changes
(output with and without it, against values worked out by hand from the example files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_options import Cli, Run

from parindex.cli.main import main


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    def run(*argv: str | Path) -> Run:
        capsys.readouterr()  # drop what an earlier step printed
        code = main([str(a) for a in argv])
        got = capsys.readouterr()
        return Run(code, got.out, got.err)

    return run
