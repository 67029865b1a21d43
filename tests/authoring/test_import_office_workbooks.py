"""`import-table` on office workbooks: merged cells, saved values, comma decimals, total rows
that disagree, and .xls/.ods read within the same limits as .xlsx."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from parindex import api
from parindex.authoring.importer import read_table
from parindex.io.limits import Limits
from parindex.io.xlsx import merged_ranges, read_sheet
from parindex.model.errors import InputFileError, LimitExceededError

HEADER = {
    "id": "test.merged",
    "version": "2024",
    "years": [2024],
    "unit_kind": "district",
    "source": {"document": "(minh họa)"},
}
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (it writes the .xls and .ods files)"
)


def _import(path: Path) -> Any:
    return api.import_table(path, HEADER, api.default_registry().rule_kinds)


def _tree(nodes: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (n["code"], n.get("title", {}).get("vi"), n.get("maximum"), _tree(n.get("children", [])))
        for n in nodes
    ]


def _office_book(total: object = 10) -> Workbook:
    """A table as offices lay it out: a banner, a heading merged across the row from the code
    column, a criterion written over two lines (its code cell merged down, a choice's options one
    a line), a rule merged down over two criteria, a maximum in a text cell with a comma."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["BẢNG TIÊU CHÍ (minh họa)"])  # row 1
    sheet.merge_cells("A1:D1")
    sheet.append(["STT", "Tiêu chí", "Điểm tối đa", "Cách chấm"])  # 2
    sheet.append(["A. KHỐI HUYỆN"])  # 3: a heading, merged across, typed in the code column
    sheet.merge_cells("A3:D3")
    sheet.append(["I", "Công tác chỉ đạo", 6, None])  # 4
    sheet.append(["1", "Ban hành kế hoạch", 2, "choice: Kịp thời = 2"])  # 5
    sheet.append([None, "CCHC năm", None, "Muộn = 1; Không ban hành = 0"])  # 6
    sheet.merge_cells("A5:A6")  # one criterion on two lines
    sheet.append(["2", "Báo cáo quý", "2,0", "points: step=0.5"])  # 7
    sheet.append(["3", "Báo cáo năm", 0.1 + 0.2 + 1.7, None])  # 8: 2.0000000000000004 saved
    sheet.merge_cells("D7:D8")  # one rule for both reports
    sheet.append(["II", "Công khai", 4, None])  # 9
    sheet.append(["1", "Công khai thủ tục", 4, None])  # 10
    sheet.append(["Tổng cộng", None, total, None])  # 11
    sheet.merge_cells("A11:B11")
    return book


WANT = [
    (
        "1",
        "Công tác chỉ đạo",
        6,
        [
            ("1.1", "Ban hành kế hoạch CCHC năm", 2, []),
            ("1.2", "Báo cáo quý", 2, []),
            ("1.3", "Báo cáo năm", 2, []),
        ],
    ),
    ("2", "Công khai", 4, [("2.1", "Công khai thủ tục", 4, [])]),
]


def test_merged_cells_comma_decimals_and_saved_floats(tmp_path: Path) -> None:
    path = tmp_path / "bang.xlsx"
    _office_book().save(path)
    assert read_sheet(path).merged == (
        (1, 1, 1, 4),
        (3, 1, 3, 4),
        (5, 1, 6, 1),
        (7, 4, 8, 4),
        (11, 1, 11, 2),
    )
    result = _import(path)
    assert result.problems == []
    assert _tree(result.data["nodes"]) == WANT
    one, two, three = result.data["nodes"][0]["children"]
    # the options written one a line are one choice; the merged rule is each report's
    assert one["rule"]["options"] == {"kip_thoi": 2, "muon": 1, "khong_ban_hanh": 0}
    assert two["rule"] == three["rule"] == {"kind": "points", "step": Decimal("0.5")}
    notes = "\n".join(result.notes)
    for line in (
        "rows 5–6: code cell A5:A6 merged: read as one row",
        "row 3: sub-header 'A. KHỐI HUYỆN' skipped",
        "row 11: total row 'Tổng cộng' skipped (it states 10)",
    ):
        assert line in notes


def test_a_total_row_that_disagrees_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "bang.xlsx"
    _office_book(total="10,5").save(path)
    result = _import(path)
    assert [str(p) for p in result.problems] == [
        "row 11, column maximum: the total row states 10.5, but the maxima of 1, 2 add up to 10"
    ]


