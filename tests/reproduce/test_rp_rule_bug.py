"""A rule kind whose own code fails while ``reproduce`` checks a published number against it is a
bug in the kind, not a conflict in the published data: it is named as the engine names it (a
``PluginError`` with the kind, its module and the node), never a raw traceback."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Literal

import pytest

import parindex_core_rules
from parindex import api, hookspecs
from parindex.analysis.reproduce.conflicts import Breaches, check_given
from parindex.io.registry import Registry
from parindex.model.documents import Ruleset
from parindex.model.errors import PluginError
from parindex.model.rules import Outcome, Rule


class _IndexBugRule(Rule):
    """A points rule with a bug: it indexes past the end of a list whatever the input."""

    kind: Literal["index_bug"] = "index_bug"

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        return [][1]

    def describe(self) -> str:
        return "index bug"


def _kinds() -> list[type[Rule]]:
    return [_IndexBugRule]


def _ruleset() -> Ruleset:
    plugin = SimpleNamespace(__name__="bug_kinds", parindex_rule_kinds=hookspecs.hookimpl(_kinds))
    reg = Registry([parindex_core_rules, plugin], entry_points=False)
    return api.load_ruleset(
        {
            "id": "test.bug",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "test"},
            "nodes": [
                {"code": "1", "title": "a", "maximum": 5, "rule": {"kind": "index_bug"}},
                {"code": "2", "title": "b", "maximum": 5},
            ],
        },
        reg,
    )


def test_a_rule_kind_bug_is_a_plugin_error_naming_the_node() -> None:
    ruleset = _ruleset()
    found = ruleset.find("1")
    assert found is not None
    node = found[1]
    out = Breaches()
    with pytest.raises(PluginError) as caught:
        check_given(ruleset, node, Decimal("2"), "2", out)
    assert caught.value.code == "1"
    assert str(caught.value).startswith(
        f"[node 1] the 'index_bug' rule of module {__name__} failed: IndexError:"
    )
    assert out.conflicts == []  # not counted as a conflict of the published number


def test_a_rule_refusing_the_number_is_still_a_conflict() -> None:
    ruleset = api.load_ruleset(
        {
            "id": "test.refuse",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "test"},
            "nodes": [
                {
                    "code": "1",
                    "title": "a",
                    "maximum": 2,
                    "rule": {"kind": "points", "step": "0.5"},
                },
            ],
        }
    )
    found = ruleset.find("1")
    assert found is not None
    out = Breaches()
    check_given(ruleset, found[1], Decimal("0.3"), "0.3", out)  # not a multiple of 0.5
    assert [(c.kind, c.node) for c in out.conflicts] == [("rule", "1")]
    assert out.lift_rule == {"1"}
