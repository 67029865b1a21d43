"""``parindex survey``: --format, --output (one fragment per unit), --force, --check-respondents.

By hand (examples/surveys/sonla-department-2023-appraised.yaml): civil servants' mean 4.2,
citizens' 3.8, weighted 2 : 1 → 61/15 = 4.0666…; (61/15 − 1) ÷ 4 × 30 = 23.00 points for XHH.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import yaml
from cli_options import EXAMPLES, Cli

ANSWERS = EXAMPLES / "surveys" / "sonla-answers.csv"
MAP = ("--ruleset", "sonla.department", "--year", "2023", "--map", "sonla-department-xhh-example")


def _check_fragment(data: dict[str, object]) -> None:
    assert data["kind"] == "survey-points" and data["unit"] == {"id": "so-minh-hoa"}
    assert data["inputs"] == {"XHH": {"points": "23.00"}}
    assert data["answers"] == {"file": str(ANSWERS), "respondents": 5, "answers": 25}
    steps = data["steps"]
    assert isinstance(steps, dict) and steps["XHH"]["value_exact"] == "61/15"


def test_format_json_and_yaml_print_every_fragment(cli: Cli) -> None:
    table = cli("survey", ANSWERS, *MAP)
    assert table.code == 0
    row = next(line.split() for line in table.out.splitlines() if line.startswith("so-minh-hoa"))
    assert row[:6] == ["so-minh-hoa", "5", "XHH", "4.07", "points", "23.00"]
    as_json = cli("survey", ANSWERS, *MAP, "--format", "json")
    assert as_json.code == 0
    (fragment,) = json.loads(as_json.out)
    _check_fragment(fragment)
    as_yaml = cli("survey", ANSWERS, *MAP, "--format", "yaml")
    assert as_yaml.code == 0
    docs = [d for d in yaml.safe_load_all(as_yaml.out) if d]
    flat = docs[0] if isinstance(docs[0], dict) else docs[0][0]
    _check_fragment(flat)


def test_output_writes_one_fragment_per_unit_and_force_replaces_a_read_only_one(
    cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "points"
    assert cli("survey", ANSWERS, *MAP, "--output", out).code == 0
    assert sorted(p.name for p in out.iterdir()) == ["so-minh-hoa.yaml"]
    fragment = out / "so-minh-hoa.yaml"
    _check_fragment(yaml.safe_load(fragment.read_text(encoding="utf-8")))

    assert cli("survey", ANSWERS, *MAP, "--output", out, "--format", "json").code == 0
    _check_fragment(json.loads((out / "so-minh-hoa.json").read_text(encoding="utf-8")))

    fragment.write_text("stale\n", encoding="utf-8")
    os.chmod(fragment, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    refused = cli("survey", ANSWERS, *MAP, "--output", out)
    assert refused.code != 0 and "read-only" in refused.err
    assert fragment.read_text(encoding="utf-8") == "stale\n"
    assert cli("survey", ANSWERS, *MAP, "--output", out, "--force").code == 0
    _check_fragment(yaml.safe_load(fragment.read_text(encoding="utf-8")))


def test_check_respondents_refuses_a_respondent_split_across_the_file(
    cli: Cli, tmp_path: Path
) -> None:
    lines = ANSWERS.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("c1,")
    split = tmp_path / "split.csv"
    # c1's first answer moved to the end: c1 is then two blocks of rows
    split.write_text("\n".join([lines[0], *lines[2:], lines[1]]) + "\n", encoding="utf-8")

    loose = cli("survey", split, *MAP)
    assert loose.code == 0
    row = next(line.split() for line in loose.out.splitlines() if line.startswith("so-minh-hoa"))
    assert row[1] == "6"  # five people, counted as six
    strict = cli("survey", split, *MAP, "--check-respondents")
    assert strict.code != 0 and strict.out == ""
    assert f"split.csv:{len(lines)}:" in strict.err and "'c1'" in strict.err
    assert cli("survey", ANSWERS, *MAP, "--check-respondents").code == 0
