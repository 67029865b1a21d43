"""Reading batches of assessments from CSV: columns ruleset, year, unit, then node codes.

Every problem is a :class:`~parindex.model.errors.CsvFormatError` (or the located error of the
assessment a row describes) naming the file and line: a missing, unnamed or duplicated column, a
row with the wrong number of cells, a malformed quoted field, a year that is not a whole number, a
unit given twice.

Scoring the rows, with each error placed at its row, is :func:`parindex.api.score_csv`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from parindex.io.loading import assessment_from_data
from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, read_text
from parindex.model.documents import Assessment
from parindex.model.errors import CsvFormatError, ParindexError

REQUIRED = ("ruleset", "year", "unit")
#: Columns that describe a row rather than hold points.
META = {"ruleset", "year", "unit", "unit_name", "total", "rank", "group", "source", "note", "view"}


def assessments_from_csv(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[Assessment]:
    return assessments_from_csv_text(read_text(path, limits), file=path)


def assessments_from_csv_text(text: str, *, file: str | Path | None = None) -> list[Assessment]:
    """Assessments from the text of a CSV file (``file`` names it in errors)."""
    return [a for _, a in rows_from_csv_text(text, file=file)]


def rows_from_csv_text(
    text: str, *, file: str | Path | None = None
) -> list[tuple[int, Assessment]]:
    """Each row's assessment with the line the row starts on."""
    name = str(file) if file is not None else None
    # newline="" keeps line breaks inside quoted cells as they were written.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _rows(reader, name)
    try:
        lineno, header = next(rows)
    except StopIteration:
        raise CsvFormatError("CSV file is empty", file=name, line=1) from None
    header = [h.strip() for h in header]
    unnamed = [i + 1 for i, h in enumerate(header) if not h]
    if unnamed:
        raise CsvFormatError(
            f"column {unnamed[0]} has no name",
            file=name,
            line=lineno,
            hint="every column needs a name: ruleset, year, unit or a node code",
        )
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        raise CsvFormatError(f"duplicated column(s): {', '.join(dup)}", file=name, line=lineno)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CsvFormatError(
            f"missing column(s): {', '.join(missing)}",
            file=name,
            line=lineno,
            hint="columns: ruleset, year, unit, then one per node code",
        )
    out: list[tuple[int, Assessment]] = []
    seen: dict[tuple[str, int, str], int] = {}
    for lineno, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise CsvFormatError(
                f"row has {len(row)} cells, header has {len(header)}", file=name, line=lineno
            )
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        try:
            if not (cells["year"].isascii() and cells["year"].isdigit()):
                raise ValueError  # int() also reads ٢٠٢٠, " 2020" and "2_020"
            year = int(cells["year"])
        except ValueError:
            raise CsvFormatError(
                f"year {cells['year']!r} is not a whole number",
                file=name,
                line=lineno,
                field="year",
            ) from None
        key = (cells["ruleset"], year, cells["unit"])
        if key in seen:
            raise CsvFormatError(
                f"unit {cells['unit']!r} appears twice for {cells['ruleset']} {year} (first at"
                f" line {seen[key]}); a ranking would count it twice",
                file=name,
                line=lineno,
                field="unit",
            )
        seen[key] = lineno
        data = {
            "ruleset": cells["ruleset"],
            "year": year,
            "unit": {"id": cells["unit"], "name": cells.get("unit_name") or cells["unit"]},
            "inputs": {k: v for k, v in cells.items() if k not in META and v != ""},
        }
        if cells.get("view"):
            data["view"] = cells["view"]
        try:
            out.append((lineno, assessment_from_data(data)))
        except ParindexError as err:
            raise err.located(file=name, line=lineno) from None
        except ArithmeticError as exc:  # a number the decimal module cannot even compare
            raise CsvFormatError(
                f"a number in this row is out of range ({type(exc).__name__})",
                file=name,
                line=lineno,
            ) from None
    return out


class _Reader(Protocol):
    line_num: int

    def __next__(self) -> list[str]: ...


def _rows(reader: _Reader, name: str | None) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it starts on; a malformed row is a located error."""
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num or 1
            if "field larger than field limit" in str(exc):
                raise CsvFormatError(
                    f"a cell is longer than {csv.field_size_limit()} characters",
                    file=name,
                    line=line,
                    hint="is a quote missing? a quoted cell runs to the next quote",
                ) from None
            raise CsvFormatError(
                f"malformed CSV: {exc}",
                file=name,
                line=line,
                hint="a quoted cell must end with a quote followed by a comma"
                " or the end of the line",
            ) from None
        yield start, row
        start = reader.line_num + 1
