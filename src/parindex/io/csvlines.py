"""Reading CSV text line by line with exact line numbers for encoding errors.

:func:`open_utf8_lines` opens a file in binary mode and decodes one line at a time, so a byte that
is not UTF-8 is reported with the line it is on, and the file is never read whole. A UTF-8 byte
order mark on the first line is dropped. The result feeds :func:`csv.reader` directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from parindex.model.errors import CsvFormatError, InputFileError


def utf8_lines(handle: BinaryIO, name: str) -> Iterator[str]:
    """Decoded lines of ``handle``; raises :class:`CsvFormatError` naming a bad line."""
    for number, raw in enumerate(handle, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CsvFormatError(
                f"not UTF-8 text: byte {raw[exc.start]:#04x} at column {exc.start + 1}",
                file=name,
                line=number,
                hint="save the file as UTF-8",
            ) from None
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        yield text


def open_binary(path: str | Path) -> BinaryIO:
    """Open ``path`` for reading, or raise :class:`InputFileError` naming it."""
    try:
        return Path(path).open("rb")
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror}", file=str(path)) from None
