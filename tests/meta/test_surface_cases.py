"""Tests for parts of the public surface that no other test reached (issue 19, item 8).

Expected values are worked out by hand: the example scores 87.75 (its header comment adds up its
fields); a copy with field 1 lowered by 1.5 points scores 86.25.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import parindex
from parindex.cli.main import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "moha-2017-example.yaml"


def _unit(tmp_path: Path, unit: str, field_1: str = "9.5") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8").replace("id: tinh-minh-hoa", f"id: {unit}")
    text = text.replace('  "1": 9.5\n', f'  "1": {field_1}\n')
    path = tmp_path / f"{unit}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def three(tmp_path: Path) -> list[Path]:
    """Two units tied on 87.75, one below on 86.25."""
    return [_unit(tmp_path, "a"), _unit(tmp_path, "b"), _unit(tmp_path, "c", "8")]


@pytest.mark.parametrize(
    ("ties", "ranks"),
    [
        ("competition", [1, 1, 3]),
        ("dense", [1, 1, 2]),
        ("ordinal", [1, 2, 3]),
        ("modified", [2, 2, 3]),
    ],
)
def test_rank_ties_option(
    three: list[Path], ties: str, ranks: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rank", *map(str, three), "--ties", ties, "--format", "json"]) == 0
    table = json.loads(capsys.readouterr().out)
    got = [(e["unit"]["id"], e["rank"], e["total"]) for e in table["entries"]]
    assert got == [
        ("a", ranks[0], "87.75"),
        ("b", ranks[1], "87.75"),
        ("c", ranks[2], "86.25"),
    ]


def test_public_result_types(three: list[Path]) -> None:
    cards = [parindex.score(p) for p in three]
    assert all(isinstance(n, parindex.NodeScore) for c in cards for n in c.nodes)
    assert [n.code for n in cards[0].nodes if n.parent is None] == [str(i) for i in range(1, 9)]
    table = parindex.rank(cards, "dense")
    assert isinstance(table, parindex.RankedTable)
    assert all(isinstance(e, parindex.RankedEntry) for e in table.entries)
    assert [(e.unit.id, e.rank, e.tied) for e in table.entries] == [
        ("a", 1, True),
        ("b", 1, True),
        ("c", 2, False),
    ]


def test_ruleset_info_lists_the_2017_province_table() -> None:
    infos = parindex.list_rulesets()
    assert all(isinstance(i, parindex.RulesetInfo) for i in infos)
    assert any(i.id == "moha.province" and 2017 in i.years for i in infos)
