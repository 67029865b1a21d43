"""Targets against last year and the region: places gained, points gained, rank in the region.

Expected values are worked out by hand in the comments; every card is ``F1 + F2.1 + F2.2`` of the
small test ruleset (maximum 20), so the index is the total × 5.
"""

from __future__ import annotations

from typing import Any

import pytest
from pl_helpers import EXAMPLES, PLANNING, RS_2020, RS_2021, SMALL, D

from parindex import api
from parindex.analysis.planning.errors import TargetsFileError
from parindex.analysis.planning.evaluate import TargetResult, evaluate
from parindex.analysis.planning.targets import targets_from_data
from parindex.cli.main import main
from parindex.model.documents import Ruleset, ScoreCard

YEARS: dict[str, Any] = {**SMALL, "years": [2019, 2020, 2021]}


def ruleset() -> Ruleset:
    return api.load_ruleset(YEARS)


def card(unit: str, year: int, f1: str, f22: str, name: str | None = None) -> ScoreCard:
    data = {
        "ruleset": "test.small",
        "year": year,
        "unit": {"id": unit, "name": name or unit},
        "inputs": {"F1": f1, "F2.1": 5, "F2.2": f22},
    }
    return api.score(data, ruleset())


def check(unit: str, cards: list[ScoreCard], *items: dict[str, Any]) -> list[TargetResult]:
    spec = targets_from_data(
        {
            "targets_for": unit,
            "year": 2021,
            "source": {"document": "test plan"},
            "targets": [{"rulesets": "test.small", **item} for item in items],
        }
    )
    return list(evaluate(spec, cards, rulesets=[ruleset()]).results)


@pytest.fixture
def two_years() -> list[ScoreCard]:
    # 2020: a 20 → 100, b 18 → 90, u 16 → 80, c 15 → 75: u is 3rd
    # 2021: a 20 → 100, u 19 → 95, b 18 → 90, c 16 → 80: u is 2nd, one place gained
    return [
        card("a", 2020, "10", "5"),
        card("b", 2020, "9", "4"),
        card("u", 2020, "8", "3"),
        card("c", 2020, "7", "3"),
        card("a", 2021, "10", "5"),
        card("u", 2021, "10", "4"),
        card("b", 2021, "9", "4"),
        card("c", 2021, "8", "3"),
    ]


def test_places_gained_against_last_years_cards(two_years: list[ScoreCard]) -> None:
    one, two = check(
        "u",
        two_years,
        {"id": "one", "kind": "places_gained", "at_least": 1},
        {"id": "two", "kind": "places_gained", "at_least": 2},
    )
    assert one.met is True and one.margin == D("0")  # 3 − 2 = 1 gained, 1 asked
    assert one.actual == "rank 2, 3 in 2020: +1 places"
    # two places means rank 1: reach a's 100, i.e. total 20 = 19 + 1
    assert two.met is False and two.margin == D("-1")
    assert two.plan is not None and two.plan.needed == D("100")
    assert two.plan.extra_points == D("1")


def test_places_gained_against_a_published_rank(two_years: list[ScoreCard]) -> None:
    (r,) = check(
        "u",
        [c for c in two_years if c.year == 2021],
        {
            "id": "p",
            "kind": "places_gained",
            "at_least": 2,
            "previous": {"year": 2020, "rank": 5, "source": "a plan"},
        },
    )
    assert r.met is True and r.margin == D("1")  # 5 − 2 = 3 gained, 2 asked
    assert any("(a plan)" in n for n in r.notes)


def test_points_gained_against_last_year(two_years: list[ScoreCard]) -> None:
    ten, more = check(
        "u",
        two_years,
        {"id": "ten", "kind": "points_gained", "at_least": 10},
        {"id": "more", "kind": "points_gained", "at_least": "17.5"},
    )
    assert ten.met is True and ten.margin == D("5")  # 95 − 80 = 15 gained, 10 asked
    # 80 + 17.5 = 97.5 → total 97.5 × 20 ÷ 100 = 19.5 = 19 + 0.5
    assert more.met is False and more.margin == D("-2.5")
    assert more.plan is not None and more.plan.needed == D("97.5")
    assert more.plan.extra_points == D("0.5")


