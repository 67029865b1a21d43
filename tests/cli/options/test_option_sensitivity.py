"""``parindex sensitivity``: --ties, --decimals, --tier-sd, --ruleset, --params, --limit, --output,
--force.

Fixtures, by hand: the 2017 example with field 3 at 13 (appraised only) scores 87.75; with field 1
at 9 it scores 87.25 (units a and b, tied) and at 8 86.25 (unit c). A made-up tiers ruleset gives
2 points at a measure ≥ 90 and 1 in [70, 90): unit t1 (measure 90) scores 2 + 5 = 7, t2 (88) 6.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from cli_options import EXAMPLES, REPO, Cli

TIERS = """\
id: demo.tiers
version: "1"
years: [2024]
unit_kind: province
source: {document: "illustrative"}
nodes:
  - code: "1"
    title: a
    maximum: 2
    rule:
      kind: tiers
      bands:
        - {min: 90, points: 2}
        - {min: 70, max: 90, max_inclusive: false, points: 1}
        - {max: 70, max_inclusive: false, points: 0}
  - {code: "2", title: b, maximum: 8}
"""


def _three(tmp_path: Path) -> list[Path]:
    text = (EXAMPLES / "moha-2017-example.yaml").read_text(encoding="utf-8")
    text = re.sub(r'  "3":\n    self: .*\n    appraised: .*\n', '  "3": 13\n', text)
    out = []
    for unit, field_1 in (("a", "9"), ("b", "9"), ("c", "8")):
        path = tmp_path / f"{unit}.yaml"
        path.write_text(
            text.replace("id: tinh-minh-hoa", f"id: {unit}").replace(
                '  "1": 9.5\n', f'  "1": {field_1}\n'
            ),
            encoding="utf-8",
        )
        out.append(path)
    return out


def _tiers(tmp_path: Path) -> tuple[Path, list[Path]]:
    ruleset = tmp_path / "tiers.yaml"
    ruleset.write_text(TIERS, encoding="utf-8")
    units = []
    for unit, measure in (("t1", 90), ("t2", 88)):
        path = tmp_path / f"{unit}.yaml"
        inputs = f'inputs:\n  "1": {{measure: {measure}}}\n  "2": 5\n'
        path.write_text(
            f"ruleset: demo.tiers\nyear: 2024\nunit: {unit}\n{inputs}", encoding="utf-8"
        )
        units.append(path)
    return ruleset, units


def _json(cli: Cli, *argv: Any) -> dict[str, Any]:
    got = cli("sensitivity", *argv, "--format", "json")
    assert got.code == 0, got.err
    data: dict[str, Any] = json.loads(got.out)
    return data


def _ranks(data: dict[str, Any]) -> list[tuple[str, int, float, int, int]]:
    return [
        (u["unit"], u["base_rank"], u["median_rank"], u["rank_p05"], u["rank_p95"])
        for u in data["units"]
    ]


def test_ties_sets_the_tie_rule(cli: Cli, tmp_path: Path) -> None:
    units = _three(tmp_path)
    assert [u[:3] for u in _ranks(_json(cli, *units, "--draws", "5"))] == [
        ("a", 1, 1.0),
        ("b", 1, 1.0),
        ("c", 3, 3.0),
    ]
    dense = _json(cli, *units, "--draws", "5", "--ties", "dense")
    assert dense["ties"] == "dense"
    assert [u[:3] for u in _ranks(dense)] == [("a", 1, 1.0), ("b", 1, 1.0), ("c", 2, 2.0)]


def test_decimals_sets_the_grid_of_perturbed_values(cli: Cli, tmp_path: Path) -> None:
    units = _three(tmp_path)
    # field 1 is 9 for a and b: 9 ± a tenth, on a grid of whole points, is 9 again (the tie stays)
    coarse = _json(cli, *units, "--se", "1=0.1", "--draws", "200", "--decimals", "0")
    assert "perturbed values on a grid of 0 decimal places" in " ".join(coarse["perturbations"])
    assert _ranks(coarse) == [("a", 1, 1.0, 1, 1), ("b", 1, 1.0, 1, 1), ("c", 3, 3.0, 3, 3)]
    fine = _json(cli, *units, "--se", "1=0.1", "--draws", "200", "--decimals", "4")
    got = {u[0]: u for u in _ranks(fine)}
    assert got["a"][3:] == got["b"][3:] == (1, 2)  # the tie breaks either way
    assert got["c"][1:] == (3, 3.0, 3, 3)


def test_tier_sd_moves_the_tier_cut_points(cli: Cli, tmp_path: Path) -> None:
    ruleset, units = _tiers(tmp_path)
    still = _json(cli, *units, "--ruleset", ruleset, "--draws", "200")
    assert still["perturbed_codes"] == []
    assert _ranks(still) == [("t1", 1, 1.0, 1, 1), ("t2", 2, 2.0, 2, 2)]
    assert [u["base_total"] for u in still["units"]] == ["7.00", "6.00"]
    for sd in ("5", "1=5"):
        moved = _json(cli, *units, "--ruleset", ruleset, "--draws", "200", "--tier-sd", sd)
        assert moved["perturbed_codes"] == ["1"]
        # the cut at 90 drawn below 88 or above 90 ties the two units
        assert _ranks(moved) == [("t1", 1, 1.0, 1, 1), ("t2", 2, 1.0, 1, 2)]


def test_ruleset_is_needed_for_a_ruleset_no_plugin_provides(cli: Cli, tmp_path: Path) -> None:
    _, units = _tiers(tmp_path)
    refused = cli("sensitivity", *units, "--draws", "5")
    assert refused.code == 1 and "demo.tiers" in refused.err


SONLA = """\
ruleset: sonla.department
year: 2023
unit: so-minh-hoa
inputs:
  TD.1: 7.5
  TD.2: not_applicable
  TD.3: 9.25
  TD.4: 6.5
  TD.5: 9
  TD.6: 5.75
  TD.7: 8.5
  TD.8: 10.5
  XHH: 26.4
