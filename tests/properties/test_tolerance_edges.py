"""The reproduce tolerance at its edges: quanta as written, gaps summed exactly, and a check that
sits exactly on its tolerance (inside) and one smallest step beyond it (outside).

Each expectation is computed by hand from the rule in parindex.analysis.reproduce.tolerance's
docstring: a number is within half its quantum of what it stands for.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from parindex.analysis.reproduce.tolerance import (
    allowed_gap,
    decimals_of,
    half_unit,
    is_bare_integer,
    row_quanta,
    written_quantum,
)
from parindex.analysis.reproduce.verdict import NodeCheck


@pytest.mark.parametrize(
    ("text", "quantum"),
    [("57.66", "0.01"), ("57.0401", "0.0001"), ("87.9", "0.1"), ("1e-5", "0.00001"), ("5", "1")],
)
def test_quantum_is_the_last_written_digit(text: str, quantum: str) -> None:
    assert written_quantum(D(text)) == D(quantum)


def test_bare_integers() -> None:
    assert is_bare_integer("5") and is_bare_integer("-12") and is_bare_integer(" 1_000 ")
    assert not is_bare_integer("5.0") and not is_bare_integer("5e0") and not is_bare_integer("")


def test_a_bare_integer_takes_the_rows_finest_quantum() -> None:
    texts = {"a": "57.66", "b": "9.5601", "c": "5"}
    got = row_quanta(texts, {k: D(v) for k, v in texts.items()})
    assert got == {"a": D("0.01"), "b": D("0.0001"), "c": D("0.0001")}
    only = {"x": "5", "y": "12"}
    assert row_quanta(only, {k: D(v) for k, v in only.items()}) == {"x": D(1), "y": D(1)}


def test_the_worked_example_of_the_docstring() -> None:
    # total 87.9 (0.1); appraisal 57.0401 (0.0001); three parts of 0.01:
    # 0.00005 + 3 × 0.005 + 0.05 = 0.06505
    parts = [D("0.0001"), D("0.01"), D("0.01"), D("0.01")]
    assert allowed_gap(parts, D("0.1")) == D("0.06505")
    assert allowed_gap(parts, None) == D("0.01505")  # no published total: the parts' only
    assert allowed_gap([], D("0.01")) == D("0.005")
    assert half_unit(D("0.001")) == D("0.0005")


@pytest.mark.parametrize(("quantum", "places"), [("0.01", 2), ("1", 0), ("10", 0), ("1e-5", 5)])
def test_decimals_of(quantum: str, places: int) -> None:
    assert decimals_of(D(quantum)) == places


def test_a_difference_exactly_at_the_tolerance_is_within() -> None:
    tol = allowed_gap([D("0.01"), D("0.01")], D("0.01"))  # 3 × 0.005 = 0.015
    assert tol == D("0.015")
    at = NodeCheck("1", D("10.00"), D("10.015"), D("0.015"), tol)
    below = NodeCheck("1", D("10.00"), D("9.985"), D("-0.015"), tol)
    beyond = NodeCheck("1", D("10.00"), D("10.0150001"), D("0.0150001"), tol)
    assert at.within and below.within
    assert not beyond.within
