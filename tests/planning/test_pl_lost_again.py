"""Last year's card in `gaps` and `report` (what was lost again), and the what-if's lead agency.

Expected values come from the by-hand lists in the comments of examples/planning/lang-son-2020.yaml
and lang-son-2021.yaml (and tests/planning/test_pl_agency.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pl_helpers import PLANNING, RS_2020, RS_2021, D, example_cards

from parindex.analysis.planning.evaluate import evaluate
from parindex.analysis.planning.gaps import gaps
from parindex.analysis.planning.responsibility import NOT_STATED, find_map
from parindex.analysis.planning.targets import targets_from_data
from parindex.cli.main import main

LS20, LS21 = str(PLANNING / "lang-son-2020.yaml"), str(PLANNING / "lang-son-2021.yaml")
RS = ["--ruleset", str(RS_2021), "--ruleset", str(RS_2020)]

# 2020 lost (lang-son-2020.yaml): 1.3.2 1.5, 3.2.6 0.75, 3.4.2 2, 4.1.2 1.25, 5.5.2 1.5, 5.7.2 1,
# 6.1.1 1.5, 6.3.1 0.5, 6.3.4 0.5, 7.1.9 0.6, 7.2.1 2, 8.1 1.603, 8.2 0.4, 8.3.1 0.5. Every one of
# them lost points again in 2021; 1.1, 3.4.1, 5.3.1 and 6.1.3 lost points in 2021 only.
AGAIN_2021 = {  # what they lost in 2021 (test_pl_agency's list)
    "1.3.2": "0.75", "3.2.6": "0.5", "3.4.2": "1", "4.1.2": "1.25", "5.5.2": "0.75",
    "5.7.2": "0.5", "6.1.1": "0.5", "6.3.1": "0.5", "6.3.4": "0.25", "7.1.9": "0.5",
    "7.2.1": "1", "8.1": "1.293", "8.2": "0.097", "8.3.1": "0.5",
}  # fmt: skip


def test_gaps_with_last_years_card_mark_what_was_lost_again() -> None:
    card21, card20 = example_cards("lang-son-2021.yaml", "lang-son-2020.yaml",
                                   rulesets=(RS_2021, RS_2020))  # fmt: skip
    report = gaps(card21, None, card20)
    assert report.previous_year == 2020
    assert {g.code: g.lost for g in report.again} == {k: D(v) for k, v in AGAIN_2021.items()}
    # 0.75 + 0.5 + 1 + 1.25 + 0.75 + 0.5 + 0.5 + 0.5 + 0.25 + 0.5 + 1 + 1.293 + 0.097 + 0.5
    assert report.lost_again == D("9.39")
    row = {g.code: g for g in report.rows}
    assert row["3.4.2"].lost_before == D("2") and row["8.1"].lost_before == D("1.603")
    assert row["1.1"].lost_before == D("0") and not row["1.1"].again
    assert row["6.1.3"].lost_before is None  # not a node of the 2020 table
    assert "lost again (also lost in 2020): 14 of 18 node(s), 9.39 points this year" in (
        report.notes
    )
    plain = gaps(card21)
    assert plain.previous_year is None and plain.again == ()


def test_gaps_previous_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", LS21, *RS, "--previous", LS20, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(",lost_before,again")
    rows = {line.split(",")[0]: line for line in lines[1:]}
    assert rows["3.4.2"].endswith(",2,True") and rows["5.3.1"].endswith(",0,False")


def test_report_previous_shows_the_gaps_lost_again(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", LS21, *RS, "--previous", LS20, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "Lost again (also lost in 2020): 14 node(s), 9.39 points this year." in out
    assert "Mất điểm lại · Lost again" in out  # the gaps table's column


def _index_target(at_least: str) -> object:
    return targets_from_data(
        {
            "targets_for": "lang-son",
            "year": 2021,
            "source": {"document": "test plan"},
            "targets": [
                {"id": "up", "kind": "value", "rulesets": "example.province", "at_least": at_least}
            ],
        }
    )


def test_whatif_rows_name_their_lead_agency() -> None:
    (card,) = example_cards("lang-son-2021.yaml")
    # index 87.11 of 100 → 88.61 needs 1.5 points: the largest lost first, 8.1 (1.293, via
    # field 8, which the Lạng Sơn plan gives to no agency) then 4.1.2 (1.25 lost, 0.207 taken,
    # Sở Nội vụ: field 4)
    report = evaluate(_index_target("88.61"), [card], responsibility=find_map("lang-son-2022"))
    (r,) = report.results
    assert r.plan is not None
    got = [(x.code, x.take, x.lead) for x in r.plan.recover]
    assert got == [("8.1", D("1.293"), NOT_STATED), ("4.1.2", D("0.207"), "Sở Nội vụ")]
    # no map: the example table names no lead_agency, so neither is stated
    (bare,) = evaluate(_index_target("88.61"), [card]).results
    assert bare.plan is not None and {x.lead for x in bare.plan.recover} == {NOT_STATED}


def test_targets_responsibility_and_section_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = tmp_path / "t.yaml"
    spec.write_text(
        "targets_for: lang-son\nyear: 2021\nsource: {document: test plan}\ntargets:\n"
        "  - {id: up, kind: value, rulesets: example.province, at_least: 88.61}\n",
        encoding="utf-8",
    )
    base = ["targets", str(spec), "--scores", LS21, "--ruleset", str(RS_2021)]
    assert main([*base, "--responsibility", "lang-son-2022", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    leads = [x["lead"] for x in data["results"][0]["plan"]["recover"]]
    assert leads == [NOT_STATED, "Sở Nội vụ"]
    assert main([*base, "--responsibility", "lang-son-2022", "--section", "nope"]) == 1
    assert "has no section 'nope'" in capsys.readouterr().err
