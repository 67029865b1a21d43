"""``parindex compare``: --all (every node, not only changed ones) and --batch-a/--batch-b (ranks).

By hand: unit a scores 87.75 (the example), a2 (field 1 lowered from 9.5 to 8) 86.25, b (field 1
at 9) 87.25. In batch A {a, b} a is first of 2; in batch B {a2, b} a2 is second of 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from cli_options import EXAMPLES, Cli


def _unit(tmp_path: Path, name: str, unit: str, field_1: str) -> Path:
    text = (EXAMPLES / "moha-2017-example.yaml").read_text(encoding="utf-8")
    text = text.replace("id: tinh-minh-hoa", f"id: {unit}").replace(
        '  "1": 9.5\n', f'  "1": {field_1}\n'
    )
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_all_lists_the_unchanged_nodes_too(cli: Cli, tmp_path: Path) -> None:
    a, a2 = _unit(tmp_path, "a", "a", "9.5"), _unit(tmp_path, "a2", "a", "8")
    changed = list(csv.DictReader(io.StringIO(cli("compare", a, a2, "--format", "csv").out)))
    assert [(r["code"], r["points_a"], r["points_b"], r["delta"]) for r in changed] == [
        ("1", "9.5", "8", "-1.5")
    ]
    every = list(csv.DictReader(io.StringIO(cli("compare", a, a2, "--all", "--format", "csv").out)))
    assert [r["code"] for r in every] == [str(i) for i in range(1, 9)]
    assert [r["delta"] for r in every] == ["-1.5"] + ["0"] * 7
    table = cli("compare", a, a2, "--all", "--wide").out.splitlines()
    row_6 = next(line.split() for line in table if line.startswith("6 "))
    assert row_6 == [
        "6",
        "Public",
        "finance",
        "reform",
        "6.00",
        "6.00",
        "0.00",
        "85.71",
        "85.71",
        "=",
        "—",
    ]
    assert not any(
        line.startswith("6 ") for line in cli("compare", a, a2, "--wide").out.splitlines()
    )


def test_batches_give_the_ranks_of_each_side(cli: Cli, tmp_path: Path) -> None:
    a, a2 = _unit(tmp_path, "a", "a", "9.5"), _unit(tmp_path, "a2", "a", "8")
    b = _unit(tmp_path, "b", "b", "9")
    alone = json.loads(cli("compare", a, a2, "--format", "json").out)
    assert (alone["a"]["rank"], alone["b"]["rank"]) == (None, None)
    got = cli("compare", a, a2, "--batch-a", a, b, "--batch-b", a2, b, "--format", "json")
    assert got.code == 0, got.err
    data = json.loads(got.out)
    side_a, side_b = data["a"], data["b"]
    assert (side_a["total"], side_a["rank"], side_a["of"]) == ("87.75", 1, 2)
    assert (side_b["total"], side_b["rank"], side_b["of"]) == ("86.25", 2, 2)
    only_a = json.loads(cli("compare", a, a2, "--batch-a", a, b, "--format", "json").out)
    assert (only_a["a"]["rank"], only_a["b"]["rank"]) == (1, None)
