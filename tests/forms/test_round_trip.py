"""Forms out, filled as an office would, read back: exactly the score of the equivalent YAML."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from formfill import REPO, fill, row_of
from openpyxl import load_workbook

from parindex import api
from parindex.io.forms import COLUMN, COVER_SHEET, SUMMARY_SHEET
from parindex.model.documents import ScoreCard, Unit

SONLA_PARAMS = REPO / "rulesets/sonla.department/params/2023.example.yaml"

THIRD_PARTY = """\
id: example.district
version: "2024"
years: [2024]
unit_kind: district
title: {vi: Bộ tiêu chí thử nghiệm của huyện, en: A third-party test ruleset}
source: {document: "(test only)"}
maximum: 10
groups:
  - {label: Tốt, min: 80}
  - {label: Khá, min: 50}
  - {label: Chưa đạt, min: 0}
nodes:
  - code: "1"
    title: Kế hoạch cải cách hành chính
    maximum: 6
    children:
      - code: "1.1"
        title: Ban hành kế hoạch
        maximum: 2
        evidence: required
        rule: {kind: choice, options: {kip_thoi: 2, muon: 1, khong: 0}}
      - code: "1.2"
        title: Tỷ lệ hoàn thành kế hoạch
        maximum: 3
        rule:
          kind: tiers
          bands:
            - {min: 90, points: 3}
            - {min: 70, max: 90, points: 2}
            - {max: 70, points: 0}
      - code: "1.3"
        title: Kiểm tra
        maximum: 1
        rule: {kind: points, step: 0.25}
  - code: "2"
    title: Công khai
    maximum: 4
    children:
      - code: "2.1"
        title: Công khai thủ tục
        maximum: 4
