"""``rank --within region``: ranks recomputed inside each region, checked against an independent
grouping of the published 2020 components (regions read straight from the shipped YAML)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from parindex.cli.main import main

REPO = Path(__file__).resolve().parents[2]
CSV = REPO / "examples" / "history" / "par-2020-top10-components.csv"
REGIONS = REPO / "plugins" / "parindex_vn" / "regions" / "vn-regions-2023.yaml"


def test_rank_within_region(capsys: pytest.CaptureFixture[str]) -> None:
    regions = yaml.safe_load(REGIONS.read_text(encoding="utf-8"))["regions"]
    region_of = {p: r["code"] for r in regions for p in r["provinces"]}
    sizes = {r["code"]: len(r["provinces"]) for r in regions}
    totals: dict[str, list[tuple[Decimal, str]]] = {}
    with CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            total = sum(Decimal(row[c]) for c in ("appraisal", "sipas", "leaders", "impact"))
            totals.setdefault(region_of[row["unit"]], []).append((total, row["unit"]))
    assert main(["rank", str(CSV), "--within", "region", "-f", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert {g["region"] for g in got} == set(totals)
    for group in got:
        expected = [u for _, u in sorted(totals[group["region"]], reverse=True)]
        assert [e["unit"] for e in group["entries"]] == expected
        assert [e["rank"] for e in group["entries"]] == list(range(1, len(expected) + 1))
        assert group["provinces"] == sizes[group["region"]]
    dbsh = next(g for g in got if g["region"] == "DBSH")
    assert dbsh["entries"][0]["text"].startswith("rank 1 of the 3 ranked here")


def test_unit_in_no_region_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.csv"
    text = CSV.read_text(encoding="utf-8").replace("Phú Thọ,Phú Thọ", "Atlantis,Atlantis")
    bad.write_text(text, encoding="utf-8")
    assert main(["rank", str(bad), "--within", "region"]) == 1
    assert "Atlantis" in capsys.readouterr().err
