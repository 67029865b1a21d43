"""Each usual cause of a disagreement is recognised, and labelled as a hypothesis (issue 13)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rp_helpers import MIXED_YEAR, write

from parindex import Registry
from parindex.analysis.reproduce import Part, Target, diagnose, reproduce_file

COMPONENTS = "ruleset,year,unit,total,appraisal,sipas,leaders,impact\n"


def _target(published: str, *parts: tuple[str, str], survey: tuple[str, ...] = ()) -> Target:
    def quantum(text: str) -> Decimal:
        return Decimal(1).scaleb(Decimal(text).as_tuple().exponent)  # type: ignore[arg-type]

    return Target(
        "total",
        Decimal(published),
        published,
        quantum(published),
        tuple(Part(c, Decimal(t), t, quantum(t), c in survey) for c, t in parts),
    )


@pytest.mark.parametrize(
    ("target", "cause", "detail"),
    [
        # 4.1223 + 8.2223 = 12.3446 → 12.345 → 12.35 (rounded once: 12.34)
        (_target("12.35", ("a", "4.1223"), ("b", "8.2223")), "double rounding", "12.345"),
        # 10.1289 + 20.3378 = 30.4667: rounded 30.47, cut 30.46
        (_target("30.46", ("a", "10.1289"), ("b", "20.3378")), "truncation", "30.4667"),
        # 40.000 + 17.316 = 57.316 published as 57.136
        (_target("57.136", ("a", "40.000"), ("b", "17.316")), "two transposed digits", "57.316"),
        (
            _target("59.56", ("a", "50.00"), ("b", "9.56"), ("c", "18.83")),
            "a component missing",
            "without c",
        ),
        (
            _target("87.95", ("a", "50.00"), ("b", "9.56"), ("c", "18.83")),
            "a component counted twice",
            "b (9.56) twice",
        ),
        (
            _target(
                "62.66",
                ("appraisal", "57.66"),
                ("sipas", "9.56"),
                ("leaders", "18.83"),
                ("impact", "5.00"),
                survey=("sipas", "leaders"),
            ),
            "the total taken before the survey part",
            "28.39",
        ),
        # 91.05 published as 91.95: no transposition fits, one digit does
        (
            _target("91.95", ("a", "57.66"), ("b", "9.56"), ("c", "18.83"), ("d", "5.00")),
            "a one-digit typo in the published total",
            "91.05",
        ),
        # a part mistyped: 18.83 written 18.38 makes 90.60 instead of 91.05
        (
            _target("91.05", ("a", "57.66"), ("b", "9.56"), ("c", "18.38"), ("d", "5.00")),
            "two transposed digits in c",
            "18.83 published as 18.38",
        ),
    ],
)
def test_each_cause_is_recognised(target: Target, cause: str, detail: str) -> None:
    assert abs(target.computed - target.published) > target.tolerance  # a real disagreement
    text = diagnose(target)
    assert text.startswith("hypothesis: " + cause), text
    assert detail in text.split(";")[0], text


def test_no_cause_fits() -> None:
    target = _target("80.00", ("a", "57.66"), ("b", "9.56"), ("c", "18.83"), ("d", "5.00"))
    text = diagnose(target)
    assert text.startswith("hypothesis: none of the usual causes fits")
    assert "11.05" in text and "0.025" in text  # the gap and the tolerance


def test_a_diagnosis_is_never_a_correction(tmp_path: Path, reg: Registry) -> None:
    # Quảng Ninh's components with the total typed 91.40 instead of 91.04: reported, not changed
    f = write(tmp_path, COMPONENTS + "moha.province,2020,QN,91.40,57.66,9.56,18.83,5\n")
    (r,) = reproduce_file(f, registry=reg).rows
    assert r.status == "disagree" and r.row.total == Decimal("91.40")
    assert r.computed_total == Decimal("91.05") and r.difference == Decimal("-0.35")
    assert r.diagnosis is not None
    assert r.diagnosis.startswith("total: hypothesis: two transposed digits")
    assert "91.04 (the parts' sum 91.05) published as 91.40" in r.diagnosis


def test_an_intermediate_node_is_diagnosed_with_its_own_parts(
    tmp_path: Path, reg: Registry
) -> None:
    # A = A.1 + A.2 + A.3 = 6.00 + 7.00 + 8.00 = 21.00, published 12.00 (digits swapped)
    header = "ruleset,year,unit,total,A,A.1,A.2,A.3,B,C\n"
    f = write(
        tmp_path, header + f"test.mixed,{MIXED_YEAR},X,31.00,12.00,6.00,7.00,8.00,5.00,5.00\n"
    )
    (r,) = reproduce_file(f, registry=reg).rows
    assert r.status == "disagree" and r.total_within is True
    (check,) = [c for c in r.node_checks if not c.within]
    assert check.code == "A" and check.parts == ("A.1", "A.2", "A.3")
    assert r.diagnosis == (
        "A: hypothesis: two transposed digits in the published A: 21.00 (the parts' sum 21.00)"
        " published as 12.00"
    )


def test_agreeing_rows_have_no_diagnosis(tmp_path: Path, reg: Registry) -> None:
    f = write(tmp_path, COMPONENTS + "moha.province,2020,QN,91.04,57.66,9.56,18.83,5\n")
    (r,) = reproduce_file(f, registry=reg).rows
    assert r.status == "agree" and r.diagnosis is None
