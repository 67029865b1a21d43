"""Tests written to kill the mutants of the standard kinds' batch kernels
(``plugins/parindex_core_rules/kernels.py``) that survived ``tools/mutate.py`` (docs/testing.md,
"Mutation score"). Every expected value is worked by hand from the kind's definition; where a
kernel says whether the engine's Decimal steps are exact, the claim is checked against Decimal
itself, run in a context of the same precision.

Each kernel is driven through its own contract: ``prepare`` for a column of inputs ``lo … hi``
in fixed point (``x / 10**scale``), ``evaluate`` for the numerators over ``prepared.den``, and
``scalar`` for one value."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from parindex.model.kernels import ColumnKernel, Prepared
from parindex_core_rules.kernels import (
    Band,
    ChoiceKernel,
    CountKernel,
    DeductionKernel,
    LinearKernel,
    PointsKernel,
    TiersKernel,
)

F = Fraction


def _column(
    kernel: ColumnKernel, scale: int, xs: Sequence[int], prec: int = 28
) -> tuple[Prepared, list[Fraction | None]]:
    """The points of each fixed-point input of one column (None: rejected)."""
    prepared = kernel.prepare(scale, min(xs), max(xs), prec)
    num, bad = kernel.evaluate(prepared, np.asarray(xs, dtype=np.int64))
    out: list[Fraction | None] = [
        None if bad is not None and bool(bad[i]) else F(int(num[i]), prepared.den)
        for i in range(len(xs))
    ]
    return prepared, out


def _one(kernel: ColumnKernel) -> Callable[[object], Fraction | None]:
    fn, _ = kernel.scalar()

    def call(value: object) -> Fraction | None:
        got = fn(value)
        return None if got is None else F(*got)

    return call


def _inexact(prec: int, steps: Callable[[decimal.Context], object]) -> bool:
    """Whether Decimal, at ``prec`` digits, rounds anywhere in ``steps``."""
    ctx = decimal.Context(prec=prec, traps=[])
    steps(ctx)
    return bool(ctx.flags[decimal.Inexact])


# -------------------------------------------------------------------------------------- points
def test_points_on_a_step_of_a_half_are_accepted_on_the_step_only() -> None:
    kernel = PointsKernel(F(0), F(5), F(1, 2))
    # tenths: 0.5, 1.0 and 2.5 are multiples of ½; 0.1 and 0.7 are not
    prepared, got = _column(kernel, 1, [5, 10, 25, 1, 7])
    assert got == [F(1, 2), F(1), F(5, 2), None, None]
    assert prepared.bound == 25 * 2  # the largest input times the step's denominator


def test_points_on_a_whole_step_at_hundredths() -> None:
    kernel = PointsKernel(F(0), F(10), F(2))
    _, got = _column(kernel, 2, [200, 400, 100, 250, 0])
    assert got == [F(2), F(4), None, None, F(0)]


def test_points_without_a_step_bound_their_column_by_its_largest_input() -> None:
    kernel = PointsKernel(F(0), F(5))
    prepared, got = _column(kernel, 2, [-150, 125])
    assert prepared.bound == 150 and got == [F(-3, 2), F(5, 4)]


@pytest.mark.parametrize(
    ("value", "accepted"),
    [(Decimal("1.5"), True), (Decimal("2"), True), (Decimal("0"), True), (Decimal("1.25"), False)],
)
def test_one_value_of_points_on_a_step(value: Decimal, accepted: bool) -> None:
    one = _one(PointsKernel(F(0), F(5), F(1, 2)))
    assert one(value) == (F(value) if accepted else None)


def test_one_value_of_points_without_a_step_is_always_accepted() -> None:
    assert _one(PointsKernel(F(0), None))(Decimal("1.234")) == F(1234, 1000)


# -------------------------------------------------------------------------------------- choice
def test_each_option_position_gives_its_own_points_and_others_are_rejected() -> None:
    kernel = ChoiceKernel(("none", "late", "on time"), (F(0), F(1, 4), F(3, 2)))
    prepared, got = _column(kernel, 0, [0, 1, 2, -1, 3])
    assert got == [F(0), F(1, 4), F(3, 2), None, None]
    # over the common denominator 4 the points are 0, 1, 6: the bound is 6; ¼ needs 2 places
    assert (prepared.den, prepared.bound, prepared.places) == (4, 6, 2)


def test_whole_options_need_no_decimal_places() -> None:
    prepared = ChoiceKernel(("a", "b"), (F(2), F(0))).prepare(0, 0, 1, 28)
    assert (prepared.den, prepared.bound, prepared.places) == (1, 2, 0)


# --------------------------------------------------------------------------------------- tiers
#: < 70: 0; 70 ≤ m < 90: 1; m ≥ 90: 2.5 (open at both ends, no domain)
TABLE = (
    Band(None, True, F(70), False, F(0)),
    Band(F(70), True, F(90), False, F(1)),
    Band(F(90), True, None, True, F(5, 2)),
)


def test_tiers_at_tenths_on_either_side_of_each_bound() -> None:
    _, got = _column(TiersKernel(TABLE), 1, [699, 700, 899, 900, -5000, 12345])
    assert got == [F(0), F(1), F(1), F(5, 2), F(0), F(5, 2)]


def test_exclusive_bounds_are_one_step_inside_at_the_column_scale() -> None:
    # 70 < m ≤ 90: 1 — at whole numbers 71 and 90 are in it, 70 and 91 are not
    bands = (Band(F(70), False, F(90), True, F(1)), Band(F(90), False, F(100), False, F(2)))
    _, got = _column(TiersKernel(bands), 0, [70, 71, 90, 91, 99, 100])
    assert got == [None, F(1), F(1), F(2), F(2), None]


def test_the_tiers_bound_is_the_larger_of_points_and_inputs() -> None:
    kernel = TiersKernel(TABLE)
    # points over the denominator 2: 0, 2, 5
    wide = kernel.prepare(1, -30, 20, 28)
    assert (wide.den, wide.bound, wide.places) == (2, 30, 1)
    narrow = kernel.prepare(0, 0, 3, 28)
    assert narrow.bound == 5


def test_whole_tier_points_need_no_decimal_places() -> None:
    bands = (Band(None, True, F(1), False, F(0)), Band(F(1), True, None, True, F(3)))
    assert TiersKernel(bands).prepare(0, 0, 5, 28).places == 0


def test_a_band_of_one_point_between_two_open_ones() -> None:
    bands = (
        Band(F(0), True, F(5), False, F(1)),
        Band(F(5), True, F(5), True, F(2)),
        Band(F(5), False, F(10), True, F(3)),
    )
    _, got = _column(TiersKernel(bands), 0, [0, 4, 5, 6, 10, 11, -1])
    assert got == [F(1), F(1), F(2), F(3), F(3), None, None]


def test_overlapping_bands_give_the_first_declared() -> None:
    # both contain 5: the first declared wins, as in the engine, whichever order they are in
    low_first = (Band(F(0), True, F(5), True, F(1)), Band(F(5), True, F(10), True, F(2)))
    _, got = _column(TiersKernel(low_first), 0, [0, 5, 6, 10, 11])
    assert got == [F(1), F(1), F(2), F(2), None]
    high_first = tuple(reversed(low_first))
    _, got = _column(TiersKernel(high_first), 0, [0, 4, 5, 10, 11])
    assert got == [F(1), F(1), F(2), F(2), None]


def test_bands_empty_at_the_column_scale_reject_everything() -> None:
    # [5.5, 5.5] holds no whole number: at scale 0 no band contains any input
    bands = (Band(F(11, 2), True, F(11, 2), True, F(1)),)
    _, got = _column(TiersKernel(bands), 0, [5, 6])
    assert got == [None, None]
    _, got = _column(TiersKernel(bands), 1, [55, 56])  # at tenths it holds 5.5
    assert got == [F(1), None]


def test_a_domain_keeps_its_own_ends_at_the_column_scale() -> None:
    kernel = TiersKernel(TABLE, (F(0), F(100)))
    _, got = _column(kernel, 1, [-1, 0, 1000, 1001])
    assert got == [None, F(0), F(5, 2), None]
    assert kernel.input_range() == (F(0), F(100))


@pytest.mark.parametrize(
    ("domain", "value", "points"),
    [
        ((F(0), F(100)), Decimal("0"), F(0)),
        ((F(0), F(100)), Decimal("-0.01"), None),
        ((F(0), F(100)), Decimal("100"), F(5, 2)),
        ((F(0), F(100)), Decimal("100.01"), None),
        ((F(0), None), Decimal("-0.01"), None),
        ((F(0), None), Decimal("1000"), F(5, 2)),
        ((None, F(100)), Decimal("-1000"), F(0)),
        ((None, F(100)), Decimal("100.5"), None),
        ((None, None), Decimal("-1000"), F(0)),
    ],
)
def test_one_measure_against_a_domain(
    domain: tuple[Fraction | None, Fraction | None], value: Decimal, points: Fraction | None
) -> None:
    assert _one(TiersKernel(TABLE, domain))(value) == points


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (Decimal("69.99"), F(0)),
        (Decimal("70"), F(1)),  # inclusive minimum of the middle band
        (Decimal("89.99"), F(1)),
        (Decimal("90"), F(5, 2)),  # the middle band's maximum is exclusive
        (Decimal("150"), F(5, 2)),
    ],
)
def test_one_measure_through_inclusive_minima_and_exclusive_maxima(
    value: Decimal, points: Fraction
) -> None:
    assert _one(TiersKernel(TABLE))(value) == points


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (Decimal("70"), None),  # exclusive minimum
        (Decimal("70.001"), F(1)),
        (Decimal("90"), F(1)),  # inclusive maximum
        (Decimal("90.001"), F(2)),
        (Decimal("100"), None),  # the last band's exclusive maximum
    ],
)
def test_one_measure_through_exclusive_minima_and_inclusive_maxima(
    value: Decimal, points: Fraction | None
) -> None:
    bands = (Band(F(70), False, F(90), True, F(1)), Band(F(90), False, F(100), False, F(2)))
    assert _one(TiersKernel(bands))(value) == points


# --------------------------------------------------------------------------------- linear kinds
def test_a_percent_scale_accepts_0_to_100_exactly() -> None:
    kernel = LinearKernel(F(3), F(100), accept_min=F(0), accept_max=F(100))
    # points = m ÷ 100 × 3, measures in tenths
    prepared, got = _column(kernel, 1, [0, 1000, 333, -1, 1001])
    assert got == [F(0), F(3), F(999, 1000), None, None]
    # tenths (1) + ÷100 (2) + a whole maximum (0)
    assert (prepared.places, prepared.exact) == (3, True)
    assert (kernel.low, kernel.high) == (F(0), F(3))


def test_a_percent_of_a_fractional_maximum_needs_its_places_too() -> None:
    kernel = LinearKernel(F(5, 2), F(100), accept_min=F(0), accept_max=F(100))
    prepared, got = _column(kernel, 1, [333, 1000])
    assert got == [F(8325, 10000), F(5, 2)]  # 33.3 ÷ 100 × 2.5 = 0.8325: four places
    assert prepared.places == 4


def test_a_proportional_target_with_a_fraction_is_clamped_to_0_and_the_maximum() -> None:
    kernel = LinearKernel(F(1), F(5, 2), clamp=True)
    # m ÷ 2.5, clamped to 0 … 1, measures in tenths: 1.0 → 0.4; 0 → 0; −1 → 0; 3 → 1
    prepared, got = _column(kernel, 1, [10, 0, -10, 30, 25])
    assert got == [F(2, 5), F(0), F(0), F(1), F(1)]
    assert prepared.exact  # ÷ 2.5 is × 0.4: exact
    one = _one(kernel)
    assert [one(Decimal(v)) for v in ("1", "0", "-1", "3", "2.5")] == [
        F(2, 5),
        F(0),
        F(0),
        F(1),
        F(1),
    ]


def test_a_proportional_target_of_one_needs_no_places_of_its_own() -> None:
    prepared = LinearKernel(F(2), F(1), clamp=True).prepare(0, 0, 5, 28)
    assert (prepared.places, prepared.exact) == (0, True)


def test_a_division_by_three_is_not_exact_and_has_no_places_of_its_own() -> None:
    kernel = LinearKernel(F(1), F(3), clamp=True)
    prepared = kernel.prepare(1, 0, 30, 28)
    assert (prepared.exact, prepared.places) == (False, 1)
    assert _inexact(34, lambda c: c.divide(Decimal(1), Decimal(3)))
    fn, exact = kernel.scalar()
    assert exact is False and fn(Decimal("1")) == (1, 3)


def test_a_survey_scale_of_1_to_4_into_2_points() -> None:
    # (answer − 1) ÷ 3 × 2 on answers 1 … 4: the numerators are (x − 1) × 2 over 3
    kernel = LinearKernel(F(2), F(3), shift=1, accept_min=F(1), accept_max=F(4))
    prepared, got = _column(kernel, 0, [1, 2, 4, 0, 5])
    assert got == [F(0), F(2, 3), F(2), None, None]
    assert prepared.exact is False  # ÷ 3
    one = _one(kernel)
    assert [one(Decimal(v)) for v in ("1", "2.5", "4", "0.99", "4.01")] == [
        F(0),
        F(1),
        F(2),
        None,
        None,
    ]


def test_a_survey_scale_of_1_to_5_in_tenths() -> None:
    # (mean − 1) ÷ 4 × 10 on means 1.0 … 5.0
    kernel = LinearKernel(F(10), F(4), shift=1, accept_min=F(1), accept_max=F(5))
    prepared, got = _column(kernel, 1, [10, 35, 50, 9, 51])
    assert got == [F(0), F(25, 4), F(10), None, None]
    # tenths (1) + ÷4 (2 places: ¼ = 0.25) + a whole maximum
    assert (prepared.exact, prepared.places) == (True, 3)
    # x − 1 is computed in the caller's context: 50 − 10 fits in any
    assert not _inexact(2, lambda c: c.subtract(Decimal("5.0"), Decimal(1)))


def test_the_survey_shift_is_exact_only_when_its_digits_fit_the_context() -> None:
    kernel = LinearKernel(F(1), F(4), shift=1, accept_min=F(1), accept_max=F(5))
    # whole answers up to 998: |x| + |shift| = 999 has 3 digits, which a 3-digit context holds
    assert kernel.prepare(0, 1, 998, 3).exact is True
    assert not _inexact(3, lambda c: c.subtract(Decimal(998), Decimal(1)))
    assert kernel.prepare(0, 1, 999, 3).exact is False  # 1000: four digits


@pytest.mark.parametrize(
    ("kernel", "scale", "lo", "hi", "den", "bound"),
    [
        # percent of 3: u = 10·100, den = u, k = 3; bound = max(|x|, u) × 3
        (LinearKernel(F(3), F(100)), 1, 0, 2000, 1000, 6000),
        (LinearKernel(F(3), F(100)), 1, -10, 0, 1000, 3000),
        # target 2.5 = 5/2: u = 10·5 = 50, inputs × 2; max 4: g = gcd(4, 50) = 2, k = 2, den 25
        (LinearKernel(F(4), F(5, 2), clamp=True), 1, 0, 30, 25, 120),
        # survey 1 … 5 at scale 0 into 2: u = 4, g = 2, k = 1: bound max((5 + 1) × 1, 4) × 1
        (LinearKernel(F(2), F(4), shift=1, accept_min=F(1), accept_max=F(5)), 0, 1, 5, 2, 6),
    ],
)
def test_linear_denominators_and_bounds(
    kernel: LinearKernel, scale: int, lo: int, hi: int, den: int, bound: int
) -> None:
    prepared = kernel.prepare(scale, lo, hi, 28)
    assert (prepared.den, prepared.bound) == (den, bound)


def test_a_34_digit_ratio_is_exact_and_so_claimed() -> None:
    # a percent of 1 on whole measures up to 10³⁴ − 2: m ÷ 100 has at most 34 digits
    kernel = LinearKernel(F(1), F(100))
    x = 10**34 - 2
    assert kernel.prepare(0, 0, x, 34).exact is True
    assert not _inexact(34, lambda c: c.divide(Decimal(x), Decimal(100)))


def test_a_ratio_whose_product_outgrows_34_digits_is_not_claimed_exact() -> None:
    # the same measures into 7 points: 34 digits ÷ 100 × 7 rounds at 34 digits
    kernel = LinearKernel(F(7), F(100))
    x = 10**34 - 2
    assert kernel.prepare(0, 0, x, 34).exact is False
    assert _inexact(34, lambda c: c.multiply(c.divide(Decimal(x), Decimal(100)), Decimal(7)))


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (Decimal("0"), F(0)),
        (Decimal("100"), F(3)),
        (Decimal("50"), F(3, 2)),
        (Decimal("-0.1"), None),
        (Decimal("100.1"), None),
    ],
)
def test_one_percent_value(value: Decimal, points: Fraction | None) -> None:
    kernel = LinearKernel(F(3), F(100), accept_min=F(0), accept_max=F(100))
    assert _one(kernel)(value) == points


# -------------------------------------------------------------------------------------- counts
def test_counts_score_per_item_up_to_the_cap() -> None:
    kernel = CountKernel(F(1, 2), F(9, 4))
    # over the denominator 4: ½ = 2/4 per item, cap 9/4
    prepared, got = _column(kernel, 0, [0, 1, 4, 5, 100, -1])
    assert got == [F(0), F(1, 2), F(2), F(9, 4), F(9, 4), None]
    # bound: the larger of 100 × 2 and 9; places: ½ needs 1, 9/4 = 2.25 needs 2
    assert (prepared.den, prepared.bound, prepared.places) == (4, 200, 2)
    assert (kernel.low, kernel.high) == (F(0), F(9, 4))


def test_a_count_bound_can_be_the_cap() -> None:
    assert CountKernel(F(1), F(50)).prepare(0, 0, 3, 28).bound == 50


def test_whole_counts_need_no_places() -> None:
    assert CountKernel(F(3), F(9)).prepare(0, 0, 3, 28).places == 0


@pytest.mark.parametrize(
    ("per", "hi", "prec", "exact"),
    [
        (F(1, 2), 199, 3, True),  # 199 × 0.5 = 99.5: three digits
        (F(1, 2), 199, 2, False),  # which two do not hold
        (F(3), 333, 3, True),  # 333 × 3 = 999
        (F(3), 334, 3, False),  # 1002
    ],
)
def test_a_count_is_exact_while_its_product_fits_the_context(
    per: Fraction, hi: int, prec: int, exact: bool
) -> None:
    assert CountKernel(per, F(10**6)).prepare(0, 0, hi, prec).exact is exact
    product = Decimal(per.numerator) / Decimal(per.denominator)  # ½ and 3 are exact
    assert _inexact(prec, lambda c: c.multiply(Decimal(hi), product)) is not exact


@pytest.mark.parametrize(
    ("count", "points"), [(0, F(0)), (3, F(3, 2)), (10**15, F(9, 4)), (-1, None)]
)
def test_one_count(count: int, points: Fraction | None) -> None:
    assert _one(CountKernel(F(1, 2), F(9, 4)))(count) == points


def test_one_count_beyond_10_to_the_15_is_left_to_the_engine() -> None:
    one = _one(CountKernel(F(1, 2), F(9, 4)))
    assert (one(10**15), one(10**15 + 1)) == (F(9, 4), None)


# ----------------------------------------------------------------------------------- deduction
def test_deductions_stop_at_zero() -> None:
    kernel = DeductionKernel(F(1, 2), F(10))
    prepared, got = _column(kernel, 0, [0, 1, 19, 20, 25, -1])
    assert got == [F(10), F(19, 2), F(1, 2), F(0), F(0), None]
    # over the denominator 2: per 1, maximum 20; bound 25 × 1 + 20; ½ needs one place
    assert (prepared.den, prepared.bound, prepared.places) == (2, 45, 1)
    assert (kernel.low, kernel.high) == (F(0), F(10))


@pytest.mark.parametrize(
    ("per", "maximum", "places"),
    [(F(1), F(9, 4), 2), (F(1, 4), F(3), 2), (F(1, 2), F(9, 4), 2), (F(2), F(6), 0)],
)
def test_deduction_places_are_the_more_of_per_and_maximum(
    per: Fraction, maximum: Fraction, places: int
) -> None:
    assert DeductionKernel(per, maximum).prepare(0, 0, 3, 28).places == places


@pytest.mark.parametrize(
    ("per", "hi", "prec"),
    [
        (F(1), 988, 3),  # 10 − 988 = −978: three digits
        (F(1, 2), 179, 3),  # 10 − 89.5 = −79.5
    ],
)
def test_a_deduction_is_exact_while_its_digits_fit_the_context(
    per: Fraction, hi: int, prec: int
) -> None:
    assert DeductionKernel(per, F(10)).prepare(0, 0, hi, prec).exact is True
    p = Decimal(per.numerator) / Decimal(per.denominator)
    assert not _inexact(prec, lambda c: c.subtract(Decimal(10), c.multiply(Decimal(hi), p)))


@pytest.mark.parametrize(
    ("count", "points"),
    [(0, (20, 1)), (1, (39, 2)), (39, (1, 2)), (40, (0, 1)), (41, (0, 1)), (-1, None)],
)
def test_one_deduction_reduced_as_a_fraction(count: int, points: tuple[int, int] | None) -> None:
    fn, exact = DeductionKernel(F(1, 2), F(20)).scalar()
    assert (fn(count), exact) == (points, True)


def test_one_deduction_up_to_10_to_the_15_violations() -> None:
    fn, _ = DeductionKernel(F(1, 2), F(20)).scalar()
    assert (fn(10**15), fn(10**15 + 1)) == ((0, 1), None)


def test_a_percent_of_a_fractional_scale_multiplies_its_inputs_first() -> None:
    # a scale of 2.5 = 5/2: m ÷ 2.5 × 1 on measures 0 … 2.5 in tenths
    kernel = LinearKernel(F(1), F(5, 2), accept_min=F(0), accept_max=F(5, 2))
    _, got = _column(kernel, 1, [0, 10, 25, 26, -1])
    assert got == [F(0), F(2, 5), F(1), None, None]


def test_a_clamped_ratio_is_exact_when_its_unclamped_part_fits() -> None:
    # target 1, measures at 30 decimals up to 1000, into 1000 points: a ratio above 1 is clamped
    # to 1 (exact), one at most 1 has at most 31 digits and so has its product by 1000
    kernel = LinearKernel(F(1000), F(1), clamp=True)
    assert kernel.prepare(30, 0, 10**33, 34).exact is True
    largest_kept = Decimal(10**30 - 1).scaleb(-30)  # 0.999…9, the largest ratio below 1
    assert not _inexact(34, lambda c: c.multiply(c.divide(largest_kept, Decimal(1)), 1000))


def test_a_ratio_whose_product_by_a_fractional_maximum_just_fits_is_claimed_exact() -> None:
    # into 2.5 points: m ÷ 100 × 2.5 has the digits of m × 25, 34 of them for m < 4·10³²
    kernel = LinearKernel(F(5, 2), F(100))
    x = 39 * 10**31 - 1
    assert len(str(x * 25)) == 34
    assert kernel.prepare(0, 0, x, 34).exact is True
    assert not _inexact(
        34, lambda c: c.multiply(c.divide(Decimal(x), Decimal(100)), Decimal("2.5"))
    )
