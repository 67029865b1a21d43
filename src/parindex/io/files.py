"""Files in and out: inputs are opened only when they are regular files, outputs are written
atomically and never over an input or a read-only file.

Reading (:func:`open_input`): a path is opened only when it names a regular file; a directory, a
named pipe, a device or a socket is refused *before* it is opened, and checked again on the open
descriptor (opened without blocking, so a pipe swapped in between cannot hang the process).
Standard input is read only when the user gives ``-``.

Writing: every output (a report, an export, a converted ruleset) is written to a temporary file in
the target's own folder, flushed to disk, and only then renamed over the target in one step
(:func:`os.replace`). If anything fails before the rename - the data generator raises, the disk is
full, the process is interrupted - the old file is left exactly as it was and the temporary file is
removed. A symbolic link is written through (the link stays, its target is replaced), and the
permissions of a replaced file are kept.

Because a rename replaces a file whatever its mode, the writer refuses by itself what a plain
``open(path, "w")`` would refuse: a target whose mode bits forbid writing. Inside
:func:`protect_inputs` (the command line wraps every command in it) each file read is remembered by
device and inode, and an output that is one of them - the same file, through a symbolic or a hard
link too - is refused. ``force=True`` (``--force``) allows both.

Failures the user can act on (a folder that cannot be written, a target that is a directory, an
output that would replace an input) are raised as :class:`~parindex.model.errors.OutputFileError`
naming the file.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from parindex.model.errors import InputFileError, LimitExceededError, OutputFileError
from parindex.model.i18n import N_

#: The path that means standard input.
STDIN = "-"
#: How standard input is named in messages.
STDIN_NAME = "<stdin>"

_KINDS = (
    (stat.S_ISDIR, N_("a directory")),
    (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISSOCK, N_("a socket")),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"  # pragma: no cover - door, port, whiteout


# ------------------------------------------------------------------------------------ the guard
@dataclass
class _Guard:
    force: bool
    #: (st_dev, st_ino) of every file read, with the name it was read by.
    inputs: dict[tuple[int, int], str] = field(default_factory=dict)


_GUARD: contextvars.ContextVar[_Guard | None] = contextvars.ContextVar(
    "parindex_output_guard", default=None
)


@contextlib.contextmanager
def protect_inputs(force: bool = False) -> Iterator[None]:
    """Within the block, an output may not replace a file that was read as an input (nor a file
    whose mode forbids writing) unless ``force``; the command line runs each command in one."""
    token = _GUARD.set(_Guard(force))
    try:
        yield
    finally:
        _GUARD.reset(token)


def _remember(st: os.stat_result, name: str) -> None:
    guard = _GUARD.get()
    if guard is not None:
        guard.inputs.setdefault((st.st_dev, st.st_ino), name)


# ------------------------------------------------------------------------------------- reading
def is_stdin(path: str | Path) -> bool:
    return str(path) == STDIN


def input_name(path: str | Path) -> str:
    """How an input is named in messages (standard input as ``<stdin>``)."""
    return STDIN_NAME if is_stdin(path) else str(path)


def _refuse_special(st: os.stat_result, path: str | Path) -> None:
    if stat.S_ISREG(st.st_mode):
        return
    if stat.S_ISDIR(st.st_mode):
        raise InputFileError("is a directory, not a file", file=path)
    raise InputFileError(
        f"is {_kind(st.st_mode)}, not a regular file; parindex reads only regular files",
        file=path,
        hint=f"save the data to a file, or give {STDIN} to read standard input",
    )


def _read_stdin(max_bytes: int, limit_hint: str | None) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # pragma: no cover - stdin replaced by a text-only object
        raise InputFileError("standard input cannot be read as bytes", file=STDIN_NAME)
    data: bytes = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise LimitExceededError(
            f"standard input is larger than the limit of {max_bytes} bytes",
            file=STDIN_NAME,
            hint=limit_hint,
        )
    return data


def open_input(
    path: str | Path,
    max_bytes: int | None = None,
    limit_hint: str | None = None,
    *,
    not_found: str = "file not found",
) -> BinaryIO:
    """Open an input file for reading bytes, or raise :class:`InputFileError` naming it.

    Only a regular file is opened: a directory, named pipe, device or socket is refused first
    (so a pipe with no writer cannot hang the process, nor ``/dev/zero`` fill memory). ``-`` reads
    standard input (at most ``max_bytes``, when given, into memory). A file larger than
    ``max_bytes`` is refused before it is read.
    """
    if is_stdin(path):
        return io.BytesIO(_read_stdin(max_bytes if max_bytes is not None else 2**62, limit_hint))
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputFileError(not_found, file=p) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise InputFileError(f"cannot read file: {_reason(exc)}", file=p) from None
    _refuse_special(st, p)
    if max_bytes is not None and st.st_size > max_bytes:
        raise LimitExceededError(
            f"file is {st.st_size} bytes, more than the limit of {max_bytes} bytes",
            file=p,
            hint=limit_hint,
        )
    nonblock = getattr(os, "O_NONBLOCK", 0)
    flags = os.O_RDONLY | nonblock | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise InputFileError(f"cannot read file: {_reason(exc)}", file=p) from None
    try:
        # the name may have been pointed elsewhere between the two looks: check what was opened
        opened = os.fstat(fd)
        _refuse_special(opened, p)
        if nonblock:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    _remember(opened, str(path))
    return os.fdopen(fd, "rb")


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)


# ------------------------------------------------------------------------------------- writing
_TMP_SUFFIX = ".tmp"


def _resolve(path: str | Path, force: bool) -> Path:
    target = Path(path)
    # Write through a symbolic link rather than replacing the link with a file.
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        st = target.stat()
    except (OSError, ValueError):
        return target  # a new file (or a bad name: creating it reports that)
    if stat.S_ISDIR(st.st_mode):
        raise OutputFileError("is a directory; give a file name to write to", file=path)
    if not stat.S_ISREG(st.st_mode):
        raise OutputFileError(
            f"is {_kind(st.st_mode)}; parindex writes only regular files",
            file=path,
            hint="write to a file, or leave out -o to write to standard output",
        )
    guard = _GUARD.get()
    if force or (guard is not None and guard.force):
        return target
    if guard is not None and (st.st_dev, st.st_ino) in guard.inputs:
        read_as = guard.inputs[(st.st_dev, st.st_ino)]
        same = "" if read_as == str(path) else f" (read as {read_as})"
        raise OutputFileError(
            f"is one of this command's inputs{same}; writing the output there would destroy it",
            file=path,
            hint="give another output file, or add --force to replace it",
        )
    if _mode_forbids_writing(st):
        raise OutputFileError(
            f"is read-only (mode {stat.filemode(st.st_mode)}); it is left as it is",
            file=path,
            hint="give another output file, make it writable, or add --force to replace it",
        )
    return target


def _mode_forbids_writing(st: os.stat_result) -> bool:
    """What the mode bits say for this process (a rename would ignore them)."""
    mode = st.st_mode
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    if euid is None:  # pragma: no cover - Windows: only the read-only attribute exists
        return not mode & stat.S_IWRITE
    if euid == 0:  # the superuser may write anything: the bits still say what was meant
        return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if st.st_uid == euid:
        return not mode & stat.S_IWUSR
    if st.st_gid in {os.getegid(), *os.getgroups()}:
        return not mode & stat.S_IWGRP
    return not mode & stat.S_IWOTH


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
def _temporary_beside(
    path: str | Path, binary: bool, encoding: str, force: bool
) -> Iterator[IO[Any]]:
    target = _resolve(path, force)
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
def atomic_open(
    path: str | Path, encoding: str = "utf-8", *, force: bool = False
) -> Iterator[IO[str]]:
    """Open ``path`` for writing text; the file appears, whole, only when the block ends normally.

    ``with atomic_open("report.csv") as fh: fh.write(...)``. If the block raises (or the process
    dies), ``path`` is untouched and no temporary file is left behind. Line ends are written as
    given (no translation). A read-only target (or, inside :func:`protect_inputs`, an input) is
    refused with :class:`OutputFileError` unless ``force``.
    """
    with _temporary_beside(path, False, encoding, force) as fh:
        yield fh


@contextlib.contextmanager
def atomic_open_bytes(path: str | Path, *, force: bool = False) -> Iterator[IO[bytes]]:
    """Like :func:`atomic_open`, for bytes."""
    with _temporary_beside(path, True, "", force) as fh:
        yield fh


def atomic_write_bytes(path: str | Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open_bytes(path, force=force) as fh:
        fh.write(data)


def atomic_write_text(
    path: str | Path,
    text: str | Iterable[str],
    encoding: str = "utf-8",
    *,
    force: bool = False,
) -> None:
    """Write ``text`` (a string, or an iterable of pieces such as a generator) atomically.

    With a generator, an exception raised while producing the pieces leaves ``path`` untouched.
    """
    with atomic_open(path, encoding=encoding, force=force) as fh:
        if isinstance(text, str):
            fh.write(text)
        else:
            for piece in text:
                fh.write(piece)
