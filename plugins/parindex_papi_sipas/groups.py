"""PAPI's four groups of provinces, computed across a batch (one year's provinces).

PAPI reports show provinces in four groups per dimension and for the total: best performers,
high-average, low-average and poor performers. The cut rule is **not published** [unverified]; the
2020 report's groups held 16/16/15/16 of 63 provinces. So the rule is a parameter, and every result
says which rule made it:

``quartiles`` (default)
    Cut points are the 25th, 50th and 75th percentiles of the batch, by linear interpolation
    between order statistics (Hyndman–Fan type 7, the default of R, NumPy and Excel's
    QUARTILE.INC). Bands are half-open with the lower bound inclusive: best ≥ Q3,
    high-average [Q2, Q3), low-average [Q1, Q2), poor < Q1. With 63 distinct values this gives
    16/16/15/16, the counts of the 2020 report.
``equal-counts``
    By rank (competition ranking, so tied values share a group): group = ⌊(rank − 1) × 4 ÷ n⌋.
``equal-width``
    The range [min, max] cut into four equal intervals, lower bounds inclusive.
``fixed``
    Cut points given by the caller (three values, best group's lower bound first).

All arithmetic is exact (Decimal; quartile interpolation weights are multiples of 1/4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal, get_args

from parindex.model import group_rules
from parindex.model.decimals import CONTEXT, normalize
from parindex.model.i18n import N_, add_templates

PapiRule = Literal["quartiles", "equal-counts", "equal-width", "fixed"]
GROUP_RULES: tuple[PapiRule, ...] = get_args(PapiRule)

#: Group labels, best first (the wording of PAPI's English reports).
LABELS: tuple[str, str, str, str] = ("best", "high-average", "low-average", "poor")
#: The same in Vietnamese, as provincial plans write them.
LABELS_VI: dict[str, str] = {
    "best": "nhóm cao nhất",
    "high-average": "nhóm trung bình cao",
    "low-average": "nhóm trung bình thấp",
    "poor": "nhóm thấp nhất",
}

RULE_TEXT: dict[str, str] = {  # N_: in the message catalogue, translated when shown
    "quartiles": N_(
        "quartiles: cut at the 25th/50th/75th percentiles (linear interpolation, Hyndman–Fan"
        " type 7); best ≥ Q3, high-average [Q2, Q3), low-average [Q1, Q2), poor < Q1"
    ),
    "equal-counts": N_(
        "equal counts: group = floor((rank − 1) × 4 ÷ n) with competition ranks; ties share a group"
    ),
    "equal-width": N_(
        "equal width: [min, max] cut into four equal intervals, lower bounds inclusive"
    ),
    "fixed": N_("fixed cut points given by the user, lower bounds inclusive"),
}
UNPUBLISHED = N_("PAPI does not publish its group cut rule [unverified]")
# a group rule's description (Groups.description) under --locale vi, cut points in vi style
add_templates(
    N_("{rule}; cuts {cuts}; best/high-average/low-average/poor = {counts}; {unpublished}"),
    N_("{rule}; best/high-average/low-average/poor = {counts}; {unpublished}"),
    # the note of `parindex reproduce` on a PAPI dataset (parindex.analysis.reproduce.groups)
    N_(
        "{title}: {rule}; PAPI does not publish its group cut rule [unverified] (another rule:"
        " {option})"
    ),
)


class GroupRuleError(group_rules.GroupRuleError):
    kind = "papi-groups"


@dataclass(frozen=True)
class BatchGroups:
    """The groups of one batch under one rule."""

    rule: PapiRule
    #: Lower bounds of best, high-average and low-average (None for ``equal-counts``).
    cuts: tuple[Decimal, Decimal, Decimal] | None
    groups: dict[str, str]  # key (unit) → label
    counts: dict[str, int]  # label → how many

    @property
    def summary(self) -> str:
        """The cut points and the group sizes, e.g. ``cuts 37.01, 35.66, 34.32; 16/16/15/16``."""
        counts = "/".join(str(self.counts[label]) for label in LABELS)
        cuts = ("cuts " + ", ".join(_show(c) for c in self.cuts) + "; ") if self.cuts else ""
        return f"{cuts}best/high-average/low-average/poor = {counts}"

    @property
    def description(self) -> str:
        return f"{RULE_TEXT[self.rule]}; {self.summary}; {UNPUBLISHED}"


def _show(value: Decimal) -> str:
    return format(normalize(value), "f")


def quantile(sorted_values: Sequence[Decimal], p: Fraction) -> Decimal:
    """The p-quantile of ascending ``sorted_values`` by linear interpolation (type 7), exactly."""
    if not sorted_values:
        raise GroupRuleError("no values to take a quantile of")
    h = p * (len(sorted_values) - 1)
    j = h.numerator // h.denominator
    frac = h - j
    low = sorted_values[j]
    if frac == 0:
        return low
    high = sorted_values[j + 1]
    weight = Decimal(frac.numerator) / Decimal(frac.denominator)  # exact: a multiple of 1/4
    return CONTEXT.add(low, CONTEXT.multiply(weight, CONTEXT.subtract(high, low)))


def cut_points(
    values: Sequence[Decimal], rule: PapiRule, fixed: Sequence[Decimal] | None = None
) -> tuple[Decimal, Decimal, Decimal] | None:
    """Lower bounds of the best, high-average and low-average groups under ``rule``."""
    if rule == "fixed":
        if fixed is None or len(fixed) != 3:
            raise GroupRuleError("the 'fixed' group rule needs three cut points, best first")
        a, b, c = (Decimal(x) for x in fixed)
        if not a >= b >= c:
            raise GroupRuleError(f"cut points must not increase: {a}, {b}, {c}")
        return a, b, c
    if rule == "equal-counts":
        return None
    ordered = sorted(values)
    if rule == "quartiles":
        return (
            normalize(quantile(ordered, Fraction(3, 4))),
            normalize(quantile(ordered, Fraction(1, 2))),
            normalize(quantile(ordered, Fraction(1, 4))),
        )
    if rule == "equal-width":
        lo, hi = ordered[0], ordered[-1]
        width = CONTEXT.divide(CONTEXT.subtract(hi, lo), Decimal(4))
        return (
            normalize(CONTEXT.add(lo, 3 * width)),
            normalize(CONTEXT.add(lo, 2 * width)),
            normalize(CONTEXT.add(lo, width)),
        )
    raise GroupRuleError(f"unknown group rule {rule!r}; rules: {', '.join(GROUP_RULES)}")


def classify(value: Decimal, cuts: tuple[Decimal, Decimal, Decimal]) -> str:
    """The label of ``value`` given lower bounds (best, high-average, low-average)."""
    for label, bound in zip(LABELS[:3], cuts, strict=True):
        if value >= bound:
            return label
    return LABELS[3]


def batch_groups(
    values: Mapping[str, Decimal],
    rule: PapiRule = "quartiles",
    fixed: Sequence[Decimal] | None = None,
) -> BatchGroups:
    """Put every key of ``values`` (e.g. province → total) into one of the four groups."""
    if rule not in GROUP_RULES:
        raise GroupRuleError(f"unknown group rule {rule!r}; rules: {', '.join(GROUP_RULES)}")
    keys = list(values)
    counts = dict.fromkeys(LABELS, 0)
    if not keys:
        return BatchGroups(rule, None, {}, counts)
    vals = [values[k] for k in keys]
    groups: dict[str, str] = {}
    cuts = cut_points(vals, rule, fixed)
    if cuts is None:  # equal-counts
        n = len(vals)
        for key, r in zip(keys, _competition_ranks(vals), strict=True):
            groups[key] = LABELS[min(3, (r - 1) * 4 // n)]
    else:
        for key, v in zip(keys, vals, strict=True):
            groups[key] = classify(v, cuts)
    for label in groups.values():
        counts[label] += 1
    return BatchGroups(rule, cuts, groups, counts)


def _competition_ranks(values: Sequence[Decimal]) -> list[int]:
    """Rank 1 for the highest value; tied values share the best rank of their run ("1224")."""
    ordered = sorted(values, reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [first[v] for v in values]


def groups_by_dimension(
    rows: Mapping[str, Mapping[str, Decimal]],
    codes: Sequence[str] | None = None,
    rule: PapiRule = "quartiles",
    fixed: Sequence[Decimal] | None = None,
) -> dict[str, BatchGroups]:
    """Groups per dimension (and for any other code) across a batch.

    ``rows`` maps a unit to its points by code (e.g. ``{"Hà Nội": {"D1": ..., "total": ...}}``);
    ``codes`` defaults to every code found. A unit without a value for a code is left out of that
    code's batch.
    """
    if codes is None:
        seen: dict[str, None] = {}
        for points in rows.values():
            seen.update(dict.fromkeys(points))
        codes = list(seen)
    return {
        code: batch_groups({u: p[code] for u, p in rows.items() if code in p}, rule, fixed)
        for code in codes
    }
