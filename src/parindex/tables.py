"""Reading batches of assessments from CSV: columns ruleset, year, unit, then node codes."""

from __future__ import annotations

import csv
from pathlib import Path

from parindex.errors import CsvFormatError, ParindexError
from parindex.loading import assessment_from_data
from parindex.models import Assessment
from parindex.yamlio import DEFAULT_LIMITS, Limits, read_text

REQUIRED = ("ruleset", "year", "unit")
#: Columns that describe a row rather than hold points.
META = {"ruleset", "year", "unit", "unit_name", "total", "rank", "group", "source", "note", "view"}


def assessments_from_csv(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[Assessment]:
    text = read_text(path, limits)
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader)
    except StopIteration:
        raise CsvFormatError("CSV file is empty", file=path) from None
    header = [h.strip() for h in header]
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        raise CsvFormatError(f"duplicated column(s): {', '.join(dup)}", file=path, line=1)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CsvFormatError(
            f"missing column(s): {', '.join(missing)}",
            file=path,
            line=1,
            hint="columns: ruleset, year, unit, then one per node code",
        )
    out = []
    for lineno, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise CsvFormatError(
                f"row has {len(row)} cells, header has {len(header)}", file=path, line=lineno
            )
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        try:
            year = int(cells["year"])
        except ValueError:
            raise CsvFormatError(
                f"year {cells['year']!r} is not a whole number",
                file=path,
                line=lineno,
                field="year",
            ) from None
        data = {
            "ruleset": cells["ruleset"],
            "year": year,
            "unit": {"id": cells["unit"], "name": cells.get("unit_name") or cells["unit"]},
            "inputs": {k: v for k, v in cells.items() if k not in META and v != ""},
        }
        if cells.get("view"):
            data["view"] = cells["view"]
        try:
            out.append(assessment_from_data(data))
        except ParindexError as err:
            raise err.located(file=path, line=lineno) from None
    return out
