"""``parindex reproduce``: --papi-groups (the PAPI cut rule) and --verbose (every row's notes).

Six synthetic PAPI 2021 rows, D2..D8 at 5 each and D1 = 10, 5, 4, 3, 2, 1: totals 45, 40, 39, 38,
37, 36. By hand:
- quartiles (type 7, h = 5p): Q1 = 37.25, Q2 = 38.5, Q3 = 39.75 → best 45, 40; high 39; low 38;
  poor 37, 36;
- equal-counts, ⌊(rank − 1) × 4 ÷ 6⌋ → 0, 0, 1, 2, 2, 3: 37 is low-average;
- equal-width on [36, 45], width 2.25: cuts 38.25, 40.5, 42.75 → best 45; low 40, 39; poor 38..36.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_options import Cli

BEST, HIGH, LOW, POOR = "best", "high-average", "low-average", "poor"


@pytest.mark.parametrize(
    ("rule", "groups"),
    [
        (None, [BEST, BEST, HIGH, LOW, POOR, POOR]),
        ("quartiles", [BEST, BEST, HIGH, LOW, POOR, POOR]),
        ("equal-counts", [BEST, BEST, HIGH, LOW, LOW, POOR]),
        ("equal-width", [BEST, LOW, LOW, POOR, POOR, POOR]),
    ],
)
def test_papi_groups_rule(cli: Cli, tmp_path: Path, rule: str | None, groups: list[str]) -> None:
    rows = ["ruleset,year,unit,D1,D2,D3,D4,D5,D6,D7,D8"]
    rows += [f"papi,2021,p{i + 1},{d},5,5,5,5,5,5,5" for i, d in enumerate([10, 5, 4, 3, 2, 1])]
    data = tmp_path / "papi.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    extra = () if rule is None else ("--papi-groups", rule)
    got = cli("reproduce", data, *extra, "--format", "json")
    assert got.code == 0, got.err
    out = json.loads(got.out)
    assert [r["computed_total"] for r in out] == ["45", "40", "39", "38", "37", "36"]
    assert [r["computed_group"] for r in out] == groups


def test_verbose_shows_each_rows_notes(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # one line per row, the notes unwrapped

    # Quảng Ninh 2020: 57.66 + 9.56 + 18.83 + 5 = 91.05 against the published 91.04; tolerance
    # 4 × 0.005 + 0.005 = 0.025 (domain.md §2)
    note = "group not checked: moha.province 2020 publishes no group bands"

    def run(*extra: str) -> tuple[str, list[str]]:
        got = cli("reproduce", "--dataset", "par-2020-components", *extra)
        assert got.code == 0
        line = next(line for line in got.out.splitlines() if "Quảng Ninh" in line)
        return got.out, line.rstrip().split(None, 11)

    same = ["2", "Quảng", "Ninh", "2020", "91.04", "91.05", "0.01", "0.025", "yes", "1/1", "A/—"]
    plain, row = run()
    assert row == [*same, "agree"] and note not in plain
    verbose, row = run("--verbose")
    # the row's note, in its status cell or as a footnote the cell points to
    assert row[:11] == same and row[11].startswith("agree")
    assert note in verbose
