"""How stable is a ranking? Monte Carlo perturbation of inputs, tier thresholds and group cut-offs.

Each draw perturbs, with a fixed seed:

* **survey components** — each chosen input (by default every input at or under a node with
  ``method: survey``) gets an independent normal error with the stated standard error, in the
  input's own units (points for points given directly, the mean answer for a ``survey_scale``
  measure, …). The perturbed value is rounded to a grid of ``decimals`` places and clamped to the
  range the rule accepts (0 … maximum for points, the scale for a mean answer, the domain of a tier
  measure): a survey error cannot make an assessment invalid;
* **tier thresholds** — every cut point between two bands of a chosen ``tiers`` rule moves by a
  normal shift with the stated standard deviation (in the measure's units), the same shift for
  every unit in that draw (a threshold belongs to the rules, not to a unit); the shifted cuts stay
  in order;
* **group cut-offs** — every group band's lower bound (except the one at 0) moves by a normal shift
  with the stated standard deviation, in index points, the same for every unit in that draw.

Every draw is then scored exactly, as the fast path scores (integer fixed point; the total and the
index rounded once with the ruleset's mode), and ranked with the ruleset's tie rule. Per unit the
result gives the median rank, the 5–95 % rank interval (the 5th and 95th percentiles, taken as
observed ranks: numpy's ``inverted_cdf``), and the probability of each group.

One caveat, stated: a draw is scored with exact rational arithmetic. The reference Decimal engine
can differ from exact arithmetic on a tie reached through an inexact division (``÷ 3``), by one
unit of the last place; the batch path defers those units to the engine, the simulation does not
(it would need the engine inside every draw). The unperturbed ("base") results come from the batch
path and equal the engine's.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from parindex.model.documents import Assessment, Ruleset, TieRule, Unit
from parindex.model.errors import ParindexError
from parindex.model.i18n import N_, add_templates
from parindex.scoring.fast.batch import _extract, compiled_for, score_assessments
from parindex.scoring.fast.compile import Column, CompiledRuleset, Plan, Signature
from parindex.scoring.fast.kernel import (
    LIMIT,
    FixedColumn,
    _ceil,
    _evaluate,
    _floor,
    _lcm,
    _prepare,
    rank_keys,
    rank_rows,
    round_div,
)

I64 = npt.NDArray[np.int64]
NO_GROUP = "—"


class SensitivityError(ParindexError):
    kind = "sensitivity"


@dataclass(frozen=True)
class Spec:
    """What to perturb. Standard deviations are in the units of what they perturb."""

    draws: int = 1000
    seed: int = 0
    #: standard error for every survey input (None: survey inputs are not perturbed)
    survey_se: Decimal | None = None
    #: standard errors by node code (overrides ``survey_se``; any input may be named)
    se: Mapping[str, Decimal] = field(default_factory=dict)
    #: standard deviation of every tier cut point (None: thresholds fixed)
    tier_sd: Decimal | None = None
    #: standard deviations of the cut points of named tier rules (overrides ``tier_sd``)
    tier_sd_by_code: Mapping[str, Decimal] = field(default_factory=dict)
    #: standard deviation of the group cut-offs, in index points (None: fixed)
    group_sd: Decimal | None = None
    #: grid of perturbed inputs and thresholds, in decimal places
    decimals: int = 4
    #: tie rule (None: the ruleset's)
    ties: TieRule | None = None
    #: draws scored at once (memory ∝ chunk × units)
    chunk: int = 2000

    def describe(self) -> list[str]:
        """What was perturbed, one English line each (translated where shown: the templates
        below)."""
        out = [f"{self.draws} draws, seed {self.seed}"]
        if self.survey_se is not None:
            out.append(f"survey inputs: normal error, SE {self.survey_se}")
        for code, se in sorted(self.se.items()):
            out.append(f"input {code}: normal error, SE {se}")
        if self.tier_sd is not None:
            out.append(f"tier cut points: normal shift, SD {self.tier_sd}")
        for code, sd in sorted(self.tier_sd_by_code.items()):
            out.append(f"tier cut points of {code}: normal shift, SD {sd}")
        if self.group_sd is not None:
            out.append(f"group cut-offs: normal shift, SD {self.group_sd} index points")
        out.append(
            f"perturbed values on a grid of {self.decimals} decimal places, clamped to the"
            " range each rule accepts"
        )
        return out


add_templates(
    N_("{draws} draws, seed {seed}"),
    N_("survey inputs: normal error, SE {value}"),
    N_("input {code}: normal error, SE {value}"),
    N_("tier cut points: normal shift, SD {value}"),
    N_("tier cut points of {code}: normal shift, SD {value}"),
    N_("group cut-offs: normal shift, SD {value} index points"),
    N_(
        "perturbed values on a grid of {places} decimal places, clamped to the range each rule"
        " accepts"
    ),
)


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    base_rank: int
    base_total: Decimal
    base_index: Decimal | None
    base_group: str | None
    median_rank: float
    rank_p05: int
    rank_p95: int
    #: group label (``"—"`` for none) → share of draws
    group_probability: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.id,
            "name": self.unit.label,
            "base_rank": self.base_rank,
            "base_total": str(self.base_total),
            "base_index": None if self.base_index is None else str(self.base_index),
            "base_group": self.base_group,
            "median_rank": self.median_rank,
            "rank_p05": self.rank_p05,
            "rank_p95": self.rank_p95,
            "group_probability": self.group_probability,
        }


@dataclass(frozen=True)
class SensitivityResult:
    ruleset: str
    version: str
    year: int
    draws: int
    seed: int
    ties: TieRule
    by: Literal["index", "total"]
    perturbations: tuple[str, ...]
    groups: tuple[str, ...]  # group labels in order (best first), then "—" if it occurs
    units: tuple[UnitResult, ...]  # by base rank
    perturbed_codes: tuple[str, ...] = ()

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(
            {
                "ruleset": self.ruleset,
                "version": self.version,
                "year": self.year,
                "draws": self.draws,
                "seed": self.seed,
                "ties": self.ties,
                "ranked_by": self.by,
                "perturbations": list(self.perturbations),
                "perturbed_codes": list(self.perturbed_codes),
                "groups": list(self.groups),
                "units": [u.to_dict() for u in self.units],
            },
            ensure_ascii=False,
            indent=indent,
        )

    def rows(self) -> tuple[list[str], list[list[Any]]]:
        head = [
            "rank",
            "unit",
            "by " + self.by,
            "group",
            "median rank",
            "5–95 % ranks",
            *(f"P({g})" for g in self.groups),
        ]
        body = []
        for u in self.units:
            key = u.base_index if self.by == "index" else u.base_total
            body.append(
                [
                    u.base_rank,
                    u.unit.label,
                    str(key),
                    u.base_group or NO_GROUP,
                    _median(u.median_rank),
                    f"{u.rank_p05}–{u.rank_p95}",
                    *(_pct(u.group_probability.get(g, 0.0)) for g in self.groups),
                ]
            )
        return head, body


def _median(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:.1f}"


def _pct(p: float) -> str:
    return f"{100 * p:.1f} %"


# ---------------------------------------------------------------------- the simulation
def _single_plan(
    compiled: CompiledRuleset, assessments: Sequence[Assessment]
) -> tuple[Plan, dict[str, FixedColumn]]:
    from parindex.scoring import engine
    from parindex.scoring.fast.batch import _value_kind

    rs = compiled.ruleset
    first = assessments[0]
    codes = tuple(first.inputs)
    kinds = [_value_kind(first, c) for c in codes]
    if any(k is None for k in kinds):
        raise SensitivityError(
            "sensitivity needs final values: give appraised values only",
            code=codes[kinds.index(None)],
        )
    view = engine._choose_view(rs, first)
    sig: Signature = (
        tuple(sorted(zip(codes, kinds, strict=True))),  # type: ignore[arg-type]
        first.missing,
    )
    plan = compiled.plan(view, sig)
    if plan.static_error is not None or plan.unsupported is not None:
        why = plan.static_error or plan.unsupported
        raise SensitivityError(f"cannot simulate this ruleset: {why}")
    fixed, _rows, odd = _extract(plan, [(i, a) for i, a in enumerate(assessments)])
    if odd or any(tuple(a.inputs) != codes or a.missing != first.missing for a in assessments):
        bad = (
            assessments[odd[0]] if odd else next(a for a in assessments if tuple(a.inputs) != codes)
        )
        raise SensitivityError(
            "every assessment must give the same codes with the same kinds of input"
            f" (not applicable included) as {first.unit.id!r}; {bad.unit.id!r} differs"
        )
    return plan, fixed


def _under_survey(rs: Ruleset, view: str) -> set[str]:
    out: set[str] = set()

    def walk(node: Any, inside: bool) -> None:
        here = inside or node.method == "survey"
        if here:
            out.add(node.code)
        for c in node.children:
            walk(c, here)

    for top in rs.view_nodes(view):
        walk(top, False)
    return out


def _input_range(col: Column, g: int) -> tuple[int | None, int | None]:
    """The inputs (×10^g) the column's rule accepts, as integers."""
    p = 10**g
    accepted = col.kernel.input_range() if col.kernel is not None else None
    if accepted is None:  # the rule kind's kernel says which inputs it accepts
        raise SensitivityError(
            f"a {col.kind} input cannot be perturbed (options and counts are discrete)",
            code=col.code,
        )
    lo, hi = accepted
    return (None if lo is None else _ceil(lo * p)), (None if hi is None else _floor(hi * p))


