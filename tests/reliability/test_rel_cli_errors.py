"""The command line never shows a raw traceback for a user error; ``--debug`` shows it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, NoReturn

import pytest

import parindex.cli.core
import parindex.cli.main
from parindex.cli.main import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "moha-2017-example.yaml"
BAD = REPO / "tests" / "badinput" / "cases" / "assessment-points-above-maximum.yaml"
#: score BAD against the corpus's base ruleset (it is not installed)
SCORE_BAD = [
    "score",
    str(BAD),
    "--ruleset",
    str(REPO / "tests" / "badinput" / "base" / "test.province.yaml"),
]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "parindex.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_user_error_in_a_real_process_has_no_traceback() -> None:
    proc = run(*SCORE_BAD)
    assert proc.returncode == 1
    assert proc.stderr.startswith("parindex: error: ")
    assert "assessment-points-above-maximum.yaml:8: [node 2.1]" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv", [["--debug", *SCORE_BAD], [*SCORE_BAD, "--debug"]])
def test_debug_shows_the_traceback(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "parindex.model.errors.PointsAboveMaximumError" in err
    assert err.rstrip().splitlines()[-1].startswith("parindex: error: ")


def test_debug_environment_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARINDEX_DEBUG", "1")
    assert main(SCORE_BAD) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["score", "no-such-file.yaml"],
        ["score", str(REPO)],
        ["validate", str(REPO / "pyproject.toml")],
        ["rank", str(REPO / "tests" / "badinput" / "cases" / "rank-ragged-row.csv")],
        ["show", "no.such.ruleset"],
        ["show", "moha.province", "--year", "1999"],
    ],
)
def test_user_errors_exit_1_without_traceback(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert err.startswith("parindex: error: ")
    assert "Traceback" not in err + out


def test_wrong_command_line_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["score"])
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def _patch_handler(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    def handler(args: Any) -> NoReturn:
        raise exc

    monkeypatch.setattr(parindex.cli.core, "cmd_rulesets", handler)


def test_internal_error_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _patch_handler(monkeypatch, RuntimeError("something impossible"))
    assert main(["rulesets"]) == 3
    err = capsys.readouterr().err
    assert "parindex: internal error: RuntimeError: something impossible" in err
    assert "bug in parindex" in err and "--debug" in err
    assert "Traceback" not in err
    assert main(["--debug", "rulesets"]) == 3
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_os_error_is_a_user_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _patch_handler(monkeypatch, PermissionError(13, "Permission denied", "/etc/secret.yaml"))
    assert main(["rulesets"]) == 1
    err = capsys.readouterr().err
    assert err == "parindex: error: /etc/secret.yaml: Permission denied\n"


def test_interrupt_is_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _patch_handler(monkeypatch, KeyboardInterrupt())
    assert main(["rulesets"]) == 130
    assert capsys.readouterr().err == "parindex: interrupted\n"


def test_closed_pipe_is_quiet() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m parindex.cli.main rulesets | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_a_broken_command_module_does_not_take_the_others_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pi_broken_commands.py").write_text(
        "raise ImportError('half-written module')\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(
        parindex.cli.main,
        "COMMAND_MODULES",
        [*parindex.cli.main.COMMAND_MODULES, "pi_broken_commands"],
    )
    assert main(["score", str(EXAMPLE)]) == 0
    out, err = capsys.readouterr()
    assert "87.75" in out
    assert "warning: the commands of pi_broken_commands are unavailable" in err
    assert "half-written module" in err and "Traceback" not in err


def test_every_corpus_error_in_a_real_process(tmp_path: Path) -> None:
    # One run outside pytest's process, with a plain interpreter: stderr is one error line.
    script = textwrap.dedent(f"""
        import sys
        from parindex.cli.main import main
        sys.exit(main(["validate", {str(REPO / "tests/badinput/cases/ruleset-tiers-gap.yaml")!r}]))
    """)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("parindex: error: ")
    assert "ruleset-tiers-gap.yaml:26: [node 1.2]" in proc.stderr
    assert "Traceback" not in proc.stderr
