"""Criteria tables as offices write them, brought to the importer's one-code-per-row layout.

A table issued by a Department of Home Affairs is made for printing, not for a program:

* fields numbered with Roman numerals (I, II, …), their criteria numbered 1, 2, … again in every
  field, and sub-criteria lettered a, b, …;
* a total row at the bottom ("Tổng cộng", "Tổng điểm"), and sub-header rows that only group
  rows ("A. KHỐI SỞ, BAN, NGÀNH"), or a header row repeated on each printed page.

:func:`normalise` rewrites such rows in place — the row numbers the importer reports stay those
of the spreadsheet — and says what it did, row by row: a Roman numeral becomes the field's
number (``II`` → ``2``), a criterion numbered again inside a field gets the field's prefix
(``1`` under ``II`` → ``2.1``), a letter becomes the next segment of the criterion above
(``b`` under ``2.1`` → ``2.1.2``). Total and sub-header rows are left out and listed, not
reported as errors. A table already numbered ``1``, ``1.1``, ``1.1.2`` passes unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from parindex.io.xlsx import column_letter

_ROMAN = re.compile(r"(X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10}
_LETTER = re.compile(r"[a-zđ]")
_MARK = re.compile(r"[.)]+$")
#: Titles of total rows, folded (lower case, no diacritics).
TOTAL_TITLES = ("tong cong", "tong", "tong diem", "tong so diem", "cong", "tong so")


def roman(text: str) -> int | None:
    """``IV`` → 4, for I to XXXIX (upper case, as tables write fields); None otherwise."""
    if not text or not _ROMAN.fullmatch(text):
        return None
    total, previous = 0, 0
    for char in reversed(text):
        value = _ROMAN_VALUE[char]
        total += -value if value < previous else value
        previous = max(previous, value)
    return total or None


@dataclass
class Normalised:
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    #: the maximum a total row states, when there is one, and that row (as numbered)
    stated_total: str | None = None
    total_row: int | None = None


def normalise(
    rows: Sequence[Sequence[str]],
    start: int,
    columns: dict[str, int],
    fold: Callable[[str], str],
) -> Normalised:
    """``rows`` (the header at index ``start``) with office numbering and total and sub-header
    rows rewritten as described above. ``fold`` folds text for matching (the importer's)."""
    out = [list(r) for r in rows]
    notes: list[str] = []
    stated_total: str | None = None
    total_row: int | None = None
    header = [fold(c) for c in rows[start]] if start < len(rows) else []

    def get(row: list[str], name: str) -> str:
        j = columns.get(name)
        return row[j].strip() if j is not None and j < len(row) else ""

    def put(row: list[str], name: str, value: str) -> None:
        j = columns[name]
        row.extend([""] * (j + 1 - len(row)))
        row[j] = value

    field_code: str | None = None  # the field a Roman numeral opened
    relative: bool | None = None  # are its criteria numbered from 1 again?
    last_numbered: str | None = None  # the criterion that lettered rows belong to
    letters = 0
    for i in range(start + 1, len(out)):
        row = out[i]
        number = i + 1  # as the spreadsheet numbers it
        if not any(c.strip() for c in row):
            continue
        raw = _MARK.sub("", get(row, "code"))
        title = get(row, "title")
        if [fold(c) for c in row] == header:
            notes.append(f"row {number}: the header row repeated; skipped")
            out[i] = []
            continue
        if (fold(title)).rstrip(":") in TOTAL_TITLES or (
            not raw and (fold(title)).startswith("tong cong")
        ):
            stated_total, total_row = get(row, "maximum") or None, number
            notes.append(
                f"row {number}: total row {title!r} skipped"
                + (f" (it states {stated_total})" if stated_total else "")
            )
            out[i] = []
            continue
        if not raw:
            # a heading starts with a capital ("Nhóm tiêu chí …", "KHỐI SỞ"); a title continued
            # from the row above ("(tiếp theo)") does not, and stays a problem to fix
            first = next((c for c in title if c.isalpha()), "")
            if first.isupper() and not get(row, "maximum") and not get(row, "rule"):
                notes.append(f"row {number}: sub-header {title[:50]!r} skipped")
                out[i] = []
            continue
        # "A. KHỐI SỞ": a group of rows, not a node (checked before Roman numerals: "I." with
        # no maximum is a field all the same, so only letters that are no numeral get here)
        if (
            _LETTER.fullmatch(raw.lower())
            and raw.isupper()
            and not get(row, "maximum")
            and roman(raw) is None
        ):
            notes.append(f"row {number}: sub-header {raw}. {title[:50]!r} skipped")
            out[i] = []
            continue
        value = roman(raw)
        if value is not None:
            field_code, relative, last_numbered, letters = str(value), None, str(value), 0
            put(row, "code", field_code)
            notes.append(f"row {number}: code {raw} (Roman numeral) read as {field_code}")
            continue
        if _LETTER.fullmatch(raw.lower()) and last_numbered is not None:
            letters += 1
            code = f"{last_numbered}.{letters}"
            put(row, "code", code)
            notes.append(f"row {number}: code {raw} (a letter) read as {code}")
            continue
        code = raw
        if field_code is not None and re.fullmatch(r"\d+(\.\d+)*", raw):
            if relative is None:  # decided by the field's first criterion
                relative = not raw.startswith(field_code + ".")
            if relative:
                code = f"{field_code}.{raw}"
                notes.append(f"row {number}: code {raw} in field {field_code} read as {code}")
        put(row, "code", code)
        last_numbered, letters = code, 0
    return Normalised(out, notes, stated_total, total_row)


#: A cell that may be a code: one word of letters, digits, dots and a closing parenthesis.
_CODE_LIKE = re.compile(r"[\w.)]+")
#: Columns whose value, merged down over several criteria, belongs to each of them.
_SHARED = ("rule", "method", "status", "lead_agency", "clause", "note", "title_en")


def spread_merged(
    rows: Sequence[Sequence[str]],
    merged: Sequence[tuple[int, int, int, int]],
    start: int,
    columns: dict[str, int],
    fold: Callable[[str], str],
) -> Normalised:
    """``rows`` with the value of each merged range (1-based first row, first column, last row,
    last column; the value is in its first cell) placed where the importer needs it:

    * a code merged down over rows (one criterion written on several lines): the rows are one
      row, the title's lines joined by spaces and the rule's by ``;`` (a choice's options written
      one a line);
    * a rule, method, status or lead agency merged down over several criteria: each has it;
    * a maximum merged down over several criteria: the first row keeps it, and a note says so
      (one maximum shared by several rows is not theirs each);
    * text merged across the row from the code column ("A. KHỐI HUYỆN", "Tổng cộng"): the row's
      title, as a heading or a total row is written in any other table.

    Ranges in or above the header row (``start``, 0-based) are left alone."""
    out = [list(r) for r in rows]
    notes: list[str] = []
    where = {j: name for name, j in columns.items()}

    def cell(i: int, j: int) -> str:
        return out[i][j].strip() if i < len(out) and j < len(out[i]) else ""

    def put(i: int, j: int, value: str) -> None:
        while len(out) <= i:
            out.append([])
        out[i].extend([""] * (j + 1 - len(out[i])))
        out[i][j] = value

    code, title = columns.get("code"), columns.get("title")
    for first_row, first_col, last_row, last_col in merged:
        top, left, bottom, right = first_row - 1, first_col - 1, last_row - 1, last_col - 1
        if top <= start:
            continue
        span = f"{_ref(first_row, first_col)}:{_ref(last_row, last_col)}"
        if bottom > top and code is not None and left <= code <= right:
            for j in range(len(max((out[i] for i in range(top, bottom + 1)), key=len))):
                lines = [cell(i, j) for i in range(top + 1, bottom + 1) if cell(i, j)]
                if not lines:
                    continue
                name = where.get(j)
                head = cell(top, j)
                if name in ("title", "title_en", "note"):
                    put(top, j, " ".join([head, *lines]) if head else " ".join(lines))
                elif name == "rule":
                    put(top, j, "; ".join([head, *lines]) if head else "; ".join(lines))
                elif not head:
                    put(top, j, lines[0])
            for i in range(top + 1, bottom + 1):
                out[i] = []
            notes.append(f"rows {first_row}–{last_row}: code cell {span} merged: read as one row")
            continue
        if bottom > top:
            for j in range(left, right + 1):
                value, name = cell(top, j), where.get(j)
                if not value:
                    continue
                if name == "maximum":
                    notes.append(
                        f"row {first_row}: maximum {value} merged over {span} is read for row"
                        f" {first_row} only"
                    )
                elif name in _SHARED or name == "title":
                    for i in range(top + 1, bottom + 1):
                        if not cell(i, j):
                            put(i, j, value)
            continue
        if code is not None and title is not None and left == code < title <= right:
            value = cell(top, code)
            words = fold(value).rstrip(":")
            if value and (not _CODE_LIKE.fullmatch(value) or words in TOTAL_TITLES):
                put(top, code, "")
                put(top, title, value)
    return Normalised(out, notes)


def _ref(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


__all__ = ["TOTAL_TITLES", "Normalised", "normalise", "roman", "spread_merged"]
