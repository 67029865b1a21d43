"""One assessment, fast: total, index and group from the compiled plan, in exact Python integers.

numpy pays off from about a hundred units; for one unit its per-call overhead dominates. Here the
same compiled plan (:mod:`parindex.scoring.fast.compile`) is evaluated with Python integers as exact
rationals (``num / den`` per input, cross-multiplied comparisons, one rounding at the end) — no
score card, no per-node objects. The result equals the reference engine's total, index and group;
whenever the plan or the unit falls outside what is decided here exactly (self/appraised stages,
another ruleset or year, an invalid value, a sum that needs checking against a node's maximum, a
rounding tie reached through an inexact Decimal division) the reference engine scores it (and
raises its error for an invalid unit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from math import gcd
from typing import Any

from parindex.model.documents import Assessment, Ruleset
from parindex.scoring.fast.compile import CompiledRuleset, Plan, Signature
from parindex.scoring.fast.points import evaluator as _evaluator

Rational = tuple[int, int]  # (numerator, positive denominator)
Evaluator = Callable[[Any], Rational | None]


@dataclass(frozen=True)
class OneScore:
    total: Decimal
    index: Decimal | None
    group: str | None
    engine: bool = False  # True when the reference engine scored it


@dataclass(frozen=True)
class _Program:
    plan: Plan
    steps: tuple[tuple[str, str, Evaluator], ...]
    inexact: bool  # a division whose Decimal result may not terminate


_PROGRAMS: dict[tuple[int, str, Signature], tuple[CompiledRuleset, _Program | None]] = {}


def score_one(ruleset: Ruleset | CompiledRuleset, assessment: Assessment) -> OneScore:
    """Total, index and group of one assessment, equal to ``engine.score``'s."""
    from parindex.scoring.fast.batch import compiled_for

    compiled = compiled_for(ruleset)
    got = _run(compiled, assessment)
    if got is not None:
        return got
    from parindex.scoring import engine
    from parindex.scoring.fast.batch import default_rule

    card = engine.score(compiled.ruleset, assessment, default_rule())
    return OneScore(card.total, card.index, card.group, engine=True)


def _run(compiled: CompiledRuleset, a: Assessment) -> OneScore | None:
    rs = compiled.ruleset
    if (
        a.ruleset != rs.id
        or a.year not in rs.years
        or (a.version is not None and a.version != rs.version)
    ):
        return None
    items: list[tuple[str, str]] = []
    for code, entry in a.inputs.items():
        v = entry.value
        if v is None:
            return None
        items.append((code, v.given))
    prog = _program_for(compiled, a, tuple(items))
    if prog is None:
        return None
    inputs = a.inputs
    got = _evaluate(compiled, prog, [getattr(inputs[c].value, attr) for c, attr, _ in prog.steps])
    if got is None:
        return None
    places = compiled.places
    total, index, at = got
    return OneScore(
        Decimal(total).scaleb(-places),
        None if index is None else Decimal(index).scaleb(-places),
        None if at < 0 else compiled.groups[at].label,
    )


