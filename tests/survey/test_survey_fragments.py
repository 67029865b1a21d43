"""Survey fragments beyond ``--survey``: an assessment listing its own fragments (``survey:``,
relative to the assessment file), ``parindex validate`` on a fragment, and the ``survey`` and
``score --survey`` command-line options."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from parindex import api
from parindex.cli.main import main
from parindex.model.errors import AssessmentError, ParindexError, SchemaError

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "surveys"
APPRAISED = EXAMPLES / "sonla-department-2023-appraised.yaml"
LISTED = EXAMPLES / "sonla-department-2023-listed.yaml"
SHIPPED_FRAGMENT = EXAMPLES / "points" / "so-minh-hoa.yaml"
SONLA_PARAMS = REPO / "rulesets" / "sonla.department" / "params" / "2023.example.yaml"
SURVEY_ARGS = [
    "--ruleset",
    "sonla.department",
    "--year",
    "2023",
    "--map",
    "sonla-department-xhh-example",
]


def _fragment(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "survey-points",
        "ruleset": "sonla.department",
        "year": 2023,
        "unit": {"id": "so-minh-hoa"},
        "inputs": {"XHH": {"points": "23.00"}},
    }
    data.update(changes)
    return data


def _write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # leaf mappings in flow style, as the examples write them: `XHH: {points: '23.00'}`
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)
    path.write_text(text, encoding="utf-8")
    return path


def _assessment_listing(tmp_path: Path, survey: object, name: str = "a.yaml") -> Path:
    """The appraised example, written under tmp_path/case/ with a ``survey:`` entry."""
    data = yaml.safe_load(APPRAISED.read_text(encoding="utf-8"))
    data["survey"] = survey
    return _write(tmp_path / "case" / name, data)


# ------------------------------------------------------------------- the assessment's own list
def test_listed_fragment_scores_as_survey_does() -> None:
    listed = api.score(LISTED, params=SONLA_PARAMS)
    given = api.score_with_survey(APPRAISED, [SHIPPED_FRAGMENT], params=SONLA_PARAMS)
    # by hand (examples/surveys/sonla-department-2023-appraised.yaml): TD 57.00 + XHH 23.00
    assert listed.total == Decimal("80.00") == given.total
    assert listed.node("XHH").points == Decimal("23")
    assert listed.unverified_codes == given.unverified_codes and "XHH" in listed.unverified_codes
    assert listed.notes == given.notes
    assert any("EXAMPLE" in n for n in listed.notes)
    assert any("[unverified]" in n and "XHH" in n for n in listed.notes)


def test_without_its_fragment_the_same_assessment_lacks_the_survey_node() -> None:
    # the listed file differs from the appraised one by its `survey:` line: without it, XHH is
    # missing and the assessment (missing: error) is refused, naming the node
    with pytest.raises(ParindexError, match="XHH"):
        api.score(APPRAISED, params=SONLA_PARAMS)


def test_paths_are_relative_to_the_assessment_not_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "frags" / "x.yaml", _fragment(inputs={"XHH": {"points": "12.5"}}))
    path = _assessment_listing(tmp_path, ["../frags/x.yaml"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    card = api.score(path, params=SONLA_PARAMS)
    assert card.node("XHH").points == Decimal("12.5")
    assert card.total == Decimal("57.00") + Decimal("12.5")


def test_two_listed_fragments_each_give_their_node(tmp_path: Path) -> None:
    appraised = yaml.safe_load(APPRAISED.read_text(encoding="utf-8"))
    td8 = appraised["inputs"].pop("TD.8")  # 10.5 points, now given by a second fragment
    _write(tmp_path / "case" / "one.yaml", _fragment())
    _write(tmp_path / "case" / "two.yaml", _fragment(inputs={"TD.8": {"points": str(td8)}}))
    appraised["survey"] = ["one.yaml", "two.yaml"]
    path = _write(tmp_path / "case" / "a.yaml", appraised)
    assert api.score(path, params=SONLA_PARAMS).total == Decimal("80.00")


def test_a_missing_fragment_names_it_and_the_listing_line(tmp_path: Path) -> None:
    path = _assessment_listing(tmp_path, "nope.yaml")
    with pytest.raises(ParindexError) as info:
        api.score(path)
    assert info.value.file is not None and info.value.file.endswith("nope.yaml")
    line = next(
        i for i, text in enumerate(path.read_text("utf-8").splitlines(), 1) if "survey" in text
    )
    assert info.value.hint and f"{path}:{line}" in info.value.hint


def test_a_survey_entry_that_is_not_a_path_is_located(tmp_path: Path) -> None:
    path = _assessment_listing(tmp_path, 5)
    with pytest.raises(SchemaError, match="survey fragment files") as info:
        api.score(path)
    assert info.value.file == str(path) and info.value.line is not None
    path = _assessment_listing(tmp_path, ["ok.yaml", 7], "b.yaml")
    with pytest.raises(SchemaError, match="not a file path") as second:
        api.score(path)
    assert second.value.line is not None


def test_a_listed_fragment_for_another_unit_names_the_fragment(tmp_path: Path) -> None:
    frag = _write(tmp_path / "case" / "other.yaml", _fragment(unit={"id": "another"}))
    path = _assessment_listing(tmp_path, "other.yaml")
    with pytest.raises(AssessmentError, match="unit") as info:
        api.score(path)
    assert info.value.file == str(frag)


def test_a_listed_fragment_given_again_with_survey_is_refused() -> None:
    with pytest.raises(AssessmentError, match="given both"):
        api.score_with_survey(LISTED, [SHIPPED_FRAGMENT], params=SONLA_PARAMS)


def test_the_planning_reader_merges_the_listed_fragment() -> None:
    card = api.read_card(LISTED, [api.get_ruleset("sonla.department", 2023)])
    assert card.node("XHH").points == Decimal("23")
    assert "XHH" in card.unverified_codes


def test_the_shipped_fragment_is_what_survey_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)  # the fragment records the answer file as given
    out = tmp_path / "points"
    answers = "examples/surveys/sonla-answers.csv"
    assert main(["survey", answers, *SURVEY_ARGS, "--output", str(out)]) == 0
    assert (out / "so-minh-hoa.yaml").read_bytes() == SHIPPED_FRAGMENT.read_bytes()


# ------------------------------------------------------------------- validate a fragment
def test_validate_detects_a_fragment_and_checks_it() -> None:
    assert api.validate_file(SHIPPED_FRAGMENT) == "survey fragment"
    assert api.validate_file(LISTED) == "assessment"


@pytest.mark.parametrize(
    ("inputs", "what"),
    [
        ({"XHH": {"points": "31.50"}}, "above the maximum 30"),
        ({"XHH": {"points": "-1"}}, "below 0"),
        ({"XHH": {"points": "many"}}, "not a number"),
        ({"XHH": {"measure": "4.2"}}, "no rule to take a measure"),
        ({"NOPE": {"points": "1"}}, "not in sonla.department"),
        ({"TD": {"points": "1"}}, "has children"),
        ({"XHH": {"points": "1", "measure": "2"}}, "exactly one of points or measure"),
    ],
)
def test_a_bad_fragment_input_is_located(tmp_path: Path, inputs: object, what: str) -> None:
    path = _write(tmp_path / "f.yaml", _fragment(inputs=inputs))
    with pytest.raises(SchemaError, match=what) as info:
        api.validate_file(path)
    code = next(iter(inputs))  # type: ignore[call-overload]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert info.value.file == str(path)
    assert info.value.line is not None and code in lines[info.value.line - 1]


def test_a_fragment_for_a_year_no_version_covers_is_located_at_its_year(tmp_path: Path) -> None:
    path = _write(tmp_path / "f.yaml", _fragment(year=2031))
    with pytest.raises(ParindexError) as info:
        api.validate_file(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert info.value.line is not None and lines[info.value.line - 1].startswith("year:")
    path = _write(tmp_path / "g.yaml", _fragment(ruleset="no.such"))
    with pytest.raises(ParindexError) as other:
        api.validate_file(path)
    assert other.value.line is not None
    assert path.read_text("utf-8").splitlines()[other.value.line - 1].startswith("ruleset:")


def test_a_fragment_of_a_view_is_checked_in_that_view(tmp_path: Path) -> None:
    ok = _fragment(
        ruleset="moha.province",
        view="components",
        unit={"id": "unit-01"},
        inputs={"sipas": {"points": "6.10"}},
    )
    assert api.validate_file(_write(tmp_path / "ok.yaml", ok)) == "survey fragment"


def test_cli_validate_reports_a_fragment_and_refuses_a_bad_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", str(SHIPPED_FRAGMENT), str(LISTED)]) == 0
    out = capsys.readouterr().out
    assert f"{SHIPPED_FRAGMENT}: valid survey fragment" in out
    assert f"{LISTED}: valid assessment" in out
    bad = EXAMPLES / "bad-fragment.yaml"
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:9:" in err and "XHH" in err


# ------------------------------------------------------------------- command-line options
def test_cli_score_with_survey_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [str(APPRAISED), "--params", str(SONLA_PARAMS), "--format", "json"]
    assert main(["score", *args, "--survey", str(SHIPPED_FRAGMENT)]) == 0
    card = json.loads(capsys.readouterr().out)
    assert Decimal(str(card["total"])) == Decimal("80.00")
    assert "XHH" in card["unverified_codes"]


def test_cli_survey_format_json_and_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    answers = str(EXAMPLES / "sonla-answers.csv")
    assert main(["survey", answers, *SURVEY_ARGS, "--format", "json"]) == 0
    (fragment,) = json.loads(capsys.readouterr().out)
    assert fragment["kind"] == "survey-points"
    assert fragment["inputs"] == {"XHH": {"points": "23.00"}}
    assert main(["survey", answers, *SURVEY_ARGS, "--format", "yaml"]) == 0
    docs = [d for d in yaml.safe_load_all(capsys.readouterr().out) if d]
    assert [d["unit"]["id"] for d in docs] == ["so-minh-hoa"]
    assert docs[0]["steps"]["XHH"]["value_exact"] == "61/15"  # (2 × 21/5 + 19/5) / 3


def test_cli_survey_output_json_files(tmp_path: Path) -> None:
    answers = str(EXAMPLES / "sonla-answers.csv")
    out = tmp_path / "json"
    assert main(["survey", answers, *SURVEY_ARGS, "--output", str(out), "-f", "json"]) == 0
    written = json.loads((out / "so-minh-hoa.json").read_text(encoding="utf-8"))
    assert written["inputs"] == {"XHH": {"points": "23.00"}}
    # a JSON fragment is read back like a YAML one
    card = api.score_with_survey(APPRAISED, [out / "so-minh-hoa.json"], params=SONLA_PARAMS)
    assert card.total == Decimal("80.00")


def test_cli_survey_check_respondents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    split = tmp_path / "split.csv"
    split.write_text(
        "respondent,unit,question,answer\nc1,so-minh-hoa,CC1,5\nc2,so-minh-hoa,CC1,4\n"
        "c1,so-minh-hoa,CC2,4\n",
        encoding="utf-8",
    )
    assert main(["survey", str(split), *SURVEY_ARGS]) == 0  # blocks: three respondents
    assert "so-minh-hoa  3" in capsys.readouterr().out
    assert main(["survey", str(split), *SURVEY_ARGS, "--check-respondents"]) == 1
    err = capsys.readouterr().err
    assert f"{split}:4" in err and "appears again" in err


def test_cli_survey_force_replaces_an_input_it_would_overwrite(tmp_path: Path) -> None:
    # the answers file sits where the unit's fragment goes: writing it would destroy an input
    out = tmp_path / "points"
    out.mkdir()
    answers = out / "so-minh-hoa.yaml"
    original = (EXAMPLES / "sonla-answers.csv").read_bytes()
    answers.write_bytes(original)
    assert main(["survey", str(answers), *SURVEY_ARGS, "--output", str(out)]) == 1
    assert answers.read_bytes() == original
    assert main(["survey", str(answers), *SURVEY_ARGS, "--output", str(out), "--force"]) == 0
    assert yaml.safe_load(answers.read_text(encoding="utf-8"))["inputs"] == {
        "XHH": {"points": "23.00"}
    }
