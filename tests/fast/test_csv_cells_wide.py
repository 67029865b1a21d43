"""rank_csv's number cells at their widest: a piece whose cells' running sum passes 2**63 (the
reader sums digits as the difference of a running sum, which then wraps) still reads every cell
as the decimal it spells, and a column mixing numbers of places is brought to its largest,
checked against Python's ``Decimal``."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from parindex.scoring.fast import csvrank


def _read(table: list[list[str]]) -> list[list[Decimal]]:
    block = "\n".join(",".join(r) for r in table).encode()
    got = csvrank._decimal_cells(block, len(table), len(table[0]))
    return [[Decimal(int(fx.values[i])).scaleb(-fx.scale) for fx in got] for i in range(len(table))]


def test_a_running_sum_past_two_to_the_63_reads_every_cell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(7)
    # 14 digits at 3 places (15 characters; at fewer places the reader's limit is 10**12)
    big = rng.integers(9 * 10**13, 10**14, (15000, 8))
    # every fifth cell negative, with 13 digits (a cell holds at most 15 characters)
    table = [
        [
            f"-{v // 10 / 1000:.3f}" if (i + j) % 5 == 0 else f"{v / 1000:.3f}"
            for j, v in enumerate(r)
        ]
        for i, r in enumerate(big)
    ]
    assert max(len(c) for r in table for c in r) == 15
    # one piece for the whole block, whose digits sum past 2**63 ≈ 9.2 * 10**18
    monkeypatch.setattr(csvrank, "_BLOCK_BYTES", 1 << 24)
    assert sum(abs(int(c.replace(".", ""))) for r in table for c in r) > 2**63
    assert _read(table) == [[Decimal(c) for c in r] for r in table]


def test_a_column_of_mixed_places_is_read_at_its_largest() -> None:
    table = [["1.5", "7", "-0.25"], ["12345678901.234", "8.5", "3"], [".5", "-9", "-.125"]]
    assert _read(table) == [[Decimal(c) for c in r] for r in table]
    block = "\n".join(",".join(r) for r in table).encode()
    assert [fx.scale for fx in csvrank._decimal_cells(block, 3, 3)] == [3, 1, 3]


def test_a_mixed_column_past_fifteen_digits_at_its_scale_is_irregular() -> None:
    # 123456789012345 at one place would be 1234567890123450: 16 digits
    with pytest.raises(csvrank._Irregular):
        csvrank._decimal_cells(b"123456789012345,1\n0.5,2", 2, 2)


def test_a_value_past_the_readers_limit_is_irregular() -> None:
    # the reader refuses more than 10**12 at fewer than 3 places: the standard path says so
    with pytest.raises(csvrank._Irregular):
        csvrank._decimal_cells(b"1000000000001,1\n-5,2", 2, 2)
    with pytest.raises(csvrank._Irregular):
        csvrank._decimal_cells(b"1,-1000000000001\n-5,2", 2, 2)
    got = csvrank._decimal_cells(b"1000000000000,1\n-5,2", 2, 2)
    assert (got[0].lo, got[0].hi) == (-5, 10**12)
