"""Writing outputs atomically: a failed or interrupted write never replaces a good file.

Every output (a report, an export, a converted ruleset) is written to a temporary file in the
target's own folder, flushed to disk, and only then renamed over the target in one step
(:func:`os.replace`). If anything fails before the rename - the data generator raises, the disk is
full, the process is interrupted - the old file is left exactly as it was and the temporary file is
removed. A symbolic link is written through (the link stays, its target is replaced), and the
permissions of a replaced file are kept.

Failures the user can act on (a folder that cannot be written, a target that is a directory) are
raised as :class:`~parindex.model.errors.OutputFileError` naming the file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from parindex.model.errors import OutputFileError

_TMP_SUFFIX = ".tmp"


def _resolve(path: str | Path) -> Path:
    target = Path(path)
    # Write through a symbolic link rather than replacing the link with a file.
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise OutputFileError("is a directory; give a file name to write to", file=path)
    return target


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms that cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def _temporary_beside(path: str | Path, binary: bool, encoding: str) -> Iterator[IO[Any]]:
    target = _resolve(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=_TMP_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise OutputFileError(f"cannot write here: {exc.strerror or exc}", file=path) from None
    mode = _mode_for(target)
    try:
        fh: IO[Any] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline="")
        )
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise OutputFileError(f"cannot write file: {exc.strerror or exc}", file=path) from exc
        raise
    _fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_open(path: str | Path, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Open ``path`` for writing text; the file appears, whole, only when the block ends normally.

    ``with atomic_open("report.csv") as fh: fh.write(...)``. If the block raises (or the process
    dies), ``path`` is untouched and no temporary file is left behind. Line ends are written as
    given (no translation).
    """
    with _temporary_beside(path, False, encoding) as fh:
        yield fh


@contextlib.contextmanager
def atomic_open_bytes(path: str | Path) -> Iterator[IO[bytes]]:
    """Like :func:`atomic_open`, for bytes."""
    with _temporary_beside(path, True, "") as fh:
        yield fh


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open_bytes(path) as fh:
        fh.write(data)


def atomic_write_text(path: str | Path, text: str | Iterable[str], encoding: str = "utf-8") -> None:
    """Write ``text`` (a string, or an iterable of pieces such as a generator) atomically.

    With a generator, an exception raised while producing the pieces leaves ``path`` untouched.
    """
    with atomic_open(path, encoding=encoding) as fh:
        if isinstance(text, str):
            fh.write(text)
        else:
            for piece in text:
                fh.write(piece)
