"""Why a published number disagrees: the usual causes, tested one by one.

For a published number P that is not within its tolerance of the sum C of its published parts,
each cause is tested against the numbers as written (P's quantum q, each part's quantum, the
tolerance t = the parts' half-quanta + P's half-quantum):

1. **double rounding** — the exact value rounded first to k decimals, then to P's (12.3446 →
   12.345 → 12.35), for some k between P's decimals and the parts';
2. **truncation instead of rounding** — of the total (P = C cut to q), or of the parts (their
   exact values lie in [part, part + its quantum), and P rounds a value in that range);
3. **two transposed digits** — in P (57.136 for 57.316) or in one part: with the two adjacent
   digits swapped, the number fits within t;
4. **a component missing or counted twice** — C − part or C + part is within t of P;
5. **the total taken before or after the survey part** — C − S or C + S is within t of P, where S
   is the sum of the parts whose method is ``survey`` (when some parts are not survey parts);
6. **a one-digit typo** — in P or in one part: one digit replaced, the number fits within t.

The first cause that fits is reported, with the others that fit too. It is a *hypothesis*,
labelled so, never a correction: nothing is changed in the published data.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from parindex.analysis.reproduce.tolerance import decimals_of, half_unit
from parindex.model.decimals import EXACT, exact_sum

#: Beyond these, numbers are not worth testing digit by digit (and quantize would be costly).
MAX_TEXT = 32
MAX_DECIMALS = 30
MAX_PARTS = 400


@dataclass(frozen=True)
class Part:
    """One published number a total (or a node) is recomputed from."""

    code: str
    value: Decimal
    text: str
    quantum: Decimal
    survey: bool = False


@dataclass(frozen=True)
class Target:
    """A published number and what it is recomputed from."""

    label: str  # "total" or a node code
    published: Decimal
    text: str
    quantum: Decimal
    parts: tuple[Part, ...]

    @property
    def computed(self) -> Decimal:
        return exact_sum(p.value for p in self.parts)

    @property
    def parts_gap(self) -> Decimal:
        return exact_sum(half_unit(p.quantum) for p in self.parts)

    @property
    def tolerance(self) -> Decimal:
        return EXACT.add(self.parts_gap, half_unit(self.quantum))


def diagnose(target: Target) -> str:
    """``hypothesis: …`` for a number outside its tolerance (or that no usual cause fits).

    A number within its tolerance gets no hypothesis, only a sentence saying so: tested anyway,
    a one-digit change that rounding alone explains would "fit" and mislead."""
    gap = EXACT.subtract(target.computed, target.published)
    if gap.is_finite() and abs(gap) <= target.tolerance:  # NaN: not comparable, no crash
        return (
            f"no disagreement: the gap {_f(gap)} is within the tolerance {_f(target.tolerance)};"
            " nothing to diagnose"
        )
    found = [text for test in _TESTS for text in _safe(test, target)]
    if not found:
        return (
            "hypothesis: none of the usual causes fits (double rounding, truncation, transposed"
            " digits, a missing or doubled component, the total before or after the survey"
            f" part, a one-digit typo); the gap {_f(gap)} exceeds the tolerance"
            f" {_f(target.tolerance)}"
        )
    text = f"hypothesis: {found[0]}"
    if len(found) > 1:
        text += "; also fits: " + "; ".join(found[1:3])
        if len(found) > 3:
            text += f" (and {len(found) - 3} more)"
    return text


def _safe(test: Callable[[Target], list[str]], target: Target) -> list[str]:
    if len(target.parts) > MAX_PARTS or decimals_of(target.quantum) > MAX_DECIMALS:
        return []
    if any(decimals_of(p.quantum) > MAX_DECIMALS for p in target.parts):
        return []
    try:
        return test(target)
    except (ArithmeticError, ValueError):  # an extreme number: no hypothesis rather than a crash
        return []


def _f(value: Decimal) -> str:
    """A number as computed from the published ones: their decimals kept, no exponent (unless
    it would print hundreds of digits)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= 2 * MAX_DECIMALS and value.adjusted() < 40:
        return format(value, "f")
    return str(value)


