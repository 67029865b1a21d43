"""The bad-input corpus: each malformed file must raise its expected error, naming its location.

The cases are listed in ``cases.yaml`` (file, what it is loaded as, expected error class, line, node
code, field, a piece of the message). Each case is run twice: through the Python API (the error's
class and location attributes are checked) and through the command line in-process (exit status 1,
an error line naming the file, never a traceback). Large or explosive inputs (a file over the size
limit, an alias bomb, a tree over the node limit) are generated here at run time.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import parindex.io.registry
import parindex_core_rules
from parindex import api
from parindex.cli.main import main
from parindex.io.registry import Registry
from parindex.io.yamlfile import DEFAULT_LIMITS
from parindex.model.errors import ParindexError

HERE = Path(__file__).parent
CASES_DIR = HERE / "cases"
BASE_DIR = HERE / "base"
MANIFEST: list[dict[str, Any]] = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
KINDS = {
    "ruleset",
    "assessment",
    "parameters",
    "rank-csv",
    "dataset-csv",
    "responsibility",
    "targets",
    "table",
}
#: What `import-table` is told about the table (the corpus's tables are read, not kept).
TABLE_HEADER: dict[str, Any] = {
    "id": "test.table",
    "version": "2020",
    "years": [2020],
    "unit_kind": "province",
    "source": {"document": "TEST/2020"},
}


# ----------------------------------------------------------------------------- generated inputs
def _huge_file(path: Path) -> None:
    # A sparse file one byte over the limit: nothing is written to disk, the size is what counts.
    with path.open("wb") as fh:
        fh.write(b"id: test.province\n")
        fh.truncate(DEFAULT_LIMITS.max_bytes + 1)


def _alias_bomb(path: Path) -> None:
    # "Billion laughs": l0 holds 10 values, each l(k+1) 10 aliases of lk, so l9 expands to 10^10.
    lines = [
        "# An alias-expansion bomb: l9 expands to 10^10 values.",
        "id: test.province",
        "l0: &l0 [" + ", ".join(["lol"] * 10) + "]",
    ]
    lines += [f"l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 10) + "]" for k in range(1, 10)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # l0..l4 hold about 111,110 values; l5 (line 8) alone expands to 10^6 > 500,000.


def _deep_block(path: Path) -> None:
    # Block (indented) nesting, 100 mappings deep under `note:`. The root mapping is depth 1 and
    # the mapping at depth d starts on line d + 2, so depth 65 (over the limit of 64) is line 67.
    lines = ["# A note nested 100 mappings deep with indentation.", "id: test.province", "note:"]
    lines += ["  " * (d + 1) + "a:" for d in range(100)]
    lines[-1] += " end"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _too_many_nodes(path: Path) -> None:
    # Field 1 (tree node 1, line 8) has 12,000 children, child k on line 9 + k: tree node 10,001
    # (over the limit of 10,000) is child 10,000, on line 10,009.
    head = [
        "# A ruleset whose tree has 12,001 nodes.",
        "id: test.province",
        'version: "2020"',
        "years: [2020]",
        "unit_kind: province",
        "source: {document: TEST}",
        "nodes:",
        '  - code: "1"',
        "    children:",
    ]
    kids = [f'      - {{code: "1.{k}"}}' for k in range(1, 12001)]
    path.write_text("\n".join(head + kids) + "\n", encoding="utf-8")


def _long_header_cell(path: Path) -> None:
    path.write_text(
        'ruleset,year,unit,"' + "x" * 200_000 + '"\ntest.province,2020,a,1\n', encoding="utf-8"
    )


def _long_cell(path: Path) -> None:
    header = (BASE_DIR / "scores.csv").read_text(encoding="utf-8").splitlines()[0]
    path.write_text(
        header + '\ntest.province,2020,a,"' + "x" * 200_000 + '",4,6,4.25,4\n', encoding="utf-8"
    )


# --- issue 14, class 3: special files, refused before they are opened (a pipe with no writer
# would block the open for ever; the corpus test runs each case under a deadline)
def _named_pipe(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes (POSIX)")
    os.mkfifo(path)


def _socket_file(path: Path) -> None:
    import socket

    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("needs UNIX sockets")
    # a socket's path is limited to about 100 bytes: bind in the folder, by a short name
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        server = socket.socket(socket.AF_UNIX)
        server.bind(path.name)
        server.close()  # the file stays
    finally:
        os.chdir(here)


def _directory(path: Path) -> None:
    path.mkdir()
    (path / "inside.yaml").write_text("id: test.province\n", encoding="utf-8")


def _char_device(path: Path) -> None:
    if not os.path.exists(os.devnull) or os.name != "posix":
        pytest.skip("needs /dev/null")
    path.symlink_to(os.devnull)


def _extends_named_pipe(path: Path) -> None:
    _named_pipe(path.parent / "base-pipe.yaml")
    path.write_text(
        "# Class 3: an amendment whose base is a named pipe with no writer.\n"
        "extends: base-pipe.yaml\n"
        'version: "2021"\nyears: [2021]\nsource: {document: TEST/2021}\n',
        encoding="utf-8",
    )


def _long_line(path: Path) -> None:
    # A published dataset with one line of 1.5 MiB (the limit is 1 MiB, PARINDEX_MAX_LINE_BYTES).
    head = (BASE_DIR / "dataset.csv").read_text(encoding="utf-8").splitlines()[0]
    path.write_text(head + "\ntest.province,2020,a," + "9" * (3 << 19) + "\n", encoding="utf-8")


# --- issue 14, classes 1 and 2: workbooks (built here: zip archives of XML, crafted directly so
# that even the million-row sheet takes a fraction of a second)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _table_rows() -> list[str]:
    """A valid criteria table: code, title, maximum; the maxima are typed numbers."""
    rows = [("code", "title", "maximum"), ("1", "Field one", 10), ("1.1", "a", 4), ("1.2", "b", 6)]
    out = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            _inline(f"{col}{r}", str(v))
            if isinstance(v, str)
            else f'<c r="{col}{r}"><v>{v}</v></c>'
            for col, v in zip("ABC", row, strict=True)
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return out


def _workbook(
    path: Path,
    rows: list[str] | None = None,
    *,
    shared: str | None = None,
    sheet_xml: bytes | None = None,
    prolog: str = "",
) -> None:
    """An XLSX file with one sheet named 'Bảng'."""
    import zipfile

    ns = "http://schemas.openxmlformats.org/"
    sheet = sheet_xml or (_SHEET_HEAD + "".join(rows or _table_rows()) + _SHEET_TAIL).encode()
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types'
            f' xmlns="{ns}package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override'
            ' PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            + (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                if shared is not None
                else ""
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{ns}officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<workbook xmlns="{ns}'
            f'spreadsheetml/2006/main" xmlns:r="{ns}officeDocument/2006/relationships">'
            '<sheets><sheet name="Bảng" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{ns}officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                f'<Relationship Id="rId2" Type="{ns}officeDocument/2006/relationships/'
                'sharedStrings" Target="sharedStrings.xml"/>'
                if shared is not None
                else ""
            )
            + "</Relationships>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared is not None:
            book.writestr("xl/sharedStrings.xml", shared)


def _xlsx_formula_without_value(path: Path) -> None:
    # The maximum of field 1 is a formula saved with no value, as a script writes it (openpyxl:
    # <v/>): read as empty, every such maximum was silently dropped.
    rows = _table_rows()
    rows[1] = rows[1].replace('<c r="C2"><v>10</v></c>', '<c r="C2"><f>SUM(C3:C4)</f><v/></c>')
    _workbook(path, rows)


def _xlsx_shared_string_bomb(path: Path) -> None:
    # One shared string of 21 MiB: about 20 KB compressed, over the 20 MiB limit uncompressed.
    big = "a" * (21 << 20)
    shared = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
        f' uniqueCount="1"><si><t>{big}</t></si></sst>'
    )
    rows = _table_rows()
    rows[2] = rows[2].replace(_inline("B3", "a"), '<c r="B3" t="s"><v>0</v></c>')
    _workbook(path, rows, shared=shared)


def _xlsx_million_rows(path: Path) -> None:
    # The table, then 999,996 more rows (6 MB of XML, 6 KB compressed, within the size limit):
    # the reader stops at row 100,001, PARINDEX_MAX_ROWS, without reading the rest.
    rows = "".join(_table_rows()) + "<row/>" * (1_000_000 - 4)
    _workbook(path, sheet_xml=(_SHEET_HEAD + rows + _SHEET_TAIL).encode())


def _xlsx_row_far_away(path: Path) -> None:
    # One cell in the last row Excel has: the rows before it would be filled in, one by one.
    _workbook(path, [*_table_rows(), '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'])


def _xlsx_column_far_away(path: Path) -> None:
    _workbook(path, [*_table_rows(), '<row r="5"><c r="XFD5"><v>1</v></c></row>'])


def _xlsx_long_cell(path: Path) -> None:
    _workbook(path, [*_table_rows(), f'<row r="5">{_inline("B5", "x" * 200_000)}</row>'])


def _xlsx_doctype(path: Path) -> None:
    # An internal entity declared in the workbook part: the vehicle of "billion laughs" bombs.
    _workbook(path, prolog='<!DOCTYPE workbook [<!ENTITY lol "lol">]>')


def _xlsx_lying_size(path: Path) -> None:
    # The archive's directory says the sheet is 100 bytes; it inflates to far more. The zip reader
    # stops at 100 bytes, and the checksum of what it read fails.
    _workbook(
        path,
        [*_table_rows(), *(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(5, 5000))],
    )
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))  # its central directory record
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")  # uncompressed size
    path.write_bytes(bytes(data))


def _xlsx_bidi_cell(path: Path) -> None:
    rows = _table_rows()
    rows[2] = rows[2].replace(_inline("B3", "a"), _inline("B3", "a \u202egnp.exe"))
    _workbook(path, rows)


def _xlsx_not_a_zip(path: Path) -> None:
    path.write_text("code,title,maximum\n1,Field one,10\n", encoding="utf-8")


GENERATORS: dict[str, Callable[[Path], None]] = {
    "huge-file": _huge_file,
    "alias-bomb": _alias_bomb,
    "deep-block": _deep_block,
    "too-many-nodes": _too_many_nodes,
    "long-cell": _long_cell,
    "long-header-cell": _long_header_cell,
    # issue 14
    "named-pipe": _named_pipe,
    "socket": _socket_file,
    "directory": _directory,
    "char-device": _char_device,
    "extends-named-pipe": _extends_named_pipe,
    "long-line": _long_line,
    "xlsx-formula-without-value": _xlsx_formula_without_value,
    "xlsx-shared-string-bomb": _xlsx_shared_string_bomb,
    "xlsx-million-rows": _xlsx_million_rows,
    "xlsx-row-far-away": _xlsx_row_far_away,
    "xlsx-column-far-away": _xlsx_column_far_away,
    "xlsx-long-cell": _xlsx_long_cell,
    "xlsx-doctype": _xlsx_doctype,
    "xlsx-lying-size": _xlsx_lying_size,
    "xlsx-bidi-cell": _xlsx_bidi_cell,
    "xlsx-not-a-zip": _xlsx_not_a_zip,
    "xlsx-named-pipe": _named_pipe,
}


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def registry() -> Registry:
    """Only the core rule kinds and the two base rulesets: installed plugins play no part."""
    reg = Registry([parindex_core_rules], entry_points=False)
    for name in ("test.province.yaml", "test.params.yaml"):
        reg.add(api.load_ruleset(BASE_DIR / name, registry=reg))
    return reg


@pytest.fixture
def default_registry(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    """Make the CLI (which uses the default registry) see the corpus's registry."""
    monkeypatch.setattr(parindex.io.registry, "_DEFAULT", registry)
    yield registry


