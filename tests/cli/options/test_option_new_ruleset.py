"""``parindex new-ruleset``: every option lands in the package it makes."""

from __future__ import annotations

import tomllib
from pathlib import Path

from cli_options import Cli

from parindex import api


def test_defaults_and_options(cli: Cli, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    assert cli("new-ruleset", plain, "--id", "camau.department", "--years", "2013").code == 0
    skeleton = api.load_ruleset(
        plain / "src" / "parindex_camau_department" / "rulesets" / "camau.department" / "2013.yaml"
    )
    assert (skeleton.version, skeleton.years, skeleton.unit_kind) == ("2013", (2013,), "department")

    made = tmp_path / "made"
    options = {
        "--id": "camau.department", "--years": "2013-2014", "--version": "v1",
        "--unit-kind": "commune", "--authority": "UBND tỉnh Cà Mau", "--title": "Bộ chỉ số xã",
        "--document": "1880/QĐ-UBND", "--package": "camau_rules",
    }  # fmt: skip
    got = cli("new-ruleset", made, *(x for pair in options.items() for x in pair))
    assert got.code == 0, got.err
    assert "src/camau_rules/rulesets/camau.department/v1.yaml" in got.out.split()
    ruleset = api.load_ruleset(
        made / "src" / "camau_rules" / "rulesets" / "camau.department" / "v1.yaml"
    )
    assert (ruleset.id, ruleset.version, ruleset.years) == ("camau.department", "v1", (2013, 2014))
    assert ruleset.unit_kind == "commune"
    assert ruleset.authority is not None and ruleset.authority.vi == "UBND tỉnh Cà Mau"
    assert ruleset.title.vi == "Bộ chỉ số xã"
    assert ruleset.source.document == "1880/QĐ-UBND"
    project = tomllib.loads((made / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["parindex"] == {"camau_department": "camau_rules"}
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/camau_rules"]
    assert (made / "tests" / "test_camau_rules.py").is_file()
    assert (made / "tests" / "v1-example.case.yaml").is_file()
