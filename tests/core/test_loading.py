"""Load-time validation: each structural error is typed and names file, line and node code."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex import load_ruleset
from parindex.model.errors import (
    BandError,
    CodeStructureError,
    DuplicateCodeError,
    MaximumSumError,
    ParindexError,
    RuleError,
    SchemaError,
    TierError,
    UnknownRuleKindError,
    YamlSyntaxError,
)

HEAD = """\
id: test.bad
version: "1"
years: [2024]
unit_kind: department
source: {document: TEST}
maximum: 3
groups: [{label: A, min: 50}, {label: B, min: 0}]
nodes:
"""


def write(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "ruleset.yaml"
    path.write_text(head + body, encoding="utf-8")
    return path


CASES = [
    (  # children 1 + 1 = 2, parent says 3
        "sum",
        '  - code: "1"\n    maximum: 3\n    children:\n'
        '      - {code: "1.1", maximum: 1}\n      - {code: "1.2", maximum: 1}\n',
        MaximumSumError,
        "1",
        10,
    ),
    (  # overlapping tiers: 70 is in both bands
        "overlap",
        '  - code: "1"\n    maximum: 3\n    rule:\n      kind: tiers\n      bands:\n'
        "        - {min: 70, points: 3}\n        - {max: 70, max_inclusive: true, points: 0}\n",
        TierError,
        "1",
        12,
    ),
    (  # a gap between 50 and 70
        "gap",
        '  - code: "1"\n    maximum: 3\n    rule:\n      kind: tiers\n      bands:\n'
        "        - {min: 70, points: 3}\n        - {max: 50, points: 0}\n",
        TierError,
        "1",
        12,
    ),
    (
        "duplicate",
        '  - {code: "1", maximum: 1.5}\n  - {code: "1", maximum: 1.5}\n',
        DuplicateCodeError,
        "1",
        10,
    ),
    (
        "child code",
        '  - code: "1"\n    maximum: 3\n    children:\n      - {code: "2.1", maximum: 3}\n',
        CodeStructureError,
        "2.1",
        12,
    ),
    (
        "unknown kind",
        '  - code: "1"\n    maximum: 3\n    rule: {kind: magic, x: 1}\n',
        UnknownRuleKindError,
        "1",
        11,
    ),
    (
        "rule above maximum",
        '  - code: "1"\n    maximum: 3\n    rule: {kind: choice, options: {a: 4, b: 0}}\n',
        RuleError,
        "1",
        11,
    ),
    (
        "bad type",
        '  - code: "1"\n    maximum: lots\n',
        SchemaError,
        "1",
        10,
    ),
    (
        "proportional without maximum",
        '  - code: "1"\n    rule: {kind: proportional, target: 1}\n  - {code: "2", maximum: 3}\n',
        RuleError,
        "1",
        10,
    ),
]


@pytest.mark.parametrize(
    ("name", "body", "error", "code", "line"), CASES, ids=[c[0] for c in CASES]
)
def test_invalid_ruleset(
    tmp_path: Path, name: str, body: str, error: type[ParindexError], code: str, line: int
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(error) as info:
        load_ruleset(path)
    err = info.value
    assert err.file == str(path)
    assert err.code == code
    assert err.line == line
    assert str(path) in str(err) and f"[node {code}]" in str(err)


def test_group_bands_must_start_at_zero(tmp_path: Path) -> None:
    head = HEAD.replace("{label: B, min: 0}", "{label: B, min: 10}")
    path = write(tmp_path, '  - {code: "1", maximum: 3}\n', head)
    with pytest.raises(BandError) as info:
        load_ruleset(path)
    assert info.value.line == 7


def test_overlapping_group_bands(tmp_path: Path) -> None:
    head = HEAD.replace("{label: B, min: 0}", "{label: B, min: 50}, {label: C, min: 0}")
    path = write(tmp_path, '  - {code: "1", maximum: 3}\n', head)
    with pytest.raises(BandError):
        load_ruleset(path)


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, '  - code: "1"\n    maximum: [3\n')
    with pytest.raises(YamlSyntaxError) as info:
        load_ruleset(path)
    assert info.value.file == str(path) and info.value.line is not None


def test_numbers_are_exact_decimals(tmp_path: Path) -> None:
    path = write(tmp_path, '  - {code: "1", maximum: 1.1}\n  - {code: "2", maximum: 1.9}\n')
    ruleset = load_ruleset(path)
    assert str(ruleset.nodes[0].maximum) == "1.1"  # not 1.100000000000000088817841970012523


def test_all_problems_are_collected(tmp_path: Path) -> None:
    body = (
        '  - code: "1"\n    maximum: 3\n    children:\n      - {code: "1.1", maximum: 1}\n'
        '  - {code: "1", maximum: 0}\n'
    )
    with pytest.raises(ParindexError) as info:
        load_ruleset(write(tmp_path, body))
    kinds = {type(e) for e in [info.value, *info.value.related]}
    assert {DuplicateCodeError, MaximumSumError} <= kinds
