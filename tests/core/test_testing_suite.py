"""The property suite for plugin authors (issue 6, item 5): ``parindex.testing`` run in one line
against the shipped rulesets, the Cà Mau example, a ruleset using third-party rule kinds, and
broken kinds it must catch."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest
from hypothesis import strategies as st
from pydantic import Field

import parindex
from parindex.io.plugins import hookimpl
from parindex.model.documents import Dec, Node
from parindex.model.rules import InputKind, Outcome, Rule
from parindex.testing import (
    PROPERTIES,
    InputStrategy,
    check_ruleset_properties,
    property_suite,
)

ROOT = Path(__file__).resolve().parents[2]
CA_MAU = ROOT / "examples" / "ca-mau-2013" / "ruleset.yaml"
DOCS = ROOT / "docs" / "testing.md"


# ---------------------------------------------------------------------- shipped rulesets
def test_moha_province_2017_in_one_line() -> None:
    done = check_ruleset_properties("moha.province", year=2017)
    assert {p for _, _, p in done} == set(PROPERTIES)
    assert {(r, v) for r, v, _ in done} == {("moha.province", "2017")}


TestCaMauExample = pytest.mark.skipif(not CA_MAU.exists(), reason="no Cà Mau example")(
    property_suite(CA_MAU)
)


@pytest.mark.parametrize(
    ("ruleset_id", "version"),
    [(info.id, info.version) for info in parindex.list_rulesets(parindex.Registry())],
)
def test_every_shipped_ruleset_passes_a_quick_run(ruleset_id: str, version: str) -> None:
    check_ruleset_properties(ruleset_id, version=version, examples=25)


# ---------------------------------------------------------------------- a third party's kinds
def _number(value: Decimal | str) -> Decimal:
    if isinstance(value, str):
        raise ValueError(f"expected a number, got {value!r}")
    return value


class Ladder(Rule):
    """``per_rung`` points for every rung (a measure threshold) reached."""

    kind: Literal["ladder"] = "ladder"
    input_kind: ClassVar[InputKind] = "measure"
    rungs: tuple[Dec, ...] = Field(min_length=1)
    per_rung: Dec = Field(gt=0)

    def max_points(self) -> Decimal:
        return self.per_rung * len(self.rungs)

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        x = _number(value)
        if x < 0:
            raise ValueError("a measure cannot be negative")
        reached = sum(1 for r in self.rungs if x >= r)
        return Outcome(self.per_rung * reached, f"{reached} rung(s)")


class Penalty(Rule):
    """The maximum less ``per`` × violations², never below zero: decreasing in the count."""

    kind: Literal["penalty"] = "penalty"
    input_kind: ClassVar[InputKind] = "count"
    needs_maximum: ClassVar[bool] = True
    increasing: ClassVar[bool | None] = False
    per: Dec = Field(gt=0)

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        n = _number(value)
        assert maximum is not None
        return Outcome(max(maximum - self.per * n * n, Decimal(0)), f"{n} violation(s)")


class Grade(Rule):
    """A letter grade; the grades are not called ``options``, so the generator needs a feed."""

    kind: Literal["grade"] = "grade"
    input_kind: ClassVar[InputKind] = "choice"
    increasing: ClassVar[bool | None] = None
    grades: dict[str, Dec] = Field(min_length=1)

    def max_points(self) -> Decimal:
        return max(self.grades.values())

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        if not isinstance(value, str) or value not in self.grades:
            raise ValueError(f"unknown grade {value!r}")
        return Outcome(self.grades[value], value)


class FloorPoints(Rule):
    """Points given directly, but never below ``floor`` (like PAPI's sub-dimensions)."""

    kind: Literal["floor_points"] = "floor_points"
    floor: Dec = Field(ge=0)

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        x = _number(value)
        if x < self.floor:
            raise ValueError(f"points {x} are below the floor {self.floor}")
        return Outcome(x, None)


class LyingLadder(Ladder):
    """Claims to be increasing, but gives fewer points the more rungs are reached."""

    kind: Literal["lying_ladder"] = "lying_ladder"  # type: ignore[assignment]

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        got = super().evaluate(value, maximum)
        return Outcome(self.max_points() - got.points, got.matched)


class Overshoot(Rule):
    """Accepts any measure, and scores 1 point above the maximum for measures over 50."""

    kind: Literal["overshoot"] = "overshoot"
    input_kind: ClassVar[InputKind] = "measure"
    needs_maximum: ClassVar[bool] = True

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        assert maximum is not None
        return Outcome(maximum + 1 if _number(value) > 50 else maximum, None)


@hookimpl
def _kinds() -> list[type[Rule]]:
    return [Ladder, Penalty, Grade, FloorPoints, LyingLadder, Overshoot]


THIRD_PARTY = types.ModuleType("parindex_thirdparty_demo")
THIRD_PARTY.parindex_rule_kinds = _kinds  # type: ignore[attr-defined]
REGISTRY = parindex.Registry(plugins=[THIRD_PARTY], entry_points=True)

DEMO: dict[str, Any] = {
    "id": "thirdparty.demo",
    "version": "2024",
    "years": [2024, 2025],
    "unit_kind": "agency",
    "source": {"document": "a third party's decision"},
    "maximum": 30,
    "rounding": {"places": 1, "mode": "half_even"},
    "not_applicable": "exclude",
    "ranking": {"ties": "dense"},
    "groups": [
        {"label": "A", "min": 85},
        {"label": "B", "min": 70, "min_inclusive": False},
        {"label": None, "min": 0, "published": False, "note": "no group below 70"},
    ],
    "nodes": [
        {
            "code": "1",
            "maximum": 10,
            "children": [
                {
                    "code": "1.1",
                    "maximum": 6,
                    "rule": {"kind": "ladder", "rungs": [50, 75, 90], "per_rung": 2},
                },
                {"code": "1.2", "maximum": 4, "rule": {"kind": "penalty", "per": "0.5"}},
            ],
        },
        {
            "code": "2",
            "maximum": 10,
            "children": [
                {
                    "code": "2.1",
                    "maximum": 5,
                    "not_applicable": "zero",
                    "rule": {"kind": "grade", "grades": {"A": 5, "B": 3, "C": 0}},
                },
                {"code": "2.2", "maximum": 5, "rule": {"kind": "floor_points", "floor": 1}},
            ],
        },
        {
            "code": "3",
            "maximum": 10,
            "not_applicable": "full",
            "children": [
                {
                    "code": "3.1",
                    "maximum": 4,
                    "rule": {
                        "kind": "tiers",
                        "domain": {"min": 0, "max": 100},
                        "bands": [
                            {"min": 80, "min_inclusive": False, "points": 4},
                            {"min": 50, "max": 80, "max_inclusive": True, "points": 2},
                            {"max": 50, "points": 0},
                        ],
                    },
                },
                {"code": "3.2", "rule": {"kind": "ladder", "rungs": [1, 2], "per_rung": 1}},
                {"code": "3.3"},
            ],
        },
    ],
}
REGISTRY.add(parindex.load_ruleset(DEMO, registry=REGISTRY))


def _grades(rule: Rule, node: Node) -> st.SearchStrategy[dict[str, Any]]:
    assert isinstance(rule, Grade)
    return st.sampled_from(sorted(rule.grades)).map(lambda g: {"choice": g})


FEEDS: dict[str, InputStrategy] = {"grade": _grades}


def test_third_party_kinds_in_one_line() -> None:
    check_ruleset_properties("thirdparty.demo", registry=REGISTRY, input_strategies=FEEDS)


def test_third_party_kinds_without_a_feed() -> None:
    """With no feed for ``grade``, the generator gives that leaf points directly; still valid."""
    check_ruleset_properties("thirdparty.demo", registry=REGISTRY, examples=50)


TestThirdPartyDemo2025 = property_suite(
    "thirdparty.demo",
    year=2025,
    registry=REGISTRY,
    input_strategies=FEEDS,
    properties=["bounds", "monotonicity", "not_applicable"],
    examples=100,
)


# ---------------------------------------------------------------------- the suite has teeth
def _with_rule(rule: dict[str, Any]) -> parindex.Ruleset:
    data = {
        "id": "broken.demo",
        "version": "1",
        "years": [2024],
        "unit_kind": "agency",
        "source": {"document": "test"},
        "nodes": [
            {"code": "1", "maximum": 6, "rule": rule},
            {"code": "2", "maximum": 4},
        ],
    }
    return parindex.load_ruleset(data, registry=REGISTRY)


def test_suite_catches_a_kind_that_lies_about_its_direction() -> None:
    ruleset = _with_rule({"kind": "lying_ladder", "rungs": [5, 50], "per_rung": 3})
    with pytest.raises(AssertionError, match="lowered node 1"):
        check_ruleset_properties(
            ruleset, registry=REGISTRY, properties=["monotonicity"], examples=200
        )


def test_suite_catches_a_kind_scoring_above_the_maximum() -> None:
    ruleset = _with_rule({"kind": "overshoot"})
    with pytest.raises(parindex.ParindexError, match="above the maximum"):
        check_ruleset_properties(ruleset, registry=REGISTRY, properties=["bounds"], examples=200)


def test_unknown_property_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown properties"):
        property_suite("moha.province", properties=["bounds", "speed"])
    with pytest.raises(ValueError, match="unknown properties"):
        check_ruleset_properties("moha.province", properties=["speed"])


# ---------------------------------------------------------------------- docs and packaging
def test_the_docs_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    example = next(b for b in blocks if "class Stars(Rule)" in b)
    monkeypatch.setenv("PARINDEX_PROPERTY_EXAMPLES", "30")
    module = types.ModuleType("docs_testing_example")  # run as a module of its own, as written
    monkeypatch.setitem(sys.modules, module.__name__, module)
    namespace = module.__dict__
    exec(compile(example, str(DOCS), "exec", dont_inherit=True), namespace)
    namespace["test_stars_demo_properties"]()
    suite = namespace["TestStarsDemo"]()
    tests = [name for name in dir(suite) if name.startswith("test_")]
    assert sorted(tests) == sorted(f"test_{p}" for p in PROPERTIES)
    suite.test_bounds()


def test_only_parindex_testing_imports_hypothesis() -> None:
    code = (
        "import sys, parindex, parindex.api, parindex.scoring.engine, parindex.io.registry;"
        "parindex.default_registry().rule_kinds;"
        "assert 'hypothesis' not in sys.modules, 'hypothesis imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_parindex_testing_says_how_to_get_hypothesis() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import parindex.testing\n"
        "except ImportError as e:\n    assert 'parindex[testing]' in str(e), e\n"
        "else:\n    raise SystemExit('imported without hypothesis')"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
