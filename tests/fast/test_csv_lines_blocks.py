"""utf8_lines reads blocks at once; every line, and every error with its line and column, is
what reading the file line by line gives, wherever the block boundaries fall."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.io import csvlines
from parindex.io.yamlfile import Limits
from parindex.model.errors import CsvFormatError, LimitExceededError, ParindexError

LIMITS = Limits(max_line_bytes=40)


def _one_by_one(data: bytes) -> Iterator[str]:
    """The reference: the line reader on the whole file."""
    return csvlines._line_by_line(data, "f.csv", LIMITS, 0)


def _outcome(lines: Iterator[str]) -> tuple[list[str], tuple[type, int | None, str] | None]:
    got: list[str] = []
    try:
        for line in lines:
            got.append(line)
    except ParindexError as err:
        return got, (type(err), err.line, err.message)
    return got, None


pieces = st.sampled_from(
    ["a,b", "1,2", "\ufeffx", "é", "e\u0301", "\x01", "\u202e", "\t", "\r", "", "y" * 45]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(pieces, max_size=4), max_size=12), st.booleans(), st.integers(1, 64))
def test_blocks_read_what_lines_read(rows: list[list[str]], end: bool, block: int) -> None:
    text = "\n".join("".join(r) for r in rows) + ("\n" if end else "")
    data = text.encode("utf-8") + (b"\xff\n" if block % 7 == 0 else b"")
    saved = csvlines.BLOCK_BYTES
    csvlines.BLOCK_BYTES = block
    try:
        blocks = _outcome(csvlines.utf8_lines(io.BytesIO(data), "f.csv", LIMITS))
    finally:
        csvlines.BLOCK_BYTES = saved
    assert blocks == _outcome(_one_by_one(data))


def test_errors_name_the_line_in_a_later_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvlines, "BLOCK_BYTES", 16)
    data = b"".join(b"row%02d,ok\n" % i for i in range(20)) + b"bad\x02x\n"
    with pytest.raises(CsvFormatError) as err:
        list(csvlines.utf8_lines(io.BytesIO(data), "f.csv", LIMITS))
    assert (err.value.line, "column 4" in err.value.message) == (21, True)
    with pytest.raises(LimitExceededError) as long:
        list(csvlines.utf8_lines(io.BytesIO(b"a\n" + b"z" * 100), "f.csv", LIMITS))
    assert long.value.line == 2
