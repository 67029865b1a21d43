"""The SIPAS formula's parameters, and the one rounding of the reported percentages.

The formula is **not published** (see ``docs/sipas.md``): every step is a parameter of
:class:`SipasParameters`, whose defaults are the usual reading, labelled unverified.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction
from typing import Literal

from parindex.model.i18n import N_, add_templates
from parindex_papi_sipas.sipas_framework import Framework, SipasError

__all__ = [
    "Denominator",
    "ElementMethod",
    "IndexMethod",
    "Rounding",
    "SipasParameters",
    "check_parameters",
    "round_fraction",
]

ElementMethod = Literal["mean_of_items", "general_item"]
IndexMethod = Literal["mean_of_elements", "mean_of_items", "overall_item"]
Denominator = Literal["valid", "all"]
Rounding = Literal["half_up", "half_even", "down", "up"]


@dataclass(frozen=True)
class SipasParameters:
    """Each formula step, as a parameter. The defaults are the usual reading [unverified]."""

    #: Answer levels counted as "satisfied" (default: 4 satisfied, 5 very satisfied).
    satisfied: frozenset[int] = frozenset({4, 5})
    #: ``valid``: blanks are left out of the denominator; ``all``: a blank counts as not satisfied.
    denominator: Denominator = "valid"
    #: How an element's % is formed from its items.
    element: ElementMethod = "mean_of_items"
    #: How the index is formed.
    index: IndexMethod = "mean_of_elements"
    #: Decimals of the reported percentages, and the rounding mode.
    places: int = 2
    rounding: Rounding = "half_up"

    status: str = "unverified"

    def describe(self) -> list[str]:
        sat = ", ".join(str(x) for x in sorted(self.satisfied))
        den = (
            N_("valid (non-blank) answers")
            if self.denominator == "valid"
            else N_("all answer rows, blanks counting as not satisfied")
        )
        element = {
            "mean_of_items": N_("mean of its items' %"),
            "general_item": N_("% on its 'in general' item"),
        }[self.element]
        index = {
            "mean_of_elements": N_("mean of the elements' %"),
            "mean_of_items": N_("mean of all criteria items' %"),
            "overall_item": N_("% on the overall item"),
        }[self.index]
        return [
            f"item % = 100 × answers at levels {{{sat}}} ÷ {den} [unverified]",
            f"element % = {element} [unverified]",
            f"index = {index} [unverified]",
            f"reported to {self.places} decimals, rounding {self.rounding.replace('_', '-')};"
            " computed exactly (fractions) before that",
        ]


_MODES = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
}


def round_fraction(value: Fraction, places: int = 2, mode: Rounding = "half_up") -> Decimal:
    """Round an exact fraction to ``places`` decimals, exactly (no binary floats, no context)."""
    scaled = value * 10**places
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor  # in [0, 1)
    if rest == 0:
        digits = floor
    elif mode == "down":
        digits = floor if floor >= 0 else floor + 1
    elif mode == "up":
        digits = floor + 1 if floor >= 0 else floor
    else:
        half = Fraction(1, 2)
        if rest > half:
            digits = floor + 1
        elif rest < half:
            digits = floor
        elif mode == "half_up":  # away from zero
            digits = floor + 1 if value > 0 else floor
        else:
            digits = floor + (floor % 2)
    return Decimal(digits).scaleb(-places)


def check_parameters(framework: Framework, params: SipasParameters) -> None:
    if not params.satisfied:
        raise SipasError("'satisfied' needs at least one answer level", field="satisfied")
    bad = sorted(x for x in params.satisfied if not 1 <= x <= framework.levels)
    if bad:
        raise SipasError(
            f"'satisfied' levels {bad} are outside 1–{framework.levels}", field="satisfied"
        )
    if not 0 <= params.places <= 10:
        raise SipasError("'places' must be from 0 to 10", field="places")
    if params.element == "general_item":
        lacking = [e.code for e in framework.elements if not e.general_item]
        if lacking:
            raise SipasError(
                f"element = general_item, but elements {', '.join(lacking)} have no general item",
                field="element",
            )
    if params.index == "overall_item" and not framework.overall_item:
        raise SipasError(
            "index = overall_item, but the framework has no overall item", field="index"
        )


# the formula's lines (SipasParameters.describe) under --locale vi
add_templates(
    N_("item % = 100 × answers at levels {levels} ÷ {answers} [unverified]"),
    N_("element % = {how} [unverified]"),
    N_("index = {how} [unverified]"),
    N_("reported to {places} decimals, rounding {mode}; computed exactly (fractions) before that"),
)
