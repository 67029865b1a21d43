"""``parindex history``: --format (table, CSV, JSON) and --ruleset (which datasets by default).

By hand from the bundled data: Quảng Ninh's PAR INDEX 89.06 (2018) → 90.09 (2019) is +1.03
points; its PAPI total 34.908628 (2011) → 35.509269 (2012) is +0.600641."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from cli_options import Cli


def test_format_csv_and_json_carry_the_same_rows(cli: Cli) -> None:
    as_json = cli("history", "quang-ninh", "--format", "json")
    assert as_json.code == 0, as_json.err
    rows = json.loads(as_json.out)["rows"]
    assert {r["ruleset"] for r in rows} == {"moha.province"}
    by_year = {r["year"]: r for r in rows}
    assert (by_year[2018]["index"], by_year[2019]["index"]) == ("89.06", "90.09")
    assert by_year[2019]["change"]["points"] == "1.03" and by_year[2019]["change"]["since"] == 2018

    as_csv = cli("history", "quang-ninh", "--format", "csv")
    assert as_csv.code == 0
    table = list(csv.DictReader(io.StringIO(as_csv.out)))
    assert [(int(r["year"]), r["index"]) for r in table] == [(r["year"], r["index"]) for r in rows]
    assert next(r for r in table if r["year"] == "2019")["change_points"] == "1.03"

    text = cli("history", "quang-ninh", "--format", "table").out.splitlines()
    assert [line.split()[3] for line in text if line.startswith("Quảng Ninh")] == [
        r["index"] for r in rows
    ]


def test_ruleset_chooses_the_default_datasets(cli: Cli) -> None:
    papi = json.loads(cli("history", "quang-ninh", "--ruleset", "papi", "--format", "json").out)
    rows = papi["rows"]
    assert {r["ruleset"] for r in rows} == {"papi"}
    assert [r["year"] for r in rows] == [2011, 2012, 2013, 2014, 2015, 2016]
    assert (rows[0]["index"], rows[1]["index"]) == ("34.908628", "35.509269")
    assert Decimal(rows[1]["change"]["points"]) == Decimal("0.600641")
    par = json.loads(cli("history", "quang-ninh", "--ruleset", "moha.province", "-f", "json").out)
    assert {r["ruleset"] for r in par["rows"]} == {"moha.province"}