def _round(value: Decimal, quantum: Decimal, mode: str = decimal.ROUND_HALF_UP) -> Decimal:
    return value.quantize(quantum, rounding=mode, context=EXACT)


def _within(a: Decimal, b: Decimal, gap: Decimal) -> bool:
    return abs(EXACT.subtract(a, b)) <= gap


def _covers(f: Callable[[Decimal], Decimal], lo: Decimal, hi: Decimal, value: Decimal) -> bool:
    """Whether the monotone step function ``f`` takes ``value`` somewhere on [lo, hi]."""
    return f(lo) <= value <= f(hi)


def _range(t: Target) -> tuple[Decimal, Decimal]:
    c, gap = t.computed, t.parts_gap
    return EXACT.subtract(c, gap), EXACT.add(c, gap)


# ------------------------------------------------------------------------------- the tests
def _double_rounding(t: Target) -> list[str]:
    # plain rounding does not fit: the number is outside its tolerance (see ``diagnose``)
    q = t.quantum
    lo, hi = _range(t)
    p = decimals_of(q)
    finest = max((decimals_of(part.quantum) for part in t.parts), default=0)
    for k in range(p + 1, finest):
        step = Decimal(1).scaleb(-k, context=EXACT)

        def twice(x: Decimal, step: Decimal = step) -> Decimal:
            return _round(_round(x, step), q)

        if _covers(twice, lo, hi, t.published):
            c = t.computed
            return [
                f"double rounding: {_f(c)} rounded to {k} decimals"
                f" ({format(_round(c, step), 'f')}), then to {p}"
                f" ({format(twice(c), 'f')}), gives the published {t.text}"
            ]
    return []


def _truncation(t: Target) -> list[str]:
    q = t.quantum
    lo, hi = _range(t)
    out = []
    if not _covers(lambda x: _round(x, q), lo, hi, t.published) and _covers(
        lambda x: _round(x, q, decimal.ROUND_DOWN), lo, hi, t.published
    ):
        out.append(
            f"truncation instead of rounding: {_f(t.computed)} cut (not rounded) to"
            f" {decimals_of(q)} decimals gives the published {t.text}"
        )
    c = t.computed
    top = EXACT.add(c, exact_sum(p.quantum for p in t.parts))
    if (
        not _within(c, t.published, t.tolerance)
        and _round(c, q) <= t.published <= _round(top, q)
        and t.published != _round(c, q)
    ):
        out.append(
            "truncated parts: if the parts were cut (not rounded), their exact sum lies in"
            f" [{_f(c)}, {_f(top)}), which rounds to the published {t.text}"
        )
    return out


def _transposed(t: Target) -> list[str]:
    return _digit_changes(t, _swaps, "two transposed digits")


def _typo(t: Target) -> list[str]:
    return _digit_changes(t, _replacements, "a one-digit typo")


def _digit_changes(t: Target, variants: Callable[[str], Iterator[str]], what: str) -> list[str]:
    out: list[str] = []
    c, tol = t.computed, t.tolerance
    if len(t.text) <= MAX_TEXT:
        fits = [v for v in variants(t.text) if _within(c, Decimal(v), tol)]
        if fits:
            best = min(fits, key=lambda v: abs(EXACT.subtract(c, Decimal(v))))
            out.append(
                f"{what} in the published {t.label}: {best} (the parts' sum {_f(c)})"
                f" published as {t.text}"
            )
    for part in t.parts:
        if len(part.text) > MAX_TEXT:
            continue
        near: list[tuple[Decimal, str]] = []
        for v in variants(part.text):
            changed = EXACT.add(EXACT.subtract(c, part.value), Decimal(v))
            if _within(changed, t.published, tol):
                near.append((abs(EXACT.subtract(changed, t.published)), v))
        if near:
            _, best = min(near)
            out.append(f"{what} in {part.code}: {best} published as {part.text}")
    return out


def _swaps(text: str) -> Iterator[str]:
    """``text`` with two adjacent digits swapped (the decimal point stays where it is)."""
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    for a, b in pairwise(positions):
        if text[a] != text[b]:
            chars = list(text)
            chars[a], chars[b] = chars[b], chars[a]
            yield from _written("".join(chars))


