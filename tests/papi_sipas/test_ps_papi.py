"""PAPI rulesets, the papi_subdimension rule kind, and batch groups."""

from __future__ import annotations

import csv
import statistics
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex import Assessment, score
from parindex.io.registry import Registry
from parindex.model.documents import Ruleset
from parindex.model.errors import InputValueError, ParindexError, PointsAboveMaximumError
from parindex_papi_sipas.groups import LABELS, batch_groups, groups_by_dimension, quantile
from parindex_papi_sipas.kinds import PapiSubdimension

# regime → (years, dimensions, sub-dimension count, maximum)
REGIMES = {
    "2011": ([2011, 2012, 2013, 2014, 2015], 6, 22, 60),
    "2016": ([2016, 2017], 6, 22, 60),
    "2018": ([2018], 8, 28, 80),
    "2019": ([2019, 2020], 8, 29, 80),
    "2021": ([2021, 2022, 2023, 2024], 8, 28, 80),
}


def _subs(rs: Ruleset) -> list[str]:
    return [c.code for top in rs.nodes for c in top.children]


@pytest.mark.parametrize("version", list(REGIMES))
def test_regime_structure(reg: Registry, version: str) -> None:
    years, dims, subs, maximum = REGIMES[version]
    for year in years:
        assert reg.get("papi", year).version == version
    rs = reg.get("papi", years[0])
    assert rs.maximum == maximum
    assert [n.code for n in rs.nodes] == [f"D{i}" for i in range(1, dims + 1)]
    assert len(_subs(rs)) == subs
    for top in rs.nodes:
        assert top.maximum == 10 and top.minimum == 1
        assert top.source is not None and top.source.url
        assert top.status == "derived"
        for child in top.children:
            assert isinstance(child.rule, PapiSubdimension)
            assert child.rule.k == len(top.children), child.code  # K = siblings that year
            assert child.maximum is None
            assert child.source is not None and child.source.url
            assert child.status == "derived"
            assert child.code.startswith(top.code + ".")
            assert child.title.en and child.title.vi


def test_years_outside_are_not_covered(reg: Registry) -> None:
    with pytest.raises(ParindexError):
        reg.get("papi", 2010)
    with pytest.raises(ParindexError):
        reg.get("papi", 2025)


def test_codes_across_regimes(reg: Registry) -> None:
    s2011, s2016 = _subs(reg.get("papi", 2011)), _subs(reg.get("papi", 2016))
    s2018, s2019, s2021 = (_subs(reg.get("papi", y)) for y in (2018, 2019, 2021))
    assert [c for c in s2011 if c.startswith("D3")] == ["D3.1", "D3.4", "D3.5"]
    assert [c for c in s2016 if c.startswith("D3")] == ["D3.1", "D3.2", "D3.4"]
    assert "D2.1" not in s2011 and "D2.1" in s2018
    assert "D5.2" in s2019 and "D5.2" not in s2021
    assert "D8.3" not in s2018 and "D8.3" in s2019 and "D8.3" in s2021
    assert set(s2019) - set(s2018) == {"D8.3"}
    assert set(s2019) - set(s2021) == {"D5.2"}
    # 2018+ order follows the reference table: D1.1 civic knowledge … D8.3 e-responsiveness
    rs = reg.get("papi", 2019)
    assert rs.nodes[0].children[0].title.en == "Civic Knowledge"
    assert rs.nodes[7].children[2].title.en == "E-Responsiveness of Provincial Authorities"


def _assess(year: int, inputs: dict[str, str]) -> Assessment:
    return Assessment.model_validate(
        {
            "ruleset": "papi",
            "year": year,
            "unit": "x",
            "inputs": {k: {"points": v} for k, v in inputs.items()},
        }
    )


