"""The bad-input corpus: each malformed file must raise its expected error, naming its location.

The cases are listed in ``cases.yaml`` (file, what it is loaded as, expected error class, line, node
code, field, a piece of the message). Each case is run twice: through the Python API (the error's
class and location attributes are checked) and through the command line in-process (exit status 1,
an error line naming the file, never a traceback). Large or explosive inputs (a file over the size
limit, an alias bomb, a tree over the node limit) are generated here at run time.
"""

from __future__ import annotations

import os
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


GENERATORS: dict[str, Callable[[Path], None]] = {
    "huge-file": _huge_file,
    "alias-bomb": _alias_bomb,
    "deep-block": _deep_block,
    "too-many-nodes": _too_many_nodes,
    "long-cell": _long_cell,
    "long-header-cell": _long_header_cell,
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
    else:  # pragma: no cover - the manifest is checked
        raise AssertionError(kind)


CLI = {
    "ruleset": ["validate"],
    "assessment": ["score"],
    "parameters": ["validate"],
    "rank-csv": ["rank"],
    "dataset-csv": ["reproduce"],
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


@pytest.mark.parametrize("case", _params("xfail"))
def test_case(case: dict[str, Any], registry: Registry, tmp_path: Path) -> None:
    path = case_path(case, tmp_path)
    with pytest.raises(ParindexError) as info:
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
        gen(tmp_path / name)
        assert (tmp_path / name).stat().st_size > 0
    assert set(os.listdir(CASES_DIR)) == before