def _replacements(text: str) -> Iterator[str]:
    """``text`` with one digit replaced by another."""
    for i, ch in enumerate(text):
        if ch.isdigit():
            for d in "0123456789":
                if d != ch:
                    yield from _written(text[:i] + d + text[i + 1 :])


def _written(text: str) -> Iterator[str]:
    """``text`` unless it starts with a zero nobody writes (``08.0``; ``0.5`` is fine)."""
    digits = text.lstrip("+-")
    if not (len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()):
        yield text


def _missing_or_twice(t: Target) -> list[str]:
    out: list[str] = []
    c, tol = t.computed, t.tolerance
    if len(t.parts) < 2:
        return out
    for part in t.parts:
        if part.value == 0:
            continue
        h = half_unit(part.quantum)
        if _within(EXACT.subtract(c, part.value), t.published, EXACT.subtract(tol, h)):
            out.append(
                f"a component missing: without {part.code} ({part.text}) the parts add up to"
                f" {_f(EXACT.subtract(c, part.value))}, the published {t.text}"
            )
        if _within(EXACT.add(c, part.value), t.published, EXACT.add(tol, h)):
            out.append(
                f"a component counted twice: with {part.code} ({part.text}) twice the parts add"
                f" up to {_f(EXACT.add(c, part.value))}, the published {t.text}"
            )
    return out


def _survey(t: Target) -> list[str]:
    survey = [p for p in t.parts if p.survey]
    if not survey or len(survey) == len(t.parts):
        return []
    s = exact_sum(p.value for p in survey)
    if s == 0:
        return []
    h = exact_sum(half_unit(p.quantum) for p in survey)
    c, tol = t.computed, t.tolerance
    codes = ", ".join(p.code for p in survey)
    out = []
    if _within(EXACT.subtract(c, s), t.published, EXACT.subtract(tol, h)):
        out.append(
            f"the total taken before the survey part: without the survey points ({codes}:"
            f" {_f(s)}) the parts add up to {_f(EXACT.subtract(c, s))}, the"
            f" published {t.text}"
        )
    if _within(EXACT.add(c, s), t.published, EXACT.add(tol, h)):
        out.append(
            f"the total taken after the survey part was added a second time: with the survey"
            f" points ({codes}: {_f(s)}) twice the parts add up to"
            f" {_f(EXACT.add(c, s))}, the published {t.text}"
        )
    return out


#: In order of specificity: the first that fits is reported first.
_TESTS: Sequence[Callable[[Target], list[str]]] = (
    _double_rounding,
    _truncation,
    _transposed,
    _missing_or_twice,
    _survey,
    _typo,
)


# ------------------------------------------------------------------------- order and ranks
def variant_hypothesis(text: str, fits: Callable[[Decimal], bool]) -> str | None:
    """``two transposed digits: X published as Y`` (or a one-digit typo) for the variant of the
    published ``text`` closest to it that ``fits``; None when none does."""
    if len(text) > MAX_TEXT:
        return None
    original = Decimal(text)
    for what, variants in (("two transposed digits", _swaps), ("a one-digit typo", _replacements)):
        try:
            candidates = [v for v in variants(text) if fits(Decimal(v))]
        except (ArithmeticError, ValueError):
            return None
        if candidates:
            best = min(candidates, key=lambda v: abs(EXACT.subtract(Decimal(v), original)))
            return f"{what}: {best} published as {text}"
    return None


def order_hypothesis(
    text: str, quantum: Decimal, lowest: Decimal | None, highest: Decimal | None
) -> str | None:
    """A transposition or one-digit typo of a published total ``text`` that would put it between
    ``lowest`` (it must be able to exceed the rows ranked below: above lowest − its half-unit) and
    ``highest`` (it must not be sure to exceed the rows ranked above)."""
    if decimals_of(quantum) > MAX_DECIMALS:
        return None
    h = half_unit(quantum)

    def fits(v: Decimal) -> bool:
        return (lowest is None or EXACT.add(v, h) > lowest) and (
            highest is None or EXACT.subtract(v, h) < highest
        )

    found = variant_hypothesis(text, fits)
    return f"hypothesis: {found} would fit the published ranks" if found else None
