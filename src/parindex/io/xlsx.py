"""Reading one sheet of an XLSX workbook within limits, with errors that name the sheet and cell.

An XLSX file is a zip archive of XML files, and both layers can be made to explode: a 390 KB
workbook whose shared string expands to 400 MB, a sheet of a million rows, a row that claims column
16,384. This reader applies the limits the CSV readers apply, before and while reading:

* the file itself is at most ``PARINDEX_MAX_FILE_BYTES`` (and a regular file: see
  :func:`parindex.io.files.open_input`);
* every member of the archive is at most ``PARINDEX_MAX_FILE_BYTES`` uncompressed, checked on the
  sizes the archive declares *before* anything is decompressed, and counted again while the sheet
  is read (the zip reader also stops at the declared size, and a member that lies fails its
  checksum);
* a member that declares a document type (``<!DOCTYPE``, the vehicle of entity-expansion bombs and
  external entities) is refused;
* the sheet has at most ``PARINDEX_MAX_ROWS`` rows and ``PARINDEX_MAX_COLUMNS`` columns, and a cell
  at most ``PARINDEX_MAX_CELL_CHARS`` characters, each checked as the cell is read;
* text holds no control character and is given in Unicode normal form NFC, as from every reader.

A formula cell is read as the value the spreadsheet program saved with it. A formula saved without
a value (a workbook written by a script, never opened in a spreadsheet program) is an error naming
the sheet and cell: reading it as empty would silently drop, say, every maximum of a table.

openpyxl (``pip install 'parindex[xlsx]'``) parses the workbook; it is imported only here.
"""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from parindex.io.files import input_name, open_input
from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, nfc
from parindex.model.errors import InputFileError, LimitExceededError, ParindexError
from parindex.model.text import describe_char, find_control

#: Suffixes read as XLSX workbooks.
XLSX_SUFFIXES = (".xlsx", ".xlsm")

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
#: How much of each member's start is searched for a document type declaration.
_PROLOG_BYTES = 64 * 1024


@dataclass(frozen=True)
class Sheet:
    """The cells of one sheet: ``rows[i]`` is spreadsheet row ``i + 1``, ``rows[i][j]`` column
    ``j + 1`` (None for an empty cell; a row ends at its last cell). Values are as openpyxl reads
    them: text, int, float, bool, datetime."""

    name: str
    rows: list[list[Any]]
    #: The merged ranges, as (first row, first column, last row, last column), 1-based: the
    #: value of a range is in its first cell, the others are empty.
    merged: tuple[tuple[int, int, int, int], ...] = ()


def column_letter(column: int) -> str:
    """``1`` → ``A``, ``27`` → ``AA``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _openpyxl(name: str) -> Any:
    try:
        return importlib.import_module("openpyxl")  # optional: pip install parindex[xlsx]
    except ImportError:
        raise InputFileError(
            "reading .xlsx files needs openpyxl, which is not installed",
            file=name,
            hint="pip install 'parindex[xlsx]', or save the sheet as CSV (UTF-8)",
        ) from None


def _unreadable(name: str, why: object) -> InputFileError:
    return InputFileError(f"not a readable XLSX workbook: {why}", file=name)


def _check_members(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Refuse, before decompressing anything, a member larger than the limit; then refuse a
    member that declares a document type."""
    most = limits.max_bytes
    infos = archive.infolist()
    for info in infos:
        if info.file_size > most:
            raise LimitExceededError(
                f"the workbook's part {info.filename!r} is {info.file_size} bytes uncompressed,"
                f" more than the limit of {most} bytes",
                file=name,
                hint=limits.hint("max_bytes"),
            )
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as member:
            head = member.read(_PROLOG_BYTES)
        if _DOCTYPE.search(head):
            raise InputFileError(
                f"the workbook's part {info.filename!r} declares a document type (<!DOCTYPE);"
                " spreadsheet programs never write one, and it can hide an entity-expansion bomb",
                file=name,
            )


