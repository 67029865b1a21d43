"""The batch contract (``parindex.model.kernels``): the exact integer helpers, and the defaults a
kernel inherits — the one-value path built on :meth:`ColumnKernel.evaluate`, the points given
directly, the bounds a kernel that says nothing has. Every expected value is worked by hand."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

import numpy as np
import numpy.typing as npt
import pytest

from parindex.model.kernels import (
    ColumnKernel,
    DirectPoints,
    InputKind,
    Prepared,
    ceil_int,
    decimal_places,
    digits,
    floor_int,
    lcm,
    power_of_ten_exponent,
)

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]


# ----------------------------------------------------------------------------- integer helpers
@pytest.mark.parametrize(
    ("values", "expected"),
    [((), 1), ((7,), 7), ((4, 6), 12), ((2, 5, 10), 10), ((3, 4, 5), 60), ((1, 1), 1)],
)
def test_lcm(values: tuple[int, ...], expected: int) -> None:
    assert lcm(*values) == expected


@pytest.mark.parametrize(
    ("f", "ceil", "floor"),
    [
        (Fraction(7, 2), 4, 3),
        (Fraction(-7, 2), -3, -4),
        (Fraction(3), 3, 3),
        (Fraction(-3), -3, -3),
        (Fraction(1, 1000), 1, 0),
        (Fraction(-1, 1000), 0, -1),
    ],
)
def test_ceil_and_floor_of_a_fraction(f: Fraction, ceil: int, floor: int) -> None:
    assert (ceil_int(f), floor_int(f)) == (ceil, floor)


@pytest.mark.parametrize(
    ("n", "k"),
    [
        (1, 0),
        (2, 1),
        (8, 3),  # 8 | 1000
        (25, 2),  # 25 | 100
        (40, 3),  # 2³·5: 40 | 1000, not 100
        (-20, 2),  # the sign does not matter
        (3, None),
        (6, None),  # 2·3
        (0, None),  # 0 divides no power of ten
    ],
)
def test_power_of_ten_exponent(n: int, k: int | None) -> None:
    assert power_of_ten_exponent(n) == k


@pytest.mark.parametrize(
    ("f", "places"),
    [
        (Fraction(5), 0),
        (Fraction(1, 8), 3),  # 0.125
        (Fraction(-3, 20), 2),  # −0.15
        (Fraction(7, 4), 2),  # 1.75
        (Fraction(1, 3), None),
        (Fraction(1, 12), None),
    ],
)
def test_decimal_places(f: Fraction, places: int | None) -> None:
    assert decimal_places(f) == places


@pytest.mark.parametrize(("n", "count"), [(0, 1), (9, 1), (10, 2), (-999, 3), (10**18, 19)])
def test_digits(n: int, count: int) -> None:
    assert digits(n) == count


# ---------------------------------------------------------------- a kernel that says nothing
@dataclass(frozen=True)
class Doubled(ColumnKernel):
    """Twice the measure, which must be at most ``top``: only prepare and evaluate are given."""

    top: Fraction
    input: ClassVar[InputKind] = "measure"

    def prepare(self, scale: int, lo: int, hi: int, prec: int) -> Prepared:
        limit = self.top * 10**scale
        return Prepared(scale, lo, hi, 10**scale, 2 * max(abs(lo), abs(hi)), data=limit)

    def evaluate(self, prepared: Prepared, x: I64) -> tuple[I64, Bool | None]:
        limit: Fraction = prepared.data
        bad: Bool = x * limit.denominator > limit.numerator
        out: I64 = 2 * x
        return out, bad


@dataclass(frozen=True)
class Picked(ColumnKernel):
    """An option's position → points (0, ½, 1); rejects nothing itself."""

    options: tuple[str, ...] = ("none", "late", "on time")
    input: ClassVar[InputKind] = "choice"

    def prepare(self, scale: int, lo: int, hi: int, prec: int) -> Prepared:
        return Prepared(scale, lo, hi, 2, 2)

    def evaluate(self, prepared: Prepared, x: I64) -> tuple[I64, Bool | None]:
        return x, None  # position 0, 1, 2 → 0/2, 1/2, 2/2


