"""Independent references for the property tests, in exact fractions.

Written from docs/format.md and the rule kinds' definitions, not from the engine: nothing here
imports parindex's arithmetic (no ``round_to``, no ``classify``).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any


def round_fraction(x: Fraction, places: int, mode: str) -> Fraction:
    """``x`` to ``places`` decimals; half_up/half_even settle a tie, down/up go to/away from 0."""
    scaled = x * 10**places
    sign = -1 if scaled < 0 else 1
    a = abs(scaled)
    whole, rest = divmod(a.numerator, a.denominator)
    frac = Fraction(rest, a.denominator)
    if mode == "down":
        k = whole
    elif mode == "up":
        k = whole + (1 if frac else 0)
    elif frac > Fraction(1, 2):
        k = whole + 1
    elif frac < Fraction(1, 2):
        k = whole
    elif mode == "half_up":
        k = whole + 1
    else:  # half_even
        k = whole + (whole % 2)
    return Fraction(sign * k, 10**places)


def group_of(index: Fraction, bands: list[dict[str, Any]]) -> str | None:
    """The label of the band containing ``index``: a band runs from its minimum (included unless
    ``min_inclusive`` is false) up to the next band's minimum."""
    best: tuple[Fraction, int, str | None] | None = None
    for band in bands:
        lo = Fraction(Decimal(band["min"]))
        inside = index > lo or (index == lo and band.get("min_inclusive", True))
        if not inside:
            continue
        # the containing band is the one with the highest minimum that contains the index; at the
        # same minimum an inclusive band starts before an exclusive one (formats forbid that pair)
        key = (lo, 0 if band.get("min_inclusive", True) else 1, band.get("label"))
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    return best[2]


def as_fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)
