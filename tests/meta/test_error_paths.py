"""Error classes raised through real paths (issue 19, item 8), and a check that every
``ParindexError`` subclass of parindex and its built-in plugins is named by some test.

``PluginError``: a third-party rule kind whose code fails (a bug, not bad input), and a registry
with no ``points`` kind. ``ScoreCardFileError``: a score-card JSON file that is not JSON, or JSON
that is not a valid score card, read by a planning command.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Literal

import pytest

import parindex_core_rules
from parindex import api, hookspecs
from parindex.analysis.planning.errors import ScoreCardFileError
from parindex.analysis.planning.inputs import read_card
from parindex.cli.main import main
from parindex.io.registry import Registry
from parindex.model.errors import ParindexError, PluginError
from parindex.model.rules import Outcome, Rule
from parindex_core_rules.kinds import PointsRule

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent


class _BrokenRule(Rule):
    """A rule kind with a bug: it divides by zero whatever the input."""

    kind: Literal["broken"] = "broken"

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        raise ZeroDivisionError("division by zero in the rule's own code")

    def describe(self) -> str:
        return "broken"


def _broken_kinds() -> list[type[Rule]]:
    return [_BrokenRule]


def test_a_failing_rule_kind_raises_plugin_error_naming_the_node() -> None:
    plugin = SimpleNamespace(
        __name__="broken_kinds", parindex_rule_kinds=hookspecs.hookimpl(_broken_kinds)
    )
    reg = Registry([parindex_core_rules, plugin], entry_points=False)
    ruleset = api.load_ruleset(
        {
            "id": "test.broken",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "test"},
            "nodes": [
                {"code": "1", "title": "a", "maximum": 5, "rule": {"kind": "broken"}},
                {"code": "2", "title": "b", "maximum": 5},
            ],
        },
        reg,
    )
    assessment = {
        "ruleset": "test.broken",
        "year": 2024,
        "unit": "u",
        "inputs": {"1": {"points": 1}, "2": 3},
    }
    with pytest.raises(PluginError) as caught:
        api.score(assessment, ruleset, registry=reg)
    err = caught.value
    assert err.code == "1"
    assert str(err).startswith(
        f"[node 1] the 'broken' rule of module {__name__} failed: ZeroDivisionError:"
    )
    assert "division by zero in the rule's own code" in str(err)
    # without the broken node the same registry scores: 3 points
    fine = {**assessment, "inputs": {"2": 3}, "missing": "zero"}
    assert api.score(fine, ruleset, registry=reg).total == Decimal("3.00")


def test_a_registry_without_the_points_kind_raises_plugin_error() -> None:
    with pytest.raises(PluginError, match="no 'points' rule kind is registered"):
        Registry([], entry_points=False).default_rule()
    assert Registry([parindex_core_rules], entry_points=False).default_rule() is PointsRule


def _card_text(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["score", str(REPO / "examples" / "moha-2017-example.yaml"), "-f", "json"]) == 0
    return capsys.readouterr().out


def test_score_card_file_errors_name_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _card_text(capsys)
    assert read_card(_write(tmp_path / "good.json", text)).total == Decimal("87.75")

    broken = _write(tmp_path / "broken.json", '{\n  "unit": ,\n}\n')
    with pytest.raises(ScoreCardFileError) as caught:
        read_card(broken)
    assert (caught.value.file, caught.value.line) == (str(broken), 2)
    assert main(["gaps", str(broken)]) == 1
    assert capsys.readouterr().err.startswith(f"parindex: error: {broken}:2: invalid JSON:")

    data = json.loads(text)
    data["total"] = "not a number"
    bad_text = json.dumps(data, indent=2, ensure_ascii=False)
    bad = _write(tmp_path / "bad.json", bad_text)
    total_line = next(i for i, line in enumerate(bad_text.splitlines(), 1) if '"total":' in line)
    with pytest.raises(ScoreCardFileError) as caught:
        read_card(bad)
    assert (caught.value.line, caught.value.field) == (total_line, "total")
    assert "not a valid score card" in str(caught.value)
    assert main(["gaps", str(bad)]) == 1
    assert f"{bad}:{total_line}:" in capsys.readouterr().err


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _error_classes() -> set[type[ParindexError]]:
    for top in ("parindex", "parindex_core_rules", "parindex_papi_sipas", "parindex_vn"):
        package = importlib.import_module(top)
        for info in pkgutil.walk_packages(package.__path__, top + "."):
            if info.name.startswith("parindex.testing") or info.name == "parindex.pytest_plugin":
                continue  # they import hypothesis / pytest internals: not error sources
            importlib.import_module(info.name)
    found: set[type[ParindexError]] = set()
    todo = [ParindexError]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.split(".")[0] in {
                "parindex",
                "parindex_core_rules",
                "parindex_papi_sipas",
                "parindex_vn",
            }:
                found.add(sub)
            todo.append(sub)
    return found


def test_every_error_class_is_named_by_a_test() -> None:
    here = Path(__file__).resolve()
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in TESTS.rglob("*.py")
        if p.resolve() != here and "meta" not in p.parts
    ]
    texts.append(here.read_text(encoding="utf-8").split("def _write", 1)[0])  # the tests above
    classes = _error_classes()
    assert {"PluginError", "ScoreCardFileError", "GroupRuleError"} <= {c.__name__ for c in classes}
    unnamed = {
        f"{c.__module__}.{c.__name__}"
        for c in classes
        if not any(re.search(rf"\b{c.__name__}\b", t) for t in texts)
    }
    assert unnamed == set(), "error classes no test raises (add a test that triggers each)"
