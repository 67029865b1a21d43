"""Hypothesis strategies: generated rulesets, and valid assessments for any ruleset.

:func:`rulesets` builds rulesets from plain data through the real loader (so every generated ruleset
passed the same checks as a YAML file), using every standard rule kind. :func:`assessments` draws
valid assessments for *any* ruleset, including rule kinds it has never seen: it keeps every node
within the points its maximum (or, where none is published, its share of the parent's) allows.
"""

from __future__ import annotations

import decimal
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, TypeGuard

from hypothesis import assume
from hypothesis import strategies as st
from pydantic import ValidationError

from parindex.io.loading import ruleset_from_data
from parindex.io.registry import Registry, default_registry
from parindex.model.documents import Assessment, Node, Ruleset, Unit, Value
from parindex.model.rules import Rule
from parindex.testing import boundaries

#: Arithmetic for generated values: wide enough to be exact for everything drawn here.
_X = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation])
#: Budgets shared between siblings are rounded down, so shares never add up to more than the whole.
_FLOOR = decimal.Context(prec=60, rounding=decimal.ROUND_FLOOR, traps=[decimal.InvalidOperation])
_SHARE_PLACES = Decimal("0.000001")
ZERO = Decimal(0)

#: The standard rule kinds :func:`rulesets` uses.
STANDARD_KINDS: tuple[str, ...] = (
    "points",
    "choice",
    "tiers",
    "proportional",
    "count",
    "deduction",
    "survey_scale",
    "percent_points",
)
_NEEDS_MAXIMUM = {"proportional", "deduction", "survey_scale", "percent_points"}

#: A user-supplied way to draw the raw input of a rule kind: ``(rule, node) → strategy`` of an
#: input mapping such as ``{"measure": Decimal("12.5")}``.
InputStrategy = Callable[[Rule, Node], st.SearchStrategy[dict[str, Any]]]


def _is(rule: Rule | None, *kinds: str) -> TypeGuard[Any]:
    """Whether ``rule`` is of one of the standard kinds named. They are known here by name and by
    their documented fields, never imported: the core does not import a plugin."""
    return rule is not None and rule.kind in kinds


def _chance(draw: st.DrawFn, percent: int) -> bool:
    """True with about ``percent``% probability; shrinks towards False."""
    return draw(st.integers(0, 99)) >= 100 - percent


def _dec(value: str | int) -> Decimal:
    return Decimal(value)


# ====================================================================== rulesets
@dataclass
class _Gen:
    q: Decimal  # the quantum every maximum is a multiple of
    kinds: tuple[str, ...]
    max_depth: int
    max_children: int
    terminating: bool
    unmaxed: bool


def _split(draw: st.DrawFn, units: int, k: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, units), min_size=k - 1, max_size=k - 1)))
    bounds = [0, *cuts, units]
    return [bounds[i + 1] - bounds[i] for i in range(k)]


def _pts(draw: st.DrawFn, budget: Decimal, q: Decimal) -> Decimal:
    """A multiple of ``q`` in [0, budget] (budget is a multiple of q)."""
    units = int(_X.divide(budget, q))
    return _X.multiply(Decimal(draw(st.integers(0, units))), q)


def _tiers_spec(draw: st.DrawFn, budget: Decimal, q: Decimal) -> dict[str, Any]:
    n = draw(st.integers(1, 4))
    unit = draw(st.sampled_from([_dec(1), _dec("0.5"), _dec("0.1")]))
    cut_units = sorted(draw(st.sets(st.integers(1, 99), min_size=n - 1, max_size=n - 1)))
    cuts = [_X.multiply(Decimal(c), unit) for c in cut_units]
    domain = None
    if _chance(draw, 50):
        domain = {"min": ZERO, "max": _X.multiply(Decimal(100), unit)}
    bands: list[dict[str, Any]] = []
    upper_inclusive = [draw(st.booleans()) for _ in cuts]  # at each cut: lower band keeps it?
    points = [_pts(draw, budget, q) for _ in range(n)]
    order = draw(st.sampled_from(["up", "down", "any"]))
    if order != "any":
        points.sort(reverse=order == "down")
    for i in range(n):
        band: dict[str, Any] = {"points": points[i], "label": f"band {i + 1}"}
        if i > 0:
            band["min"] = cuts[i - 1]
            band["min_inclusive"] = not upper_inclusive[i - 1]
        elif domain is not None and draw(st.booleans()):
            band["min"] = domain["min"]
        if i < n - 1:
            band["max"] = cuts[i]
            band["max_inclusive"] = upper_inclusive[i]
        elif domain is not None and draw(st.booleans()):
            band["max"] = domain["max"]
            band["max_inclusive"] = True
        bands.append(band)
    if draw(st.booleans()):
        bands.reverse()
    spec: dict[str, Any] = {"kind": "tiers", "bands": bands}
    if domain is not None:
        spec["domain"] = domain
    if _chance(draw, 30):
        spec["unit"] = "percent"
    return spec


