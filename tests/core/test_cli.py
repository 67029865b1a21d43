"""The command line, run as a user would: exit codes, output, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parindex.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parindex.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_rulesets_lists_builtin() -> None:
    out = run("rulesets")
    assert out.returncode == 0, out.stderr
    assert "moha.province" in out.stdout and "sonla.department" in out.stdout


def test_score_with_explicit_ruleset_file_prints_tree_total_index_group() -> None:
    out = run("score", str(FIXTURES / "assessment.yaml"), "--ruleset", str(FIXTURES / "small.yaml"))
    assert out.returncode == 0, out.stderr
    assert "Total: 14.45 / 20" in out.stdout and "Index: 72.25" in out.stdout
    assert "Group: B" in out.stdout and "UNVERIFIED" in out.stdout


def test_score_json_has_the_fields() -> None:
    out = run(
        "score",
        str(FIXTURES / "assessment.yaml"),
        "--ruleset",
        str(FIXTURES / "small.yaml"),
        "--format",
        "json",
    )
    data = json.loads(out.stdout)
    for key in (
        "total",
        "index",
        "group",
        "nodes",
        "receipt",
        "unverified",
        "self_total",
        "appraised_total",
    ):
        assert key in data
    assert data["total"] == "14.45" and data["group"] == "B"
    assert data["receipt"]["ruleset_id"] == "test.small"
    node = next(n for n in data["nodes"] if n["code"] == "1.2")
    assert node["trace"]["matched"] == "[70, 90]"


def test_vietnamese_locale_uses_decimal_comma() -> None:
    out = run(
        "--locale",
        "vi",
        "score",
        str(FIXTURES / "assessment.yaml"),
        "--ruleset",
        str(FIXTURES / "small.yaml"),
    )
    assert "Tổng điểm: 14,45 / 20" in out.stdout and "Chỉ số: 72,25" in out.stdout


def test_validate_reports_file_and_code_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("maximum: 8\n", "maximum: 9\n", 1), encoding="utf-8")
    out = run("validate", str(bad))
    assert out.returncode == 1
    assert str(bad) in out.stderr and "[node 1]" in out.stderr
    assert "Traceback" not in out.stderr


def test_validate_good_file() -> None:
    out = run("validate", str(FIXTURES / "small.yaml"))
    assert out.returncode == 0 and "valid ruleset" in out.stdout


def test_year_not_covered_lists_years() -> None:
    out = run("show", "sonla.department", "--year", "2026")
    assert out.returncode == 1
    assert "2021, 2022, 2023, 2024, 2025" in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_file_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "no/such/file.yaml"]) == 1
    err = capsys.readouterr().err
    assert "no/such/file.yaml" in err and "file not found" in err


def test_explain_names_rule_and_source() -> None:
    out = run(
        "explain",
        str(FIXTURES / "assessment.yaml"),
        "1.2",
        "--ruleset",
        str(FIXTURES / "small.yaml"),
    )
    assert out.returncode == 0, out.stderr
    assert "measure 90 in band [70, 90] → 1" in out.stdout
    assert "TEST/QĐ" in out.stdout


def test_schema_includes_rule_kinds() -> None:
    out = run("schema", "ruleset")
    schema = json.loads(out.stdout)
    assert "rule_tiers" in schema["$defs"] and "rule_choice" in schema["$defs"]
