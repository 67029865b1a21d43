"""``parindex show``: --format, --version (by name, instead of --year) and --params (maxima)."""

from __future__ import annotations

import csv
import io
import json

from cli_options import REPO, Cli

SONLA_PARAMS = REPO / "rulesets" / "sonla.department" / "params" / "2023.example.yaml"


def _maxima(text: str) -> dict[str, str]:
    return {r["Code"]: r["Maximum"] for r in csv.DictReader(io.StringIO(text))}


def test_format_csv_and_json_give_the_2017_field_maxima(cli: Cli) -> None:
    # 2948/QĐ-BNV: fields 1..8 have 10, 10, 14.5, 11, 16, 7, 16, 15.5 (domain.md §2.1)
    published = ["10", "10", "14.5", "11", "16", "7", "16", "15.5"]
    got = cli("show", "moha.province", "--year", "2017", "--format", "csv")
    assert got.code == 0
    assert [_maxima(got.out)[str(i)] for i in range(1, 9)] == published
    data = json.loads(cli("show", "moha.province", "--year", "2017", "--format", "json").out)
    assert (data["id"], data["version"], data["maximum"]) == ("moha.province", "2017", "100")
    assert [n["maximum"] for n in data["nodes"]] == published
    md = cli("show", "moha.province", "--year", "2017", "--format", "markdown").out
    cells = [[c.strip() for c in line.split("|")[1:-1]] for line in md.splitlines()]
    rows = {c[1]: c[3] for c in cells if len(c) == 8 and c[1] in {str(i) for i in range(1, 9)}}
    assert [rows[str(i)] for i in range(1, 9)] == published


def test_version_picks_by_name_what_year_picks_by_year(cli: Cli) -> None:
    by_year = cli("show", "moha.province", "--year", "2023", "--format", "json")
    by_name = cli("show", "moha.province", "--version", "2022", "--format", "json")
    assert by_year.code == by_name.code == 0
    assert json.loads(by_name.out)["years"] == [2022, 2023]
    assert by_name.out == by_year.out
    other = json.loads(cli("show", "moha.province", "--version", "2017", "--format", "json").out)
    assert other["years"] == [2017]
    assert cli("show", "moha.province", "--version", "1999").code != 0


def test_params_fill_in_the_yearly_maxima(cli: Cli) -> None:
    plain = _maxima(cli("show", "sonla.department", "--year", "2023", "--format", "csv").out)
    assert plain["TD.1"] == "— not published" and plain["TD"] == "70"
    got = cli(
        "show", "sonla.department", "--year", "2023", "--params", SONLA_PARAMS, "--format", "csv"
    )
    assert got.code == 0
    filled = _maxima(got.out)
    # the example file's made-up maxima: 8 + 7 + 10 + 7 + 10 + 6 + 10 + 12 = 70
    assert [filled[f"TD.{i}"] for i in range(1, 9)] == ["8", "7", "10", "7", "10", "6", "10", "12"]
    assert filled["TD"] == "70" and filled["XHH"] == plain["XHH"] == "30"
