"""What the engine and the scalar path work out once per ruleset object (the tree's layout, the
code indexes, the programs by input order) belongs to that object: another ruleset with the same
codes, or a second view, is never scored with it. Every expected value is worked out by hand."""

from __future__ import annotations

import subprocess
import sys
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from typing import Any

import pytest

from parindex import api
from parindex.model.errors import ConflictingInputError, UnknownCodeError
from parindex.scoring import engine
from parindex.scoring.fast.scalar import score_one
from parindex_core_rules.kinds import PointsRule


def _ruleset(max_a: str, title: str, document: str) -> Any:
    return api.load_ruleset(
        {
            "id": "lay.test",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": document},
            "nodes": [
                {
                    "code": "1",
                    "title": title,
                    "children": [
                        {"code": "1.1", "maximum": D(max_a), "rule": {"kind": "points"}},
                        {"code": "1.2", "maximum": D(1), "rule": {"kind": "points"}},
                    ],
                }
            ],
            "views": {
                "parts": {"nodes": [{"code": "p", "maximum": D(10), "rule": {"kind": "points"}}]}
            },
        }
    )


def _assessment(inputs: dict[str, Any], **extra: Any) -> Any:
    return api.load_assessment(
        {"ruleset": "lay.test", "year": 2024, "unit": "u", "inputs": inputs, **extra}
    )


def test_rulesets_with_the_same_codes_keep_their_own_maxima_titles_and_sources() -> None:
    four, five = _ruleset("4", "Field one", "QĐ 1"), _ruleset("5", "Trường một", "QĐ 2")
    a = _assessment({"1.1": {"points": 1}, "1.2": {"points": 1}})
    for _ in range(2):  # the second round reads what the first one laid out
        c4, c5 = engine.score(four, a, PointsRule), engine.score(five, a, PointsRule)
        assert c4.node("1.1").percent == D("25.00")  # 1 of 4
        assert c5.node("1.1").percent == D("20.00")  # 1 of 5
        assert (c4.maximum, c5.maximum) == (D(5), D(6))  # 4 + 1, 5 + 1
        assert (c4.index, c5.index) == (D("40.00"), D("33.33"))  # 2/5, 2/6 (half-up)
        assert c4.node("1").title.best() == "Field one"
        assert c5.node("1").title.best("vi") == "Trường một"
        assert (c4.node("1.2").source, c5.node("1.2").source) == ("QĐ 1", "QĐ 2")
        assert [n.code for n in c4.nodes] == ["1", "1.1", "1.2"]
        assert [(n.parent, n.depth) for n in c5.nodes] == [(None, 0), ("1", 1), ("1", 1)]


def test_a_second_view_is_laid_out_on_its_own() -> None:
    rs = _ruleset("4", "Field one", "QĐ 1")
    main = engine.score(rs, _assessment({"1.1": {"points": 3}, "1.2": {"points": 1}}), PointsRule)
    parts = engine.score(rs, _assessment({"p": {"points": 7}}), PointsRule)
    assert (main.view, main.total, main.index) == ("main", D("4.00"), D("80.00"))  # 4 of 5
    assert (parts.view, parts.total, parts.index) == ("parts", D("7.00"), D("70.00"))  # 7 of 10
    assert [n.code for n in parts.nodes] == ["p"]


def test_the_code_checks_still_name_the_first_offender() -> None:
    rs = _ruleset("4", "Field one", "QĐ 1")
    with pytest.raises(ConflictingInputError) as got:
        engine.score(rs, _assessment({"1": {"points": 2}, "1.2": {"points": 1}}), PointsRule)
    assert got.value.code == "1.2"
    assert "both for 1 and for its descendant 1.2" in str(got.value)
    with pytest.raises(UnknownCodeError) as unknown:
        engine.score(rs, _assessment({"9": {"points": 1}}, view="parts"), PointsRule)
    assert unknown.value.code == "9"
    assert "codes in this view: p" in (unknown.value.hint or "")
    with pytest.raises(ConflictingInputError, match="several breakdowns"):
        engine.score(rs, _assessment({"1.1": {"points": 1}, "p": {"points": 1}}), PointsRule)


def test_score_one_takes_inputs_in_any_order_and_per_ruleset() -> None:
    four, five = _ruleset("4", "Field one", "QĐ 1"), _ruleset("5", "Field one", "QĐ 1")
    forward = _assessment({"1.1": {"points": 3}, "1.2": {"points": 1}})
    backward = _assessment({"1.2": {"points": 1}, "1.1": {"points": 3}})
    for a in (forward, backward, forward):
        got4, got5 = score_one(four, a), score_one(five, a)
        assert (got4.total, got4.index) == (D("4.00"), D("80.00"))  # 4 of 5
        assert (got5.total, got5.index) == (D("4.00"), D("66.67"))  # 4 of 6
        assert not got4.engine and not got5.engine
    parts = score_one(four, _assessment({"p": {"points": 7}}))
    assert (parts.total, parts.index) == (D("7.00"), D("70.00"))


def test_rendering_a_card_does_not_import_the_planning_report() -> None:
    code = (
        "import sys, parindex.report.card\n"
        "print(sorted(m for m in sys.modules if m.startswith(('parindex.analysis',"
        " 'parindex.report.builder'))))\n"
        "from parindex.report import build_report, to_markdown\n"
        "print(build_report.__module__, to_markdown.__module__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["[]", "parindex.report.builder parindex.report.markdown"]


def _same_instance(got: Any, want: Any) -> None:
    assert type(got) is type(want)
    assert list(got.__dict__.items()) == list(want.__dict__.items())  # fields in order
    assert got.model_fields_set == want.model_fields_set
    assert got.model_dump_json() == want.model_dump_json()


def test_prefilled_makers_build_what_model_construct_builds() -> None:
    from parindex.model.documents import Entry, Trace, Value
    from parindex.scoring.construct import _Construct

    fixed = {"how": "rule", "rule": "tiers", "source": "QĐ 1"}
    make = _Construct(Trace).prefilled(fixed, ("input", "detail"))
    _same_instance(
        make(detail="90 ≥ 70", input="measure = 90"),
        Trace.model_construct(
            how="rule", rule="tiers", source="QĐ 1", input="measure = 90", detail="90 ≥ 70"
        ),
    )
    # a call giving other fields than announced: the fields set is the call's
    _same_instance(
        make(matched="B"),
        Trace.model_construct(how="rule", rule="tiers", source="QĐ 1", matched="B"),
    )
    # a model with an alias is built by pydantic's own model_construct
    value = Value(points=D(1))
    entry = _Construct(Entry).prefilled({"value": value}, ())
    assert entry.generic
    _same_instance(entry(), Entry.model_construct(value=value))


def test_many_rulesets_in_turn_each_keep_their_own_layout() -> None:
    # more ruleset objects than the caches keep (64): cleared and laid out again, never mixed
    a = _assessment({"1.1": {"points": 1}, "1.2": {"points": 1}})
    rulesets = [_ruleset(str(m), "Field one", f"QĐ {m}") for m in range(1, 71)]
    for _ in range(2):
        for m, rs in enumerate(rulesets, 1):
            card = engine.score(rs, a, PointsRule)
            want = (D(100) / m).quantize(D("0.01"), rounding=ROUND_HALF_UP)  # 1 of m, half-up
            assert card.node("1.1").percent == want
            assert card.node("1").source == f"QĐ {m}"
