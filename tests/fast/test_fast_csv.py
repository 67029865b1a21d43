"""rank_csv: the same table (or the same located error) as the standard CSV reader and scorer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parindex import api
from parindex.api import score_csv
from parindex.io.registry import Registry
from parindex.model.errors import ParindexError
from parindex.scoring.fast.csvrank import rank_csv

RULESET: dict[str, Any] = {
    "id": "t.csv",
    "version": "1",
    "years": [2024],
    "unit_kind": "province",
    "source": {"document": "test"},
    "maximum": 20,
    "groups": [{"label": "A", "min": "75.5"}, {"label": "B", "min": 0}],
    "nodes": [
        {
            "code": "1",
            "maximum": 10,
            "children": [{"code": "1.1", "maximum": 4}, {"code": "1.2", "maximum": 6}],
        },
        {"code": "2", "maximum": 10},
    ],
}


@pytest.fixture()
def reg() -> Registry:
    r = Registry()
    r.add(api.load_ruleset(RULESET))
    return r


def _write(tmp_path: Path, rows: list[str]) -> Path:
    p = tmp_path / "in.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


GOOD = [
    "ruleset,year,unit,unit_name,1.1,1.2,2",
    "t.csv,2024,a,Alpha,4,6,5.125",
    "t.csv,2024,b,,3.5,6,5.625",
    "t.csv,2024,c,Gamma,4,5.375,6",
    "",
    "t.csv,2024,d,Delta,0,0,.5",
]


@pytest.mark.parametrize("ties", [None, "dense", "ordinal", "modified"])
def test_same_table_as_the_standard_path(tmp_path: Path, reg: Registry, ties: Any) -> None:
    p = _write(tmp_path, GOOD)
    assert rank_csv(p, ties=ties, registry=reg) == api.rank(score_csv(p, registry=reg), ties)


@pytest.mark.parametrize("cell", ["", "n/a", "1e0", "+1", "1_0", "x", "7"])
def test_irregular_or_invalid_files_take_the_standard_path(
    tmp_path: Path, reg: Registry, cell: str
) -> None:
    rows = [*GOOD[:2], f"t.csv,2024,b,,{cell},6,5", *GOOD[3:]]
    p = _write(tmp_path, rows)
    try:
        want: Any = api.rank(score_csv(p, registry=reg))
    except ParindexError as err:
        with pytest.raises(ParindexError) as got:
            rank_csv(p, registry=reg)
        assert str(got.value) == str(err)
    else:
        assert rank_csv(p, registry=reg) == want


def test_duplicate_unit_is_the_readers_error(tmp_path: Path, reg: Registry) -> None:
    p = _write(tmp_path, [*GOOD, "t.csv,2024,a,Again,1,1,1"])
    with pytest.raises(ParindexError) as got:
        rank_csv(p, registry=reg)
    assert "appears twice" in str(got.value) and got.value.line == 7


def test_default_ties_of_the_ruleset(tmp_path: Path) -> None:
    reg = Registry()
    reg.add(api.load_ruleset({**RULESET, "ranking": {"ties": "dense"}}))
    p = _write(tmp_path, [*GOOD, "t.csv,2024,e,Eps,4,6,5.125"])
    table = rank_csv(p, registry=reg, default_ties="ruleset")
    assert table.ties == "dense" and table == api.rank(score_csv(p, registry=reg), "dense")
    bad = _write(tmp_path, [*GOOD, "t.csv,2024,e,Eps,4,6,n/a"])  # not applicable: standard path
    assert rank_csv(bad, registry=reg, default_ties="ruleset").ties == "dense"
