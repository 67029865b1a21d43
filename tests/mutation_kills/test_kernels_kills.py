"""Tests written to kill the mutants that survived tools/mutate.py on the standard kinds' batch
kernels (plugins/parindex_core_rules/kernels.py; docs/testing.md, "Mutation score"). By hand."""

from __future__ import annotations

from fractions import Fraction

from parindex_core_rules.kernels import Band, ChoiceKernel, TiersKernel


def test_a_choice_kernel_spans_its_lowest_to_its_highest_option() -> None:
    kernel = ChoiceKernel(("late", "none", "on time"), (Fraction(1, 2), Fraction(0), Fraction(1)))
    assert (kernel.low, kernel.high) == (Fraction(0), Fraction(1))


def test_a_tiers_kernel_spans_its_lowest_to_its_highest_band() -> None:
    bands = (
        Band(None, True, Fraction(70), False, Fraction(1)),
        Band(Fraction(70), True, Fraction(90), False, Fraction(0)),  # a table may dip
        Band(Fraction(90), True, None, False, Fraction(5, 2)),
    )
    kernel = TiersKernel(bands)
    assert (kernel.low, kernel.high) == (Fraction(0), Fraction(5, 2))