def _evaluate(
    compiled: CompiledRuleset, prog: _Program, values: list[Any]
) -> tuple[int, int | None, int] | None:
    """The rounded total and index (integers × 10^places) and the group's position in
    ``compiled.groups`` (−1: none) of one unit whose inputs are ``values``, in the order of the
    program's steps; None when the reference engine must decide (an invalid value, a sum whose
    digits it might round, a tie reached through an inexact division)."""
    num, den = prog.plan.constant.numerator, prog.plan.constant.denominator
    size = abs(num) / den
    # points added up per denominator, then the few denominators merged: the same numerator and
    # denominator (their lcm) as adding one input at a time, with one gcd per denominator
    by_den: dict[int, int] = {}
    for (_, _, ev), x in zip(prog.steps, values, strict=True):
        r = ev(x)
        if r is None:
            return None  # invalid: the engine raises its error
        n2, d2 = r
        size += abs(n2) / d2
        by_den[d2] = by_den.get(d2, 0) + n2
    for d2, n2 in by_den.items():
        g = gcd(den, d2)
        num = num * (d2 // g) + n2 * (den // g)
        den = den // g * d2
    if size >= 1e9 or not _short(num, den, size):
        return None  # the engine's 28-digit sums might round: let it decide
    places, mode = compiled.places, compiled.mode
    p = 10**places
    total, tie_t = _round(num * p, den, mode)
    index = None
    at = -1
    tie_i = False
    m = prog.plan.maximum
    if m is not None and m != 0:
        if m < 0:
            return None
        index, tie_i = _round(num * 100 * p * m.denominator, den * m.numerator, mode)
        at = _group_at(compiled, index)
    if prog.inexact and (tie_t or tie_i or den > 10**15):
        return None  # a tie reached through an inexact division: the engine's digits decide
    return total, index, at


def _program_for(
    compiled: CompiledRuleset, a: Assessment, items: tuple[tuple[str, str], ...]
) -> _Program | None:
    """The program of the assessment's view and signature, looked up by its inputs in the order
    given (units of one batch give them in one order: no sort, no view search per unit)."""
    by_order = compiled.cache.get("scalar programs")
    if by_order is None:
        by_order = compiled.cache["scalar programs"] = {}
    key = (a.view, items, a.missing)
    if key in by_order:
        got: _Program | None = by_order[key]
        return got
    view = a.view or _view_of(compiled, a)
    prog = None
    if view is not None:
        sig: Signature = (tuple(sorted(items)), a.missing)  # type: ignore[arg-type]
        prog = _program(compiled, view, sig)
    if len(by_order) > 256:
        by_order.clear()
    by_order[key] = prog
    return prog


def _short(num: int, den: int, size: float) -> bool:
    """True when a total of at most ``size`` over ``den`` has few enough digits that the engine's
    sums (28 significant digits) are exact — or when the plan is inexact anyway."""
    e2 = e5 = 0
    d = den
    while d % 2 == 0:
        d //= 2
        e2 += 1
    while d % 5 == 0:
        d //= 5
        e5 += 1
    if d != 1:
        return True  # not a terminating decimal: the plan is inexact and ties are checked
    return len(str(int(size * 10 ** max(e2, e5)) + 1)) <= 26


def _view_of(compiled: CompiledRuleset, a: Assessment) -> str | None:
    """The view the input codes belong to (None: unknown codes or several views)."""
    where = compiled.cache.get("views")
    if where is None:
        where = {n.code: v for v, n in compiled.ruleset.all_nodes()}
        compiled.cache["views"] = where
    views = {where.get(c) for c in a.inputs}
    if not views:
        return "main"
    if None in views or len(views) > 1:
        return None
    got = views.pop()
    return str(got)


def _round(num: int, den: int, mode: str) -> tuple[int, bool]:
    """``num / den`` rounded with a Decimal mode; and whether it sat on a rounding boundary."""
    neg = num < 0
    q, r = divmod(-num if neg else num, den)
    if mode == "half_up":
        tie = 2 * r == den
        q += 2 * r >= den
    elif mode == "half_even":
        tie = 2 * r == den
        q += 2 * r > den or (tie and q % 2 == 1)
    elif mode == "up":
        tie = r == 0
        q += r > 0
    else:
        tie = r == 0
    return (-q if neg else q), tie


def _group_at(compiled: CompiledRuleset, index: int) -> int:
    """The position in ``compiled.groups`` of the band holding ``index`` (−1: none)."""
    p = 10**compiled.places
    for at, g in enumerate(compiled.groups):  # min descending, as classify() tries them
        f = g.min * p
        if g.min_inclusive:
            th = -((-f.numerator) // f.denominator)
        else:
            th = f.numerator // f.denominator + 1
        if index >= th:
            return at
    return -1


def _program(compiled: CompiledRuleset, view: str, sig: Signature) -> _Program | None:
    key = (id(compiled), view, sig)
    got = _PROGRAMS.get(key)
    if got is not None and got[0] is compiled:
        return got[1]
    plan = compiled.plan(view, sig)
    prog: _Program | None = None
    if plan.static_error is None and plan.unsupported is None and not plan.checks:
        steps = []
        inexact = False
        for col in plan.columns:
            ev, exact = _evaluator(col)
            inexact = inexact or not exact
            steps.append((col.code, col.input, ev))
        prog = _Program(plan, tuple(steps), inexact)
    if len(_PROGRAMS) > 256:
        _PROGRAMS.clear()
    _PROGRAMS[key] = (compiled, prog)
    return prog


__all__ = ["OneScore", "score_one"]
