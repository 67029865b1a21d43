"""Reading SIPAS answers into counters: the CSV reader, line by line or a block at a time.

The input is a long CSV, one answer per row (``respondent,unit,item,answer``). The file is
streamed and never held in memory: per unit and item only ``levels + 1`` counters are kept, plus
one bit mask of answered items per respondent (:mod:`.sipas_counters`).

A file is read in blocks of whole lines (:func:`parindex.api.utf8_blocks`); a block of plain
lines is counted at once (:mod:`.sipas_blocks`), and any other block — one with a quoted cell, a
blank line, or something to report — is read line by line with :func:`csv.reader`, which raises
the error naming the file, line, column and item as it always did. Both give the same counts.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from parindex.api import open_binary, utf8_blocks
from parindex.model.errors import CsvFormatError
from parindex_papi_sipas.sipas_blocks import BlockTally
from parindex_papi_sipas.sipas_counters import BlockCounts, UnitTally
from parindex_papi_sipas.sipas_formula import SipasParameters, check_parameters
from parindex_papi_sipas.sipas_framework import SIPAS_2017, Framework, SipasError
from parindex_papi_sipas.sipas_results import SipasResult, unit_result

__all__ = ["REQUIRED_COLUMNS", "SipasAggregator", "aggregate_csv"]

REQUIRED_COLUMNS = ("respondent", "unit", "item", "answer")


class _Lines:
    """The lines of text pieces (as :func:`parindex.api.utf8_lines` gives them), for
    :func:`csv.reader`; ``number`` is the line number of the last line given."""

    def __init__(self, pieces: Iterator[str]) -> None:
        self.pieces = pieces
        self.queue: deque[str] = deque()
        self.number = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if not self.queue:
            self.queue.extend(_split(next(self.pieces)))  # StopIteration: the end of the file
        self.number += 1
        return self.queue.popleft()

    def rows(self, reader: Iterator[list[str]]) -> Iterator[list[str]]:
        """Rows of ``reader`` until the queued lines are used up at the end of a row."""
        while self.queue:
            row = next(reader, None)
            if row is None:
                return
            yield row


def _split(piece: str) -> list[str]:
    lines = [line + "\n" for line in piece.split("\n")]
    last = lines.pop()
    if last != "\n":  # a last line with no line end
        lines.append(last[:-1])
    return lines


class SipasAggregator:
    """Streaming tallies of answers per unit and item. Feed rows with :meth:`add` or
    :meth:`feed_csv`; read the result with :meth:`result` (any number of times)."""

    def __init__(
        self,
        framework: Framework = SIPAS_2017,
        parameters: SipasParameters | None = None,
    ) -> None:
        self.framework = framework
        self.parameters = parameters or SipasParameters()
        check_parameters(framework, self.parameters)
        self._codes = framework.item_codes()
        self._index = {code: i for i, code in enumerate(self._codes)}
        self._units: dict[str, UnitTally] = {}
        self._blocks = BlockCounts(len(self._codes), framework.levels)
        self.rows = 0
        self._answer_values = {str(level): level for level in range(1, framework.levels + 1)}

    # -- feeding ---------------------------------------------------------------------------
    def add(self, unit: str, respondent: str, item: str, answer: int | None) -> None:
        """Count one answer (``None`` for a blank). Raises :class:`SipasError` for bad values."""
        position = self._index.get(item)
        if position is None:
            raise SipasError(
                f"unknown item {item!r} (not in framework {self.framework.id})",
                field="item",
                hint="items: " + ", ".join(self._codes),
            )
        if answer is not None and not 1 <= answer <= self.framework.levels:
            raise SipasError(
                f"answer {answer} is outside 1–{self.framework.levels}", field="answer"
            )
        tally = self._units.get(unit)
        if tally is None:
            tally = self._units[unit] = self._new_tally()
        bit = 1 << position
        seen = tally.respondents.get(respondent, 0)
        if seen & bit:
            raise SipasError(
                f"respondent {respondent!r} of unit {unit!r} answered item {item!r} twice",
                field="item",
            )
        tally.respondents[respondent] = seen | bit
        tally.counts[position][0 if answer is None else answer] += 1
        tally.answers += 1
        self.rows += 1

    def feed_csv(self, source: str | Path | TextIO, *, name: str | None = None) -> None:
        """Stream a CSV file (path or open text stream) into the tallies."""
        if isinstance(source, (str, Path)):
            where = name or str(source)
            with open_binary(source) as handle:
                self.feed_blocks(utf8_blocks(handle, where), where)
        else:
            self.feed_lines(source, name or getattr(source, "name", None) or "<stream>")

    def feed_lines(self, lines: Iterable[str], name: str = "<lines>") -> None:
        """Stream CSV text lines (header first), e.g. from a generator or a socket."""
        reader = csv.reader(lines)
        columns = self._header(reader, name)
        self._count_rows(reader, columns, name, lambda: reader.line_num)

    def feed_blocks(self, pieces: Iterable[str], name: str = "<lines>") -> None:
        """Stream CSV text in pieces of whole lines (header first), as
        :func:`parindex.api.utf8_blocks` gives them: a piece of plain lines is counted at once,
        any other line by line. The counts, and any error, are those of :meth:`feed_lines`."""
        source = iter(pieces)
        lines = _Lines(source)
        reader = csv.reader(lines)
        columns = self._header(reader, name)
        blocks = BlockTally(self._codes, self.framework.levels, columns, self._blocks)
        levels, items = self.framework.levels, len(self._codes)

        def new() -> UnitTally:
            return UnitTally.empty(items, levels)

        def line() -> int:
            return lines.number

        while True:
            if lines.queue:  # the rest of the header's piece, or of a piece read line by line
                rest = "".join(lines.queue)
                if rest.count("\n") > 1 and self._count_block(blocks, rest, new, lines):
                    lines.queue.clear()
                else:
                    self._count_rows(lines.rows(reader), columns, name, line)
                continue
            piece = next(source, None)
            if piece is None:
                return
            if piece.count("\n") > 1 and self._count_block(blocks, piece, new, lines):
                continue
            lines.queue.extend(_split(piece))
            self._count_rows(lines.rows(reader), columns, name, line)

    def _count_block(
        self, blocks: BlockTally, text: str, new: Callable[[], UnitTally], lines: _Lines
    ) -> bool:
        counted = blocks.count(text, self._units, new)
        if counted is None:
            return False
        self.rows += counted
        lines.number += text.count("\n") + (not text.endswith("\n"))
        return True

    def _header(self, reader: Iterator[list[str]], name: str) -> tuple[int, int, int, int]:
        try:
            header = next(reader)
        except StopIteration:
            raise CsvFormatError(
                "the file is empty; expected a header " + ",".join(REQUIRED_COLUMNS),
                file=name,
                line=1,
            ) from None
        except csv.Error as exc:
            raise CsvFormatError(f"cannot read the header: {exc}", file=name, line=1) from None
        columns = [h.strip().lower().lstrip("\ufeff") for h in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise CsvFormatError(
                f"missing column(s) {', '.join(missing)}; the header is {','.join(header)}",
                file=name,
                line=1,
                hint="columns: respondent, unit, item, answer",
            )
        ri, ui, ii, ai = (columns.index(c) for c in REQUIRED_COLUMNS)
        return ri, ui, ii, ai

    def _count_rows(
        self,
        rows: Iterator[list[str]],
        columns: tuple[int, int, int, int],
        name: str,
        line: Callable[[], int],
    ) -> None:
        """Count rows one by one; ``line()`` is the line number of the row just read."""
        ri, ui, ii, ai = columns
        width = max(columns) + 1
        # The hot loop: the same checks as add(), inlined. Anything unusual goes through
        # _add_text, which raises the located error.
        index, units, levels = self._index, self._units, self._answer_values
        counted = 0
        try:
            for row in rows:
                if len(row) < width:
                    if not any(cell.strip() for cell in row):
                        continue  # a blank line
                    raise CsvFormatError(
                        f"expected at least {width} fields, got {len(row)}",
                        file=name,
                        line=line(),
                    )
                respondent, unit = row[ri].strip(), row[ui].strip()
                item, answer = row[ii].strip(), row[ai].strip()
                position = index.get(item)
                level = levels.get(answer, -1) if answer else 0
                if position is None or level < 0 or not respondent or not unit:
                    self._add_text((respondent, unit, item, answer), name, line())
                    raise AssertionError("unreachable: _add_text raises")  # pragma: no cover
                tally = units.get(unit)
                if tally is None:
                    tally = units[unit] = self._new_tally()
                bit = 1 << position
                seen = tally.respondents.get(respondent, 0)
                if seen & bit:
                    self._add_text((respondent, unit, item, answer), name, line())
                    raise AssertionError("unreachable: _add_text raises")  # pragma: no cover
                tally.respondents[respondent] = seen | bit
                tally.counts[position][level] += 1
                tally.answers += 1
                counted += 1
        except csv.Error as exc:
            raise CsvFormatError(str(exc), file=name, line=line()) from None
        finally:
            self.rows += counted

    def _new_tally(self) -> UnitTally:
        return UnitTally.empty(len(self._codes), self.framework.levels)

    def _add_text(self, row: Sequence[str], file: str | None, line: int) -> None:
        respondent, unit, item, answer = (cell.strip() for cell in row)
        if not respondent:
            raise SipasError("empty respondent", file=file, line=line, field="respondent")
        if not unit:
            raise SipasError("empty unit", file=file, line=line, field="unit")
        if answer:
            level = self._answer_values.get(answer)
            if level is None:
                raise SipasError(
                    f"answer {answer!r} is not a level 1–{self.framework.levels} or blank",
                    file=file,
                    line=line,
                    field="answer",
                    code=item or None,
                )
        else:
            level = None
        try:
            self.add(unit, respondent, item, level)
        except SipasError as exc:
            exc.located(file=file, line=line, code=item or None)
            raise

    # -- results ---------------------------------------------------------------------------
    def result(self, *, file: str | None = None) -> SipasResult:
        units = []
        for name, tally in sorted(self._units.items()):
            counts, answers = self._blocks.total(name, tally)
            units.append(
                unit_result(
                    self.framework,
                    self.parameters,
                    name,
                    len(tally.respondents),
                    answers,
                    counts,
                )
            )
        return SipasResult(self.framework, self.parameters, tuple(units), self.rows, file)


def aggregate_csv(
    source: str | Path | TextIO,
    parameters: SipasParameters | None = None,
    framework: Framework = SIPAS_2017,
) -> SipasResult:
    """Stream one answer file and return the per-unit result."""
    aggregator = SipasAggregator(framework, parameters)
    aggregator.feed_csv(source)
    name = str(source) if isinstance(source, (str, Path)) else None
    return aggregator.result(file=name)
