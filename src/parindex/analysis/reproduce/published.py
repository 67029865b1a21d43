"""Reading a published dataset CSV into rows that keep every number's text (hence its precision).

The format::

    ruleset,year,unit,total,rank,group,source,note,appraisal,sipas,leaders,impact
    moha.province,2020,Quảng Ninh,91.04,1,A,http://…,,57.66,9.56,18.83,5

``ruleset``, ``year`` and ``unit`` are required; ``total``, ``rank``, ``group``, ``source``,
``note``, ``unit_name`` and ``view`` are optional; every other column is a node code (of any view
of the ruleset) holding published points, empty meaning unknown.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from parindex.analysis.reproduce.tolerance import decimals_of, row_quanta, written_quantum
from parindex.io.csvlines import open_binary, utf8_lines
from parindex.model.decimals import NumberError, to_decimal
from parindex.model.errors import CsvFormatError

REQUIRED = ("ruleset", "year", "unit")
META = ("ruleset", "year", "unit", "unit_name", "total", "rank", "group", "source", "note", "view")

#: The key under which the published total's text and quantum are kept.
TOTAL = "total"


@dataclass(frozen=True)
class PublishedRow:
    line: int
    ruleset: str
    year: int
    unit: str
    unit_name: str | None
    total: Decimal | None
    rank: int | None
    group: str | None
    source: str | None
    note: str | None
    view: str | None
    values: dict[str, Decimal]
    #: The most decimals written in any number of the row.
    decimals: int
    #: Every number as written (node codes, and ``total``).
    texts: dict[str, str] = field(default_factory=dict)
    #: The quantum of every number (node codes, and ``total``): see ``tolerance``.
    quanta: dict[str, Decimal] = field(default_factory=dict)

    def quantum(self, code: str) -> Decimal:
        """The quantum of the number published for ``code`` (or ``total``)."""
        known = self.quanta.get(code)
        if known is not None:
            return known
        # a row built in code without its texts: the precision the value itself shows
        value = self.total if code == TOTAL else self.values[code]
        assert value is not None
        return written_quantum(value)


def read_published(path: str | Path) -> list[PublishedRow]:
    """Read a published dataset CSV; raises :class:`CsvFormatError` naming line and column."""
    path = Path(path)
    rows: list[PublishedRow] = []
    with open_binary(path) as handle:
        reader = csv.reader(utf8_lines(handle, str(path)))
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise CsvFormatError("the file is empty", file=path, line=1) from None
        except csv.Error as exc:
            raise CsvFormatError(
                f"the header cannot be read as CSV: {exc}", file=path, line=1
            ) from None
        if any(not h for h in header):
            raise CsvFormatError(
                f"empty column name (column {header.index('') + 1})", file=path, line=1
            )
        dup = sorted({h for h in header if header.count(h) > 1})
        if dup:
            raise CsvFormatError(f"duplicated column(s): {', '.join(dup)}", file=path, line=1)
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise CsvFormatError(
                f"missing column(s): {', '.join(missing)}",
                file=path,
                line=1,
                hint="columns: ruleset, year, unit, optional total, rank, group, source, then"
                " one column per node code",
            )
        codes = [h for h in header if h not in META]
        seen: dict[tuple[str, int, str], int] = {}
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise CsvFormatError(
                        f"row has {len(row)} cells, the header has {len(header)}",
                        file=path,
                        line=line,
                    )
                cells = dict(zip(header, (c.strip() for c in row), strict=True))
                rows.append(parse_row(cells, codes, path, line))
                r = rows[-1]
                key = (r.ruleset, r.year, r.unit)
                if key in seen:
                    raise CsvFormatError(
                        f"unit {r.unit!r} appears twice for {r.ruleset} {r.year} (lines"
                        f" {seen[key]} and {line})",
                        file=path,
                        line=line,
                        field="unit",
                    )
                seen[key] = line
        except csv.Error as exc:
            raise CsvFormatError(str(exc), file=path, line=reader.line_num) from None
    return rows


def parse_row(cells: dict[str, str], codes: Sequence[str], path: Path, line: int) -> PublishedRow:
    """One data line of the CSV (cells by column name) as a :class:`PublishedRow`."""

    def number(column: str, is_code: bool = False) -> Decimal | None:
        text = cells.get(column, "")
        if text == "":
            return None
        try:
            return to_decimal(text)
        except NumberError as exc:
            raise CsvFormatError(
                str(exc), file=path, line=line, field=column, code=column if is_code else None
            ) from None

    for column in REQUIRED:
        if not cells[column]:
            raise CsvFormatError(f"empty {column}", file=path, line=line, field=column)
    try:
        if not (cells["year"].isascii() and cells["year"].isdigit()):
            raise ValueError  # int() also reads ٢٠٢٠ and 2_020
        year = int(cells["year"])
    except ValueError:
        raise CsvFormatError(
            f"year {cells['year']!r} is not a whole number", file=path, line=line, field="year"
        ) from None
    rank: int | None = None
    if cells.get("rank"):
        try:
            rank = int(cells["rank"])
        except ValueError:
            rank = None
        if rank is None or rank < 1:
            raise CsvFormatError(
                f"rank {cells['rank']!r} is not a whole number ≥ 1",
                file=path,
                line=line,
                field="rank",
            )
    total = number(TOTAL)
    values: dict[str, Decimal] = {}
    for code in codes:
        got = number(code, is_code=True)
        if got is not None:
            values[code] = got
    numbers = dict(values)
    if total is not None:
        numbers[TOTAL] = total
    texts = {k: cells[k] for k in numbers}
    quanta = row_quanta(texts, numbers)
    return PublishedRow(
        line=line,
        ruleset=cells["ruleset"],
        year=year,
        unit=cells["unit"],
        unit_name=cells.get("unit_name") or None,
        total=total,
        rank=rank,
        group=cells.get("group") or None,
        source=cells.get("source") or None,
        note=cells.get("note") or None,
        view=cells.get("view") or None,
        values=values,
        decimals=max((decimals_of(q) for q in quanta.values()), default=0),
        texts=texts,
        quanta=quanta,
    )
