"""sonla.department and sonla.district (880/QĐ-UBND, 12/5/2021)."""

from __future__ import annotations

import datetime as dt

import pytest
from rs_helpers import D, assessment

import parindex
from parindex.io.parameters import load_parameters_file
from parindex.model.errors import (
    MaximumSumError,
    PointsAboveMaximumError,
    RulesetError,
    YearNotCoveredError,
)

FIELDS = [f"TD.{i}" for i in range(1, 9)]
EXAMPLE_PARAMS = "rulesets/sonla.department/params/2023.example.yaml"


def write_params(tmp_path, maxima, year=2023, ruleset="sonla.department"):
    lines = [
        f"parameters_for: {ruleset}",
        f"year: {year}",
        "source: {document: test parameters}",
        "status: unverified",
        "maxima:",
    ]
    lines += [f"  {code}: {value}" for code, value in maxima.items()]
    path = tmp_path / "params.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- structure
@pytest.mark.parametrize("rid", ["sonla.department", "sonla.district"])
def test_structure_from_the_decision(rid):
    rs = parindex.get_ruleset(rid, 2022)
    assert rs.source.document == "880/QĐ-UBND"
    assert rs.source.date == dt.date(2021, 5, 12)
    assert rs.maximum == D("100")
    td, xhh = rs.nodes
    # 70 self-assessed and appraised + 30 by survey = 100 (Phần II, II.2)
    assert (td.code, td.maximum, td.method) == ("TD", D("70"), "appraisal")
    assert (xhh.code, xhh.maximum, xhh.method) == ("XHH", D("30"), "survey")
    assert [c.code for c in td.children] == FIELDS
    assert all(c.maximum is None for c in td.children)  # set by the yearly guidance
    assert td.children[4].title.vi == "Cải cách công vụ"
    # A ≥ 90, B 70–<90, C 50–<70, D < 50 (II.3c)
    assert [(b.label, b.min) for b in rs.groups] == [("A", 90), ("B", 70), ("C", 50), ("D", 0)]


def test_years():
    assert parindex.get_ruleset("sonla.department", 2025).years == (2021, 2022, 2023, 2024, 2025)
    assert parindex.get_ruleset("sonla.district", 2024).years == (2021, 2022, 2023, 2024)


@pytest.mark.parametrize(
    ("rid", "year", "listed"),
    [
        ("sonla.department", 2026, "2021, 2022, 2023, 2024, 2025"),
        ("sonla.district", 2026, "2021, 2022, 2023, 2024"),
        ("sonla.district", 2025, "2021, 2022, 2023, 2024"),  # districts abolished in 2025
        ("sonla.department", 2020, "2021, 2022, 2023, 2024, 2025"),  # 2020 was under 1051/QĐ-UBND
    ],
)
def test_years_not_covered_are_refused(rid, year, listed):
    with pytest.raises(YearNotCoveredError) as info:
        parindex.get_ruleset(rid, year)
    assert f"years available: {listed}" in str(info.value)
    assert info.value.available == [int(y) for y in listed.split(", ")]
    with pytest.raises(YearNotCoveredError):
        parindex.score(assessment(rid, year, {"TD.1": 1}))


# ---------------------------------------------------------------- without a parameter file
# field points 8 + 6 + 9 + 6.5 + 9 + 5 + 9 + 10.5 = 63 (TD); XHH varies
BASE = dict(zip(FIELDS, map(D, ["8", "6", "9", "6.5", "9", "5", "9", "10.5"]), strict=True))
LOW = dict.fromkeys(FIELDS, D("5"))  # 8 × 5 = 40


@pytest.mark.parametrize(
    ("fields", "xhh", "total", "group"),
    [
        (BASE, "27", "90.00", "A"),  # 63 + 27 = 90.00 → A (từ 90 điểm trở lên)
        (BASE, "26.99", "89.99", "B"),  # 63 + 26.99 = 89.99 → B
        (BASE, "7", "70.00", "B"),  # 63 + 7 = 70.00 → B (70–<90)
        (BASE, "6.99", "69.99", "C"),  # 69.99 → C
        (LOW, "10", "50.00", "C"),  # 40 + 10 = 50.00 → C (50–<70)
        (LOW, "9.99", "49.99", "D"),  # 49.99 → D (dưới 50)
    ],
)
def test_group_boundaries_without_parameters(fields, xhh, total, group):
    for rid in ("sonla.department", "sonla.district"):
        card = parindex.score(assessment(rid, 2022, fields | {"XHH": D(xhh)}))
        assert card.total == D(total)
        assert card.index == D(total)  # maximum 100: index = points (II.3c)
        assert card.group == group
        assert card.node("TD.1").percent is None  # no field maximum without the guidance


