"""Survey answers → points: hand-worked values, the SIPAS cross-check, merging and errors."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from parindex import api
from parindex.analysis.survey import SurveyError, fragment_from_data, survey_points
from parindex.cli.main import main
from parindex.model.errors import AssessmentError, CsvFormatError, SchemaError
from parindex.model.survey_map import survey_map_from_data

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "surveys"
SONLA_PARAMS = REPO / "rulesets" / "sonla.department" / "params" / "2023.example.yaml"


def _csv(tmp_path: Path, rows: list[tuple[str, str, str, str]], name: str = "a.csv") -> Path:
    path = tmp_path / name
    lines = ["respondent,unit,question,answer", *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _map(**node: object) -> dict[str, object]:
    base: dict[str, object] = {"code": "XHH", "formula": "mean", "output": "points"}
    base.update(node)
    return {
        "kind": "survey-map",
        "id": "t",
        "ruleset": "sonla.department",
        "years": [2023],
        "scale": {"levels": 5, "lowest": 1},
        "nodes": [base],
    }


def test_sonla_example_equals_the_hand_worked_value() -> None:
    result = api.survey(
        EXAMPLES / "sonla-answers.csv", "sonla.department", 2023, "sonla-department-xhh-example"
    )
    (unit,) = result.units
    (node,) = unit.nodes
    # CC: (14 + 13 + 11 + 14 + 11) / 15 = 21/5; ND: (7/2 + 4 + 5/2 + 5 + 4) / 5 = 19/5
    assert node.value_exact == (2 * Fraction(21, 5) + Fraction(19, 5)) / 3
    assert node.value == Decimal("4.07")
    # points from the exact value: (61/15 − 1) / 4 × 30 = 23 exactly
    assert node.amount == Decimal("23.00")
    assert unit.respondents == 5 and unit.answers == 25
    assert node.unverified


def test_score_merges_the_fragment_and_flags_unverified_steps(tmp_path: Path) -> None:
    out = tmp_path / "points"
    assert (
        main(
            [
                "survey",
                str(EXAMPLES / "sonla-answers.csv"),
                "--ruleset",
                "sonla.department",
                "--year",
                "2023",
                "--map",
                "sonla-department-xhh-example",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    card = api.score_with_survey(
        EXAMPLES / "sonla-department-2023-appraised.yaml",
        [out / "so-minh-hoa.yaml"],
        params=SONLA_PARAMS,
    )
    # appraised TD (examples/sonla-department-2023.yaml, by hand) 57.00 + survey 23.00
    assert card.total == Decimal("80.00")
    assert card.node("XHH").points == Decimal("23")
    assert "XHH" in card.unverified_codes
    assert any("EXAMPLE" in n for n in card.notes)
    assert any("[unverified]" in n and "XHH" in n for n in card.notes)


def test_fragment_for_another_unit_or_a_node_given_twice_is_refused(tmp_path: Path) -> None:
    assessment = api.load_assessment(EXAMPLES / "sonla-department-2023-appraised.yaml")
    from parindex.analysis.survey import merge_fragment

    data = {
        "kind": "survey-points",
        "ruleset": "sonla.department",
        "year": 2023,
        "unit": {"id": "another"},
        "inputs": {"XHH": {"points": "20"}},
    }
    with pytest.raises(AssessmentError, match="unit"):
        merge_fragment(assessment, fragment_from_data(data, "f.yaml"))
    data["unit"] = {"id": "so-minh-hoa"}
    data["inputs"] = {"TD.3": {"points": "1"}}
    with pytest.raises(AssessmentError, match="given both"):
        merge_fragment(assessment, fragment_from_data(data, "f.yaml"))


def test_sipas_map_agrees_with_the_sipas_plugin() -> None:
    """Two implementations written apart: the plugin's SIPAS aggregator and the generic map."""
    from parindex_papi_sipas.sipas import aggregate_csv, round_fraction

    answers = REPO / "examples" / "sipas-answers.csv"
    result = api.survey(answers, "moha.province", 2023, "sipas-moha-province-2022")
    plugin = {u.unit: u.exact for u in aggregate_csv(answers).units}
    assert [u.unit for u in result.units] == sorted(plugin)
    for unit in result.units:
        (node,) = unit.nodes
        assert node.value_exact == plugin[unit.unit]
        pct = round_fraction(plugin[unit.unit], 2)
        # points = rounded % ÷ 100 × 10, half-up to 2 places (the map's unverified conversion)
        assert node.amount == round_fraction(Fraction(pct) / 10, 2)
        assert {s.status for s in node.steps} == {"unverified"}


