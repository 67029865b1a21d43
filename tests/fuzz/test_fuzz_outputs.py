"""Fuzzing output paths (issue 14, class 7): whatever the target, an input is never destroyed.

Each example is a target - a new file, one of the inputs, a symbolic or hard link to one, a
read-only file, a link to it, a directory, a named pipe, a dangling link, a path under a file -
written with or without ``force``, inside :func:`protect_inputs` after the inputs were read.
Only OutputFileError may escape; a refused write changes nothing; an accepted one writes the text
whole; an input is replaced only with ``force``; no temporary file is left behind.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import stat
import tempfile
from pathlib import Path

from fuzz_make import fuzz
from hypothesis import strategies as st

from parindex.io.files import atomic_write_text, protect_inputs
from parindex.io.yamlfile import read_text
from parindex.model.errors import OutputFileError

TMP = Path(tempfile.mkdtemp(prefix="parindex-fuzz-out-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
_COUNTER = itertools.count()

TARGETS = [
    "new",
    "new-in-new-folder",
    "input",
    "other-input",
    "symlink-to-input",
    "hardlink-to-input",
    "read-only",
    "symlink-to-read-only",
    "writable",
    "directory",
    "named-pipe",
    "dangling-symlink",
    "under-a-file",
]
scenario = st.tuples(
    st.sampled_from(TARGETS),
    st.booleans(),  # force
    st.booleans(),  # inside protect_inputs (a command) or not (the Python API)
    st.text(max_size=30),
)


def _make(folder: Path, kind: str) -> Path:
    source, other = folder / "input.yaml", folder / "other.yaml"
    if kind == "new":
        return folder / "out.txt"
    if kind == "new-in-new-folder":
        return folder / "sub" / "out.txt"
    if kind == "input":
        return source
    if kind == "other-input":
        return other
    if kind == "symlink-to-input":
        (folder / "link.txt").symlink_to(source.name)
        return folder / "link.txt"
    if kind == "hardlink-to-input":
        os.link(source, folder / "hard.txt")
        return folder / "hard.txt"
    if kind in {"read-only", "symlink-to-read-only"}:
        ro = folder / "ro.txt"
        ro.write_text("read-only\n", encoding="utf-8")
        ro.chmod(0o444)
        if kind == "read-only":
            return ro
        (folder / "link-ro.txt").symlink_to(ro.name)
        return folder / "link-ro.txt"
    if kind == "writable":
        path = folder / "old.txt"
        path.write_text("old\n", encoding="utf-8")
        return path
    if kind == "directory":
        (folder / "dir").mkdir()
        return folder / "dir"
    if kind == "named-pipe":
        if not hasattr(os, "mkfifo"):
            return folder / "out.txt"
        os.mkfifo(folder / "pipe")
        return folder / "pipe"
    if kind == "dangling-symlink":
        (folder / "dangling").symlink_to("nowhere/out.txt")
        return folder / "dangling"
    assert kind == "under-a-file"
    return source / "out.txt"


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    out = {}
    for p in sorted(folder.rglob("*")):
        st_ = p.lstat()
        body = p.read_bytes() if stat.S_ISREG(st_.st_mode) else None
        out[str(p.relative_to(folder))] = (stat.S_IFMT(st_.st_mode), body)
    return out


@fuzz(scenario)
def check_output_path(example: tuple[str, bool, bool, str]) -> None:
    kind, force, guarded, text = example
    folder = TMP / f"s{next(_COUNTER)}"
    folder.mkdir()
    try:
        (folder / "input.yaml").write_text("the input\n", encoding="utf-8")
        (folder / "other.yaml").write_text("another input\n", encoding="utf-8")
        target = _make(folder, kind)
        before = _snapshot(folder)
        try:
            with protect_inputs(force=force) if guarded else _nothing():
                read_text(folder / "input.yaml")
                read_text(folder / "other.yaml")
                atomic_write_text(target, text, force=force and not guarded)
        except OutputFileError:
            assert _snapshot(folder) == before  # refused: nothing changed
            raise
        written = Path(os.path.realpath(target))
        assert written.read_bytes() == text.encode("utf-8")  # (read_text would turn \r into \n)
        inputs = {
            folder / "input.yaml": "the input\n",
            folder / "other.yaml": "another input\n",
            folder / "ro.txt": "read-only\n",
        }
        for path, original in inputs.items():
            if path.exists() and path.read_bytes() != original.encode():
                # an input is protected inside a command; a read-only file always
                protected = guarded or path.name == "ro.txt"
                assert force or not protected, f"{path.name} replaced without force ({kind})"
                assert path.samefile(written)
        assert not [p for p in folder.rglob("*.tmp")], "a temporary file was left"
    finally:
        for p in folder.rglob("*"):
            if p.is_file() and not p.is_symlink():
                p.chmod(0o644)
        shutil.rmtree(folder, ignore_errors=True)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


test_output_path, test_output_path_long = check_output_path
