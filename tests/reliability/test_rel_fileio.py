"""Atomic writes: a failed or interrupted write never leaves a half-written file in place of a good
one, and never leaves temporary files behind (except after a hard kill, see the last test)."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from parindex.cli.main import main
from parindex.io.files import atomic_open, atomic_write_bytes, atomic_write_text
from parindex.model.errors import OutputFileError

REPO = Path(__file__).resolve().parents[2]
GOOD = "the good old report\n"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_text_and_bytes(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "sub" / "a.txt", "Quảng Ninh 91,04\n")
    atomic_write_bytes(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "sub" / "a.txt").read_text(encoding="utf-8") == "Quảng Ninh 91,04\n"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "sub") == []


def test_line_ends_are_written_as_given(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "x.csv", "a,b\r\n1,2\n")
    assert (tmp_path / "x.csv").read_bytes() == b"a,b\r\n1,2\n"


def test_a_generator_that_fails_leaves_the_old_file(target: Path) -> None:
    def pieces() -> Iterator[str]:
        yield "half of a new report\n"
        raise RuntimeError("the data ran out")

    with pytest.raises(RuntimeError, match="ran out"):
        atomic_write_text(target, pieces())
    assert target.read_text(encoding="utf-8") == GOOD
    assert leftovers(target.parent) == []


def test_an_exception_inside_atomic_open_leaves_the_old_file(target: Path) -> None:
    with pytest.raises(ValueError), atomic_open(target) as fh:
        fh.write("partial")
        raise ValueError("stop")
    assert target.read_text(encoding="utf-8") == GOOD
    assert leftovers(target.parent) == []


def test_an_interrupt_while_writing_leaves_the_old_file(target: Path) -> None:
    def pieces() -> Iterator[str]:
        yield "partial"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, pieces())
    assert target.read_text(encoding="utf-8") == GOOD
    assert leftovers(target.parent) == []


def test_a_failing_rename_leaves_the_old_file(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputFileError) as info:
        atomic_write_text(target, "new report\n")
    assert "report.txt" in str(info.value)
    assert target.read_text(encoding="utf-8") == GOOD
    assert leftovers(target.parent) == []


def test_a_full_disk_leaves_the_old_file(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputFileError, match="No space left"):
        atomic_write_text(target, "new report\n" * 1000)
    assert target.read_text(encoding="utf-8") == GOOD
    assert leftovers(target.parent) == []


def test_the_new_content_replaces_the_old_whole(target: Path) -> None:
    atomic_write_text(target, (f"line {i}\n" for i in range(10_000)))
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "line 0" and lines[-1] == "line 9999" and len(lines) == 10_000
    assert leftovers(target.parent) == []


def test_permissions_of_a_replaced_file_are_kept(target: Path) -> None:
    target.chmod(0o640)
    atomic_write_text(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(umask)
    # not the 0600 of a temporary file
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


def test_a_symbolic_link_is_written_through(target: Path) -> None:
    link = target.parent / "latest.txt"
    link.symlink_to(target.name)
    atomic_write_text(link, "new\n")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "new\n"


def test_a_directory_as_target_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="is a directory"):
        atomic_write_text(tmp_path, "x")


def _write_as_nobody(target: Path) -> str:
    """Try ``atomic_write_text(target)`` in a forked child that dropped root's privileges, and
    return what it reports. A fork, not a new interpreter: the child needs no read access to the
    checkout or its virtual environment (a fresh clone may sit in a folder only root can enter)."""
    import pwd

    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        outcome = "child failed"
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            try:
                atomic_write_text(target, "x")
                outcome = "written"
            except OutputFileError as err:
                outcome = str(err)
        except BaseException as exc:  # reported to the parent, which fails the test
            outcome = f"child failed: {type(exc).__name__}: {exc}"
        finally:
            os.write(write_end, outcome.encode("utf-8"))
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        reported = pipe.read().decode("utf-8")
    os.waitpid(pid, 0)
    return reported


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes anywhere: check as nobody in a child, so CI runs it too
        base = Path(tempfile.mkdtemp(prefix="parindex-ro-"))
        try:
            base.chmod(0o755)  # nobody may enter, not write
            (base / "ro").mkdir(mode=0o555)
            target = base / "ro" / "x.txt"
            assert _write_as_nobody(target) == f"{target}: cannot write here: Permission denied"
            assert not target.exists()
        finally:
            shutil.rmtree(base)
        return
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputFileError, match="cannot write"):
            atomic_write_text(folder / "x.txt", "x")
    finally:
        folder.chmod(0o700)


def test_cli_output_to_a_directory_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["score", str(REPO / "examples" / "moha-2017-example.yaml"), "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "is a directory" in err and "Traceback" not in err


def test_cli_failed_score_keeps_the_previous_output(
    target: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = REPO / "tests" / "badinput" / "cases" / "assessment-unknown-ruleset.yaml"
    assert main(["score", str(bad), "-o", str(target)]) == 1
    assert target.read_text(encoding="utf-8") == GOOD
    assert (
        main(["score", str(REPO / "examples" / "moha-2017-example.yaml"), "-o", str(target)]) == 0
    )
    assert "87.75" in target.read_text(encoding="utf-8")
    assert leftovers(target.parent) == []
    capsys.readouterr()


@pytest.mark.skipif(os.name != "posix", reason="uses SIGKILL")
def test_a_killed_writer_leaves_the_old_file(target: Path) -> None:
    # A process is killed (SIGKILL: no clean-up at all) in the middle of writing. The target still
    # holds the old content; the temporary file beside it is the only trace.
    script = textwrap.dedent(f"""
        import time
        from parindex.io.files import atomic_write_text

        def pieces():
            yield "half of the new report"
            print("writing", flush=True)
            time.sleep(60)
            yield "the rest"

        atomic_write_text({str(target)!r}, pieces())
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == GOOD
    stale = leftovers(target.parent)
    assert len(stale) == 1 and stale[0].startswith(".report.txt.")


def test_every_output_goes_through_fileio() -> None:
    # A guard for new code: parindex writes files only with parindex.io.files (atomic).
    import re

    raw = re.compile(r"\.write_text\(|\.write_bytes\(|open\([^)]*[\"'][wax]b?\+?[\"']")
    offenders = []
    for folder in (REPO / "src" / "parindex", REPO / "plugins", REPO / "tools"):
        for path in folder.rglob("*.py"):
            if path.relative_to(REPO).as_posix() == "src/parindex/io/files.py":
                continue  # the atomic writer itself
            if path.relative_to(REPO).as_posix() == "tools/mutate.py":
                # it must never import parindex (its children would test the working tree, not
                # the mutated copy), so it carries its own temporary-file-and-rename writer
                assert "os.replace(tmp, path)" in path.read_text(encoding="utf-8")
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if raw.search(line) and not line.lstrip().startswith("#"):
                    offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []
