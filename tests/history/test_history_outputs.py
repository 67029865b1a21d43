"""History outputs: the workbook, files, the rule changes between versions, the report's section
and its line chart. Expected values are the published ones (plugins/parindex_vn/datasets) and
chart coordinates worked out by hand."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parindex import api
from parindex.cli.main import main
from parindex.model.documents import Text
from parindex.model.errors import ParindexError
from parindex.report.history_chart import Band, Year, line_chart, line_svg, line_text

REPO = Path(__file__).resolve().parents[2]
QN_2020 = str(REPO / "examples" / "moha-2020-quang-ninh.yaml")


def test_history_as_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "qn.xlsx"
    assert main(["history", "Quảng Ninh", "--dataset", "par-2018-2022", "-f", "xlsx",
                 "-o", str(out)]) == 0  # fmt: skip
    sheet = load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    head = list(rows[0])
    by_year = {r[head.index("Year")]: r for r in rows[1:]}
    assert sorted(by_year) == [2018, 2019, 2020, 2021, 2022]
    # published: 2020 91.04 rank 1, 2021 91.14 rank 2: +0.10 points, one place lost
    y2021 = by_year[2021]
    assert y2021[head.index("Index")] == pytest.approx(91.14)  # a number, not text
    assert y2021[head.index("Points change")] == pytest.approx(0.10)
    assert y2021[head.index("Places change")] == -1
    assert y2021[head.index("Change")] == "'+0.10 points, −1 place"  # a leading + is neutralised
    sources = [r[1] for r in load_workbook(out)["Nguồn"].iter_rows(values_only=True)]
    assert any(str(s).startswith("par-2018-2022: http") for s in sources)


def test_a_workbook_needs_a_file_and_text_goes_to_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "Quảng Ninh", "-f", "xlsx"]) == 1
    assert "-o FILE.xlsx" in capsys.readouterr().err
    out = tmp_path / "qn.csv"
    assert main(["history", "Quảng Ninh", "--dataset", "par-2018-2022", "-f", "csv",
                 "--output", str(out)]) == 0  # fmt: skip
    assert capsys.readouterr().out == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("unit,year,ruleset,index,rank") and len(lines) == 6


def test_rule_changes_between_versions_say_what_changed() -> None:
    _, notes = api.history("Quảng Ninh", datasets=["par-2018-2022"])
    by_step = {n.split(":")[0]: n for n in notes if "→" in n.split(":")[0]}
    # 2020 (1149/QĐ-BNV) publishes no group bands, 2021 has A/B/C: the groups changed
    assert "groups changed" in by_step["2020 → 2021"]
    # 2019 (1150/QĐ-BNV) has no points; 2020 is the four published components, all new
    assert (
        "rules changed for 4 node(s) (appraisal, impact, leaders, sipas)"
        in (by_step["2019 → 2020"])
    )


def test_own_cards_join_through_the_api() -> None:
    card = api.score(QN_2020)
    rows, notes = api.history("Quảng Ninh", datasets=["par-2018-2022"], cards=[card])
    assert [r.point.year for r in rows] == [2018, 2019, 2020, 2021, 2022]
    y2020 = next(r for r in rows if r.point.year == 2020)
    # the card's components join; the published 91.04 is kept over the card's 91.05, and said so
    assert y2020.point.components["sipas"] == Decimal("9.56")
    assert y2020.point.index == Decimal("91.04")
    assert any("91.05" in n for n in y2020.point.notes)
    assert notes


def chart_of_two_years() -> str:
    bands = (Band("A", Decimal(90), Decimal(100)), Band("B", Decimal(80), Decimal(90)))
    years = (
        Year(2020, Decimal(80), 1, "", bands),
        Year(2021, Decimal(90), 5, "+10.00 points, −4 places", bands),
    )
    return line_svg(line_chart("c", Text(vi="x", en="x"), years))


def test_line_chart_coordinates_by_hand() -> None:
    svg = chart_of_two_years()
    # index axis 75 … 95 (80 − 5, 90 + 5), plot 28 … 276 (320 − 28 − 44 = 248 high), two slots
    # of 840 ÷ 2 = 420 from x = 60: centres 270 and 690; y(80) = 28 + 15 × 248 ÷ 20 = 214,
    # y(90) = 28 + 5 × 248 ÷ 20 = 90; rank axis 1 … 5: y(1) = 28, y(5) = 276
    assert '<circle cx="270.00" cy="214.00" r="5"' in svg
    assert '<circle cx="690.00" cy="90.00" r="5"' in svg
    assert '<circle cx="270.00" cy="28.00" r="4"' in svg
    assert '<circle cx="690.00" cy="276.00" r="4"' in svg
    # band A clipped to 90 … 95: y 28 … 90, in the first year's column (x 60, 420 wide)
    assert '<rect x="60.00" y="28.00" width="420.00" height="62.00" fill="#dcfce7"' in svg
    # band B 80 … 90: y 90 … 214
    assert '<rect x="60.00" y="90.00" width="420.00" height="124.00" fill="#ecfccb"' in svg
    assert svg == chart_of_two_years()  # the same input gives the same bytes
    assert "<script" not in svg and "http" not in svg


def test_line_chart_as_text() -> None:
    bands = (Band("A", Decimal(90), Decimal(100)),)
    chart = line_chart(
        "c", Text(en="x"), (Year(2021, Decimal("91.14"), 2, "+0,10 điểm, −1 bậc", bands),), "vi"
    )
    # the band is named in the chart's language (it said "band A" under vi too before)
    assert re.sub(r"\s+", " ", line_text(chart)) == "2021 91,14 #2 nhóm A +0,10 điểm, −1 bậc"
    en = line_chart("c", Text(en="x"), (Year(2021, Decimal("91.14"), 2, "+0.10", bands),), "en")
    assert re.sub(r"\s+", " ", line_text(en)) == "2021 91.14 #2 band A +0.10"
    below = line_chart("c", Text(en="x"), (Year(2021, Decimal("50"), 9, "", bands),), "vi")
    assert re.sub(r"\s+", " ", line_text(below)) == "2021 50,00 #9 chưa xếp nhóm"


def test_report_history_section(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--locale", "vi", "report", QN_2020, "--history", "-f", "markdown"]) == 0
    out = re.sub(r"[ \t]+", " ", capsys.readouterr().out)
    assert "## Qua các năm · Year by year" in out
    # published 2021 → 2022: 91.14 → 90.10 and rank 2 → 1
    assert "2022 90,10 #1 nhóm A −1,04 điểm, +1 bậc" in out
    html = tmp_path / "r.html"
    assert main(["report", QN_2020, "--history", "par-2018-2022", "-o", str(html)]) == 0
    text = html.read_text(encoding="utf-8")
    assert text.count('id="history-chart"') == 1 and '<section id="history">' in text


def test_report_history_of_an_unknown_dataset_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(ParindexError, match="no dataset named nope"):
        api.history("Quảng Ninh", datasets=["nope"])
    out = tmp_path / "r.html"
    assert main(["report", QN_2020, "--history", "nope", "-o", str(out)]) == 1
    assert "no dataset named nope" in capsys.readouterr().err and not out.exists()


def test_history_force_replaces_a_read_only_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "qn.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o444)
    args = ["history", "Quảng Ninh", "--dataset", "par-2018-2022", "-f", "csv", "-o", str(out)]
    assert main(args) == 1 and "read-only" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "old\n"
    assert main([*args, "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("unit,year,ruleset,index,rank")


def test_report_history_from_own_cards_only(capsys: pytest.CaptureFixture[str]) -> None:
    planning = REPO / "examples" / "planning"
    rulesets = ["--ruleset", str(planning / "rulesets" / "example-province-2021.yaml"),
                "--ruleset", str(planning / "rulesets" / "example-province-2020.yaml")]  # fmt: skip
    args = ["report", str(planning / "lang-son-2021.yaml"), *rulesets, "--previous",
            str(planning / "lang-son-2020.yaml"), "--history", "--format", "markdown"]  # fmt: skip
    assert main(args) == 0
    out = re.sub(r"[ \t]+", " ", capsys.readouterr().out)
    # example.province has no bundled dataset: the two cards are the history; 84.397 → 84.40
    # (group B of the example table's bands, read from the ruleset files), 87.11 − 84.40 = 2.71
    assert "2020 84.40 #— band B\n" in out
    assert "2021 87.11 #— band B +2.71 points\n" in out
    assert "Lạng Sơn 2021: index 87.11, +2.71 points on 2020." in out