def case_path(case: dict[str, Any], tmp_path: Path) -> Path:
    if "generate" in case:
        path: Path = tmp_path / case["file"]
        GENERATORS[case["generate"]](path)
        return path
    return CASES_DIR / str(case["file"])


def load_case(kind: str, path: Path, reg: Registry) -> None:
    """Load ``path`` the way parindex does for this kind of file (all the way to a score)."""
    if kind == "ruleset":
        api.load_ruleset(path, registry=reg)
    elif kind == "assessment":
        api.score(path, registry=reg)
    elif kind == "parameters":
        api.validate_file(path, registry=reg)
    elif kind == "rank-csv":
        # what `parindex rank FILE.csv` does: the compiled reader, which hands anything irregular
        # to tables.score_csv (the reference reader), whose errors name the file and the row
        from parindex.scoring.fast import rank_csv

        rank_csv(path, registry=reg, default_ties="ruleset")
    elif kind == "dataset-csv":
        from parindex.analysis.reproduce import read_published, reproduce_rows

        reproduce_rows(read_published(path), file=str(path), registry=reg)
    elif kind == "responsibility":
        from parindex.analysis.planning.responsibility import load_map

        load_map(path)
    elif kind == "targets":
        from parindex.analysis.planning.targets import load_targets

        load_targets(path)
    elif kind == "table":
        from parindex.authoring.importer import import_table

        import_table(path, dict(TABLE_HEADER), reg.rule_kinds)
    else:  # pragma: no cover - the manifest is checked
        raise AssertionError(kind)


