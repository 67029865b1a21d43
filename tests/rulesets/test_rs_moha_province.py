"""moha.province: the ministry's provincial PAR INDEX (versions 2017, 2018, 2020–2022, 2024)."""

from __future__ import annotations

import datetime as dt

import pytest
from rs_helpers import D, assessment

import parindex
from parindex.model.errors import PointsAboveMaximumError, YearNotCoveredError

MAXIMA_2948 = {
    "1": "10",
    "2": "10",
    "3": "14.5",
    "4": "11",
    "5": "16",
    "6": "7",
    "7": "16",
    "8": "15.5",
}  # 10 + 10 + 14.5 + 11 + 16 + 7 + 16 + 15.5 = 100


# ---------------------------------------------------------------- versions and years
def test_years_covered_and_refused():
    with pytest.raises(YearNotCoveredError) as info:
        parindex.get_ruleset("moha.province", 2016)  # no set before 2948/QĐ-BNV is encoded
    assert "2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024" in str(info.value)
    # 2019 (1150/QĐ-BNV, issue 13): structure only, no maxima
    assert parindex.get_ruleset("moha.province", 2019).maximum is None
    assert parindex.get_ruleset("moha.province", 2023).version == "2022"  # 876 covers 2022–2023
    assert parindex.get_ruleset("moha.province", 2021).version == "2021"


# ---------------------------------------------------------------- 2017 (2948/QĐ-BNV)
def test_2017_structure_and_source():
    rs = parindex.get_ruleset("moha.province", 2017)
    assert rs.years == (2017,)
    assert rs.maximum == D("100")
    assert {n.code: n.maximum for n in rs.nodes} == {k: D(v) for k, v in MAXIMA_2948.items()}
    assert rs.source.document == "2948/QĐ-BNV"
    assert rs.source.date == dt.date(2017, 12, 28)
    assert rs.source.url
    assert rs.status == "confirmed"
    assert rs.groups == ()  # no 2017 bands are published
    assert all(n.title.vi and n.title.en for n in rs.nodes)


def test_2017_example_file(repo):
    card = parindex.score(repo / "examples" / "moha-2017-example.yaml")
    # 9.5 + 8.75 + 13 + 10.25 + 14.5 + 6 + 13.75 + 12 = 87.75 of 100
    assert card.total == D("87.75")
    assert card.index == D("87.75")
    assert card.group is None
    # field 3 was self-assessed 13.5 and appraised 13: self total 87.75 − 13 + 13.5 = 88.25
    assert card.self_total == D("88.25")
    assert card.appraised_total == D("87.75")
    assert card.changes == 1
    assert card.node("3").points == D("13")
    assert card.node("3").self_points == D("13.5")
    # field percentages: 13 ÷ 14.5 = 0.896551… → 89.66; 12 ÷ 15.5 = 0.774193… → 77.42
    assert card.node("3").percent == D("89.66")
    assert card.node("8").percent == D("77.42")


def test_2017_not_applicable_field_leaves_the_maximum():
    inputs = {
        "1": 9,
        "2": 9,
        "3": 13,
        "4": 10,
        "5": 15,
        "6": "not_applicable",
        "7": 14,
        "8": D("13.5"),
    }
    card = parindex.score(assessment("moha.province", 2017, inputs))
    # points 9 + 9 + 13 + 10 + 15 + 14 + 13.5 = 83.5; applicable maximum 100 − 7 = 93
    # index 83.5 ÷ 93 × 100 = 89.784946… → 89.78
    assert card.total == D("83.5")
    assert card.maximum == D("93")
    assert card.index == D("89.78")
    assert card.node("6").not_applicable


def test_2017_points_above_a_field_maximum_are_refused():
    inputs = {k: 0 for k in MAXIMA_2948} | {"3": D("14.75")}  # field 3's maximum is 14.5
    with pytest.raises(PointsAboveMaximumError):
        parindex.score(assessment("moha.province", 2017, inputs))


