"""``parindex rulesets --format``: the same versions in every format."""

from __future__ import annotations

import csv
import io
import json

from cli_options import Cli

import parindex


def test_format_json_csv_markdown_list_every_version(cli: Cli) -> None:
    expected = {(i.id, i.version) for i in parindex.list_rulesets()}
    assert ("moha.province", "2017") in expected and ("papi", "2018") in expected

    got = cli("rulesets", "--format", "json")
    assert got.code == 0
    rows = json.loads(got.out)
    assert {(r["id"], r["version"]) for r in rows} == expected
    first = next(r for r in rows if (r["id"], r["version"]) == ("moha.province", "2017"))
    assert (first["years"], first["status"], first["unit_kind"]) == (
        [2017],
        "confirmed",
        "province",
    )
    assert first["source"].startswith("2948/QĐ-BNV, 2017-12-28 ")

    got = cli("rulesets", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(got.out)))
    assert list(table[0]) == ["id", "version", "years", "unit", "status", "title", "source"]
    assert {(r["id"], r["version"]) for r in table} == expected
    assert len(table) == len(rows)

    got = cli("rulesets", "--format", "markdown")
    lines = got.out.splitlines()
    assert lines[0].replace(" ", "") == "|id|version|years|unit|status|title|source|"
    body = [line for line in lines[2:] if line.startswith("|")]
    assert {tuple(c.strip() for c in line.split("|")[1:3]) for line in body} == expected
