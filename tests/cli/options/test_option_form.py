"""``parindex form``: --output, --force, --missing, --params and --version.

Read back with ``parindex score``: a blank 2017 form scores 0 of 100 when blanks mean 0."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from cli_options import REPO, Cli
from openpyxl import load_workbook

from parindex.io.forms import COLUMN, FIRST_ROW

SONLA_PARAMS = REPO / "rulesets" / "sonla.department" / "params" / "2023.example.yaml"


def _cover(path: Path) -> dict[str, Any]:
    sheet = load_workbook(path).worksheets[0]
    return {str(r[0]): r[2] for r in sheet.iter_rows(values_only=True) if r[0] is not None}


def _maxima(path: Path) -> dict[str, Any]:
    out = {}
    for sheet in load_workbook(path).worksheets[1:-1]:
        for row in range(FIRST_ROW, sheet.max_row + 1):
            code = sheet.cell(row, COLUMN["code"]).value
            if code is not None:
                out[str(code)] = sheet.cell(row, COLUMN["maximum"]).value
    return out


def test_missing_zero_makes_a_blank_form_score_zero(cli: Cli, tmp_path: Path) -> None:
    strict, lenient = tmp_path / "strict.xlsx", tmp_path / "zero.xlsx"
    base = ("form", "moha.province", "--year", "2017", "--unit", "a")
    assert cli(*base, "--output", strict).out.split() == [str(strict)]
    assert cli(*base, "--missing", "zero", "--output", lenient).code == 0
    assert _cover(strict)["missing"].startswith("error")
    assert not _cover(lenient)["missing"].startswith("error")
    refused = cli("score", strict)
    assert refused.code == 1 and "no input" in refused.err
    got = cli("score", lenient)
    assert got.code == 0
    assert "Total: 0.00 / 100 · Index: 0.00 · Group: —" in got.out.splitlines()


def test_output_is_not_replaced_when_read_only_unless_forced(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "a.xlsx"
    base = ("form", "moha.province", "--year", "2017", "--unit", "a", "--output", out)
    assert cli(*base).code == 0
    out.write_bytes(b"old")
    os.chmod(out, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    refused = cli(*base)
    assert refused.code == 1 and "read-only" in refused.err and "--force" in refused.err
    assert out.read_bytes() == b"old"
    assert cli(*base, "--force").code == 0
    assert _cover(out)["unit"] == "a"


def test_params_write_the_yearly_maxima(cli: Cli, tmp_path: Path) -> None:
    plain, filled = tmp_path / "plain.xlsx", tmp_path / "filled.xlsx"
    base = ("form", "sonla.department", "--year", "2023", "--unit", "s")
    assert cli(*base, "-o", plain).code == 0
    assert cli(*base, "--params", SONLA_PARAMS, "-o", filled).code == 0
    assert _maxima(plain)["TD.1"] == "chưa công bố / not published"
    got = _maxima(filled)
    assert [got[f"TD.{i}"] for i in range(1, 9)] == [8, 7, 10, 7, 10, 6, 10, 12]
    assert (_cover(plain)["version"], _cover(filled)["version"]) == ("2021", "2021+params2023")
    assert _cover(filled)["parameters"] == SONLA_PARAMS.name


def test_version_by_name_must_cover_the_year(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "v.xlsx"
    assert cli("form", "moha.province", "--year", "2018", "--version", "2018", "-o", out).code == 0
    assert (_cover(out)["version"], _cover(out)["year"]) == ("2018", 2018)
    wrong = cli("form", "moha.province", "--year", "2017", "--version", "2018", "-o", out)
    assert wrong.code == 1
    assert "has no version for year 2017; years available: 2018" in wrong.err