def test_published_pair_ha_tinh_2021(tmp_path: Path) -> None:
    """Hà Tĩnh 2021: SIPAS 91.17 % ↔ 9.12 points (shared/data/sipas/sipas_published_2018_2022.csv).
    9,117 satisfied answers of 10,000 give 91.17 %; the map's conversion must give 9.12."""
    survey_map = api.load_survey_map("sipas-moha-province-2022")
    rows = [(f"r{i}", "ha-tinh", "E1.1", "5" if i < 9117 else "2") for i in range(10000)]
    one = survey_map_from_data(
        {
            "kind": "survey-map",
            "id": "one",
            "ruleset": "moha.province",
            "years": [2023],
            "view": "components",
            "scale": {"levels": 5, "lowest": 1},
            "nodes": [
                {
                    "code": "sipas",
                    "formula": "share",
                    "satisfied": [4, 5],
                    "output": "points",
                    "questions": ["E1.1"],
                }
            ],
        }
    )
    assert one.value_places == survey_map.value_places and one.places == survey_map.places
    result = survey_points(_csv(tmp_path, rows), one, api.get_ruleset("moha.province", 2023), 2023)
    (node,) = result.units[0].nodes
    assert node.value == Decimal("91.17") and node.amount == Decimal("9.12")


def test_weights_inside_a_group(tmp_path: Path) -> None:
    m = survey_map_from_data(_map(questions=["A", "B"], weights={"A": 3}))
    rows = [
        ("r1", "u", "A", "5"),
        ("r1", "u", "B", "1"),
        ("r2", "u", "A", "3"),
        ("r2", "u", "B", ""),
    ]
    result = survey_points(_csv(tmp_path, rows), m, api.get_ruleset("sonla.department", 2023), 2023)
    (node,) = result.units[0].nodes
    # A: mean 4 (weight 3), B: mean 1 (the blank is not an answer) → (12 + 1) / 4 = 13/4
    assert node.value_exact == Fraction(13, 4)
    # (3.25 − 1) / 4 × 30 = 16.875 → 16.88 half-up (points from the rounded value 3.25, the same)
    assert node.amount == Decimal("16.88")


@pytest.mark.parametrize(
    ("rows", "line", "what"),
    [
        ([("r1", "u", "A", "6")], 2, "not a level"),
        ([("r1", "u", "A", "x")], 2, "not a level"),
        ([("r1", "u", "Z", "3")], 2, "not in map"),
        ([("r1", "u", "A", "3"), ("r1", "u", "A", "4")], 3, "twice"),
    ],
)
def test_bad_answers_are_located(
    tmp_path: Path, rows: list[tuple[str, str, str, str]], line: int, what: str
) -> None:
    m = survey_map_from_data(_map(questions=["A", "B"]))
    with pytest.raises(SurveyError, match=what) as info:
        survey_points(_csv(tmp_path, rows), m, api.get_ruleset("sonla.department", 2023), 2023)
    assert info.value.line == line and info.value.file is not None


def test_split_respondent_is_refused_only_when_asked(tmp_path: Path) -> None:
    m = survey_map_from_data(_map(questions=["A", "B"]))
    rows = [("r1", "u", "A", "3"), ("r2", "u", "A", "4"), ("r1", "u", "B", "4")]
    path = _csv(tmp_path, rows)
    rs = api.get_ruleset("sonla.department", 2023)
    assert survey_points(path, m, rs, 2023).units[0].respondents == 3  # blocks, as documented
    with pytest.raises(SurveyError, match="appears again") as info:
        survey_points(path, m, rs, 2023, check_respondents=True)
    assert info.value.line == 4


def test_short_row_and_missing_column_are_located(tmp_path: Path) -> None:
    m = survey_map_from_data(_map(questions=["A"]))
    rs = api.get_ruleset("sonla.department", 2023)
    bad = tmp_path / "b.csv"
    bad.write_text("respondent,unit,question,answer\nr1,u\n", encoding="utf-8")
    with pytest.raises(CsvFormatError) as info:
        survey_points(bad, m, rs, 2023)
    assert info.value.line == 2
    bad.write_text("respondent,unit,answer\n", encoding="utf-8")
    with pytest.raises(CsvFormatError, match="question"):
        survey_points(bad, m, rs, 2023)


def test_map_must_fit_the_ruleset() -> None:
    rs = api.get_ruleset("sonla.department", 2023)
    with pytest.raises(SchemaError, match="no rule"):
        survey_points([], survey_map_from_data(_map(output="measure", questions=["A"])), rs, 2023)
    with pytest.raises(SchemaError, match="not in"):
        survey_points([], survey_map_from_data(_map(code="NOPE", questions=["A"])), rs, 2023)
    with pytest.raises(SchemaError, match="covers"):
        survey_points([], survey_map_from_data(_map(questions=["A"])), rs, 2024)


def test_map_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text(
        "kind: survey-map\nid: x\nruleset: r\nyears: [2023]\nscale: {levels: 5}\n"
        "nodes:\n  - code: A\n    formula: median\n    questions: [Q]\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError, match="formula") as info:
        api.load_survey_map(bad)
    assert info.value.line == 8 and info.value.code == "A"
