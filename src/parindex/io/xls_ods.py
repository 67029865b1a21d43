"""Reading one sheet of an ``.xls`` (Excel 97–2003) or ``.ods`` (LibreOffice, OpenDocument)
workbook, within the limits and with the located errors of :mod:`parindex.io.xlsx`.

Offices still keep criteria tables in ``.xls``, and LibreOffice saves ``.ods`` by default.
python-calamine (``pip install 'parindex[ods]'``; a compiled reader, imported only here) reads both:

* the file is at most ``PARINDEX_MAX_FILE_BYTES``, read once into memory; an ``.ods`` is a zip
  archive and has its members checked as an ``.xlsx``'s are (declared sizes before anything is
  decompressed, no document type declaration) before calamine opens it;
* the sheet's declared size is checked against ``PARINDEX_MAX_ROWS`` and ``PARINDEX_MAX_COLUMNS``
  before its cells are read, then every row and cell as it is read, with the cell length, control
  character and NFC rules of every reader;
* a formula cell is read as the value saved with it, as in an ``.xlsx``;
* merged ranges are reported as :class:`Sheet.merged`: calamine gives those of an ``.xls``; those of
  an ``.ods`` are read here from its ``content.xml`` (the spans of its cells).
"""

from __future__ import annotations

import importlib
import io
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from parindex.io.files import input_name
from parindex.io.xlsx import Sheet, _check_members, column_letter, read_bounded
from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, nfc
from parindex.model.errors import InputFileError, LimitExceededError, ParindexError
from parindex.model.text import describe_char, find_control

#: Suffixes read through python-calamine.
CALAMINE_SUFFIXES = (".xls", ".ods")

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _calamine(name: str) -> Any:
    try:
        return importlib.import_module("python_calamine")
    except ImportError:
        raise InputFileError(
            "reading .xls and .ods files needs python-calamine, which is not installed",
            file=name,
            hint="pip install 'parindex[ods]', or save the sheet as .xlsx or CSV (UTF-8)",
        ) from None