class _Counted(io.RawIOBase):
    """A member's bytes, counted as they are decompressed: never more than the limit."""

    def __init__(self, raw: IO[bytes], most: int, what: str, name: str, hint: str) -> None:
        self._raw, self._most, self._what, self._name, self._hint = raw, most, what, name, hint
        self._seen = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        self._seen += len(data)
        if self._seen > self._most:
            raise LimitExceededError(
                f"the sheet {self._what!r} expands to more than {self._most} bytes",
                file=self._name,
                hint=self._hint,
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _sheet_parser(openpyxl: Any) -> type[Any]:
    """openpyxl's sheet parser, with the limits and the formula rule checked on every row and
    cell as it is read (made on first use: openpyxl is optional)."""
    reader = importlib.import_module("openpyxl.worksheet._reader")
    base: type[Any] = reader.WorkSheetParser
    formula_tag, value_tag = reader.FORMULA_TAG, reader.VALUE_TAG

    class LimitedParser(base):  # type: ignore[misc]
        def __init__(self, src: Any, book: _Book, sheet: str, file: str, limits: Limits) -> None:
            super().__init__(
                src,
                book.shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book.date_formats,
                timedelta_formats=book.timedelta_formats,
            )
            self.sheet, self.file, self.limits = sheet, file, limits
            self.max_rows, self.max_columns = limits.max_rows, limits.max_columns
            self.max_chars = limits.max_cell_chars

        def where(self, row: int, column: int | None = None) -> str:
            cell = f"cell {column_letter(column)}{row}" if column else f"row {row}"
            return f"sheet {self.sheet!r}, {cell}"

        def parse_row(self, row: Any) -> Any:
            if len(row) > self.max_columns:
                at = row.get("r") or str(self.row_counter + 1)
                raise self.too_many("columns", f"a row holds {len(row)} cells, beyond", at)
            number, cells = super().parse_row(row)
            if number > self.max_rows:
                raise self.too_many("rows", f"row {number} is beyond", number)
            return number, cells

        def parse_cell(self, element: Any) -> Any:
            cell = super().parse_cell(element)
            row, column, value = cell["row"], cell["column"], cell["value"]
            if column > self.max_columns:
                raise self.too_many("columns", f"column {column_letter(column)} is beyond", row)
            if element.find(formula_tag) is not None and not self.saved(element):
                formula = element.findtext(formula_tag) or ""
                raise InputFileError(
                    f"formula ={formula[:60]} has no saved value",
                    file=self.file,
                    field=self.where(row, column),
                    hint="open the workbook in a spreadsheet program and save it (that stores"
                    " the value of every formula), or type the values",
                )
            if isinstance(value, str):
                if len(value) > self.max_chars:
                    raise LimitExceededError(
                        f"the cell is longer than {self.max_chars} characters",
                        file=self.file,
                        field=self.where(row, column),
                        hint=self.limits.hint("max_cell_chars"),
                    )
                bad = find_control(value)
                if bad is not None:
                    raise InputFileError(
                        f"control character {describe_char(value[bad])} is not allowed in text",
                        file=self.file,
                        field=self.where(row, column),
                    )
                cell["value"] = nfc(value)
            return cell

        @staticmethod
        def saved(element: Any) -> bool:
            # openpyxl writes a formula with an empty <v/>; only a text result may be empty
            value = element.find(value_tag)
            if value is None:
                return False
            return bool(value.text) or element.get("t") == "str"

        def too_many(self, what: str, found: str, row: int | str) -> LimitExceededError:
            most = self.max_rows if what == "rows" else self.max_columns
            key = "max_rows" if what == "rows" else "max_columns"
            return LimitExceededError(
                f"{found} the limit of {most} {what}",
                file=self.file,
                field=f"sheet {self.sheet!r}, row {row}",
                hint=self.limits.hint(key),
            )

    return LimitedParser


def read_bounded(path: str | Path, name: str, limits: Limits) -> bytes:
    """The bytes of the workbook at ``path``, refused past ``limits.max_bytes`` before a zip or
    spreadsheet reader sees them."""
    most = limits.max_bytes
    with open_input(path, most, limits.hint("max_bytes")) as fh:
        data = fh.read(most + 1)
    if len(data) > most:
        raise LimitExceededError(
            f"file is larger than the limit of {most} bytes",
            file=name,
            hint=limits.hint("max_bytes"),
        )
    return data


def read_sheet(
    path: str | Path, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Sheet:
    """The cells of ``sheet`` (default: the first) of the workbook at ``path``, within ``limits``.

    Raises :class:`InputFileError` (a damaged workbook, a missing sheet, a formula without a saved
    value) or :class:`LimitExceededError`, naming the file and, where it applies, sheet and cell.
    """
    name = input_name(path)
    openpyxl = _openpyxl(name)
    data = read_bounded(path, name, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        with archive:
            _check_members(archive, name, limits)
    except ParindexError:
        raise
    except Exception as exc:  # not a zip, an encrypted or unsupported member, a damaged archive
        raise _unreadable(name, f"{type(exc).__name__}: {exc}") from None
    try:
        book = _open_book(data)
    except ParindexError:
        raise
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged file
        raise _unreadable(name, exc) from None
    try:
        names = [title for title, _ in book.sheets]
        if sheet is not None and sheet not in names:
            raise InputFileError(f"no sheet {sheet!r}; sheets: {', '.join(names)}", file=name)
        if not book.sheets:
            raise InputFileError("the workbook has no sheet of cells", file=name)
        title, part = next(s for s in book.sheets if sheet is None or s[0] == sheet)
        rows, merged = _rows(openpyxl, book, title, part, name, limits)
        return Sheet(title, rows, merged)
    finally:
        book.archive.close()


@dataclass
class _Book:
    """What reading one sheet needs of a workbook: its archive, shared strings, date styles."""

    archive: zipfile.ZipFile
    shared_strings: Any
    epoch: Any
    date_formats: Any
    timedelta_formats: Any
    #: (title, part) of each worksheet, in order (chart sheets left out)
    sheets: list[tuple[str, str]]


def _open_book(data: bytes) -> _Book:
    # openpyxl's reader, step by step, without its sheet loading: in read-only mode that parses
    # every sheet whole to find its dimensions, before any limit could be applied.
    excel = importlib.import_module("openpyxl.reader.excel")
    styles = importlib.import_module("openpyxl.styles.stylesheet")
    reader = excel.ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    styles.apply_stylesheet(reader.archive, reader.wb)
    wb = reader.wb
    sheets = [
        (sheet.name, rel.target)
        for sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type
    ]
    return _Book(
        reader.archive,
        reader.shared_strings,
        wb.epoch,
        wb._date_formats,
        wb._timedelta_formats,
        sheets,
    )


def _rows(
    openpyxl: Any, book: _Book, title: str, part: str, name: str, limits: Limits
) -> tuple[list[list[Any]], tuple[tuple[int, int, int, int], ...]]:
    hint = limits.hint("max_bytes")
    source = _Counted(book.archive.open(part), limits.max_bytes, title, name, hint)
    parser = _sheet_parser(openpyxl)(io.BufferedReader(source), book, title, name, limits)
    rows: list[list[Any]] = []
    try:
        for number, cells in parser.parse():
            if number <= len(rows):
                continue  # a row written twice, or out of order: the first counts (as in openpyxl)
            rows.extend([] for _ in range(number - 1 - len(rows)))
            width = max((c["column"] for c in cells), default=0)
            row: list[Any] = [None] * width
            for cell in cells:
                row[cell["column"] - 1] = cell["value"]
            rows.append(row)
    except ParindexError:
        raise
    except Exception as exc:  # a damaged sheet: bad XML, a shared string that does not exist
        raise _unreadable(name, f"sheet {title!r}: {type(exc).__name__}: {exc}") from None
    finally:
        source.close()
    found = parser.merged_cells
    refs = [m.ref for m in found.mergeCell] if found is not None else []
    return rows, merged_ranges(refs, title, name, limits)


_RANGE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?")


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def merged_ranges(
    refs: list[str], sheet: str, name: str, limits: Limits
) -> tuple[tuple[int, int, int, int], ...]:
    """``A1:D1`` … as (first row, first column, last row, last column), each range inside the
    sheet's limits (a range is spread over its cells: one reaching row 1,048,576 would be a
    million cells) and at most one per row of the limit."""
    if len(refs) > limits.max_rows:
        raise LimitExceededError(
            f"the sheet has {len(refs)} merged ranges, beyond the limit of {limits.max_rows}",
            file=name,
            field=f"sheet {sheet!r}",
            hint=limits.hint("max_rows"),
        )
    out = []
    for ref in refs:
        got = _RANGE.fullmatch(str(ref).replace("$", "").upper())
        if got is None:
            raise InputFileError(f"merged range {ref!r} is not a range", file=name)
        first_col, first_row = _column_number(got[1]), int(got[2])
        last_col = _column_number(got[3]) if got[3] else first_col
        last_row = int(got[4]) if got[4] else first_row
        if last_row > limits.max_rows or last_col > limits.max_columns:
            key = "max_rows" if last_row > limits.max_rows else "max_columns"
            raise LimitExceededError(
                f"merged range {ref} reaches beyond the limit of {limits.max_rows} rows and"
                f" {limits.max_columns} columns",
                file=name,
                field=f"sheet {sheet!r}",
                hint=limits.hint(key),
            )
        out.append(
            (
                min(first_row, last_row),
                min(first_col, last_col),
                max(first_row, last_row),
                max(first_col, last_col),
            )
        )
    return tuple(sorted(out))


__all__ = ["XLSX_SUFFIXES", "Sheet", "column_letter", "merged_ranges", "read_sheet"]
