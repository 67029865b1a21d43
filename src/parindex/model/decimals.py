"""Exact numbers: parsing user values into :class:`~decimal.Decimal` and the rounding rule.

Every computation runs in :data:`CONTEXT` (34 significant digits), so results do not depend on the
caller's decimal context and are identical from run to run.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

RoundingMode = Literal["half_up", "half_even", "down", "up"]

_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}

#: The context every score is computed in.
CONTEXT = decimal.Context(
    prec=34, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation]
)

#: Largest magnitude accepted for any number in a ruleset or assessment.
MAX_MAGNITUDE = Decimal("1e12")
#: A number written as text is read only up to this many digits and this exponent (±), as YAML
#: numbers are (``"1e-400"`` is refused, not read as a number too small to matter).
TEXT_DIGITS = 100
TEXT_EXPONENT = 100

#: Additions and subtractions of points run here: with unbounded precision a sum is exact, so a
#: parent's points are exactly its children's sum even when a rule's quotient used all 34 digits.
EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation],
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class NumberError(ValueError):
    """A value is not a finite decimal number in range."""


def to_decimal(value: object) -> Decimal:
    """Convert a YAML/JSON/CSV value to a finite Decimal, exactly.

    Floats are converted through ``repr`` (their shortest round-tripping text), because YAML and
    JSON writers print ``14.5`` and users mean the decimal they wrote, not the nearest binary float.
    """
    if isinstance(value, bool):
        raise NumberError(f"expected a number, got {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        if not text:
            raise NumberError("expected a number, got an empty string")
        if not text.isascii():  # Decimal() also reads ١٢ and １２ as 12
            raise NumberError(f"expected a number in ASCII digits, got {value[:40]!r}")
        try:
            result = Decimal(text)
        except decimal.InvalidOperation:
            raise NumberError(f"expected a number, got {value[:40]!r}") from None
    else:
        raise NumberError(f"expected a number, got {type(value).__name__} {value!r}")
    if not result.is_finite():
        raise NumberError(f"expected a finite number, got {value!r}")
    if result.copy_abs() > MAX_MAGNITUDE:  # copy_abs needs no context: no Overflow
        raise NumberError(f"number {value!r} is larger than {MAX_MAGNITUDE:E}")
    if isinstance(value, str) and (
        len(result.as_tuple().digits) > TEXT_DIGITS or abs(result.adjusted()) > TEXT_EXPONENT
    ):
        raise NumberError(
            f"number {value[:40]!r} is out of the range parindex reads (at most"
            f" {TEXT_DIGITS} digits, exponent within ±{TEXT_EXPONENT})"
        )
    if result.is_zero() and result.is_signed():  # -0.0 is 0: it must not print as -0.00
        result = result.copy_abs()
    return result


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of ``values`` (no rounding, whatever their number of digits)."""
    total = ZERO
    for v in values:
        total = EXACT.add(total, v)
    return total


def quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def round_to(value: Decimal, places: int, mode: RoundingMode = "half_up") -> Decimal:
    """Round ``value`` to ``places`` decimals with the named mode (``half_up`` by default)."""
    return value.quantize(quantum(places), rounding=_MODES[mode], context=CONTEXT)


def fmt(value: Decimal | None, places: int | None = None, *, locale: str = "en") -> str:
    """Format a decimal for people: fixed point, optional rounding, ``vi`` uses a decimal comma."""
    if value is None:
        return "—"
    if places is not None:
        value = round_to(value, places)
    if value.is_zero():  # -0.001 rounded is -0.00: print 0.00
        value = value.copy_abs()
    text = format(normalize(value) if places is None else value, "f")
    if locale == "vi":
        integer, _, fraction = text.partition(".")
        sign = "-" if integer.startswith("-") else ""
        integer = integer.lstrip("-")
        groups: list[str] = []
        while len(integer) > 3:
            groups.insert(0, integer[-3:])
            integer = integer[:-3]
        groups.insert(0, integer)
        text = sign + ".".join(groups) + ("," + fraction if fraction else "")
    return text


def normalize(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (``1E+1`` → ``10``)."""
    # EXACT, not CONTEXT: a sum may carry more than 34 digits, and printing must not round it.
    if value == value.to_integral_value(context=EXACT):
        return value.quantize(Decimal(1), context=EXACT)
    return value.normalize(context=EXACT)


def canonical(value: Decimal) -> str:
    """A canonical text for hashing and JSON: no exponent, no trailing zeros, no ``-0``."""
    return format(normalize(value.copy_abs() if value.is_zero() else value), "f")
