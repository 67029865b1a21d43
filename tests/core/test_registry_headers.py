"""The registry resolves a year from the version files' headers and parses only the version it
returns (issue 17, cold start); whatever the headers cannot decide is read in full, as before."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import parindex.io.registry as registry_module
import parindex_core_rules
from parindex.io.plugins import RulesetSource, hookimpl
from parindex.io.registry import Registry
from parindex.io.ruleset_header import Header, header_of, read_header
from parindex.model.errors import RulesetError, YearNotCoveredError

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "rulesets").glob("*/*.yaml"))


# ------------------------------------------------------------------------------- the scan
def test_a_plain_header_is_read() -> None:
    text = 'id: x\nversion: "2017"\nyears: [2017, 2018]\nnodes:\n  - code: "1"\n'
    assert header_of(text) == Header("2017", (2017, 2018))


def test_block_lists_plain_words_and_any_key_order() -> None:
    text = "nodes: [{code: a, children: [{code: b}]}]\nyears:\n  - 2021\n  - 2022\nversion: v2\n"
    assert header_of(text) == Header("v2", (2021, 2022))


@pytest.mark.parametrize(
    "text",
    [
        'extends: {id: x, version: "1"}\nversion: "2"\nyears: [2014]\n',  # an amendment
        'base: &b {years: [2001]}\n<<: *b\nversion: "1"\n',  # a merge key
        'version: "1"\nyears: [2001]\nyears: [2002]\n',  # a key twice
        'version: "1"\nyears: !!seq [2001]\n',  # a tag on the list
        "version: !!str 1\nyears: [2001]\n",  # a tag on the version
        'version: "1"\nyears: &y [2001]\nother: *y\n',  # an anchor on the list
        'version: "1"\nyears: ["2001"]\n',  # a year given as text
        'version: "1"\nyears: [02001]\n',  # a leading zero
        'version: "1"\nyears: [2_001]\n',  # an underscore
        'version: "1"\nyears: [+2001]\n',  # a sign
        'version: "1"\nyears: [2001.0]\n',  # not whole
        'version: "1"\nyears: []\n',  # no year
        'version: "1"\nyears: 2001\n',  # not a list
        "version: 2017\nyears: [2017]\n",  # a number, not text
        "version: null\nyears: [2017]\n",
        "version: true\nyears: [2017]\n",
        "version: 2017-01-01\nyears: [2017]\n",  # a date
        "years: [2017]\n",  # no version
        'version: "1"\n',  # no years
        '"version": "1"\nyears: [2001]\n',  # a quoted key
        "- version: '1'\n",  # not a mapping
        'version: "1"\nyears: [2001\n',  # a YAML error
        'version: ["1"]\nyears: [2001]\n',  # a version that is no text
        'a: &a 1\nb: *a\nversion: "1"\nyears: [2001]\n',  # a top-level alias
        "",
    ],
)
def test_anything_else_is_left_to_the_full_reader(text: str) -> None:
    assert header_of(text) is None


def test_an_unreadable_file_has_no_header(tmp_path: Path) -> None:
    assert read_header(tmp_path / "missing.yaml") is None
    (tmp_path / "latin1.yaml").write_bytes(b'version: "\xe9"\nyears: [2001]\n')
    assert read_header(tmp_path / "latin1.yaml") is None


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_header_is_what_the_full_reading_gives(path: Path) -> None:
    ruleset = Registry().get(path.parent.name, version=path.stem)
    assert read_header(path) == Header(ruleset.version, tuple(ruleset.years))


# ------------------------------------------------------------------------------- the registry
GOOD = """\
id: t.rs
version: "{version}"
years: {years}
unit_kind: province
source: {{document: test}}
nodes:
  - {{code: "1", maximum: 10}}
"""
#: the children's maxima add up to 11, not 10: read, then refused by the structure check
BAD = """\
id: t.rs
version: "{version}"
years: {years}
unit_kind: province
source: {{document: test}}
nodes:
  - code: "1"
    maximum: 10
    children:
      - {{code: "1.1", maximum: 6}}
      - {{code: "1.2", maximum: 5}}
