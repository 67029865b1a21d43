"""The hooks a third-party plugin uses to bring what the core does not know: a batch-relative
grouping (with a target kind), command-line commands, and shipped responsibility maps.

The grouping here ("halves": the upper half of the batch, at or above the median) is written in
this file, so every expected group is worked out by hand, not by parindex.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar, Literal

import pytest
from pydantic import Field

import parindex.io.registry as registry_module
import parindex_core_rules
from parindex import api, hookspecs
from parindex.analysis.planning.evaluate import evaluate
from parindex.analysis.planning.responsibility import builtin_names, find_map
from parindex.analysis.planning.targets import targets_from_data
from parindex.cli.main import build_parser, main
from parindex.io import plugins as io_plugins
from parindex.io.registry import Registry
from parindex.model import sources
from parindex.model.documents import ScoreCard
from parindex.model.errors import ParindexError
from parindex.model.group_rules import BatchGroupTarget, Grouping, GroupRule, GroupRuleError
from parindex.model.group_rules import Rulesets as RulesetIds
from parindex.scoring.grouping import group_rule, grouping_of

HALVES_RULESET: dict[str, Any] = {
    "id": "test.halves",
    "version": "1",
    "years": [2021],
    "unit_kind": "province",
    "source": {"document": "test"},
    "maximum": 20,
    "nodes": [{"code": "A", "maximum": 10}, {"code": "B", "maximum": 10}],
}


@dataclass(frozen=True)
class Halves:
    rule: str
    cuts: tuple[Decimal, ...] | None
    groups: dict[str, str]
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        return f"median {self.cuts[0] if self.cuts else '—'}"

    @property
    def description(self) -> str:
        return f"upper half at or above the median; {self.summary}"


def _median_halves(values: Mapping[str, Decimal], cuts: Sequence[Decimal] | None) -> Halves:
    ordered = sorted(Fraction(v) for v in values.values())
    n = len(ordered)
    median = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
    cut = Decimal(median.numerator) / Decimal(median.denominator)
    groups = {u: "upper" if Fraction(v) >= median else "lower" for u, v in values.items()}
    counts = {label: list(groups.values()).count(label) for label in ("upper", "lower")}
    return Halves("median", (cut,), groups, counts)


class HalfTarget(BatchGroupTarget):
    """At least the named half of the batch."""

    grouping: ClassVar[str] = "halves"
    kind: Literal["half"]
    rulesets: RulesetIds = Field(default=("test.halves",), min_length=1)
    at_least: Literal["upper", "lower"]
    rule: Literal["median"] = "median"


MEDIAN = GroupRule("median", "at or above the batch's median", True, _median_halves)
HALVES = Grouping(
    name="halves",
    title="Halves",
    noun="half",
    labels=("upper", "lower"),
    rules=(MEDIAN,),
    rulesets=("test.halves",),
    note="a test grouping",
    target_kinds=(HalfTarget,),
)


def _plugin(name: str, **hooks: Any) -> SimpleNamespace:
    return SimpleNamespace(__name__=name, **{k: hookspecs.hookimpl(v) for k, v in hooks.items()})


def _registry(*plugins: object) -> Registry:
    def groupings(register: Any) -> None:
        register(HALVES)

    reg = Registry(
        [parindex_core_rules, _plugin("halves", parindex_group_rules=groupings), *plugins],
        entry_points=False,
    )
    reg.add(api.load_ruleset(HALVES_RULESET, reg))
    return reg


@pytest.fixture
def as_default() -> Iterator[Any]:
    """Make a registry the process-wide one (what the command line uses) for one test."""
    saved = registry_module._DEFAULT

    def use(reg: Registry) -> Registry:
        registry_module._DEFAULT = reg
        return reg

    try:
        yield use
    finally:
        registry_module._DEFAULT = saved


# ------------------------------------------------------------------------------- the old homes
def test_plugins_find_the_markers_and_types_in_the_model_and_hook_specs() -> None:
    assert io_plugins.hookimpl is hookspecs.hookimpl
    assert io_plugins.RulesetSource is sources.RulesetSource
    assert io_plugins.rulesets_in is sources.rulesets_in


# ------------------------------------------------------------------------------- groupings
def test_a_registered_grouping_is_found_by_its_rulesets_and_rule_names() -> None:
    reg = _registry()
    assert grouping_of("test.halves", reg) is HALVES
    assert grouping_of("moha.province", reg) is None
    assert group_rule("halves.median", reg) is MEDIAN
    assert group_rule("median", reg) is MEDIAN
    with pytest.raises(GroupRuleError, match="unknown group rule 'deciles'"):
        group_rule("deciles", reg)
    assert HALVES.rule(None) is MEDIAN and HALVES.rank_of("lower") == 1
    with pytest.raises(GroupRuleError, match="rules: median"):
        HALVES.rule("quartiles")


def test_a_bad_or_clashing_grouping_is_reported_and_skipped() -> None:
    other = Grouping("other", "Other", "other", ("x",), (MEDIAN,), ("test.halves",))

    def offers(register: Any) -> None:
        register("not a grouping")
        register(HALVES)  # the name is taken
        register(other)  # so is its ruleset

    reg = _registry(_plugin("clash", parindex_group_rules=offers))
    assert list(reg.groupings) == ["halves"]
    # the first plugin asked keeps the name; the other is told (either may be asked first)
    problems = reg.host.status["clash"].errors + reg.host.status["halves"].errors
    assert any("is not a parindex.model Grouping" in p for p in problems)
    assert any("grouping 'halves' is already registered" in p for p in problems)
    assert any("ruleset 'test.halves' is already grouped by 'halves'" in p for p in problems)


def test_a_grouping_needs_a_rule_that_takes_no_cut_points() -> None:
    fixed = GroupRule("fixed", "given cuts", False, _median_halves, takes_cuts=True)
    with pytest.raises(ParindexError, match="takes no cut points"):
        Grouping("g", "G", "g", ("a",), (fixed,), ())


def test_reproduce_groups_a_registered_ruleset_across_the_batch(tmp_path: Path) -> None:
    # totals 2, 8, 12, 18: median (8 + 12) / 2 = 10, so u3 and u4 are in the upper half
    csv = tmp_path / "halves.csv"
    csv.write_text(
        "ruleset,year,unit,A,B\n"
        "test.halves,2021,u1,1,1\n"
        "test.halves,2021,u2,4,4\n"
        "test.halves,2021,u3,6,6\n"
        "test.halves,2021,u4,9,9\n",
        encoding="utf-8",
    )
    report = api.reproduce_file(csv, registry=_registry())
    groups = {r.row.unit: r.computed_group for r in report.rows}
    assert groups == {"u1": "lower", "u2": "lower", "u3": "upper", "u4": "upper"}
    assert any(note.startswith("Halves: at or above") for note in report.group_notes)


def _halves_card(unit: str, points: str, reg: Registry) -> ScoreCard:
    ruleset = reg.get("test.halves", 2021)
    data = {
        "ruleset": "test.halves",
        "year": 2021,
        "unit": unit,
        "inputs": {"A": points, "B": points},
    }
    return api.score(data, ruleset, registry=reg)


def test_a_grouping_brings_its_target_kind() -> None:
    reg = _registry()
    spec = targets_from_data(
        {
            "targets_for": "u1",
            "year": 2021,
            "source": {"document": "test plan"},
            "targets": [{"id": "top", "kind": "half", "at_least": "upper"}],
        },
        registry=reg,
    )
    assert isinstance(spec.targets[0], HalfTarget)
    cards = [
        _halves_card(u, p, reg) for u, p in (("u1", "1"), ("u2", "4"), ("u3", "6"), ("u4", "9"))
    ]
    (result,) = evaluate(spec, cards, registry=reg).results
    # u1 has 2 among 8, 12, 18. With u1 at x < 12 the median is at least (x + 12) / 2 > x; at
    # x = 12 the median is 12: the upper half needs 12, 10 more points.
    assert result.met is False and result.actual == "lower (total 2.00)"  # 2 places
    assert result.requirement == "half of total ≥ upper, rule median"
    assert result.plan is not None and result.plan.needed == Decimal(12)
    assert result.plan.extra_points == Decimal(10)


def test_without_the_grouping_its_target_kind_is_unknown() -> None:
    reg = Registry([parindex_core_rules], entry_points=False)
    with pytest.raises(ParindexError, match="half"):
        targets_from_data(
            {
                "targets_for": "u1",
                "year": 2021,
                "source": {"document": "test plan"},
                "targets": [{"id": "top", "kind": "half", "at_least": "upper"}],
            },
            registry=reg,
        )


# ------------------------------------------------------------------------------- commands
def _hello(args: argparse.Namespace) -> int:
    print(f"hello {args.name}")
    return 0


def _hello_command(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", default="world")
    p.set_defaults(handler=_hello)


def test_a_plugin_adds_a_command_and_an_option(
    as_default: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    def commands(register: Any) -> None:
        register("hello", _hello_command, help="say hello")
        register.extend("datasets", lambda p: p.add_argument("--loud", action="store_true"))

    as_default(_registry(_plugin("greeter", parindex_register_commands=commands)))
    assert main(["hello", "--name", "Huế"]) == 0
    assert capsys.readouterr().out == "hello Huế\n"
    args = build_parser().parse_args(["datasets", "--loud"])
    assert args.loud is True and args.handler.__name__ == "cmd_datasets"


def test_a_broken_command_is_dropped_alone_and_reported(
    as_default: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(p: argparse.ArgumentParser) -> None:
        p.add_argument("--x")
        raise RuntimeError("cannot configure")

    def commands(register: Any) -> None:
        register("boom", broken, help="never there")
        register("score", _hello_command, help="a core name: refused")
        register("hello", _hello_command, help="say hello")

    def half_way(register: Any) -> None:
        register("half", _hello_command)
        raise ValueError("the hook fails after one command")

    reg = as_default(
        _registry(
            _plugin("mixed", parindex_register_commands=commands),
            _plugin("halfway", parindex_register_commands=half_way),
        )
    )
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert "hello" in sub.choices and "boom" not in sub.choices and "half" not in sub.choices
    assert sub.choices["score"].get_default("handler").__name__ == "cmd_score"
    assert main(["hello"]) == 0
    err = capsys.readouterr().err
    assert "plugin mixed are unavailable" in err and "cannot configure" in err
    mixed = reg.host.status["mixed"].errors
    assert any("command 'boom' unavailable: cannot configure" in p for p in mixed)
    assert any("'score' is already taken" in p for p in mixed)
    assert any("the hook fails after one command" in p for p in reg.host.status["halfway"].errors)


# ------------------------------------------------------------------------------- responsibility
def test_responsibility_maps_come_from_the_plugins(tmp_path: Path) -> None:
    shipped = REPO_MAP.read_text(encoding="utf-8")
    (tmp_path / "my-province-2030.yaml").write_text(shipped, encoding="utf-8")
    maps = _plugin("maps", parindex_responsibility_maps=lambda: sorted(tmp_path.glob("*.yaml")))
    reg = Registry([maps], entry_points=False)
    assert builtin_names(reg) == ["my-province-2030"]
    assert find_map("my-province-2030", reg) == find_map(str(REPO_MAP), reg)
    with pytest.raises(ParindexError, match="shipped maps: my-province-2030"):
        find_map("lang-son-2022", reg)
    assert builtin_names(Registry([], entry_points=False)) == []


REPO_MAP = (
    Path(__file__).resolve().parents[1]
    / "plugins"
    / "parindex_vn"
    / "responsibility"
    / ("lang-son-2022.yaml")
)
