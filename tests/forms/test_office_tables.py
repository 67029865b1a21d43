"""`import-table` on a table as an office writes it, and the round trip through a form."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from formfill import fill
from openpyxl import Workbook

from parindex import api
from parindex.authoring.office_rows import roman
from parindex.cli.main import main

OFFICE_TABLE = """\
BẢNG TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CẤP HUYỆN (minh họa),,,
STT,Lĩnh vực/Tiêu chí/Tiêu chí thành phần,Điểm tối đa,Cách chấm điểm
A,KHỐI HUYỆN,,
I,Công tác chỉ đạo điều hành,6,
1,Kế hoạch CCHC,3,
a,Ban hành kịp thời,2,choice: Kịp thời = 2; Muộn = 1; Không ban hành = 0
b,Hoàn thành kế hoạch,1,tiers: >= 90% = 1; < 90% = 0
2,Báo cáo,"3,0",
,Nhóm báo cáo định kỳ,,
a,Báo cáo quý,"1,5",
b,Báo cáo năm,"1,5",
II,Công khai,4,
1,Công khai thủ tục,4,
STT,Lĩnh vực/Tiêu chí/Tiêu chí thành phần,Điểm tối đa,Cách chấm điểm
,Tổng cộng,10,
"""
HEADER = {
    "id": "test.office",
    "version": "2024",
    "years": [2024],
    "unit_kind": "district",
    "source": {"document": "(minh họa)"},
    "maximum": 10,
}


def _tree(nodes: list[dict[str, Any]]) -> list[tuple[str, Any, list[Any]]]:
    return [(n["code"], n.get("maximum"), _tree(n.get("children", []))) for n in nodes]


WANT_TREE = [
    (
        "1",
        6,
        [
            ("1.1", 3, [("1.1.1", 2, []), ("1.1.2", 1, [])]),
            ("1.2", 3, [("1.2.1", Decimal("1.5"), []), ("1.2.2", Decimal("1.5"), [])]),
        ],
    ),
    ("2", 4, [("2.1", 4, [])]),
]


def _import(path: Path) -> Any:
    return api.import_table(path, HEADER, api.default_registry().rule_kinds)


def test_roman_numerals() -> None:
    assert [roman(t) for t in ("I", "II", "IV", "IX", "XIV", "XXXIX")] == [1, 2, 4, 9, 14, 39]
    assert [roman(t) for t in ("", "IIII", "VX", "C", "i", "A")] == [None] * 6


def test_an_office_table_imports_with_what_was_done_reported(tmp_path: Path) -> None:
    path = tmp_path / "bang-tieu-chi.csv"
    path.write_text(OFFICE_TABLE, encoding="utf-8")
    result = _import(path)
    assert result.problems == []
    assert _tree(result.data["nodes"]) == WANT_TREE
    notes = "\n".join(result.notes)
    for line in (
        "row 3: sub-header A. 'KHỐI HUYỆN' skipped",
        "row 4: code I (Roman numeral) read as 1",
        "row 5: code 1 in field 1 read as 1.1",
        "row 7: code b (a letter) read as 1.1.2",
        "row 9: sub-header 'Nhóm báo cáo định kỳ' skipped",
        "row 13: code 1 in field 2 read as 2.1",
        "row 14: the header row repeated; skipped",
        "row 15: total row 'Tổng cộng' skipped (it states 10)",
    ):
        assert line in notes


def test_a_table_numbered_in_full_under_roman_fields_keeps_its_codes(tmp_path: Path) -> None:
    table = (
        "STT,Tiêu chí,Điểm tối đa\nI,Lĩnh vực một,3\n1.1,Tiêu chí,3\nII,Lĩnh vực hai,7\n2.1,A,7\n"
    )
    path = tmp_path / "t.csv"
    path.write_text(table, encoding="utf-8")
    result = _import(path)
    assert result.problems == []
    assert _tree(result.data["nodes"]) == [("1", 3, [("1.1", 3, [])]), ("2", 7, [("2.1", 7, [])])]


def test_imported_office_table_form_round_trip(tmp_path: Path) -> None:
    table = tmp_path / "bang.csv"
    table.write_text(OFFICE_TABLE, encoding="utf-8")
    ruleset_file = tmp_path / "office.yaml"
    argv = ["import-table", str(table), "--id", "test.office", "--years", "2024"]
    argv += ["--unit-kind", "district", "--maximum", "10", "--document", "(minh họa)"]
    assert main([*argv, "-o", str(ruleset_file)]) == 0
    ruleset = api.load_ruleset(ruleset_file)
    [form] = api.write_forms(ruleset, 2024, ["huyen-a"], tmp_path / "huyen-a.xlsx")
    fill(
        form,
        {
            "1.1.1": {"self": "kip_thoi", "appraised": "muon", "reason": "muộn 5 ngày"},
            "1.1.2": {"self": "92,5"},
            "1.2.1": {"self": "1,25"},
            "1.2.2": {"self": 1.5},
            "2.1": {"self": 3.75},
        },
    )
    want = api.score(
        {
            "ruleset": "test.office",
            "year": 2024,
            "unit": "huyen-a",
            "inputs": {
                "1.1.1": {
                    "self": {"choice": "kip_thoi"},
                    "appraised": {"choice": "muon", "reason": "muộn 5 ngày"},
                },
                "1.1.2": {"measure": "92.5"},
                "1.2.1": "1.25",
                "1.2.2": "1.5",
                "2.1": "3.75",
            },
        },
        ruleset,
    )
    got = api.score_form(form, ruleset_file)
    assert got.model_dump(exclude={"unit", "receipt"}) == want.model_dump(
        exclude={"unit", "receipt"}
    )
    # by hand: 1 (muộn) + 1 (92.5 ≥ 90) + 1.25 + 1.5 + 3.75 = 8.5 of 10
    assert (got.total, got.index, got.self_total) == (
        Decimal("8.50"),
        Decimal("85.00"),
        Decimal("9.50"),
    )


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui);"
    " it is what saves the formulas' values into the workbook",
)
def test_an_xlsx_table_with_merged_cells_and_saved_formulas(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["BẢNG TIÊU CHÍ (minh họa)"])
    sheet.merge_cells("A1:D1")  # the banner across the table
    sheet.append(["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cách chấm"])
    sheet.append(["I", "Công tác chỉ đạo điều hành", "=C4+C5", None])  # a field's sum, a formula
    sheet.append(["1", "Kế hoạch", 2.5, None])
    sheet.append(["2", "Báo cáo", 3.5, None])
    sheet.append([None, "Nhóm tiêu chí khác", None, None])
    sheet.merge_cells("B6:D6")  # a sub-header merged across the row
    sheet.append(["II", "Công khai", 4, None])
    sheet.append(["1", "Công khai thủ tục", "4,0", None])  # a comma decimal typed as text
    sheet.append([None, "Tổng cộng", "=C3+C7", None])
    written = tmp_path / "written.xlsx"
    book.save(written)
    # LibreOffice computes the formulas and saves their values, as any office's spreadsheet does
    out = tmp_path / "saved"
    profile = (tmp_path / "profile").as_uri()
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx"]
    done = subprocess.run(
        [*command, "--outdir", str(out), str(written)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = _import(out / "written.xlsx")
    assert result.problems == []
    assert _tree(result.data["nodes"]) == [
        ("1", 6, [("1.1", Decimal("2.5"), []), ("1.2", Decimal("3.5"), [])]),
        ("2", 4, [("2.1", 4, [])]),
    ]
    assert "row 9: total row 'Tổng cộng' skipped (it states 10)" in result.notes
    # the same workbook before a spreadsheet program saved it: formulas without values are refused
    from parindex.model.errors import InputFileError

    with pytest.raises(InputFileError, match="no saved value"):
        _import(written)
