"""``parindex diff``: nodes added, removed and changed between two versions, as a table and JSON.

Expected sets are read off the files by hand: rulesets/moha.province/2022.yaml against 2024.yaml,
and tests/authoring/fixtures/amend/ (base-2013 against its amendment amend-2014).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from parindex import get_ruleset, load_ruleset
from parindex.authoring.diff import diff_rulesets
from parindex.cli.main import main


def changed_fields(d: object) -> dict[str, set[str]]:
    return {c.code: {ch.field for ch in c.changes} for c in d.changed}  # type: ignore[attr-defined]


def test_moha_2022_to_2024_lists_exactly_the_changed_nodes() -> None:
    d = diff_rulesets(
        get_ruleset("moha.province", version="2022"), get_ruleset("moha.province", version="2024")
    )
    # 2024 has no `components` view: its four nodes are gone; no node is new
    assert {n.code for n in d.removed} == {"appraisal", "sipas", "leaders", "impact"}
    assert {n.view for n in d.removed} == {"components"}
    assert d.added == ()
    # field 2's title lost "(văn bản quy phạm pháp luật)"; fields 3, 4, 5, 8 gained maxima;
    # fields 1, 6, 7 have the same title and no maximum in both (their notes differ: not compared)
    assert changed_fields(d) == {
        "2": {"title"},
        "3": {"maximum"},
        "4": {"maximum"},
        "5": {"maximum"},
        "8": {"maximum"},
    }
    maxima = {c.code: (c.changes[0].old, c.changes[0].new) for c in d.changed if c.code != "2"}
    assert maxima == {
        "3": (None, Decimal("13")),
        "4": (None, Decimal("10.5")),
        "5": (None, Decimal("15")),
        "8": (None, Decimal("16.5")),
    }
    # ruleset level: years 2022–2023 → 2024, title, source 876 → 892, status confirmed → derived;
    # maximum (100), groups (A 90, B 80, C 70, none below), rounding, unit kind are the same
    assert {c.field for c in d.header} == {"years", "title", "source", "status"}


def test_amendment_diff_and_provenance(amend_dir: Path) -> None:
    base = load_ruleset(amend_dir / "base-2013.yaml")
    new = load_ruleset(amend_dir / "amend-2014.yaml")
    d = diff_rulesets(base, new)
    assert [n.code for n in d.added] == ["2.3"] and d.added[0].parent == "2"
    assert [n.code for n in d.removed] == ["2.2"]
    assert changed_fields(d) == {
        "1.2.1": {"maximum", "rule"},
        "1.2.2": {"maximum"},
        "2.1": {"title"},
    }
    assert {c.field for c in d.header} == {"years", "source"}
    # with provenance: the nodes the amendment changed now cite it; the untouched ones keep
    # citing the base (their source is kept even though the ruleset's source changed)
    p = diff_rulesets(base, new, provenance=True)
    assert changed_fields(p) == {
        "1.2.1": {"maximum", "rule", "source"},
        "1.2.2": {"maximum", "source"},
        "2.1": {"title", "source"},
    }


def test_no_differences() -> None:
    rs = get_ruleset("moha.province", version="2017")
    d = diff_rulesets(rs, rs)
    assert d.empty
    assert d.to_table() == (
        "moha.province 2017 → moha.province 2017: no differences"
        " (sources, statuses and notes not compared)"
    )


def test_cli_table_and_json(amend_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = str(amend_dir / "base-2013.yaml"), str(amend_dir / "amend-2014.yaml")
    assert main(["diff", old, new]) == 0
    out = capsys.readouterr().out
    assert out.startswith("test.amend 2013 → test.amend 2014\n")
    assert "1 added, 1 removed, 3 changed node(s); 2 ruleset field(s) changed" in out
    rows = [ln.split() for ln in out.splitlines()]
    assert ["changed", "1.2.2", "maximum", "2", "1"] in rows
    assert ["removed", "2.2", "Một", "cửa", "(max", "1)"] in rows
    assert main(["diff", old, new, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["old"] == {"id": "test.amend", "version": "2013"}
    assert data["added"][0]["code"] == "2.3" and data["added"][0]["maximum"] == "1"
    change = next(c for c in data["changed"] if c["code"] == "1.2.1")
    assert change["changes"]["maximum"] == {"old": "2", "new": "3"}
    assert change["changes"]["rule"]["new"]["bands"][0]["points"] == "3"
    assert data["ruleset"]["years"] == {"old": [2013], "new": [2014]}


def test_cli_by_id_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "moha.province@2022", "moha.province@2024", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sorted(c["code"] for c in data["changed"]) == ["2", "3", "4", "5", "8"]


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        ("moha.province", "give RULESET@VERSION"),
        ("moha.province@2099", "has no version '2099'; versions: 2017, 2018, 2019, 2020"),
        ("nowhere@1", "unknown ruleset 'nowhere'"),
    ],
)
def test_cli_bad_specs(spec: str, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", spec, "moha.province@2024"]) == 1
    assert text in capsys.readouterr().err