def _rule_spec(
    draw: st.DrawFn, gen: _Gen, maximum: Decimal | None, budget: Decimal
) -> dict[str, Any] | None:
    kinds = [k for k in gen.kinds if maximum is not None or k not in _NEEDS_MAXIMUM]
    choice = draw(st.sampled_from([None, *kinds]))
    q = gen.q
    if choice is None:
        return None
    if choice == "points":
        spec: dict[str, Any] = {"kind": "points"}
        if _chance(draw, 40):
            spec["step"] = draw(st.sampled_from([q, _dec("0.25"), _dec("0.5"), _dec(1)]))
        return spec
    if choice == "choice":
        n = draw(st.integers(1, 4))
        keys = draw(
            st.lists(
                st.sampled_from(["yes", "no", "late", "partial", "1", "2", "a b"]),
                min_size=n,
                max_size=n,
                unique=True,
            )
        )
        options = {k: _pts(draw, budget, q) for k in keys}
        spec = {"kind": "choice", "options": options}
        if _chance(draw, 30):
            spec["labels"] = {keys[0]: {"vi": "nhãn", "en": "label"}}
        return spec
    if choice == "tiers":
        return _tiers_spec(draw, budget, q)
    if choice == "proportional":
        targets = ["0.5", "1", "2", "4", "5", "8", "10", "12.5", "20", "25", "50", "100"]
        if not gen.terminating:
            targets += ["3", "7", "0.3"]
        return {"kind": "proportional", "target": _dec(draw(st.sampled_from(targets)))}
    if choice == "count":
        spec = {
            "kind": "count",
            "per_item": draw(st.sampled_from([q, _dec("0.25"), _dec("0.5"), _dec(1), _dec(2)])),
        }
        if maximum is None or _chance(draw, 40):
            spec["cap"] = _pts(draw, budget, q)
        return spec
    if choice == "deduction":
        return {
            "kind": "deduction",
            "per_violation": draw(
                st.sampled_from([q, _dec("0.25"), _dec("0.5"), _dec(1), _dec(2)])
            ),
        }
    if choice == "survey_scale":
        if gen.terminating:
            lowest, span = draw(st.sampled_from([0, 1])), draw(st.sampled_from([1, 2, 4, 5, 8, 10]))
        else:
            lowest, span = draw(st.sampled_from([0, 1])), draw(st.integers(1, 9))
        return {"kind": "survey_scale", "levels": max(2, lowest + span), "lowest": lowest}
    assert choice == "percent_points"
    scales = ["100", "10", "1", "50"] if gen.terminating else ["100", "10", "1", "50", "3"]
    scale = draw(st.sampled_from([None, *scales]))
    return {"kind": "percent_points"} | ({"scale": _dec(scale)} if scale else {})


def _node_spec(
    draw: st.DrawFn, gen: _Gen, code: str, depth: int, units: int, title: str
) -> dict[str, Any]:
    budget = _X.multiply(Decimal(units), gen.q)
    stated = not gen.unmaxed or _chance(draw, 85)
    maximum = budget if stated else None
    node: dict[str, Any] = {
        "code": code,
        "title": {"vi": f"{title} {code}", "en": f"{title} {code}"},
    }
    if maximum is not None:
        node["maximum"] = maximum
    if _chance(draw, 15):
        node["not_applicable"] = draw(st.sampled_from(["exclude", "full", "zero"]))
    if _chance(draw, 10):
        node["status"] = draw(st.sampled_from(["confirmed", "derived", "unverified"]))
    if _chance(draw, 10):
        node["method"] = draw(st.sampled_from(["appraisal", "survey", "external"]))
    leaf = depth >= gen.max_depth or (depth > 1 and _chance(draw, 40)) or _chance(draw, 15)
    if leaf:
        rule = _rule_spec(draw, gen, maximum, budget)
        if rule is not None:
            node["rule"] = rule
        return node
    k = draw(st.integers(1, gen.max_children))
    node["children"] = [
        _node_spec(draw, gen, f"{code}.{i + 1}", depth + 1, part, title)
        for i, part in enumerate(_split(draw, units, k))
    ]
    return node


def _groups(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 5))
    cents = boundaries.band_cents(draw, n - 1)  # minima that generated indices reach
    mins = [ZERO, *(Decimal(c).scaleb(-2) for c in cents)]
    labels = "ABCDEFG"
    bands = []
    for i, lo in enumerate(mins):
        published = i > 0 or not _chance(draw, 40)
        band: dict[str, Any] = {
            "label": labels[len(mins) - 1 - i] if published or draw(st.booleans()) else None,
            "min": lo,
        }
        if i > 0 and _chance(draw, 40):
            band["min_inclusive"] = False
        if not published:
            band["published"] = False
            band["note"] = "no group is published here"
        bands.append(band)
    if draw(st.booleans()):
        bands.reverse()
    return bands


