"""A filled form's problems, each located by file, sheet, cell and node code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from formfill import REPO, fill, row_of
from openpyxl import load_workbook

from parindex import api
from parindex.io.forms import COLUMN, COVER_SHEET
from parindex.model.documents import Unit
from parindex.model.errors import (
    AssessmentError,
    InputFileError,
    InputValueError,
    MissingInputError,
    PointsAboveMaximumError,
)

FULL = {"1": 9.5, "2": 8.75, "3": 13.5, "4": 10.25, "5": 14.5, "6": 6, "7": 13.75, "8": 12}


@pytest.fixture
def form(tmp_path: Path) -> Path:
    ruleset = api.get_ruleset("moha.province", 2017)
    [path] = api.write_forms(ruleset, 2017, [Unit(id="tinh-a")], tmp_path / "form.xlsx")
    return path


def _filled(form: Path, **changes: dict[str, Any]) -> Path:
    values: dict[str, dict[str, Any]] = {code: {"self": v} for code, v in FULL.items()}
    for code, cells in changes.items():
        values[code.replace("_", ".")] = {**values.get(code, {}), **cells}
    return fill(form, values)


def test_points_above_the_maximum_name_file_sheet_cell_and_node(form: Path) -> None:
    _filled(form, **{"3": {"self": 15}})
    with pytest.raises(PointsAboveMaximumError) as caught:
        api.score_form(form)
    err = caught.value
    assert (err.sheet, err.cell, err.code) == ("Lĩnh vực 3", "F2", "3")
    assert str(err).startswith(f"{form}: Lĩnh vực 3!F2: [node 3] points 15 are above the maximum")
    assert err.to_dict()["cell"] == "F2"


def test_an_appraised_value_is_located_at_the_appraised_cell(form: Path) -> None:
    _filled(form, **{"5": {"appraised": "16,5", "reason": "?"}})
    with pytest.raises(PointsAboveMaximumError) as caught:
        api.score_form(form)
    assert (caught.value.sheet, caught.value.cell, caught.value.code) == ("Lĩnh vực 5", "G2", "5")
    assert "16.5" in caught.value.message


def test_text_that_is_no_number(form: Path) -> None:
    _filled(form, **{"2": {"self": "tám"}})
    with pytest.raises(InputValueError) as caught:
        api.read_form(form)
    assert (caught.value.sheet, caught.value.cell, caught.value.code) == ("Lĩnh vực 2", "F2", "2")
    assert "'tám'" in caught.value.message


def test_a_form_of_another_ruleset_content_is_refused_naming_both(tmp_path: Path) -> None:
    params = REPO / "rulesets/sonla.department/params/2023.example.yaml"
    ruleset = api.with_parameters(api.get_ruleset("sonla.department", 2023), params, 2023)
    [form] = api.write_forms(ruleset, 2023, ["so-a"], tmp_path / "so-a.xlsx", parameters="p.yaml")
    with pytest.raises(AssessmentError) as caught:
        api.read_form(form)  # without the parameters it was made with
    err = caught.value
    assert err.sheet == COVER_SHEET and err.cell is not None
    assert "sonla.department version 2021+params2023" in err.message
    assert "sonla.department version 2021 (" in err.message
    assert err.hint is not None and "p.yaml" in err.hint


def test_a_changed_content_hash_is_refused(form: Path) -> None:
    book = load_workbook(form)
    cover = book[COVER_SHEET]
    row = next(r for r in range(1, 30) if cover.cell(r, 1).value == "content_hash")
    cover.cell(row, 3, "sha256:" + "0" * 64)
    book.save(form)
    with pytest.raises(
        AssessmentError, match=r"made for moha\.province version 2017 \(sha256:0000"
    ):
        api.read_form(form)


def test_blank_inputs_under_the_error_policy_are_listed(form: Path) -> None:
    values = {code: {"self": v} for code, v in FULL.items() if code not in ("4", "7")}
    fill(form, values)
    assert api.read_form(form).inputs.keys() == set(FULL) - {"4", "7"}
    with pytest.raises(MissingInputError) as caught:
        api.score_form(form)
    assert "2 leaf node(s) have no input: 4, 7" in caught.value.message
    assert (caught.value.sheet, caught.value.cell) == ("Lĩnh vực 4", "F2")


def test_a_code_typed_over_is_refused(form: Path) -> None:
    _filled(form)
    book = load_workbook(form)
    book["Lĩnh vực 6"].cell(2, COLUMN["code"], "6.9")
    book.save(form)
    with pytest.raises(InputFileError) as caught:
        api.read_form(form)
    assert (caught.value.sheet, caught.value.cell) == ("Lĩnh vực 6", "A2")
    assert "'6.9'" in caught.value.message


def test_evidence_without_a_number_title_or_link(form: Path) -> None:
    _filled(form, **{"1": {"ev_issuer": "UBND tỉnh"}})
    with pytest.raises(InputValueError) as caught:
        api.read_form(form)
    assert (caught.value.sheet, caught.value.cell, caught.value.code) == ("Lĩnh vực 1", "I2", "1")
    assert "needs a number, a title" in caught.value.message


def test_a_date_that_is_no_date(form: Path) -> None:
    _filled(form, **{"1": {"ev_number": "1/QĐ", "ev_date": "31/02/2017"}})
    with pytest.raises(InputValueError, match="'31/02/2017' is not a date"):
        api.read_form(form)


def test_a_blank_form_needs_its_unit(tmp_path: Path) -> None:
    [form] = api.write_forms(api.get_ruleset("moha.province", 2017), 2017, [], tmp_path)
    assert form.name == "form.xlsx"
    with pytest.raises(InputFileError) as caught:
        api.read_form(form)
    assert caught.value.sheet == COVER_SHEET and "Unit id" in caught.value.message


def test_not_a_form(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    with pytest.raises(InputFileError, match="no sheet 'Hướng dẫn'"):
        api.read_form(path)


def test_a_formula_typed_in_an_input_cell_is_not_trusted(form: Path) -> None:
    _filled(form, **{"1": {"self": "=10-0.5"}})
    with pytest.raises(InputFileError, match="no saved value") as caught:
        api.read_form(form)
    assert row_of(load_workbook(form)["Lĩnh vực 1"], "1") == 2
    assert "Lĩnh vực 1" in str(caught.value)


def test_a_bad_self_assessed_value_beside_a_good_appraised_one_is_located_at_the_self_cell(
    form: Path,
) -> None:
    _filled(form, **{"6": {"self": 7.5, "appraised": 6.5, "reason": "r"}})
    with pytest.raises(PointsAboveMaximumError) as caught:
        api.score_form(form)
    assert (caught.value.sheet, caught.value.cell) == ("Lĩnh vực 6", "F2")
    assert "7.5" in caught.value.message
