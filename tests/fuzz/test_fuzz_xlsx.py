"""Fuzzing the XLSX reader (issue 14, classes 1 and 2) with crafted workbooks.

Each example is a zip archive written here: a sheet of random rows and cells (every cell type,
formulas with and without a saved value, row and column numbers from 0 to far beyond the limits,
text with controls and decomposed accents, shared strings that exist or not), sometimes a
document type declaration, sometimes bytes of the archive damaged. Only ParindexError may escape
``parindex.io.xlsx.read_sheet`` and the importer; a sheet that is read is within every limit, its
text is NFC without control characters, and no formula without a saved value was read.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import itertools
import shutil
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from fuzz_make import fuzz
from hypothesis import strategies as st

import parindex_core_rules
from parindex.authoring.importer import import_table
from parindex.io.registry import Registry
from parindex.io.xlsx import read_sheet
from parindex.io.yamlfile import Limits
from parindex.model.errors import ParindexError
from parindex.model.text import find_control

KINDS = Registry([parindex_core_rules], entry_points=False).rule_kinds
TMP = Path(tempfile.mkdtemp(prefix="parindex-fuzz-xlsx-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
_COUNTER = itertools.count()
#: Small limits, so that examples reach them (the defaults are the same code with other numbers).
LIMITS = Limits(max_bytes=200_000, max_rows=40, max_columns=12, max_cell_chars=300)
HEADER = {
    "id": "fuzz.table",
    "version": "2020",
    "years": [2020],
    "unit_kind": "province",
    "source": {"document": "FUZZ"},
}
NS = "http://schemas.openxmlformats.org/"

TEXTS = [
    "code", "title", "maximum", "rule", "1", "1.1", "1..2", "2.\u0661", "Đà Nẵng",
    unicodedata.normalize("NFD", "Đà Nẵng"), "=SUM(A1)", "&amp;", "&lt;x&gt;", "&#1;", "&#x202e;",
    "a\u202eb", "choice: a = 1; b = 0", "tiers: > 90% = 2; < 90% = 0", "x" * 400, "", " ",
]  # fmt: skip
NUMBERS = ["0", "1", "-1", "4.5", "1e-400", "1E+400", "nan", "inf", "", "x", "2.02E+999999999999"]


@st.composite
def cell(draw: st.DrawFn, row: int) -> str:
    column = draw(st.one_of(st.integers(1, 6), st.sampled_from([0, 13, 16384, 20000])))
    letters = ""
    n = column
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    ref = draw(st.sampled_from([f' r="{letters}{row}"'] * 6 + ["", ' r="A"', ' r="??"']))
    kind = draw(st.sampled_from(["n", "s", "str", "inlineStr", "b", "e", "d", "zz", None]))
    t = f' t="{kind}"' if kind else ""
    formula = draw(st.sampled_from(["", "<f>SUM(A1:A2)</f>", "<f/>", '<f t="shared" si="0"/>']))
    if kind == "inlineStr":
        body = f"<is><t>{draw(st.sampled_from(TEXTS))}</t></is>"
    elif kind == "s":
        body = f"<v>{draw(st.sampled_from(['0', '1', '7', '-1', 'x']))}</v>"
    else:
        value = draw(st.sampled_from([*NUMBERS, *["1", "2.5", "10"] * 4, *TEXTS[:6], None]))
        body = "" if value is None else f"<v>{value}</v>"
    return f"<c{ref}{t}>{formula}{body}</c>"


@st.composite
def workbook(draw: st.DrawFn) -> bytes:
    rows = []
    if draw(st.booleans()):  # a header row, so that the importer has a table to read
        rows.append(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="s"><v>1</v>'
            '</c><c r="C1" t="inlineStr"><is><t>title</t></is></c></row>'
        )
    for i in range(len(rows), draw(st.integers(0, 8))):
        number = draw(st.sampled_from([i + 1] * 8 + [0, -1, 41, 1048576, 10**12]))
        r = draw(st.sampled_from([f' r="{number}"'] * 6 + ["", ' r="x"', ' r="2.0"']))
        cells = "".join(draw(st.lists(cell(number), max_size=6)))
        rows.append(f"<row{r}>{cells}</row>")
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + draw(st.sampled_from([""] * 7 + ['<!DOCTYPE w [<!ENTITY a "aaaaaaaa">]>']))
        + f'<worksheet xmlns="{NS}spreadsheetml/2006/main"><sheetData>'
        + "".join(rows)
        + "</sheetData></worksheet>"
    )
    shared = (
        f'<sst xmlns="{NS}spreadsheetml/2006/main"><si><t>'
        + draw(st.sampled_from(TEXTS))
        + "</t></si><si><t>maximum</t></si></sst>"
    )
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{NS}package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.'
        'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{NS}package/2006/relationships"><Relationship'
        f' Id="rId1" Type="{NS}officeDocument/2006/relationships/officeDocument"'
        ' Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{NS}spreadsheetml/2006/main" xmlns:r="{NS}'
        'officeDocument/2006/relationships"><sheets><sheet name="Sheet" sheetId="1"'
        ' r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{NS}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{NS}officeDocument/2006/relationships/worksheet"'
        ' Target="worksheets/sheet1.xml"/><Relationship Id="rId2"'
        f' Type="{NS}officeDocument/2006/relationships/sharedStrings"'
        ' Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
    }
    if draw(st.integers(1, 6)) == 6:
        del parts[draw(st.sampled_from(sorted(parts)))]  # a part missing
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
    data = bytearray(buf.getvalue())
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):  # damage
        if data and draw(st.booleans()):
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
    return bytes(data)


def _check(sheet: Any) -> None:
    assert len(sheet.rows) <= LIMITS.max_rows
    for row in sheet.rows:
        assert len(row) <= LIMITS.max_columns
        for value in row:
            if isinstance(value, str):
                assert len(value) <= LIMITS.max_cell_chars
                assert unicodedata.is_normalized("NFC", value) and find_control(value) is None


@fuzz(workbook())
def check_xlsx(data: bytes) -> None:
    path = TMP / f"w{next(_COUNTER) % 64}.xlsx"
    path.write_bytes(data)
    _check(read_sheet(path, limits=LIMITS))
    # the sheet was read: the importer may still find no table in it, with its own located errors
    with contextlib.suppress(ParindexError):
        import_table(path, dict(HEADER), KINDS)


test_xlsx, test_xlsx_long = check_xlsx