@st.composite
def ruleset_data(
    draw: st.DrawFn,
    *,
    kinds: Sequence[str] = STANDARD_KINDS,
    max_depth: int = 3,
    max_children: int = 4,
    views: bool = True,
    groups: bool = True,
    unmaxed: bool = True,
    terminating: bool = False,
    ruleset_id: str = "generated.unit",
) -> dict[str, Any]:
    """Plain data (as read from YAML) of a valid ruleset; see :func:`rulesets`."""
    q = draw(st.sampled_from([_dec(1), _dec("0.5"), _dec("0.25"), _dec("0.1"), _dec("0.01")]))
    gen = _Gen(q, tuple(kinds), max(1, min(max_depth, 3)), max_children, terminating, unmaxed)
    hundred = int(_X.divide(Decimal(100), q))
    units = draw(st.one_of(st.just(hundred), st.integers(0, 400)))
    first = draw(st.integers(2000, 2030))
    years = sorted({first, *draw(st.lists(st.integers(2000, 2030), max_size=2))})
    data: dict[str, Any] = {
        "id": ruleset_id,
        "version": draw(st.sampled_from(["1", "2024", "v2"])),
        "years": years,
        "authority": {"vi": "Cơ quan thử", "en": "Test authority"},
        "unit_kind": draw(
            st.sampled_from(["province", "department", "district", "commune", "agency"])
        ),
        "title": {"vi": "Bộ tiêu chí sinh ngẫu nhiên", "en": "Generated ruleset"},
        "source": {"document": "generated by parindex.testing"},
        "status": draw(st.sampled_from(["confirmed", "derived", "unverified"])),
        "rounding": {
            "places": draw(st.sampled_from([2, 0, 1, 3, 4])),
            "mode": draw(st.sampled_from(["half_up", "half_even", "down", "up"])),
        },
        "not_applicable": draw(st.sampled_from(["exclude", "full", "zero"])),
        "ranking": {"ties": draw(st.sampled_from(["competition", "dense", "ordinal", "modified"]))},
    }
    if not unmaxed or _chance(draw, 75):
        data["maximum"] = _X.multiply(Decimal(units), q)
    tops = draw(st.integers(1, max_children))
    data["nodes"] = [
        _node_spec(draw, gen, str(i + 1), 1, part, "Lĩnh vực")
        for i, part in enumerate(_split(draw, units, tops))
    ]
    if views and _chance(draw, 30):
        data["views"] = {}
        for name, prefix in (("components", "C"), ("alt", "X"))[: draw(st.integers(1, 2))]:
            n = draw(st.integers(1, 3))
            data["views"][name] = {
                "title": {"en": f"view {name}"},
                "nodes": [
                    _node_spec(draw, gen, f"{prefix}{i + 1}", 1, part, "Thành phần")
                    for i, part in enumerate(_split(draw, units, n))
                ],
            }
    if groups and _chance(draw, 70):
        data["groups"] = _groups(draw)
    return data


def rulesets(
    *,
    kinds: Sequence[str] = STANDARD_KINDS,
    max_depth: int = 3,
    max_children: int = 4,
    views: bool = True,
    groups: bool = True,
    unmaxed: bool = True,
    terminating: bool = False,
    registry: Registry | None = None,
    ruleset_id: str = "generated.unit",
) -> st.SearchStrategy[Ruleset]:
    """Valid :class:`Ruleset` objects, built from data through the real loader and its checks.

    Trees are 1–``max_depth`` (at most 3) levels deep with up to ``max_children`` children per
    node; leaves use the standard rule kinds in ``kinds`` (``points`` with a step, ``choice``,
    ``tiers`` with explicit inclusive/exclusive bounds and optional domain, ``proportional``,
    ``count``, ``deduction``, ``survey_scale``, ``percent_points``) or take points directly. Some
    maxima are left out where the format allows (``unmaxed``), some rulesets have other views and
    most have group bands covering 0–100. All four rounding modes, not-applicable policies (with
    per-node overrides) and tie rules occur. With ``terminating=True`` every division a rule makes
    terminates (targets and scales of the form 2^a·5^b), so every node's points are short decimals.
    """

    def build(data: dict[str, Any]) -> Ruleset:
        reg = registry or default_registry()
        return ruleset_from_data(data, reg.rule_kinds)

    return ruleset_data(
        kinds=kinds,
        max_depth=max_depth,
        max_children=max_children,
        views=views,
        groups=groups,
        unmaxed=unmaxed,
        terminating=terminating,
        ruleset_id=ruleset_id,
    ).map(build)


# ====================================================================== assessments
@dataclass(frozen=True)
class NodePlan:
    """What a valid input may give a node: at most ``cap`` points (None: unbounded) and at least
    ``lower``. ``scaled`` marks nodes below an unpublished maximum whose children's maxima exceed
    its share of the parent; excluding an item there would make the ancestors' maxima meaningless,
    so such nodes are never marked not applicable under ``exclude``."""

    node: Node
    parent: str | None
    cap: Decimal | None
    lower: Decimal
    scaled: bool
    policy: Literal["exclude", "full", "zero"]


def _natural(node: Node) -> Decimal | None:
    """The most points a node can score by its own structure, if known."""
    if node.maximum is not None:
        return node.maximum
    if node.children:
        parts = [_natural(c) for c in node.children]
        if any(p is None for p in parts):
            return None
        return sum((p for p in parts if p is not None), ZERO)
    return node.rule.max_points() if node.rule is not None else None


def _floor_share(value: Decimal) -> Decimal:
    return value.quantize(_SHARE_PLACES, rounding=decimal.ROUND_FLOOR, context=_FLOOR)


