"""The standard rule kinds, registered through the same hook a third party would use.

Each kind also brings its batch kernel (:meth:`Rule.compile`, built in
:mod:`parindex_core_rules.kernels`, imported only then: it needs numpy).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from parindex.model.decimals import CONTEXT, HUNDRED, ZERO
from parindex.model.documents import Dec, Flag, Frozen, Text, TextField, Whole
from parindex.model.errors import RulesetError, TierError
from parindex.model.i18n import N_, add_templates
from parindex.model.rules import InputKind, Outcome, Rule

if TYPE_CHECKING:
    from parindex.model.kernels import ColumnKernel


def _f(value: Decimal) -> str:
    return format(value, "f")


def _fr(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _as_decimal(value: Decimal | str) -> Decimal:
    if isinstance(value, str):
        raise ValueError(f"expected a number, got {value!r}")
    return value


class PointsRule(Rule):
    """Points entered directly, 0 ≤ points ≤ maximum, optionally a multiple of ``step``."""

    kind: Literal["points"] = "points"
    step: Dec | None = Field(None, gt=0)

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        points = _as_decimal(value)
        if self.step is not None and (points % self.step) != 0:
            raise ValueError(f"points {_f(points)} are not a multiple of the step {_f(self.step)}")
        return Outcome(points, None, "points given")

    def evaluate_points(self, value: Decimal | str, maximum: Decimal | None) -> Decimal:
        if self.step is None and type(value) is Decimal:
            return value
        return self.evaluate(value, maximum).points

    def describe(self) -> str:
        return "points" + (f" in steps of {_f(self.step)}" if self.step else "")

    def compile(self, maximum: Fraction | None, lower: Fraction) -> ColumnKernel:
        from parindex_core_rules.kernels import PointsKernel

        return PointsKernel(lower, maximum, _fr(self.step))


class ChoiceRule(Rule):
    """Named options, each worth fixed points."""

    kind: Literal["choice"] = "choice"
    input_kind: ClassVar[InputKind] = "choice"
    increasing: ClassVar[bool | None] = None
    options: dict[str, Dec] = Field(min_length=1)
    labels: dict[str, TextField] = Field(default_factory=dict)

    @field_validator("options", mode="before")
    @classmethod
    def _keys_as_text(cls, v: object) -> object:
        return {str(k): p for k, p in v.items()} if isinstance(v, dict) else v

    @model_validator(mode="after")
    def _labels_known(self) -> ChoiceRule:
        extra = set(self.labels) - set(self.options)
        if extra:
            raise ValueError(f"labels for unknown options: {', '.join(sorted(extra))}")
        if any(p < 0 for p in self.options.values()):
            raise ValueError("option points may not be negative")
        return self

    def max_points(self) -> Decimal:
        return max(self.options.values())

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        key = value if isinstance(value, str) else _f(value)
        if key not in self.options:
            raise ValueError(f"unknown option {key!r}; options: {', '.join(self.options)}")
        label = self.labels.get(key, Text()).best()
        matched = f"{key} ({label})" if label else key
        return Outcome(self.options[key], matched, f"option {matched} → {_f(self.options[key])}")

    def evaluate_points(self, value: Decimal | str, maximum: Decimal | None) -> Decimal:
        got = self.options.get(value) if type(value) is str else None
        return got if got is not None else self.evaluate(value, maximum).points

    def describe(self) -> str:
        return "choice: " + "; ".join(f"{k} {_f(p)}" for k, p in self.options.items())

    def compile(self, maximum: Fraction | None, lower: Fraction) -> ColumnKernel:
        from parindex_core_rules.kernels import ChoiceKernel

        return ChoiceKernel(tuple(self.options), tuple(Fraction(p) for p in self.options.values()))


class Band(Frozen):
    """One tier: a measure range (bounds inclusive or not, as the source says) and its points."""

    min: Dec | None = None
    max: Dec | None = None
    min_inclusive: Flag = True
    max_inclusive: Flag = False
    points: Dec = Field(ge=0)
    label: str | None = None

    def contains(self, x: Decimal) -> bool:
        if self.min is not None and (x < self.min or (x == self.min and not self.min_inclusive)):
            return False
        return not (
            self.max is not None and (x > self.max or (x == self.max and not self.max_inclusive))
        )

    def text(self) -> str:
        lo = "(-∞" if self.min is None else ("[" if self.min_inclusive else "(") + _f(self.min)
        hi = "+∞)" if self.max is None else _f(self.max) + ("]" if self.max_inclusive else ")")
        return f"{lo}, {hi}" + (f" “{self.label}”" if self.label else "")


class Domain(Frozen):
    """The range a measure can take (e.g. 0–100 for a percentage); tiers must cover all of it."""

    min: Dec | None = None
    max: Dec | None = None


class TiersRule(Rule):
    """A measure falls in exactly one band; the band gives the points."""

    kind: Literal["tiers"] = "tiers"
    input_kind: ClassVar[InputKind] = "measure"
    error_type: ClassVar[type[RulesetError]] = TierError
    increasing: ClassVar[bool | None] = None  # a table may reward low measures as well as high
    bands: tuple[Band, ...] = Field(min_length=1)
    domain: Domain | None = None
    unit: str | None = None

    def _sorted(self) -> list[Band]:
        neg_inf = Decimal("-Infinity")
        return sorted(
            self.bands,
            key=lambda b: (neg_inf if b.min is None else b.min, 0 if b.min_inclusive else 1),
        )

    def check(self, maximum: Decimal | None) -> list[str]:
        problems: list[str] = []
        bands = self._sorted()
        for b in bands:
            if (
                b.min is not None
                and b.max is not None
                and (
                    b.min > b.max or (b.min == b.max and not (b.min_inclusive and b.max_inclusive))
                )
            ):
                problems.append(f"band {b.text()} is empty")
            if maximum is not None and b.points > maximum:
                problems.append(
                    f"band {b.text()} gives {_f(b.points)} points, more than the"
                    f" maximum {_f(maximum)}"
                )
        lo = self.domain.min if self.domain else None
        hi = self.domain.max if self.domain else None
        first, last = bands[0], bands[-1]
        if first.min is not None and (
            lo is None or first.min > lo or (first.min == lo and not first.min_inclusive)
        ):
            where = "below" if lo is None else f"from {_f(lo)} up to"
            problems.append(f"gap: no band covers measures {where} {_f(first.min)}")
        if last.max is not None and (
            hi is None or last.max < hi or (last.max == hi and not last.max_inclusive)
        ):
            where = "above" if hi is None else f"from {_f(last.max)} up to {_f(hi)}:"
            problems.append(
                f"gap: no band covers measures {where} {_f(last.max)}"
                if hi is None
                else f"gap: no band covers measures {where}"
            )
        for a, b in pairwise(bands):
            if a.max is None or b.min is None:
                problems.append(f"bands {a.text()} and {b.text()} overlap")
                continue
            if a.max > b.min or (a.max == b.min and a.max_inclusive and b.min_inclusive):
                problems.append(f"bands {a.text()} and {b.text()} overlap")
            elif a.max < b.min or (a.max == b.min and not a.max_inclusive and not b.min_inclusive):
                problems.append(f"gap between bands {a.text()} and {b.text()}")
        return problems

    def max_points(self) -> Decimal:
        return max(b.points for b in self.bands)

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        x = _as_decimal(value)
        if self.domain is not None:
            d = self.domain
            if (d.min is not None and x < d.min) or (d.max is not None and x > d.max):
                raise ValueError(
                    f"measure {_f(x)} is outside the domain"
                    f" [{_f(d.min) if d.min is not None else '-∞'},"
                    f" {_f(d.max) if d.max is not None else '+∞'}]"
                )
        for band in self.bands:
            if band.contains(x):
                return Outcome(
                    band.points,
                    band.text(),
                    f"measure {_f(x)} in band {band.text()} → {_f(band.points)}",
                )
        raise ValueError(f"no band contains the measure {_f(x)}")

    def evaluate_points(self, value: Decimal | str, maximum: Decimal | None) -> Decimal:
        d = self.domain
        if type(value) is Decimal and (
            d is None or ((d.min is None or value >= d.min) and (d.max is None or value <= d.max))
        ):
            for band in self.bands:
                if band.contains(value):
                    return band.points
        return self.evaluate(value, maximum).points  # the error, worded by evaluate

    def describe(self) -> str:
        return "tiers: " + "; ".join(f"{b.text()} → {_f(b.points)}" for b in self._sorted())

    def compile(self, maximum: Fraction | None, lower: Fraction) -> ColumnKernel:
        from parindex_core_rules import kernels as k

        bands = tuple(
            k.Band(_fr(b.min), b.min_inclusive, _fr(b.max), b.max_inclusive, Fraction(b.points))
            for b in self.bands
        )
        d = self.domain
        return k.TiersKernel(bands, (None, None) if d is None else (_fr(d.min), _fr(d.max)))


class ProportionalRule(Rule):
    """min(max(measure ÷ target, 0), 1) × maximum."""

    kind: Literal["proportional"] = "proportional"
    input_kind: ClassVar[InputKind] = "measure"
    needs_maximum: ClassVar[bool] = True
    target: Dec = Field(gt=0)

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        x = _as_decimal(value)
        assert maximum is not None
        ratio = min(max(CONTEXT.divide(x, self.target), ZERO), Decimal(1))
        points = CONTEXT.multiply(ratio, maximum)
        return Outcome(
            points, "proportional", f"min(max({_f(x)} ÷ {_f(self.target)}, 0), 1) × {_f(maximum)}"
        )

    def evaluate_points(self, value: Decimal | str, maximum: Decimal | None) -> Decimal:
        if type(value) is Decimal and maximum is not None:
            ratio = min(max(CONTEXT.divide(value, self.target), ZERO), Decimal(1))
            return CONTEXT.multiply(ratio, maximum)
        return self.evaluate(value, maximum).points

    def describe(self) -> str:
        return f"proportional to measure ÷ {_f(self.target)}"

    def compile(self, maximum: Fraction | None, lower: Fraction) -> ColumnKernel | None:
        from parindex_core_rules.kernels import LinearKernel

        if maximum is None:
            return None  # needs_maximum: the batch path rejects such a node before asking
        return LinearKernel(maximum, Fraction(self.target), clamp=True)


class CountRule(Rule):
    """Points per item, up to a cap (the maximum by default)."""

    kind: Literal["count"] = "count"
    input_kind: ClassVar[InputKind] = "count"
    per_item: Dec = Field(gt=0)
    cap: Dec | None = Field(None, ge=0)

    def check(self, maximum: Decimal | None) -> list[str]:
        if self.cap is None and maximum is None:
            return ["a count rule needs a cap or the node's maximum"]
        return []

    def max_points(self) -> Decimal | None:
        return self.cap

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        n = _as_decimal(value)
        cap = self.cap if self.cap is not None else maximum
        assert cap is not None
        points = min(n * self.per_item, cap)
        return Outcome(points, "count", f"min({_f(n)} × {_f(self.per_item)}, {_f(cap)})")

    def evaluate_points(self, value: Decimal | str, maximum: Decimal | None) -> Decimal:
        cap = self.cap if self.cap is not None else maximum
        if type(value) is Decimal and cap is not None:
            return min(value * self.per_item, cap)
        return self.evaluate(value, maximum).points

    def describe(self) -> str:
        return f"{_f(self.per_item)} per item" + (f", up to {_f(self.cap)}" if self.cap else "")

    def compile(self, maximum: Fraction | None, lower: Fraction) -> ColumnKernel | None:
        from parindex_core_rules.kernels import CountKernel

        cap = _fr(self.cap) if self.cap is not None else maximum
        if cap is None:
            return None  # check() refuses such a node; the engine reports it
        return CountKernel(Fraction(self.per_item), cap)


class DeductionRule(Rule):
    """The maximum less a fixed amount per violation, never below zero."""

    kind: Literal["deduction"] = "deduction"
    input_kind: ClassVar[InputKind] = "count"
    needs_maximum: ClassVar[bool] = True
    increasing: ClassVar[bool | None] = False
    per_violation: Dec = Field(gt=0)

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        n = _as_decimal(value)
        assert maximum is not None
        points = max(maximum - n * self.per_violation, ZERO)
        return Outcome(
            points, "deduction", f"max({_f(maximum)} − {_f(n)} × {_f(self.per_violation)}, 0)"
        )

    def evaluate_points(self, value: Decimal | str, maximum: Decimal | None) -> Decimal:
        if type(value) is Decimal and maximum is not None:
            return max(maximum - value * self.per_violation, ZERO)
        return self.evaluate(value, maximum).points

    def describe(self) -> str:
        return f"maximum less {_f(self.per_violation)} per violation"

    def compile(self, maximum: Fraction | None, lower: Fraction) -> ColumnKernel | None:
        from parindex_core_rules.kernels import DeductionKernel

        if maximum is None:
            return None
        return DeductionKernel(Fraction(self.per_violation), maximum)


class SurveyScaleRule(Rule):
    """A mean answer on an n-level scale, mapped linearly: lowest → 0, levels → maximum."""

    kind: Literal["survey_scale"] = "survey_scale"
    input_kind: ClassVar[InputKind] = "measure"
    needs_maximum: ClassVar[bool] = True
    levels: Whole = Field(ge=2, le=100)
    lowest: Whole = 1

    @model_validator(mode="after")
    def _ordered(self) -> SurveyScaleRule:
        if self.lowest >= self.levels:
            raise ValueError("lowest must be below levels")
        return self

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        x = _as_decimal(value)
        assert maximum is not None
        if x < self.lowest or x > self.levels:
            raise ValueError(
                f"mean answer {_f(x)} is outside the scale {self.lowest}–{self.levels}"
            )
        span = Decimal(self.levels - self.lowest)
        points = CONTEXT.multiply(CONTEXT.divide(x - self.lowest, span), maximum)
        return Outcome(points, "linear", f"({_f(x)} − {self.lowest}) ÷ {span} × {_f(maximum)}")

    def evaluate_points(self, value: Decimal | str, maximum: Decimal | None) -> Decimal:
        if type(value) is Decimal and maximum is not None and self.lowest <= value <= self.levels:
            span = Decimal(self.levels - self.lowest)
            return CONTEXT.multiply(CONTEXT.divide(value - self.lowest, span), maximum)
        return self.evaluate(value, maximum).points

    def describe(self) -> str:
        return f"mean answer on a {self.lowest}–{self.levels} scale, linear"

    def compile(self, maximum: Fraction | None, lower: Fraction) -> ColumnKernel | None:
        from parindex_core_rules.kernels import LinearKernel

        if maximum is None:
            return None
        return LinearKernel(
            maximum,
            Fraction(self.levels - self.lowest),
            shift=self.lowest,
            accept_min=Fraction(self.lowest),
            accept_max=Fraction(self.levels),
        )


class PercentPointsRule(Rule):
    """A percentage mapped linearly to points: scale → maximum."""

    kind: Literal["percent_points"] = "percent_points"
    input_kind: ClassVar[InputKind] = "measure"
    needs_maximum: ClassVar[bool] = True
    scale: Dec = Field(HUNDRED, gt=0)

    def evaluate(self, value: Decimal | str, maximum: Decimal | None) -> Outcome:
        x = _as_decimal(value)
        assert maximum is not None
        if x < 0 or x > self.scale:
            raise ValueError(f"percentage {_f(x)} is outside 0–{_f(self.scale)}")
        points = CONTEXT.multiply(CONTEXT.divide(x, self.scale), maximum)
        return Outcome(points, "linear", f"{_f(x)} ÷ {_f(self.scale)} × {_f(maximum)}")

    def evaluate_points(self, value: Decimal | str, maximum: Decimal | None) -> Decimal:
        if type(value) is Decimal and maximum is not None and 0 <= value <= self.scale:
            return CONTEXT.multiply(CONTEXT.divide(value, self.scale), maximum)
        return self.evaluate(value, maximum).points

    def describe(self) -> str:
        return f"percentage ÷ {_f(self.scale)} × maximum"

    def compile(self, maximum: Fraction | None, lower: Fraction) -> ColumnKernel | None:
        from parindex_core_rules.kernels import LinearKernel

        if maximum is None:
            return None
        scale = Fraction(self.scale)
        return LinearKernel(maximum, scale, accept_min=Fraction(0), accept_max=scale)


STANDARD_KINDS: tuple[type[Rule], ...] = (
    PointsRule,
    ChoiceRule,
    TiersRule,
    ProportionalRule,
    CountRule,
    DeductionRule,
    SurveyScaleRule,
    PercentPointsRule,
)


# describe() stays English (it is stored in traces and JSON); under --locale vi the core's
# catalogue translates it through these templates, numbers in the reader's style
add_templates(
    N_("points in steps of {step}"),
    N_("choice: {options}"),
    N_("tiers: {bands}"),
    N_("{per_item} per item, up to {cap}"),
    N_("{per_item} per item"),
    N_("maximum less {per_violation} per violation"),
    N_("mean answer on a {lowest}–{levels} scale, linear"),
    N_("percentage ÷ {scale} × maximum"),
)
