"""rank_columns: ``parindex rank FILE.csv`` prints the ranking from columns, never making an
entry per row. The columns' table is rank_csv's; the text printed from the columns is the text
printed from that table, in every format, locale and number of places."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex import api
from parindex.api import rank_columns
from parindex.io.registry import Registry
from parindex.report.card import _scaled, ranking
from parindex.report.numbers import number
from parindex.scoring.ranking import RankedColumns, RankedTable

RULESET: dict[str, Any] = {
    "id": "t.cols",
    "version": "1",
    "years": [2024],
    "unit_kind": "province",
    "source": {"document": "test"},
    "maximum": 2000,
    "rounding": {"places": 3},
    "groups": [{"label": "A", "min": "60"}, {"label": "B", "min": 0}],
    "nodes": [{"code": "1", "maximum": 1000}, {"code": "2", "maximum": 1000}],
}
ROWS = [
    "ruleset,year,unit,unit_name,1,2",
    "t.cols,2024,a,Hà Nội,999.125,1000",
    "t.cols,2024,b,,3.5,6",
    "t.cols,2024,c,=cmd|x,4,5.375",  # a formula and a pipe: escaped in CSV and Markdown
    "t.cols,2024,d,Delta,0,0.0005",
    "t.cols,2024,e,Echo,3.5,6",  # tied with b
]


@pytest.fixture()
def reg() -> Registry:
    r = Registry()
    r.add(api.load_ruleset(RULESET))
    return r


def _file(tmp_path: Path, rows: list[str]) -> Path:
    p = tmp_path / "in.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def test_columns_give_rank_csvs_table(tmp_path: Path, reg: Registry) -> None:
    path = _file(tmp_path, ROWS)
    cols = rank_columns(path, registry=reg, ties="dense")
    assert isinstance(cols, RankedColumns)
    table = cols.table()
    assert table is cols.table()  # made once
    assert table == api.rank(api.score_csv(path, registry=reg), "dense")
    # a 1999.125, b and e 9.5 (tied: dense ranks 2, 2), c 9.375, d 0.0005 → 0.001
    assert [(e.unit.id, e.rank, e.tied) for e in table.entries] == [
        ("a", 1, False),
        ("b", 2, True),
        ("e", 2, True),
        ("c", 3, False),
        ("d", 4, False),
    ]


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("places", [None, 1, 3, 5])
def test_same_text_from_columns_and_from_the_table(
    tmp_path: Path, reg: Registry, fmt: str, locale: str, places: int | None
) -> None:
    cols = rank_columns(_file(tmp_path, ROWS), registry=reg)
    assert isinstance(cols, RankedColumns)
    from_cols = ranking(cols, fmt, locale, places=places, width=60)
    assert from_cols == ranking(cols.table(), fmt, locale, places=places, width=60)
    if fmt == "table" and locale == "vi" and places == 3:
        assert "1.999,125" in from_cols and "Hà Nội" in from_cols  # grouped, decimal comma


def test_an_irregular_file_gives_the_standard_table(tmp_path: Path, reg: Registry) -> None:
    rows = [*ROWS[:2], 't.cols,2024,q,"Quoted",1,2']
    ranked = rank_columns(_file(tmp_path, rows), registry=reg)
    assert isinstance(ranked, RankedTable) and ranked.table() is ranked


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=8),
    st.integers(0, 6),
    st.one_of(st.none(), st.integers(0, 8)),
    st.sampled_from(["en", "vi"]),
)
def test_scaled_integers_print_as_number_prints_their_decimals(
    values: list[int], scale: int, places: int | None, locale: str
) -> None:
    expected = [number(Decimal(v).scaleb(-scale), places, locale=locale) for v in values]
    assert _scaled(values, scale, places, locale) == expected
