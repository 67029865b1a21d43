"""Every branch of ``reproduce.published``: each way a published dataset CSV is refused (with its
line and column), blank lines, and the precision of a row built in code."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rp_helpers import write

from parindex.analysis.reproduce import PublishedRow, read_published
from parindex.analysis.reproduce.published import TOTAL
from parindex.model.errors import CsvFormatError

HEAD = "ruleset,year,unit,total,rank,A\n"


def _refused(tmp_path: Path, text: str) -> CsvFormatError:
    f = write(tmp_path, text)
    with pytest.raises(CsvFormatError) as err:
        read_published(f)
    assert err.value.file == str(f)
    return err.value


# ------------------------------------------------------------------------------------ header
def test_an_empty_file_is_refused_at_line_1(tmp_path: Path) -> None:
    err = _refused(tmp_path, "")
    assert (err.message, err.line) == ("the file is empty", 1)


def test_a_header_that_is_not_csv_is_refused(tmp_path: Path) -> None:
    # a carriage return inside an unquoted name (the lines are split at line feeds only)
    err = _refused(tmp_path, "ruleset,ye\rar,unit\n")
    assert err.line == 1
    assert err.message.startswith(
        "the header cannot be read as CSV: new-line character seen in unquoted field"
    )


def test_an_empty_column_name_is_refused_with_its_position(tmp_path: Path) -> None:
    err = _refused(tmp_path, "ruleset,year, ,unit\n")
    assert (err.message, err.line) == ("empty column name (column 3)", 1)


def test_duplicated_and_missing_columns_are_named(tmp_path: Path) -> None:
    err = _refused(tmp_path, "ruleset,year,unit,A,total,A,total\n")
    assert (err.message, err.line) == ("duplicated column(s): A, total", 1)
    err = _refused(tmp_path, "unit,total\n")
    assert (err.message, err.line) == ("missing column(s): ruleset, year", 1)
    assert err.hint is not None and err.hint.startswith("columns: ruleset, year, unit")


# -------------------------------------------------------------------------------------- rows
def test_blank_lines_are_skipped_and_line_numbers_kept(tmp_path: Path) -> None:
    rows = read_published(write(tmp_path, HEAD + "\n , ,,,,\nmoha.province,2021,U,80.5,1,3.25\n\n"))
    (row,) = rows
    assert (row.line, row.unit, row.total, row.rank) == (4, "U", Decimal("80.5"), 1)
    assert row.values == {"A": Decimal("3.25")} and row.decimals == 2


def test_a_row_with_another_number_of_cells_is_refused(tmp_path: Path) -> None:
    err = _refused(tmp_path, HEAD + "moha.province,2021,U,80\n")
    assert (err.message, err.line) == ("row has 4 cells, the header has 6", 2)


def test_a_unit_given_twice_for_a_year_is_refused_with_both_lines(tmp_path: Path) -> None:
    err = _refused(
        tmp_path,
        HEAD + "moha.province,2021,U,80,,\nmoha.province,2020,U,80,,\nmoha.province,2021,U,81,,\n",
    )
    assert err.message == "unit 'U' appears twice for moha.province 2021 (lines 2 and 4)"
    assert (err.line, err.field) == (4, "unit")


def test_a_data_line_that_is_not_csv_is_refused_at_its_line(tmp_path: Path) -> None:
    err = _refused(tmp_path, HEAD + "moha.province,2021,U,80,,\nmoha.prov\rince,2021,V,80,,\n")
    assert err.line == 3
    assert err.message.startswith("new-line character seen in unquoted field")


@pytest.mark.parametrize(
    ("cells", "message", "field", "code"),
    [
        (",2021,U,80,,", "empty ruleset", "ruleset", None),
        ("moha.province,,U,80,,", "empty year", "year", None),
        ("moha.province,2021,,80,,", "empty unit", "unit", None),
        ("moha.province,2021.0,U,80,,", "year '2021.0' is not a whole number", "year", None),
        ("moha.province,٢٠٢١,U,80,,", "year '٢٠٢١' is not a whole number", "year", None),
        ("moha.province,2_021,U,80,,", "year '2_021' is not a whole number", "year", None),
        ("moha.province,2021,U,80,first,", "rank 'first' is not a whole number ≥ 1", "rank", None),
        ("moha.province,2021,U,80,0,", "rank '0' is not a whole number ≥ 1", "rank", None),
        ("moha.province,2021,U,80,-3,", "rank '-3' is not a whole number ≥ 1", "rank", None),
    ],
)
def test_a_bad_cell_is_refused_naming_its_column(
    tmp_path: Path, cells: str, message: str, field: str, code: str | None
) -> None:
    err = _refused(tmp_path, HEAD + cells + "\n")
    assert (err.message, err.line, err.field, err.code) == (message, 2, field, code)


def test_a_bad_number_names_its_column_and_a_node_its_code(tmp_path: Path) -> None:
    err = _refused(tmp_path, HEAD + "moha.province,2021,U,80,,3.5x\n")
    assert (err.line, err.field, err.code) == (2, "A", "A")
    err = _refused(tmp_path, HEAD + "moha.province,2021,U,eighty,,\n")
    assert (err.line, err.field, err.code) == (2, "total", None)


# ------------------------------------------------------------------------------- precision
def test_a_row_built_in_code_takes_each_number_s_precision_from_its_value() -> None:
    row = PublishedRow(
        line=1,
        ruleset="moha.province",
        year=2021,
        unit="U",
        unit_name=None,
        total=Decimal("7"),
        rank=None,
        group=None,
        source=None,
        note=None,
        view=None,
        values={"A": Decimal("1.50"), "B": Decimal("2.125")},
        decimals=3,
    )
    assert row.quantum("A") == Decimal("0.01")  # the trailing zero counts
    assert row.quantum("B") == Decimal("0.001")
    assert row.quantum(TOTAL) == Decimal("1")


def test_a_row_read_from_a_file_keeps_the_precision_as_written(tmp_path: Path) -> None:
    (row,) = read_published(write(tmp_path, HEAD + "moha.province,2021,U,80,,3.25\n"))
    # "80" is a bare integer among 2-decimal numbers: read at 0.01
    assert row.quantum(TOTAL) == Decimal("0.01") and row.texts == {"A": "3.25", "total": "80"}
