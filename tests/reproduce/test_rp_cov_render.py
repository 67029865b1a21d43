"""Every branch of ``reproduce.render``: a dataset's sources beyond three, and each part of a
row's status (nodes off, nodes within when verbose, rank and group differing, rejecting
conflicts), inline under ``--wide`` and as footnotes in a fitted table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rp_helpers import mixed_ruleset, write

from parindex import Registry, load_ruleset
from parindex.analysis.reproduce import (
    Dataset,
    GroupCounts,
    ReproduceReport,
    read_published,
    render_csv,
    render_json,
    render_text,
    reproduce_file,
    reproduce_rows,
)

#: ``cov.render``: X (max 5) + Y (max 5), every bound confirmed.
CONFIRMED = {
    "id": "cov.render",
    "version": "1",
    "years": [2001],
    "unit_kind": "province",
    "title": "synthetic: confirmed maxima",
    "source": {"document": "synthetic"},
    "status": "confirmed",
    "rounding": {"places": 2, "mode": "half_up"},
    "nodes": [{"code": "X", "title": "x", "maximum": 5}, {"code": "Y", "title": "y", "maximum": 5}],
}

ROWS = (
    "ruleset,year,unit,total,rank,group,A,A.1,A.2,A.3,B,B.1,B.2,C,X,Y\n"
    # a tie published as ranks 1 and 2 (competition ranks: 1 and 1), U2's group B under A ≥ 90
    "moha.province,2021,U1,92.00,1,A,,,,,,,,,,\n"
    "moha.province,2021,U2,92.00,2,B,,,,,,,,,,\n"
    # A published 10, its parts 1 + 2 + 3 = 6; M2's A and B agree with their parts
    "test.mixed,2000,M1,9,,,10,1,2,3,,1,1,1,,\n"
    "test.mixed,2000,M2,9,,,6,1,2,3,2,1,1,1,,\n"
    # X 6 above its confirmed maximum of 5
    "cov.render,2001,R1,10,,,,,,,,,,,6,4\n"
)


@pytest.fixture(scope="module")
def reg() -> Registry:
    registry = Registry()
    registry.add(load_ruleset(mixed_ruleset()))
    registry.add(load_ruleset(CONFIRMED))
    return registry


@pytest.fixture()
def report(tmp_path: Path, reg: Registry) -> ReproduceReport:
    return reproduce_file(write(tmp_path, ROWS), registry=reg)


def _status(text: str, line: int) -> str:
    """The status cell of the row from CSV line ``line`` in a ``--wide`` table (the last cell)."""
    row = next(t for t in text.splitlines() if t.startswith(f"{line} "))
    return row.split("  ")[-1].strip()


def test_each_part_of_a_status_is_shown_inline_in_a_wide_table(report: ReproduceReport) -> None:
    text = render_text(report, wide=True)
    assert _status(text, 2) == "checked"
    assert _status(text, 3) == (
        "disagree; rank differs; group differs; total only: nothing to recompute"
    )
    assert _status(text, 4) == "disagree; nodes off: A 10 vs 6"
    assert _status(text, 5) == "agree"
    assert _status(text, 6) == (
        "disagree; 1 source conflict (1 rejecting); computed past the breached bounds (see"
        " conflicts); the index uses the original total maximum"
    )


def test_verbose_adds_the_nodes_within_tolerance_and_every_note(
    report: ReproduceReport,
) -> None:
    text = render_text(report, wide=True, verbose=True)
    assert _status(text, 2) == "checked; total only: nothing to recompute"
    # A = 1 + 2 + 3 = 6 and B = 1 + 1 = 2 exactly: the largest gap is 0, at the first of them
    assert _status(text, 5) == "agree; 2 nodes within tolerance (largest gap 0 at A)"
    # a note on the rank among unranked rows is never repeated in the status
    assert "rank among" not in text


def test_a_fitted_table_keeps_the_status_and_lists_the_details_once(
    report: ReproduceReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    lines = render_text(report).splitlines()
    assert "[1] rank differs; group differs; total only: nothing to recompute" in lines
    assert "[2] nodes off: A 10 vs 6" in lines
    i = lines.index(
        "[3] 1 source conflict (1 rejecting); computed past the breached bounds (see conflicts);"
        " the index"
    )
    assert lines[i + 1] == "  uses the original total maximum"
    assert not any(line.startswith("[4]") for line in lines)


def test_several_rejecting_conflicts_are_counted(tmp_path: Path, reg: Registry) -> None:
    f = write(tmp_path, "ruleset,year,unit,total,X,Y\ncov.render,2001,R,12,6,6\n")
    report = reproduce_file(f, registry=reg)
    # X and Y above 5, and their sum 12 above the total maximum 10: all three bounds confirmed
    (r,) = report.rows
    assert [(c.kind, c.node) for c in r.conflicts] == [
        ("maximum", "X"),
        ("maximum", "Y"),
        ("total_maximum", None),
    ]
    assert _status(render_text(report, wide=True), 2).startswith(
        "disagree; 3 source conflicts (3 rejecting); computed past the breached bounds"
    )
    # the CSV keeps every conflict, one per "|"
    (row,) = csv.DictReader(io.StringIO(render_csv(report)))
    assert row["conflicts"].count(" | ") == 2
    assert row["conflicts"].startswith("X 6 is above the node's maximum (≤ 5)")


def test_a_dataset_with_more_than_three_sources_shows_three(tmp_path: Path, reg: Registry) -> None:
    f = write(tmp_path, "ruleset,year,unit,total,X,Y\ncov.render,2001,R,7,3,4\n")
    sources = tuple(f"https://example.org/{i}" for i in range(1, 6))
    ds = Dataset("cov", "five sources", f, sources=sources)
    text = render_text(reproduce_rows(read_published(f), registry=reg, dataset=ds), wide=True)
    assert text.splitlines()[:5] == [
        "dataset cov: five sources",
        "  source: https://example.org/1",
        "  source: https://example.org/2",
        "  source: https://example.org/3",
        "  … and 2 more sources (see `parindex datasets`)",
    ]
    three = Dataset("cov", "three sources", f, sources=sources[:3])
    text = render_text(reproduce_rows(read_published(f), registry=reg, dataset=three), wide=True)
    lines = text.splitlines()
    assert lines[3] == "  source: https://example.org/3" and lines[4].startswith("line ")


def test_order_counts_total_and_skipped_rows_in_the_table_and_json(
    tmp_path: Path, reg: Registry
) -> None:
    f = write(
        tmp_path,
        "ruleset,year,unit,total,rank,A.1,A.2,A.3,B.1,B.2,C\n"
        "moha.province,2021,U1,92.00,1,,,,,,\n"
        "moha.province,2021,U3,93.00,3,,,,,,\n"  # above U1 and U2 with the worst rank
        "moha.province,2021,U2,91.00,2,,,,,,\n"
        "test.mixed,2000,M,20,,1,2,3,1,1,1\n"  # the parts add up to 9
        "test.mixed,1999,OLD,20,,1,2,3,1,1,1\n",  # test.mixed covers 2000 only
    )
    counts = GroupCounts("moha.province", 2021, (("A", 1), ("B", 62)))
    ds = Dataset("cov", "counts", f, group_counts=(counts,))
    report = reproduce_rows(read_published(f), registry=reg, dataset=ds)
    text = render_text(report, wide=True)
    # ranked by the totals: U3 1, U1 2, U2 3; rank 2 is in B under the counts, 92.00 is A (≥ 90)
    assert _status(text, 2) == (
        "disagree; rank differs; order: ranked above U3 (rank 3, 93.00); rank 2 falls in group B"
        " under the published counts (A 1, B 62), computed group A; total only: nothing to"
        " recompute"
    )
    # the better-ranked row that can score least: U2 (91.00 + 0.005 ≤ 93.00 − 0.005)
    assert _status(text, 3) == (
        "disagree; rank differs; order: ranked below U2 (rank 2, 91.00); total only: nothing to"
        " recompute"
    )
    assert _status(text, 5) == "disagree; total outside tolerance"
    assert _status(text, 6) == (
        "skipped: no ruleset: ruleset 'test.mixed' has no version for year 1999; years"
        " available: 2000"
    )
    rows = {o["unit"]: o for o in json.loads(render_json(report))}
    assert [rows[u]["status"] for u in ("U1", "U3", "U2", "M", "OLD")] == [
        *["disagree"] * 4,
        "skipped",
    ]
    # 1 + 2 + 3 + 1 + 1 + 1 = 9, 11 below 20; six parts and the total at half a unit each
    assert (rows["M"]["computed_total"], rows["M"]["difference"]) == ("9", "-11")
    assert rows["M"]["tolerance"] == "3.5"
    assert rows["OLD"]["computed_total"] is None
