"""What ``parindex reproduce`` prints: the same verdicts in the table, JSON and CSV (issue 13)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rp_helpers import write

from parindex import Registry
from parindex.analysis.reproduce import JSON_KEYS
from parindex.cli.main import main

#: The keys of the JSON rows before issue 13, which must stay, in this order, first.
OLD_KEYS = (
    "unit",
    "year",
    "ruleset",
    "published_total",
    "computed_total",
    "difference",
    "within_tolerance",
    "published_rank",
    "computed_rank",
    "published_group",
    "computed_group",
)

CASES = (
    "ruleset,year,unit,total,rank,appraisal,sipas,leaders,impact,D8.1\n"
    # agree; disagree (digits of the total swapped); checked (total only); skipped (no ruleset)
    "moha.province,2020,QN,91.04,1,57.66,9.56,18.83,5,\n"
    "moha.province,2020,HP,90.15,2,58.71,9.35,19.45,3,\n"
    "moha.province,2020,TTH,88.47,3,,,,,\n"
    "moha.province,2016,OLD,80.00,,,,,,\n"
)


def _conflict_file(tmp_path: Path) -> Path:
    codes = ["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8.1", "D8.2", "D8.3"]
    values = ["5.0"] * 7 + ["0.330000", "1.5", "1.5"]
    return write(
        tmp_path,
        "ruleset,year,unit," + ",".join(codes) + "\npapi,2021,P," + ",".join(values) + "\n",
        "papi.csv",
    )


def test_json_keeps_the_old_keys_and_adds_four(
    tmp_path: Path, cli_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (*OLD_KEYS, "status", "tolerance", "conflicts", "diagnosis") == JSON_KEYS
    f = write(tmp_path, CASES)
    assert main(["reproduce", str(f), "--format", "json"]) == 0
    captured = capsys.readouterr()
    rows = {o["unit"]: o for o in json.loads(captured.out)}
    assert all(tuple(o) == JSON_KEYS for o in rows.values())
    assert [rows[u]["status"] for u in ("QN", "HP", "TTH", "OLD")] == [
        "agree",
        "disagree",
        "checked",
        "skipped",
    ]
    assert rows["QN"]["tolerance"] == "0.025" and rows["QN"]["diagnosis"] is None
    assert rows["HP"]["diagnosis"].startswith("total: hypothesis: two transposed digits")
    assert rows["TTH"]["computed_total"] is None and rows["TTH"]["computed_rank"] == 3
    assert rows["OLD"]["computed_total"] is None and rows["OLD"]["conflicts"] == []
    assert captured.err.strip().splitlines()[-1] == (
        "rows: 4; recomputed: 2 (agreeing: 1, disagreeing: 1); checked only: 1; skipped: 1"
        " (1 no moha.province ruleset for the year); source conflicts: 0"
    )
    assert main(["reproduce", str(f), "--strict", "-f", "json"]) == 1


def test_conflicts_are_objects_in_json_and_text_in_csv_and_table(
    tmp_path: Path, cli_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _conflict_file(tmp_path)
    assert main(["reproduce", str(f), "--format", "json"]) == 0
    (obj,) = json.loads(capsys.readouterr().out)
    (c,) = obj["conflicts"]
    assert {k: c[k] for k in ("kind", "node", "value", "status", "rejects")} == {
        "kind": "rule",
        "node": "D8.1",
        "value": "0.330000",
        "status": "derived",
        "rejects": False,
    }
    assert obj["status"] == "agree"
    assert main(["reproduce", str(f), "--format", "csv"]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert list(row) == [*JSON_KEYS, "reason"]
    assert row["status"] == "agree" and row["conflicts"].startswith("D8.1: points 0.330000")
    assert "[derived bound, source conflict; source: " in row["conflicts"]
    assert main(["reproduce", str(f), "--wide"]) == 0  # one line per row
    out = capsys.readouterr().out
    assert "agree; 1 source conflict" in out
    assert "source conflicts (1):\n  line 2 P 2021: D8.1: points 0.330000" in out
    assert out.rstrip().splitlines()[-1].endswith("; source conflicts: 1")


def test_the_table_lists_the_diagnoses(
    tmp_path: Path, cli_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reproduce", str(write(tmp_path, CASES))]) == 0
    out = capsys.readouterr().out
    assert "diagnosis of each disagreement (hypotheses, not corrections):" in out
    assert "  line 3 HP 2020: total: hypothesis: two transposed digits" in out


def test_a_sidecar_can_be_given_instead_of_the_csv(
    tmp_path: Path, cli_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, CASES, "d.csv")
    side = write(tmp_path, "name: d\ntitle: my figures\nfile: d.csv\n", "d.dataset.yaml")
    assert main(["reproduce", str(side)]) == 0
    assert capsys.readouterr().out.startswith("dataset d: my figures")
