"""``parindex sipas``: --framework, --denominator, --element, --index, --rounding (and --places).

A made-up framework: element E1 (items A, B; "in general" E1.G), E2 (item C; E2.G), overall G.
Three respondents; satisfied = levels 4, 5. By hand:
  A 2/3 → 200/3 %; B 1 of 2 valid (one blank) → 50 % (of all 3: 100/3 %); C 2/3 → 200/3 %;
  E1.G 2/3 → 200/3 %; E2.G 1/3 → 100/3 %; G 1/3 → 100/3 %.
  default: E1 = (200/3 + 50) ÷ 2 = 175/3 (58.33), E2 = 200/3 (66.67), index = 125/2 (62.50);
  all answers: E1 = 50, index = (50 + 200/3) ÷ 2 = 175/3 (58.33);
  general items: E1 = 200/3, E2 = 100/3, index 50;
  mean of items: (200/3 + 50 + 200/3) ÷ 3 = 550/9 (61.11); overall item: 100/3 (33.33);
  62.5 to 0 places: 63 half-up, 62 half-even; 175/3 up to 2 places: 58.34.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_options import Cli

FRAMEWORK = """\
id: sipas.tiny
title: A two-element test survey
source: "illustrative"
status: unverified
levels: 5
overall_item: G
elements:
  - {code: E1, en: First, vi: Một, general_item: E1.G, items: [{code: A, en: a}, {code: B, en: b}]}
  - {code: E2, en: Second, vi: Hai, general_item: E2.G, items: [{code: C, en: c}]}
"""
ANSWERS = {
    "r1": {"A": "5", "B": "4", "C": "2", "E1.G": "5", "E2.G": "3", "G": "4"},
    "r2": {"A": "4", "B": "2", "C": "5", "E1.G": "4", "E2.G": "5", "G": "2"},
    "r3": {"A": "3", "B": "", "C": "4", "E1.G": "2", "E2.G": "3", "G": "2"},
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    framework = tmp_path / "framework.yaml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    answers = tmp_path / "answers.csv"
    rows = ["respondent,unit,item,answer"]
    rows += [f"{r},u,{item},{a}" for r, items in ANSWERS.items() for item, a in items.items()]
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return framework, answers


def _unit(cli: Cli, files: tuple[Path, Path], *options: str) -> dict[str, Any]:
    framework, answers = files
    got = cli("sipas", answers, "--framework", framework, *options, "--format", "json")
    assert got.code == 0, got.err
    data = json.loads(got.out)
    assert data["framework"] == "sipas.tiny"
    (unit,) = data["units"]
    return {
        "index": (unit["index"], unit["index_exact"]),
        **{code: (e["percent"], e["exact"]) for code, e in unit["elements"].items()},
    }


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ((), {"index": ("62.50", "125/2"), "E1": ("58.33", "175/3"), "E2": ("66.67", "200/3")}),
        (
            ("--denominator", "all"),
            {"index": ("58.33", "175/3"), "E1": ("50.00", "50/1"), "E2": ("66.67", "200/3")},
        ),
        (
            ("--element", "general_item"),
            {"index": ("50.00", "50/1"), "E1": ("66.67", "200/3"), "E2": ("33.33", "100/3")},
        ),
        (
            ("--index", "mean_of_items"),
            {"index": ("61.11", "550/9"), "E1": ("58.33", "175/3"), "E2": ("66.67", "200/3")},
        ),
        (
            ("--index", "overall_item"),
            {"index": ("33.33", "100/3"), "E1": ("58.33", "175/3"), "E2": ("66.67", "200/3")},
        ),
        (
            ("--places", "0"),
            {"index": ("63", "125/2"), "E1": ("58", "175/3"), "E2": ("67", "200/3")},
        ),
        (
            ("--places", "0", "--rounding", "half_even"),
            {"index": ("62", "125/2"), "E1": ("58", "175/3"), "E2": ("67", "200/3")},
        ),
        (
            ("--rounding", "up"),
            {"index": ("62.50", "125/2"), "E1": ("58.34", "175/3"), "E2": ("66.67", "200/3")},
        ),
    ],
)
def test_formula_options(
    cli: Cli, files: tuple[Path, Path], options: tuple[str, ...], expected: dict[str, Any]
) -> None:
    assert _unit(cli, files, *options) == expected


def test_the_builtin_framework_refuses_items_it_does_not_have(
    cli: Cli, files: tuple[Path, Path]
) -> None:
    got = cli("sipas", files[1])
    assert got.code == 1 and "answers.csv" in got.err
