"""``parindex gaps --section``: which section of a responsibility map assigns the lead agencies.

By hand (examples/moha-2017-example.yaml): 100 − 87.75 = 12.25 points lost; field 1 loses
10 − 9.5 = 0.5 and field 2 loses 10 − 8.75 = 1.25."""

from __future__ import annotations

import json
from pathlib import Path

from cli_options import EXAMPLES, TWO_SECTION_MAP, Cli


def test_section_picks_the_map_section(cli: Cli, tmp_path: Path) -> None:
    rmap = tmp_path / "map.yaml"
    rmap.write_text(TWO_SECTION_MAP, encoding="utf-8")
    unit = EXAMPLES / "moha-2017-example.yaml"
    base = ("gaps", unit, "--by", "agency", "--responsibility", rmap, "--format", "json")

    def agencies(*extra: str) -> tuple[str, list[tuple[str, str]]]:
        got = cli(*base, *extra)
        assert got.code == 0, got.err
        data = json.loads(got.out)
        assert (data["total_lost"], data["attributed"]) == ("12.25", "12.25")
        return data["section"], [(a["agency"], a["lost"]) for a in data["agencies"]]

    first = ("first", [("Cơ quan A", "0.5"), ("not stated", "11.75")])
    assert agencies() == first  # the first section covering the ruleset
    assert agencies("--section", "first") == first
    assert agencies("--section", "second") == (
        "second",
        [("Cơ quan B", "1.75"), ("not stated", "10.5")],
    )
    wrong = cli(*base, "--section", "third")
    assert wrong.code == 1
    assert "has no section 'third'; sections: first, second" in wrong.err
