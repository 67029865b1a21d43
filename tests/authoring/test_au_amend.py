"""Amendments (``extends``): a version written as changes to an earlier one, validated as a whole,
with errors located at the change that broke the check. Fixtures: fixtures/amend/ (base-2013 and
its amendment amend-2014; the sums are in the comments of those files)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from parindex import load_ruleset
from parindex.io.amend import HEADER_FIELDS, NodeOverride
from parindex.model.documents import Node, Ruleset
from parindex.model.errors import (
    MaximumSumError,
    RuleError,
    RulesetError,
    SchemaError,
    UnknownCodeError,
    UnknownRulesetError,
)

D = Decimal


def node(rs: Ruleset, code: str) -> Node:
    found = rs.find(code)
    assert found is not None, code
    return found[1]


def amendment(tmp_path: Path, amend_dir: Path, body: str, name: str = "amend.yaml") -> Path:
    """An amendment of base-2013.yaml written next to a copy of it."""
    shutil.copy(amend_dir / "base-2013.yaml", tmp_path / "base-2013.yaml")
    head = (
        'extends: base-2013.yaml\nversion: "2014"\nyears: [2014]\nsource: {document: 3/QĐ-TEST}\n'
    )
    path = tmp_path / name
    path.write_text(head + body, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if text in ln)


# ------------------------------------------------------------------------------- the good case
def test_the_amendment_changes_exactly_what_it_says(amend_dir: Path) -> None:
    base = load_ruleset(amend_dir / "base-2013.yaml")
    rs = load_ruleset(amend_dir / "amend-2014.yaml")
    assert (rs.id, rs.version, rs.years) == ("test.amend", "2014", (2014,))
    assert rs.source.document == "3/QĐ-TEST"
    # overrides: 1.2.1 2 → 3 with a new rule, 1.2.2 2 → 1 (1.2 stays 4 = 3 + 1)
    assert node(rs, "1.2.1").maximum == 3 and node(rs, "1.2.2").maximum == 1
    rule = node(rs, "1.2.1").rule
    assert rule is not None and rule.max_points() == 3
    assert node(rs, "2.1").title.vi == "Công khai đầy đủ thủ tục"
    # removal of 2.2, addition of 2.3 under 2 (2 stays 4 = 3 + 1)
    assert rs.find("2.2") is None
    assert [c.code for c in node(rs, "2").children] == ["2.1", "2.3"]
    added = node(rs, "2.3").rule
    assert added is not None and added.kind == "choice"
    # everything else is the base's
    for code in ("1", "1.1", "1.2", "2", "appraisal", "survey"):
        assert node(rs, code).maximum == node(base, code).maximum
        assert node(rs, code).title == node(base, code).title
    assert rs.groups == base.groups and rs.maximum == base.maximum == 10
    assert rs.title == base.title and rs.unit_kind == base.unit_kind


def test_provenance_untouched_nodes_keep_the_base_source(amend_dir: Path) -> None:
    rs = load_ruleset(amend_dir / "amend-2014.yaml")
    base_source = load_ruleset(amend_dir / "base-2013.yaml").source
    # 1.1 is not overridden: it still cites 1/QĐ-TEST, which it used to inherit
    assert rs.source_of(node(rs, "1.1")) == base_source
    assert rs.source_of(node(rs, "1.2")).document == "1/QĐ-TEST"
    # changed nodes (maximum, rule, title) and the added node cite the amendment
    for code in ("1.2.1", "1.2.2", "2.1", "2.3"):
        assert rs.source_of(node(rs, code)).document == "3/QĐ-TEST", code


def test_status_of_an_amendment_with_another_status(tmp_path: Path, amend_dir: Path) -> None:
    path = amendment(tmp_path, amend_dir, 'status: unverified\noverrides:\n  "2.1": {note: x}\n')
    rs = load_ruleset(path)
    assert rs.status == "unverified"
    # untouched nodes keep the base's confirmed status; 2.2 keeps its own derived
    assert rs.status_of(node(rs, "1.1")) == "confirmed"
    assert rs.status_of(node(rs, "2.2")) == "derived"
    assert node(rs, "2.1").note == "x" and rs.status_of(node(rs, "2.1")) == "confirmed"


def test_amendment_scores(amend_dir: Path) -> None:
    from parindex import score

    rs = load_ruleset(amend_dir / "amend-2014.yaml")
    inputs = {
        "1.1": {"choice": "on_time"},
        "1.2.1": {"measure": 95},
        "1.2.2": 1,
        "2.1": 3,
        "2.3": {"choice": "yes"},
    }
    card = score({"ruleset": "test.amend", "year": 2014, "unit": "u", "inputs": inputs}, rs)
    # 2 + 3 (95 > 90 under the amended tiers) + 1 + 3 + 1 = 10 of 10 → 100 → A
    assert card.node("1.2.1").points == 3
    assert card.total == D("10") and card.index == 100 and card.group == "A"


def test_an_amendment_of_an_amendment(tmp_path: Path, amend_dir: Path) -> None:
    shutil.copy(amend_dir / "base-2013.yaml", tmp_path)
    shutil.copy(amend_dir / "amend-2014.yaml", tmp_path)
    path = tmp_path / "2015.yaml"
    path.write_text(
        'extends: amend-2014.yaml\nversion: "2015"\nyears: [2015]\n'
        "source: {document: 4/QĐ-TEST}\n"
        "overrides:\n"
        '  "2.1": {maximum: 2.5}\n'
        '  "2.3": {maximum: 1.5, rule: {kind: choice, options: {"yes": 1.5, "no": 0}}}\n',
        encoding="utf-8",
    )
    rs = load_ruleset(path)
    # 2 = 2.5 + 1.5 = 4, as before
    assert node(rs, "2.3").maximum == D("1.5") and node(rs, "2.1").maximum == D("2.5")
    assert node(rs, "1.2.1").maximum == 3  # from 2014
    assert rs.source_of(node(rs, "1.2.1")).document == "3/QĐ-TEST"  # 2014's, kept
    assert rs.source_of(node(rs, "1.1")).document == "1/QĐ-TEST"  # 2013's, kept


def test_add_after_a_sibling_and_into_a_view(tmp_path: Path, amend_dir: Path) -> None:
    path = amendment(
        tmp_path,
        amend_dir,
        'overrides:\n  "1.2": {maximum: 3}\n  "1.2.2": {maximum: 1}\n  appraisal: {maximum: 6}\n'
        "add:\n"
        '  - {parent: "1", after: "1.1", node: {code: "1.5", maximum: 1}}\n'
        "  - {view: components, node: {code: other, maximum: 1}}\n",
    )
    rs = load_ruleset(path)
    # 1.2 = 2 + 1 = 3; 1 = 2 + 1 + 3 = 6; components 6 + 3 + 1 = 10
    assert [c.code for c in node(rs, "1").children] == ["1.1", "1.5", "1.2"]
    assert [n.code for n in rs.views["components"].nodes] == ["appraisal", "survey", "other"]


def test_rule_null_removes_a_rule(tmp_path: Path, amend_dir: Path) -> None:
    rs = load_ruleset(amendment(tmp_path, amend_dir, 'overrides:\n  "1.1": {rule: null}\n'))
    assert node(rs, "1.1").rule is None


# ------------------------------------------------------------------------------ the bad cases
def test_raising_one_maximum_alone_names_the_override_and_the_parent(
    tmp_path: Path, amend_dir: Path
) -> None:
    path = amendment(tmp_path, amend_dir, 'overrides:\n  "1.2.1": {maximum: 3}\n')
    with pytest.raises(MaximumSumError) as info:
        load_ruleset(path)
    err = info.value
    # 1.2's children now add up to 3 + 2 = 5, but 1.2's maximum is still 4
    assert err.file == str(path) and err.line == line_of(path, '"1.2.1"')
    assert err.code == "1.2" and err.field == "overrides.1.2.1"
    assert "override of 1.2.1 (maximum 2 → 3) breaks the sum of 1.2" in err.message
    assert "children's maxima add up to 5 (3 + 2), not to the node's maximum 4" in err.message
    assert err.hint is not None and "1 more than 4" in err.hint
    assert not err.related  # 1's sum (2 + 4) and the total (6 + 4) are unchanged


def test_a_raised_parent_breaks_the_ruleset_total(tmp_path: Path, amend_dir: Path) -> None:
    body = 'overrides:\n  "1": {maximum: 7}\n  "1.2": {maximum: 5}\n  "1.2.1": {maximum: 3}\n'
    path = amendment(tmp_path, amend_dir, body)
    with pytest.raises(MaximumSumError) as info:
        load_ruleset(path)
    err = info.value
    # 1.2 = 3 + 2 = 5 and 1 = 2 + 5 = 7 hold; the total 7 + 4 = 11 is not 10
    assert err.code is None and err.line == line_of(path, '"1": {maximum: 7}')
    assert "override of 1 (maximum 6 → 7) breaks the ruleset total" in err.message
    assert "add up to 11" in err.message and "not to the ruleset maximum 10" in err.message
    assert not err.related


def test_two_overrides_under_one_parent_are_both_named(tmp_path: Path, amend_dir: Path) -> None:
    body = 'overrides:\n  "1.2.1": {maximum: 2.5}\n  "1.2.2": {maximum: 2.5}\n'
    with pytest.raises(MaximumSumError) as info:
        load_ruleset(amendment(tmp_path, amend_dir, body))
    msg = info.value.message
    assert info.value.code == "1.2"
    assert "override of 1.2.1 (maximum 2 → 2.5) (overrides.1.2.1)" in msg
    assert "override of 1.2.2 (maximum 2 → 2.5) (overrides.1.2.2)" in msg
    assert "(2.5 + 2.5), not to the node's maximum 4" in msg


def test_a_lowered_maximum_below_the_rule_is_blamed_on_the_override(
    tmp_path: Path, amend_dir: Path
) -> None:
    # the 1.2.1 tiers give up to 2 points; a maximum of 1 cannot hold them (and 1.2 = 1 + 2 = 3)
    path = amendment(tmp_path, amend_dir, 'overrides:\n  "1.2.1": {maximum: 1}\n')
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    errors = [info.value, *info.value.related]
    assert {type(e) for e in errors} >= {MaximumSumError}
    assert any(
        e.code == "1.2.1"
        and "override of 1.2.1 (maximum 2 → 1)" in e.message
        and "more than the maximum 1" in e.message
        for e in errors
    )
    assert all(e.field == "overrides.1.2.1" for e in errors)


def test_an_added_node_that_breaks_its_own_sum_is_located_in_the_addition(
    tmp_path: Path, amend_dir: Path
) -> None:
    body = (
        'overrides:\n  "2.1": {maximum: 2}\n'
        'add:\n  - parent: "2"\n    node:\n      code: "2.3"\n      maximum: 1\n'
        '      children:\n        - {code: "2.3.1", maximum: 2}\n'
    )
    path = amendment(tmp_path, amend_dir, body)
    with pytest.raises(MaximumSumError) as info:
        load_ruleset(path)
    err = info.value
    # 2 = 2 + 1 + 1 (2.1, 2.2, 2.3) = 4 holds; 2.3's own children add up to 2, not 1
    assert err.code == "2.3" and err.line == line_of(path, 'code: "2.3"')
    assert err.message.startswith("addition of 2.3 under 2 (maximum 1) breaks the sum of 2.3")


def test_an_addition_without_room_breaks_the_parent(tmp_path: Path, amend_dir: Path) -> None:
    body = 'add:\n  - {parent: "2", node: {code: "2.3", maximum: 1}}\n'
    path = amendment(tmp_path, amend_dir, body)
    with pytest.raises(MaximumSumError) as info:
        load_ruleset(path)
    assert info.value.code == "2" and info.value.field == "add.0"
    assert "add up to 5 (3 + 1 + 1)" in info.value.message


def test_a_rule_given_to_a_node_with_children(tmp_path: Path, amend_dir: Path) -> None:
    body = 'overrides:\n  "1.2": {rule: {kind: points}}\n'
    with pytest.raises(RuleError) as info:
        load_ruleset(amendment(tmp_path, amend_dir, body))
    assert info.value.code == "1.2" and "either children or a rule" in info.value.message


@pytest.mark.parametrize(
    ("body", "error", "where", "text"),
    [
        (
            'overrides:\n  "1.9": {maximum: 2}\n',
            UnknownCodeError,
            '"1.9"',
            "overridden node '1.9' is not a node of test.amend 2013",
        ),
        ('remove: ["7"]\n', UnknownCodeError, "remove:", "removed node '7'"),
        (
            'add:\n  - {parent: "8", node: {code: "8.1"}}\n',
            UnknownCodeError,
            "parent",
            "parent '8'",
        ),
        (
            'remove: ["1.2"]\noverrides:\n  "1.2.1": {maximum: 1}\n',
            RulesetError,
            '"1.2.1"',
            "is overridden, but it (or a node above it) is removed",
        ),
        (
            'remove: ["2"]\nadd:\n  - {parent: "2", node: {code: "2.9"}}\n',
            RulesetError,
            "parent",
            "the parent 2 of the added node 2.9 is removed",
        ),
        (
            'add:\n  - {parent: "2", after: "2.7", node: {code: "2.9"}}\n',
            RulesetError,
            "after",
            "`after: 2.7`: no such sibling under 2; siblings: 2.1, 2.2",
        ),
        (
            "add:\n  - {view: nowhere, node: {code: x}}\n",
            RulesetError,
            "nowhere",
            "has no view 'nowhere'",
        ),
        (
            'overrides:\n  "1.1": {maximun: 2}\n',
            SchemaError,
            "maximun",
            "Extra inputs are not permitted",
        ),
        ('overrides:\n  "1.1": {}\n', SchemaError, '"1.1"', "override of 1.1 changes nothing"),
        (
            'overrides:\n  "1.1": {rule: {kind: nonsense}}\n',
            RulesetError,
            "nonsense",
            "unknown rule kind 'nonsense'",
        ),
        ("nodes: []\n", SchemaError, "nodes", "an amendment does not restate `nodes`"),
    ],
)
def test_bad_amendments_are_located(
    tmp_path: Path, amend_dir: Path, body: str, error: type[Exception], where: str, text: str
) -> None:
    path = amendment(tmp_path, amend_dir, body)
    with pytest.raises(error) as info:
        load_ruleset(path)
    err = info.value
    assert isinstance(err, RulesetError | UnknownCodeError)
    assert text in err.message, err.message
    assert err.file == str(path) and err.line == line_of(path, where)


def test_same_version_and_shared_years_are_refused(tmp_path: Path, amend_dir: Path) -> None:
    shutil.copy(amend_dir / "base-2013.yaml", tmp_path)
    path = tmp_path / "a.yaml"
    path.write_text('extends: base-2013.yaml\nversion: "2013"\nyears: [2014]\nsource: {}\n')
    with pytest.raises(RulesetError, match="needs a version of its own") as info:
        load_ruleset(path)
    assert info.value.line == 2
    path.write_text('extends: base-2013.yaml\nversion: "2014"\nyears: [2013, 2014]\nsource: {}\n')
    with pytest.raises(RulesetError, match=r"year\(s\) 2013 are also covered by the base") as info:
        load_ruleset(path)
    assert info.value.line == 3 and info.value.field == "years"


def test_missing_base_and_cycles(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text('extends: b.yaml\nversion: "2"\nyears: [2002]\nsource: {}\n')
    with pytest.raises(RulesetError, match=r"the base b\.yaml cannot be read: file not") as info:
        load_ruleset(a)
    assert info.value.file == str(a) and info.value.line == 1
    b.write_text('extends: a.yaml\nversion: "1"\nyears: [2001]\nsource: {}\n')
    with pytest.raises(RulesetError, match="extend each other in a cycle"):
        load_ruleset(a)


# --------------------------------------------------------------------------------- registry
def test_extends_by_id_and_version_through_the_registry(
    tmp_path: Path, amend_dir: Path, folder_registry: type
) -> None:
    folder = tmp_path / "rulesets" / "test.amend"
    folder.mkdir(parents=True)
    shutil.copy(amend_dir / "base-2013.yaml", folder / "2013.yaml")
    text = (amend_dir / "amend-2014.yaml").read_text(encoding="utf-8")
    (folder / "2014.yaml").write_text(
        text.replace("extends: base-2013.yaml", 'extends: {ruleset: test.amend, version: "2013"}'),
        encoding="utf-8",
    )
    reg = folder_registry(tmp_path / "rulesets")
    assert [r.version for r in reg.versions("test.amend")] == ["2013", "2014"]
    rs = reg.get("test.amend", 2014)
    assert node(rs, "1.2.1").maximum == 3 and rs.find("2.2") is None
    assert reg.errors() == []


def test_registry_reports_an_unknown_base_version(
    tmp_path: Path, amend_dir: Path, folder_registry: type
) -> None:
    folder = tmp_path / "rulesets" / "test.amend"
    folder.mkdir(parents=True)
    shutil.copy(amend_dir / "base-2013.yaml", folder / "2013.yaml")
    (folder / "2014.yaml").write_text(
        'extends: {ruleset: test.amend, version: "2012"}\nversion: "2014"\nyears: [2014]\n'
        "source: {}\n",
        encoding="utf-8",
    )
    reg = folder_registry(tmp_path / "rulesets")
    errors = reg.errors()
    assert len(errors) == 1
    err = errors[0][1]
    assert isinstance(err, UnknownRulesetError)
    assert err.file == str(folder / "2014.yaml") and err.line == 1
    assert "has no version '2012'; versions: 2013" in err.message
    # a version that extends itself
    (folder / "2014.yaml").write_text(
        'extends: {ruleset: test.amend, version: "2014"}\nversion: "2014"\nyears: [2014]\n'
        "source: {}\n",
        encoding="utf-8",
    )
    err = folder_registry(tmp_path / "rulesets").errors()[0][1]
    assert "cannot extend itself" in err.message


# ------------------------------------------------------------------- the models stay in step
def test_override_and_header_fields_follow_the_models() -> None:
    assert set(NodeOverride.model_fields) == set(Node.model_fields) - {"code", "children"}
    assert set(HEADER_FIELDS) == set(Ruleset.model_fields) - {"nodes", "views"}


def test_parindex_validate_and_show_read_an_amendment(
    amend_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from parindex.cli.main import main

    path = str(amend_dir / "amend-2014.yaml")
    assert main(["validate", path]) == 0
    assert capsys.readouterr().out == f"{path}: valid ruleset\n"
    assert main(["show", path]) == 0
    assert "test.amend 2014" in capsys.readouterr().out
