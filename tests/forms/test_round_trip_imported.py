"""The whole cycle from an office workbook: import the table (merged cells, Roman numerals, a
comma decimal, a total row), write a form, fill it as an office does, read it back: the score is
that of the equivalent YAML assessment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from formfill import fill
from openpyxl import Workbook

from parindex import api
from parindex.cli.main import main


def _table(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["STT", "Tiêu chí", "Điểm tối đa", "Cách chấm"])  # 1
    sheet.append(["I", "Công tác chỉ đạo", 6, None])  # 2
    sheet.append(["1", "Ban hành kế hoạch", 2, "choice: Kịp thời = 2"])  # 3
    sheet.append([None, "CCHC năm", None, "Muộn = 1; Không ban hành = 0"])  # 4
    sheet.merge_cells("A3:A4")
    sheet.append(["2", "Báo cáo quý", "2,0", "points: step=0.5"])  # 5
    sheet.append(["3", "Báo cáo năm", 2, None])  # 6
    sheet.merge_cells("D5:D6")
    sheet.append(["II", "Công khai", 4, None])  # 7
    sheet.append(["1", "Công khai thủ tục", 4, None])  # 8
    sheet.append(["Tổng cộng", None, 10, None])  # 9
    sheet.merge_cells("A9:B9")
    book.save(path)
    return path


def test_an_imported_workbook_table_round_trips_through_a_form(tmp_path: Path) -> None:
    table = _table(tmp_path / "bang.xlsx")
    ruleset_file = tmp_path / "huyen.yaml"
    argv = ["import-table", str(table), "--id", "test.huyen", "--years", "2024"]
    argv += ["--unit-kind", "district", "--maximum", "10", "--document", "(minh họa)"]
    assert main([*argv, "-o", str(ruleset_file)]) == 0
    ruleset = api.load_ruleset(ruleset_file)
    [form] = api.write_forms(ruleset, 2024, ["huyen-a"], tmp_path / "a.xlsx", missing="zero")
    fill(
        form,
        {
            "1.1": {"self": "kip_thoi", "appraised": "muon", "reason": "muộn 5 ngày"},
            "1.2": {"self": "1,5"},  # a comma decimal typed as text
            # 1.3 left blank: 0 under the form's policy, and listed
            "2.1": {"self": 3.5, "ev_number": "12/BC-UBND", "ev_date": "05/03/2024"},
        },
    )
    want = api.score(
        {
            "ruleset": "test.huyen",
            "year": 2024,
            "unit": "huyen-a",
            "missing": "zero",
            "inputs": {
                "1.1": {
                    "self": {"choice": "kip_thoi"},
                    "appraised": {"choice": "muon", "reason": "muộn 5 ngày"},
                },
                "1.2": "1.5",
                "2.1": {
                    "points": "3.5",
                    "evidence": [{"number": "12/BC-UBND", "date": "2024-03-05"}],
                },
            },
        },
        ruleset,
    )
    got = api.score_form(form, ruleset_file)
    assert got.model_dump(exclude={"unit", "receipt"}) == want.model_dump(
        exclude={"unit", "receipt"}
    )
    # by hand: 1 (muộn) + 1.5 + 0 + 3.5 = 6 of 10; self-assessed 2 + 1.5 + 0 + 3.5 = 7
    assert (got.total, got.index, got.self_total) == (
        Decimal("6.00"),
        Decimal("60.00"),
        Decimal("7.00"),
    )
    [doc] = got.node("2.1").evidence or ()
    assert (doc.number, doc.date) == ("12/BC-UBND", dt.date(2024, 3, 5))
    assert any("1.3" in note for note in got.notes)


def test_forms_of_a_ruleset_file_rank_with_its_decimal_places(tmp_path: Path) -> None:
    table = _table(tmp_path / "bang.xlsx")
    ruleset_file = tmp_path / "huyen.yaml"
    argv = ["import-table", str(table), "--id", "test.huyen", "--years", "2024"]
    assert main([*argv, "--unit-kind", "district", "-o", str(ruleset_file)]) == 0
    ruleset = api.load_ruleset(ruleset_file)
    [form] = api.write_forms(ruleset, 2024, ["huyen-a"], tmp_path / "forms", missing="zero")
    fill(form, {"1.2": {"self": 2}, "2.1": {"self": "3,75"}})
    out = tmp_path / "rank.txt"
    assert main(["rank", str(form.parent), "--ruleset", str(ruleset_file), "-o", str(out)]) == 0
    # 2 + 3.75 = 5.75 of 10, the index printed with the ruleset's two places
    [row] = [line for line in out.read_text(encoding="utf-8").splitlines() if "huyen-a" in line]
    assert row.split()[-3:] == ["5.75", "57.50", "—"]
