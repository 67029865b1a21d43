"""Rulesets the format forbids are refused with a typed, located error (file, line, node code),
never a raw TypeError or AssertionError from deep inside a rule; and fields that must be absent
from a score card are absent.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from parindex import api
from parindex.model.decimals import NumberError, to_decimal
from parindex.model.errors import BandError, ParindexError, RuleError, SchemaError

HEAD = """id: x.located
version: "1"
years: [2024]
unit_kind: province
source: {document: hand-written}
nodes:
  - code: "1"
    title: first
    maximum: 2
    rule: {kind: points}
  - code: "2"
    title: second
"""
# the second node's fields start on line 13 (after the 12 lines above)


@pytest.mark.parametrize(
    ("fields", "error", "line", "message"),
    [
        ("    rule: {kind: deduction, per_violation: 1}\n", RuleError, 13,
         "a 'deduction' rule needs the node's maximum, which is not given"),
        ("    rule: {kind: survey_scale, levels: 5}\n", RuleError, 13,
         "a 'survey_scale' rule needs the node's maximum, which is not given"),
        ("    rule: {kind: percent_points}\n", RuleError, 13,
         "a 'percent_points' rule needs the node's maximum, which is not given"),
        ("    rule: {kind: proportional, target: 5}\n", RuleError, 13,
         "a 'proportional' rule needs the node's maximum, which is not given"),
        ("    rule: {kind: count, per_item: 1}\n", RuleError, 13,
         "a count rule needs a cap or the node's maximum"),
        ("    maximum: 3\n    minimum: 5\n    rule: {kind: points}\n", RuleError, 14,
         "minimum 5 is above the maximum 3"),
        ("    maximum: 3\n    rule: {kind: choice, options: {}}\n", SchemaError, 14, "options"),
        ("    maximum: 3\n    rule: {kind: tiers, bands: []}\n", SchemaError, 14, "bands"),
    ],
)  # fmt: skip
def test_forbidden_rules_are_located(
    tmp_path: Path, fields: str, error: type[Exception], line: int, message: str
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(HEAD + fields, encoding="utf-8")
    with pytest.raises(error) as err:
        api.load_ruleset(path)
    assert err.value.file == str(path)  # type: ignore[attr-defined]
    assert err.value.code == "2"  # type: ignore[attr-defined]
    assert err.value.line == line  # type: ignore[attr-defined]
    assert message in str(err.value)


def test_absent_fields_stay_absent() -> None:
    ruleset = api.load_ruleset(
        {
            "id": "x.absent", "version": "1", "years": [2024], "unit_kind": "province",
            "source": {"document": "d"}, "status": "confirmed", "maximum": 2,
            "nodes": [{"code": "1", "title": "a", "maximum": 2, "rule": {"kind": "points"}}],
        }
    )  # fmt: skip
    a = api.load_assessment(
        {"ruleset": "x.absent", "year": 2024, "unit": "u", "inputs": {"1": {"points": 1}}}
    )
    card = api.score(a, ruleset)
    assert card.total == Decimal(1) and card.index == Decimal(50)
    # no stages were given: no self-assessed or appraised totals, no changes
    assert (card.self_total, card.appraised_total, card.changes) == (None, None, 0)
    assert card.node("1").self_points is None
    # a confirmed ruleset: nothing unverified
    assert card.unverified is False and card.unverified_codes == ()
    assert card.group is None  # no bands published
    data = json.loads(card.to_json())
    assert data["self_total"] is None and data["appraised_total"] is None
    assert data["unverified"] is False


TWICE = """id: x.twice
version: "1"
years: [2024]
unit_kind: province
source: {document: hand-written}
nodes:
  - code: "1"
    title: first
    maximum: -1
  - code: "1"
    title: second
    maximum: 2
