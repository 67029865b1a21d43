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
    #: the maximum a total row states, when there is one
    stated_total: str | None = None


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
            stated_total = get(row, "maximum") or None
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
    return Normalised(out, notes, stated_total)


__all__ = ["TOTAL_TITLES", "Normalised", "normalise", "roman"]