def test_points_gained_against_a_published_index(two_years: list[ScoreCard]) -> None:
    (r,) = check(
        "u",
        [c for c in two_years if c.year == 2021],
        {
            "id": "p",
            "kind": "points_gained",
            "at_least": "3.04",
            "previous": {"year": 2020, "index": 90, "source": "a plan"},
        },
    )
    assert r.met is True and r.margin == D("1.96")  # 95 − 90 = 5; 5 − 3.04


def test_a_missing_year_is_noted_and_no_last_year_is_unknown() -> None:
    cards = [card("u", 2019, "8", "3"), card("u", 2021, "9", "3"), card("v", 2021, "5", "1")]
    (gap,) = check("u", cards, {"id": "g", "kind": "points_gained", "at_least": 1})
    # 2019 80 → 2021 85: 5 gained, against 2019 (no 2020 card) and said so
    assert gap.met is True and gap.margin == D("4")
    assert "no 2020 scores; 2019 used" in gap.notes
    (none,) = check("u", cards[1:], {"id": "n", "kind": "places_gained", "at_least": 1})
    assert none.met is None and none.plan is None
    assert any("last year's rank" in n for n in none.notes)


def test_a_baseline_without_the_value_it_needs_is_a_located_error() -> None:
    with pytest.raises(TargetsFileError, match="previous needs the rank"):
        check(
            "u",
            [],
            {
                "id": "p",
                "kind": "places_gained",
                "at_least": 1,
                "previous": {"year": 2020, "index": 90, "source": "x"},
            },
        )


def central_highlands(*, without: str | None = None) -> list[ScoreCard]:
    # nationally: Hà Nội 100, Đà Nẵng 97.5, Kon Tum 90, Đắk Lắk 82.5, Gia Lai 80, Đắk Nông 75,
    # Lâm Đồng 70; in the Central Highlands (5 provinces): Kon Tum 1, Đắk Lắk 2, Gia Lai 3
    rows = [
        ("ha-noi", "10", "5"),
        ("da-nang", "10", "4.5"),
        ("kon-tum", "9", "4"),
        ("dak-lak", "8.5", "3"),
        ("gia-lai", "8", "3"),
        ("dak-nong", "7", "3"),
        ("lam-dong", "6", "3"),
    ]
    return [card(u, 2021, f1, f22) for u, f1, f22 in rows if u != without]


def test_rank_within_the_region() -> None:
    top2, top3 = check(
        "gia-lai",
        central_highlands(),
        {"id": "top2", "kind": "region_rank", "at_most": 2},
        {"id": "top3", "kind": "region_rank", "at_most": 3},
    )
    assert top3.met is True and top3.margin == D("0")
    assert top3.actual == "region rank 3 of 5, Central Highlands (index 80.00)"
    # 2nd in the region: reach Đắk Lắk's 82.5 (ties share the better rank) → total 16.5 = 16 + 0.5
    assert top2.met is False and top2.margin == D("-1")
    assert top2.plan is not None and top2.plan.needed == D("82.5")
    assert top2.plan.extra_points == D("0.5")


def test_a_region_rank_needs_the_whole_region() -> None:
    (r,) = check(
        "gia-lai",
        central_highlands(without="lam-dong"),
        {"id": "r", "kind": "region_rank", "at_most": 3},
    )
    assert r.met is None
    assert "4 of the 5 provinces of Central Highlands are in the batch" in r.notes


def test_unknown_targets_render_in_vietnamese_without_stray_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = [
        "--locale", "vi", "targets", str(EXAMPLES / "targets" / "lang-son-2021-history.yaml"),
        "--scores", str(PLANNING / "lang-son-2020.yaml"), str(PLANNING / "lang-son-2021.yaml"),
        "--ruleset", str(RS_2020), "--ruleset", str(RS_2021), "--wide",
    ]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    # an unknown result has no margin unit: an empty cell, not the catalogue's header
    assert "Project-Id-Version" not in out and "Content-Type" not in out
    # 87.11 − 84.40 = 2.71 gained of the 3 asked: 0.29 short
    assert "-0,29" in out
