"""Dimension groups of rows that are not recomputed, and their outputs (issue 19, item 9).

Quartiles (Hyndman–Fan type 7) of a handful of values, worked out by hand: of 5, 6, 7 they are
Q1 = 5.5, Q2 = 6, Q3 = 6.5 (best ≥ Q3, high-average [Q2, Q3), low-average [Q1, Q2), poor < Q1).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rp_helpers import write

from parindex import Registry
from parindex.analysis.reproduce import (
    ReproduceReport,
    dimension_groups,
    render_dimension_groups,
    reproduce_file,
)

HEAD = "ruleset,year,unit,total,D1,D2,D3,D4,D5,D6\n"
DIMS = ("D1", "D2", "D3", "D4", "D5", "D6")


def _row(year: int, unit: str, total: str, *dims: str) -> str:
    return f"papi,{year},{unit},{total}," + ",".join((*dims, *[""] * (6 - len(dims)))) + "\n"


#: 2016: two complete rows (recomputed), a total-only row and a row with D1 only (neither
#: recomputed); 2015: one complete row
ROWS = (
    _row(2016, "P1", "36.00", *["6.00"] * 6)
    + _row(2016, "P2", "42.00", *["7.00"] * 6)
    + _row(2016, "P3", "30.5")
    + _row(2016, "P4", "", "5.00")
    + _row(2015, "Q1", "30.00", *["5.00"] * 6)
)


@pytest.fixture()
def report(tmp_path: Path, reg: Registry) -> ReproduceReport:
    return reproduce_file(write(tmp_path, HEAD + ROWS), registry=reg)


def test_rows_not_recomputed_are_grouped_by_what_they_publish(
    report: ReproduceReport, reg: Registry
) -> None:
    status = {r.row.unit: (r.status, r.recomputed) for r in report.rows}
    assert status["P3"] == ("checked", False) and status["P4"] == ("checked", False)
    (t,) = dimension_groups(report, [2016], reg)
    assert (t.ruleset, t.year, t.codes) == ("papi", 2016, (*DIMS, "total"))
    # the total only row counts in the total's batch; D1 only, in D1's batch
    assert t.points["P3"] == {"total": Decimal("30.5")}
    assert t.points["P4"] == {"D1": Decimal("5.00")}
    # D1: 5, 6, 7 → poor, high-average, best
    assert dict(t.groups["D1"].groups) == {"P4": "poor", "P1": "high-average", "P2": "best"}
    # D2 … D6: 6 and 7 only: Q1 = 6.25, Q3 = 6.75
    assert dict(t.groups["D2"].groups) == {"P1": "poor", "P2": "best"}
    # totals 30.5, 36, 42: Q1 = 33.25, Q2 = 36, Q3 = 39
    assert [format(c, "f") for c in t.groups["total"].cuts or ()] == ["39", "36", "33.25"]
    assert dict(t.groups["total"].groups) == {"P3": "poor", "P1": "high-average", "P2": "best"}


def test_dimensions_keep_the_ruleset_order_whatever_the_first_row_publishes(
    tmp_path: Path, reg: Registry
) -> None:
    rows = _row(2016, "A", "", "", "", "5.00") + _row(2016, "B", "42.00", *["7.00"] * 6)
    report = reproduce_file(write(tmp_path, HEAD + rows), registry=reg)
    (t,) = dimension_groups(report, registry=reg)
    assert t.codes == (*DIMS, "total")
    assert t.points["A"] == {"D3": Decimal("5.00")}


def test_every_year_is_a_table_and_a_year_filter_keeps_one(
    report: ReproduceReport, reg: Registry
) -> None:
    tables = dimension_groups(report, registry=reg)
    assert [t.year for t in tables] == [2015, 2016]
    assert dimension_groups(report, [2014], reg) == []


def test_csv_has_one_header_and_a_dash_where_nothing_is_published(
    report: ReproduceReport, reg: Registry
) -> None:
    text = render_dimension_groups(dimension_groups(report, registry=reg), "csv")
    assert text.splitlines() == [
        "year,unit,total,D1,D2,D3,D4,D5,D6,group of total",
        # a single unit is on every quartile: best
        "2015,Q1,30.00,best,best,best,best,best,best,best",
        "2016,P2,42.00,best,best,best,best,best,best,best",
        "2016,P1,36.00,high-average,poor,poor,poor,poor,poor,high-average",
        "2016,P3,30.5,—,—,—,—,—,—,poor",
        "2016,P4,—,poor,—,—,—,—,—,—",  # no total: listed last
    ]


def test_the_table_keeps_each_published_decimal_and_names_the_rule(
    report: ReproduceReport, reg: Registry
) -> None:
    text = render_dimension_groups(dimension_groups(report, [2016], reg), wide=True)
    lines = text.splitlines()
    assert lines[0].split() == ["year", "unit", "total", *DIMS, "group", "of", "total"]
    assert lines[4].split() == ["2016", "P3", "30.5", *["—"] * 6, "poor"]
    assert lines[5].split() == ["2016", "P4", "—", "poor", *["—"] * 6]
    assert lines[6].startswith("PAPI groups: quartiles: ")
    assert lines[6].endswith("PAPI does not publish its group cut rule [unverified]")
    assert len(lines) == 7  # wide: the note on one line


def test_no_table_renders_a_header_without_a_note() -> None:
    text = render_dimension_groups([], wide=True)
    assert text.splitlines()[0].split() == ["year", "unit", "total"]
    assert "PAPI" not in text
    assert render_dimension_groups([], "csv") == "year,unit,total"


def test_sub_dimensions_count_through_their_dimension_and_fixed_bands_are_left_out(
    tmp_path: Path, reg: Registry
) -> None:
    # D1 = 4 × 1.50 = 6.00 from its sub-dimensions; the moha.province row has fixed bands
    head = "ruleset,year,unit,total,D1,D1.1,D1.2,D1.3,D1.4,D2,D3,D4,D5,D6\n"
    rows = (
        "papi,2016,S,36.00,,1.50,1.50,1.50,1.50,6.00,6.00,6.00,6.00,6.00\n"
        "moha.province,2021,M,91.80,,,,,,,,,,\n"
    )
    report = reproduce_file(write(tmp_path, head + rows), registry=reg)
    (t,) = dimension_groups(report, registry=reg)
    assert (t.ruleset, t.year, t.codes) == ("papi", 2016, (*DIMS, "total"))
    assert t.points == {"S": {**dict.fromkeys(DIMS, Decimal("6.00")), "total": Decimal("36.00")}}


def test_json_has_the_rule_cuts_counts_and_groups_of_every_unit(
    report: ReproduceReport, reg: Registry
) -> None:
    (obj,) = json.loads(render_dimension_groups(dimension_groups(report, [2016], reg), "json"))
    assert (obj["ruleset"], obj["year"]) == ("papi", 2016)
    assert obj["rule"].startswith("quartiles: ")
    # D1: 5, 6, 7 → Q3 6.5, Q2 6, Q1 5.5; totals 30.5, 36, 42 → 39, 36, 33.25
    assert obj["cuts"]["D1"] == ["6.5", "6", "5.5"]
    assert obj["cuts"]["total"] == ["39", "36", "33.25"]
    assert obj["counts"]["D1"] == {"best": 1, "high-average": 1, "low-average": 0, "poor": 1}
    assert obj["units"]["P3"] == {**dict.fromkeys(DIMS), "total": "poor"}
    assert obj["units"]["P4"] == {"D1": "poor", **dict.fromkeys(DIMS[1:]), "total": None}