"""


def same_score(got: ScoreCard, want: ScoreCard) -> None:
    """Every number of the two cards, node by node."""
    assert (got.total, got.total_exact, got.maximum, got.index, got.group) == (
        want.total,
        want.total_exact,
        want.maximum,
        want.index,
        want.group,
    )
    assert (got.self_total, got.appraised_total, got.changes) == (
        want.self_total,
        want.appraised_total,
        want.changes,
    )
    assert [n.code for n in got.nodes] == [n.code for n in want.nodes]
    for g, w in zip(got.nodes, want.nodes, strict=True):
        assert (g.points, g.self_points, g.maximum, g.not_applicable, g.trace.reason) == (
            w.points,
            w.self_points,
            w.maximum,
            w.not_applicable,
            w.trace.reason,
        ), g.code
    assert got.receipt == want.receipt


def test_moha_2017_form_scores_like_the_yaml_example(tmp_path: Path) -> None:
    yaml_path = REPO / "examples/moha-2017-example.yaml"
    want = api.score(yaml_path)
    ruleset = api.get_ruleset("moha.province", 2017)
    unit = api.load_assessment(yaml_path).unit
    [form] = api.write_forms(ruleset, 2017, [unit], tmp_path / "form.xlsx")
    reason = "Illustrative: one procedure published after the deadline"
    fill(
        form,
        {
            "1": {"self": 9.5},
            "2": {"self": "8,75"},  # a comma decimal typed in a text cell
            "3": {"self": 13.5, "appraised": 13, "reason": reason},
            "4": {"self": 10.25},
            "5": {"self": "14.5"},
            "6": {"self": 6},
            "7": {"self": 13.75},
            "8": {
                "self": 12,
                "ev_number": "123/QĐ-UBND",
                "ev_date": dt.datetime(2017, 11, 20),
                "ev_issuer": "UBND tỉnh",
                "ev_link": "https://example.org/123.pdf",
            },
        },
    )
    got = api.score_form(form)
    same_score(got, want)
    assert got.unit == want.unit
    assert got.total == Decimal("87.75")  # by hand: 9.5 + 8.75 + 13 + 10.25 + 14.5 + 6 + 13.75 + 12
    assessment = api.read_form(form)
    [doc] = assessment.inputs["8"].evidence or ()
    assert (doc.number, doc.date, doc.issuer, doc.url) == (
        "123/QĐ-UBND",
        dt.date(2017, 11, 20),
        "UBND tỉnh",
        "https://example.org/123.pdf",
    )
    assert assessment.inputs["3"].appraised is not None
    assert assessment.inputs["3"].appraised.reason == reason


def test_sonla_2023_form_with_params_scores_like_the_yaml_example(tmp_path: Path) -> None:
    yaml_path = REPO / "examples/sonla-department-2023.yaml"
    want = api.score(yaml_path, params=SONLA_PARAMS)
    ruleset = api.with_parameters(api.get_ruleset("sonla.department", 2023), SONLA_PARAMS, 2023)
    unit = api.load_assessment(yaml_path).unit
    [form] = api.write_forms(ruleset, 2023, [unit], tmp_path, parameters="2023.example.yaml")
    assert form.name == "so-minh-hoa.xlsx"
    book = load_workbook(form)
    assert book.sheetnames == [COVER_SHEET, "Lĩnh vực TD", "Lĩnh vực XHH", SUMMARY_SHEET]
    fill(
        form,
        {
            "TD.1": {
                "self": 8,
                "appraised": "7,5",
                "reason": "Báo cáo CCHC quý III gửi muộn (illustrative)",
            },
            "TD.2": {"self": "không phát sinh"},
            "TD.3": {"self": 9.25},
            "TD.4": {"self": 6.5},
            "TD.5": {
                "self": 9.5,
                "appraised": 9,
                "reason": "Thiếu tài liệu kiểm chứng về đánh giá công chức (illustrative)",
            },
            "TD.6": {"self": 5.75},
            "TD.7": {"self": 8.5},
            "TD.8": {"self": 10.5},
            "XHH": {"self": 26.4},
        },
    )
    got = api.score_form(form, params=SONLA_PARAMS)
    same_score(got, want)
    # by hand (the example's header): 57.00 + 26.40 = 83.40 of 93 applicable → 89.68, group B
    assert (got.total, got.index, got.group) == (Decimal("83.40"), Decimal("89.68"), "B")


def _third_party(tmp_path: Path) -> Path:
    path = tmp_path / "example-district.yaml"
    path.write_text(THIRD_PARTY, encoding="utf-8")
    return path


def test_third_party_ruleset_form_with_a_blank_and_evidence(tmp_path: Path) -> None:
    rs_path = _third_party(tmp_path)
    ruleset = api.load_ruleset(rs_path)
    unit = Unit(id="huyen-a", name="Huyện A", kind="district")
    [form] = api.write_forms(ruleset, 2024, [unit], tmp_path / "huyen-a.xlsx", missing="zero")
    fill(
        form,
        {
            "1.1": {"self": "kip_thoi", "appraised": "muon", "reason": "Ban hành muộn"},
            "1.2": {"self": "85,5"},
            "1.3": {"self": 0.75, "ev_title": "Báo cáo kiểm tra", "ev_link": "bao-cao.pdf"},
            # 2.1 left blank: missing, scored 0 under the form's policy
        },
    )
    want = api.score(
        {
            "ruleset": "example.district",
            "year": 2024,
            "unit": {"id": "huyen-a", "name": "Huyện A", "kind": "district"},
            "missing": "zero",
            "inputs": {
                "1.1": {
                    "self": {"choice": "kip_thoi"},
                    "appraised": {"choice": "muon", "reason": "Ban hành muộn"},
                },
                "1.2": {"measure": "85.5"},
                "1.3": {"points": "0.75"},
            },
        },
        ruleset,
    )
    got = api.score_form(form, rs_path)
    same_score(got, want)
    # by hand: 1 (muon) + 2 (85.5 in [70, 90)) + 0.75 + 0 = 3.75 of 10 → 37.50, "Chưa đạt";
    # self-assessed: 2 + 2 + 0.75 = 4.75
    assert (got.total, got.index, got.group, got.self_total) == (
        Decimal("3.75"),
        Decimal("37.50"),
        "Chưa đạt",
        Decimal("4.75"),
    )
    assert any("2.1" in note and "no input" in note for note in got.notes)
    # 1.1 requires evidence and has none: flagged, not refused
    assert "1.1: evidence required, but no document was given" in got.notes
    read = api.read_form(form, rs_path)
    [doc] = read.inputs["1.3"].evidence or ()
    assert (doc.title, doc.file, doc.url) == ("Báo cáo kiểm tra", "bao-cao.pdf", None)


def test_evidence_given_clears_the_flag_and_continuation_rows_add_documents(tmp_path: Path) -> None:
    rs_path = _third_party(tmp_path)
    ruleset = api.load_ruleset(rs_path)
    [form] = api.write_forms(ruleset, 2024, ["huyen-b"], tmp_path / "b.xlsx", missing="zero")
    fill(form, {"1.1": {"self": "kip_thoi", "ev_number": "12/KH-UBND", "ev_date": "05/01/2024"}})
    book = load_workbook(form)
    sheet = book["Lĩnh vực 1"]
    row = row_of(sheet, "1.1")
    sheet.insert_rows(row + 1)  # a second document, on a row of its own below the criterion
    sheet.cell(row + 1, COLUMN["ev_number"], "15/BC-UBND")
    book.save(form)
    read = api.read_form(form, rs_path)
    numbers = [(d.number, d.date) for d in read.inputs["1.1"].evidence or ()]
    assert numbers == [("12/KH-UBND", dt.date(2024, 1, 5)), ("15/BC-UBND", None)]
    card = api.score_form(form, rs_path)
    assert not any("evidence required" in n for n in card.notes)


def test_the_form_itself(tmp_path: Path) -> None:
    ruleset = api.with_parameters(api.get_ruleset("sonla.department", 2023), SONLA_PARAMS, 2023)
    [form] = api.write_forms(ruleset, 2023, ["so-a=Sở A"], tmp_path)
    book = load_workbook(form)
    cover = book[COVER_SHEET]
    values: dict[Any, Any] = {cover.cell(r, 1).value: cover.cell(r, 3).value for r in range(1, 20)}
    assert values["ruleset"] == "sonla.department"
    assert values["content_hash"].startswith("sha256:")
    assert (values["year"], values["unit"], values["unit_name"]) == (2023, "so-a", "Sở A")
    sheet = book["Lĩnh vực TD"]
    td1 = row_of(sheet, "TD.1")
    maximum = sheet.cell(td1, COLUMN["maximum"])
    assert maximum.value == 8 and maximum.number_format == "0.00"  # a number, not text
    assert sheet.protection.sheet
    assert sheet.cell(td1, COLUMN["code"]).protection.locked
    assert not sheet.cell(td1, COLUMN["self"]).protection.locked
    assert sheet.cell(row_of(sheet, "TD"), COLUMN["self"]).protection.locked  # a parent
    ranges = [str(v.sqref) for v in sheet.data_validations.dataValidation]
    assert any(f"F{td1}" in r for r in ranges)
    summary = book[SUMMARY_SHEET]
    assert str(summary.cell(3, 4).value).startswith("=SUM(")


def test_unpublished_maximum_is_words_not_a_number(tmp_path: Path) -> None:
    ruleset = api.get_ruleset("sonla.department", 2023)  # field maxima come from parameters
    [form] = api.write_forms(ruleset, 2023, ["so-a"], tmp_path)
    sheet = load_workbook(form)["Lĩnh vực TD"]
    assert (
        sheet.cell(row_of(sheet, "TD.1"), COLUMN["maximum"]).value == "chưa công bố / not published"
    )


def test_choice_validation_lists_the_options(tmp_path: Path) -> None:
    ruleset = api.load_ruleset(_third_party(tmp_path))
    [form] = api.write_forms(ruleset, 2024, ["x"], tmp_path / "x.xlsx")
    sheet = load_workbook(form)["Lĩnh vực 1"]
    lists = [v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists == ['"kip_thoi,muon,khong,không phát sinh"']


@pytest.mark.parametrize("year", [2016])
def test_a_year_the_ruleset_does_not_cover_is_refused(tmp_path: Path, year: int) -> None:
    from parindex.model.errors import YearNotCoveredError

    with pytest.raises(YearNotCoveredError):
        api.write_forms(api.get_ruleset("moha.province", 2017), year, [], tmp_path)


def test_long_top_level_codes_get_numbered_sheets(tmp_path: Path) -> None:
    long_a, long_b = "A" * 25 + "1", "A" * 25 + "2"  # the same first 31 characters as sheet names
    ruleset = api.load_ruleset(
        {
            "id": "test.long",
            "version": "1",
            "years": [2024],
            "unit_kind": "agency",
            "source": {"document": "(test)"},
            "nodes": [{"code": long_a, "maximum": 1}, {"code": long_b, "maximum": 2}],
        }
    )
    [form] = api.write_forms(ruleset, 2024, ["u"], tmp_path / "u.xlsx")
    assert load_workbook(form).sheetnames[1:3] == ["Lĩnh vực 1", "Lĩnh vực 2"]
    fill(form, {long_a: {"self": 1}, long_b: {"self": "1,5"}})
    assert api.score_form(form, ruleset).total == Decimal("2.5")