@dataclass
class _Dynamic:
    col: Column
    base: I64  # base inputs at scale g
    g: int
    se_units: float  # standard error in grid units
    lo: int | None
    hi: int | None
    den: int = 1
    f: int = 1


@dataclass
class _TierShift:
    col: Column
    base: I64  # inputs at scale g
    g: int
    sd_units: float
    cuts: I64  # cut positions (×10^g), ascending
    exclusive: npt.NDArray[np.bool_]  # the band above the cut excludes it
    points: list[Fraction]  # points of the bands, ascending
    dom: tuple[int | None, int | None]
    den: int = 1
    f: int = 1


def _tier_shape(col: Column, g: int) -> tuple[list[int], list[bool], list[Fraction]]:
    """Cut points (×10^g), exclusivity above each cut, and band points, bands sorted ascending."""
    p = 10**g
    bands = sorted(
        col.bands,
        key=lambda b: (
            Fraction(-(10**30)) if b.min is None else b.min,
            0 if b.min_inclusive else 1,
        ),
    )
    dmin = col.domain[0]
    cuts: list[int] = []
    excl: list[bool] = []
    for a, b in itertools.pairwise(bands):
        if a.max is None or b.min is None or a.max != b.min or a.max_inclusive == b.min_inclusive:
            raise SensitivityError(
                "tier thresholds can be perturbed only for contiguous bands", code=col.code
            )
        v = b.min * p
        if v.denominator != 1:
            raise SensitivityError(
                "a tier cut point has more decimals than the grid; raise --decimals", code=col.code
            )
        cuts.append(int(v))
        excl.append(not b.min_inclusive)
    first = bands[0]
    if first.min is not None and (dmin is None or first.min != dmin):
        raise SensitivityError(
            "tier thresholds can be perturbed only for bands that cover the whole domain",
            code=col.code,
        )
    return cuts, excl, [b.points for b in bands]


