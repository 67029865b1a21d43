"""The planning commands, run as a user would: gaps, targets, compare, report."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from pl_helpers import EXAMPLES, PLANNING, RS_2020, RS_2021, D
from test_pl_responsibility import MINIMAL

from parindex.cli.main import main

LS = str(PLANNING / "lang-son-2021.yaml")
RS = ["--ruleset", str(RS_2021)]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_gaps_by_agency_with_the_lang_son_map(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "gaps", LS, *RS, "--by", "agency", "--responsibility", "lang-son-2022"
    )
    assert code == 0, err
    lines = out.splitlines()
    for agency, lost in [  # points with the ruleset's 2 places (issue 18: one number style)
        ("Sở Nội vụ", "5.25"),
        ("Văn phòng UBND tỉnh", "2.00"),
        ("Sở Thông tin và Truyền thông", "2.00"),
        ("Sở Tài chính", "1.75"),
        ("Sở Kế hoạch và Đầu tư", "0.50"),
        ("Sở Tư pháp", "0.00"),
        ("not stated", "1.39"),
    ]:
        assert any(line.startswith(agency) and f" {lost} " in line for line in lines), agency
    assert "sum over agencies: 12.89 = points lost 12.89 ✓" in out


def test_gaps_csv_by_agency_adds_up(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "gaps",
        LS,
        *RS,
        "--by",
        "agency",
        "--responsibility",
        "lang-son-2022",
        "--format",
        "csv",
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sum(Decimal(r["lost"]) for r in rows) == D("12.89")


def test_gaps_reads_a_score_card_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    card = tmp_path / "card.json"
    assert main(["score", LS, *RS, "--format", "json", "-o", str(card)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "gaps", str(card), "--depth", "field", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["total_lost"] == "12.89"
    # fields lost: 1 1.75, 2 0, 3 2.5, 4 1.25, 5 2.25, 6 1.75, 7 1.5, 8 1.89 → 3 then 5
    assert [r["code"] for r in data["rows"]][:2] == ["3", "5"]
    assert data["rows"][0]["lost"] == "2.5"  # field 3: 14.5 − 12


def test_bad_score_card_json_names_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "card.json"
    bad.write_text('{\n  "unit": {"id": "x"},\n  "nodes": [,]\n}\n', encoding="utf-8")
    code, _, err = run(capsys, "gaps", str(bad))
    assert code == 1
    assert f"{bad}:3:" in err and "invalid JSON" in err


def test_bad_map_names_file_line_and_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(MINIMAL.replace('codes: ["F1.2.2"]', 'codes: ["F1"]'), encoding="utf-8")
    code, _, err = run(capsys, "gaps", LS, *RS, "--by", "agency", "--responsibility", str(path))
    assert code == 1
    assert f"{path}:13: [node F1]" in err and "assigned twice" in err


def test_targets_command_yen_bai(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "targets",
        str(EXAMPLES / "targets" / "yen-bai-2021.yaml"),
        "--scores",
        str(PLANNING / "yen-bai-2021.yaml"),
        str(PLANNING / "par-2021-synthetic.csv"),
        str(PLANNING / "yen-bai-2021-papi.yaml"),
        str(PLANNING / "papi-2021-synthetic.csv"),
        "--measures",
        str(PLANNING / "yen-bai-2021-measures.yaml"),
        *RS,
        "--wide",  # one line per row, as this test reads them (issue 18: tables fit the terminal)
    )
    assert code == 0, err
    assert "met: 1 of 6" in out
    rise = next(line for line in out.splitlines() if line.startswith("par-rank-rise "))
    assert "rank 25 of 63" in rise and "✗" in rise and " 0.55 " in rise
    assert "reach the 22nd highest key of the other units" in out
    assert any(
        line.startswith("par-rank-rise") and "7.2.1" in line and line.endswith("0.55")
        for line in out.splitlines()
    )


def test_compare_command_flags_rule_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "compare",
        str(PLANNING / "lang-son-2020.yaml"),
        LS,
        "--ruleset",
        str(RS_2020),
        *RS,
        "--format",
        "csv",
    )
    assert code == 0, err
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["3.4.1"]["delta"] == "-1" and rows["3.4.1"]["rules_changed"] == "True"
    assert rows["1.1"]["delta"] == "-1" and rows["1.1"]["rules_changed"] == "False"
    assert "2" not in rows  # unchanged nodes are left out unless --all


def test_report_command_writes_html_and_exports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "r.html"
    code, _, err = run(
        capsys,
        "report",
        LS,
        *RS,
        "--responsibility",
        "lang-son-2022",
        "--previous",
        str(PLANNING / "lang-son-2020.yaml"),
        "--ruleset",
        str(RS_2020),
        "-o",
        str(out_file),
        "--export",
        str(tmp_path / "x"),
    )
    assert code == 0, err
    html = out_file.read_text(encoding="utf-8")
    assert 'id="profile-chart"' in html and "<script" not in html
    assert (tmp_path / "x" / "agencies.csv").is_file()
    assert "exported 12 files" in err


def test_report_markdown_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", LS, *RS, "--format", "markdown")
    assert code == 0
    assert out.startswith("# Báo cáo chỉ số — Lạng Sơn 2021 · Index report — Lạng Sơn 2021")


def test_a_target_error_names_the_targets_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "targets_for: lang-son\nyear: 2021\nsource: {document: test}\ntargets:\n"
        "  - id: grp\n    kind: group\n    rulesets: example.province\n    at_least: Z\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "targets", str(path), "--scores", LS, *RS)
    assert code == 1
    # the example ruleset's groups are A, B, C: Z is on line 8 of the targets file
    assert f"{path}:8: [node grp]" in err and "has no group 'Z'" in err
