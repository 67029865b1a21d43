"""Small model modules: batch-relative groupings (``parindex.model.group_rules``) and the ruleset
files a plugin offers (``parindex.model.sources``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pytest

from parindex.model.group_rules import (
    BatchDimensionsTarget,
    BatchGroupTarget,
    GroupedBatch,
    Grouping,
    GroupRule,
    GroupRuleError,
)
from parindex.model.sources import RulesetSource, rulesets_in


def _never(values: Mapping[str, Decimal], cuts: Sequence[Decimal] | None) -> GroupedBatch:
    raise AssertionError("a grouping's rules are not run by the model")


BY_RANK = GroupRule("by-rank", "the top half, then the rest", False, _never)
AT_CUTS = GroupRule("at-cuts", "at the cut points given", True, _never, takes_cuts=True)
MEDIAN = GroupRule("median", "at the median", True, _never)


def _grouping(*rules: GroupRule, labels: tuple[str, ...] = ("top", "rest")) -> Grouping:
    return Grouping(
        "halves",
        "Halves",
        "half",
        labels,
        rules,
        ("test.halves",),
        translations={"vi": {"top": "nửa trên"}},
    )


@pytest.mark.parametrize(
    ("labels", "rules", "message"),
    [
        ((), (BY_RANK,), "grouping 'halves' needs labels and rules"),
        (("top", "rest"), (), "grouping 'halves' needs labels and rules"),
        (("top", "rest"), (AT_CUTS,), "grouping 'halves' needs a rule that takes no cut points"),
    ],
)
def test_a_grouping_without_labels_rules_or_a_default_rule_is_refused(
    labels: tuple[str, ...], rules: tuple[GroupRule, ...], message: str
) -> None:
    with pytest.raises(GroupRuleError) as info:
        _grouping(*rules, labels=labels)
    assert info.value.message == message
    assert info.value.kind == "group-rule"


def test_the_default_rule_is_the_first_that_takes_no_cut_points() -> None:
    grouping = _grouping(AT_CUTS, MEDIAN, BY_RANK)
    assert grouping.default_rule is MEDIAN
    assert grouping.rule() is MEDIAN
    assert grouping.batch_rules == (MEDIAN, BY_RANK)
    assert grouping.rule("at-cuts") is AT_CUTS
    assert grouping.rule("by-rank") is BY_RANK


def test_an_unknown_rule_lists_the_rules() -> None:
    with pytest.raises(GroupRuleError) as info:
        _grouping(AT_CUTS, MEDIAN).rule("quartiles")
    assert info.value.message == "unknown group rule 'quartiles'; rules: at-cuts, median"
    assert info.value.field == "rule"


def test_labels_rank_best_first_and_words_fall_back_to_the_label() -> None:
    grouping = _grouping(MEDIAN)
    assert (grouping.rank_of("top"), grouping.rank_of("rest")) == (0, 1)
    assert grouping.words("top") == "top (nửa trên)"
    assert grouping.words("rest") == "rest"  # no words for it
    assert grouping.words("top", "en") == "top"  # no words in that locale


class HalfTarget(BatchGroupTarget):
    kind: str = "half"


class NoneInTarget(BatchDimensionsTarget):
    kind: str = "none-in"


def test_a_target_takes_one_ruleset_or_several() -> None:
    one = HalfTarget(id="t1", rulesets="papi", at_least="top")
    several = HalfTarget(id="t2", rulesets=["papi", "sipas"], at_least="top", of="D1")
    assert (one.rulesets, one.of, one.rule, one.cuts) == (("papi",), "total", None, None)
    assert (several.rulesets, several.of) == (("papi", "sipas"), "D1")
    dims = NoneInTarget(id="t3", rulesets="papi", none_in="rest", cuts=["50.5"])
    assert (dims.none_in, dims.cuts) == ("rest", (Decimal("50.5"),))


# ------------------------------------------------------------------------------------ sources
def test_no_folder_offers_no_rulesets(tmp_path: Path) -> None:
    assert rulesets_in(tmp_path / "absent") == []
    a_file = tmp_path / "rulesets"
    a_file.write_text("not a folder", encoding="utf-8")
    assert rulesets_in(a_file) == []


def test_rulesets_are_the_yaml_files_one_level_down_hidden_ones_left_out(tmp_path: Path) -> None:
    for name in (
        "b.ruleset/2024.yaml",
        "a.ruleset/2022.yaml",
        "a.ruleset/.2023.yaml",  # an editor's backup
        "a.ruleset/params/2022.yaml",  # deeper: parameters, not a ruleset
        "a.ruleset/notes.txt",
        "top.yaml",  # not inside a ruleset's folder
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("id: x\n", encoding="utf-8")
    assert rulesets_in(tmp_path) == [
        RulesetSource(tmp_path / "a.ruleset" / "2022.yaml", "a.ruleset"),
        RulesetSource(tmp_path / "b.ruleset" / "2024.yaml", "b.ruleset"),
    ]