CLI = {
    "ruleset": ["validate"],
    "assessment": ["score"],
    "parameters": ["validate"],
    "rank-csv": ["rank"],
    "dataset-csv": ["reproduce"],
    "table": ["import-table", "--id", "test.table", "--years", "2020", "--unit-kind", "province"],
}


def _params(key: str) -> list[Any]:
    """Cases as pytest params; a known core bug is a strict xfail that must fail for its reason:
    a raw exception escaping (the reason says "raw") or else a failed check (AssertionError)."""
    out = []
    for case in MANIFEST:
        marks = []
        reason = case.get(key)
        if reason:
            raw = key == "xfail" and "raw" in str(reason)
            raises: type[BaseException] = Exception if raw else AssertionError
            marks.append(
                pytest.mark.xfail(strict=True, raises=raises, reason=" ".join(str(reason).split()))
            )
        out.append(pytest.param(case, id=case["file"], marks=marks))
    return out


# ----------------------------------------------------------------------------- the manifest
def test_manifest_is_complete() -> None:
    listed = [c["file"] for c in MANIFEST if "generate" not in c]
    on_disk = sorted(p.name for p in CASES_DIR.iterdir())
    assert len(listed) == len(set(listed)), "a case is listed twice"
    assert sorted(listed) == on_disk, "every file in cases/ is listed once, and only those"
    assert len(MANIFEST) >= 40
    for case in MANIFEST:
        assert case["as"] in KINDS, case
        assert case["error"][0].isupper(), case
        assert "generate" not in case or case["generate"] in GENERATORS, case
        assert set(case) <= {
            "file",
            "as",
            "error",
            "line",
            "code",
            "field",
            "message",
            "generate",
            "xfail",
            "cli_xfail",
        }, case