def plan(ruleset: Ruleset, view: str | None = None) -> dict[str, NodePlan]:
    """Bounds on every node's points that keep any combination of inputs valid.

    A node with a published maximum may score up to it. Siblings without one share what their
    parent's maximum leaves (equally, rounded down), and a node's own rule bounds it further. The
    budgets depend only on the ruleset, never on the other inputs drawn, so an input can be changed
    alone (monotonicity, self-assessed values) and the assessment stays valid.
    """
    out: dict[str, NodePlan] = {}

    def assign(
        nodes: Sequence[Node], budget: Decimal | None, scaled: bool, parent: str | None
    ) -> None:
        stated = sum((n.maximum for n in nodes if n.maximum is not None), ZERO)
        unmaxed = [n for n in nodes if n.maximum is None]
        inconsistent = budget is not None and stated > budget
        for n in nodes:
            if budget is None:
                b = n.maximum
            elif n.maximum is not None:
                b = (
                    n.maximum
                    if not inconsistent
                    else _floor_share(_FLOOR.divide(_FLOOR.multiply(n.maximum, budget), stated))
                )
            else:
                rest = ZERO if inconsistent else budget - stated
                b = _floor_share(_FLOOR.divide(rest, Decimal(len(unmaxed))))
            nat = _natural(n)
            known = [x for x in (b, nat) if x is not None]
            cap = min(known) if known else None
            lower = max(ZERO, n.minimum) if n.minimum is not None else ZERO
            out[n.code] = NodePlan(
                n, parent, cap, lower, scaled or inconsistent, ruleset.na_policy(n)
            )
            assign(n.children, cap, scaled or inconsistent, n.code)

    assign(ruleset.view_nodes(view), ruleset.maximum, False, None)
    return out


@dataclass(frozen=True)
class DrawnInput:
    """One drawn input with what it scores: ``how`` is ``rule`` (through the node's rule),
    ``direct`` (points given directly) or ``not_applicable``; ``key`` orders inputs of the same
    node and ``increasing`` says whether a larger key may only raise the points (None: no order)."""

    value: dict[str, Any]
    points: Decimal
    how: Literal["rule", "direct", "not_applicable"]
    key: Decimal | None = None
    increasing: bool | None = None
    self_value: dict[str, Any] | None = None


@dataclass
class DrawnAssessment:
    """An assessment with how it was drawn (for strategies built on top of it)."""

    ruleset: Ruleset
    view: str
    year: int
    plans: dict[str, NodePlan]
    inputs: dict[str, DrawnInput]
    scored: list[str] = field(default_factory=list)  # nodes that will be on the card
    missing: bool = False
    unit: Unit = field(default_factory=lambda: Unit(id="unit-1"))

    def build(
        self, inputs: Mapping[str, DrawnInput] | None = None, unit: Unit | None = None
    ) -> Assessment:
        chosen = self.inputs if inputs is None else inputs
        entries: dict[str, Any] = {}
        for code, inp in chosen.items():
            if inp.self_value is not None:
                entries[code] = {
                    "self": inp.self_value,
                    "appraised": {**inp.value, "reason": "appraised differently"},
                }
            else:
                entries[code] = inp.value
        data: dict[str, Any] = {
            "ruleset": self.ruleset.id,
            "year": self.year,
            "view": self.view,
            "version": self.ruleset.version,
            "unit": (unit or self.unit).model_dump(),
            "inputs": entries,
        }
        if self.missing:
            data["missing"] = "zero"
        return Assessment.model_validate(data)


@dataclass(frozen=True)
class _Config:
    not_applicable: bool
    direct_points: bool
    stages: bool
    missing: bool
    input_strategies: Mapping[str, InputStrategy]


_NO_FEEDS: Mapping[str, InputStrategy] = {}
_CANDIDATES: dict[
    tuple[int, int, Decimal | None, Decimal],
    tuple[Node, st.SearchStrategy[dict[str, Any]] | None],
] = {}


def _cached_candidates(
    rule: Rule | None, node: Node, p: NodePlan, cfg: _Config
) -> st.SearchStrategy[dict[str, Any]] | None:
    """:func:`_candidates`, built once per node and bounds (building strategies is not free)."""
    key = (id(node), id(cfg.input_strategies), p.cap, p.lower)
    hit = _CANDIDATES.get(key)
    if hit is not None and hit[0] is node:
        return hit[1]
    if len(_CANDIDATES) > 4096:
        _CANDIDATES.clear()
    made = _candidates(rule, node, p, cfg)
    _CANDIDATES[key] = (node, made)
    return made


_QUANTA = (_dec(1), _dec("0.5"), _dec("0.25"), _dec("0.01"))