Observer = Callable[[dict[str, tuple[I64, int]], I64, I64 | None], None]


def run(
    ruleset: Ruleset, assessments: Sequence[Assessment], spec: Spec, observe: Observer | None = None
) -> SensitivityResult:
    """Simulate ``spec.draws`` perturbed rankings of ``assessments`` (one ruleset version).

    ``observe`` (for tests) sees every chunk of draws: the perturbed inputs by code (an array of
    draws × units, and its decimal scale), the rounded totals and indices (× 10**places)."""
    if not assessments:
        raise SensitivityError("nothing to simulate: no assessments given")
    if spec.draws < 1:
        raise SensitivityError("draws must be at least 1")
    compiled = compiled_for(ruleset)
    rs = compiled.ruleset
    ties: TieRule = spec.ties or rs.ranking.ties
    base = score_assessments(compiled, assessments)  # raises the engine's error for a bad unit
    years = {a.year for a in assessments}
    if len(years) > 1:
        raise SensitivityError(f"cannot rank different years together: {sorted(years)}")
    ids = [a.unit.id for a in assessments]
    if len(set(ids)) != len(ids):
        raise SensitivityError("unit ids appear more than once")
    plan, fixed = _single_plan(compiled, assessments)
    n = len(assessments)
    g = spec.decimals
    survey = _under_survey(rs, plan.view)
    cols = {c.code: c for c in plan.columns}
    unknown = [c for c in (*spec.se, *spec.tier_sd_by_code) if c not in cols]
    if unknown:
        raise SensitivityError(
            f"no input for code {unknown[0]!r} in these assessments", code=unknown[0]
        )

    dynamic: list[_Dynamic] = []
    shifts: list[_TierShift] = []
    static: list[tuple[Column, FixedColumn]] = []
    for col in plan.columns:
        fx = fixed[col.code]
        se = spec.se.get(col.code)
        if se is None and col.code in survey and col.input in ("points", "measure"):
            se = spec.survey_se
        sd = spec.tier_sd_by_code.get(col.code)
        if sd is None and col.kind == "tiers":
            sd = spec.tier_sd
        gg = max(g, fx.scale)
        if se is not None and se > 0:
            lo, hi = _input_range(col, gg)
            dynamic.append(
                _Dynamic(col, fx.values * 10 ** (gg - fx.scale), gg, float(se) * 10**gg, lo, hi)
            )
        elif sd is not None and sd > 0 and col.kind == "tiers":
            cuts, excl, pts = _tier_shape(col, gg)
            dlo, dhi = col.domain
            dom = (
                None if dlo is None else _ceil(dlo * 10**gg),
                None if dhi is None else _floor(dhi * 10**gg),
            )
            shifts.append(
                _TierShift(
                    col,
                    fx.values * 10 ** (gg - fx.scale),
                    gg,
                    float(sd) * 10**gg,
                    np.asarray(cuts, dtype=np.int64),
                    np.asarray(excl, dtype=np.bool_),
                    pts,
                    dom,
                )
            )
        else:
            static.append((col, fx))

    # ---- one common denominator
    dens = [plan.constant.denominator]
    prepared_static = []
    for col, fx in static:
        lo_, hi_ = fx.bounds()
        pc = _prepare(col, fx, lo_, hi_)
        prepared_static.append((pc, fx))
        dens.append(pc.den)
    dyn_prep = []
    for d in dynamic:
        lo_ = d.lo if d.lo is not None else int(d.base.min()) - int(8 * d.se_units) - 1
        hi_ = d.hi if d.hi is not None else int(d.base.max()) + int(8 * d.se_units) + 1
        pc = _prepare(d.col, FixedColumn(d.base, d.g), lo_, hi_)
        dyn_prep.append(pc)
        d.den = pc.den
        dens.append(pc.den)
    for t in shifts:
        t.den = _lcm(*(p.denominator for p in t.points))
        dens.append(t.den)
    q = _lcm(*dens)
    bound = abs(plan.constant.numerator) * (q // plan.constant.denominator)
    for pc, _ in prepared_static:
        bound += pc.bound * (q // pc.den)
    for pc in dyn_prep:
        bound += pc.bound * (q // pc.den)
    for t in shifts:
        bound += int(max(abs(p) for p in t.points) * q)
    places = compiled.places
    pt = 10**places
    maximum = plan.maximum
    use_index = maximum is not None and maximum > 0
    mul_t = pt
    mul_i, den_i = 1, 1
    if use_index:
        assert maximum is not None
        ai, bi = 100 * pt * maximum.denominator, q * maximum.numerator
        gcd = math.gcd(ai, bi)
        mul_i, den_i = ai // gcd, bi // gcd
    if q >= LIMIT or bound * max(mul_t, mul_i, 1) >= LIMIT or den_i >= LIMIT:
        raise SensitivityError("the numbers are too large for the simulation's 64-bit integers")

    # base part: the static columns, once
    static_total = np.full(
        n, plan.constant.numerator * (q // plan.constant.denominator), dtype=np.int64
    )
    for pc, fx in prepared_static:
        num, _ = _evaluate(pc, fx.values)
        static_total += num * (q // pc.den)

    rng = np.random.default_rng(spec.seed)
    labels = [grp.label for grp in compiled.groups]
    group_counts = np.zeros((n, len(labels) + 1), dtype=np.int64)  # last: no group
    ranks_all = np.empty((spec.draws, n), dtype=np.int32)
    gth = _group_thresholds(compiled)
    movable = np.asarray([grp.min > 0 for grp in compiled.groups], dtype=np.bool_)
    done = 0
    while done < spec.draws:
        m = min(spec.chunk, spec.draws - done)
        total = np.broadcast_to(static_total, (m, n)).copy()
        seen: dict[str, tuple[I64, int]] = {}
        for d, pc in zip(dynamic, dyn_prep, strict=True):
            noise = np.rint(rng.standard_normal((m, n)) * d.se_units).astype(np.int64)
            x = d.base[None, :] + noise
            if d.lo is not None or d.hi is not None:
                np.clip(x, d.lo, d.hi, out=x)
            if d.col.kind == "points" and d.col.step is not None:
                x = _snap_to_step(x, d.col.step, d.g, d.lo, d.hi)
            if observe is not None:
                seen[d.col.code] = (x, d.g)
            num, bad = _evaluate(pc, x.reshape(-1))
            if bad is not None and bool(bad.any()):
                raise SensitivityError("a perturbed input is invalid for its rule", code=d.col.code)
            total += (num * (q // pc.den)).reshape(m, n)
        for t in shifts:
            total += _shifted_tiers(t, rng, m, q)
        totals = round_div((total * mul_t).reshape(-1), q, compiled.mode).reshape(m, n)
        if use_index:
            idx = round_div((total * mul_i).reshape(-1), den_i, compiled.mode).reshape(m, n)
            keys = idx
            th = np.broadcast_to(gth, (m, len(gth))).astype(np.float64)
            if spec.group_sd is not None and spec.group_sd > 0 and len(gth):
                shift = rng.standard_normal((m, len(gth))) * float(spec.group_sd) * pt
                th = th + np.where(movable[None, :], shift, 0.0)
                th = -np.sort(-th, axis=1)  # keep the bands in order (best first)
            th_int = np.ceil(th).astype(np.int64)
            hits = (idx[:, :, None] >= th_int[:, None, :]).sum(axis=2)  # bands reached
            code = np.where(hits > 0, len(gth) - hits, len(labels))
            published = np.asarray([lbl is not None for lbl in labels] + [False])
            code = np.where(published[code], code, len(labels))
            np.add.at(group_counts, (np.broadcast_to(np.arange(n), (m, n)), code), 1)
        else:
            keys = totals
            group_counts[:, len(labels)] += m
        if observe is not None:
            observe(seen, totals, idx if use_index else None)
        ranks_all[done : done + m] = rank_rows(keys, ties)
        done += m

    med = np.median(ranks_all, axis=0)
    p05 = np.quantile(ranks_all, 0.05, axis=0, method="inverted_cdf")
    p95 = np.quantile(ranks_all, 0.95, axis=0, method="inverted_cdf")
    names = [lbl for lbl in labels if lbl is not None]
    shown = names + ([NO_GROUP] if bool(group_counts[:, len(labels)].any()) else [])
    keys0 = (
        base.indices if (base.ranked_by == "index" and base.indices is not None) else base.totals
    )
    base_ranks = rank_keys(keys0, ties)
    units = []
    for i, a in enumerate(assessments):
        probs: dict[str, float] = {}
        for j, lbl in enumerate(labels):
            if lbl is not None and group_counts[i, j]:
                probs[lbl] = probs.get(lbl, 0.0) + float(group_counts[i, j]) / spec.draws
        if group_counts[i, len(labels)]:
            probs[NO_GROUP] = float(group_counts[i, len(labels)]) / spec.draws
        units.append(
            UnitResult(
                unit=a.unit,
                base_rank=int(base_ranks[i]),
                base_total=base.total(i),
                base_index=base.index(i),
                base_group=base.group(i),
                median_rank=float(med[i]),
                rank_p05=int(p05[i]),
                rank_p95=int(p95[i]),
                group_probability=probs,
            )
        )
    units.sort(key=lambda u: (u.base_rank, u.median_rank))
    perturbed = tuple([d.col.code for d in dynamic] + [t.col.code for t in shifts])
    return SensitivityResult(
        ruleset=rs.id,
        version=rs.version,
        year=assessments[0].year,
        draws=spec.draws,
        seed=spec.seed,
        ties=ties,
        by=base.ranked_by,
        perturbations=tuple(spec.describe()),
        groups=tuple(shown),
        units=tuple(units),
        perturbed_codes=perturbed,
    )


def _group_thresholds(compiled: CompiledRuleset) -> npt.NDArray[np.float64]:
    """Index thresholds (×10^places) of the group bands, best first: index ≥ th ⇔ in the band."""
    p = 10**compiled.places
    return np.asarray(
        [
            _ceil(grp.min * p) if grp.min_inclusive else _floor(grp.min * p) + 1
            for grp in compiled.groups
        ],
        dtype=np.float64,
    )


def _snap_to_step(x: I64, step: Fraction, g: int, lo: int | None, hi: int | None) -> I64:
    unit = step * 10**g
    if unit.denominator != 1:
        raise SensitivityError("the step has more decimals than the grid; raise --decimals")
    u = int(unit)
    snapped = (np.rint(x / u) * u).astype(np.int64)
    if hi is not None:
        snapped = np.where(snapped > hi, snapped - u, snapped)
    if lo is not None:
        snapped = np.where(snapped < lo, snapped + u, snapped)
    return snapped


def _shifted_tiers(t: _TierShift, rng: np.random.Generator, m: int, q: int) -> I64:
    """Points (×q) of a tiers rule whose cut points move in every draw."""
    k = len(t.cuts)
    pts = np.asarray([int(p * q) for p in t.points], dtype=np.int64)
    if k == 0:
        return np.full((m, len(t.base)), pts[0], dtype=np.int64)
    shift = np.rint(rng.standard_normal((m, k)) * t.sd_units).astype(np.int64)
    cuts = np.sort(t.cuts[None, :] + shift, axis=1)
    lower = cuts + t.exclusive[None, :]  # the band above cut i starts at this input
    lower = np.maximum.accumulate(lower, axis=1)
    band = (t.base[None, :, None] >= lower[:, None, :]).sum(axis=2)
    out: I64 = pts[band]
    return out


def parse_assignments(items: Sequence[str], what: str) -> tuple[Decimal | None, dict[str, Decimal]]:
    """``["0.05", "1.2=0.1"]`` → (0.05 for all, {"1.2": 0.1})."""
    from parindex.model.decimals import NumberError, to_decimal

    default: Decimal | None = None
    by_code: dict[str, Decimal] = {}
    for item in items:
        code, sep, value = item.rpartition("=")
        try:
            number = to_decimal(value)
        except NumberError as exc:
            raise SensitivityError(f"{what}: {exc}") from None
        if number < 0:
            raise SensitivityError(f"{what}: {value} is negative")
        if sep:
            by_code[code.strip()] = number
        else:
            default = number
    return default, by_code


__all__ = [
    "SensitivityError",
    "SensitivityResult",
    "Spec",
    "UnitResult",
    "parse_assignments",
    "run",
]
