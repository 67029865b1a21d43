"""One number style in every output: sentences built in English by the analysis (targets, plans,
rule descriptions) show their numbers in the reader's style, and so do the Markdown, HTML and
xlsx reports (the ruleset's places, trailing zeros kept, ``87,11`` under vi)."""

from __future__ import annotations

import io
import re

import pytest
from i18n_helpers import COMMANDS, EX, run

from parindex.model.i18n import NUMBER_FIELDS, localize, localize_numbers


@pytest.mark.parametrize(
    ("text", "vi"),
    [
        ("85.90", "85,90"),  # trailing zero kept
        ("index 41.700000", "index 41,700000"),  # every published decimal kept
        ("1234.5 and 0.5", "1.234,5 and 0,5"),  # vi groups thousands with a point
        ("node 6.1.1 and 1.2.3.4", "node 6.1.1 and 1.2.3.4"),  # codes are not numbers
        ("2020 and 63", "2020 and 63"),  # whole numbers unchanged
        ("reach 50.000001.", "reach 50,000001."),  # a sentence's full stop is not a decimal
    ],
)
def test_localize_numbers(text: str, vi: str) -> None:
    assert localize_numbers(text, "vi") == vi
    assert localize_numbers(text, "en") == text


def test_only_number_fields_of_a_template_are_restyled() -> None:
    assert {"value", "index", "key", "points"} <= NUMBER_FIELDS and "code" not in NUMBER_FIELDS
    # {code} keeps its point, {value} takes the comma
    assert localize("no node 1.2 in this score card", "vi") == (
        "không có tiêu chí 1.2 trong kết quả chấm điểm này"
    )
    assert localize("total must reach 50.5", "vi").endswith("50,5")
    assert localize("rank 25 of 63 (index 85.90)", "vi") == "hạng 25 trên 63 (chỉ số 85,90)"


def test_a_plan_explanation_is_translated_part_by_part() -> None:
    text = (
        'competition ranking ("1224"): reach the 22nd highest key of the other units; a tie'
        " shares the better rank: index 86.45"
    )
    assert localize(text, "vi") == (
        'xếp hạng kiểu competition ("1224"): đạt giá trị cao thứ 22 của các đơn vị khác;'
        " bằng điểm thì cùng nhận hạng cao hơn: chỉ số 86,45"
    )
    assert localize(text, "en") == text


def test_a_group_and_its_words_show_the_words_under_vi() -> None:
    required = "PAPI group of total ≥ high-average (nhóm trung bình cao), rule quartiles"
    assert localize(required, "vi") == (
        "nhóm PAPI của tổng điểm ≥ nhóm trung bình cao, quy tắc quartiles"
    )
    assert localize("poor (nhóm thấp nhất) (total 41.700000)", "vi") == (
        "nhóm thấp nhất (tổng điểm 41,700000)"
    )


@pytest.mark.parametrize(
    ("described", "vi"),
    [
        ("choice: kip_thoi 1; khong_kip_thoi 0.5", "chọn: kip_thoi 1; khong_kip_thoi 0,5"),
        ("points in steps of 0.25", "điểm theo bước 0,25"),
        ("0.5 per item, up to 2", "0,5 cho mỗi mục, tối đa 2"),
        ("maximum less 0.25 per violation", "điểm tối đa trừ 0,25 cho mỗi vi phạm"),
        ("proportional to measure ÷ 100", "tỷ lệ theo số đo ÷ 100"),
    ],
)
def test_rule_descriptions_stay_english_and_show_in_vi(described: str, vi: str) -> None:
    import parindex_core_rules.kinds  # noqa: F401  (registers the kinds' templates)

    assert localize(described, "vi") == vi


def test_show_prints_rule_numbers_with_a_decimal_comma(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # one line per row
    rs = str(EX / "ca-mau-2013" / "ruleset.yaml")
    vi = run(capsys, ["--locale", "vi", "show", rs])
    assert "chọn: kip_thoi 1; khong_kip_thoi 0,5; khong_ban_hanh 0" in vi
    en = run(capsys, ["--locale", "en", "show", rs])
    assert "choice: kip_thoi 1; khong_kip_thoi 0.5; khong_ban_hanh 0" in en
    explained = run(capsys, ["--locale", "vi", *COMMANDS["explain"]])
    assert "quy tắc chọn: kip_thoi 1; khong_kip_thoi 0,5; khong_ban_hanh 0" in explained


def test_targets_sentences_under_vi(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")
    out = run(capsys, ["--locale", "vi", *COMMANDS["targets"]])
    # Yên Bái 2021 in the synthetic batch: rank 25 of 63 at index 85.90
    assert "hạng 25 trên 63 (chỉ số 85,90)" in out
    assert "tổng điểm 41,700000" in out
    assert "tổng điểm cần đạt 50,000001" in out
    assert "chưa nêu" in out and "not stated" not in out
    # no decimal with a point is left (clauses such as II.2 and codes such as 7.2.1 are not ones)
    clauses = re.sub(r"\b[IVX]+(\.\d+)+", "", out)
    assert re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", clauses) == []


def test_report_markdown_and_html_print_points_with_the_rulesets_places(
    capsys: pytest.CaptureFixture[str],
) -> None:
    card = str(EX / "moha-2017-example.yaml")
    md = run(capsys, ["--locale", "vi", "report", card, "--format", "markdown"])
    # field 8 of the 2017 example: 12 of 15.5, lost 3.5 (28.57 % of the 12.25 lost); moha.province
    # rounds to 2 places, so the points lost are printed as the profile table prints points
    assert re.search(r"\| 8 +\|[^|]+\| 12,00 +\| 15,5 +\| 77,42 +\| 3,50 +\|", md), md
    assert re.search(r"\| 8 +\|[^|]+\| 12,00 +\| 15,5 +\| 3,50 +\| 28,57 ", md), md
    assert (
        "Mức liệt kê: mức chi tiết nhất. Tổng số điểm bị mất: 12,25; số điểm bị mất được liệt kê:"
        " 12,25." in md
    )
    html = run(capsys, ["--locale", "vi", "report", card])
    assert "87,75" in html and "87.75" not in html
    en = run(capsys, ["--locale", "en", "report", card, "--format", "markdown"])
    assert re.search(r"\| 8 +\|[^|]+\| 12\.00 +\| 15\.5 +\| 3\.50 +\| 28\.57 ", en), en
    assert "Depth: leaf. Points lost in all: 12.25; listed: 12.25." in en


def test_xlsx_cells_are_numbers_shown_with_the_rulesets_places(tmp_path: object) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from pathlib import Path

    from parindex.cli.main import main

    out = Path(str(tmp_path)) / "card.xlsx"
    assert main(["--locale", "vi", "score", str(EX / "moha-2017-example.yaml"), "-o", str(out),
                 "--format", "xlsx"]) == 0  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    sheet = book.worksheets[1]
    heads = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "3")
    points = row[heads.index("Điểm")]
    from decimal import Decimal

    assert Decimal(str(points.value)) == Decimal("13")  # a number, not the text "13,00"
    assert points.number_format == "0.00"  # shown with 2 places, in the reader's decimal mark
