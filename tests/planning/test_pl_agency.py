"""Lost points by lead agency: every lost point counted once, totals add up to the points lost."""

from __future__ import annotations

import yaml
from pl_helpers import D, example_cards
from test_pl_responsibility import MINIMAL

from parindex.analysis.planning.agency import by_agency
from parindex.analysis.planning.responsibility import NOT_STATED, find_map, map_from_data
from parindex.model.documents import ScoreCard


def totals(report: object) -> dict[str, object]:
    return {t.agency: t.lost for t in report.agencies}  # type: ignore[attr-defined]


def test_lang_son_example_lost_points_per_agency_add_up_to_the_total_lost() -> None:
    (card,) = example_cards("lang-son-2021.yaml")
    report = by_agency(card, find_map("lang-son-2022"))
    # by hand from examples/planning/lang-son-2021.yaml:
    #   Sở Nội vụ: 1.1 1 + 1.3.2 0.75 + 4.1.2 1.25 + 5.3.1 1 + 5.5.2 0.75 + 5.7.2 0.5 = 5.25
    #   Văn phòng UBND tỉnh: 3.4.1 1 + 3.4.2 1 = 2
    #   Sở TT&TT: 3.2.6 0.5 + 7.1.9 0.5 + 7.2.1 1 = 2 (3.2.6 is in field 3 but named in II.5.1)
    #   Sở Tài chính: 6.1.1 0.5 + 6.1.3 0.5 + 6.3.1 0.5 + 6.3.4 0.25 = 1.75
    #   Sở KH&ĐT: 8.3.1 0.5;  Sở Tư pháp: 0;  not stated: 8.1 1.293 + 8.2 0.097 = 1.39
    assert totals(report) == {
        "Sở Nội vụ": D("5.25"),
        "Văn phòng UBND tỉnh": D("2"),
        "Sở Thông tin và Truyền thông": D("2"),
        "Sở Tài chính": D("1.75"),
        "Sở Kế hoạch và Đầu tư": D("0.5"),
        "Sở Tư pháp": D("0"),
        NOT_STATED: D("1.39"),
    }
    # 5.25 + 2 + 2 + 1.75 + 0.5 + 0 + 1.39 = 12.89 = 100 − 87.11
    assert report.attributed == report.total_lost == D("12.89")
    tt = next(t for t in report.agencies if t.agency == "Sở Thông tin và Truyền thông")
    assert [i.code for i in tt.items] == ["7.2.1", "3.2.6", "7.1.9"]
    assert all(i.named for i in tt.items)  # each code is named in the plan itself
    rest = next(t for t in report.agencies if t.agency == NOT_STATED)
    assert [(i.code, i.via) for i in rest.items] == [("8.1", "8"), ("8.2", "8")]
    assert report.agencies[-1].agency == NOT_STATED


def test_ancestor_assignment_and_a_node_kept_whole(card: ScoreCard) -> None:
    rmap = map_from_data(
        yaml.safe_load(
            MINIMAL
            + """\
      - codes: ["F2.1"]
        lead: Sở C
        clause: "II.3"
"""
        )
    )
    report = by_agency(card, rmap)
    # F1.1 lost 1 → Sở A (via F1); F1.2.2 lost 1.5 → Sở B (named); F2 lost 2 stays whole
    # (F2.2 has no maximum), so it is not stated even though the map gives F2.1 to Sở C
    assert totals(report) == {"Sở A": D("1"), "Sở B": D("1.5"), "Sở C": D("0"), NOT_STATED: D("2")}
    assert report.attributed == D("4.5")
    assert any(n.startswith("F2:") and "Sở C" in n for n in report.notes)
    a = next(t for t in report.agencies if t.agency == "Sở A")
    assert [(i.code, i.via, i.named) for i in a.items] == [("F1.1", "F1", False)]


def test_without_a_map_the_rulesets_lead_agency_is_used() -> None:
    from pl_helpers import SMALL

    from parindex import api

    data = yaml.safe_load(yaml.safe_dump(SMALL))
    data["nodes"][0]["lead_agency"] = "Sở X"
    rs = api.load_ruleset(data)
    card = api.score(
        {
            "ruleset": "test.small",
            "year": 2021,
            "unit": "u",
            "inputs": {"F1": 8, "F2.1": 5, "F2.2": 1},
        },
        rs,
    )
    report = by_agency(card)
    # F1 10 − 8 = 2 → Sở X; F2 10 − 6 = 4 → not stated
    assert totals(report) == {"Sở X": D("2"), NOT_STATED: D("4")}


def test_map_codes_missing_from_the_card_are_reported(card: ScoreCard) -> None:
    rmap = map_from_data(yaml.safe_load(MINIMAL.replace('"F1.2.2"', '"F9.9"')))
    report = by_agency(card, rmap)
    assert any("F9.9" in n for n in report.notes)
