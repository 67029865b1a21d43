"""The column-at-a-time helpers of report.tabulated, each against the one-cell-at-a-time code it
stands for: ``each_once`` against a comprehension, ``md_cells`` against ``md_cell``,
``tabulated_columns`` against ``tabulated`` of the rows; and ``to_text`` (which uses them)
writing equal cells (``True``, ``1``, ``Decimal(1)``) each as it is written."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.model.documents import Text
from parindex.model.text import md_cell
from parindex.report import tabulated as module
from parindex.report.table import Column, Table, to_text
from parindex.report.tabulated import STYLES, each_once, md_cells, tabulated, tabulated_columns

texts = st.text(st.sampled_from("ab|&<>;#1\n\r\u2028 Đ\x00"), max_size=6)


def test_each_once_writes_each_object_once_and_keeps_equal_decimals_apart() -> None:
    one, one_again, two = Decimal("1.0"), Decimal("1.00"), Decimal("2")
    cells: list[object] = [one, "a", one_again, one, "a", two, None, True, 1, one_again]
    calls: list[object] = []

    def write(cell: object) -> str:
        calls.append(cell)
        return repr(cell)

    assert each_once(write, cells) == [repr(c) for c in cells]
    # "a" by its value, the rest by object: 1.0 and 1.00 are written apart though equal
    assert sorted(map(repr, calls)) == sorted(map(repr, [one, "a", one_again, two, None, True, 1]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(texts, st.integers(-3, 3), st.none(), st.booleans())))
def test_each_once_is_the_comprehension(cells: list[object]) -> None:
    assert each_once(repr, cells) == [repr(c) for c in cells]
    only_texts = [c for c in cells if isinstance(c, str)]
    assert each_once(str.upper, only_texts) == [c.upper() for c in only_texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=8))
def test_md_cells_is_md_cell_of_each(cells: list[str]) -> None:
    assert md_cells(cells) == [md_cell(c) for c in cells]


def test_md_cells_escapes_only_columns_that_need_it() -> None:
    plain = ["u1", "Quảng Ninh", "87.11"]
    assert md_cells(plain) is plain  # nothing to escape: the column itself, not a copy
    assert md_cells(["a|b", "<x>", "1\n2", "&amp;"]) == ["a\\|b", "&lt;x&gt;", "1 2", "&amp;amp;"]


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4), st.data())
def test_tabulated_columns_is_tabulated_of_the_rows(ncol: int, data: st.DataObject) -> None:
    headers = data.draw(st.lists(texts, min_size=ncol, max_size=ncol))
    nrow = data.draw(st.integers(0, 5))
    columns = [data.draw(st.lists(texts, min_size=nrow, max_size=nrow)) for _ in range(ncol)]
    rows = [list(r) for r in zip(*columns, strict=True)]
    for style in STYLES:
        assert tabulated_columns(columns, headers, style) == tabulated(rows, headers, style)


def test_tabulated_columns_of_plain_columns_takes_the_one_pass() -> None:
    columns = [["1", "2"], ["Hà Nội", "Huế"]]
    with mock.patch.object(module, "tabulate", side_effect=AssertionError("not plain")):
        text = tabulated_columns(columns, ["rank", "unit"], "pipe")
    assert text.splitlines() == [
        "| rank   | unit   |",
        "|:-------|:-------|",
        "| 1      | Hà Nội |",
        "| 2      | Huế    |",
    ]


def test_tabulated_columns_refuses_what_is_not_a_table() -> None:
    with pytest.raises(ValueError, match="one column per header"):
        tabulated_columns([["1"], ["2", "3"]], ["a", "b"], "simple")
    with pytest.raises(ValueError, match="one column per header"):
        tabulated_columns([["1"]], ["a", "b"], "simple")
    with pytest.raises(ValueError, match="style"):
        tabulated_columns([["1"]], ["a"], "grid")


def test_to_text_writes_equal_cells_as_each_is_written() -> None:
    column = Column("v", Text(en="value"), places=2)
    cells: list[bool | int | Decimal] = [True, 1, Decimal(1), Decimal("1.00"), True, 1]
    table = Table("t", Text(en="t"), (column,), tuple((c,) for c in cells))
    want = ["✓", "1", "1.00", "1.00", "✓", "1"]  # True == 1 == Decimal(1), yet each its own
    for style in STYLES:
        lines = to_text(table, style).splitlines()[2:]
        assert [line.strip("| ") for line in lines] == want
