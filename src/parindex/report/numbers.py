"""How numbers are shown, in every renderer: points, indices and percentages for people in a
locale, exact values for programs.

One implementation, :func:`parindex.model.decimals.fmt` (the model layer, so that the explanation
of a score card in :mod:`parindex.scoring.explain` prints numbers the same way); the renderers
import it from here, under the name of what it shows. Never ``str(decimal)`` or an f-string
format spec on a score: those print ``1E+1`` or a binary float's digits.
"""

from __future__ import annotations

from decimal import Decimal

from parindex.model.decimals import canonical as exact
from parindex.model.decimals import fmt as number


def percent(value: Decimal | None, places: int | None = None, *, locale: str = "en") -> str:
    """A percentage already multiplied by 100 (a node's ``percent``): ``95.6 %``, ``95,6 %``."""
    return f"{number(value, places, locale=locale)} %"


def probability(p: float) -> str:
    """A simulated probability (a float in [0, 1], the share of the draws) as a percentage with
    one decimal: ``12.5 %``. Always with a decimal point: the sensitivity table and chart print it
    the same way in every locale today."""
    return f"{100 * p:.1f} %"


__all__ = ["exact", "number", "percent", "probability"]
