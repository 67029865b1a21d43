"""Every branch of ``reproduce.report``'s diagnoses: a rank that differs (a tie, or not), an order
contradicted with and without a published total, and a group that differs under fixed bands."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rp_helpers import write

from parindex import Registry
from parindex.analysis.reproduce import (
    ReproduceReport,
    RowResult,
    reproduce_dataset,
    reproduce_file,
)

# ``reg`` (tests/reproduce/conftest.py): the installed plugins, the bundled datasets, test.mixed


def _rows(tmp_path: Path, reg: Registry, text: str) -> tuple[ReproduceReport, dict[str, RowResult]]:
    report = reproduce_file(write(tmp_path, text), registry=reg)
    return report, {r.row.unit: r for r in report.rows}


# ------------------------------------------------------------------------------------- ranks
def test_a_rank_broken_from_a_tie_is_diagnosed_as_the_tie(tmp_path: Path, reg: Registry) -> None:
    _, rows = _rows(
        tmp_path,
        reg,
        "ruleset,year,unit,total,rank\n"
        "moha.province,2021,U1,92.00,1\n"
        "moha.province,2021,U2,92.00,2\n",
    )
    # competition ranks of two equal totals: 1 and 1; the order is not contradicted
    assert rows["U2"].computed_rank == 1 and rows["U2"].order_issues == []
    assert rows["U2"].diagnosis == (
        "rank: published 2, computed 1. hypothesis: a tie with U1 (equal totals), broken by the"
        " publisher with unrounded values or another tie rule"
    )
    assert rows["U1"].status == "checked" and rows["U1"].diagnosis is None


def test_a_rank_the_totals_reverse_within_their_precision(tmp_path: Path, reg: Registry) -> None:
    _, rows = _rows(
        tmp_path,
        reg,
        "ruleset,year,unit,total,rank\n"
        "moha.province,2021,T1,90.0,1\n"  # 90.0 may stand for up to 90.05
        "moha.province,2021,T2,90.01,2\n",  # 90.01 for as little as 90.005
    )
    assert rows["T1"].order_issues == [] and rows["T2"].order_issues == []
    assert (rows["T1"].computed_rank, rows["T2"].computed_rank) == (2, 1)
    assert rows["T1"].diagnosis == (
        "rank: published 1, computed 2. hypothesis: the rows' totals put it elsewhere; see the"
        " order of the other rows"
    )


# ------------------------------------------------------------------------------------- order
COMPONENTS = "ruleset,year,unit,total,rank,group,appraisal,sipas,leaders,impact\n"


def test_an_order_contradicted_by_totals_that_agree_with_their_parts(
    tmp_path: Path, reg: Registry
) -> None:
    _, rows = _rows(
        tmp_path,
        reg,
        COMPONENTS
        + "moha.province,2021,QN,91.04,2,,57.66,9.56,18.83,5\n"  # 91.05, within 0.025
        + "moha.province,2021,HP,90.51,1,,58.71,9.35,19.45,3\n",  # 90.51 exactly
    )
    assert rows["HP"].total_within and rows["HP"].order_issues
    assert rows["HP"].diagnosis == (
        "order: ranked above QN (rank 2, 91.04). hypothesis: this row's total agrees with its"
        " parts, so the other row's total or the published ranks are in question"
    )


def test_an_order_contradicted_without_published_totals_cannot_be_explained(
    tmp_path: Path, reg: Registry
) -> None:
    _, rows = _rows(
        tmp_path,
        reg,
        "ruleset,year,unit,rank,A.1,A.2,A.3,B.1,B.2,C\n"
        "test.mixed,2000,P,1,1,2,3,1,1,1\n"  # 9, give or take 6 × 0.5 = 3
        "test.mixed,2000,Q,2,2,4,6,2,2,2\n",  # 18 ± 3: at least 15 > 12
    )
    assert rows["P"].order_value == 9 and rows["P"].order_half == 3
    assert rows["P"].diagnosis == (
        "order: ranked above Q (rank 2, 18). hypothesis: none of the usual causes can be tested"
        " without a published total"
    )


def test_unranked_rows_are_left_out_of_the_order_hypothesis(tmp_path: Path, reg: Registry) -> None:
    _, rows = _rows(
        tmp_path,
        reg,
        "ruleset,year,unit,total,rank\n"
        "moha.province,2021,U1,92.00,1\n"
        "moha.province,2021,U2,93.00,2\n"
        "moha.province,2021,U0,99.00,\n",  # no rank: it bounds nothing
    )
    # U1 must be able to exceed 92.995 (U2 − its half-unit): 93.00 (9 and 2 swapped: 29.00 no)
    assert rows["U1"].diagnosis == (
        "order: ranked above U2 (rank 2, 93.00). hypothesis: a one-digit typo: 93.00 published as"
        " 92.00 would fit the published ranks"
    )
    assert rows["U0"].order_issues == [] and rows["U0"].diagnosis is None


# ------------------------------------------------------------------------------------ groups
def test_a_group_that_differs_from_a_total_agreeing_with_its_parts(
    tmp_path: Path, reg: Registry
) -> None:
    _, rows = _rows(
        tmp_path, reg, COMPONENTS + "moha.province,2021,QN,91.04,,B,57.66,9.56,18.83,5\n"
    )
    # 91.05 of 100 is A (≥ 90), published B
    assert rows["QN"].diagnosis == (
        "group: published B, computed A. hypothesis: this row's total agrees with its parts, so"
        " the published group or the group rule is in question"
    )


def test_a_group_that_a_transposed_total_would_give(tmp_path: Path, reg: Registry) -> None:
    _, rows = _rows(tmp_path, reg, "ruleset,year,unit,total,group\nmoha.province,2021,U,89.99,A\n")
    # 89.99 is B (80–<90); 98.99, its first two digits swapped, is A
    assert rows["U"].computed_group == "B"
    assert rows["U"].diagnosis == (
        "group: published A, computed B. hypothesis: two transposed digits: 98.99 published as"
        " 89.99 would fall in the published group A"
    )


def test_a_group_no_variant_of_the_total_gives(tmp_path: Path, reg: Registry) -> None:
    _, rows = _rows(tmp_path, reg, "ruleset,year,unit,total,group\nmoha.province,2018,U,5.00,A\n")
    # 2018: A ≥ 80, D below 70; no swap or one-digit change of 5.00 reaches 80 (at most 9.00)
    assert rows["U"].computed_group == "D"
    assert rows["U"].diagnosis == (
        "group: published A, computed D. hypothesis: no one-digit typo or transposition of the"
        " total gives the published group"
    )


def test_a_group_that_differs_without_a_published_total(tmp_path: Path, reg: Registry) -> None:
    _, rows = _rows(tmp_path, reg, COMPONENTS + "moha.province,2021,QN,,,B,57.66,9.56,18.83,5\n")
    assert rows["QN"].computed_group == "A" and rows["QN"].status == "disagree"
    assert rows["QN"].diagnosis == (
        "group: published B, computed A. hypothesis: the group follows from the total under the"
        " batch rule printed below"
    )


def test_the_summary_counts_checked_rows_that_disagree(tmp_path: Path, reg: Registry) -> None:
    report, _ = _rows(
        tmp_path,
        reg,
        "ruleset,year,unit,total,group\n"
        "moha.province,2021,U,89.99,A\n"
        "moha.province,2021,V,95.00,A\n"
        "moha.province,1990,W,95.00,A\n",
    )
    assert report.summary() == (
        "rows: 3; recomputed: 0 (agreeing: 0, disagreeing: 0); checked only: 2 (disagreeing: 1);"
        " skipped: 1 (1 no moha.province ruleset for the year); source conflicts: 0"
    )
    assert report.failed and [r.status for r in report.checked_only] == ["disagree", "checked"]


def test_only_the_node_checks_off_are_diagnosed(tmp_path: Path, reg: Registry) -> None:
    report, rows = _rows(
        tmp_path,
        reg,
        "ruleset,year,unit,total,A,A.1,A.2,A.3,B,B.1,B.2,C\n"
        # A = 6.0 right; B = 1.0 + 1.0 = 2.0 published 3.0, beyond 3 × 0.05
        "test.mixed,2000,M,9.0,6.0,1.0,2.0,3.0,3.0,1.0,1.0,1.0\n",
    )
    m = rows["M"]
    assert [(c.code, c.within) for c in m.node_checks] == [("A", True), ("B", False)]
    assert m.diagnosis is not None and m.diagnosis.startswith("B: ")
    assert "A: " not in m.diagnosis
    assert report.agreeing == 0 and report.disagreeing == 1


# ------------------------------------------------------------------------- files and datasets
def test_a_sidecar_names_the_csv_and_the_dataset(tmp_path: Path, reg: Registry) -> None:
    write(tmp_path, "ruleset,year,unit,total\nmoha.province,2021,U,91.00\n", "rows.csv")
    side = write(tmp_path, "name: cov\ntitle: one row\nfile: rows.csv\n", "cov.dataset.yaml")
    report = reproduce_file(side, registry=reg)
    assert report.file == str(tmp_path / "rows.csv")
    assert report.dataset is not None and report.dataset.title == "one row"
    (r,) = report.rows
    assert r.computed_group == "A" and r.status == "checked"


def test_a_bundled_dataset_is_reproduced_by_name(reg: Registry) -> None:
    report = reproduce_dataset("par-2020-components", registry=reg)
    assert report.dataset is not None and report.dataset.name == "par-2020-components"
    assert len(report.rows) == 10 and report.agreeing == 10 and not report.failed
    first = report.rows[0]
    # Quảng Ninh: 57.66 + 9.56 + 18.83 + 5 = 91.05, published 91.04
    assert first.row.unit == "Quảng Ninh" and first.computed_total == Decimal("91.05")
