"""Reading CSV text line by line with exact line numbers.

:func:`open_utf8_lines` opens a file in binary mode and decodes one line at a time, so a byte that
is not UTF-8 is reported with the line it is on, and the file is never read whole. Each line is
read at most :data:`~parindex.io.yamlfile.Limits` ``max_line_bytes`` long (a file of one endless
line cannot exhaust memory), and a control character other than tab, line feed and carriage return
is refused with its line. A UTF-8 byte order mark on the first line is dropped, and each line is
given in Unicode normal form NFC. The result feeds :func:`csv.reader` directly.

(Writing: :func:`parindex.model.text.safe_cell` is the rule for every cell parindex writes.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from parindex.io.files import input_name, open_input
from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, nfc
from parindex.model.errors import CsvFormatError, LimitExceededError
from parindex.model.text import describe_char, find_control


def utf8_lines(handle: BinaryIO, name: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[str]:
    """Decoded lines of ``handle``; raises :class:`CsvFormatError` naming a bad line."""
    max_line = limits.max_line_bytes
    number = 0
    while True:
        raw = handle.readline(max_line + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_line:
            raise LimitExceededError(
                f"line is longer than the limit of {max_line} bytes",
                file=name,
                line=number,
                hint=limits.hint("max_line_bytes"),
            )
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
        bad = find_control(text)
        if bad is not None:
            raise CsvFormatError(
                f"control character {describe_char(text[bad])} at column {bad + 1} is not"
                " allowed in text",
                file=name,
                line=number,
            )
        yield nfc(text)


def open_binary(path: str | Path) -> BinaryIO:
    """Open ``path`` (a regular file, or ``-`` for standard input) for reading, or raise
    :class:`InputFileError` naming it."""
    # (the streamed readers have always said it this way; their callers match on it)
    return open_input(path, not_found="cannot read file: No such file or directory")


def csv_name(path: str | Path) -> str:
    """How a CSV input is named in messages."""
    return input_name(path)


__all__ = [
    "csv_name",
    "open_binary",
    "utf8_lines",
]