# ---------------------------------------------------------------- 2018
def test_2018_is_unverified_but_its_bands_are_published():
    rs = parindex.get_ruleset("moha.province", 2018)
    assert rs.status == "unverified"
    assert all(rs.status_of(n) == "unverified" for n in rs.nodes)
    assert {n.code: n.maximum for n in rs.nodes} == {k: D(v) for k, v in MAXIMA_2948.items()}
    assert [(b.label, b.min) for b in rs.groups] == [("A", 80), ("B", 75), ("C", 70), ("D", 0)]


# fields 1–6 at their maxima: 10 + 10 + 14.5 + 11 + 16 + 7 = 68.5; field 8 = 0; field 7 varies
@pytest.mark.parametrize(
    ("field7", "total", "group"),
    [
        ("11.5", "80.00", "A"),  # 68.5 + 11.5 = 80.00 → A (≥ 80)
        ("11.49", "79.99", "B"),  # 68.5 + 11.49 = 79.99 → B
        ("6.5", "75.00", "B"),  # 68.5 + 6.5 = 75.00 → B (75–<80)
        ("6.49", "74.99", "C"),  # 74.99 → C
        ("1.5", "70.00", "C"),  # 70.00 → C (70–<75)
        ("1.49", "69.99", "D"),  # 69.99 → D (< 70)
    ],
)
def test_2018_group_boundaries(field7, total, group):
    inputs = {"1": 10, "2": 10, "3": D("14.5"), "4": 11, "5": 16, "6": 7, "7": D(field7), "8": 0}
    card = parindex.score(assessment("moha.province", 2018, inputs))
    assert card.total == D(total)
    assert card.index == D(total)
    assert card.group == group
    assert card.unverified  # every field maximum of the 2018 version is unverified


def test_2018_group_is_taken_from_the_index_when_an_item_is_excluded():
    inputs = {
        "1": 10,
        "2": 10,
        "3": D("14.5"),
        "4": 11,
        "5": 16,
        "6": D("6.1"),
        "7": 0,
        "8": "not_applicable",
    }
    card = parindex.score(assessment("moha.province", 2018, inputs))
    # points 10 + 10 + 14.5 + 11 + 16 + 6.1 + 0 = 67.6; applicable maximum 100 − 15.5 = 84.5
    # index 67.6 ÷ 84.5 × 100 = 80.00 exactly → A (the points alone, 67.6, would be D)
    assert card.total == D("67.6")
    assert card.maximum == D("84.5")
    assert card.index == D("80.00")
    assert card.group == "A"


# ---------------------------------------------------------------- 2020 / 2021 (1149/QĐ-BNV)
def test_2020_views():
    rs = parindex.get_ruleset("moha.province", 2020)
    assert rs.years == (2020,)
    assert rs.source.document == "1149/QĐ-BNV"
    assert rs.source.date == dt.date(2020, 12, 30)
    assert rs.maximum == D("100")
    assert [n.code for n in rs.nodes] == [str(i) for i in range(1, 9)]
    assert all(n.maximum is None for n in rs.nodes)  # no field maximum is published
    assert all(rs.status_of(n) == "unverified" for n in rs.nodes)  # titles inferred
    comps = {n.code: n.maximum for n in rs.views["components"].nodes}
    assert comps == {"appraisal": None, "sipas": D("10"), "leaders": None, "impact": None}
    assert rs.groups == ()  # the 2020 cut-offs are not published


def test_2020_quang_ninh_example_file(repo):
    card = parindex.score(repo / "examples" / "moha-2020-quang-ninh.yaml")
    # 57.66 + 9.56 + 18.83 + 5 = 91.05 (published 91.04: the components are rounded themselves)
    assert card.view == "components"
    assert card.total == D("91.05")
    assert card.index == D("91.05")
    assert card.group is None
    assert card.node("sipas").percent == D("95.60")  # 9.56 ÷ 10 = 95.60 %
    assert card.node("appraisal").percent is None  # no published maximum


def test_2020_sipas_above_ten_is_refused():
    inputs = {"appraisal": 50, "sipas": D("10.01"), "leaders": 20, "impact": 3}
    with pytest.raises(PointsAboveMaximumError):
        parindex.score(assessment("moha.province", 2020, inputs, view="components"))


