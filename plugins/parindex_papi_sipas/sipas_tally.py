"""Reading SIPAS answers into counters: the CSV reader, line by line or a block at a time.

The input is a long CSV, one answer per row (``respondent,unit,item,answer``). The file is
streamed and never held in memory: per unit and item only ``levels + 1`` counters are kept, and
who answered what in ordered mode (the respondent being read, per unit) or, for a file whose
respondents are out of that order, in exact mode (one bit mask per respondent), see
:mod:`.sipas_counters`.

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
from parindex_papi_sipas.sipas_counters import BlockCounts, OutOfOrder, UnitTally, comes_after
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
    :meth:`feed_csv`; read the result with :meth:`result` (any number of times).

    A file fed by path is read in ordered mode (memory bounded by units × items); the first
    respondent out of order makes the aggregator read every file fed so far again, in exact
    mode, which it keeps from then on (:mod:`.sipas_counters`). Rows given by :meth:`add`, lines,
    blocks, a stream or standard input cannot be read again, so they are counted in exact mode.
    Both modes give the same result and the same errors."""

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
        self._answer_values = {str(level): level for level in range(1, framework.levels + 1)}
        #: the files read in ordered mode, to read again in exact mode; None in exact mode
        self._ordered: list[tuple[str | Path, str]] | None = []
        self._clear()

    def _clear(self) -> None:
        self._units: dict[str, UnitTally] = {}
        self._blocks = BlockCounts(len(self._codes), self.framework.levels)
        self.rows = 0

    @property
    def ordered(self) -> bool:
        """Whether the counts so far were made in ordered mode (bounded memory)."""
        return self._ordered is not None

    def _exact(self) -> None:
        """Go over to exact mode: the files read in ordered mode are read again."""
        if self._ordered is None:
            return
        again, self._ordered = self._ordered, None
        self._clear()
        for path, where in again:
            self._read_path(path, where)

    # -- feeding ---------------------------------------------------------------------------
    def add(self, unit: str, respondent: str, item: str, answer: int | None) -> None:
        """Count one answer (``None`` for a blank). Raises :class:`SipasError` for bad values."""
        self._exact()
        position = self._position(item)
        if answer is not None and not 1 <= answer <= self.framework.levels:
            raise SipasError(
                f"answer {answer} is outside 1–{self.framework.levels}", field="answer"
            )
        tally = self._units.get(unit)
        if tally is None:
            tally = self._units[unit] = self._new_tally()
        assert tally.respondents is not None  # exact mode
        bit = 1 << position
        seen = tally.respondents.get(respondent, 0)
        if seen & bit:
            raise _twice(respondent, unit, item)
        tally.respondents[respondent] = seen | bit
        tally.counts[position][0 if answer is None else answer] += 1
        tally.answers += 1
        self.rows += 1

    def _position(self, item: str) -> int:
        position = self._index.get(item)
        if position is None:
            raise SipasError(
                f"unknown item {item!r} (not in framework {self.framework.id})",
                field="item",
                hint="items: " + ", ".join(self._codes),
            )
        return position

    def feed_csv(self, source: str | Path | TextIO, *, name: str | None = None) -> None:
        """Stream a CSV file (path or open text stream) into the tallies."""
        if not isinstance(source, (str, Path)):
            self.feed_lines(source, name or getattr(source, "name", None) or "<stream>")
            return
        where = name or str(source)
        if str(source) == "-":  # standard input: read once, so counted in exact mode
            self._exact()
        if self._ordered is None:
            self._read_path(source, where)
            return
        self._ordered.append((source, where))
        try:
            self._read_path(source, where)
            return
        except OutOfOrder:
            pass
        self._exact()  # out of the handler: the first reading's counters are freed before

    def _read_path(self, source: str | Path, where: str) -> None:
        with open_binary(source) as handle:
            self._read_blocks(utf8_blocks(handle, where), where)

    def feed_lines(self, lines: Iterable[str], name: str = "<lines>") -> None:
        """Stream CSV text lines (header first), e.g. from a generator or a socket."""
        self._exact()
        reader = csv.reader(lines)
        columns = self._header(reader, name)
        self._count_rows(reader, columns, name, lambda: reader.line_num)

    def feed_blocks(self, pieces: Iterable[str], name: str = "<lines>") -> None:
        """Stream CSV text in pieces of whole lines (header first), as
        :func:`parindex.api.utf8_blocks` gives them: a piece of plain lines is counted at once,
        any other line by line. The counts, and any error, are those of :meth:`feed_lines`."""
        self._exact()
        self._read_blocks(pieces, name)

    def _read_blocks(self, pieces: Iterable[str], name: str) -> None:
        source = iter(pieces)
        lines = _Lines(source)
        reader = csv.reader(lines)
        columns = self._header(reader, name)
        exact = self._ordered is None
        blocks = BlockTally(self._codes, self.framework.levels, columns, self._blocks, exact=exact)
        new = self._new_tally

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
                known = tally.respondents
                if known is None:  # ordered mode
                    if respondent != tally.last:
                        if not comes_after(respondent, tally.last):
                            raise OutOfOrder
                        tally.last, tally.mask = respondent, 0
                        tally.people += 1
                    seen = tally.mask
                    if seen & bit:
                        self._add_text((respondent, unit, item, answer), name, line())
                        raise AssertionError("unreachable: _add_text raises")  # pragma: no cover
                    tally.mask = seen | bit
                else:
                    seen = known.get(respondent, 0)
                    if seen & bit:
                        self._add_text((respondent, unit, item, answer), name, line())
                        raise AssertionError("unreachable: _add_text raises")  # pragma: no cover
                    known[respondent] = seen | bit
                tally.counts[position][level] += 1
                tally.answers += 1
                counted += 1
        except csv.Error as exc:
            raise CsvFormatError(str(exc), file=name, line=line()) from None
        finally:
            self.rows += counted

    def _new_tally(self) -> UnitTally:
        exact = self._ordered is None
        return UnitTally.empty(len(self._codes), self.framework.levels, exact=exact)

    def _add_text(self, row: Sequence[str], file: str | None, line: int) -> None:
        """Raise the located error of a row the fast paths refused: a cell that is not valid,
        or (when every cell is) the item answered twice."""
        respondent, unit, item, answer = (cell.strip() for cell in row)
        if not respondent:
            raise SipasError("empty respondent", file=file, line=line, field="respondent")
        if not unit:
            raise SipasError("empty unit", file=file, line=line, field="unit")
        if answer and answer not in self._answer_values:
            raise SipasError(
                f"answer {answer!r} is not a level 1–{self.framework.levels} or blank",
                file=file,
                line=line,
                field="answer",
                code=item or None,
            )
        try:
            self._position(item)
            raise _twice(respondent, unit, item)
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
                    tally.respondent_count,
                    answers,
                    counts,
                )
            )
        return SipasResult(self.framework, self.parameters, tuple(units), self.rows, file)


def _twice(respondent: str, unit: str, item: str) -> SipasError:
    return SipasError(
        f"respondent {respondent!r} of unit {unit!r} answered item {item!r} twice", field="item"
    )


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
