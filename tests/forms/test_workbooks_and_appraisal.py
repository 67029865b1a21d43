"""`--format xlsx` workbooks, and the appraisal shown in score cards."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from formfill import REPO
from openpyxl import load_workbook

from parindex import api
from parindex.cli.main import main
from parindex.report.card import scorecard
from parindex.report.xlsx import SOURCES_SHEET, ranking_workbook, scorecard_workbook

MOHA = REPO / "examples/moha-2017-example.yaml"


def _moha(unit_name: str, inputs: dict[str, object]) -> dict[str, object]:
    return {
        "ruleset": "moha.province",
        "year": 2017,
        "unit": {"id": "t", "name": unit_name},
        "inputs": inputs,
    }


FLAT = {"1": 9, "2": 8, "3": 13, "4": 10, "5": 14, "6": 6, "7": 13, "8": 12}


def test_score_workbook_holds_numbers_formats_filters_and_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["score", str(MOHA), "--format", "xlsx", "-o", "card.xlsx"]) == 0
    book = load_workbook(tmp_path / "card.xlsx")
    points = book["Points"]
    assert points.freeze_panes == "A2" and points.auto_filter.ref == "A1:H9"
    header = [c.value for c in points[1]]
    assert header[:3] == ["Code", "Title", "Points"]
    row3 = {header[i]: c for i, c in enumerate(points[4])}  # node 3: appraised 13, self 13.5
    assert row3["Points"].value == 13 and row3["Points"].number_format == "0.00"
    assert row3["Self-assessed"].value == 13.5
    assert row3["Reason"].value == "Illustrative: one procedure published after the deadline"
    summary = {r[0].value: r[1].value for r in book["Total"].iter_rows(min_row=2)}
    assert summary["Total"] == 87.75 and summary["Index"] == 87.75
    sources = {r[0].value: r[1].value for r in book[SOURCES_SHEET].iter_rows(min_row=2)}
    assert sources["content_hash"] == api.score(MOHA).receipt.content_hash


def test_score_xlsx_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(MOHA), "--format", "xlsx"]) == 1
    assert "-o FILE.xlsx" in capsys.readouterr().err


def test_formula_text_is_neutralised_numbers_stay_numbers(tmp_path: Path) -> None:
    card = api.score(_moha('=HYPERLINK("http://x","y")', FLAT))
    path = tmp_path / "c.xlsx"
    path.write_bytes(scorecard_workbook(card))
    cell = load_workbook(path)["Total"]["B2"]
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://x","y")'
    table = api.rank([card])
    path.write_bytes(ranking_workbook(table, cards=[card]))
    rank = load_workbook(path)["Rank"]
    assert rank["C2"].value.startswith("'=") and rank["C2"].data_type == "s"
    assert rank["D2"].value == 85 and rank["D2"].data_type == "n"  # 9+8+13+10+14+6+13+12


def test_rank_workbook_lists_every_change_of_every_unit(tmp_path: Path) -> None:
    a = api.score(
        _moha("A", {**FLAT, "3": {"self": 13, "appraised": {"points": 12, "reason": "r3"}}})
    )
    b_inputs = {**FLAT, "5": {"self": 14, "appraised": {"points": 13.5, "reason": "r5"}}}
    b = api.score({**_moha("B", b_inputs), "unit": {"id": "b", "name": "B"}})
    path = tmp_path / "r.xlsx"
    path.write_bytes(ranking_workbook(api.rank([a, b]), cards=[a, b]))
    rows = [[c.value for c in r] for r in load_workbook(path)["Appraised"].iter_rows(min_row=2)]
    assert rows == [
        ["A", "3", "Reform of administrative procedures", 13, 12, "r3"],
        ["B", "5", rows[1][2], 14, 13.5, "r5"],
    ]


def test_a_card_with_appraisal_changes_shows_both_the_reason_and_a_summary() -> None:
    inputs = {
        **FLAT,
        "3": {"self": 13.5, "appraised": {"points": 13, "reason": "muộn"}},
        "7": {"self": 14, "appraised": {"points": 11.25, "reason": "thiếu"}},
    }
    card = api.score(_moha("A", inputs))
    text = scorecard(card, "table", width=200)
    # self 9+8+13.5+10+14+6+14+12 = 86.5; appraised 9+8+13+10+14+6+11.25+12 = 83.25: −3.25
    assert (card.self_total, card.appraised_total) == (Decimal("86.50"), Decimal("83.25"))
    assert "appraisal changed 2 nodes, −3.25 points" in text
    assert "Reason" in text and "thiếu" in text
    csv = scorecard(card, "csv").splitlines()
    assert csv[0].endswith("Self-assessed,Reason")
    assert "13.50,muộn" in csv[3]
    markdown = scorecard(card, "markdown")
    assert "appraisal changed 2 nodes, −3.25 points" in markdown and "| muộn" in markdown


def test_a_card_without_appraisal_changes_has_neither() -> None:
    same = {**FLAT, "3": {"self": 13, "appraised": {"points": 13}}}
    for inputs in (FLAT, same):
        card = api.score(_moha("A", inputs))
        for fmt in ("table", "markdown", "csv"):
            text = scorecard(card, fmt)
            assert "appraisal changed" not in text and "Reason" not in text
