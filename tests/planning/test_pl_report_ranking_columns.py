"""``report --batch FILE.csv`` ranks the batch into columns and builds its ranking section from
them (report.builder_ranking), never making the ranking's entries: the chart and the table are
those made of the columns' table, field for field and in every rendering, and the report is the
one made from the batch's score cards, byte for byte."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex import api
from parindex.io.registry import Registry
from parindex.model.documents import TieRule
from parindex.report import build_report, svg, to_html, to_markdown
from parindex.report import builder as builder_module
from parindex.report import builder_ranking as R
from parindex.report import planning_tables as T
from parindex.report.table import to_csv, to_json, to_text
from parindex.scoring.ranking import RankedColumns, RankedTable

RULESET: dict[str, Any] = {
    "id": "t.report.cols",
    "version": "1",
    "years": [2024],
    "unit_kind": "province",
    "source": {"document": "test"},
    "maximum": 200,
    "rounding": {"places": 2},
    "groups": [{"label": "A", "min": "60"}, {"label": "B", "min": 0}],
    "nodes": [{"code": "1", "maximum": 100}, {"code": "2", "maximum": 100}],
}
ROWS = [
    "ruleset,year,unit,unit_name,1,2",
    "t.report.cols,2024,a,Hà Nội,99.125,100",
    "t.report.cols,2024,b,,3.5,6",
    "t.report.cols,2024,c,=cmd|<x>,4,5.375",  # a formula, a pipe and angles: escaped
    "t.report.cols,2024,d,Delta,0,0.005",
    "t.report.cols,2024,e,Echo,3.5,6",  # tied with b
]


@pytest.fixture()
def reg() -> Registry:
    r = Registry()
    r.add(api.load_ruleset(RULESET))
    return r


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    p = tmp_path / "batch.csv"
    p.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("subject", [0, 2, 4])
def test_report_from_columns_is_the_report_from_cards(
    reg: Registry, batch: Path, locale: str, subject: int
) -> None:
    cards = api.score_csv(batch, registry=reg)
    card = cards[subject]
    assert isinstance(builder_module._ranked_csv(card, batch, None, reg), RankedColumns)
    from_cards = build_report(card, batch=cards, registry=reg, locale=locale)
    # the columns' table (an entry per row) is never made on this path
    with mock.patch.object(RankedColumns, "table", side_effect=AssertionError("entries made")):
        from_csv = build_report(card, batch_csv=batch, registry=reg, locale=locale)
    assert to_markdown(from_csv) == to_markdown(from_cards)
    assert to_html(from_csv) == to_html(from_cards)
    assert [to_csv(t) for t in from_csv.tables()] == [to_csv(t) for t in from_cards.tables()]
    assert [to_json(t) for t in from_csv.tables()] == [to_json(t) for t in from_cards.tables()]
    # the unit's place, worked out by hand: totals a 199.125, c 9.375, b = e 9.5, d 0.005
    rank = {0: 1, 2: 4, 4: 2}[subject]
    assert (("Xếp hạng", "Rank"), f"{rank} / 5") in [((k.vi, k.en), v) for k, v in from_csv.facts]


def test_a_card_unlike_its_row_is_ranked_from_the_cards(reg: Registry, batch: Path) -> None:
    cards = api.score_csv(batch, registry=reg)
    changed = cards[1].model_copy(update={"total": Decimal("50")})
    ranked = builder_module._ranked_csv(changed, batch, None, reg)
    assert isinstance(ranked, RankedTable)  # the table _ranked makes of the file's cards
    report = to_markdown(build_report(changed, batch_csv=batch, registry=reg))
    assert report == to_markdown(build_report(changed, batch=cards, registry=reg))


def _columns(draw: st.DrawFn) -> RankedColumns:
    """A ranking as rank_columns holds one: rows in rank order, totals and indices as integers
    at ``scale`` places, an index unknown only when ranked by total."""
    n = draw(st.integers(1, 8))
    by = draw(st.sampled_from(["index", "total"]))
    values = st.integers(-500, 12000)
    keys = sorted(draw(st.lists(values, min_size=n, max_size=n)), reverse=True)
    others = draw(st.lists(values, min_size=n, max_size=n))
    known = [True] * n if by == "index" else draw(st.lists(st.booleans(), min_size=n, max_size=n))
    names = draw(st.lists(st.sampled_from(["Hà Nội", "a|b", "<x>", "u", "Đà Nẵng"]), min_size=n))
    ties: TieRule = draw(st.sampled_from(["competition", "dense", "ordinal", "modified"]))
    return RankedColumns(
        ruleset="t.report.cols",
        year=2024,
        by=by,
        ties=ties,
        ranks=sorted(draw(st.lists(st.integers(1, n), min_size=n, max_size=n))),
        ids=[f"u{i}" for i in range(n)],
        names=names[:n],
        totals=others if by == "index" else keys,
        indices=keys if by == "index" else others,
        known=known,
        groups=draw(st.lists(st.sampled_from([None, "A", "B"]), min_size=n, max_size=n)),
        tied=[False] * n,
        scale=draw(st.integers(0, 3)),
    )


@settings(max_examples=150, deadline=None)
@given(
    st.composite(_columns)(),
    st.sampled_from(["en", "vi"]),
    st.sampled_from([None, 0, 1, 2, 3]),
    st.booleans(),
)
def test_chart_and_table_are_those_of_the_columns_table(
    columns: RankedColumns, locale: str, places: int | None, marked: bool
) -> None:
    table = columns.table()
    marks = (svg.Mark(Decimal("60"), "A ≥ 60"),) if marked else ()
    chart = R.ranking_chart(columns, "u0", locale, marks, places)
    want = svg.ranking_chart(table, "u0", locale, marks, places)
    assert chart == want
    assert [repr(b.value) for b in chart.bars] == [repr(b.value) for b in want.bars]
    assert svg.to_text_chart(chart) == svg.to_text_chart(want)
    assert svg.to_svg(chart) == svg.to_svg(want)
    rows = R.ranking_table(columns, places)
    expected = T.ranking_table(table, places)
    assert rows == expected
    assert to_csv(rows) == to_csv(expected)  # exact decimals: the same exponents
    assert to_json(rows) == to_json(expected)
    for style in ("simple", "pipe"):
        assert to_text(rows, style, locale) == to_text(expected, style, locale)


def test_standing_of_a_unit_not_ranked_is_none() -> None:
    columns = RankedColumns(
        ruleset="r",
        year=2024,
        by="total",
        ties="competition",
        ranks=[1, 2],
        ids=["a", "b"],
        names=["A", "B"],
        totals=[10, 5],
        indices=[0, 0],
        known=[False, False],
        groups=[None, None],
        tied=[False, False],
        scale=0,
    )
    assert R.standing(columns, "b") == 2
    assert R.standing(columns, "z") is None
    assert R.own_scores(columns, "a") == [(Decimal(10), None)]
    assert R.own_scores(columns, "z") == []
    by_index = RankedColumns(**{**columns.__dict__, "by": "index", "_built": []})
    with pytest.raises(ValueError, match="index is unknown"):
        R.ranking_chart(by_index, None)


def test_a_file_the_fast_reader_leaves_is_ranked_as_a_table(reg: Registry, tmp_path: Path) -> None:
    quoted = tmp_path / "quoted.csv"  # quoting: the csv module reads it, into a table
    lines = [ROWS[0], *ROWS[1:4], ROWS[4].replace("Delta", '"Delta"')]
    quoted.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cards = api.score_csv(quoted, registry=reg)
    assert isinstance(builder_module._ranked_csv(cards[3], quoted, None, reg), RankedTable)
    from_csv = to_markdown(build_report(cards[3], batch_csv=quoted, registry=reg))
    assert from_csv == to_markdown(build_report(cards[3], batch=cards, registry=reg))
    assert "4 / 4" in from_csv  # d ranked last of the four: 0.005 below every other total


def test_a_file_of_two_rulesets_ranks_the_cards_own(reg: Registry, tmp_path: Path) -> None:
    reg.add(api.load_ruleset({**RULESET, "id": "t.report.other"}))
    mixed = tmp_path / "mixed.csv"
    rows = [*ROWS, "t.report.other,2024,z,Zeta,50,50"]
    mixed.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cards = api.score_csv(mixed, registry=reg)
    own = [c for c in cards if c.ruleset == "t.report.cols"]
    ranked = builder_module._ranked_csv(own[0], mixed, None, reg)  # rank refuses the mixed file
    assert isinstance(ranked, RankedTable)
    assert [e.unit.id for e in ranked.entries] == ["a", "b", "e", "c", "d"]  # z left out
    from_csv = to_markdown(build_report(own[0], batch_csv=mixed, registry=reg))
    assert from_csv == to_markdown(build_report(own[0], batch=own, registry=reg))
