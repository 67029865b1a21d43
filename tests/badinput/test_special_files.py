"""Class 3 of issue 14: anything that is not a regular file is refused before it is opened.

A named pipe with no writer used to block ``parindex validate`` for ever, also as the base of an
amendment. These tests run the real command in a child process under a timeout, so a regression
fails instead of hanging the test run. Standard input is read only when the user gives ``-``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from parindex.io.files import open_input
from parindex.io.yamlfile import load_yaml_file, read_text
from parindex.model.errors import InputFileError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "moha-2017-example.yaml"
posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")


def parindex(*argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "parindex.cli.main", *argv],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=60,  # a hang is a failure, not a stuck test run
        check=False,
    )


@posix
@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["score"],
        ["rank"],  # .csv, read by the compiled reader first
        ["reproduce"],
        ["import-table", "--id", "x.y", "--years", "2020", "--unit-kind", "province"],
    ],
    ids=["validate", "score", "rank-csv", "reproduce", "import-table"],
)
def test_a_named_pipe_without_a_writer_is_refused_at_once(tmp_path: Path, argv: list[str]) -> None:
    suffix = ".csv" if argv[0] in {"rank", "reproduce", "import-table"} else ".yaml"
    pipe = tmp_path / f"pipe{suffix}"
    os.mkfifo(pipe)
    proc = parindex(*argv, str(pipe))
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "is a named pipe (FIFO), not a regular file" in err and "pipe" + suffix in err
    assert "Traceback" not in err


@posix
def test_a_named_pipe_as_the_base_of_an_amendment(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "base.yaml")
    amendment = tmp_path / "amend.yaml"
    amendment.write_text(
        'extends: base.yaml\nversion: "2021"\nyears: [2021]\nsource: {document: X}\n',
        encoding="utf-8",
    )
    proc = parindex("validate", str(amendment))
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert "amend.yaml:1: extends: the base base.yaml cannot be read: is a named pipe" in err


def test_a_device_and_a_directory_are_refused(tmp_path: Path) -> None:
    if os.path.exists("/dev/zero"):
        with pytest.raises(InputFileError, match="is a character device"):
            read_text("/dev/zero")
    with pytest.raises(InputFileError, match="is a directory"):
        read_text(tmp_path)


def test_a_file_swapped_for_a_pipe_after_the_check_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The name is checked, then opened without blocking and checked again on what was opened:
    # a named pipe put in place between the two looks is refused, and the open does not hang.
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    real_open = os.open

    def swap_then_open(name: str | Path, flags: int, *args: int) -> int:
        if Path(name) == path:
            path.unlink()
            os.mkfifo(path)
        return real_open(name, flags, *args)

    monkeypatch.setattr(os, "open", swap_then_open)
    with pytest.raises(InputFileError, match="named pipe"):
        open_input(path)


def test_standard_input_is_read_only_when_asked_with_a_dash() -> None:
    text = EXAMPLE.read_bytes()
    proc = parindex("score", "-", "--format", "json", stdin=text)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b'"total": "87.75"' in proc.stdout
    # an error in what came on standard input names it
    bad = parindex("validate", "-", stdin=b"id: [unclosed\n")
    assert bad.returncode == 1
    assert bad.stderr.decode().startswith("parindex: error: <stdin>:")


def test_standard_input_is_not_read_for_a_file_name(tmp_path: Path) -> None:
    # A missing file is a missing file, even with data waiting on standard input.
    proc = parindex("score", str(tmp_path / "missing.yaml"), stdin=EXAMPLE.read_bytes())
    assert proc.returncode == 1 and b"file not found" in proc.stderr


def test_stdin_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a: [1, 2]\n")))
    data, lines = load_yaml_file("-")
    assert data == {"a": [1, 2]} and lines.file == "<stdin>"
