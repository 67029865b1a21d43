"""Resource limits: each has a clear, located error naming the way to raise it, and raising it
(an environment variable, read at the time of use, or an argument) lets the file through."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest

import parindex_core_rules
from parindex import api
from parindex.cli.main import main
from parindex.io.assessment_csv import assessments_from_csv
from parindex.io.registry import Registry
from parindex.io.yamlfile import LIMIT_SPECS, Limits, load_yaml, load_yaml_file, read_text
from parindex.model.errors import ConfigError, LimitExceededError

BASE = Path(__file__).resolve().parents[1] / "badinput" / "base"


@pytest.fixture
def registry() -> Registry:
    return Registry([parindex_core_rules], entry_points=False)


def ruleset_text(children: int) -> str:
    head = [
        "id: test.wide",
        'version: "2020"',
        "years: [2020]",
        "unit_kind: province",
        "source: {document: TEST}",
        "nodes:",
        '  - code: "1"',
        "    children:",
    ]
    return "\n".join(head + [f'      - {{code: "1.{k}"}}' for k in range(1, children + 1)]) + "\n"


def nested(depth: int) -> str:
    return "x: " + "[" * depth + "]" * depth + "\n"


def bomb(levels: int) -> str:
    lines = ["l0: &l0 [a, a, a, a, a, a, a, a, a, a]"]
    lines += [f"l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 10) + "]" for k in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_every_limit_has_an_environment_variable() -> None:
    names = {s.env for s in LIMIT_SPECS}
    assert names == {
        "PARINDEX_MAX_FILE_BYTES",
        "PARINDEX_MAX_YAML_NODES",
        "PARINDEX_MAX_YAML_DEPTH",
        "PARINDEX_MAX_RULESET_NODES",
        # issue 14: streamed CSV lines and XLSX sheets
        "PARINDEX_MAX_LINE_BYTES",
        "PARINDEX_MAX_CELL_CHARS",
        "PARINDEX_MAX_ROWS",
        "PARINDEX_MAX_COLUMNS",
    }
    assert all(s.default > 0 and s.what for s in LIMIT_SPECS)
    assert all(s.default <= s.ceiling for s in LIMIT_SPECS)


# ------------------------------------------------------------------------------ file size
def test_file_size_limit_and_raising_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("note: " + "x" * 2000 + "\n", encoding="utf-8")
    monkeypatch.setenv("PARINDEX_MAX_FILE_BYTES", "1000")
    with pytest.raises(LimitExceededError) as info:
        load_yaml_file(path)
    assert info.value.file == str(path)
    assert "PARINDEX_MAX_FILE_BYTES" in str(info.value) and "1000" in str(info.value)
    monkeypatch.setenv("PARINDEX_MAX_FILE_BYTES", "3000")
    data, _ = load_yaml_file(path)
    assert len(data["note"]) == 2000


def test_file_size_limit_applies_to_csv(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("ruleset,year,unit\n" + "x,2020,u\n" * 200, encoding="utf-8")
    with pytest.raises(LimitExceededError, match="PARINDEX_MAX_FILE_BYTES"):
        assessments_from_csv(path, Limits(max_bytes=100))


def test_reading_is_bounded_even_when_the_size_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Standard input (`-`) has no size and may never end: only max_bytes + 1 bytes are read.
    # (A device such as /dev/zero is refused before it is opened: tests/badinput, special files.)
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            buffer[:] = b"x" * len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    with pytest.raises(LimitExceededError, match="larger than the limit"):
        read_text("-", Limits(max_bytes=4096))


def test_size_limit_for_text_given_in_code() -> None:
    with pytest.raises(LimitExceededError, match="set in code"):
        load_yaml("note: " + "x" * 100, limits=Limits(max_bytes=50))


# ------------------------------------------------------------------------------ nesting depth
def test_depth_limit_and_raising_it(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(LimitExceededError) as info:
        load_yaml(nested(70), file="deep.yaml")
    assert info.value.line == 1 and "PARINDEX_MAX_YAML_DEPTH" in str(info.value)
    monkeypatch.setenv("PARINDEX_MAX_YAML_DEPTH", "100")
    data, _ = load_yaml(nested(70))
    assert isinstance(data["x"], list)


def test_extreme_depth_cannot_crash_the_parser() -> None:
    # A million nested brackets once crashed the C composer (segmentation fault); the depth is now
    # checked on the event stream first, so this is a located error, quickly.
    for text in (
        "[" * 1_000_000 + "]" * 1_000_000,
        "{a: " * 300_000 + "1" + "}" * 300_000,
        "- " * 1_000_000 + "x",
    ):
        with pytest.raises(LimitExceededError, match="nesting deeper than 64"):
            load_yaml(text)


def test_a_limit_above_the_parsers_own_is_reported_as_the_parsers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # libyaml refuses flow nesting past 1000 levels before parindex sees an event; with the user's
    # limit raised beyond that, the error must say which limit was hit, not the user's.
    import yaml

    text = "x: " + "[" * 1100 + "]" * 1100
    try:  # older PyYAML wheels carry a libyaml without the limit
        list(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        parser_limited = False
    except yaml.YAMLError:
        parser_limited = True
    monkeypatch.setenv("PARINDEX_MAX_YAML_DEPTH", "5000")
    if not parser_limited:
        data, _ = load_yaml(text)
        assert isinstance(data["x"], list)
        return
    with pytest.raises(LimitExceededError) as info:
        load_yaml(text, file="deep.yaml")
    assert "parser's own limit of 1000 levels" in str(info.value)
    assert "deeper than 5000" not in str(info.value) and info.value.line == 1
    data, _ = load_yaml(nested(300))  # within both limits: read
    assert isinstance(data["x"], list)


# ------------------------------------------------------------------------------ node count
def test_alias_bomb_is_stopped_and_raising_the_limit_admits_a_small_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(LimitExceededError) as info:
        load_yaml(bomb(10), file="bomb.yaml")
    assert "PARINDEX_MAX_YAML_NODES" in str(info.value)
    assert info.value.line == 6  # l5 is the first level to expand beyond 500,000 values
    monkeypatch.setenv("PARINDEX_MAX_YAML_NODES", "50")
    with pytest.raises(LimitExceededError):
        load_yaml(bomb(2))
    monkeypatch.setenv("PARINDEX_MAX_YAML_NODES", "200")
    data, _ = load_yaml(bomb(2))
    assert len(data["l1"]) == 10


# ------------------------------------------------------------------------------ ruleset nodes
def test_ruleset_node_limit_and_raising_it(
    tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "wide.yaml"
    path.write_text(ruleset_text(10_000), encoding="utf-8")  # 10,001 nodes with field 1
    with pytest.raises(LimitExceededError) as info:
        api.load_ruleset(path, registry=registry)
    assert "PARINDEX_MAX_RULESET_NODES" in str(info.value)
    assert info.value.line == 8 + 10_000  # the 10,001st node: child 1.10000
    monkeypatch.setenv("PARINDEX_MAX_RULESET_NODES", "20000")
    ruleset = api.load_ruleset(path, registry=registry)
    assert len(list(ruleset.iter_nodes())) == 10_001


def test_ruleset_node_limit_counts_views_and_aliases(registry: Registry) -> None:
    text = ruleset_text(3) + "views:\n  v:\n    nodes: &n\n      - {code: a}\n      - {code: b}\n"
    with pytest.raises(LimitExceededError, match="more than 5 nodes"):
        load_yaml(text, limits=Limits(max_ruleset_nodes=5))
    data, _ = load_yaml(text, limits=Limits(max_ruleset_nodes=6))
    assert len(data["views"]["v"]["nodes"]) == 2


# ------------------------------------------------------------------------------ settings
@pytest.mark.parametrize("value", ["abc", "-5", "0", "1.5"])
def test_an_invalid_setting_is_a_config_error(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARINDEX_MAX_YAML_DEPTH", value)
    with pytest.raises(ConfigError, match="PARINDEX_MAX_YAML_DEPTH"):
        load_yaml("a: 1")


def test_limits_given_in_code_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARINDEX_MAX_YAML_DEPTH", "3")
    limits = Limits(max_depth=200)
    assert limits.max_depth == 200 and Limits().max_depth == 3
    data, _ = load_yaml(nested(70), limits=limits)
    depth, value = 0, data["x"]
    while value:
        depth, value = depth + 1, value[0]
    assert depth == 69
    with pytest.raises(ConfigError):
        Limits(max_bytes=0)


def test_cli_shows_the_limit_and_how_to_raise_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wide.yaml"
    path.write_text(ruleset_text(50), encoding="utf-8")
    monkeypatch.setenv("PARINDEX_MAX_RULESET_NODES", "20")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "wide.yaml:28:" in err and "PARINDEX_MAX_RULESET_NODES" in err
    assert "Traceback" not in err
    monkeypatch.setenv("PARINDEX_MAX_RULESET_NODES", "100")
    assert main(["validate", str(path)]) == 0
    assert "valid ruleset" in capsys.readouterr().out


def test_cli_reports_an_invalid_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PARINDEX_MAX_FILE_BYTES", "lots")
    assert main(["validate", str(BASE / "test.province.yaml")]) == 1
    err = capsys.readouterr().err
    assert "PARINDEX_MAX_FILE_BYTES='lots' is not a whole number" in err
    assert "Traceback" not in err