def test_a_total_not_checkable_is_said(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("STT,Tiêu chí,Điểm tối đa\nI,Một,\n1,A,3\nII,Hai,4\n,Tổng cộng,7\n", "utf-8")
    result = _import(path)
    assert result.problems == []
    assert "row 5: the total 7 is not checked: no maximum for 1" in result.notes


def _convert(tmp_path: Path, source: Path, suffix: str) -> Path:
    out = tmp_path / suffix
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [
            SOFFICE or "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            *("--convert-to", suffix, "--outdir", str(out), str(source)),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out / f"{source.stem}.{suffix}"


@needs_soffice
@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_xls_and_ods_import_as_the_xlsx_does(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("python_calamine")
    source = tmp_path / "bang.xlsx"
    book = _office_book()
    assert book.active is not None
    # a field's sum as a formula: its saved value, 6.000000000000001, is read as the 6 shown
    book.active["C4"] = "=C5+C8+C8"
    book.save(source)
    path = _convert(tmp_path, source, suffix)
    rows, merged = read_table(path)
    assert merged == ((1, 1, 1, 4), (3, 1, 3, 4), (5, 1, 6, 1), (7, 4, 8, 4), (11, 1, 11, 2))
    assert rows[3][:3] == ["I", "Công tác chỉ đạo", "6"]
    result = _import(path)
    assert result.problems == []
    assert _tree(result.data["nodes"]) == WANT


@needs_soffice
def test_xls_and_ods_keep_the_limits_and_locate_errors(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    from parindex.io.xls_ods import read_other_sheet

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for n in range(1, 7):
        sheet.append([str(n), f"tiêu chí {n}", n])
    source = tmp_path / "t.xlsx"
    book.save(source)
    for suffix in ("xls", "ods"):
        path = _convert(tmp_path, source, suffix)
        with pytest.raises(LimitExceededError, match="the limit of 5 rows") as err:
            read_other_sheet(path, limits=Limits(max_rows=5))
        assert "sheet 'Sheet'" in str(err.value) and path.name in str(err.value)
        with pytest.raises(LimitExceededError, match="limit of 2 columns"):
            read_other_sheet(path, limits=Limits(max_columns=2))
        with pytest.raises(LimitExceededError, match="longer than 5 characters"):
            read_other_sheet(path, limits=Limits(max_cell_chars=5))
        with pytest.raises(InputFileError, match="no sheet 'X'; sheets: Sheet"):
            read_other_sheet(path, "X")
        with pytest.raises(LimitExceededError, match="more than the limit of 100 bytes"):
            read_other_sheet(path, limits=Limits(max_bytes=100))


def test_a_damaged_or_doctype_ods_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    from parindex.io.xls_ods import read_other_sheet

    damaged = tmp_path / "d.xls"
    damaged.write_bytes(b"not a workbook at all")
    with pytest.raises(InputFileError, match="not a readable workbook"):
        read_other_sheet(damaged)
    bomb = tmp_path / "b.ods"
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')
    with pytest.raises(InputFileError, match="declares a document type"):
        read_other_sheet(bomb)


def test_without_python_calamine_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    real = importlib.import_module

    def refuse(name: str, *args: Any) -> Any:
        if name == "python_calamine":
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", refuse)
    path = tmp_path / "t.ods"
    path.write_bytes(b"PK")
    with pytest.raises(InputFileError, match="needs python-calamine") as err:
        read_table(path)
    assert "parindex[ods]" in str(err.value)


def test_merged_ranges_beyond_the_limits_are_refused() -> None:
    # a crafted sheet may declare a merged range with no cell in it: the range is checked itself
    limits = Limits(max_rows=50, max_columns=10)
    assert merged_ranges(["B2:A3", "C5"], "S", "f.xlsx", limits) == ((2, 1, 3, 2), (5, 3, 5, 3))
    with pytest.raises(LimitExceededError, match="merged range A2:A90 reaches beyond") as err:
        merged_ranges(["A2:A90"], "S", "f.xlsx", limits)
    assert "f.xlsx: sheet 'S'" in str(err.value)
    with pytest.raises(LimitExceededError, match="merged range A1:Z1"):
        merged_ranges(["A1:Z1"], "S", "f.xlsx", limits)
    with pytest.raises(LimitExceededError, match="51 merged ranges"):
        merged_ranges([f"A{n}:B{n}" for n in range(1, 52)], "S", "f.xlsx", limits)
    with pytest.raises(InputFileError, match="'A1:' is not a range"):
        merged_ranges(["A1:"], "S", "f.xlsx", limits)


@needs_soffice
def test_an_ods_formula_error_is_read_as_the_xlsx_reads_it(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["STT", "Tiêu chí", "Điểm tối đa"])
    sheet.append(["1", "Một", "=1/0"])
    source = tmp_path / "e.xlsx"
    book.save(source)
    result = _import(_convert(tmp_path, source, "ods"))
    assert [str(p) for p in result.problems] == [
        "row 2, column maximum (1): maximum '#DIV/0!' is not a number: left out"
        " ('#DIV/0!' is not a number)"
    ]
