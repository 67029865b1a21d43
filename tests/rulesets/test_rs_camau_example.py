"""The partial Cà Mau example (1880/QĐ-UBND, 2013, field 1): choice and tiers rules end to end."""

from __future__ import annotations

import pytest
from rs_helpers import REPO, D, assessment

import parindex
from parindex.model.errors import ParindexError

RULESET = REPO / "examples" / "ca-mau-2013" / "ruleset.yaml"
FULL = {
    "1.1.1": {"choice": "kip_thoi"},
    "1.1.2": {"choice": "day_du"},
    "1.1.3": {"choice": "dat"},
    "1.1.4": {"measure": 95},
    "1.2.1": {"choice": "dung_han"},
    "1.2.2": {"choice": "dat"},
    "1.3": 3,
    "1.rest": 10,
}  # every item at its maximum: 1+1+1+2 + 1+1 + 3 + 10 = 20


@pytest.fixture(scope="module")
def ruleset():
    return parindex.load_ruleset(RULESET)


def score(ruleset, inputs):
    return parindex.score(assessment("camau.department", 2013, inputs), ruleset)


def test_structure_is_partial_and_honest(ruleset):
    assert "PARTIAL" in (ruleset.title.en or "")
    assert ruleset.status == "unverified"
    assert ruleset.maximum is None and ruleset.groups == ()
    (field,) = ruleset.nodes
    assert field.maximum == D("20")
    # 1.1 = 5, 1.2 = 2, 1.3 = 3 as published; the unseen rest: 20 − (5 + 2 + 3) = 10
    assert [(c.code, c.maximum) for c in field.children] == [
        ("1.1", 5),
        ("1.2", 2),
        ("1.3", 3),
        ("1.rest", 10),
    ]
    rest = field.children[3]
    assert rest.status == "derived" and rest.rule is None
    assert [c.maximum for c in field.children[0].children] == [1, 1, 1, 2]  # 1+1+1+2 = 5
    assert [c.maximum for c in field.children[1].children] == [1, 1]  # 1+1 = 2


def test_example_assessment(ruleset):
    card = parindex.score(REPO / "examples" / "ca-mau-2013" / "assessment.yaml", ruleset)
    # 1.1 = 0.5 (late) + 1 + 1 + 1 (90% → "70%–90%") = 3.5; 1.2 = 1 + 0 = 1; 1.3 = 2.5;
    # 1.rest = 7.25; field 1 = 3.5 + 1 + 2.5 + 7.25 = 14.25 of 20 → 71.25 %
    assert card.node("1.1").points == D("3.5")
    assert card.node("1.2").points == D("1")
    assert card.node("1").points == D("14.25")
    assert card.node("1").percent == D("71.25")
    assert card.total == D("14.25")
    # self-assessed 1.1.1 "on time" = 1 instead of 0.5: 14.25 + 0.5 = 14.75
    assert card.self_total == D("14.75")
    assert card.changes == 1
    assert card.group is None


@pytest.mark.parametrize(
    ("measure", "points"),
    [
        ("0", "0"),
        ("69.99", "0"),  # "< 70%": 0
        ("70", "1"),  # 70 is not "< 70%": it opens "70%–90%"
        ("80", "1"),
        ("90", "1"),  # 90 is not "> 90%": it closes "70%–90%"
        ("90.01", "2"),  # "> 90%": 2
        ("100", "2"),
    ],
)
def test_tiers_1_1_4(ruleset, measure, points):
    card = score(ruleset, FULL | {"1.1.4": {"measure": D(measure)}})
    assert card.node("1.1.4").points == D(points)
    # the rest of field 1 at its maximum: 20 − 2 + points
    assert card.total == D("18") + D(points)


def test_tiers_outside_the_percentage_domain(ruleset):
    with pytest.raises(ParindexError):
        score(ruleset, FULL | {"1.1.4": {"measure": D("100.5")}})


@pytest.mark.parametrize(
    ("choice", "points"), [("kip_thoi", "1"), ("khong_kip_thoi", "0.5"), ("khong_ban_hanh", "0")]
)
def test_choice_1_1_1(ruleset, choice, points):
    card = score(ruleset, FULL | {"1.1.1": {"choice": choice}})
    assert card.node("1.1.1").points == D(points)


def test_unknown_option_is_refused(ruleset):
    with pytest.raises(ParindexError):
        score(ruleset, FULL | {"1.1.1": {"choice": "co"}})


def test_not_applicable_sub_criterion(ruleset):
    card = score(ruleset, FULL | {"1.3": "not_applicable"})
    # 1.3 (3) excluded: field maximum 20 − 3 = 17; points 5 + 2 + 10 = 17 → 100.00 %
    assert card.node("1").maximum == D("17")
    assert card.node("1").points == D("17")
    assert card.node("1").percent == D("100.00")


def test_remainder_is_bounded_by_its_derived_maximum(ruleset):
    with pytest.raises(ParindexError):
        score(ruleset, FULL | {"1.rest": D("10.5")})
