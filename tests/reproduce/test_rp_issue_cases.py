"""The six synthetic reproductions of issue 13, one test each (plus their variants)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rp_helpers import write

from parindex import Registry
from parindex.analysis.reproduce import reproduce_file
from parindex.cli.main import main

COMPONENTS = "ruleset,year,unit,total,appraisal,sipas,leaders,impact\n"


# 1 ---------------------------------------------------------------- one precision per number
def test_1_each_number_carries_its_own_precision(tmp_path: Path, reg: Registry) -> None:
    f = write(tmp_path, COMPONENTS + "moha.province,2023,X,87.9,57.0401,8.19,18.34,4.32\n")
    (r,) = reproduce_file(f, registry=reg).rows
    # 57.0401 + 8.19 + 18.34 + 4.32 = 87.8901, 0.0099 below the published 87.9
    assert r.computed_total == Decimal("87.8901") and r.difference == Decimal("-0.0099")
    # per number: 0.00005 + 3 × 0.005 + 0.05 (a single precision would allow 5 × 0.00005)
    assert r.tolerance == Decimal("0.00005") + 3 * Decimal("0.005") + Decimal("0.05")
    assert r.tolerance == Decimal("0.06505")
    assert abs(r.difference) > 5 * Decimal("0.00005")
    assert r.status == "agree"


def test_1_a_whole_number_among_decimals_is_read_at_their_precision(
    tmp_path: Path, reg: Registry
) -> None:
    # 5 among 2-decimal values is 5.00 (half-unit 0.005), not 5 ± 0.5
    f = write(tmp_path, COMPONENTS + "moha.province,2020,QN,91.04,57.66,9.56,18.83,5\n")
    (r,) = reproduce_file(f, registry=reg).rows
    assert r.tolerance == 5 * Decimal("0.005")
    f = write(tmp_path, COMPONENTS + "moha.province,2020,QN,91.10,57.66,9.56,18.83,5\n")
    (r,) = reproduce_file(f, registry=reg).rows  # 91.05 is 0.05 off: beyond 0.025
    assert r.status == "disagree"


# 2 ------------------------------------------------------ a derived bound rejects real data
PAPI_CODES = ["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8.1", "D8.2", "D8.3"]


def _papi_file(tmp_path: Path, rows: list[tuple[str, str, list[str]]], name: str) -> Path:
    lines = [f"papi,2021,{unit}," + ",".join([dim] * 7 + d8) for unit, dim, d8 in rows]
    return write(
        tmp_path, "ruleset,year,unit," + ",".join(PAPI_CODES) + "\n" + "\n".join(lines), name
    )


PAPI_ROWS = [
    ("P0", "5.0", ["0.330000", "1.500000", "1.500000"]),  # D8.1 below 1/3
    ("P1", "6.0", ["1.5", "1.5", "1.5"]),
    ("P2", "7.0", ["2", "2", "2"]),
    ("P3", "8.0", ["2.5", "2.5", "2.5"]),
]


def test_2_a_derived_bound_reports_a_conflict_and_keeps_the_row(
    tmp_path: Path, reg: Registry
) -> None:
    report = reproduce_file(_papi_file(tmp_path, PAPI_ROWS, "all.csv"), registry=reg)
    rows = {r.row.unit: r for r in report.rows}
    p0 = rows["P0"]
    assert p0.status == "agree" and p0.recomputed
    assert p0.computed_total == 7 * Decimal(5) + Decimal("0.33") + 3
    (c,) = p0.conflicts
    assert (c.kind, c.node, c.value, c.status, c.rejects) == (
        "rule",
        "D8.1",
        "0.330000",
        "derived",
        False,
    )
    assert "1/3" in c.message and c.source
    # the row stays in the batch: totals 38.33, 46.5, 55, 63.5 give one province per quartile
    assert {u: r.computed_group for u, r in rows.items()} == {
        "P0": "poor",
        "P1": "low-average",
        "P2": "high-average",
        "P3": "best",
    }
    # dropping P0 (as skipping did) changes P1's group: its 46.5 becomes the lowest of three
    without = reproduce_file(_papi_file(tmp_path, PAPI_ROWS[1:], "rest.csv"), registry=reg)
    assert {r.row.unit: r.computed_group for r in without.rows}["P1"] == "poor"


def test_2_a_confirmed_bound_rejects_but_the_row_is_still_reported(
    tmp_path: Path, reg: Registry
) -> None:
    # moha.province 2024 field 3 has a confirmed maximum of 13
    f = write(tmp_path, "ruleset,year,unit,total,3\nmoha.province,2024,X,91.00,13.5\n")
    (r,) = reproduce_file(f, registry=reg).rows
    assert r.status == "disagree"
    (c,) = r.conflicts
    assert (c.kind, c.node, c.value, c.bound, c.status, c.rejects) == (
        "maximum",
        "3",
        "13.5",
        "≤ 13",
        "confirmed",
        True,
    )
    assert r.diagnosis is not None and "rejected" in r.diagnosis


# 3 ------------------------------------------------------------ more data, less checking
def test_3_more_data_never_means_less_checking(tmp_path: Path, reg: Registry) -> None:
    with_field = write(
        tmp_path, "ruleset,year,unit,total,group,3\nmoha.province,2024,X,91.00,A,12\n", "a.csv"
    )
    without = write(
        tmp_path, "ruleset,year,unit,total,group\nmoha.province,2024,X,91.00,A\n", "b.csv"
    )
    (a,) = reproduce_file(with_field, registry=reg).rows
    (b,) = reproduce_file(without, registry=reg).rows
    for r in (a, b):
        assert r.status == "checked" and not r.recomputed
        assert r.computed_group == "A" and r.group_agrees is True  # 91.00 ≥ 90 (2024 bands)
        assert r.computed_rank == 1
    assert not a.conflicts  # 12 is within field 3's maximum of 13
    assert any("no points for 1, 2, 4" in n for n in a.notes)


def test_3_complete_subtrees_of_an_incomplete_row_are_still_compared(
    tmp_path: Path, reg: Registry
) -> None:
    # D8 given with its three sub-dimensions, the other dimensions missing: D8 is compared
    f = write(
        tmp_path,
        "ruleset,year,unit,total,D8,D8.1,D8.2,D8.3\npapi,2021,X,40,4.50,1.50,1.50,1.60\n",
    )
    (r,) = reproduce_file(f, registry=reg).rows
    assert r.status == "disagree" and not r.recomputed
    (check,) = r.node_checks
    assert check.code == "D8" and check.computed == Decimal("4.60") and not check.within
    assert check.tolerance == 4 * Decimal("0.005")


# 4 ------------------------------------------------- nothing recomputed is not "agreeing"
def test_4_a_total_only_row_is_checked_not_agreeing(
    tmp_path: Path, reg: Registry, cli_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(tmp_path, "ruleset,year,unit,total\nmoha.province,2021,X,91.80\n")
    report = reproduce_file(f, registry=reg)
    (r,) = report.rows
    assert r.status == "checked" and report.agreeing == 0 and len(report.checked_only) == 1
    assert "recomputed: 0 (agreeing: 0, disagreeing: 0); checked only: 1;" in report.summary()
    assert main(["reproduce", str(f), "--format", "json"]) == 0
    (obj,) = json.loads(capsys.readouterr().out)
    assert obj["status"] == "checked" and obj["computed_total"] is None
    assert obj["computed_group"] == "A" and obj["tolerance"] is None


# 5 ------------------------------------------------------------------- order not checked
def test_5_order_is_checked_for_every_pair_of_ranked_rows(tmp_path: Path, reg: Registry) -> None:
    f = write(
        tmp_path,
        "ruleset,year,unit,total,rank\n"
        "moha.province,2021,P,91.80,1\n"
        "moha.province,2021,Q,83.32,11\n"
        "moha.province,2021,R,83.33,12\n"
        "moha.province,2021,S,83.3,13\n"  # 83.3 stands for [83.25, 83.35): below 83.33 possible
        "moha.province,2021,T,80.05,44\n",
    )
    rows = {r.row.unit: r for r in reproduce_file(f, registry=reg).rows}
    # ranks 11 and 12 are outside the complete top (1 only): still compared with each other
    assert rows["Q"].computed_rank is None and rows["R"].computed_rank is None
    assert rows["Q"].status == rows["R"].status == "disagree"
    assert [(i.other_unit, i.above) for i in rows["Q"].order_issues] == [("R", True)]
    assert [(i.other_unit, i.above) for i in rows["R"].order_issues] == [("Q", False)]
    for unit in ("P", "S", "T"):
        assert rows[unit].status == "checked" and not rows[unit].order_issues, unit
    assert "would fit the published ranks" in (rows["Q"].diagnosis or "")


# 6 -------------------------------------------------------------------------- group counts
def _sidecar(tmp_path: Path, csv_name: str, counts: str) -> Path:
    return write(
        tmp_path,
        f"name: synthetic\ntitle: synthetic group counts\nfile: {csv_name}\n"
        f"group_counts:\n{counts}",
        "synthetic.dataset.yaml",
    )


def test_6_group_counts_give_groups_by_rank_where_no_bands_are_published(
    tmp_path: Path, reg: Registry
) -> None:
    # moha.province 2020 publishes no bands; counts A 2, B 56, C 5 (a synthetic sidecar)
    totals = ["91.04", "90.51", "88.47", "86.93"]
    lines = [
        f"moha.province,2020,U{i},{t},{i},{'A' if i <= 3 else ''}" for i, t in enumerate(totals, 1)
    ]
    lines.append("moha.province,2020,L,73.25,63,C")
    write(tmp_path, "ruleset,year,unit,total,rank,group\n" + "\n".join(lines) + "\n", "p.csv")
    side = _sidecar(
        tmp_path,
        "p.csv",
        "  - {ruleset: moha.province, year: 2020, counts: {A: 2, B: 56, C: 5},"
        " source: synthetic}\n",
    )
    report = reproduce_file(side, registry=reg)
    rows = {r.row.unit: r for r in report.rows}
    assert [rows[f"U{i}"].computed_group for i in range(1, 5)] == ["A", "A", "B", "B"]
    assert rows["U1"].group_agrees is True and rows["U3"].group_agrees is False  # rank 3 is B
    assert rows["L"].computed_group == "C" and rows["L"].group_agrees is True  # published rank
    assert rows["U3"].status == "disagree" and rows["U4"].status == "checked"
    (check,) = report.count_checks
    assert check.from_ranks == 5 and check.grouped == 0 and check.agrees


def test_6_computed_group_counts_are_compared_with_the_published_ones(
    tmp_path: Path, reg: Registry, cli_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    # 63 provinces with distinct totals: quartiles give 16/16/15/16
    dims = ",".join(f"D{i}" for i in range(1, 9))
    lines = [
        f"papi,2020,P{j}," + ",".join([str(Decimal(1) + Decimal(j) / 10)] * 8) for j in range(63)
    ]
    write(tmp_path, f"ruleset,year,unit,{dims}\n" + "\n".join(lines) + "\n", "papi.csv")
    counts = "{best: 16, high-average: 16, low-average: 15, poor: 16}"
    side = _sidecar(tmp_path, "papi.csv", f"  - {{ruleset: papi, year: 2020, counts: {counts}}}\n")
    report = reproduce_file(side, registry=reg)
    (check,) = report.count_checks
    assert check.complete and check.agrees and not report.failed
    assert check.computed == {"best": 16, "high-average": 16, "low-average": 15, "poor": 16}
    wrong = "{best: 17, high-average: 15, low-average: 15, poor: 16}"
    side = _sidecar(tmp_path, "papi.csv", f"  - {{ruleset: papi, year: 2020, counts: {wrong}}}\n")
    report = reproduce_file(side, registry=reg)
    (check,) = report.count_checks
    assert check.differ == ["best", "high-average"] and report.failed
    assert "group counts: 1 compared, 1 disagreeing" in report.summary()
    assert main(["reproduce", str(side), "--strict"]) == 1
    assert "DISAGREE: best, high-average" in capsys.readouterr().out


def test_6_partial_rows_still_show_a_group_over_its_count(tmp_path: Path, reg: Registry) -> None:
    # 2021 bands (A ≥ 90) put four rows in A; the published counts say A has 3
    totals = ["91.80", "91.14", "90.25", "90.10"]
    lines = [f"moha.province,2021,U{i},{t}" for i, t in enumerate(totals, 1)]
    write(tmp_path, "ruleset,year,unit,total\n" + "\n".join(lines) + "\n", "p.csv")
    side = _sidecar(
        tmp_path, "p.csv", "  - {ruleset: moha.province, year: 2021, counts: {A: 3, B: 59, C: 1}}\n"
    )
    report = reproduce_file(side, registry=reg)
    (check,) = report.count_checks
    assert not check.complete and check.computed == {"A": 4} and check.differ == ["A"]
    # ranks (computed: no rank is published) put U4 in B under the counts, its band says A
    u4 = next(r for r in report.rows if r.row.unit == "U4")
    assert u4.counts_group == "B" and u4.status == "disagree"
