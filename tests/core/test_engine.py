"""The reference engine on a small ruleset whose every score is worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from parindex import Registry, Ruleset, score
from parindex.model.documents import ScoreCard
from parindex.model.errors import (
    AssessmentError,
    ConflictingInputError,
    InputValueError,
    MissingInputError,
    PointsAboveMaximumError,
    UnknownCodeError,
    YearNotCoveredError,
)

FIXTURES = Path(__file__).parent / "fixtures"

FULL_INPUTS: dict[str, Any] = {
    "1.1": {"choice": "late"},
    "1.2": {"measure": 90},
    "1.3": {"measure": 80},
    "1.4": {"count": 2},
    "1.5": {"count": 3},
    "2.1": {"measure": 4},
    "2.2": {"measure": 85},
    "2.3": {"self": {"points": 2}, "appraised": {"points": 1.5, "reason": "thiếu kiểm chứng"}},
}


def assess(inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"ruleset": "test.small", "year": 2024, "unit": "so-a", "inputs": inputs, **extra}


def test_hand_computed_scores(registry: Registry) -> None:
    card = score(FIXTURES / "assessment.yaml", registry=registry)
    expected = {
        "1.1": D("0.5"),  # option "late"
        "1.2": D("1"),  # 90 lies in [70, 90] (upper bound inclusive), not in (90, +inf)
        "1.3": D("1.6"),  # 80 / 100 x 2
        "1.4": D("1.0"),  # 2 items x 0.5, cap 1.5
        "1.5": D("0.75"),  # 1.5 - 3 x 0.25
        "1": D("4.85"),  # 0.5 + 1 + 1.6 + 1 + 0.75
        "2.1": D("3"),  # (4 - 1) / (5 - 1) x 4
        "2.2": D("5.1"),  # 85 / 100 x 6
        "2.3": D("1.5"),  # appraised value
        "2": D("9.6"),  # 3 + 5.1 + 1.5
    }
    for code, points in expected.items():
        assert card.node(code).points == points, code
    assert card.total == D("14.45")  # 4.85 + 9.6
    assert card.maximum == D("20")
    assert card.index == D("72.25")  # 14.45 / 20 x 100
    assert card.group == "B"  # 70 <= 72.25 < 90
    assert card.self_total == D("14.95")  # self-assessed 2.3 = 2 instead of 1.5
    assert card.appraised_total == D("14.45")
    assert card.changes == 1
    assert card.node("2.3").self_points == D("2")
    assert card.node("2.3").trace.reason == "thiếu tài liệu kiểm chứng"
    assert card.node("1.2").trace.matched == "[70, 90]"
    assert card.node("1.1").percent == D("50.00")
    # 2.2 is unverified and contributed, so the card says so
    assert card.unverified and "2.2" in card.unverified_codes
    assert card.receipt.ruleset_id == "test.small"
    assert card.receipt.content_hash.startswith("sha256:")


def test_an_appraised_value_alone_keeps_its_reason(registry: Registry) -> None:
    # no self-assessment for 2.3: the council's 1.5 and its reason are what the card shows
    inputs = {**FULL_INPUTS, "2.3": {"appraised": {"points": 1.5, "reason": "theo biên bản"}}}
    card = score(assess(inputs), registry=registry)
    assert card.node("2.3").points == D("1.5")
    assert card.node("2.3").trace.reason == "theo biên bản"
    assert card.changes == 0  # nothing self-assessed, so nothing was changed


def test_not_applicable_exclude_lowers_maximum(registry: Registry) -> None:
    inputs = {**FULL_INPUTS, "1.4": "not_applicable"}
    card = score(assess(inputs), registry=registry)
    # 1.4 (max 1.5) is excluded: maximum 20 - 1.5 = 18.5; total loses its 1.0 point
    assert card.maximum == D("18.5")
    assert card.node("1").maximum == D("6.5")
    assert card.total == D("13.45")
    assert card.index == D("72.70")  # 13.45 / 18.5 x 100 = 72.7027... -> 72.70


def test_not_applicable_full_and_zero(small_ruleset: Ruleset, registry: Registry) -> None:
    full = small_ruleset.model_copy(update={"not_applicable": "full"})
    card = score(assess({**FULL_INPUTS, "1.5": "n/a"}), full, registry=registry)
    assert card.node("1.5").points == D("1.5")  # full points
    assert card.total == D("15.20")  # 14.45 - 0.75 + 1.5
    zero = small_ruleset.model_copy(update={"not_applicable": "zero"})
    card = score(assess({**FULL_INPUTS, "1.5": "n/a"}), zero, registry=registry)
    assert card.total == D("13.70")  # 14.45 - 0.75
    assert card.maximum == D("20")


def test_group_boundaries(registry: Registry) -> None:
    # everything at maximum except 1.1 ("none": -1) and 2.3 (1 of 2): 18 of 20 = 90.00 -> A
    top = {
        "1.1": {"choice": "none"},
        "1.2": {"measure": 95},
        "1.3": {"measure": 100},
        "1.4": {"count": 5},
        "1.5": {"count": 0},
        "2.1": {"measure": 5},
        "2.2": {"measure": 100},
        "2.3": 1,
    }
    card = score(assess(top), registry=registry)
    assert (card.total, card.index, card.group) == (D("18.00"), D("90.00"), "A")
    # 2.2 at 99.9%: 5.994 points; total 17.994 -> index 89.97 -> B
    card = score(assess({**top, "2.2": {"measure": "99.9"}}), registry=registry)
    assert (card.index, card.group) == (D("89.97"), "B")


def test_internal_node_takes_direct_points(registry: Registry) -> None:
    card = score(assess({"1": 7.25, "2": 11}), registry=registry)
    assert card.total == D("18.25")
    assert card.node("1").trace.how == "given"
    assert any("children were not scored" in n for n in card.notes)


@pytest.mark.parametrize(
    ("inputs", "error", "code"),
    [
        ({**FULL_INPUTS, "2.3": 2.5}, PointsAboveMaximumError, "2.3"),
        ({**FULL_INPUTS, "2.3": -1}, InputValueError, "2.3"),
        ({**FULL_INPUTS, "2.3": 1.3}, InputValueError, "2.3"),  # not a multiple of 0.25
        ({**FULL_INPUTS, "1.1": {"choice": "sometimes"}}, InputValueError, "1.1"),
        ({**FULL_INPUTS, "1.2": {"choice": "yes"}}, InputValueError, "1.2"),
        ({**FULL_INPUTS, "9.9": 1}, UnknownCodeError, "9.9"),
        ({**FULL_INPUTS, "1": 5}, ConflictingInputError, "1.1"),
        ({k: v for k, v in FULL_INPUTS.items() if k != "1.3"}, MissingInputError, "1.3"),
        ({**FULL_INPUTS, "2.1": {"measure": 6}}, InputValueError, "2.1"),
        ({**FULL_INPUTS, "1": 9}, ConflictingInputError, "1.1"),
    ],
)
def test_bad_inputs_are_typed_and_located(
    registry: Registry, inputs: dict[str, Any], error: type[Exception], code: str
) -> None:
    with pytest.raises(error) as info:
        score(assess(inputs), registry=registry)
    assert getattr(info.value, "code", None) == code


def test_errors_from_a_file_name_file_and_line(registry: Registry, tmp_path: Path) -> None:
    text = (FIXTURES / "assessment.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("{count: 3}", '{count: 3}\n  "2.3x": 1'), encoding="utf-8")
    with pytest.raises(UnknownCodeError) as info:
        score(bad, registry=registry)
    assert info.value.file == str(bad)
    assert info.value.line == 10  # the line of "2.3x"
    assert "2.3x" in str(info.value) and "bad.yaml:10" in str(info.value)


def test_missing_zero_policy_scores_and_notes(registry: Registry) -> None:
    card = score(assess({"1.1": {"choice": "on_time"}}, missing="zero"), registry=registry)
    assert card.total == D("1.00")
    assert any("no input" in n for n in card.notes)


def test_year_resolution_is_strict(registry: Registry) -> None:
    with pytest.raises(YearNotCoveredError) as info:
        score(assess(FULL_INPUTS, year=2030), registry=registry)
    assert info.value.available == [2023, 2024]
    assert "2023, 2024" in str(info.value)


def test_wrong_ruleset_for_assessment(small_ruleset: Ruleset, registry: Registry) -> None:
    with pytest.raises(AssessmentError):
        score({**assess(FULL_INPUTS), "ruleset": "other.set"}, small_ruleset, registry=registry)


def test_scorecard_json_round_trip_and_determinism(registry: Registry) -> None:
    a = score(FIXTURES / "assessment.yaml", registry=registry)
    b = score(FIXTURES / "assessment.yaml", registry=registry)
    assert a.to_json() == b.to_json()
    again = ScoreCard.from_json(a.to_json())
    assert again == a
    assert again.to_json() == a.to_json()
