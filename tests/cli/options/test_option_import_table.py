"""``parindex import-table``: the metadata options and --sheet (XLSX).

Each option must land in the written ruleset; --sheet picks which sheet of a workbook is read."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml
from cli_options import EXAMPLES, Cli
from openpyxl import Workbook

TABLE = EXAMPLES / "authoring" / "ca-mau-2013-table.csv"
BASE = ("--id", "camau.department", "--years", "2013-2014", "--unit-kind", "department")


def test_metadata_options_are_written(cli: Cli) -> None:
    plain = cli("import-table", TABLE, *BASE)
    assert plain.code == 0, plain.err
    data = yaml.safe_load(plain.out)
    assert (data["version"], data["status"], data["source"]) == (
        "2013",
        "unverified",
        {"document": None},
    )
    assert "authority" not in data and "title" not in data
    options = {
        "--version": "v1", "--authority": "UBND tỉnh Cà Mau", "--title": "Bộ chỉ số",
        "--document": "1880/QĐ-UBND", "--url": "https://example.org/qd", "--status": "confirmed",
    }  # fmt: skip
    got = cli("import-table", TABLE, *BASE, *(x for pair in options.items() for x in pair))
    assert got.code == 0, got.err
    data = yaml.safe_load(got.out)
    assert (data["id"], data["version"], data["years"]) == ("camau.department", "v1", [2013, 2014])
    assert data["authority"] == {"vi": "UBND tỉnh Cà Mau"}
    assert data["title"] == {"vi": "Bộ chỉ số"}
    assert data["source"] == {"document": "1880/QĐ-UBND", "url": "https://example.org/qd"}
    assert data["status"] == "confirmed"
    assert data["nodes"] == yaml.safe_load(plain.out)["nodes"]


def test_sheet_picks_the_sheet_to_read(cli: Cli, tmp_path: Path) -> None:
    with TABLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Ghi chú"
    first.append(["Mã", "Tiêu chí", "Điểm tối đa"])
    first.append(["9", "Một lĩnh vực khác", 3])
    table = book.create_sheet("Bảng điểm")
    for row in rows:
        table.append(row)  # every cell as text, as a typed-in table often is
    path = tmp_path / "table.xlsx"
    book.save(path)

    default = yaml.safe_load(cli("import-table", path, *BASE).out)
    assert [n["code"] for n in default["nodes"]] == ["9"]
    got = cli("import-table", path, *BASE, "--sheet", "Bảng điểm")
    assert got.code == 0, got.err
    picked = yaml.safe_load(got.out)
    from_csv = yaml.safe_load(cli("import-table", TABLE, *BASE).out)
    assert picked["nodes"] == from_csv["nodes"]
    assert cli("import-table", path, *BASE, "--sheet", "Không có").code != 0
