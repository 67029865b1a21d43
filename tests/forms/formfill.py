"""Filling self-assessment forms the way an office does (openpyxl, cell by cell): helpers that
the tests of this folder import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from parindex.io.forms import COLUMN, FIRST_ROW

REPO = Path(__file__).resolve().parents[2]


def row_of(sheet: Any, code: str) -> int:
    for row in range(FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row, COLUMN["code"]).value == code:
            return int(row)
    raise KeyError(code)


def fill(path: Path, values: dict[str, dict[str, Any]], out: Path | None = None) -> Path:
    """Type ``values`` (code → {column key: value}) into the form at ``path``; save to ``out``."""
    book = load_workbook(path)
    for code, cells in values.items():
        for sheet in book.worksheets[1:-1]:
            try:
                row = row_of(sheet, code)
            except KeyError:
                continue
            for key, value in cells.items():
                sheet.cell(row, COLUMN[key], value)
            break
        else:
            raise KeyError(code)
    target = out or path
    book.save(target)
    return target
