"""The command line on the built-in rulesets and the examples."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from rs_helpers import REPO


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "250", "PARINDEX_LOCALE": "en"}
    return subprocess.run(
        [sys.executable, "-m", "parindex.cli.main", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_show_moha_2017_lists_the_eight_maxima_and_the_source():
    out = run("show", "moha.province", "--year", "2017")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "2948/QĐ-BNV" in text
    assert "2017-12-28" in text
    assert "https://bonoivu.cls.vn/BoNoiVuTemplate/ChiTietKhoaHoc/22610" in text
    maxima = {
        "1": "10",
        "2": "10",
        "3": "14.5",
        "4": "11",
        "5": "16",
        "6": "7",
        "7": "16",
        "8": "15.5",
    }
    for code, maximum in maxima.items():
        # a table row: the code, its title, then the maximum as its own column
        row = re.compile(rf"^\s*{code}\s+\S.*?\s{re.escape(maximum)}\s+appraisal\b", re.M)
        assert row.search(text), f"no row for field {code} with maximum {maximum}:\n{text}"


@pytest.mark.parametrize(
    "path",
    [
        "rulesets/moha.province/2017.yaml",
        "rulesets/moha.province/2018.yaml",
        "rulesets/moha.province/2020.yaml",
        "rulesets/moha.province/2021.yaml",
        "rulesets/moha.province/2022.yaml",
        "rulesets/moha.province/2024.yaml",
        "rulesets/sonla.department/2021.yaml",
        "rulesets/sonla.district/2021.yaml",
        "rulesets/sonla.department/params/2023.example.yaml",
        "examples/ca-mau-2013/ruleset.yaml",
        "examples/moha-2017-example.yaml",
        "examples/moha-2020-quang-ninh.yaml",
        "examples/sonla-department-2023.yaml",
    ],
)
def test_validate(path):
    out = run("validate", path)
    assert out.returncode == 0, out.stdout + out.stderr


def test_score_sonla_example_with_parameters():
    out = run(
        "score",
        "examples/sonla-department-2023.yaml",
        "--params",
        "rulesets/sonla.department/params/2023.example.yaml",
    )
    assert out.returncode == 0, out.stderr
    # 83.40 of 93 → 89.68, group B (worked out in test_rs_sonla.py)
    assert "83.40" in out.stdout and "89.68" in out.stdout
    assert re.search(r"Group:\s*B\b", out.stdout)


def test_score_camau_example_with_its_ruleset_file():
    out = run(
        "score",
        "examples/ca-mau-2013/assessment.yaml",
        "--ruleset",
        "examples/ca-mau-2013/ruleset.yaml",
    )
    assert out.returncode == 0, out.stderr
    assert "14.25" in out.stdout  # field 1: 3.5 + 1 + 2.5 + 7.25


def test_sonla_2026_is_refused_with_the_years():
    out = run("show", "sonla.department", "--year", "2026")
    assert out.returncode == 1
    assert "2021, 2022, 2023, 2024, 2025" in out.stderr