def test_dimension_is_sum_and_total_is_sum(reg: Registry) -> None:
    rs = reg.get("papi", 2011)
    inputs = {c: "1.5" for c in _subs(rs) if not c.startswith("D2.") and not c.startswith("D3.")}
    inputs.update({"D2.2": "3", "D2.3": "2", "D2.4": "1", "D3": "7.25"})
    card = score(_assess(2011, inputs), rs, registry=reg)
    points = {n.code: n.points for n in card.nodes}
    assert points["D1"] == Decimal("6.0")  # 4 × 1.5
    assert points["D2"] == 6
    assert card.total_exact == Decimal("6.0") + 6 + Decimal("7.25") + 6 * 3
    assert card.maximum == 60


@pytest.mark.parametrize(
    ("k", "value", "ok"),
    [
        (3, "0.3333333333", False),  # just below 1/3
        (3, "0.3333333334", True),
        (3, "3.333333333", True),  # just below 10/3
        (3, "3.3333333334", False),
        (4, "0.25", True),
        (4, "2.5", True),
        (4, "2.5000001", False),
        (4, "0.2499999", False),
        (2, "5", True),
        (2, "0.5", True),
        (2, "5.01", False),
    ],
)
def test_subdimension_bounds_exact(k: int, value: str, ok: bool) -> None:
    rule = PapiSubdimension(k=k)
    if ok:
        assert rule.evaluate(Decimal(value), None).points == Decimal(value)
    else:
        with pytest.raises(ValueError, match=rf"\[1/{k}, 10/{k}\]"):
            rule.evaluate(Decimal(value), None)


@given(st.integers(1, 8), st.decimals(min_value=0, max_value=12, places=7, allow_nan=False))
def test_subdimension_accepts_iff_k_times_value_in_1_10(k: int, value: Decimal) -> None:
    # independent check with integers: value = m / 10^7, accepted iff 10^7 ≤ k·m ≤ 10^8
    m = int(value.scaleb(7))
    expected = 10**7 <= k * m <= 10**8
    rule = PapiSubdimension(k=k)
    try:
        rule.evaluate(value, None)
        accepted = True
    except ValueError:
        accepted = False
    assert accepted == expected


def test_subdimension_out_of_range_is_located(reg: Registry) -> None:
    rs = reg.get("papi", 2016)
    inputs = {d.code: "5" for d in rs.nodes if d.code != "D2"}
    inputs.update({"D2.2": "3.4", "D2.3": "2", "D2.4": "2"})
    with pytest.raises(InputValueError) as info:
        score(_assess(2016, inputs), rs, registry=reg)
    assert info.value.code == "D2.2"
    assert "[1/3, 10/3]" in str(info.value)


def test_dimension_given_directly_is_bounded(reg: Registry) -> None:
    rs = reg.get("papi", 2021)
    ok = {d.code: "5" for d in rs.nodes}
    assert score(_assess(2021, ok), rs, registry=reg).total_exact == 40
    with pytest.raises(PointsAboveMaximumError):
        score(_assess(2021, {**ok, "D7": "10.5"}), rs, registry=reg)
    with pytest.raises(InputValueError, match="below the minimum"):
        score(_assess(2021, {**ok, "D7": "0.9"}), rs, registry=reg)


# ----------------------------------------------------------------------------- batch groups
@given(
    st.lists(
        st.decimals(min_value=0, max_value=80, places=3, allow_nan=False), min_size=1, max_size=80
    )
)
def test_quartiles_match_statistics_inclusive(values: list[Decimal]) -> None:
    # statistics.quantiles(method="inclusive") is Hyndman–Fan type 7; run it on exact fractions
    ordered = sorted(values)
    fr = [Fraction(v) for v in ordered]
    expected = statistics.quantiles(fr, n=4, method="inclusive") if len(fr) > 1 else [fr[0]] * 3
    got = [quantile(ordered, Fraction(p, 4)) for p in (1, 2, 3)]
    assert [Fraction(g) for g in got] == expected


def test_quartiles_63_distinct_gives_16_16_15_16() -> None:
    values = {f"p{i}": Decimal(30) + Decimal(i) / 7 for i in range(63)}
    g = batch_groups(values)
    assert [g.counts[label] for label in LABELS] == [16, 16, 15, 16]
    # the 16 highest are "best"
    best = sorted(values, key=lambda k: values[k], reverse=True)[:16]
    assert {k for k, v in g.groups.items() if v == "best"} == set(best)
    assert "not publish" in g.description and "quartiles" in g.description


