"""Reports: Markdown, self-contained HTML with inline SVG, CSV/JSON exports."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pl_helpers import RS_2020, RS_2021, D, example_cards

from parindex.analysis.planning.compare import compare
from parindex.analysis.planning.inputs import load_rulesets
from parindex.analysis.planning.responsibility import find_map
from parindex.report import build_report, export_tables, to_html, to_markdown
from parindex.report.builder import Document
from parindex.report.svg import HIGHLIGHT_FILL, PROFILE_FILL, RANK_FILL


@pytest.fixture(scope="module")
def yen_bai_doc() -> Document:
    cards = example_cards("yen-bai-2021.yaml", "par-2021-synthetic.csv")
    return build_report(
        cards[0],
        batch=cards[1:],
        rmap=find_map("yen-bai-2021"),
        section="par",
        rulesets=load_rulesets([RS_2021]),
    )


@pytest.fixture(scope="module")
def lang_son_doc() -> Document:
    rulesets = load_rulesets([RS_2020, RS_2021])
    a, b = example_cards("lang-son-2020.yaml", "lang-son-2021.yaml", rulesets=(RS_2020, RS_2021))
    return build_report(
        b,
        locale="vi",
        rmap=find_map("lang-son-2022"),
        comparison=compare(a, b, rulesets),
        rulesets=rulesets,
    )


def test_html_is_self_contained(yen_bai_doc: Document) -> None:
    html = to_html(yen_bai_doc)
    assert html.startswith("<!DOCTYPE html>")
    lowered = html.lower()
    for banned in (
        "<script",
        " src=",
        "href=",
        "url(",
        "@import",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "xmlns",
    ):
        assert banned not in lowered, banned


def test_html_charts(yen_bai_doc: Document) -> None:
    html = to_html(yen_bai_doc)
    assert html.count('<svg class="chart"') == 2
    profile = html[
        html.index('id="profile-chart"') : html.index("</svg>", html.index('id="profile-chart"'))
    ]
    # 8 fields, each one blue bar; field 7: 12 of 16 = 75 % of the 490-pixel plot = 367.50
    assert profile.count(f'fill="{PROFILE_FILL}"') == 8
    assert f'width="367.50" height="20" fill="{PROFILE_FILL}"' in profile
    ranking = html[html.index('id="ranking-chart"') :]
    ranking = ranking[: ranking.index("</svg>")]
    # 63 units: Yên Bái in red, the 62 others in grey
    assert ranking.count(f'fill="{HIGHLIGHT_FILL}"') == 1
    assert ranking.count(f'fill="{RANK_FILL}"') == 62
    assert "25. Yên Bái" in ranking


def test_labels_are_vietnamese_and_english(yen_bai_doc: Document) -> None:
    html = to_html(yen_bai_doc)
    assert '<span class="vi" lang="vi">Điểm bị mất theo cơ quan chủ trì</span>' in html
    assert '<span class="en" lang="en">Points lost by lead agency</span>' in html
    md = to_markdown(yen_bai_doc)
    assert "## Kết quả theo lĩnh vực, chỉ số nội dung · Profile by field or dimension" in md
    assert "| Mã · Code" in md


def test_markdown_has_text_charts(yen_bai_doc: Document) -> None:
    md = to_markdown(yen_bai_doc)
    # field 2: 9.5 of 10 = 95 % of 30 cells → 28 full cells, then 2 empty
    assert re.search(r"2 Legal normative documents in the province\s+█{28}·{2}  9\.5 / 10", md)
    assert "▓" in md  # Yên Bái's bar in the ranking


def test_reports_are_deterministic(yen_bai_doc: Document) -> None:
    cards = example_cards("yen-bai-2021.yaml", "par-2021-synthetic.csv")
    again = build_report(
        cards[0],
        batch=cards[1:],
        rmap=find_map("yen-bai-2021"),
        section="par",
        rulesets=load_rulesets([RS_2021]),
    )
    assert to_html(again) == to_html(yen_bai_doc)
    assert to_markdown(again) == to_markdown(yen_bai_doc)


def test_exports_every_table_as_csv_and_json(lang_son_doc: Document, tmp_path: Path) -> None:
    written = export_tables(lang_son_doc.tables(), tmp_path)
    names = sorted(p.name for p in written)
    ids = ["agencies", "agency_items", "compare", "compare_summary", "gaps", "profile"]
    assert names == sorted([f"{i}.csv" for i in ids] + [f"{i}.json" for i in ids])
    with open(tmp_path / "agencies.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # the Lạng Sơn totals by hand (test_pl_agency): they add up to 12.89
    assert sum(Decimal(r["lost"]) for r in rows) == D("12.89")
    data = json.loads((tmp_path / "gaps.json").read_text(encoding="utf-8"))
    assert data["title"] == {"vi": "Các tiêu chí bị mất điểm", "en": "Points lost by node"}
    assert data["rows"][0] == {
        "code": "8.1",
        "title": "Sự hài lòng của người dân, tổ chức (SIPAS)",
        "points": "8.707",
        "maximum": "10",
        "lost": "1.293",
        "share": "10.03",
        "method": "survey",
    }


def test_vietnamese_number_format(lang_son_doc: Document) -> None:
    html = to_html(lang_son_doc)
    assert "87,11" in html and "12,89" in html