def test_appraised_block_cannot_exceed_70_without_parameters():
    fields = dict.fromkeys(FIELDS, D("9"))  # 8 × 9 = 72 > 70
    with pytest.raises(PointsAboveMaximumError):
        parindex.score(assessment("sonla.department", 2022, fields | {"XHH": 20}))


def test_survey_above_30_is_refused():
    with pytest.raises(PointsAboveMaximumError):
        parindex.score(assessment("sonla.district", 2022, BASE | {"XHH": D("30.5")}))


def test_not_applicable_without_parameters_gives_no_index(repo):
    card = parindex.score(repo / "examples" / "sonla-department-2023.yaml")
    # 57.00 + 26.40 = 83.40 points; TD.2's maximum is unknown, so the applicable maximum is too
    assert card.total == D("83.40")
    assert card.index is None
    assert card.group is None


# ---------------------------------------------------------------- with the example parameters
def test_example_with_parameters(repo):
    card = parindex.score(
        repo / "examples" / "sonla-department-2023.yaml", params=repo / EXAMPLE_PARAMS
    )
    # maxima 8, 7, 10, 7, 10, 6, 10, 12 (made up, sum 70); TD.2 not applicable (maximum 7)
    # TD appraised: 7.5 + 9.25 + 6.5 + 9 + 5.75 + 8.5 + 10.5 = 57.00 of 70 − 7 = 63
    # total 57.00 + 26.40 = 83.40 of 93; index 83.40 ÷ 93 × 100 = 89.677… → 89.68 → B
    assert card.node("TD").points == D("57.00")
    assert card.node("TD").maximum == D("63")
    assert card.node("TD.2").not_applicable
    assert card.total == D("83.40")
    assert card.maximum == D("93")
    assert card.index == D("89.68")
    assert card.group == "B"
    # self-assessed: TD.1 8 (appraised 7.5), TD.5 9.5 (appraised 9): 83.40 + 0.5 + 0.5 = 84.40
    assert card.self_total == D("84.40")
    assert card.appraised_total == D("83.40")
    assert card.changes == 2
    assert card.node("TD.1").self_points == D("8")
    assert card.node("TD.1").trace.reason
    # 7.5 ÷ 8 = 93.75 %; XHH 26.4 ÷ 30 = 88.00 %
    assert card.node("TD.1").percent == D("93.75")
    assert card.node("XHH").percent == D("88.00")
    # the example maxima are unverified, and the card says so
    assert card.unverified
    assert "TD.1" in card.unverified_codes


def test_example_parameter_file_is_marked_as_such(repo):
    params, _ = load_parameters_file(repo / EXAMPLE_PARAMS)
    assert params.status == "unverified"
    assert "EXAMPLE" in (params.note or "")
    assert sum(params.maxima.values()) == 70  # 8 + 7 + 10 + 7 + 10 + 6 + 10 + 12


def test_parameter_maxima_must_add_up_to_70(tmp_path):
    maxima = {
        "TD.1": 9,
        "TD.2": 7,
        "TD.3": 10,
        "TD.4": 7,
        "TD.5": 10,
        "TD.6": 6,
        "TD.7": 10,
        "TD.8": 12,
    }  # 9 + 7 + 10 + 7 + 10 + 6 + 10 + 12 = 71 ≠ 70
    with pytest.raises(MaximumSumError):
        parindex.get_ruleset("sonla.department", 2023, params=write_params(tmp_path, maxima))


def test_parameters_for_another_year_are_refused(tmp_path, repo):
    data = assessment("sonla.department", 2022, BASE | {"XHH": 20})
    with pytest.raises(RulesetError):
        parindex.score(data, params=repo / EXAMPLE_PARAMS)  # the example is for 2023


def test_points_above_a_parameter_maximum_are_refused(repo):
    fields = dict(BASE) | {"TD.6": D("6.5")}  # the example maximum of TD.6 is 6
    with pytest.raises(PointsAboveMaximumError):
        parindex.score(
            assessment("sonla.department", 2023, fields | {"XHH": 20}), params=repo / EXAMPLE_PARAMS
        )


def test_district_with_parameters(tmp_path):
    maxima = {
        "TD.1": 7,
        "TD.2": 8,
        "TD.3": 9,
        "TD.4": 7,
        "TD.5": 9,
        "TD.6": 6,
        "TD.7": 10,
        "TD.8": 14,
    }  # 7 + 8 + 9 + 7 + 9 + 6 + 10 + 14 = 70
    params = write_params(tmp_path, maxima, year=2024, ruleset="sonla.district")
    fields = dict(zip(FIELDS, map(D, ["7", "8", "9", "7", "9", "6", "10", "14"]), strict=True))
    card = parindex.score(assessment("sonla.district", 2024, fields | {"XHH": 30}), params=params)
    # every maximum: 70 + 30 = 100.00 → A
    assert (card.total, card.index, card.group) == (D("100"), D("100.00"), "A")
    assert card.node("TD.8").percent == D("100.00")