def _points_value(
    draw: st.DrawFn, lower: Decimal, cap: Decimal | None, step: Decimal | None = None
) -> Decimal | None:
    """Points in [lower, cap] (a multiple of ``step`` when given); None when there are none."""
    hi = cap if cap is not None else _X.add(lower, Decimal(100))
    if hi < lower:
        return None
    quantum = step or _QUANTA[draw(st.integers(0, len(_QUANTA) - 1))]
    lo_n = int(_X.divide(lower, quantum).to_integral_value(rounding=decimal.ROUND_CEILING))
    hi_n = int(_X.divide(hi, quantum).to_integral_value(rounding=decimal.ROUND_FLOOR))
    ends = [e for e in (lower, hi) if step is None or _X.remainder(e, step) == 0]
    mode = draw(st.integers(0, 5))  # 0–3: on the grid, 4: the lowest, 5: the highest
    if hi_n >= lo_n and (mode < 4 or not ends):
        return _X.multiply(Decimal(draw(st.integers(lo_n, hi_n))), quantum)
    if not ends:
        return None
    return ends[0] if mode == 4 else ends[-1]


def _between(
    lo: Decimal, hi: Decimal, lo_in: bool, hi_in: bool
) -> st.SearchStrategy[Decimal] | None:
    """Decimals in the interval between lo and hi (each end included or not)."""
    if lo == hi:
        return st.just(lo) if lo_in and hi_in else None
    span = _X.subtract(hi, lo)
    half_percent = Decimal("0.005")
    inner = st.integers(1, 199).map(
        lambda k: _X.add(lo, _X.multiply(span, _X.multiply(Decimal(k), half_percent)))
    )
    parts = [inner]
    if lo_in:
        parts.append(st.just(lo))
    if hi_in:
        parts.append(st.just(hi))
    return st.one_of(parts)


def _tiers_measures(
    rule: Any, cap: Decimal | None, lower: Decimal
) -> st.SearchStrategy[dict[str, Any]] | None:
    dom_lo = rule.domain.min if rule.domain else None
    dom_hi = rule.domain.max if rule.domain else None
    parts = []
    for band in rule.bands:
        if (cap is not None and band.points > cap) or band.points < lower:
            continue
        lo, lo_in = band.min, band.min_inclusive
        hi, hi_in = band.max, band.max_inclusive
        if dom_lo is not None and (lo is None or lo < dom_lo):
            lo, lo_in = dom_lo, True
        if dom_hi is not None and (hi is None or hi > dom_hi):
            hi, hi_in = dom_hi, True
        if lo is None and hi is None:
            lo, lo_in, hi, hi_in = _dec(-100), True, _dec(100), True
        elif lo is None:
            assert hi is not None
            lo, lo_in = _X.subtract(hi, Decimal(100)), True
        elif hi is None:
            hi, hi_in = _X.add(lo, Decimal(100)), True
        if lo > hi:
            continue
        inside = _between(lo, hi, lo_in, hi_in)
        if inside is not None:
            parts.append(inside)
    if not parts:
        return None
    return st.one_of(parts).map(lambda x: {"measure": x})


def _decimals(lo: Decimal, hi: Decimal) -> st.SearchStrategy[Decimal]:
    """Decimals with up to 2 places in [lo, hi] (whatever they give after a division)."""
    return st.integers(
        int(_X.multiply(lo, Decimal(100)).to_integral_value(decimal.ROUND_CEILING)),
        int(_X.multiply(hi, Decimal(100)).to_integral_value(decimal.ROUND_FLOOR)),
    ).map(lambda k: Decimal(k).scaleb(-2))


