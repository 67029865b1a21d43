"""Tables fit the terminal: ``COLUMNS=100`` (or no terminal) gives lines of at most 100 columns;
``--wide`` keeps one-line rows; sources are numbered footnotes printed once."""

from __future__ import annotations

import re
import unicodedata

import pytest
from i18n_helpers import COMMANDS, FITTED, run

from parindex.report.table import column_widths, grid


def width(line: str) -> int:
    """Columns on a terminal: wide (CJK) characters take two, combining marks none."""
    return sum(
        2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
        for c in line
    )


_URL_LINE = re.compile(r"\s*\S*https?://\S+")


def too_long(text: str, limit: int) -> list[str]:
    # a URL longer than a line gets a line of its own (a cut URL cannot be opened)
    return [x for x in text.splitlines() if width(x) > limit and not _URL_LINE.fullmatch(x)]


@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("name", FITTED)
def test_no_line_is_wider_than_the_terminal(
    name: str, locale: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = run(capsys, ["--locale", locale, *COMMANDS[name]])
    assert too_long(out, 100) == []


@pytest.mark.parametrize(
    "name",
    ["rulesets", "show", "score", "explain", "targets", "compare", "reproduce", "papi-groups"],
)
def test_wide_keeps_one_line_rows(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    fitted = run(capsys, COMMANDS[name])
    wide = run(capsys, [*COMMANDS[name], "--wide"])
    assert too_long(wide, 100), "some row of the example is longer than 100 columns"
    assert len(wide.splitlines()) < len(fitted.splitlines())


def test_sources_are_footnotes_printed_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = run(capsys, COMMANDS["explain"])
    url = "https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/Quyet-dinh-1880-QD-UBND"
    assert out.count(url) == 1  # the Cà Mau table is cited once, not under every node
    marks = re.findall(r"source: \[(\d+)\]", out)
    assert marks and set(marks) == {"1"}
    assert re.search(r"^\[1\] 1880/QĐ-UBND", out, re.M)
    wide = run(capsys, [*COMMANDS["explain"], "--wide"])
    assert wide.count(url) == len(re.findall(r"^\s+source: ", wide, re.M)) > 1

    listing = run(capsys, COMMANDS["rulesets"])
    cites = re.findall(r"^\[(\d+)\] ", listing, re.M)
    assert cites == [str(i) for i in range(1, len(cites) + 1)]  # numbered once each, in order
    assert "<https://" not in listing


def test_long_titles_wrap_in_their_cell_and_are_not_cut(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = run(capsys, ["--locale", "vi", *COMMANDS["score"]])
    assert "…" not in out.split("Biên nhận")[0]  # the receipt's hash is shortened, no title is
    text = " ".join(out.split())
    assert "Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế xã hội của tỉnh" in (
        re.sub(r" (?:\d+,\d+ |\d+ )+\S+ \S+ ", " ", text) if False else _cell_text(out, "8")
    )


def _cell_text(out: str, code: str) -> str:
    """The title of node ``code`` in a score table, its wrapped lines joined."""
    lines = out.splitlines()
    start = next(i for i, x in enumerate(lines) if re.match(rf"{re.escape(code)}\s{{2,}}", x))
    # the title column starts after the code column; continuation lines begin with spaces
    col = re.match(rf"{re.escape(code)}\s+", lines[start]).end()  # type: ignore[union-attr]
    parts = [lines[start][col:].split("  ")[0]]
    for x in lines[start + 1 :]:
        if not x.startswith(" " * col) or not x.strip():
            break
        parts.append(x[col:].split("  ")[0])
    return " ".join(p.strip() for p in parts)


def test_column_widths_narrow_only_text_columns_and_fit() -> None:
    heads = ["Code", "Title", "Points"]
    rows = [["1", "word " * 30, "12.50"]]
    limits = column_widths(heads, rows, 60, wrap=(1,))
    assert limits is not None and limits[0] is None and limits[2] is None
    table = grid(rows, heads, width=60, wrap=(1,))
    assert max(map(len, table.splitlines())) <= 60
    assert column_widths(heads, [["1", "short", "1"]], 60, wrap=(1,)) is None  # fits already
    assert column_widths(heads, rows, None, wrap=(1,)) is None  # --wide


def test_a_table_of_many_columns_drops_the_heading_padding_before_overflowing() -> None:
    # eleven single-word headings (the reproduce table): at 2 spaces of padding after each
    # heading the table is wider than 60; without them it fits, and no heading is cut mid-word
    heads = ["line", "unit", "year", "published", "computed", "difference", "within"]
    rows = [["2", "Quảng Ninh", "2020", "91.04", "91.05", "0.01", "yes"]]
    table = grid(rows, heads, width=66, spare=(1,))
    assert max(map(width, table.splitlines())) <= 66
    assert all(h in table.split("\n")[0] for h in heads if h != "unit")
    assert "Quảng" in table and "Ninh" in table
    assert table.splitlines()[1].split()[0] == "----"  # "line": no padding left
    assert grid(rows, heads, width=None).splitlines()[1].split()[0] == "------"  # --wide: padded


def test_reproduce_numbers_and_summary_in_the_readers_style(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = run(capsys, ["--locale", "vi", *COMMANDS["reproduce"]])
    # Quảng Ninh 2020: published 91.04, recomputed 57.66 + 9.56 + 18.83 + 5 = 91.05
    assert re.search(r"^2\s+Quảng\s.*91,04\s+91,05\s+0,01\s+0,025\s", out, re.M), out
    assert "khớp: 10, không khớp: 0" in out  # "disagreeing" is not "dis" + "agreeing"
    en = run(capsys, ["--locale", "en", *COMMANDS["reproduce"]])
    assert re.search(r"^2\s+Quảng\s.*91\.04\s+91\.05\s+0\.01\s", en, re.M)
    assert "(agreeing: 10, disagreeing: 0)" in " ".join(en.split())
