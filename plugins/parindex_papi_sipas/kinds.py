"""Rule kinds for PAPI (registered through the ``parindex_rule_kinds`` hook)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from parindex.model.documents import Whole
from parindex.model.i18n import N_, add_templates
from parindex.model.kernels import DirectPoints, ceil_int, floor_int
from parindex.model.rules import InputKind, Outcome, Rule

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


class PapiSubdimension(Rule):
    """A PAPI sub-dimension: points given by the survey, which must lie in [1/k, 10/k].

    ``k`` is the number of sub-dimensions of the dimension in that year, so the dimension (their
    sum) lies in [1, 10]. The bounds 1/k and 10/k are not exact decimals when k = 3, so they are
    compared exactly as :class:`fractions.Fraction`, never rounded. [derived from the official
    2011–2016 file; see rulesets/papi/]
    """

    kind: Literal["papi_subdimension"] = "papi_subdimension"
    input_kind: ClassVar[InputKind] = "points"
    k: Whole = Field(ge=1, le=20)

    @property
    def bounds(self) -> tuple[Fraction, Fraction]:
        return Fraction(1, self.k), Fraction(10, self.k)

    def check(self, maximum: Decimal | None) -> list[str]:
        if maximum is not None and Fraction(maximum) < Fraction(10, self.k):
            return [f"the node's maximum {maximum} is below the sub-dimension bound 10/{self.k}"]
        return []

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        if isinstance(value, str):
            raise ValueError(f"expected points, got {value!r}")
        low, high = self.bounds
        exact = Fraction(value)
        if not low <= exact <= high:
            raise ValueError(
                f"points {value} are outside the sub-dimension range [1/{self.k}, 10/{self.k}]"
                f" = [{_show(low)}, {_show(high)}]"
            )
        return Outcome(value, None, f"points given, within [1/{self.k}, 10/{self.k}]")

    def describe(self) -> str:
        return f"PAPI sub-dimension: points in [1/{self.k}, 10/{self.k}] (k = {self.k})"

    def compile(self, maximum: Fraction | None, lower: Fraction) -> SubdimensionKernel:
        low, high = self.bounds
        return SubdimensionKernel(lower, maximum, low, high)


@dataclass(frozen=True)
class SubdimensionKernel(DirectPoints):
    """The batch kernel: points given directly, rejected outside [1/k, 10/k], exactly."""

    min_points: Fraction
    max_points: Fraction

    def bound_factor(self) -> int:
        return self.min_points.denominator

    def reject(self, x: npt.NDArray[np.int64], scale: int) -> npt.NDArray[np.bool_]:
        p = 10**scale
        out: npt.NDArray[np.bool_] = (x < ceil_int(self.min_points * p)) | (
            x > floor_int(self.max_points * p)
        )
        return out

    def accepts(self, n: int, d: int) -> bool:
        return self.min_points <= Fraction(n, d) <= self.max_points

    def input_range(self) -> tuple[Fraction | None, Fraction | None]:
        high = self.max_points if self.maximum is None else min(self.max_points, self.maximum)
        return max(self.min_points, self.lower), high


def _show(value: Fraction) -> str:
    """A fraction for people: exact when it is a short decimal, else 6 decimals with an ellipsis."""
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(decimal) == value:
        return format(decimal.normalize(), "f")
    return f"{decimal:.6f}…"


PAPI_KINDS: tuple[type[Rule], ...] = (PapiSubdimension,)


# describe() under --locale vi: the core's catalogue translates it through this template
add_templates(N_("PAPI sub-dimension: points in [{low}, {high}] (k = {k})"))
