"""``parindex diff --provenance``: a change of source only shows with the option."""

from __future__ import annotations

import json
from pathlib import Path

from cli_options import Cli

OLD = """\
id: demo.set
version: "1"
years: [2024]
unit_kind: province
source: {document: "1/QĐ"}
nodes:
  - {code: "1", title: a, maximum: 9, source: {document: "1/QĐ", clause: "Điều 1"}}
  - {code: "2", title: b, maximum: 7}
"""


def test_provenance_compares_sources(cli: Cli, tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(
        OLD.replace('version: "1"', 'version: "2"').replace("Điều 1", "Điều 2"), encoding="utf-8"
    )
    plain = json.loads(cli("diff", old, new, "--format", "json").out)
    assert (plain["provenance"], plain["changed"], plain["added"], plain["removed"]) == (
        False,
        [],
        [],
        [],
    )
    got = cli("diff", old, new, "--provenance", "--format", "json")
    assert got.code == 0
    data = json.loads(got.out)
    assert data["provenance"] is True
    assert data["changed"] == [
        {
            "code": "1",
            "view": "main",
            "changes": {
                "source": {
                    "old": {"document": "1/QĐ", "clause": "Điều 1"},
                    "new": {"document": "1/QĐ", "clause": "Điều 2"},
                }
            },
        }
    ]
    table = cli("diff", old, new, "--provenance").out.splitlines()
    assert "0 added, 0 removed, 1 changed node(s); 0 ruleset field(s) changed" in table
    assert ["changed", "1", "source", "1/QĐ,", "Điều", "1", "1/QĐ,", "Điều", "2"] in [
        line.split() for line in table
    ]
