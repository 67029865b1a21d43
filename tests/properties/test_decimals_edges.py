"""parindex.model.decimals at its stated limits: 34 significant digits rounded half-even inside a
computation, half-up by default when a result is rounded for people, numbers up to 1e12, and the
Vietnamese number format's digit groups. Expected values are written out by hand.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex import api
from parindex.model.decimals import NumberError, fmt, round_to, to_decimal
from parindex.scoring import engine
from parindex_core_rules.kinds import PointsRule


def _proportional(measure: str, target: str, maximum: str) -> Decimal:
    ruleset = api.load_ruleset(
        {
            "id": "x.digits", "version": "1", "years": [2024], "unit_kind": "province",
            "source": {"document": "d"}, "maximum": maximum,
            "nodes": [{"code": "1", "title": "a", "maximum": maximum,
                       "rule": {"kind": "proportional", "target": target}}],
        }
    )  # fmt: skip
    a = api.load_assessment(
        {"ruleset": "x.digits", "year": 2024, "unit": "u", "inputs": {"1": {"measure": measure}}}
    )
    points = engine.score(ruleset, a, PointsRule).node("1").points
    assert points is not None
    return points


def test_a_quotient_keeps_34_significant_digits() -> None:
    assert _proportional("1", "3", "1") == Decimal("0." + "3" * 34)


def test_a_tie_in_the_35th_digit_goes_to_even() -> None:
    # (0.333…3, 34 threes) × 5 = 1.666…65 exactly (35 digits): half-even keeps the 6 (even)
    assert _proportional("0." + "3" * 34, "1", "5") == Decimal("1." + "6" * 33)
    # no tie: 0.1…1 (34 ones) × 5 = 0.5…5 (34 fives) is exact in 34 digits
    assert _proportional("0." + "1" * 34, "1", "5") == Decimal("0." + "5" * 34)


def test_round_to_is_half_up_by_default() -> None:
    assert round_to(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_to(Decimal("0.125"), 2, "half_even") == Decimal("0.12")
    assert round_to(Decimal("-0.125"), 2) == Decimal("-0.13")  # away from zero


def test_magnitude_limit_is_inclusive() -> None:
    assert to_decimal("1e12") == Decimal("1e12")
    assert to_decimal("-1000000000000") == Decimal(-(10**12))
    with pytest.raises(NumberError, match="larger than"):
        to_decimal("1000000000000.01")


@pytest.mark.parametrize(
    ("value", "places", "vi", "en"),
    [
        ("123", 0, "123", "123"),
        ("1234", 0, "1.234", "1234"),
        ("87.115", 2, "87,12", "87.12"),
        ("1234567.5", 2, "1.234.567,50", "1234567.50"),
        ("-1234", 1, "-1.234,0", "-1234.0"),
        ("100", None, "100", "100"),
    ],
)
def test_vietnamese_number_format(value: str, places: int | None, vi: str, en: str) -> None:
    assert fmt(Decimal(value), places, locale="vi") == vi
    assert fmt(Decimal(value), places) == en


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 50, "expected a number, got '" + "x" * 40 + "'"),
        ("١" * 50, "expected a number in ASCII digits, got '" + "١" * 40 + "'"),
        (
            "0." + "1" * 101,
            "number '0." + "1" * 38 + "' is out of the range parindex reads (at most 100 digits,"
            " exponent within ±100)",
        ),
    ],
)
def test_a_bad_number_is_quoted_up_to_40_characters(text: str, message: str) -> None:
    with pytest.raises(NumberError) as err:
        to_decimal(text)
    assert str(err.value) == message
