"""rank_csv's reader of number cells (bytes at once, no Python object per cell): every cell it
accepts is read as the decimal it spells, checked against Python's ``Decimal``; anything it does
not accept goes to the standard reader, whose table (or located error) is then the answer."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex import api
from parindex.api import score_csv
from parindex.io.registry import Registry
from parindex.scoring.fast import csvrank

cells = st.one_of(
    st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{0,6})?", fullmatch=True),
    st.from_regex(r"-?\.[0-9]{1,6}", fullmatch=True),
)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4), st.integers(1, 5), st.data())
def test_cells_are_the_decimals_they_spell(rows: int, m: int, data: st.DataObject) -> None:
    table = [[data.draw(cells) for _ in range(m)] for _ in range(rows)]
    block = "\n".join(",".join(r) for r in table).encode()
    got = csvrank._decimal_cells(block, rows, m)
    for j, fx in enumerate(got):
        for i in range(rows):
            assert Decimal(int(fx.values[i])).scaleb(-fx.scale) == Decimal(table[i][j])
        # the column's scale is its largest number of decimal places
        places = [len(c.split(".")[1]) if "." in c else 0 for c in (r[j] for r in table)]
        assert fx.scale == max(places)
        assert (fx.lo, fx.hi) == (int(fx.values.min()), int(fx.values.max()))


@pytest.mark.parametrize(
    "cell",
    ["1-2", "--1", "1..2", "", "-", ".", "-.", "1e3", " 1", "1 ", "+1", "1234567890123456", "0x1"],
)
def test_irregular_cells_are_left_to_the_standard_reader(cell: str) -> None:
    block = f"1.5,{cell}\n2,3".encode()
    with pytest.raises(csvrank._Irregular):
        csvrank._decimal_cells(block, 2, 2)


def test_rows_of_other_lengths_are_irregular() -> None:
    with pytest.raises(csvrank._Irregular):
        csvrank._decimal_cells(b"1,2,3\n4", 2, 2)  # 4 cells, but not 2 per line
    with pytest.raises(csvrank._Irregular):
        csvrank._decimal_cells(b"1,2\n3,4", 1, 4)


def test_large_blocks_are_read_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(-(10**9), 10**9, (300, 7))
    text = "\n".join(",".join(f"{v / 1000:.3f}" for v in row) for row in values)
    monkeypatch.setattr(csvrank, "_BLOCK_BYTES", 500)  # a few rows per piece
    got = csvrank._decimal_cells(text.encode(), 300, 7)
    assert np.array_equal(np.stack([fx.values for fx in got], axis=1), values)
    assert {fx.scale for fx in got} == {3}


def test_the_same_table_with_crlf_blank_lines_and_odd_spellings(tmp_path: Path) -> None:
    reg = Registry()
    reg.add(
        api.load_ruleset(
            {
                "id": "t.cells",
                "version": "1",
                "years": [2024],
                "unit_kind": "province",
                "source": {"document": "test"},
                "maximum": 20,
                "nodes": [{"code": "1", "maximum": 10}, {"code": "2", "maximum": 10}],
            }
        )
    )
    rows = ["ruleset,year,unit,1,2", "t.cells,2024,a,.5,5.", "", "t.cells,2024,b,-0,10"]
    rows += ["t.cells,2024,c,9.125,0.875"]
    path = tmp_path / "odd.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode())
    fast = csvrank._fast(path, None, None, reg, "competition")  # the byte reader took it
    assert fast == csvrank.rank_csv(path, registry=reg)
    ref = api.rank(score_csv(path, registry=reg))
    assert [(e.unit.id, e.rank, e.total) for e in fast.entries] == [
        (e.unit.id, e.rank, e.total) for e in ref.entries
    ]
    assert [str(e.total) for e in fast.entries] == ["10.00", "10.00", "5.50"]
