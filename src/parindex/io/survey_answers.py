"""Reading raw survey answers: one row per respondent × question, streamed.

The file is a CSV with (at least) the columns ``respondent``, ``unit``, ``question`` (or ``item``)
and ``answer``; other columns are ignored. It is read one line at a time (never whole), with the
core's limits on line length and its located errors: a bad byte, a short row, an empty respondent
or unit names the file and line. The values are checked by the caller, who knows the scale.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from parindex.io.csvlines import csv_name, open_binary, utf8_lines
from parindex.model.errors import CsvFormatError

REQUIRED = ("respondent", "unit", "question", "answer")
#: ``item`` is accepted for ``question`` (the column name of the satisfaction surveys' files).
ALIASES = {"item": "question"}


class AnswerRow(NamedTuple):
    line: int
    respondent: str
    unit: str
    question: str
    answer: str


@contextmanager
def answer_rows(path: str | Path) -> Iterator[tuple[str, tuple[int, int, int, int], Any]]:
    """Open ``path`` and check its header; give its name, the column positions of respondent,
    unit, question and answer, and the :func:`csv.reader` over the remaining lines (its
    ``line_num`` is the line of the row just read). For callers with their own fast loop."""
    name = csv_name(path)
    with open_binary(path) as handle:
        reader = csv.reader(utf8_lines(handle, name))
        try:
            header = next(reader)
        except StopIteration:
            raise CsvFormatError(
                "the file is empty; expected a header " + ",".join(REQUIRED), file=name, line=1
            ) from None
        except csv.Error as exc:
            raise CsvFormatError(f"cannot read the header: {exc}", file=name, line=1) from None
        columns = [h.strip().lower() for h in header]
        columns = [ALIASES.get(c, c) if ALIASES.get(c) not in columns else c for c in columns]
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise CsvFormatError(
                f"missing column(s) {', '.join(missing)}; the header is {','.join(header)}",
                file=name,
                line=1,
                hint="columns: respondent, unit, question (or item), answer",
            )
        ri, ui, qi, ai = (columns.index(c) for c in REQUIRED)
        try:
            yield name, (ri, ui, qi, ai), reader
        except csv.Error as exc:
            raise CsvFormatError(str(exc), file=name, line=reader.line_num) from None


def short_row(row: list[str], width: int, name: str, line: int) -> bool:
    """True for a blank line (skipped); raise for a row with too few fields."""
    if not any(cell.strip() for cell in row):
        return True
    raise CsvFormatError(f"expected at least {width} fields, got {len(row)}", file=name, line=line)


def iter_answers(path: str | Path) -> Iterator[AnswerRow]:
    """The answer rows of ``path`` (``-`` for standard input), stripped, blank lines skipped."""
    with answer_rows(path) as (name, (ri, ui, qi, ai), reader):
        width = max(ri, ui, qi, ai) + 1
        for row in reader:
            if len(row) < width and short_row(row, width, name, reader.line_num):
                continue
            respondent, unit = row[ri].strip(), row[ui].strip()
            if not respondent or not unit:
                what = "respondent" if not respondent else "unit"
                raise CsvFormatError(f"empty {what}", file=name, line=reader.line_num)
            yield AnswerRow(reader.line_num, respondent, unit, row[qi].strip(), row[ai].strip())


__all__ = ["AnswerRow", "answer_rows", "iter_answers", "short_row"]