"""


def test_an_error_on_a_repeated_code_points_at_the_occurrence_it_is_about(tmp_path: Path) -> None:
    # Line 9 is the first "1"'s negative maximum; line 10 starts the second "1", the duplicate.
    path = tmp_path / "twice.yaml"
    path.write_text(TWICE, encoding="utf-8")
    with pytest.raises(Exception) as err:
        api.validate_file(path)
    found = [err.value, *getattr(err.value, "related", ())]
    where = sorted((e.line, type(e).__name__) for e in found)  # type: ignore[attr-defined]
    assert where == [(9, "RuleError"), (10, "DuplicateCodeError")]


def _one_node(**fields: object) -> dict[str, object]:
    return {
        "id": "x.edge", "version": "1", "years": [2024], "unit_kind": "province",
        "source": {"document": "d"},
        "nodes": [{"code": "1", "title": "a", "rule": {"kind": "points"}, **fields}],
    }  # fmt: skip


def test_a_minimum_equal_to_the_maximum_is_allowed() -> None:
    # only a minimum *above* the maximum is an error: 2 of 2 is a node that must score 2
    ruleset = api.load_ruleset(_one_node(maximum=2, minimum=2))
    a = api.load_assessment(
        {"ruleset": "x.edge", "year": 2024, "unit": "u", "inputs": {"1": {"points": 2}}}
    )
    assert api.score(a, ruleset).total == Decimal(2)


@pytest.mark.parametrize(("low", "high"), [("0", "100.01"), ("0", "150"), ("-5", "50")])
def test_a_group_band_outside_0_100_is_refused(low: str, high: str) -> None:
    data = _one_node(maximum=2)
    data["groups"] = [{"label": "low", "min": low}, {"label": "high", "min": high}]
    with pytest.raises(BandError) as err:
        api.load_ruleset(data)
    outside = low if low != "0" else high
    label = "low" if low != "0" else "high"
    assert str(err.value) == f"groups: band '{label}' starts at {outside}, outside 0–100"


def test_a_group_band_at_100_is_allowed() -> None:
    data = _one_node(maximum=2)
    data["groups"] = [{"label": "low", "min": 0}, {"label": "full", "min": 100}]
    assert [g.label for g in api.load_ruleset(data).groups] == ["low", "full"]


THRICE = """id: x.thrice
version: "1"
years: [2024]
unit_kind: province
source: {document: hand-written}
nodes:
  - code: "1"
    title: first
  - code: "1"
    title: second
  - code: "1"
    title: third
"""


def test_each_repeat_of_a_code_is_reported_at_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "thrice.yaml"
    path.write_text(THRICE, encoding="utf-8")
    with pytest.raises(Exception) as err:
        api.validate_file(path)
    found = [err.value, *getattr(err.value, "related", ())]
    dup = sorted(e.line for e in found if type(e).__name__ == "DuplicateCodeError")  # type: ignore[attr-defined]
    assert dup == [9, 11]  # the second and the third "1", never the first (line 7)


SUMS = """id: x.sums
version: "1"
years: [2024]
unit_kind: province
source: {document: hand-written}
maximum: 10
nodes:
  - {code: "1", title: a, maximum: 4, rule: {kind: points}}
  - {code: "2", title: b, maximum: 5, rule: {kind: points}}
views:
  other:
    title: {en: other}
    nodes:
      - {code: "C1", title: c, maximum: 3, rule: {kind: points}}
"""


def test_a_top_level_sum_error_points_at_the_maximum_or_at_the_view(tmp_path: Path) -> None:
    # main: 4 + 5 = 9, not 10 → at `maximum: 10` (line 6); view: 3, not 10 → at its nodes (14)
    path = tmp_path / "sums.yaml"
    path.write_text(SUMS, encoding="utf-8")
    with pytest.raises(Exception) as err:
        api.validate_file(path)
    found = [err.value, *getattr(err.value, "related", ())]
    got = sorted(
        (e.line, "view 'other'" in str(e))  # type: ignore[attr-defined]
        for e in found
        if type(e).__name__ == "MaximumSumError"
    )
    assert got == [(6, False), (14, True)]


def test_a_repeat_names_the_first_occurrence_and_the_view(tmp_path: Path) -> None:
    path = tmp_path / "thrice.yaml"
    path.write_text(
        THRICE
        + 'views:\n  other:\n    title: {en: o}\n    nodes:\n      - {code: "1", title: v}\n',
        encoding="utf-8",
    )
    with pytest.raises(Exception) as err:
        api.validate_file(path)
    found = [err.value, *getattr(err.value, "related", ())]
    messages = sorted(str(e) for e in found if type(e).__name__ == "DuplicateCodeError")
    assert messages == [
        f"{path}:11: [node 1] code '1' is used twice in view 'main' (first at line 7)",
        f"{path}:17: [node 1] code '1' is used twice in views 'main' and 'other' (first at line 7)",
        f"{path}:9: [node 1] code '1' is used twice in view 'main' (first at line 7)",
    ]


def test_known_top_maxima_may_reach_the_ruleset_maximum() -> None:
    # 10 of 10 is known and one top node states no maximum: allowed (only more than 10 is not)
    data = _one_node(maximum=10)
    data["maximum"] = 10
    data["nodes"].append({"code": "2", "title": "b", "rule": {"kind": "points"}})  # type: ignore[attr-defined]
    assert api.load_ruleset(data).maximum == Decimal(10)
    data["nodes"][0]["maximum"] = 11  # type: ignore[index]
    with pytest.raises(ParindexError, match="add up to 11"):
        api.load_ruleset(data)


def test_text_numbers_up_to_100_digits() -> None:
    assert to_decimal("0." + "1" * 99) == Decimal("0." + "1" * 99)  # 100 digits with the 0
    assert to_decimal("0." + "1" * 100) == Decimal("0." + "1" * 100)  # 100 significant digits
    with pytest.raises(NumberError, match="at most 100 digits"):
        to_decimal("0." + "1" * 101)
    assert to_decimal("1e-100") == Decimal("1e-100")
    with pytest.raises(NumberError, match="exponent within ±100"):
        to_decimal("1e-101")