def read_other_sheet(
    path: str | Path, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Sheet:
    """The cells of ``sheet`` (default: the first) of the ``.xls`` or ``.ods`` at ``path``."""
    name = input_name(path)
    calamine = _calamine(name)
    data = read_bounded(path, name, limits)
    ods = Path(str(path)).suffix.lower() == ".ods"
    if ods:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                _check_members(archive, name, limits)
        except ParindexError:
            raise
        except Exception as exc:
            raise _unreadable(name, f"{type(exc).__name__}: {exc}") from None
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own errors for a damaged or encrypted file
        raise _unreadable(name, f"{type(exc).__name__}: {exc}") from None
    names = list(book.sheet_names)
    if sheet is not None and sheet not in names:
        raise InputFileError(f"no sheet {sheet!r}; sheets: {', '.join(names)}", file=name)
    if not names:
        raise InputFileError("the workbook has no sheet of cells", file=name)
    title = sheet if sheet is not None else names[0]
    try:
        cells = book.get_sheet_by_name(title)
    except Exception as exc:
        raise _unreadable(name, f"sheet {title!r}: {type(exc).__name__}: {exc}") from None
    rows = _rows(cells, title, name, limits)
    if ods:
        merged, errors = _ods_layout(data, title, name, limits)
        for (r, c), shown in errors.items():  # read as the .xlsx reader reads them: as text
            rows.extend([] for _ in range(r - len(rows)))
            rows[r - 1].extend([None] * (c - len(rows[r - 1])))
            rows[r - 1][c - 1] = shown
    else:
        merged = tuple(
            (r0 + 1, c0 + 1, r1 + 1, c1 + 1)
            for (r0, c0), (r1, c1) in sorted(cells.merged_cell_ranges or ())
        )
    return Sheet(title, rows, merged)


def _unreadable(name: str, why: object) -> InputFileError:
    return InputFileError(f"not a readable workbook: {why}", file=name)


def _too_many(what: str, found: str, where: str, name: str, limits: Limits) -> LimitExceededError:
    most = limits.max_rows if what == "rows" else limits.max_columns
    return LimitExceededError(
        f"{found} the limit of {most} {what}",
        file=name,
        field=where,
        hint=limits.hint("max_rows" if what == "rows" else "max_columns"),
    )


def _rows(cells: Any, title: str, name: str, limits: Limits) -> list[list[Any]]:
    where = f"sheet {title!r}"
    top, left = cells.start or (0, 0)
    if top + cells.height > limits.max_rows:
        raise _too_many(
            "rows", f"the sheet has {top + cells.height} rows, beyond", where, name, limits
        )
    if left + cells.width > limits.max_columns:
        found = f"the sheet has {left + cells.width} columns, beyond"
        raise _too_many("columns", found, where, name, limits)
    rows: list[list[Any]] = [[] for _ in range(top)]
    for r, values in enumerate(cells.iter_rows(), top + 1):
        row: list[Any] = [None] * left
        for c, value in enumerate(values, left + 1):
            row.append(_value(value, f"{where}, cell {column_letter(c)}{r}", name, limits))
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    return rows


def _value(value: Any, where: str, name: str, limits: Limits) -> Any:
    if not isinstance(value, str):
        return value
    if value == "":
        return None
    if len(value) > limits.max_cell_chars:
        raise LimitExceededError(
            f"the cell is longer than {limits.max_cell_chars} characters",
            file=name,
            field=where,
            hint=limits.hint("max_cell_chars"),
        )
    bad = find_control(value)
    if bad is not None:
        raise InputFileError(
            f"control character {describe_char(value[bad])} is not allowed in text",
            file=name,
            field=where,
        )
    return nfc(value)


def _attr(key: str) -> str:
    return f"{{{_TABLE}}}{key}"


def _ods_layout(
    data: bytes, title: str, name: str, limits: Limits
) -> tuple[tuple[tuple[int, int, int, int], ...], dict[tuple[int, int], str]]:
    """The merged ranges of sheet ``title`` (the cells of ``content.xml`` that span columns or
    rows), and its formula cells whose saved value is an error (``#DIV/0!``), by (row, column):
    calamine reads those as empty, which would make a maximum silently "not published"."""
    table, row_tag = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"
    cell_tags = (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell")
    out: list[tuple[int, int, int, int]] = []
    errors: dict[tuple[int, int], str] = {}
    error_type = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"
    inside, row, column = False, 0, 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as xml:
            for event, element in iterparse(xml, events=("start", "end")):
                tag = element.tag
                if tag == table:
                    if event == "start":
                        inside = element.get(_attr("name")) == title
                    elif inside:
                        break
                    continue
                if not inside:
                    continue
                if tag == row_tag and event == "start":
                    column = 0
                elif tag == row_tag:
                    row += int(element.get(_attr("number-rows-repeated"), "1"))
                    element.clear()
                elif tag in cell_tags and event == "end":
                    across = int(element.get(_attr("number-columns-spanned"), "1"))
                    down = int(element.get(_attr("number-rows-spanned"), "1"))
                    if element.get(error_type) == "error" and len(errors) < limits.max_rows:
                        shown = "".join(element.itertext()).strip() or "#ERROR"
                        errors[(row + 1, column + 1)] = nfc(shown[: limits.max_cell_chars])
                    if across > 1 or down > 1:
                        out.append((row + 1, column + 1, row + down, column + across))
                        if len(out) > limits.max_rows:
                            raise _too_many(
                                "rows", "more merged ranges than", f"sheet {title!r}", name, limits
                            )
                    column += int(element.get(_attr("number-columns-repeated"), "1"))
    except ParindexError:
        raise
    except Exception as exc:
        raise _unreadable(name, f"content.xml: {type(exc).__name__}: {exc}") from None
    for first_row, _first_col, last_row, last_col in out:
        if last_row > limits.max_rows or last_col > limits.max_columns:
            found = f"a merged range at row {first_row} reaches beyond"
            raise _too_many("rows", found, f"sheet {title!r}", name, limits)
    return tuple(sorted(out)), errors


__all__ = ["CALAMINE_SUFFIXES", "read_other_sheet"]
