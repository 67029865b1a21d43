"""Classes 5, 6, 10 and 12 of issue 14, through the Python API (the file cases are in cases.yaml).

Codes follow one grammar; text is normalised to NFC and holds no control character; a boolean is
never a number and text never a boolean, while YAML's ``yes``/``no`` stay text; ``-0`` is 0; an
error names every place involved; and the leftovers of the last round (a hang in pydantic on a
huge Decimal year, a raw ValueError on a huge integer code) are located errors.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import parindex_core_rules
from parindex import api
from parindex.io.loading import assessment_from_data, ruleset_from_data
from parindex.io.registry import Registry
from parindex.io.yamlfile import load_yaml
from parindex.model.decimals import NumberError, canonical, fmt, to_decimal
from parindex.model.documents import Unit
from parindex.model.errors import AssessmentError, ParindexError, SchemaError
from parindex.model.text import CODE, check_code, clean_text
from parindex.report.card import scorecard

HERE = Path(__file__).parent
BASE = HERE / "base"
REPO = HERE.parents[1]
KINDS = Registry([parindex_core_rules], entry_points=False).rule_kinds
NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731


def base(name: str) -> Any:
    return yaml.safe_load((BASE / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def registry() -> Registry:
    reg = Registry([parindex_core_rules], entry_points=False)
    reg.add(api.load_ruleset(BASE / "test.province.yaml", registry=reg))
    return reg


def within(seconds: float, func: Callable[[], Any]) -> Any:
    """Run ``func``; fail if it has not finished after ``seconds`` (it would hang)."""
    result: dict[str, Any] = {}

    def body() -> None:
        try:
            result["value"] = func()
        except BaseException as exc:
            result["error"] = exc

    worker = threading.Thread(target=body, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds} s"
    if "error" in result:
        raise result["error"]
    return result.get("value")


# ----------------------------------------------------------------------------- class 5: codes
@pytest.mark.parametrize(
    "code", ["1", "1.3.2", "D8.1", "TD", "XHH", "1.rest", "appraisal", "TD.8", "8"]
)
def test_codes_of_the_grammar(code: str) -> None:
    assert check_code(code) == code


@pytest.mark.parametrize(
    "code",
    [
        "1..2",
        "1. 2",
        "1.2 ",
        " 1",
        "2.\u0661",
        "1.\uff11",
        "1\u200b",
        ".1",
        "1.",
        "1_2",
        "1-2",
        "1/2",
        "đ.1",
        "",
        "1.2\n",
    ],
)
def test_look_alike_codes_are_refused_with_the_reason(code: str) -> None:
    with pytest.raises(ValueError, match="is not a node code"):
        check_code(code)


def test_every_code_of_every_built_in_ruleset_follows_the_grammar() -> None:
    codes = {
        node.code
        for info in api.list_rulesets()
        for _, node in api.get_ruleset(info.id, version=info.version).all_nodes()
    }
    assert len(codes) > 50  # distinct codes over every version and view
    assert all(CODE.fullmatch(code) for code in codes), sorted(
        c for c in codes if not CODE.fullmatch(c)
    )


def test_a_look_alike_code_through_the_api_is_located() -> None:
    data = base("test.province.yaml")
    data["nodes"][1]["children"][0]["code"] = "2.\u0661"
    with pytest.raises(SchemaError) as info:
        ruleset_from_data(data, KINDS)
    assert info.value.code == "2.\u0661" and info.value.field == "nodes.1.children.0.code"


def test_text_is_normalised_to_nfc_everywhere() -> None:
    composed = "Đà Nẵng"
    assert NFD(composed) != composed
    assert Unit(id=NFD("đà-nẵng"), name=NFD(composed)) == Unit(id="đà-nẵng", name=composed)
    data, _ = load_yaml(f"name: {NFD(composed)}\n{NFD('khóa')}: 1\n")
    assert data == {"name": composed, "khóa": 1}


def test_keys_that_differ_only_in_normalisation_collide() -> None:
    text = f"options: {{{'đánh-giá'}: 4, {NFD('đánh-giá')}: 2}}\n"
    with pytest.raises(ParindexError, match="the same text in normal form"):
        load_yaml(text, file="t.yaml")


def test_a_unit_given_twice_in_a_batch_names_both_files(registry: Registry, tmp_path: Path) -> None:
    first, second = tmp_path / "one.yaml", tmp_path / "two.yaml"
    text = (BASE / "assessment.yaml").read_text(encoding="utf-8")
    first.write_text(text, encoding="utf-8")
    # the same unit id, written decomposed: the same unit after normalisation
    second.write_text(text.replace("test-unit", NFD("test-unit-đ")), encoding="utf-8")
    first.write_text(text.replace("test-unit", "test-unit-đ"), encoding="utf-8")
    with pytest.raises(AssessmentError) as info:
        api.rank_assessments([first, second], registry=registry)
    err = info.value
    assert err.file == str(second) and err.line == 4 and err.field == "unit"
    assert f"{first}:4 and {second}:4" in err.message


# ----------------------------------------------------------------------------- class 6
def test_yes_and_no_stay_text_and_only_true_false_are_booleans() -> None:
    data, _ = load_yaml("a: [yes, no, on, off, y, n, Yes, OFF]\nb: [true, false, True, FALSE]\n")
    assert data == {
        "a": ["yes", "no", "on", "off", "y", "n", "Yes", "OFF"],
        "b": [True, False, True, False],
    }


def test_options_yes_and_no_score(registry: Registry) -> None:
    text = (BASE / "test.province.yaml").read_text(encoding="utf-8")
    text = text.replace("options: {on_time: 4, late: 2, none: 0}", "options: {yes: 4, no: 0}")
    data, lines = load_yaml(text, file="yes-no.yaml")
    ruleset = ruleset_from_data(data, KINDS, lines)
    assessment = base("assessment.yaml")
    for answer, points in (("yes", Decimal(4)), ("no", Decimal(0))):
        assessment["inputs"]["1.1"] = {"choice": answer}
        card = api.score(assessment, ruleset, registry=registry)
        assert card.node("1.1").points == points


@pytest.mark.parametrize(
    ("field", "value"),
    [("year", True), ("year", Decimal("2020.5")), ("unit", {"id": "u", "name": "a\x00b"})],
)
def test_odd_assessment_values_are_refused(field: str, value: Any) -> None:
    data = base("assessment.yaml")
    data[field] = value
    with pytest.raises(SchemaError) as info:
        assessment_from_data(data)
    assert info.value.field is not None and info.value.field.startswith(field)


def test_booleans_are_not_counts_and_text_is_not_a_flag() -> None:
    data = base("assessment.yaml")
    data["inputs"]["2.2"] = {"count": True}
    with pytest.raises(SchemaError, match="boolean"):
        assessment_from_data(data)
    data["inputs"]["2.2"] = {"not_applicable": "true"}
    with pytest.raises(SchemaError, match="valid boolean"):
        assessment_from_data(data)


def test_minus_zero_points_print_as_zero(registry: Registry) -> None:
    data = base("assessment.yaml")
    data["inputs"]["2.1"] = "-0.0"
    card = api.score(data, registry=registry)
    points = card.node("2.1").points
    assert points == 0 and points is not None and not points.is_signed()
    text = scorecard(card)
    row = next(line for line in text.splitlines() if line.lstrip().startswith("2.1 "))
    assert " 0.00 " in row and "-0" not in row
    assert '"points": "0"' in card.to_json() and "-0" not in card.to_json()


def test_minus_zero_rounding_and_canonical() -> None:
    assert fmt(Decimal("-0.001"), 2) == "0.00"
    assert fmt(Decimal("-0.0")) == "0" and canonical(Decimal("-0.000")) == "0"
    assert fmt(Decimal("-0.006"), 2) == "-0.01"  # a real negative number keeps its sign


@pytest.mark.parametrize("text", ["1e-400", "1e400", "0e-400", "1" * 101, "١٢", "１２"])
def test_numbers_beyond_the_documented_range_are_refused_as_text(text: str) -> None:
    with pytest.raises(NumberError):
        to_decimal(text)


@pytest.mark.parametrize("text", ["a\x00b", "a\x1bb", "a\x7fb", "a\x85b", "a\u202eb", "a\u2066b"])
def test_control_characters_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="control character"):
        clean_text(text)


def test_tabs_and_line_breaks_are_text() -> None:
    assert clean_text("a\tb\nc\r\nd") == "a\tb\nc\r\nd"


# ----------------------------------------------------------------------------- class 12
def test_a_huge_decimal_year_is_refused_quickly() -> None:
    data = base("assessment.yaml")
    data["year"] = Decimal("2.02E+999999999999")
    with pytest.raises(SchemaError) as info:
        within(10, lambda: assessment_from_data(data))
    assert info.value.field == "year" and "at most 18 digits" in info.value.message


def test_a_huge_decimal_count_and_places_are_refused_quickly() -> None:
    data = base("assessment.yaml")
    data["inputs"]["2.2"] = {"count": Decimal("1E+999999999")}
    with pytest.raises(SchemaError):
        within(10, lambda: assessment_from_data(data))
    rs = base("test.province.yaml")
    rs["rounding"] = {"places": Decimal("-1E+999999999")}
    with pytest.raises(SchemaError):
        within(10, lambda: ruleset_from_data(rs, KINDS))


def test_an_integer_code_of_5000_digits_is_a_located_error() -> None:
    # Python cannot even print an integer of more than 4,300 digits (a raw ValueError escaped).
    data = base("test.province.yaml")
    data["nodes"][0]["children"][0]["code"] = 10**5000
    with pytest.raises(SchemaError) as info:
        ruleset_from_data(data, KINDS)
    assert "valid string" in info.value.message
    assert info.value.code is not None and "5001 digits" in info.value.code
    data["nodes"][0]["children"][0]["rule"] = {"kind": "no such kind"}
    with pytest.raises(ParindexError):
        ruleset_from_data(data, KINDS)