def test_every_kind_of_defect_is_covered() -> None:
    by_kind: dict[str, int] = {}
    for case in MANIFEST:
        by_kind[case["as"]] = by_kind.get(case["as"], 0) + 1
    assert by_kind["ruleset"] >= 20 and by_kind["assessment"] >= 15
    assert by_kind["parameters"] >= 3 and by_kind["rank-csv"] >= 5
    assert by_kind["dataset-csv"] >= 5
    assert by_kind["responsibility"] >= 4 and by_kind["targets"] >= 4
    assert by_kind["table"] >= 10
    errors = {c["error"] for c in MANIFEST}
    for expected in (
        "YamlSyntaxError",
        "InputFileError",
        "LimitExceededError",
        "SchemaError",
        "DuplicateCodeError",
        "CodeStructureError",
        "MaximumSumError",
        "TierError",
        "BandError",
        "UnknownRuleKindError",
        "UnknownCodeError",
        "YearNotCoveredError",
        "PointsAboveMaximumError",
        "CsvFormatError",
    ):
        assert expected in errors


# ----------------------------------------------------------------------------- the cases
def _lines(case: dict[str, Any]) -> list[int]:
    line = case.get("line")
    if line is None:
        return []
    return list(line) if isinstance(line, list) else [line]


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, when a case blocks (a named pipe opened for reading waits for a
    writer for ever): the alarm interrupts even a blocked open()."""
    if not hasattr(signal, "setitimer"):  # pragma: no cover - not POSIX
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"the case did not finish within {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: No case may take longer (the slowest, the million-row workbook, takes about 2 s).
CASE_SECONDS = 30


@pytest.mark.parametrize("case", _params("xfail"))
def test_case(case: dict[str, Any], registry: Registry, tmp_path: Path) -> None:
    path = case_path(case, tmp_path)
    with pytest.raises(ParindexError) as info, deadline(CASE_SECONDS):
        load_case(case["as"], path, registry)
    err = info.value
    text = str(err)
    assert type(err).__name__ == case["error"], text
    # the file
    assert err.file is not None and Path(err.file).name == path.name, text
    assert path.name in text
    # the line
    lines = _lines(case)
    if lines:
        assert err.line in lines, f"line {err.line}, expected {lines}: {text}"
        assert f"{path.name}:{err.line}:" in text
    # the node code
    if "code" in case:
        assert err.code == str(case["code"]), text
        assert f"[node {case['code']}]" in text
    if "field" in case:
        assert err.field == case["field"], text
    if "message" in case:
        assert str(case["message"]) in err.message or str(case["message"]) in text, text


@pytest.mark.parametrize("case", [c for c in _params("cli_xfail") if c.values[0]["as"] in CLI])
def test_case_cli(
    case: dict[str, Any],
    default_registry: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = case_path(case, tmp_path)
    with deadline(CASE_SECONDS):
        code = main([*CLI[case["as"]], str(path)])
    out, err = capsys.readouterr()
    assert code == 1, f"exit status {code}: {err}"
    assert "Traceback" not in err and "Traceback" not in out
    assert "internal error" not in err
    assert err.startswith("parindex: error: "), err
    assert path.name in err.splitlines()[0], err


def test_case_cli_debug_shows_the_traceback(
    default_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--debug", "score", str(CASES_DIR / "assessment-points-above-maximum.yaml")])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert "PointsAboveMaximumError" in err
    assert err.rstrip().splitlines()[-1].startswith("parindex: error: ")


def test_generated_files_are_removed(tmp_path: Path) -> None:
    # The generators write only into pytest's temporary folder, never into the repository.
    before = set(os.listdir(CASES_DIR))
    for name, gen in GENERATORS.items():
        made = tmp_path / name
        gen(made)
        assert os.path.lexists(made)
        if made.is_file() and not made.is_symlink():  # special files have no size
            assert made.stat().st_size > 0
    assert set(os.listdir(CASES_DIR)) == before
