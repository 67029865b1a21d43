"""Class 7 of issue 14: an output never destroys an input, nor a file marked read-only.

``report a.yaml -o a.yaml`` replaced the input with its report; ``-o`` onto a read-only file
replaced it (a rename ignores the file's mode). Now the output is refused - the same file, also
through a symbolic or a hard link - unless ``--force``; the refused target is left untouched.
Implemented once, in the atomic writer (parindex.io.files), for every command with ``-o``.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from parindex.cli.main import main
from parindex.io.files import atomic_write_text, protect_inputs
from parindex.io.yamlfile import read_text
from parindex.model.errors import OutputFileError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "moha-2017-example.yaml"
PLANNING = REPO / "examples" / "planning"
RULESET = PLANNING / "rulesets" / "example-province-2021.yaml"


@pytest.fixture
def assessment(tmp_path: Path) -> Path:
    path = tmp_path / "a.yaml"
    shutil.copy(EXAMPLE, path)
    return path


def refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.startswith("parindex: error: ") and "Traceback" not in err
    return err


@pytest.mark.parametrize(
    "command",
    [
        ["score"],
        ["score", "-f", "json"],
        ["report", "-f", "markdown"],
        ["gaps", "--ruleset", str(RULESET)],
    ],
    ids=["score", "score-json", "report", "gaps"],
)
def test_output_onto_the_input_is_refused(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = EXAMPLE if command[0] != "gaps" else PLANNING / "lang-son-2021.yaml"
    target = tmp_path / "input.yaml"
    shutil.copy(source, target)
    before = target.read_bytes()
    err = refused(capsys, [command[0], str(target), *command[1:], "-o", str(target)])
    assert "input.yaml: is one of this command's inputs" in err and "--force" in err
    assert target.read_bytes() == before


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_output_onto_the_input_through_a_link_is_refused(
    link: str, assessment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = assessment.parent / "other-name.yaml"
    if link == "symbolic":
        other.symlink_to(assessment.name)
    else:
        os.link(assessment, other)
    before = assessment.read_bytes()
    err = refused(capsys, ["score", str(assessment), "-o", str(other)])
    assert "is one of this command's inputs (read as" in err
    assert assessment.read_bytes() == before


def test_an_input_named_by_the_assessment_is_protected_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --ruleset FILE is read as well: writing the score card over it is refused.
    rs = tmp_path / "rules.yaml"
    shutil.copy(RULESET, rs)
    before = rs.read_bytes()
    err = refused(
        capsys,
        ["gaps", str(PLANNING / "lang-son-2021.yaml"), "--ruleset", str(rs), "-o", str(rs)],
    )
    assert "rules.yaml: is one of this command's inputs" in err
    assert rs.read_bytes() == before


def test_force_replaces_the_input(assessment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(assessment), "-o", str(assessment), "--force"]) == 0
    assert assessment.read_text(encoding="utf-8").startswith("Unit: ")


def test_a_read_only_output_is_refused_and_kept(
    assessment: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "card.txt"
    target.write_text("the old card\n", encoding="utf-8")
    target.chmod(0o444)
    err = refused(capsys, ["score", str(assessment), "-o", str(target)])
    assert "card.txt: is read-only (mode -r--r--r--)" in err
    assert target.read_text(encoding="utf-8") == "the old card\n"
    assert main(["score", str(assessment), "-o", str(target), "--force"]) == 0
    assert "87.75" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o444  # replaced, its mode kept


def test_every_command_with_an_output_has_force() -> None:
    from parindex.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    with_output = [
        name
        for name, p in sub.choices.items()  # type: ignore[attr-defined]
        if "--output" in p._option_string_actions
    ]
    assert {"score", "report", "gaps", "targets", "compare", "import-table"} <= set(with_output)
    for name in with_output:
        assert "--force" in sub.choices[name]._option_string_actions, name  # type: ignore[attr-defined]


def test_the_writer_in_python(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("input\n", encoding="utf-8")
    with protect_inputs():
        read_text(source)
        with pytest.raises(OutputFileError, match="inputs"):
            atomic_write_text(source, "output\n")
        atomic_write_text(tmp_path / "out.txt", "output\n")  # another file is fine
    assert source.read_text(encoding="utf-8") == "input\n"
    # outside a command, only the mode bits are checked
    atomic_write_text(source, "replaced\n")
    source.chmod(0o400)
    with pytest.raises(OutputFileError, match="read-only"):
        atomic_write_text(source, "again\n")
    atomic_write_text(source, "forced\n", force=True)
    assert source.read_text(encoding="utf-8") == "forced\n"


def test_writing_onto_a_special_file_is_refused(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    pipe = tmp_path / "out.fifo"
    os.mkfifo(pipe)
    with pytest.raises(OutputFileError, match="named pipe"):
        atomic_write_text(pipe, "x")
    assert stat.S_ISFIFO(pipe.stat().st_mode)
