"""``parindex reproduce`` over the bundled datasets and over hand-made files; error cases."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from parindex.analysis.reproduce import (
    JSON_KEYS,
    ReproduceReport,
    RowResult,
    list_datasets,
    reproduce_dataset,
    reproduce_file,
)
from parindex.cli.main import main
from parindex.io.registry import Registry
from parindex.model.errors import CsvFormatError, ParindexError

PAPI_TOL = Decimal("1e-5")
REPO = Path(__file__).resolve().parents[2]


def _by_unit_year(report: ReproduceReport) -> dict[tuple[str, int], RowResult]:
    return {(r.row.unit, r.row.year): r for r in report.rows}


# ----------------------------------------------------------------------------- datasets
def test_bundled_datasets_are_listed(reg: Registry) -> None:
    names = {d.name: d for d in list_datasets(reg)}
    assert {"papi-2011-2016", "par-2018-2022", "par-2020-components"} <= set(names)
    for d in names.values():
        assert d.path.is_file() and d.sources and d.conversion and d.title
    assert names["papi-2011-2016"].rows == 378


def test_converter_output_is_up_to_date(shared: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "convert_datasets.py"),
            "--check",
            "--shared",
            str(shared),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


# ----------------------------------------------------------------------------- PAPI 2011–2016
def test_papi_every_complete_row_reproduces(reg: Registry, shared: Path) -> None:
    report = reproduce_dataset("papi-2011-2016", registry=reg)
    assert len(report.rows) == 378
    assert len(report.checked) == 376 and report.agreeing == 376 and report.disagreeing == 0
    skipped = report.skipped
    assert {(r.row.unit, r.row.year) for r in skipped} == {("Bắc Giang", 2014), ("Đồng Tháp", 2014)}
    assert all(r.reason and "no total and no node points" in r.reason for r in skipped)

    # independent expectation: sums of the official file's sub-dimension columns
    path = shared / "data" / "papi" / "papi_2011_2016_official.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        official = {(r["province_vi"], int(r["year"])): r for r in csv.DictReader(fh)}
    results = _by_unit_year(report)
    for key, src in official.items():
        if src["PAPI_unweighted_total_6_60"] == "":
            continue
        r = results[key]
        sub_cols = [c for c in src if re.match(r"D\d_\d_", c)]
        expected_total = sum(Decimal(src[c]) for c in sub_cols)
        assert r.computed_total == expected_total
        assert abs(r.computed_total - Decimal(src["PAPI_unweighted_total_6_60"])) <= PAPI_TOL
        assert r.within_tolerance is True
        # every dimension, recomputed from its sub-dimensions, within 1e-5 of the published one
        checks = {c.code: c for c in r.node_checks}
        assert set(checks) == {f"D{i}" for i in range(1, 7)}
        for i in range(1, 7):
            dim_col = next(c for c in src if re.match(rf"D{i}_[a-z]", c))
            expected = sum(Decimal(src[c]) for c in sub_cols if c.startswith(f"D{i}_"))
            assert checks[f"D{i}"].computed == expected
            assert abs(expected - Decimal(src[dim_col])) <= PAPI_TOL


def test_papi_groups_and_ranks_across_each_year(reg: Registry) -> None:
    report = reproduce_dataset("papi-2011-2016", registry=reg)
    for year in range(2011, 2017):
        batch = [r for r in report.checked if r.row.year == year]
        counts = {
            g: sum(r.computed_group == g for r in batch)
            for g in ("best", "high-average", "low-average", "poor")
        }
        n = len(batch)
        assert sum(counts.values()) == n
        assert all(abs(c - n / 4) <= 1 for c in counts.values()), counts
        # ranks 1..n, best total first
        ordered = sorted(batch, key=lambda r: r.computed_total or 0, reverse=True)
        assert [r.computed_rank for r in ordered] == list(range(1, n + 1))
    assert any("PAPI does not publish its group cut rule" in n for n in report.group_notes)


def test_papi_json_output(
    default_registry_with_datasets: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reproduce", "--dataset", "papi-2011-2016", "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert len(data) == 378
    assert all(tuple(obj) == JSON_KEYS for obj in data)
    hanoi = next(o for o in data if o["unit"] == "Hà Nội" and o["year"] == 2011)
    assert hanoi["published_total"] == "36.40502"
    assert hanoi["ruleset"] == "papi" and hanoi["within_tolerance"] is True
    assert hanoi["published_rank"] is None and isinstance(hanoi["computed_rank"], int)
    assert hanoi["computed_group"] in {"best", "high-average", "low-average", "poor"}
    # issue 13: the summary counts recomputed, checked-only and skipped rows apart
    assert (
        "recomputed: 376 (agreeing: 376, disagreeing: 0); checked only: 0; skipped: 2"
        in captured.err
    )


# ----------------------------------------------------------------------------- PAR 2020 top 10
PAR_2020 = [  # unit, published total, appraisal, sipas, leaders, impact (the 2020 table)
    ("Quảng Ninh", "91.04", "57.66", "9.56", "18.83", "5"),
    ("Hải Phòng", "90.51", "58.71", "9.35", "19.45", "3"),
    ("Thừa Thiên Huế", "88.47", "56.78", "8.57", "20.11", "3.01"),
    ("Bình Dương", "86.93", "55.48", "8.82", "20.27", "2.36"),
    ("Đồng Tháp", "86.77", "55.94", "8.89", "20.09", "1.84"),
    ("Đà Nẵng", "86.56", "58.01", "8.24", "18.31", "2"),
    ("Long An", "86.25", "56.52", "8.62", "18.11", "3"),
    ("Hà Nội", "86.07", "55.79", "8.50", "20.28", "1.5"),
    ("Bà Rịa - Vũng Tàu", "86.02", "56.23", "8.40", "18.25", "3.14"),
    ("Phú Thọ", "85.74", "53.99", "8.81", "18.17", "4.76"),
]


def test_par_2020_top10_totals_and_ranks(reg: Registry) -> None:
    report = reproduce_dataset("par-2020-components", registry=reg)
    assert report.agreeing == 10 and report.disagreeing == 0 and not report.skipped
    results = {r.row.unit: r for r in report.rows}
    for rank, (unit, total, *parts) in enumerate(PAR_2020, start=1):
        r = results[unit]
        expected = sum(Decimal(p) for p in parts)
        assert r.computed_total == expected
        # issue 13: each number counts half a unit of its own last decimal; a whole number (5)
        # among 2-decimal values is read as 5.00. Hà Nội's impact 1.5 counts 0.05.
        halves = [
            Decimal("0.5") * Decimal(10) ** -(len(t.split(".")[1]) if "." in t else 2)
            for t in (total, *parts)
        ]
        assert r.tolerance == sum(halves)
        assert r.tolerance == (Decimal("0.07") if unit == "Hà Nội" else Decimal("0.025"))
        assert abs(expected - Decimal(total)) <= r.tolerance
        assert r.within_tolerance is True
        assert r.view == "components"
        assert r.row.rank == rank and r.computed_rank == rank
    assert results["Quảng Ninh"].difference == Decimal("0.01")


def test_par_values_dataset(reg: Registry) -> None:
    report = reproduce_dataset("par-2018-2022", registry=reg)
    rows = _by_unit_year(report)
    # issue 13: 2019 has a structure-only version (1150/QĐ-BNV): its ranks 1–5 are checked
    for rank, unit in enumerate(
        ["Quảng Ninh", "Hà Nội", "Đồng Tháp", "Hải Phòng", "Long An"], start=1
    ):
        r = rows[(unit, 2019)]
        assert r.status == "checked" and r.version == "2019" and r.computed_rank == rank
    # no 2019 bands are published: An Giang's published B cannot be checked
    ag = rows[("An Giang", 2019)]
    assert ag.status == "checked" and ag.computed_group is None and ag.group_agrees is None
    # a rank without a value is skipped
    assert rows[("Hải Phòng", 2018)].status == "skipped"
    # 2018 bands: A ≥ 80 → the top four are A; ranks 1–4 reproduce
    for rank, unit in enumerate(["Quảng Ninh", "Hà Nội", "Đồng Tháp", "Đà Nẵng"], start=1):
        r = rows[(unit, 2018)]
        assert r.computed_rank == rank and r.computed_group == "A"
    # Khánh Hòa 2021 is published as B (80–<90) at 85.11
    kh = rows[("Khánh Hòa", 2021)]
    assert kh.computed_group == "B" and kh.group_agrees is True
    # beyond the complete top of the ranking no rank is computed
    assert rows[("Kiên Giang", 2021)].computed_rank is None
    assert report.disagreeing == 0


def test_cli_table_and_summary(
    default_registry_with_datasets: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reproduce", "--dataset", "par-2020-components", "--wide"]) == 0
    out = capsys.readouterr().out
    assert "Quảng Ninh" in out and "0.025" in out
    assert out.rstrip().splitlines()[-1] == (  # issue 13: the new summary wording
        "rows: 10; recomputed: 10 (agreeing: 10, disagreeing: 0); checked only: 0; skipped: 0;"
        " source conflicts: 0"
    )
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "papi-2011-2016" in out and "par-2020-components" in out
    assert main(["datasets", "--format", "json"]) == 0
    assert {d["name"] for d in json.loads(capsys.readouterr().out)} >= {"par-2018-2022"}


# ----------------------------------------------------------------------------- hand-made files
HEADER = "ruleset,year,unit,total,rank,group,source,appraisal,sipas,leaders,impact\n"


def _write(tmp_path: Path, text: str, name: str = "pub.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_disagreement_and_strict(
    tmp_path: Path,
    reg: Registry,
    default_registry_with_datasets: Registry,
    capsys: pytest.CaptureFixture[str],
) -> None:
    f = _write(
        tmp_path,
        HEADER
        + "moha.province,2020,A,91.04,1,,,57.66,9.56,18.83,5\n"
        + "moha.province,2020,B,90.00,2,,,58.71,9.35,19.45,3\n",
    )  # B really sums to 90.51
    report = reproduce_file(f, registry=reg)
    b = next(r for r in report.rows if r.row.unit == "B")
    assert b.difference == Decimal("0.51") and b.within_tolerance is False
    assert b.status == "disagree"
    assert main(["reproduce", str(f)]) == 0
    capsys.readouterr()
    assert main(["reproduce", str(f), "--strict"]) == 1
    assert "disagreeing: 1" in capsys.readouterr().out


def test_rank_disagreement(tmp_path: Path, reg: Registry) -> None:
    f = _write(
        tmp_path,
        HEADER
        + "moha.province,2020,A,90.51,1,,,58.71,9.35,19.45,3\n"
        + "moha.province,2020,B,91.04,2,,,57.66,9.56,18.83,5\n",
    )
    report = reproduce_file(f, registry=reg)
    a = next(r for r in report.rows if r.row.unit == "A")
    assert a.within_tolerance is True and a.computed_rank == 2 and a.rank_agrees is False
    assert report.disagreeing == 2


def test_incomplete_row_falls_back_to_what_can_be_checked(tmp_path: Path, reg: Registry) -> None:
    # issue 13: a row whose parts do not all add up is checked for rank, group and bounds
    f = _write(tmp_path, HEADER + "moha.province,2020,A,91.04,1,,,57.66,,18.83,5\n")
    report = reproduce_file(f, registry=reg)
    (r,) = report.rows
    assert r.status == "checked" and not r.recomputed and r.computed_total is None
    assert r.computed_rank == 1 and r.rank_agrees is True
    assert any("sipas" in n for n in r.notes)
    assert "checked only: 1;" in report.summary()


def test_most_detailed_level_with_parent_fallback(tmp_path: Path, reg: Registry) -> None:
    # D1 given with only some of its sub-dimensions: D1 itself is used; D2..D6 from their subs
    rs = reg.get("papi", 2016)
    codes = [c.code for top in rs.nodes for c in top.children]
    header = "ruleset,year,unit,total,D1," + ",".join(codes) + "\n"
    values = {c: "1.5" for c in codes}
    values.update(
        {
            "D2.2": "2",
            "D2.3": "2",
            "D2.4": "2",
            "D3.1": "2",
            "D3.2": "2",
            "D3.4": "2",
            "D1.2": "",
            "D1.3": "",
        }
    )
    total = Decimal("5") + 6 + 6 + 3 * Decimal("6.0")  # D1 + D2 + D3 + D4..D6
    line = f"papi,2016,X,{total},5," + ",".join(values[c] for c in codes) + "\n"
    report = reproduce_file(_write(tmp_path, header + line), registry=reg)
    (r,) = report.rows
    assert r.status == "agree", r.reason
    assert r.computed_total == total
    assert r.components == 1 + 3 + 3 + 3 * 4
    assert r.tolerance == Decimal("0.05") * 19 + Decimal("0.05")


def test_unknown_code_and_mixed_views(tmp_path: Path, reg: Registry) -> None:
    f = _write(tmp_path, "ruleset,year,unit,total,9.9\nmoha.province,2020,A,90,1\n")
    (r,) = reproduce_file(f, registry=reg).rows
    assert r.status == "skipped" and "9.9 is not a node" in (r.reason or "")
    f = _write(tmp_path, "ruleset,year,unit,1,appraisal\nmoha.province,2020,A,5,50\n")
    (r,) = reproduce_file(f, registry=reg).rows
    assert r.status == "skipped" and "several views" in (r.reason or "")


def test_points_outside_a_derived_bound_are_a_source_conflict(
    tmp_path: Path, reg: Registry
) -> None:
    # issue 13: the sub-dimension range is derived, so the row is computed and the breach reported
    rs = reg.get("papi", 2016)
    codes = [c.code for top in rs.nodes for c in top.children]
    vals = ["1.5"] * len(codes)
    vals[codes.index("D2.2")] = "3.4"  # above 10/3
    f = _write(
        tmp_path, "ruleset,year,unit," + ",".join(codes) + "\npapi,2016,X," + ",".join(vals) + "\n"
    )
    (r,) = reproduce_file(f, registry=reg).rows
    assert r.status == "agree" and r.recomputed
    assert r.computed_total == Decimal("1.5") * (len(codes) - 1) + Decimal("3.4")
    (c,) = r.conflicts
    assert (c.node, c.value, c.status, c.rejects) == ("D2.2", "3.4", "derived", False)


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("ruleset,year,total\npapi,2016,30\n", 1, None, "missing column"),
        ("ruleset,year,unit,total\npapi,2016,X,abc\n", 2, "total", "expected a number"),
        ("ruleset,year,unit,D1\npapi,2016,X,1\npapi,20x6,Y,1\n", 3, "year", "whole number"),
        ("ruleset,year,unit,D1\npapi,2016,X,1\npapi,2016,X,2\n", 3, "unit", "appears twice"),
        ("ruleset,year,unit,rank\npapi,2016,X,0\n", 2, "rank", "rank"),
        ("ruleset,year,unit,D1,D1\npapi,2016,X,1,1\n", 1, None, "duplicated"),
        ("ruleset,year,unit,D1\npapi,2016,X,1,2\n", 2, None, "cells"),
        ("ruleset,year,unit,D1\npapi,2016,X,NaN\n", 2, "D1", "finite"),
    ],
)
def test_format_errors_are_located(
    tmp_path: Path, reg: Registry, text: str, line: int, field: str | None, message: str
) -> None:
    f = _write(tmp_path, text)
    with pytest.raises(CsvFormatError, match=message) as info:
        reproduce_file(f, registry=reg)
    err = info.value
    assert err.file == str(f) and err.line == line
    if field is not None:
        assert err.field == field


def test_not_utf8_names_the_line(tmp_path: Path, reg: Registry) -> None:
    f = tmp_path / "bad.csv"
    f.write_bytes(b"ruleset,year,unit,total\npapi,2016,X,30\npapi,2016,H\xe0 N\xf4i,31\n")
    with pytest.raises(CsvFormatError, match="UTF-8") as info:
        reproduce_file(f, registry=reg)
    assert info.value.line == 3


def test_cli_errors_are_one_line(
    tmp_path: Path, default_registry_with_datasets: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _write(tmp_path, "ruleset,year,unit,total\npapi,2016,X,abc\n")
    assert main(["reproduce", str(f)]) == 1
    err = capsys.readouterr().err
    assert f"{f}:2" in err and "total" in err and "Traceback" not in err
    assert main(["reproduce", "--dataset", "nope"]) == 1
    assert "unknown dataset 'nope'" in capsys.readouterr().err
    assert main(["reproduce"]) == 1
    assert main(["reproduce", str(tmp_path / "missing.csv")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_unknown_dataset_error(reg: Registry) -> None:
    with pytest.raises(ParindexError, match="datasets: "):
        reproduce_dataset("nope", registry=reg)


# ----------------------------------------------------------------------------- PAPI groups
def test_dimension_groups(reg: Registry) -> None:
    from parindex.analysis.reproduce import dimension_groups

    report = reproduce_dataset("papi-2011-2016", registry=reg)
    (t2016,) = dimension_groups(report, [2016])
    assert t2016.codes == ("D1", "D2", "D3", "D4", "D5", "D6", "total")
    assert len(t2016.points) == 63
    # best in D1 = the 16 provinces with the highest D1 (quartiles of 63 distinct values)
    d1 = {u: p["D1"] for u, p in t2016.points.items()}
    top16 = set(sorted(d1, key=lambda u: d1[u], reverse=True)[:16])
    assert {u for u, g in t2016.groups["D1"].groups.items() if g == "best"} == top16
    # the total's groups agree with the ones reproduce reports
    for r in report.checked:
        if r.row.year == 2016:
            assert t2016.groups["total"].groups[r.row.unit] == r.computed_group


def test_cli_papi_groups(
    default_registry_with_datasets: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["papi-groups", "--dataset", "papi-2011-2016", "--year", "2016", "--wide"]) == 0
    out = capsys.readouterr().out
    assert "group of total" in out and "does not publish" in out
    assert (
        main(
            [
                "papi-groups",
                "--dataset",
                "papi-2011-2016",
                "--year",
                "2016",
                "--format",
                "json",
                "--rule",
                "equal-counts",
            ]
        )
        == 0
    )
    (table,) = json.loads(capsys.readouterr().out)
    assert table["year"] == 2016 and table["counts"]["total"] == {
        "best": 16,
        "high-average": 16,
        "low-average": 16,
        "poor": 15,
    }
    assert main(["papi-groups", "--dataset", "par-2020-components"]) == 1


def test_published_papi_group_is_compared_loosely(tmp_path: Path, reg: Registry) -> None:
    rs = reg.get("papi", 2021)
    header = "ruleset,year,unit,group," + ",".join(d.code for d in rs.nodes) + "\n"
    lines = [
        f"papi,2021,P{i},{label}," + ",".join([str(2 + i)] * 8) + "\n"
        for i, label in enumerate(["Poor", "low average", "High_Average", "poor"])
    ]
    report = reproduce_file(_write(tmp_path, header + "".join(lines)), registry=reg)
    # totals 16, 24, 32, 40: quartile cuts 34, 28, 22 (type 7) → poor, low, high-average, best
    got = {r.row.unit: (r.computed_group, r.group_agrees) for r in report.rows}
    assert got == {
        "P0": ("poor", True),
        "P1": ("low-average", True),
        "P2": ("high-average", True),
        "P3": ("best", False),
    }
    assert report.disagreeing == 1
