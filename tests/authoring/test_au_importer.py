"""``parindex import-table``: a criteria table (CSV/XLSX) to a YAML ruleset.

The main fixture is examples/authoring/ca-mau-2013-table.csv, field 1 of Cà Mau's 1880/QĐ-UBND
(2013) as a spreadsheet would hold it; the import must give the same tree, maxima and rules as the
hand-encoded examples/ca-mau-2013/ruleset.yaml (only the choice keys differ: they are made from
the option text).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parindex import load_ruleset
from parindex.authoring.importer import import_table, parse_band, parse_rule, slug
from parindex.cli.main import main
from parindex.io.registry import default_registry
from parindex.model.documents import Node, Ruleset
from parindex.model.errors import InputFileError

REPO = Path(__file__).resolve().parents[2]
TABLE = REPO / "examples" / "authoring" / "ca-mau-2013-table.csv"
HAND = REPO / "examples" / "ca-mau-2013" / "ruleset.yaml"
HEADER: dict[str, Any] = {
    "id": "camau.department",
    "version": "2013",
    "years": [2013],
    "unit_kind": "department",
    "source": {"document": "1880/QĐ-UBND"},
    "status": "unverified",
}
D = Decimal


def kinds() -> Any:
    return default_registry().rule_kinds


def shape(nodes: tuple[Node, ...]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for top in nodes:
        for n in top.walk():
            rule: Any = None
            if n.rule is not None:
                dumped = n.rule.model_dump()
                if n.rule.kind == "choice":
                    rule = ("choice", sorted(dumped["options"].values()))
                else:
                    bands = [
                        (b["min"], b["max"], b["min_inclusive"], b["max_inclusive"], b["points"])
                        for b in dumped["bands"]
                    ]
                    rule = ("tiers", sorted(bands, key=str))
            out.append((n.code, n.maximum, n.status, [c.code for c in n.children], rule))
    return out


def imported(tmp_path: Path, table: Path = TABLE) -> tuple[Ruleset, Any]:
    result = import_table(table, dict(HEADER), kinds())
    out = tmp_path / "out.yaml"
    out.write_text(result.to_yaml(table.name), encoding="utf-8")
    return load_ruleset(out), result


def test_the_camau_table_imports_to_the_hand_encoded_tree(tmp_path: Path) -> None:
    rs, result = imported(tmp_path)
    assert result.problems == [] and result.rows == 11 and result.nodes == 11
    assert shape(rs.nodes) == shape(load_ruleset(HAND).nodes)
    one = rs.find("1.1.1")
    assert one is not None and one[1].rule is not None
    assert one[1].rule.model_dump()["options"] == {
        "ban_hanh_kip_thoi": D(1),
        "ban_hanh_khong_kip_thoi": D("0.5"),
        "khong_ban_hanh": D(0),
    }
    assert one[1].rule.model_dump()["labels"]["ban_hanh_kip_thoi"]["vi"] == "Ban hành kịp thời"
    assert result.notes == []


def test_the_imported_tiers_score_as_the_decision_reads(tmp_path: Path) -> None:
    from parindex import score

    rs, _ = imported(tmp_path)
    base = {
        "1.1.1": {"choice": "ban_hanh_kip_thoi"},
        "1.1.2": {"choice": "xac_dinh_day_du_nhiem_vu_va_co_bo_tri_kinh_phi"},
        "1.1.3": {"choice": "dat_yeu_cau"},
        "1.2.1": {"choice": "du_so_luong_va_dung_thoi_gian_quy_dinh"},
        "1.2.2": {"choice": "dat_yeu_cau"},
        "1.3": 3,
        "1.rest": 10,
    }
    for measure, points in (("90.01", "2"), ("90", "1"), ("70", "1"), ("69.99", "0")):
        inputs = {**base, "1.1.4": {"measure": D(measure)}}
        card = score(
            {"ruleset": "camau.department", "year": 2013, "unit": "u", "inputs": inputs}, rs
        )
        assert card.node("1.1.4").points == D(points), measure
        # 1 + 1 + 1 + points + 1 + 1 + 3 + 10
        assert card.total == D(18) + D(points)


def test_the_table_without_its_last_row_reports_the_broken_sum(tmp_path: Path) -> None:
    short = tmp_path / "short.csv"
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    short.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    result = import_table(short, dict(HEADER), kinds())
    assert [str(p) for p in result.problems] == [
        "row 2 (1): children's maxima add up to 10 (5 + 2 + 3), not to the node's maximum 20"
    ]


def test_rows_that_cannot_be_interpreted(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "Mã;Tiêu chí;Điểm tối đa;Quy tắc;Phương pháp;Cột lạ\n"  # row 1
        "1;Lĩnh vực 1;4,5;;tự đánh giá;x\n"  # row 2: 4.5
        ";(tiếp theo);;;;\n"  # row 3: no code
        "1.1;A;2;lựa chọn: có = 2;;\n"  # row 4: unknown kind
        "1.2;B;hai;;;\n"  # row 5: bad maximum
        "2.1;C;1;;;\n"  # row 6: no parent 2
        "1.1;D;1;;;\n"  # row 7: duplicate
        '1.3;E;2,5;"tiers: > 50 = 2,5; <= 40 = 0";điều tra XHH;\n'  # row 8: gap (40, 50]
        "\n"  # row 9: blank, ignored
        "1.4;F;1;;mạnh;\n",  # row 10: bad method
        encoding="utf-8",
    )
    result = import_table(table, dict(HEADER), kinds())
    problems = [str(p) for p in result.problems]
    assert problems[:6] == [
        "row 3: no code: row left out (if it continues the title above, join the cells)",
        "row 4, column rule (1.1): rule not understood: unknown rule kind 'lựa chọn'; kinds:"
        " choice, count, deduction, papi_subdimension, percent_points, points, proportional,"
        " survey_scale, tiers; left out",
        "row 5, column maximum (1.2): maximum 'hai' is not a number: left out ('hai' is not a"
        " number)",
        "row 6, column code (2.1): the parent 2 of 2.1 is not in a row above: row left out",
        "row 7, column code (1.1): code 1.1 is already used in row 4",
        "row 10, column method (1.4): method 'mạnh' is not appraisal, survey or external: left out",
    ]
    # then the rest is validated: 1.3's bands leave (40, 50] uncovered; 1 = 2 + ? + 2.5 + 1
    # is not checked (1.2 has no maximum) but the known 5.5 is above 4.5
    assert "row 8 (1.3): gap between bands" in problems[6]
    assert problems[7] == (
        "row 2 (1): the known children's maxima add up to 5.5, more than the node's maximum 4.5"
    )
    assert result.notes == ["columns not used: Cột lạ"]
    rs_nodes = {n["code"]: n for n in result.data["nodes"][0]["children"]}
    assert rs_nodes["1.3"]["method"] == "survey" and rs_nodes["1.3"]["maximum"] == D("2.5")
    assert result.data["nodes"][0]["method"] == "appraisal"


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("> 90% kế hoạch", {"min": D(90), "min_inclusive": False}),
        (">= 90", {"min": D(90), "min_inclusive": True}),
        ("≥ 90", {"min": D(90), "min_inclusive": True}),
        ("< 70%", {"max": D(70), "max_inclusive": False}),
        ("≤ 70", {"max": D(70), "max_inclusive": True}),
        ("70% - 90% kế hoạch", {"min": D(70), "max": D(90), "max_inclusive": True}),
        ("từ 70% đến 90%", {"min": D(70), "max": D(90), "max_inclusive": True}),
        ("[70, 90)", {"min": D(70), "min_inclusive": True, "max": D(90), "max_inclusive": False}),
        ("(0,5; 1]", {"min": D("0.5"), "min_inclusive": False, "max": D(1), "max_inclusive": True}),
        ("(, 1]", {"max": D(1), "max_inclusive": True}),
    ],
)
def test_band_conditions(text: str, band: dict[str, Any]) -> None:
    assert parse_band(text) == band


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("points", {"kind": "points"}),
        ("points: step=0.25", {"kind": "points", "step": D("0.25")}),
        ("proportional: target=100", {"kind": "proportional", "target": D(100)}),
        ("count: per_item=0.5, cap=2", {"kind": "count", "per_item": D("0.5"), "cap": D(2)}),
        ("deduction: per_violation=0,25", {"kind": "deduction", "per_violation": D("0.25")}),
        ("{kind: survey_scale, levels: 5}", {"kind": "survey_scale", "levels": 5}),
        (
            "choice: on_time = 1; late = 0.5",
            {"kind": "choice", "options": {"on_time": D(1), "late": D("0.5")}},
        ),
    ],
)
def test_rule_cells(text: str, rule: dict[str, Any]) -> None:
    assert parse_rule(text, kinds()) == rule


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tiers: about 90 = 2", "is not a band"),
        ("choice: có", "has no points"),
        ("choice: Có = 1; có = 0", "two options make the same key 'co'"),
        ("count: cap=2", "per_item"),
        ("{kind: [", "not valid YAML"),
    ],
)
def test_bad_rule_cells(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_rule(text, kinds())


def test_slug() -> None:
    assert slug("Không đủ số lượng hoặc không đúng thời gian") == (
        "khong_du_so_luong_hoac_khong_dung_thoi_gian"
    )
    assert slug("Đạt yêu cầu (100%)") == "dat_yeu_cau_100"


def test_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    import csv

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    sheet.append(["PHỤ LỤC: BỘ TIÊU CHÍ"])  # a title row above the header
    for i, row in enumerate(csv.reader(TABLE.read_text(encoding="utf-8").splitlines())):
        cells: list[Any] = list(row)
        if i > 0:
            cells[2] = int(cells[2])  # maxima as numbers, as a sheet holds them
        sheet.append(cells)
    path = tmp_path / "camau.xlsx"
    book.save(path)
    result = import_table(path, dict(HEADER), kinds(), sheet="Phụ lục")
    assert result.problems == [] and result.nodes == 11
    out = tmp_path / "out.yaml"
    out.write_text(result.to_yaml(), encoding="utf-8")
    assert shape(load_ruleset(out).nodes) == shape(load_ruleset(HAND).nodes)
    with pytest.raises(InputFileError, match="no sheet 'Sheet9'; sheets: Phụ lục"):
        import_table(path, dict(HEADER), kinds(), sheet="Sheet9")


def test_xlsx_without_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real = importlib.import_module

    def fake(name: str, *args: Any) -> Any:
        if name == "openpyxl":
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"")
    with pytest.raises(InputFileError) as info:
        import_table(path, dict(HEADER), kinds())
    assert "needs openpyxl" in info.value.message
    assert info.value.hint is not None and "parindex[xlsx]" in info.value.hint


def test_no_header_row(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no header row found") as info:
        import_table(path, dict(HEADER), kinds())
    assert info.value.file == str(path)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "camau" / "2013.yaml"
    args = [
        "import-table",
        str(TABLE),
        "--id",
        "camau.department",
        "--years",
        "2013",
        "--unit-kind",
        "department",
        "--document",
        "1880/QĐ-UBND",
        "--date",
        "2013-10-01",
        "-o",
        str(out),
    ]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "11 rows read, 11 nodes written" in err and "0 problem(s)" in err
    rs = load_ruleset(out)
    assert rs.source.document == "1880/QĐ-UBND" and rs.status == "unverified"
    assert out.read_text(encoding="utf-8").startswith("# Imported by `parindex import-table`")
    short = tmp_path / "short.csv"
    short.write_text("\n".join(TABLE.read_text(encoding="utf-8").splitlines()[:-1]) + "\n")
    assert main(["import-table", str(short), *args[2:-2], "-o", str(tmp_path / "x.yaml")]) == 1
    err = capsys.readouterr().err
    assert "row 2 (1): children's maxima add up to 10 (5 + 2 + 3)" in err
    # the YAML is still written, with the problem listed at its top
    assert "#   row 2 (1): children's maxima" in (tmp_path / "x.yaml").read_text(encoding="utf-8")