def test_2020_field_view_scores_against_100():
    inputs = {"1": 8, "2": 8, "3": 12, "4": 9, "5": 13, "6": 6, "7": 13, "8": 12}
    card = parindex.score(assessment("moha.province", 2020, inputs))
    # 8 + 8 + 12 + 9 + 13 + 6 + 13 + 12 = 81 of 100 → index 81.00; no group in 2020
    assert card.total == D("81")
    assert card.index == D("81.00")
    assert card.group is None
    assert card.node("3").percent is None  # no field maximum → no %


# appraisal, sipas, leaders, impact → total → 2021 group
@pytest.mark.parametrize(
    ("parts", "total", "group"),
    [
        (("60", "9", "18", "3"), "90.00", "A"),  # 60 + 9 + 18 + 3 = 90.00 → A (≥ 90)
        (("60", "9", "18", "2.99"), "89.99", "B"),  # 89.99 → B (80–<90)
        (("55", "8", "15", "2"), "80.00", "B"),  # 55 + 8 + 15 + 2 = 80.00 → B
        (("55", "8", "14.99", "2"), "79.99", "C"),  # Kiên Giang's 79.97 is the same side → C
        (("50", "8", "10", "2"), "70.00", "C"),  # 70.00 → C (70–<80)
        (("50", "8", "10", "1.99"), "69.99", None),  # below 70: no group is published
    ],
)
def test_2021_group_boundaries(parts, total, group):
    inputs = dict(zip(("appraisal", "sipas", "leaders", "impact"), map(D, parts), strict=True))
    card = parindex.score(assessment("moha.province", 2021, inputs, view="components"))
    assert card.total == D(total)
    assert card.index == D(total)
    assert card.group == group


def test_2021_components_are_derived_from_2020():
    rs = parindex.get_ruleset("moha.province", 2021)
    assert all(rs.status_of(n) == "derived" for n in rs.views["components"].nodes)
    assert [(b.label, b.min, b.published) for b in rs.groups] == [
        ("A", 90, True),
        ("B", 80, True),
        ("C", 70, True),
        (None, 0, False),
    ]


# ---------------------------------------------------------------- 2022–2023 (876/QĐ-BNV)
def test_2022_components_add_up_to_100():
    rs = parindex.get_ruleset("moha.province", 2022)
    assert rs.years == (2022, 2023)
    comps = {n.code: n.maximum for n in rs.views["components"].nodes}
    # 61.5 + 10 + 22 + 6.5 = 100
    assert comps == {
        "appraisal": D("61.5"),
        "sipas": D("10"),
        "leaders": D("22"),
        "impact": D("6.5"),
    }
    assert all(rs.status_of(n) == "derived" for n in rs.views["components"].nodes)
    assert all(n.maximum is None for n in rs.nodes)


# appraisal 61.5 + SIPAS 10 = 71.5 at their maxima unless stated
@pytest.mark.parametrize(
    ("parts", "total", "group"),
    [
        (("61.5", "10", "18.5", "0"), "90.00", "A"),  # 71.5 + 18.5 = 90.00 → A
        (("61.5", "10", "18.49", "0"), "89.99", "B"),  # 71.5 + 18.49 = 89.99 → B
        (("61.5", "10", "8.5", "0"), "80.00", "B"),  # 71.5 + 8.5 = 80.00 → B
        (("61.5", "10", "8.49", "0"), "79.99", "C"),  # 79.99 → C
        (("60", "10", "0", "0"), "70.00", "C"),  # 60 + 10 = 70.00 → C
        (("59.99", "10", "0", "0"), "69.99", None),  # 69.99: no group published
        (("61.5", "10", "22", "6.5"), "100.00", "A"),  # every maximum: 100
    ],
)
def test_2023_group_boundaries(parts, total, group):
    inputs = dict(zip(("appraisal", "sipas", "leaders", "impact"), map(D, parts), strict=True))
    card = parindex.score(assessment("moha.province", 2023, inputs, view="components"))
    assert card.total == D(total)
    assert card.index == D(total)
    assert card.group == group


