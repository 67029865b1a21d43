"""``parindex report`` (Markdown): --batch, --depth, --section, --targets, --scores, --measures.

By hand (examples/planning/yen-bai-2021.yaml, example.province 2021): 100 − 85.90 = 14.1 points
lost; field 7 loses 16 − 12 = 4, i.e. 4 ÷ 14.1 = 28.37 % of them, and is the largest loss."""

from __future__ import annotations

from decimal import Decimal

from cli_options import EXAMPLES, Cli

PLANNING = EXAMPLES / "planning"
UNIT = (
    "report",
    PLANNING / "yen-bai-2021.yaml",
    "--ruleset",
    PLANNING / "rulesets" / "example-province-2021.yaml",
    "--format",
    "markdown",
)
RANK_LINE = "- **Xếp hạng · Rank**: 25 / 63"


def _rows(text: str, after: str) -> list[list[str]]:
    """The cells of the first Markdown table after the heading ``after``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#") and after in line)
    rows: list[list[str]] = []
    for line in lines[start + 1 :]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.split("|")[1:-1]])
        elif rows:
            break
    return rows[2:]  # after the header and the ruler


def test_batch_adds_the_rank(cli: Cli) -> None:
    plain = cli(*UNIT)
    assert plain.code == 0
    assert RANK_LINE not in plain.out.splitlines()
    got = cli(*UNIT, "--batch", PLANNING / "par-2021-synthetic.csv")
    assert got.code == 0
    assert RANK_LINE in got.out.splitlines()
    assert any(line.startswith("## Xếp hạng · Ranking") for line in got.out.splitlines())


def test_depth_sets_the_depth_of_the_gaps_table(cli: Cli) -> None:
    leaf = _rows(cli(*UNIT).out, "Points lost by node")
    assert leaf[0][:2] == ["7.2.1", "Share of level-3/4 services with online applications"]
    assert [Decimal(x) for x in leaf[0][2:5]] == [0, 2, 2]
    field = _rows(cli(*UNIT, "--depth", "field").out, "Points lost by node")
    assert [(r[0], Decimal(r[4]), r[5]) for r in field] == [
        ("7", 4, "28.37"),
        ("8", Decimal("2.1"), "14.89"),
        ("5", 2, "14.18"),
        ("1", Decimal("1.75"), "12.41"),
        ("4", Decimal("1.75"), "12.41"),
        ("3", Decimal("1.5"), "10.64"),
        ("2", Decimal("0.5"), "3.55"),
        ("6", Decimal("0.5"), "3.55"),
    ]


def test_section_names_the_map_section_used(cli: Cli) -> None:
    for section in ("par", "papi"):
        got = cli(*UNIT, "--responsibility", "yen-bai-2021", "--section", section)
        assert got.code == 0
        assert f"Map yen-bai-2021 (Yen Bai 2021), section {section}; source: 186/KH-UBND" in got.out


def test_targets_with_scores_and_measures(cli: Cli) -> None:
    targets = ("--targets", EXAMPLES / "targets" / "yen-bai-2021.yaml")
    bare = {r[0]: r[3:6] for r in _rows(cli(*UNIT, *targets).out, "Đánh giá mục tiêu")}
    assert bare["par-top-30"] == ["—", "—", "—"]  # no ranks without the other units' scores
    got = cli(
        *UNIT,
        *targets,
        "--scores",
        PLANNING / "yen-bai-2021.yaml",
        PLANNING / "par-2021-synthetic.csv",
        PLANNING / "yen-bai-2021-papi.yaml",
        PLANNING / "papi-2021-synthetic.csv",
        "--measures",
        PLANNING / "yen-bai-2021-measures.yaml",
    )
    assert got.code == 0, got.err
    rows = {r[0]: r[3:6] for r in _rows(got.out, "Đánh giá mục tiêu")}
    # rank 25 inside the top 30 by 5; the measured 88.6 % short of 90 % by 1.4
    assert rows["par-top-30"] == ["rank 25 of 63 (index 85.90)", "✓", "5"]
    assert rows["satisfaction-90"] == ["satisfaction 88.6 %", "✗", "-1.4"]
    no_measures = cli(
        *UNIT,
        *targets,
        "--scores",
        PLANNING / "yen-bai-2021.yaml",
        PLANNING / "par-2021-synthetic.csv",
    )
    rows = {r[0]: r[3:6] for r in _rows(no_measures.out, "Đánh giá mục tiêu")}
    assert rows["par-top-30"][1:] == ["✓", "5"] and rows["satisfaction-90"][0] == "—"