def test_quartile_hand_example() -> None:
    # values 1..8: Q1 = 1 + 0.25·7 = 2.75, Q2 = 4.5, Q3 = 6.25 (type 7)
    values = {str(i): Decimal(i) for i in range(1, 9)}
    g = batch_groups(values)
    assert g.cuts == (Decimal("6.25"), Decimal("4.5"), Decimal("2.75"))
    assert [g.groups[str(i)] for i in range(1, 9)] == [
        "poor",
        "poor",
        "low-average",
        "low-average",
        "high-average",
        "high-average",
        "best",
        "best",
    ]


def test_equal_counts_and_ties() -> None:
    values = {
        "a": Decimal(9),
        "b": Decimal(9),
        "c": Decimal(8),
        "d": Decimal(7),
        "e": Decimal(6),
        "f": Decimal(5),
        "g": Decimal(4),
        "h": Decimal(3),
    }
    g = batch_groups(values, "equal-counts")
    # ranks 1,1,3,4,5,6,7,8 → floor((r-1)·4/8): 0,0,1,1,2,2,3,3
    assert [g.groups[k] for k in "abcdefgh"] == [
        "best",
        "best",
        "high-average",
        "high-average",
        "low-average",
        "low-average",
        "poor",
        "poor",
    ]


def test_equal_width() -> None:
    values = {"lo": Decimal(30), "hi": Decimal(50), "x": Decimal(45), "y": Decimal("44.99")}
    g = batch_groups(values, "equal-width")
    assert g.cuts == (Decimal(45), Decimal(40), Decimal(35))
    assert g.groups == {"lo": "poor", "hi": "best", "x": "best", "y": "high-average"}


def test_fixed_rule_and_errors() -> None:
    g = batch_groups(
        {"a": Decimal(50), "b": Decimal(40)}, "fixed", fixed=[Decimal(45), Decimal(42), Decimal(38)]
    )
    assert g.groups == {"a": "best", "b": "low-average"}
    with pytest.raises(ParindexError, match="three cut points"):
        batch_groups({"a": Decimal(1)}, "fixed")
    with pytest.raises(ParindexError, match="unknown group rule"):
        batch_groups({"a": Decimal(1)}, "deciles")  # type: ignore[arg-type]


def test_groups_by_dimension() -> None:
    rows = {f"p{i}": {"D1": Decimal(i), "D2": Decimal(10 - i)} for i in range(1, 9)}
    by = groups_by_dimension(rows)
    assert by["D1"].groups["p8"] == "best" and by["D2"].groups["p8"] == "poor"


# ----------------------------------------------------------------------------- official file
def test_official_file_identities(shared: Path) -> None:
    """The aggregation the rulesets encode holds on the official 2011–2016 file (independent of
    parindex: plain Decimal sums over the source CSV)."""
    path = shared / "data" / "papi" / "papi_2011_2016_official.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    complete = 0
    for r in rows:
        if r["PAPI_unweighted_total_6_60"] == "":
            continue
        complete += 1
        dims = [
            c
            for c in r
            if c[:2] in {f"D{i}" for i in range(1, 7)} and c[2] == "_" and not c[3].isdigit()
        ]
        total = Decimal(0)
        for d in dims:
            subs = [c for c in r if c.startswith(d[:3]) and c[3].isdigit()]
            s = sum(Decimal(r[c]) for c in subs)
            assert abs(s - Decimal(r[d])) <= Decimal("2e-6")
            k = len(subs)
            for c in subs:
                assert Fraction(1, k) <= Fraction(Decimal(r[c])) <= Fraction(10, k)
            total += Decimal(r[d])
        # the total is the sum of the dimensions up to the rounding of 6 published 6-decimal values
        assert abs(total - Decimal(r["PAPI_unweighted_total_6_60"])) <= 7 * Decimal("5e-7")
    assert complete == 376
