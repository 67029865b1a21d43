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

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from parindex.io.files import input_name, open_input
from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, nfc
from parindex.model.errors import CsvFormatError, LimitExceededError
from parindex.model.text import describe_char, find_control

#: Bytes read at once by :func:`utf8_lines`: whole lines of such a block are decoded and checked
#: together, which costs a fraction of doing it line by line; small, so memory stays flat.
BLOCK_BYTES = 1 << 16

#: The ASCII bytes allowed in text (:data:`parindex.model.text.CONTROL` refuses the others).
_ASCII_TEXT = b"\t\n\r" + bytes(range(0x20, 0x7F))


def utf8_lines(handle: BinaryIO, name: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[str]:
    """Decoded lines of ``handle``; raises :class:`CsvFormatError` naming a bad line.

    The file is read in blocks of :data:`BLOCK_BYTES`; a block's whole lines are decoded, checked
    for control characters and normalised at once, and any block with something to report is
    read again line by line, so every error names the line (and column) it would name read so."""
    for piece in utf8_blocks(handle, name, limits):
        lines = piece.split("\n")
        last = lines.pop()  # empty but for a last line with no line end
        for line in lines:
            yield line + "\n"
        if last:
            yield last


def utf8_blocks(handle: BinaryIO, name: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[str]:
    """The text of :func:`utf8_lines` in pieces of whole lines: the lines of one block at once, or,
    for a block with something to report, one line a piece (the error is then raised after the
    lines before it). For readers that take a block of lines at once."""
    max_line = limits.max_line_bytes
    number = 0
    rest = b""
    while True:
        block = handle.read(BLOCK_BYTES)
        if not block:
            if rest:
                yield from _line_by_line(rest, name, limits, number)
            return
        data = rest + block if rest else block
        cut = data.rfind(b"\n") + 1
        if cut == 0:  # no line ends in the block: the line goes on in the next one
            if len(data) > max_line:
                yield from _line_by_line(data, name, limits, number)  # raises: too long
            rest = data
            continue
        whole, rest = data[:cut], data[cut:]
        text = _checked(whole, max_line)
        if text is None:  # the line reader locates the error (or reads a byte order mark)
            yield from _line_by_line(whole, name, limits, number)
        else:
            yield text[1:] if number == 0 and text.startswith("\ufeff") else text
        number += whole.count(b"\n")


def _checked(whole: bytes, max_line: int) -> str | None:
    """The whole lines ``whole`` decoded and in NFC, or None when one of them is too long, not
    UTF-8 or holds a refused control character (the line reader then says which)."""
    if len(whole) > max_line and max(map(len, whole.split(b"\n"))) >= max_line:
        return None
    if whole.isascii():  # the usual case, checked without a regular expression; ASCII is NFC
        return None if whole.translate(None, _ASCII_TEXT) else whole.decode("ascii")
    try:
        text = whole.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if find_control(text) is not None:
        return None
    # a line feed never combines with what is around it, so the block's normal form is that of
    # its lines
    return nfc(text)


def _line_by_line(data: bytes, name: str, limits: Limits, before: int) -> Iterator[str]:
    """The lines of ``data`` read one by one (``before`` lines came earlier), with the errors
    located on them."""
    handle = io.BytesIO(data)
    max_line = limits.max_line_bytes
    number = before
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
    "BLOCK_BYTES",
    "csv_name",
    "open_binary",
    "utf8_blocks",
    "utf8_lines",
]