def test_2023_component_above_its_maximum_is_refused():
    inputs = {"appraisal": 60, "sipas": 9, "leaders": D("22.5"), "impact": 5}  # leaders max 22
    with pytest.raises(PointsAboveMaximumError):
        parindex.score(assessment("moha.province", 2023, inputs, view="components"))


def test_2022_component_percentages():
    inputs = {"appraisal": D("55.35"), "sipas": D("8.01"), "leaders": D("20.9"), "impact": D("5.2")}
    card = parindex.score(assessment("moha.province", 2022, inputs, view="components"))
    # 55.35 + 8.01 + 20.9 + 5.2 = 89.46 → B
    # 55.35 ÷ 61.5 = 0.9 → 90.00 %; 20.9 ÷ 22 = 0.95 → 95.00 %; 5.2 ÷ 6.5 = 0.8 → 80.00 %
    assert card.total == D("89.46")
    assert card.group == "B"
    assert card.node("appraisal").percent == D("90.00")
    assert card.node("leaders").percent == D("95.00")
    assert card.node("impact").percent == D("80.00")


# ---------------------------------------------------------------- 2024 (892/QĐ-BNV)
def test_2024_known_field_maxima_only():
    rs = parindex.get_ruleset("moha.province", 2024)
    assert rs.source.document == "892/QĐ-BNV"
    assert rs.source.date == dt.date(2024, 12, 5)
    maxima = {n.code: n.maximum for n in rs.nodes}
    assert maxima == {
        "1": None,
        "2": None,
        "3": D("13"),
        "4": D("10.5"),
        "5": D("15"),
        "6": None,
        "7": None,
        "8": D("16.5"),
    }
    assert {n.code for n in rs.nodes if rs.status_of(n) == "confirmed"} == {"3", "4", "5", "8"}


def test_2024_son_la_field_points():
    # Sơn La 2024 published field points: 3 → 12.75, 4 → 10.18, 5 → 14.23, 8 → 13.14 (sum 50.30).
    # Fields 1, 2, 6, 7 are not published: made up here so that the total is Sơn La's 90.02:
    # 10 + 9.72 + 9.5 + 10.5 = 39.72; 50.30 + 39.72 = 90.02 → A
    inputs = {
        "1": 10,
        "2": D("9.72"),
        "3": D("12.75"),
        "4": D("10.18"),
        "5": D("14.23"),
        "6": D("9.5"),
        "7": D("10.5"),
        "8": D("13.14"),
    }
    card = parindex.score(assessment("moha.province", 2024, inputs, unit="son-la"))
    assert card.total == D("90.02")
    assert card.group == "A"
    # 12.75 ÷ 13 = 0.980769… → 98.08; 10.18 ÷ 10.5 = 0.969523… → 96.95
    # 14.23 ÷ 15 = 0.948666… → 94.87; 13.14 ÷ 16.5 = 0.796363… → 79.64
    assert card.node("3").percent == D("98.08")
    assert card.node("4").percent == D("96.95")
    assert card.node("5").percent == D("94.87")
    assert card.node("8").percent == D("79.64")
    assert card.node("1").percent is None
    assert card.unverified  # fields 1, 2, 6, 7 are unverified


def test_2024_group_boundary():
    # fields 3, 4, 5, 8 at their maxima: 13 + 10.5 + 15 + 16.5 = 55; fields 1, 2, 6 = 10 each
    base = {"1": 10, "2": 10, "3": 13, "4": D("10.5"), "5": 15, "6": 10, "8": D("16.5")}
    a = parindex.score(assessment("moha.province", 2024, base | {"7": 5}))
    b = parindex.score(assessment("moha.province", 2024, base | {"7": D("4.99")}))
    # 55 + 30 + 5 = 90.00 → A; 55 + 30 + 4.99 = 89.99 → B
    assert (a.index, a.group) == (D("90.00"), "A")
    assert (b.index, b.group) == (D("89.99"), "B")
