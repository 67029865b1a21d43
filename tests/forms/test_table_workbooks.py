"""Workbooks of gaps, targets, compare, reproduce and report; CSV with --bom; the council's view
(`rank --changes`); evidence in explain, JSON, the HTML report and the workbooks."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from formfill import REPO, fill
from openpyxl import load_workbook

from parindex import api
from parindex.cli.main import main
from parindex.report.xlsx import SOURCES_SHEET

BOM = b"\xef\xbb\xbf"
PLANNING = REPO / "examples/planning"
#: field points of moha.province 2017 (maxima 10, 10, 14.5, 11, 16, 7, 16, 15.5)
FLAT = {"1": 9, "2": 8, "3": 13, "4": 10, "5": 14, "6": 6, "7": 13, "8": 12}


def _write(path: Path, data: dict[str, Any]) -> str:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def _moha(tmp_path: Path, unit: str, inputs: dict[str, Any]) -> str:
    data = {"ruleset": "moha.province", "year": 2017, "unit": {"id": unit, "name": unit.upper()}}
    return _write(tmp_path / f"{unit}.yaml", {**data, "inputs": inputs})


def _rows(sheet: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _sources(book: Any) -> dict[str, Any]:
    return {r[0].value: r[1].value for r in book[SOURCES_SHEET].iter_rows(min_row=2)}


def test_gaps_workbook_numbers_formats_header_filter_and_sources(tmp_path: Path) -> None:
    path = _moha(tmp_path, "a", FLAT)
    out = tmp_path / "gaps.xlsx"
    assert main(["gaps", path, "--depth", "field", "--format", "xlsx", "-o", str(out)]) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Points lost by node", SOURCES_SHEET]
    sheet = book["Points lost by node"]
    rows = _rows(sheet)
    assert rows[0][:5] == ["Code", "Criterion", "Points", "Maximum", "Points lost"]
    # lost = maximum − points, by hand: 8: 3.5, 7: 3, 2: 2, 5: 2, 3: 1.5, 1: 1, 4: 1, 6: 1
    lost = {r[0]: r[4] for r in rows[1:]}
    assert lost == {"8": 3.5, "7": 3, "2": 2, "5": 2, "3": 1.5, "1": 1, "4": 1, "6": 1}
    assert [r[0] for r in rows[1:3]] == ["8", "7"]  # largest first
    assert sheet["E2"].data_type == "n" and sheet["E2"].number_format == "0.00"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G9"
    assert (sheet.column_dimensions["B"].width or 0) > len("Criterion")
    sources = _sources(book)
    assert sources["content_hash"] == api.score(path).receipt.content_hash
    assert sources["rounding"] == api.score(path).receipt.rule


def test_gaps_workbook_in_vietnamese_keeps_numbers(tmp_path: Path) -> None:
    path = _moha(tmp_path, "a", FLAT)
    out = tmp_path / "gaps-vi.xlsx"
    argv = ["--locale", "vi", "gaps", path, "--depth", "field", "-f", "xlsx", "-o", str(out)]
    assert main(argv) == 0
    sheet = load_workbook(out)["Các tiêu chí bị mất điểm"]
    assert sheet["A1"].value == "Mã" and sheet["E1"].value == "Điểm bị mất"
    # the spreadsheet shows 3,50 in a Vietnamese locale: the cell holds the number 3.5
    assert sheet["E2"].value == 3.5 and sheet["E2"].number_format == "0.00"


def test_compare_self_vs_appraised_shows_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = {**FLAT, "3": {"self": 13.5, "appraised": {"points": 13, "reason": "muộn 5 ngày"}}}
    path = _moha(tmp_path, "a", inputs)
    assert main(["compare", path, "--wide"]) == 0
    out = capsys.readouterr().out
    assert "Changes made by the appraisal" in out and "muộn 5 ngày" in out
    book_path = tmp_path / "cmp.xlsx"
    assert main(["compare", path, "--format", "xlsx", "-o", str(book_path)]) == 0
    book = load_workbook(book_path)
    assert book.sheetnames == [
        "Comparison summary",
        "Node-by-node comparison",
        "Changes made by the appraisal",
        SOURCES_SHEET,
    ]
    change = _rows(book["Changes made by the appraisal"])[1]
    assert change == ["3", "Reform of administrative procedures", 13.5, 13, -0.5, "muộn 5 ngày"]
    summary = _rows(book["Comparison summary"])
    # self 9+8+13.5+10+14+6+13+12 = 85.5; appraised 85
    assert [r[4] for r in summary[1:]] == [85.5, 85]


def test_targets_workbook_has_one_sheet_per_table(tmp_path: Path) -> None:
    argv = [
        "targets",
        str(REPO / "examples/targets/yen-bai-2021.yaml"),
        "--scores",
        str(PLANNING / "yen-bai-2021.yaml"),
        str(PLANNING / "par-2021-synthetic.csv"),
        str(PLANNING / "yen-bai-2021-papi.yaml"),
        str(PLANNING / "papi-2021-synthetic.csv"),
        "--measures",
        str(PLANNING / "yen-bai-2021-measures.yaml"),
        "--ruleset",
        str(PLANNING / "rulesets/example-province-2021.yaml"),
    ]
    csv_out = tmp_path / "targets.csv"
    assert main([*argv, "--format", "csv", "-o", str(csv_out)]) == 0
    from_csv = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8"))))
    book_path = tmp_path / "targets.xlsx"
    assert main([*argv, "--format", "xlsx", "-o", str(book_path)]) == 0
    book = load_workbook(book_path)
    # a sheet name has at most 31 characters, and no ':'
    assert book.sheetnames == ["Targets", "What-if- where to win points ba", SOURCES_SHEET]
    rows = _rows(book["Targets"])
    assert len(rows) - 1 == len(from_csv) > 0
    assert [r[0] for r in rows[1:]] == [r["id"] for r in from_csv]
    met = rows[0].index("Met")
    assert [r[met] for r in rows[1:]] == ["✓" if r["met"] == "True" else "✗" for r in from_csv]


def test_reproduce_workbook_and_output_file(tmp_path: Path) -> None:
    book_path = tmp_path / "r.xlsx"
    argv = ["reproduce", "--dataset", "par-2020-components"]
    assert main([*argv, "--format", "xlsx", "-o", str(book_path)]) == 0
    csv_path = tmp_path / "r.csv"
    assert main([*argv, "--format", "csv", "--output", str(csv_path)]) == 0
    from_csv = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    book = load_workbook(book_path)
    rows = _rows(book["Reproduced rows"])
    header = rows[0]
    assert len(rows) - 1 == len(from_csv) == 10
    for row, want in zip(rows[1:], from_csv, strict=True):
        got = dict(zip(header, row, strict=True))
        assert got["unit"] == want["unit"] and got["status"] == want["status"] == "agree"
        assert Decimal(str(got["published_total"])) == Decimal(want["published_total"])
    assert book["Reproduced rows"]["D2"].data_type == "n"
    assert "recomputed: 10" in _sources(book)["summary"]


def test_csv_outputs_take_a_bom(tmp_path: Path) -> None:
    inputs = {**FLAT, "3": {"self": 13.5, "appraised": {"points": 13, "reason": "muộn"}}}
    path = _moha(tmp_path, "a", inputs)
    target = {"id": "t1", "kind": "value", "rulesets": ["moha.province"], "of": "total"}
    targets = {
        "targets_for": {"id": "a"},
        "year": 2017,
        "source": {"document": "(test)"},
        "targets": [{**target, "above": 80}],
    }
    targets_file = _write(tmp_path / "targets.yaml", targets)
    commands = [
        ["score", path, "--format", "csv"],
        ["rank", path, "--format", "csv"],
        ["gaps", path, "--format", "csv"],
        ["compare", path, "--format", "csv"],
        ["targets", targets_file, "--scores", path, "--format", "csv"],
        ["reproduce", "--dataset", "par-2020-components", "--format", "csv"],
    ]
    for n, argv in enumerate(commands):
        plain, marked = tmp_path / f"{n}.csv", tmp_path / f"{n}-bom.csv"
        assert main([*argv, "-o", str(plain)]) == 0
        assert main([*argv, "--bom", "-o", str(marked)]) == 0
        assert not plain.read_bytes().startswith(BOM), argv
        assert marked.read_bytes() == BOM + plain.read_bytes(), argv
    # --bom changes CSV only
    table = tmp_path / "t.txt"
    assert main(["score", path, "--bom", "-o", str(table)]) == 0
    assert not table.read_bytes().startswith(BOM)


def test_rank_changes_lists_every_change_of_every_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _moha(
        tmp_path, "a", {**FLAT, "3": {"self": 13, "appraised": {"points": 12, "reason": "r3"}}}
    )
    b_inputs = {
        **FLAT,
        "5": {"self": 14, "appraised": {"points": 13.5, "reason": "r5"}},
        "7": {"self": 12, "appraised": {"points": 13}},  # raised, without a reason
    }
    b = _moha(tmp_path, "b", b_inputs)
    plain = _moha(tmp_path, "c", FLAT)
    assert main(["rank", a, b, plain, "--changes", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == [
        "unit_id",
        "unit",
        "code",
        "title",
        "self",
        "appraised",
        "change",
        "reason",
    ]
    assert [r[:3] + r[4:] for r in rows[1:]] == [
        ["a", "A", "3", "13", "12", "-1", "r3"],
        ["b", "B", "5", "14", "13.5", "-0.5", "r5"],
        ["b", "B", "7", "12", "13", "1", ""],
    ]
    book_path = tmp_path / "changes.xlsx"
    assert main(["rank", a, b, "--changes", "--format", "xlsx", "-o", str(book_path)]) == 0
    sheet = load_workbook(book_path)["Changes made by the appraisal"]
    assert sheet.auto_filter.ref == "A1:H4" and sheet["G2"].value == -1  # sortable numbers


def test_rank_changes_of_a_points_csv_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", str(PLANNING / "par-2021-synthetic.csv"), "--changes"]) == 1
    assert "--changes needs assessments" in capsys.readouterr().err


EVIDENCE_RULESET = {
    "id": "test.evidence",
    "version": "1",
    "years": [2024],
    "unit_kind": "agency",
    "source": {"document": "(test)"},
    "maximum": 3,
    "nodes": [
        {"code": "1", "maximum": 2, "evidence": "required"},
        {"code": "2", "maximum": 1},
    ],
}
DOC = {"number": "12/QĐ-UBND", "date": "2024-03-01", "issuer": "UBND", "url": "https://x.vn/a"}
CITED = "12/QĐ-UBND, 2024-03-01, UBND <https://x.vn/a>"


def _evidence_files(tmp_path: Path) -> tuple[str, str]:
    ruleset = _write(tmp_path / "rs.yaml", EVIDENCE_RULESET)
    inputs = {
        "1": {"self": 2, "appraised": {"points": 1.5, "reason": "thiếu"}, "evidence": [DOC]},
        "2": 1,
    }
    data = {"ruleset": "test.evidence", "year": 2024, "unit": "u", "inputs": inputs}
    return ruleset, _write(tmp_path / "a.yaml", data)


def test_evidence_shows_in_explain_json_report_and_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset, path = _evidence_files(tmp_path)
    assert main(["explain", path, "1", "--ruleset", ruleset, "--wide"]) == 0
    assert f"evidence: {CITED}" in capsys.readouterr().out
    assert main(["score", path, "--ruleset", ruleset, "--format", "json"]) == 0
    card = json.loads(capsys.readouterr().out)
    one = next(n for n in card["nodes"] if n["code"] == "1")
    assert one["evidence"] == [{**DOC, "title": None, "file": None}]
    assert "evidence" not in next(n for n in card["nodes"] if n["code"] == "2")
    card_file = tmp_path / "card.json"
    card_file.write_text(json.dumps(card), encoding="utf-8")
    assert (
        api.read_card(card_file).node("1").evidence
        == api.score(path, api.load_ruleset(ruleset)).node("1").evidence
    )
    html = tmp_path / "r.html"
    export = tmp_path / "r.xlsx"
    argv = ["report", path, "--ruleset", ruleset, "-o", str(html), "--export", str(export)]
    assert main(argv) == 0
    text = html.read_text(encoding="utf-8")
    assert "12/QĐ-UBND, 2024-03-01, UBND &lt;https://x.vn/a&gt;" in text
    assert "appraisal changed 1 node, −0.50 points" in text and "thiếu" in text
    book = load_workbook(export)
    assert _rows(book["Changes made by the appraisal"])[1] == ["1", None, 2, 1.5, -0.5, "thiếu"]
    assert _rows(book["Evidence documents"])[1] == [
        "u",
        "1",
        None,
        "12/QĐ-UBND",
        "2024-03-01",
        "UBND",
        None,
        "https://x.vn/a",
    ]
    assert "Profile by field or dimension" in book.sheetnames
    card_book = tmp_path / "card.xlsx"
    assert main(["score", path, "--ruleset", ruleset, "-f", "xlsx", "-o", str(card_book)]) == 0
    assert _rows(load_workbook(card_book)["Evidence documents"])[1][3] == "12/QĐ-UBND"


def test_a_card_without_evidence_or_changes_gets_no_such_sheet_or_section(
    tmp_path: Path,
) -> None:
    path = _moha(tmp_path, "a", FLAT)
    export = tmp_path / "r.xlsx"
    assert main(["report", path, "-o", str(tmp_path / "r.html"), "--export", str(export)]) == 0
    names = load_workbook(export).sheetnames
    assert "Evidence documents" not in names and "Changes made by the appraisal" not in names
    assert "Changes made by the appraisal" not in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_planning_commands_read_filled_forms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = REPO / "examples/moha-2017-example.yaml"
    form = tmp_path / "forms" / "tinh.xlsx"
    assert main(["form", "moha.province", "--from", str(example), "-o", str(form)]) == 0
    cover = api.read_cover(form)
    assert (cover.ruleset, cover.year) == ("moha.province", 2017)
    capsys.readouterr()
    assert main(["gaps", str(form), "--depth", "field", "--format", "csv"]) == 0
    from_form = capsys.readouterr().out
    assert main(["gaps", str(example), "--depth", "field", "--format", "csv"]) == 0
    assert from_form == capsys.readouterr().out
    assert main(["compare", str(form), "--wide"]) == 0
    assert "Illustrative: one procedure published after the deadline" in capsys.readouterr().out
    html = tmp_path / "r.html"
    assert main(["report", str(form), "-o", str(html)]) == 0
    assert "appraisal changed 1 node, −0.50 points" in html.read_text(encoding="utf-8")
    # a folder of forms as the batch, as `rank` takes it: 85 for unit b, 87.75 for the example
    [other] = api.write_forms(api.get_ruleset("moha.province", 2017), 2017, ["b"], form.parent)
    fill(other, {code: {"self": points} for code, points in FLAT.items()})
    argv = ["report", str(form), "--batch", str(form.parent), "-f", "markdown", "-o", str(html)]
    assert main(argv) == 0
    assert "Tỉnh minh họa (illustrative, not a real province): 1 / 2" in html.read_text("utf-8")
    assert main([*argv[:4], str(example), *argv[4:]]) == 1  # the example's unit twice
    assert "more than once: tinh-minh-hoa" in capsys.readouterr().err


def test_reproduce_output_keeps_an_input_or_read_only_file(tmp_path: Path) -> None:
    kept = tmp_path / "kept.csv"
    kept.write_text("kept\n", encoding="utf-8")
    kept.chmod(0o444)
    argv = ["reproduce", "--dataset", "par-2020-components", "--format", "csv", "-o", str(kept)]
    assert main(argv) == 1
    assert kept.read_text(encoding="utf-8") == "kept\n"
    assert main([*argv, "--force"]) == 0
    assert kept.read_text(encoding="utf-8").startswith("unit,year,ruleset")


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and pdftotext (Debian: libreoffice-calc-nogui, poppler-utils) are needed",
)
def test_libreoffice_renders_a_table_workbook_with_its_number_formats(tmp_path: Path) -> None:
    path = _moha(tmp_path, "a", FLAT)
    book = tmp_path / "gaps.xlsx"
    argv = ["--locale", "vi", "gaps", path, "--depth", "field", "-f", "xlsx", "-o", str(book)]
    assert main(argv) == 0
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [
            SOFFICE or "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            *("--convert-to", "pdf", "--outdir", str(tmp_path), str(book)),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "gaps.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Điểm bị mất" in text and "Tác động" in text  # Vietnamese headers and titles
    # the cells hold 3.5 and 14.5; the format shows two places, in LibreOffice's own locale
    assert re.search(r"3[.,]50\b", text) and re.search(r"14[.,]50\b", text)
