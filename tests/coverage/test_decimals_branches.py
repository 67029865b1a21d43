"""Branches of parindex.model.decimals that no other test reached when coverage was first measured
right (docs/testing.md, "Coverage"): each refusal of to_decimal and the signs fmt prints."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex.model.decimals import NumberError, fmt, normalize, to_decimal


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "expected a number, got True"),  # bool is an int, but never a number here
        ("  _ ", "expected a number, got an empty string"),  # "_" is a digit separator
        ("١٢", "expected a number in ASCII digits, got '١٢'"),
        ([1], "expected a number, got list [1]"),
        ("NaN", "expected a finite number, got 'NaN'"),
        (float("inf"), "expected a finite number, got inf"),
        (Decimal("-Infinity"), "expected a finite number, got Decimal('-Infinity')"),
    ],
)
def test_what_is_not_a_finite_number_is_refused(value: object, message: str) -> None:
    with pytest.raises(NumberError) as err:
        to_decimal(value)
    assert str(err.value) == message


def test_numbers_of_each_type_are_read_exactly() -> None:
    assert to_decimal(14.5) == Decimal("14.5")  # the float's shortest text, not its binary value
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal(7) == Decimal(7)
    assert to_decimal(" 1_000.25 ") == Decimal("1000.25")
    minus_zero = to_decimal("-0.00")
    assert minus_zero == 0 and not minus_zero.is_signed()  # printed 0.00, never -0.00
    assert format(minus_zero, "f") == "0.00"


def test_fmt_prints_a_dash_for_no_value_and_no_negative_zero() -> None:
    assert fmt(None) == "—"
    assert fmt(Decimal("-0.001"), 2) == "0.00"  # rounds to -0.00: printed without the sign
    assert fmt(Decimal("-0.004"), 2, locale="vi") == "0,00"
    assert fmt(Decimal("-1234567.5"), 1, locale="vi") == "-1.234.567,5"
    assert fmt(Decimal("2.50")) == "2.5"  # no places: trailing zeros dropped
    assert fmt(Decimal("1E+3")) == "1000"  # never exponent notation


def test_normalize_keeps_integers_out_of_exponent_notation() -> None:
    assert str(normalize(Decimal("1E+1"))) == "10"
    assert str(normalize(Decimal("12.3400"))) == "12.34"