"""


def _plugin(folder: Path, files: dict[str, str], name: str = "files") -> Any:
    folder.mkdir()
    sources = []
    for version, text in files.items():
        path = folder / f"{version}.yaml"
        path.write_text(text, encoding="utf-8")
        sources.append(RulesetSource(path, "t.rs"))

    @hookimpl
    def parindex_rulesets() -> list[Any]:
        return sources

    return SimpleNamespace(__name__=name, parindex_rulesets=parindex_rulesets)


def _registry(tmp_path: Path, files: dict[str, str], *others: Any) -> Registry:
    mine = _plugin(tmp_path / "t.rs", files)
    return Registry([parindex_core_rules, mine, *others], entry_points=False)


@pytest.fixture()
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stems of the ruleset files the registry parses in full."""
    seen: list[str] = []
    real = registry_module.load_ruleset_file

    def counting(path: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(Path(path).stem)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(registry_module, "load_ruleset_file", counting)
    return seen


def test_only_the_version_asked_for_is_parsed(tmp_path: Path, parses: list[str]) -> None:
    reg = _registry(
        tmp_path,
        {
            "2001": GOOD.format(version="2001", years="[2001]"),
            "2002": GOOD.format(version="2002", years="[2002, 2003]"),
            "2004": GOOD.format(version="2004", years="[2004]"),
        },
    )
    assert reg.get("t.rs", 2003).version == "2002"
    assert parses == ["2002"]
    assert reg.get("t.rs", version="2001").years == (2001,)
    assert reg.get("t.rs").version == "2004"  # the latest
    assert parses == ["2002", "2001", "2004"]
    # listing the versions reads the rest, once each
    assert [r.version for r in reg.versions("t.rs")] == ["2001", "2002", "2004"]
    assert sorted(parses) == ["2001", "2002", "2004"]


def test_an_invalid_version_elsewhere_is_not_read(tmp_path: Path, parses: list[str]) -> None:
    reg = _registry(
        tmp_path,
        {
            "2001": GOOD.format(version="2001", years="[2001]"),
            "2002": BAD.format(version="2002", years="[2002]"),
        },
    )
    assert reg.get("t.rs", 2001).version == "2001"
    assert parses == ["2001"] and reg.host.status["files"].errors == []
    # asked for, the invalid version is skipped as before: the year is not covered
    with pytest.raises(YearNotCoveredError) as caught:
        reg.get("t.rs", 2002)
    assert "2002" in str(caught.value) and "2001" in str(caught.value)
    assert any("add up to 11" in e for e in reg.host.status["files"].errors)
    # known to be invalid now, it is left out of the headers: the other year still resolves
    assert reg.get("t.rs", 2001).version == "2001"
    assert parses == ["2001", "2002"]


def test_a_version_asked_for_with_a_year_it_does_not_cover(tmp_path: Path) -> None:
    reg = _registry(tmp_path, {"2001": GOOD.format(version="2001", years="[2001]")})
    with pytest.raises(YearNotCoveredError) as caught:
        reg.get("t.rs", 2002, version="2001")
    assert "2002" in str(caught.value)


def test_an_invalid_latest_version_falls_back_to_the_one_before(tmp_path: Path) -> None:
    reg = _registry(
        tmp_path,
        {
            "2001": GOOD.format(version="2001", years="[2001]"),
            "2002": BAD.format(version="2002", years="[2002]"),
        },
    )
    assert reg.get("t.rs").version == "2001"


def test_two_versions_covering_one_year_are_still_refused(tmp_path: Path) -> None:
    reg = _registry(
        tmp_path,
        {
            "2001": GOOD.format(version="2001", years="[2001, 2002]"),
            "2002": GOOD.format(version="2002", years="[2002]"),
        },
    )
    # refused whichever year is asked for, as when every version was read to find one
    for year in (2001, 2002, None):
        with pytest.raises(RulesetError) as caught:
            reg.get("t.rs", year)
        assert "versions '2001' and '2002' of t.rs both cover 2002" in str(caught.value)


def test_an_overlap_with_an_invalid_version_is_not_one(tmp_path: Path) -> None:
    reg = _registry(
        tmp_path,
        {
            "2001": GOOD.format(version="2001", years="[2001, 2002]"),
            "2002": BAD.format(version="2002", years="[2002]"),
        },
    )
    assert reg.get("t.rs", 2002).version == "2001"


def test_a_header_that_disagrees_with_the_file_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = _registry(
        tmp_path,
        {
            "2001": GOOD.format(version="2001", years="[2001]"),
            "2002": GOOD.format(version="2002", years="[2002]"),
        },
    )
    wrong = {"2001": Header("2001", (2002,)), "2002": Header("2002", (2001,))}
    monkeypatch.setattr(registry_module, "read_header", lambda path: wrong[Path(path).stem])
    assert reg.get("t.rs", 2001).version == "2001"
    assert reg.get("t.rs", 2002).version == "2002"


def test_files_without_a_readable_header_are_all_read(tmp_path: Path, parses: list[str]) -> None:
    reg = _registry(
        tmp_path,
        {
            "2001": GOOD.format(version="2001", years="[2001]"),
            "2002": GOOD.format(version="2002", years="!!seq [2002]"),
        },
    )
    assert reg.get("t.rs", 2001).version == "2001"
    assert sorted(parses) == ["2001", "2002"]


def test_the_same_version_twice_is_a_conflict_as_before(tmp_path: Path) -> None:
    other = GOOD.format(version="2001", years="[2001]").replace("10}", "12}")
    twin = _plugin(tmp_path / "twin", {"2001": other}, name="twin")
    reg = _registry(tmp_path, {"2001": GOOD.format(version="2001", years="[2001]")}, twin)
    with pytest.raises(RulesetError, match="more than one plugin"):
        reg.get("t.rs", 2001)


def test_the_shipped_versions_resolve_as_when_every_file_was_read() -> None:
    fast = Registry()
    full = Registry()
    for rid in ("moha.province", "papi", "sonla.department", "sonla.district"):
        every = full.versions(rid)
        for year in sorted({y for r in every for y in r.years}):
            expected = next(r for r in every if year in r.years)
            assert fast.get(rid, year).model_dump() == expected.model_dump()
        assert fast.get(rid).version == every[-1].version


def test_a_file_declaring_another_id_is_refused_as_before(tmp_path: Path) -> None:
    text = GOOD.format(version="2001", years="[2001]").replace("id: t.rs", "id: t.other")
    reg = _registry(tmp_path, {"2001": text})
    with pytest.raises(RulesetError) as caught:
        reg.get("t.rs", 2001)
    assert "declares id 't.other'" in str(caught.value)


def test_header_text_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(textwrap.dedent(GOOD.format(version="Bản 1", years="[2001]")), "utf-8")
    assert read_header(path) == Header("Bản 1", (2001,))