def test_a_kernel_that_says_nothing_has_no_bounds_no_denominators_and_no_range() -> None:
    kernel = Doubled(Fraction(10))
    assert (kernel.low, kernel.high, tuple(kernel.denominators()), kernel.input_range()) == (
        None,
        None,
        (),
        None,
    )


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (Decimal("2.5"), (5, 1)),  # 2 × 2.5
        (Decimal("0.125"), (1, 4)),  # 2 × 0.125 = 0.25
        (Decimal("-3"), (-6, 1)),
        (Decimal("10"), (20, 1)),  # at the top: accepted
        (Decimal("10.001"), None),  # above it: the kernel's rejection
        (Fraction(1, 3), None),  # no fixed point holds a third
    ],
)
def test_the_default_one_value_path_runs_evaluate_on_one_element(
    value: Decimal | Fraction, points: tuple[int, int] | None
) -> None:
    one, always_exact = Doubled(Fraction(10)).scalar()
    assert one(value) == points
    assert always_exact is False  # the default cannot know


@pytest.mark.parametrize(
    ("key", "points"), [("none", (0, 1)), ("late", (1, 2)), ("on time", (1, 1)), ("never", None)]
)
def test_the_default_one_value_path_takes_an_option_by_its_position(
    key: str, points: tuple[int, int] | None
) -> None:
    one, _ = Picked().scalar()
    assert one(key) == points


# --------------------------------------------------------------------------- points directly
def test_points_given_directly_are_their_own_points_at_the_column_scale() -> None:
    kernel = DirectPoints(Fraction(0), Fraction(5))
    prepared = kernel.prepare(2, -150, 125, 28)
    # inputs are hundredths: the denominator is 100 and the bound the largest |input|
    assert prepared == Prepared(2, -150, 125, 100, 150, True, 2)
    x = np.asarray([-150, 0, 125], dtype=np.int64)
    out, bad = kernel.evaluate(prepared, x)
    assert out.tolist() == [-150, 0, 125] and bad is None
    assert kernel.input_range() == (Fraction(0), Fraction(5))
    direct, exact = kernel.scalar()
    assert (direct(Decimal("1.25")), exact) == ((5, 4), True)


@dataclass(frozen=True)
class WholeOnly(DirectPoints):
    """Whole points only, said in :meth:`reject` alone (no :meth:`accepts`)."""

    def bound_factor(self) -> int:
        return 3

    def reject(self, x: I64, scale: int) -> Bool | None:
        out: Bool = x % 10**scale != 0
        return out


@dataclass(frozen=True)
class WholeOnlyBoth(WholeOnly):
    """The same rule, also said for one value."""

    def accepts(self, n: int, d: int) -> bool:
        return d == 1


def test_a_rejection_said_only_for_arrays_is_used_for_one_value_too() -> None:
    kernel = WholeOnly(Fraction(0), None)
    assert kernel.prepare(1, 4, -7, 28).bound == 21  # 3 × 7
    one, exact = kernel.scalar()
    assert (one(Decimal("2")), one(Decimal("2.5")), exact) == ((2, 1), None, False)


def test_a_rejection_said_for_one_value_is_used_as_said() -> None:
    one, exact = WholeOnlyBoth(Fraction(0), None).scalar()
    assert (one(Decimal("2")), one(Decimal("2.5")), exact) == ((2, 1), None, True)


def test_a_kernel_that_states_only_its_numbers_is_exact_in_whole_points() -> None:
    # a kernel of whole points need say nothing more: the defaults claim exact, no decimals
    prepared = Prepared(0, 1, 5, 1, 5)
    assert (prepared.exact, prepared.places, prepared.data) == (True, 0, None)