"""


def test_params_give_the_index(cli: Cli, tmp_path: Path) -> None:
    # the appraised figures of examples/sonla-department-2023.yaml: 57 + 26.4 = 83.40 points
    unit = tmp_path / "sonla.yaml"
    unit.write_text(SONLA, encoding="utf-8")
    params = REPO / "rulesets" / "sonla.department" / "params" / "2023.example.yaml"
    plain = _json(cli, unit, "--draws", "5")
    (row,) = plain["units"]
    assert (row["base_total"], row["base_index"], plain["ranked_by"]) == ("83.40", None, "total")
    # 83.40 of the applicable 100 − 7 = 93 (TD.2 excluded) = 89.677… → 89.68, group B (70–<90)
    got = _json(cli, unit, "--params", params, "--draws", "5")
    (row,) = got["units"]
    assert (row["base_total"], row["base_index"], row["base_group"]) == ("83.40", "89.68", "B")
    assert got["ranked_by"] == "index"


def test_limit_caps_the_units_in_the_chart(cli: Cli, tmp_path: Path) -> None:
    ruleset, units = _tiers(tmp_path)
    full, one = tmp_path / "full.svg", tmp_path / "one.svg"
    base = ("sensitivity", *units, "--ruleset", ruleset, "--draws", "20")
    assert cli(*base, "--svg", full).code == 0
    assert cli(*base, "--svg", one, "--limit", "1").code == 0
    labels = re.compile(r'text-anchor="end">(\d+\. \w+)</text>')
    assert labels.findall(full.read_text(encoding="utf-8")) == ["1. t1", "2. t2"]
    assert labels.findall(one.read_text(encoding="utf-8")) == ["1. t1"]
    assert "first 1 of 2 units by base rank" in one.read_text(encoding="utf-8")


def test_output_and_force(cli: Cli, tmp_path: Path) -> None:
    ruleset, units = _tiers(tmp_path)
    out = tmp_path / "table.json"
    argv = (
        "sensitivity",
        *units,
        "--ruleset",
        ruleset,
        "--draws",
        "5",
        "-f",
        "json",
        "--output",
        out,
    )
    got = cli(*argv)
    assert got.code == 0 and got.out == ""
    assert [u["unit"] for u in json.loads(out.read_text(encoding="utf-8"))["units"]] == ["t1", "t2"]
    out.write_text("{}", encoding="utf-8")
    os.chmod(out, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    refused = cli(*argv)
    assert refused.code == 1 and "read-only" in refused.err
    assert out.read_text(encoding="utf-8") == "{}"
    assert cli(*argv, "--force").code == 0
    assert [u["unit"] for u in json.loads(out.read_text(encoding="utf-8"))["units"]] == ["t1", "t2"]
