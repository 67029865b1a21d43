"""The precision of each published number, and the gap its rounding allows.

Every number of a published row carries its own precision, read from the text as written: its
*quantum* is the unit of its last written digit (0.01 for ``57.66``, 0.0001 for ``57.0401``, 0.1
for ``87.9``, 0.00001 for ``1e-5``). A rounded number is at most half a quantum from the value it
stands for, so:

* a total recomputed from parts may differ from the published total by the half-quanta of the
  parts it is computed from plus the half-quantum of the published total;
* a published intermediate node (a dimension next to its sub-dimensions) likewise, with the parts
  under it and its own half-quantum.

A number written as a bare integer (``5``: digits only, no decimal point, no exponent) cannot show
its precision: a table printing ``57.66, 9.56, 18.83, 5`` means ``5.00``. It is read at the finest
quantum of the row's other numbers (``5`` among 2-decimal values is ``5.00``; among a 4-decimal and
2-decimal values, ``5.0000``); in a row of bare integers only, its quantum is 1.

Worked example: ``total 87.9, appraisal 57.0401, sipas 8.19, leaders 18.34, impact 4.32`` allows
0.00005 + 3 × 0.005 + 0.05 = 0.06505 (the recomputed 87.8901 is 0.0099 from 87.9: agree).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from parindex.model.decimals import EXACT, exact_sum, normalize

_BARE_INTEGER = re.compile(r"^[+-]?[0-9_]+$")
_HALF = Decimal("0.5")


def is_bare_integer(text: str) -> bool:
    """True for a number written with digits only (``5``, ``-12``), which shows no precision."""
    return bool(_BARE_INTEGER.match(text.strip()))


def written_quantum(value: Decimal) -> Decimal:
    """The unit of the last digit of ``value`` as written (Decimal keeps its exponent)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number: the reader rejects NaN and infinities
    return Decimal(1).scaleb(exponent, context=EXACT)


def row_quanta(texts: Mapping[str, str], values: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """The quantum of every number of one row (keys as in ``values``), bare integers included.

    ``texts`` holds each number as written, ``values`` the same numbers parsed.
    """
    own = {k: written_quantum(v) for k, v in values.items() if not is_bare_integer(texts[k])}
    finest = min(own.values(), default=Decimal(1))
    # A bare integer next to decimals is read at the row's finest precision (5 → 5.00).
    return {k: own.get(k, finest) for k in values}


def half_unit(quantum: Decimal) -> Decimal:
    """Half of ``quantum``: the largest gap between a rounded number and what it stands for."""
    return EXACT.multiply(quantum, _HALF)


def allowed_gap(part_quanta: Iterable[Decimal], own_quantum: Decimal | None) -> Decimal:
    """The half-quanta of the parts a number is computed from, plus its own (when published)."""
    halves = [half_unit(q) for q in part_quanta]
    if own_quantum is not None:
        halves.append(half_unit(own_quantum))
    return normalize(exact_sum(halves))


def decimals_of(quantum: Decimal) -> int:
    """How many decimals a quantum stands for (0 for 1 and for coarser quanta)."""
    exponent = quantum.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)