def _scaled(base: Decimal, lo: int, hi: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(lo, hi).map(lambda k: _X.multiply(base, Decimal(k).scaleb(-places)))


def _candidates(
    rule: Rule | None, node: Node, p: NodePlan, cfg: _Config
) -> st.SearchStrategy[dict[str, Any]] | None:
    """Raw inputs for the node's rule (None: the generator does not know how to feed it)."""
    if rule is not None and rule.kind in cfg.input_strategies:
        return cfg.input_strategies[rule.kind](rule, node)
    if _is(rule, "choice"):
        keys = [
            k
            for k, pts in rule.options.items()
            if (p.cap is None or pts <= p.cap) and pts >= p.lower
        ]
        return st.sampled_from(keys).map(lambda k: {"choice": k}) if keys else None
    if _is(rule, "tiers"):
        return _tiers_measures(rule, p.cap, p.lower)
    if _is(rule, "proportional"):
        t = rule.target
        return st.one_of(
            _scaled(t, -50, 150, 2), _decimals(_X.divide(-t, 2), _X.multiply(t, 2))
        ).map(lambda x: {"measure": x})
    if _is(rule, "count", "deduction"):  # around the cap (or the zero floor) as often as not
        per = rule.per_item if rule.kind == "count" else rule.per_violation
        limit = rule.cap if rule.kind == "count" and rule.cap is not None else node.maximum
        return boundaries.count_edges(per, limit).map(lambda n: {"count": n})
    if _is(rule, "survey_scale"):
        span = Decimal(rule.levels - rule.lowest)
        low = Decimal(rule.lowest)
        return st.one_of(
            _scaled(span, 0, 100, 2).map(lambda x: _X.add(x, low)),
            _decimals(low, Decimal(rule.levels)),
        ).map(lambda x: {"measure": x})
    if _is(rule, "percent_points"):
        return st.one_of(_scaled(rule.scale, 0, 1000, 3), _decimals(ZERO, rule.scale)).map(
            lambda x: {"measure": x}
        )
    kind = rule.input_kind if rule is not None else "points"
    if kind == "measure":
        return st.one_of(
            st.integers(0, 10).map(Decimal),
            st.integers(-10, 200).map(Decimal),
            st.decimals(0, 100, places=2, allow_nan=False, allow_infinity=False),
            _decimals(ZERO, Decimal(10)),
        ).map(lambda x: {"measure": x})
    if kind == "count":
        return st.one_of(st.integers(0, 10), st.integers(0, 50)).map(lambda n: {"count": n})
    if kind == "choice":
        options = getattr(rule, "options", None)
        if isinstance(options, Mapping) and options:
            return st.sampled_from(sorted(map(str, options))).map(lambda k: {"choice": k})
        return None
    return None  # points: drawn by _points_value


def _fallbacks(rule: Rule | None, node: Node, p: NodePlan) -> list[dict[str, Any]]:
    """Inputs tried in turn when drawn ones do not fit: the lowest-scoring ones first."""
    if rule is None or rule.input_kind == "points":
        out = [p.lower]
        if p.cap is not None:
            out += [p.cap, _floor_share(_X.divide(p.lower + p.cap, 2))]
            out += [
                _floor_share(_X.multiply(p.cap, Decimal(k).scaleb(-1))) for k in range(9, 0, -1)
            ]
        return [{"points": v} for v in out]
    if _is(rule, "deduction") and node.maximum is not None:
        n = int(
            _X.divide(node.maximum, rule.per_violation).to_integral_value(
                rounding=decimal.ROUND_CEILING
            )
        )
        return [{"count": n}, {"count": n + 1}]
    if _is(rule, "survey_scale"):
        return [{"measure": Decimal(rule.lowest)}]
    if rule.input_kind == "count":
        return [{"count": 0}, {"count": 1}, {"count": 1000}]
    if rule.input_kind == "measure":
        return [{"measure": Decimal(v)} for v in (0, 1, -1, 100, 50, 10, 1000)]
    return []


def evaluate_input(rule: Rule | None, node: Node, raw: Mapping[str, Any]) -> Decimal | None:
    """Points ``raw`` gives through the node's rule, or None when the rule rejects it."""
    try:
        value = Value.model_validate(dict(raw))
    except ValidationError:
        return None
    if rule is None:
        return value.points
    if value.given != rule.input_kind:
        return None
    try:
        return rule.evaluate(value.raw(), node.maximum).points
    except ValueError:
        return None


def _fits(points: Decimal | None, node: Node, p: NodePlan) -> bool:
    """Whether a rule's points keep the node within its share of an unpublished maximum.

    Points above the node's own maximum, or below its minimum, are *not* filtered out: an input
    the rule accepts is valid, and a rule that scores it out of bounds is a bug the engine (and so
    the property suite) must report.
    """
    if points is None:
        return False
    shared = p.cap is not None and (node.maximum is None or p.cap < node.maximum)
    return not (shared and p.cap is not None and points > p.cap)


def _key(raw: Mapping[str, Any]) -> Decimal | None:
    for k in ("points", "measure", "count"):
        if raw.get(k) is not None:
            return Decimal(raw[k])
    return None


def direction(rule: Rule | None) -> bool | None:
    """Whether a larger input may only raise (True) or only lower (False) the rule's points, or
    neither (None). The kind says so (``Rule.increasing``), except for tiers, whose direction is
    that of their bands' points in measure order (a tier table may reward low measures)."""
    if rule is None:
        return True
    if _is(rule, "tiers"):
        neg_inf = Decimal("-Infinity")
        ordered = sorted(
            rule.bands,
            key=lambda b: (neg_inf if b.min is None else b.min, 0 if b.min_inclusive else 1),
        )
        points = [b.points for b in ordered]
        if all(x <= y for x, y in itertools.pairwise(points)):
            return True
        if all(x >= y for x, y in itertools.pairwise(points)):
            return False
        return None
    return rule.increasing


def _rule_input(
    draw: st.DrawFn, p: NodePlan, cfg: _Config, fallback: bool = True
) -> DrawnInput | None:
    """An input for a leaf through its rule, fitting the plan; None if none was found."""
    node, rule = p.node, p.node.rule
    increasing = direction(rule)
    strategy = _cached_candidates(rule, node, p, cfg)
    step = rule.step if _is(rule, "points") else None
    for _ in range(3):
        if strategy is None:
            if rule is not None and rule.input_kind != "points":
                break
            pts = _points_value(draw, p.lower, p.cap, step)
            if pts is None:
                break
            raw: dict[str, Any] = {"points": pts}
        else:
            raw = draw(strategy)
        got = evaluate_input(rule, node, raw)
        if _fits(got, node, p):
            assert got is not None
            return DrawnInput(raw, got, "rule", _key(raw), increasing)
    if not fallback:
        return None
    for raw in _fallbacks(rule, node, p):
        got = evaluate_input(rule, node, raw)
        if _fits(got, node, p):
            assert got is not None
            return DrawnInput(raw, got, "rule", _key(raw), increasing)
    return None


def _direct(draw: st.DrawFn, p: NodePlan) -> DrawnInput | None:
    step = p.node.rule.step if _is(p.node.rule, "points") else None
    pts = _points_value(draw, p.lower, p.cap, step)
    if pts is None:
        return None
    return DrawnInput({"points": pts}, pts, "direct", pts, True)


def na_allowed(p: NodePlan) -> bool:
    """Whether marking the node not applicable keeps the assessment valid and meaningful."""
    if p.policy == "full":
        return p.node.maximum is not None and (p.cap is None or p.node.maximum <= p.cap)
    if p.policy == "zero":
        return True
    return not p.scaled


def _na(p: NodePlan) -> DrawnInput:
    points = p.node.maximum if p.policy == "full" and p.node.maximum is not None else ZERO
    return DrawnInput({"not_applicable": True}, points, "not_applicable")


def _leaf(draw: st.DrawFn, p: NodePlan, cfg: _Config) -> DrawnInput:
    rule = p.node.rule
    if rule is not None and rule.input_kind != "points" and cfg.direct_points and _chance(draw, 5):
        got = _direct(draw, p)
        if got is not None:
            return got
    got = _rule_input(draw, p, cfg)
    if got is None and (rule is None or rule.input_kind != "points"):
        got = _direct(draw, p)
    if got is None and cfg.not_applicable and na_allowed(p) and p.policy != "full":
        got = _na(p)
    assume(got is not None)  # the rule accepts no input within the node's bounds
    assert got is not None
    return got


def _with_self(draw: st.DrawFn, inp: DrawnInput, p: NodePlan, cfg: _Config) -> DrawnInput:
    if not cfg.stages or inp.how == "not_applicable" or not _chance(draw, 10):
        return inp
    other = _rule_input(draw, p, cfg) if inp.how == "rule" else _direct(draw, p)
    if other is None or other.value == inp.value:
        return inp
    return DrawnInput(inp.value, inp.points, inp.how, inp.key, inp.increasing, other.value)


def _fill(draw: st.DrawFn, node: Node, d: DrawnAssessment, cfg: _Config) -> None:
    p = d.plans[node.code]
    d.scored.append(node.code)
    if cfg.not_applicable and na_allowed(p) and _chance(draw, 7):
        d.inputs[node.code] = _na(p)
        return
    if node.children:
        if cfg.direct_points and _chance(draw, 10):
            got = _direct(draw, p)
            if got is not None:
                d.inputs[node.code] = _with_self(draw, got, p, cfg)
                return
        for child in node.children:
            _fill(draw, child, d, cfg)
        return
    if d.missing and _chance(draw, 15):
        return
    d.inputs[node.code] = _with_self(draw, _leaf(draw, p, cfg), p, cfg)


_PLANS: dict[tuple[int, str], tuple[Ruleset, dict[str, NodePlan]]] = {}


def _plans_for(ruleset: Ruleset, view: str) -> dict[str, NodePlan]:
    key = (id(ruleset), view)
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    if len(_PLANS) > 256:
        _PLANS.clear()
    made = plan(ruleset, view)
    _PLANS[key] = (ruleset, made)
    return made


@st.composite
def drawn_assessments(
    draw: st.DrawFn,
    ruleset: Ruleset,
    year: int | None = None,
    *,
    view: str | None = None,
    unit: Unit | str | None = None,
    not_applicable: bool = True,
    direct_points: bool = True,
    stages: bool = True,
    missing: bool = True,
    input_strategies: Mapping[str, InputStrategy] | None = None,
) -> DrawnAssessment:
    """Like :func:`assessments`, but with the drawn inputs and per-node bounds kept."""
    cfg = _Config(not_applicable, direct_points, stages, missing, input_strategies or _NO_FEEDS)
    chosen_view = view or draw(st.sampled_from(ruleset.view_names))
    chosen_year = year if year is not None else draw(st.sampled_from(sorted(ruleset.years)))
    the_unit = Unit(id=unit) if isinstance(unit, str) else unit or Unit(id="unit-1")
    d = DrawnAssessment(
        ruleset,
        chosen_view,
        chosen_year,
        _plans_for(ruleset, chosen_view),
        {},
        missing=missing and _chance(draw, 15),
        unit=the_unit,
    )
    for top in ruleset.view_nodes(chosen_view):
        _fill(draw, top, d, cfg)
    return d


def assessments(
    ruleset: Ruleset,
    year: int | None = None,
    *,
    view: str | None = None,
    unit: Unit | str | None = None,
    not_applicable: bool = True,
    direct_points: bool = True,
    stages: bool = True,
    missing: bool = True,
    input_strategies: Mapping[str, InputStrategy] | None = None,
) -> st.SearchStrategy[Assessment]:
    """Valid assessments of ``ruleset`` (any ruleset, with any registered rule kinds).

    Each leaf gets an input its rule accepts: the standard kinds are fed knowingly (a choice among
    the options, a measure inside a tier band and the domain, …); a plugin's kind is fed from its
    ``input_kind`` (a measure, a count, the keys of an ``options`` mapping, points within the
    bounds) and the inputs its rule rejects are dropped; where nothing fits, the leaf is given
    points directly. ``input_strategies`` maps a rule kind to ``(rule, node) → strategy`` of raw
    inputs (e.g. ``{"measure": Decimal("3.5")}``) for kinds that need a particular feed.

    Every node stays within its maximum (where none is published, within its share of its parent's)
    and above its minimum. Optionally (all on by default) nodes are marked not applicable as their
    policy allows, internal nodes and leaves are given points directly, some inputs carry
    self-assessed and appraised values, and ``missing: zero`` assessments leave some leaves out.
    The view is drawn from the ruleset's views unless given; the year from its years.
    """
    return drawn_assessments(
        ruleset,
        year,
        view=view,
        unit=unit,
        not_applicable=not_applicable,
        direct_points=direct_points,
        stages=stages,
        missing=missing,
        input_strategies=input_strategies,
    ).map(lambda d: d.build())


# ====================================================================== pairs and batches
@dataclass(frozen=True)
class MonotonePair:
    """Two assessments differing only in the input of ``code``: ``higher``'s is the larger. When
    ``increasing`` the rule may only give more points for it, otherwise only fewer."""

    lower: Assessment
    higher: Assessment
    code: str
    increasing: bool


@dataclass(frozen=True)
class NotApplicablePair:
    """``after`` is ``before`` with node ``code`` marked not applicable (its subtree's inputs
    dropped)."""

    before: Assessment
    after: Assessment
    code: str


@st.composite
def monotone_pairs(
    draw: st.DrawFn, /, ruleset: Ruleset, year: int | None = None, **options: Any
) -> MonotonePair:
    """Pairs of assessments for the monotonicity property (see :class:`MonotonePair`)."""
    d = draw(drawn_assessments(ruleset, year, **options))
    cfg = _Config(True, True, True, True, options.get("input_strategies") or _NO_FEEDS)
    codes = [
        c
        for c, inp in d.inputs.items()
        if inp.how in ("rule", "direct") and inp.key is not None and inp.increasing is not None
    ]
    assume(codes)
    code = draw(st.sampled_from(codes))
    inp = d.inputs[code]
    p = d.plans[code]
    other = _rule_input(draw, p, cfg, fallback=False) if inp.how == "rule" else _direct(draw, p)
    assume(other is not None and other.key is not None and other.key != inp.key)
    assert other is not None and other.key is not None and inp.key is not None
    first_key, second_key = inp.key, other.key
    other = DrawnInput(
        other.value, other.points, other.how, other.key, other.increasing, inp.self_value
    )
    first, second = d.build(), d.build({**d.inputs, code: other})
    lower, higher = (first, second) if first_key < second_key else (second, first)
    assert inp.increasing is not None
    return MonotonePair(lower, higher, code, inp.increasing)


@st.composite
def not_applicable_pairs(
    draw: st.DrawFn, /, ruleset: Ruleset, year: int | None = None, **options: Any
) -> NotApplicablePair:
    """Pairs of assessments for the not-applicable property (see :class:`NotApplicablePair`)."""
    d = draw(drawn_assessments(ruleset, year, **options))
    codes = [
        c
        for c in d.scored
        if na_allowed(d.plans[c]) and (c not in d.inputs or d.inputs[c].how != "not_applicable")
    ]
    assume(codes)
    code = draw(st.sampled_from(codes))
    p = d.plans[code]
    below = {c for c in d.plans if _under(d.plans, c, code)}
    after = {c: v for c, v in d.inputs.items() if c not in below}
    after[code] = _na(p)
    return NotApplicablePair(d.build(), d.build(after), code)


def _under(plans: Mapping[str, NodePlan], code: str, ancestor: str) -> bool:
    cur = plans[code].parent
    while cur is not None:
        if cur == ancestor:
            return True
        cur = plans[cur].parent
    return False


@st.composite
def batches(
    draw: st.DrawFn,
    /,
    ruleset: Ruleset,
    year: int | None = None,
    *,
    min_size: int = 1,
    max_size: int = 6,
    **options: Any,
) -> list[Assessment]:
    """Assessments of distinct units for one ruleset, year and view, some of them tied copies."""
    chosen_year = year if year is not None else draw(st.sampled_from(sorted(ruleset.years)))
    view = options.pop("view", None) or draw(st.sampled_from(ruleset.view_names))
    n = draw(st.integers(min_size, max_size))
    drawn: list[DrawnAssessment] = []
    for _ in range(n):
        if drawn and _chance(draw, 30):
            drawn.append(draw(st.sampled_from(drawn)))
        else:
            drawn.append(draw(drawn_assessments(ruleset, chosen_year, view=view, **options)))
    return [
        d.build(unit=Unit(id=f"u{i + 1:02d}", name=f"Unit {i + 1}")) for i, d in enumerate(drawn)
    ]


__all__ = [
    "STANDARD_KINDS",
    "DrawnAssessment",
    "DrawnInput",
    "InputStrategy",
    "MonotonePair",
    "NodePlan",
    "NotApplicablePair",
    "assessments",
    "batches",
    "direction",
    "drawn_assessments",
    "evaluate_input",
    "monotone_pairs",
    "na_allowed",
    "not_applicable_pairs",
    "plan",
    "ruleset_data",
    "rulesets",
]
