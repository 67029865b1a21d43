"""One number style, notes said once (and right), colour only where it helps."""

from __future__ import annotations

import re

import pytest
from i18n_helpers import COMMANDS, run

from parindex.model.documents import Text
from parindex.report.table import Column, Table, colour_enabled, group_name, paint, to_csv, to_text


def test_points_have_the_rulesets_places_in_gaps_as_in_score(
    capsys: pytest.CaptureFixture[str],
) -> None:
    gaps = run(capsys, ["--locale", "vi", *COMMANDS["gaps"], "--depth", "field"])
    # node 3 of Lạng Sơn 2021: 12 points of 14.5, printed as score prints points
    row = next(x for x in gaps.splitlines() if x.startswith("3 "))
    assert re.search(r"\s12,00\s+14,5\s+2,50\s", row), row
    assert "tổng điểm 87,11 / 100 · chỉ số 87,11 · nhóm B" in gaps
    score = run(capsys, ["--locale", "vi", *COMMANDS["score"], "--wide"])
    assert re.search(r"^3\s+Cải cách thủ tục hành chính\s+13,00\s+14,5\s", score, re.M)


def test_percentages_are_printed_one_way(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, COMMANDS["explain"])
    shown = re.findall(r"\((\d+(?:\.\d+)?) %\)", out)
    assert shown, out
    assert all(re.fullmatch(r"\d+\.\d\d", p) for p in shown)  # 70.00 %, 71.25 %: two places
    assert "(70%)" not in out and "(71.25%)" not in out


def test_explain_names_the_year_once(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, COMMANDS["explain"]).splitlines()[0]
    assert first.endswith("camau.department 2013")  # not "2013, 2013"


def test_repeated_notes_collapse_and_say_the_rules_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run(capsys, COMMANDS["score-papi"])
    notes = out.split("Notes:")[1].split("Receipt")[0]
    joined = " ".join(notes.split())
    # 2016: 22 sub-dimensions, 16 with k = 4 (D1, D4, D5, D6) and 6 with k = 3 (D2, D3)
    assert "16 nodes (D1.1, D1.2, D1.3, D1.4, D4.1" in joined
    assert "6 nodes (D2.2, D2.3, D2.4, D3.1, D3.2, D3.4)" in joined
    assert "points in [1/4, 10/4]" in joined and "points in [1/3, 10/3]" in joined
    assert "not bounded" not in joined  # they are bounded: by their rule
    assert joined.count("no maximum is published") == 2


def test_compare_says_changed_or_the_same_with_a_legend(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run(capsys, [*COMMANDS["compare"], "--wide"])
    assert "✗" not in out  # "unchanged" is not a failure
    assert re.search(r"^3\.4\.1 .* ≠ ", out, re.M) and re.search(r"^1\.1 .* = ", out, re.M)
    assert "≠ the node's rules (or those of a node below it) changed; = the same rules" in out
    assert "['" not in out  # no Python list repr
    assert "children: 6.1.1, 6.1.2 → 6.1.1, 6.1.2, 6.1.3" in out
    csv = run(capsys, [*COMMANDS["compare"], "--format", "csv"])
    assert ",True," in csv and ",False," in csv  # programs keep true/false


def test_group_names_in_vi_and_canonical_in_csv() -> None:
    label = Text(vi="Nhóm", en="Group")
    table = Table(
        "t", label, (Column("group", label, vocabulary=True),), (("high-average",), ("B",))
    )
    assert "trung bình cao" in to_text(table, locale="vi")
    assert "high-average" in to_text(table, locale="en")
    assert to_csv(table).splitlines()[1:] == ["high-average", "B"]


def test_colour_only_on_a_terminal_and_never_under_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert colour_enabled(Tty())
    assert not colour_enabled(object())  # a pipe, a file: no isatty → no colour
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_enabled(Tty())
    assert paint("A", "good", enabled=True) == "\x1b[32mA\x1b[0m"
    assert paint("A", "good", enabled=False) == "A"
    assert group_name("best", "vi", colour=False) == "cao nhất"


def test_piped_output_has_no_escape_codes(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("score", "rank", "targets", "compare"):
        assert "\x1b[" not in run(capsys, COMMANDS[name])


def test_a_range_without_a_group_is_said_as_a_range(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, COMMANDS["show"])  # moha.province 2022: A ≥ 90, B ≥ 80, C ≥ 70, then none
    assert "Group: A ≥ 90; B ≥ 80; C ≥ 70; < 70: no group published" in out
    assert "below next band" not in out
    vi = run(capsys, ["--locale", "vi", *COMMANDS["show"]])
    assert "Nhóm: A ≥ 90; B ≥ 80; C ≥ 70; < 70: không công bố nhóm" in vi
