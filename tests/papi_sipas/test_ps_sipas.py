"""SIPAS aggregation: hand-worked examples, streaming = naive in-memory, parameters, errors."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.cli.main import main
from parindex.model.errors import CsvFormatError, ParindexError
from parindex_papi_sipas import sipas
from parindex_papi_sipas.sipas import (
    SIPAS_2017,
    SipasError,
    SipasParameters,
    aggregate_csv,
    round_fraction,
)

ALL_ITEMS = SIPAS_2017.item_codes()
CRITERIA = [i.code for e in SIPAS_2017.elements for i in e.items]


def _csv(rows: list[tuple[str, str, str, str]]) -> io.StringIO:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["respondent", "unit", "item", "answer"])
    w.writerows(rows)
    buf.seek(0)
    return buf


def _full_respondent(rid: str, unit: str, answer: int) -> list[tuple[str, str, str, str]]:
    return [(rid, unit, code, str(answer)) for code in CRITERIA]


# ----------------------------------------------------------------------------- framework
def test_framework_2017_has_5_elements_and_22_criteria() -> None:
    assert [e.code for e in SIPAS_2017.elements] == ["E1", "E2", "E3", "E4", "E5"]
    assert [len(e.items) for e in SIPAS_2017.elements] == [4, 5, 6, 3, 4]
    assert SIPAS_2017.criteria_count == 22
    assert SIPAS_2017.status == "unverified"
    assert len(set(ALL_ITEMS)) == len(ALL_ITEMS) == 22 + 5 + 1


# ----------------------------------------------------------------------------- worked example
def test_hand_worked_example() -> None:
    # Unit A, two respondents answering every criterion:
    #   r1 answers 5 everywhere, r2 answers 2 everywhere, except E1.1 where r2 answers 4
    #   and E1.2 which r2 leaves blank.
    # E1.1: 2 satisfied of 2 valid = 100 %; E1.2: 1 of 1 = 100 %; E1.3, E1.4: 1 of 2 = 50 %.
    # E1 = (100 + 100 + 50 + 50) / 4 = 75 %. Every other item: 50 %, so E2..E5 = 50 %.
    # Index = (75 + 50 * 4) / 5 = 55 %.
    rows = _full_respondent("r1", "A", 5)
    for code in CRITERIA:
        answer = {"E1.1": "4", "E1.2": ""}.get(code, "2")
        rows.append(("r2", "A", code, answer))
    result = aggregate_csv(_csv(rows))
    (unit,) = result.units
    assert unit.respondents == 2
    assert unit.answers == 44
    assert unit.items["E1.1"].exact == 100
    assert unit.items["E1.2"].exact == 100
    assert unit.items["E1.2"].blanks == 1
    assert unit.items["E1.3"].exact == 50
    assert unit.elements["E1"].exact == 75
    assert unit.elements["E2"].exact == 50
    assert unit.exact == 55
    assert result.rounded(unit.exact) == Decimal("55.00")
    # blanks counted as not satisfied: E1.2 becomes 1 of 2 = 50 %, E1 = 300/4 = 62.5,
    # index = (62.5 + 200) / 5 = 52.5
    result_all = aggregate_csv(_csv(rows), SipasParameters(denominator="all"))
    assert result_all.units[0].items["E1.2"].exact == 50
    assert result_all.units[0].elements["E1"].exact == Fraction(125, 2)
    assert result_all.units[0].exact == Fraction(105, 2)


def test_thirds_are_exact_and_rounded_once() -> None:
    # 1 of 3 satisfied on every criterion: 33.333… %; rounded half-up to 2 places = 33.33,
    # to 0 places = 33; 2 of 3 = 66.666… → 66.67.
    rows = []
    for i, answer in enumerate((5, 1, 1)):
        rows += _full_respondent(f"r{i}", "U", answer)
    result = aggregate_csv(_csv(rows))
    assert result.units[0].exact == Fraction(100, 3)
    assert result.rounded(result.units[0].exact) == Decimal("33.33")
    result = aggregate_csv(_csv(rows), SipasParameters(satisfied=frozenset({1, 5})))
    assert result.units[0].exact == 100
    result = aggregate_csv(_csv(rows), SipasParameters(satisfied=frozenset({1})))
    assert result.rounded(result.units[0].exact) == Decimal("66.67")


def test_general_and_overall_items() -> None:
    rows = _full_respondent("r1", "U", 1)
    rows += [("r1", "U", f"E{k}.G", "5") for k in range(1, 6)]
    rows += [("r1", "U", "G", "4")]
    mean = aggregate_csv(_csv(rows))
    assert mean.units[0].exact == 0
    general = aggregate_csv(_csv(rows), SipasParameters(element="general_item"))
    assert all(e.exact == 100 for e in general.units[0].elements.values())
    assert general.units[0].exact == 100
    overall = aggregate_csv(_csv(rows), SipasParameters(index="overall_item"))
    assert overall.units[0].exact == 100
    items = aggregate_csv(_csv(rows), SipasParameters(index="mean_of_items"))
    assert items.units[0].exact == 0


def test_mean_of_items_differs_from_mean_of_elements() -> None:
    # satisfied only on E1's 4 items: elements mean = (100 + 0*4)/5 = 20; items mean = 4/22*100
    rows = [("r", "U", c, "5" if c.startswith("E1.") else "1") for c in CRITERIA]
    assert aggregate_csv(_csv(rows)).units[0].exact == 20
    result = aggregate_csv(_csv(rows), SipasParameters(index="mean_of_items"))
    assert result.units[0].exact == Fraction(400, 22)


def test_missing_items_are_left_out_and_noted() -> None:
    rows = [("r", "U", "E1.1", "5"), ("r", "U", "E1.2", "1")]
    unit = aggregate_csv(_csv(rows)).units[0]
    assert unit.elements["E1"].exact == 50
    assert unit.elements["E1"].items_used == ("E1.1", "E1.2")
    assert unit.elements["E2"].exact is None
    assert unit.exact is None
    assert any("E1.3" in n for n in unit.notes)


def test_units_are_separate_and_sorted() -> None:
    rows = _full_respondent("r1", "b-unit", 5) + _full_respondent("r1", "a-unit", 1)
    result = aggregate_csv(_csv(rows))
    assert [u.unit for u in result.units] == ["a-unit", "b-unit"]
    assert [u.exact for u in result.units] == [0, 100]


# ----------------------------------------------------------------------------- rounding
@given(
    st.integers(-(10**9), 10**9),
    st.integers(1, 10**6),
    st.integers(0, 6),
    st.sampled_from(["half_up", "half_even", "down", "up"]),
)
def test_round_fraction_matches_decimal_quantize(
    num: int, den: int, places: int, mode: str
) -> None:
    import decimal

    modes = {
        "half_up": decimal.ROUND_HALF_UP,
        "half_even": decimal.ROUND_HALF_EVEN,
        "down": decimal.ROUND_DOWN,
        "up": decimal.ROUND_UP,
    }
    with localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(num) / Decimal(den)
        expected = exact.quantize(Decimal(1).scaleb(-places), rounding=modes[mode])
    assert round_fraction(Fraction(num, den), places, mode) == expected  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- streaming = naive
answers = st.lists(
    st.tuples(
        st.sampled_from(["u1", "u2", "u3"]),
        st.integers(0, 7),  # respondent number
        st.sampled_from(ALL_ITEMS),
        st.one_of(st.none(), st.integers(1, 5)),
    ),
    max_size=300,
)
parameters = st.builds(
    SipasParameters,
    satisfied=st.frozensets(st.integers(1, 5), min_size=1),
    denominator=st.sampled_from(["valid", "all"]),
    element=st.sampled_from(["mean_of_items", "general_item"]),
    index=st.sampled_from(["mean_of_elements", "mean_of_items", "overall_item"]),
)


def _naive(
    rows: list[tuple[str, int, str, int | None]], params: SipasParameters
) -> dict[str, dict[str, Fraction | None]]:
    """An independent, in-memory reading of the same formula: every answer kept in a list."""
    by_unit_item: dict[str, dict[str, list[int | None]]] = defaultdict(lambda: defaultdict(list))
    for unit, _resp, item, answer in rows:
        by_unit_item[unit][item].append(answer)
    out: dict[str, dict[str, Fraction | None]] = {}
    for unit, items in by_unit_item.items():
        pct: dict[str, Fraction | None] = {}
        for code in ALL_ITEMS:
            given_answers = items.get(code, [])
            valid = [a for a in given_answers if a is not None]
            denominator = len(valid) if params.denominator == "valid" else len(given_answers)
            sat = len([a for a in valid if a in params.satisfied])
            pct[code] = Fraction(100 * sat, denominator) if denominator else None
        elements: dict[str, Fraction | None] = {}
        for e in SIPAS_2017.elements:
            if params.element == "general_item":
                elements[e.code] = pct[e.general_item or ""]
            else:
                vals = [v for v in (pct[i.code] for i in e.items) if v is not None]
                elements[e.code] = (sum(vals, Fraction(0)) / len(vals)) if vals else None
        if params.index == "overall_item":
            index = pct["G"]
        else:
            pool = (
                list(elements.values())
                if params.index == "mean_of_elements"
                else [pct[c] for c in CRITERIA]
            )
            index = (
                None
                if any(v is None for v in pool)
                else (sum((v for v in pool if v is not None), Fraction(0)) / len(pool))
            )
        out[unit] = {**pct, **elements, "index": index}
    return out


@settings(max_examples=150, deadline=None)
@given(answers, parameters)
def test_streaming_equals_naive(
    rows: list[tuple[str, int, str, int | None]], params: SipasParameters
) -> None:
    # one answer per (unit, respondent, item): keep the first, as a real survey would
    seen: set[tuple[str, int, str]] = set()
    unique = []
    for r in rows:
        if (r[0], r[1], r[2]) not in seen:
            seen.add((r[0], r[1], r[2]))
            unique.append(r)
    text = _csv([(f"resp{r}", u, item, "" if a is None else str(a)) for u, r, item, a in unique])
    result = aggregate_csv(text, params)
    expected = _naive(unique, params)
    got = {
        u.unit: {
            **{c: i.exact for c, i in u.items.items()},
            **{c: e.exact for c, e in u.elements.items()},
            "index": u.exact,
        }
        for u in result.units
    }
    assert got == expected
    assert result.rows == len(unique)


# ----------------------------------------------------------------------------- errors
def test_answer_out_of_scale_names_line_and_column() -> None:
    with pytest.raises(SipasError) as info:
        aggregate_csv(_csv([("r1", "U", "E1.1", "4"), ("r1", "U", "E1.2", "6")]))
    err = info.value
    assert err.line == 3 and err.field == "answer" and err.code == "E1.2"
    assert "not a level 1–5" in str(err)


@pytest.mark.parametrize("answer", ["4.0", "x", "0", "-1"])
def test_bad_answers(answer: str) -> None:
    with pytest.raises(SipasError, match="not a level"):
        aggregate_csv(_csv([("r1", "U", "E1.1", answer)]))


def test_unknown_item() -> None:
    with pytest.raises(SipasError, match=r"unknown item 'E9\.9'") as info:
        aggregate_csv(_csv([("r1", "U", "E1.1", "4"), ("r1", "U", "E9.9", "4")]))
    assert info.value.line == 3


def test_item_answered_twice() -> None:
    with pytest.raises(SipasError, match="twice") as info:
        aggregate_csv(
            _csv([("r1", "U", "E1.1", "4"), ("r2", "U", "E1.1", "4"), ("r1", "U", "E1.1", "5")])
        )
    assert info.value.line == 4


def test_missing_column_and_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("respondent,unit,answer\nr,U,4\n", encoding="utf-8")
    with pytest.raises(CsvFormatError, match="missing column") as info:
        aggregate_csv(f)
    assert info.value.line == 1 and info.value.file == str(f)
    f.write_text("", encoding="utf-8")
    with pytest.raises(CsvFormatError, match="empty"):
        aggregate_csv(f)


def test_not_utf8(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_bytes(b"respondent,unit,item,answer\nr,H\xe0 N\xf4i,E1.1,4\n")
    with pytest.raises(CsvFormatError, match="UTF-8"):
        aggregate_csv(f)


def test_short_row(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("respondent,unit,item,answer\nr,U,E1.1\n", encoding="utf-8")
    with pytest.raises(CsvFormatError, match="at least 4 fields") as info:
        aggregate_csv(f)
    assert info.value.line == 2


def test_bad_parameters() -> None:
    with pytest.raises(SipasError, match="outside 1–5"):
        sipas.SipasAggregator(parameters=SipasParameters(satisfied=frozenset({6})))
    with pytest.raises(SipasError, match="at least one"):
        sipas.SipasAggregator(parameters=SipasParameters(satisfied=frozenset()))


def test_custom_framework(tmp_path: Path) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text(
        "id: test.fw\nlevels: 4\nelements:\n"
        "  - code: A\n    items: [{code: A.1}, {code: A.2}]\n"
        "  - code: B\n    items: [{code: B.1}]\n",
        encoding="utf-8",
    )
    framework = sipas.load_framework(fw)
    rows = [("r", "U", "A.1", "4"), ("r", "U", "A.2", "3"), ("r", "U", "B.1", "1")]
    result = aggregate_csv(_csv(rows), SipasParameters(satisfied=frozenset({3, 4})), framework)
    # A = (100 + 100) / 2 = 100, B = 0 → index 50
    assert result.units[0].exact == 50
    with pytest.raises(SipasError, match="outside 1–4"):
        aggregate_csv(_csv([("r", "U", "A.1", "5")]), None, framework)


def test_custom_framework_errors_are_located(tmp_path: Path) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text("id: x\nlevels: 5\nelements:\n  - code: A\n    items: []\n", encoding="utf-8")
    with pytest.raises(ParindexError, match="non-empty") as info:
        sipas.load_framework(fw)
    assert info.value.file == str(fw) and info.value.line == 5


# ----------------------------------------------------------------------------- CLI
def _write_answers(path: Path) -> None:
    rows = _full_respondent("r1", "A", 5) + _full_respondent("r2", "A", 3)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(_csv(rows).getvalue())


def test_cli_table_json_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "answers.csv"
    _write_answers(f)
    assert main(["sipas", str(f)]) == 0
    out = capsys.readouterr().out
    assert "unverified" in out and "50.00" in out
    assert main(["sipas", str(f), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["units"][0]["index"] == "50.00"
    assert data["parameters"]["satisfied"] == [4, 5]
    assert main(["sipas", str(f), "--format", "json", "--satisfied", "3,4,5", "--places", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["units"][0]["index"] == "100.0"
    assert main(["sipas", str(f), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "unit,level,code,percent,satisfied,denominator,blanks"
    assert lines[1] == "A,index,index,50.00,,,"


def test_cli_error_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "answers.csv"
    f.write_text("respondent,unit,item,answer\nr,U,E1.1,7\n", encoding="utf-8")
    assert main(["sipas", str(f)]) == 1
    err = capsys.readouterr().err
    assert f"{f}:2" in err and "answer" in err and "Traceback" not in err


def test_streaming_memory_does_not_grow_with_rows() -> None:
    """100,000 rows from a generator: the aggregator keeps counters, not rows."""
    import tracemalloc

    def lines(n: int) -> Iterator[str]:
        yield "respondent,unit,item,answer\n"
        for i in range(n):
            resp, item = divmod(i, len(ALL_ITEMS))
            yield f"r{resp},u{resp % 63},{ALL_ITEMS[item]},{1 + i % 5}\n"

    agg = sipas.SipasAggregator()
    tracemalloc.start()
    agg.feed_lines(lines(100_000))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert agg.rows == 100_000
    # the 100,000 rows are ~2.5 MB of text (and far more as Python objects); the tallies
    # (63 units × 28 items, ~3,600 respondents' bit masks) stay well below that
    assert peak < 1_500_000, peak
    result = agg.result()
    # answers cycle 1..5, so 2 of every 5 answers are 4 or 5 (exactly, over all units)
    satisfied = sum(i.satisfied for u in result.units for i in u.items.values())
    assert satisfied == 100_000 * 2 // 5


@settings(max_examples=50, deadline=None)
@given(answers)
def test_add_api_equals_csv_path(rows: list[tuple[str, int, str, int | None]]) -> None:
    first: dict[tuple[str, int, str], tuple[str, int, str, int | None]] = {}
    for row in rows:
        first.setdefault((row[0], row[1], row[2]), row)
    unique = list(first.values())
    by_csv = aggregate_csv(
        _csv([(f"resp{n}", u, item, "" if a is None else str(a)) for u, n, item, a in unique])
    )
    agg = sipas.SipasAggregator()
    for u, n, item, a in unique:
        agg.add(u, f"resp{n}", item, a)
    assert agg.result() == by_csv
