"""report.tabulated gives tabulate's text, byte for byte: on plain tables (its own pass) and on
everything else (handed to tabulate)."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from parindex.report import tabulated as module
from parindex.report.tabulated import STYLES, tabulated

#: Letters a ranking shows (ASCII, Vietnamese, a dash) and ones that are not one column wide or
#: not plain (a combining accent, CJK, a tab, colour codes, a line break, spaces at the ends).
plain_text = st.text(st.sampled_from("aZ09.,-_()/ ĐđơưạếỳÀ—"), max_size=12)
any_text = st.one_of(
    plain_text,
    st.text(st.sampled_from("ab \u0301中\t\n\x1b[31m\x00\x01\u00a0True"), max_size=8),
    st.sampled_from(["True", "False", "", " x", "x ", "\x1b[31mA\x1b[0m", "1\n2"]),
)
cell = st.one_of(any_text, st.integers(-5, 10**6), st.none())


def reference(rows: list[list[object]], headers: list[str], style: str) -> str:
    return str(tabulate(rows, headers=headers, tablefmt=style, disable_numparse=True))


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 5), st.data())
def test_same_text_as_tabulate(ncol: int, data: st.DataObject) -> None:
    headers = data.draw(st.lists(plain_text | any_text, min_size=ncol, max_size=ncol))
    rows = data.draw(st.lists(st.lists(cell, min_size=ncol, max_size=ncol), max_size=6))
    for style in STYLES:
        assert tabulated(rows, headers, style) == reference(rows, headers, style)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5), st.data())
def test_plain_tables_take_the_one_pass(ncol: int, data: st.DataObject) -> None:
    headers = data.draw(st.lists(plain_text, min_size=ncol, max_size=ncol))
    row = st.lists(plain_text | st.integers(0, 99), min_size=ncol, max_size=ncol)
    rows = data.draw(st.lists(row, min_size=1))
    rows = [[c.strip() if isinstance(c, str) else c for c in r] for r in rows]
    headers = [h.strip() for h in headers]
    for style in STYLES:
        with mock.patch.object(module, "tabulate", side_effect=AssertionError("not plain")):
            got = tabulated(rows, headers, style)
        assert got == reference(rows, headers, style)


def test_a_ranking_table_by_hand() -> None:
    rows = [[1, "Hà Nội", "64.18", "—"], [10, "u2", "7.00", "A"]]
    assert tabulated(rows, ["Rank", "Unit", "Total", "Group"], "simple") == (
        "Rank    Unit    Total    Group\n"
        "------  ------  -------  -------\n"
        "1       Hà Nội  64.18    —\n"
        "10      u2      7.00     A"
    )
    assert tabulated(rows, ["Rank", "Unit", "Total", "Group"], "pipe").splitlines()[:2] == [
        "| Rank   | Unit   | Total   | Group   |",
        "|:-------|:-------|:--------|:--------|",
    ]


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="grid"):
        tabulated([[1]], ["a"], "grid")
