"""``parindex score --survey``: merge a fragment written by ``parindex survey -o DIR``.

By hand: appraised part TD 57.00 (examples/surveys/sonla-department-2023-appraised.yaml), survey
XHH 23.00 (see test_survey.py) → total 80.00; TD.2 is not applicable and excluded, so the
applicable maximum is 100 − 7 = 93 and the index 80 ÷ 93 × 100 = 86.021… → 86.02, group B.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from cli_options import EXAMPLES, REPO, Cli

PARAMS = REPO / "rulesets" / "sonla.department" / "params" / "2023.example.yaml"
APPRAISED = EXAMPLES / "surveys" / "sonla-department-2023-appraised.yaml"
MAP = ("--ruleset", "sonla.department", "--year", "2023", "--map", "sonla-department-xhh-example")


def test_survey_fragment_adds_the_survey_points(cli: Cli, tmp_path: Path) -> None:
    without = cli("score", APPRAISED, "--params", PARAMS, "--format", "json")
    assert without.code != 0 and "XHH" in without.err  # the survey leaf has no input
    survey = cli("survey", EXAMPLES / "surveys" / "sonla-answers.csv", *MAP, "-o", tmp_path)
    assert survey.code == 0
    fragment = tmp_path / "so-minh-hoa.yaml"
    got = cli("score", APPRAISED, "--survey", fragment, "--params", PARAMS, "--format", "json")
    assert got.code == 0, got.err
    card = json.loads(got.out)
    got_card = (Decimal(card["total"]), Decimal(card["index"]), card["group"])
    assert got_card == (Decimal(80), Decimal("86.02"), "B")
    points = {n["code"]: Decimal(n["points"]) for n in card["nodes"]}
    assert (points["XHH"], points["TD"]) == (Decimal(23), Decimal(57))
