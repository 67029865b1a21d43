"""SIPAS in ordered mode: memory that does not grow with respondents, and the same results and
errors as exact mode for a file in any order (the file is then read again, in exact mode)."""

from __future__ import annotations

import io
import random
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.io import csvlines
from parindex.model.errors import ParindexError
from parindex_papi_sipas.sipas import (
    SIPAS_2017,
    ElementDef,
    Framework,
    ItemDef,
    SipasAggregator,
    SipasError,
    aggregate_csv,
)
from parindex_papi_sipas.sipas_counters import comes_after

#: One element of two items: one answer row per respondent keeps a file of many respondents small.
SMALL = Framework(
    id="small",
    title="small",
    source="test",
    url=None,
    status="unverified",
    levels=5,
    elements=(ElementDef("A", "a", "", (ItemDef("A.1", "q"), ItemDef("A.2", "q"))),),
)


def _respondents_file(path: Path, people: int) -> Path:
    """``people`` respondents in increasing order over 7 units, each answering A.1 once."""
    lines = ["respondent,unit,item,answer\n"]
    lines += [f"r{n:07d},u{n % 7},A.1,{1 + n % 5}\n" for n in range(people)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _traced_peak(path: Path) -> tuple[int, SipasAggregator]:
    aggregator = SipasAggregator(SMALL)
    tracemalloc.start()
    try:
        aggregator.feed_csv(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, aggregator


def test_memory_does_not_grow_with_respondents(tmp_path: Path) -> None:
    small = _respondents_file(tmp_path / "10k.csv", 10_000)
    large = _respondents_file(tmp_path / "100k.csv", 100_000)
    _traced_peak(small)  # first-call caches (numpy, csv) are not the aggregation's
    low, _ = _traced_peak(small)
    high, aggregator = _traced_peak(large)
    # one Python object per respondent kept would be ≥ 50 B each: ≥ 4.5 MB more for the 90,000
    # more respondents (a bit mask per respondent measured +16.6 MB from 20,000 to 200,000).
    # The bound leaves room for the transient names of one block's runs only.
    assert high - low < 256 * 1024, (low, high)
    assert aggregator.ordered
    result = aggregator.result()
    # respondent n is in unit u(n mod 7): 100,000 = 7 × 14,285 + 5, so u0..u4 have one more
    assert [u.respondents for u in result.units] == [14_286] * 5 + [14_285] * 2
    # answers 1 + n mod 5 over n = 0..99,999: each level 20,000 times
    assert sum(u.items["A.1"].counts[4] for u in result.units) == 20_000


def test_comes_after_puts_shorter_codes_first() -> None:
    assert comes_after("r10", "r9") and not comes_after("r9", "r10")
    assert comes_after("r11", "r10") and not comes_after("r10", "r10")
    assert comes_after("a", "") and not comes_after("", "a")
    assert comes_after("b", "a") and not comes_after("a", "b")


def _write(lines: list[str]) -> str:
    return "respondent,unit,item,answer\n" + "".join(f"{line}\n" for line in lines)


@st.composite
def answer_files(draw: st.DrawFn) -> str:
    """Respondents mostly in order, some coming back later, some out of order, some answering
    an item twice (as the next row or later), and an odd line now and then."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    codes = SIPAS_2017.item_codes()
    lines = []
    for person in range(draw(st.integers(0, 40))):
        who = f"r{person}"
        odd = rng.random()
        if odd < 0.1:
            who = f"r{rng.randrange(max(1, person))}"  # comes back, or out of order
        unit = f"u{rng.randrange(3)}"
        for item in rng.sample(codes, rng.randint(1, 6)):
            lines.append(f"{who},{unit},{item},{rng.choice(['', '1', '2', '3', '4', '5'])}")
        if odd > 0.97 and lines:
            lines.append(lines[rng.randrange(len(lines))])  # an item answered twice
        elif 0.95 < odd <= 0.97:
            lines.append(f"{who},{unit},E1.1,9")  # not a level
    if draw(st.booleans()):
        rng.shuffle(lines)
    return _write(lines)


def _read(text: str, *, by_path: bool) -> tuple[Any, ...]:
    aggregator = SipasAggregator()
    try:
        if by_path:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "answers.csv"
                path.write_text(text, encoding="utf-8")
                aggregator.feed_csv(path, name="answers.csv")
        else:
            aggregator.feed_lines(io.StringIO(text), "answers.csv")
    except ParindexError as err:
        return ("error", type(err), str(err), err.line)
    return ("ok", aggregator.rows, aggregator.result().to_dict())


@settings(max_examples=300, deadline=None)
@given(answer_files(), st.sampled_from([256, 4096, 1 << 16]))
def test_ordered_mode_counts_what_exact_mode_counts(text: str, block: int) -> None:
    saved = csvlines.BLOCK_BYTES
    csvlines.BLOCK_BYTES = block  # blocks cut at many places of the file
    try:
        by_path = _read(text, by_path=True)
    finally:
        csvlines.BLOCK_BYTES = saved
    assert by_path == _read(text, by_path=False)


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    read = SipasAggregator._read_path

    def spy(self: SipasAggregator, source: str | Path, where: str) -> None:
        reads.append(where)
        read(self, source, where)

    monkeypatch.setattr(SipasAggregator, "_read_path", spy)
    return reads


def test_a_file_out_of_order_is_read_again_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first.csv"
    first.write_text(_write(["r1,U,E1.1,5", "r2,U,E1.1,1"]), encoding="utf-8")
    second = tmp_path / "second.csv"
    # r1 comes back with another item: one respondent more only for r3, and E1.2 is r1's
    second.write_text(_write(["r3,U,E1.1,4", "r1,U,E1.2,5", "r3,U,E1.2,2"]), encoding="utf-8")
    reads = _count_reads(monkeypatch)
    aggregator = SipasAggregator()
    aggregator.feed_csv(first)
    assert aggregator.ordered and reads == [str(first)]
    aggregator.feed_csv(second)
    # the break in the second file reads both again, in exact mode
    assert not aggregator.ordered
    assert reads == [str(first), str(second), str(first), str(second)]
    (unit,) = aggregator.result().units
    assert (unit.respondents, unit.answers, aggregator.rows) == (3, 5, 5)
    assert unit.items["E1.1"].counts == (0, 1, 0, 0, 1, 1)
    assert unit.items["E1.2"].counts == (0, 0, 1, 0, 0, 1)
    third = tmp_path / "third.csv"
    third.write_text(_write(["r1,U,E1.3,5"]), encoding="utf-8")
    aggregator.feed_csv(third)  # exact mode from now on: read once
    assert reads[4:] == [str(third)]
    assert aggregator.result().units[0].respondents == 3


def test_a_duplicate_after_the_respondent_came_back_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(_write(["r1,U,E1.1,4", "r2,U,E1.1,4", "r1,U,E1.1,5"]), encoding="utf-8")
    with pytest.raises(SipasError, match=r"'r1' of unit 'U' answered item 'E1\.1' twice") as info:
        aggregate_csv(path)
    assert (info.value.file, info.value.line) == (str(path), 4)


def test_add_after_an_ordered_file_reads_it_again(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(_write(["r1,U,E1.1,4", "r2,U,E1.1,2"]), encoding="utf-8")
    aggregator = SipasAggregator()
    aggregator.feed_csv(path)
    assert aggregator.ordered
    aggregator.add("U", "r1", "E1.2", 5)  # r1 again: known only in exact mode
    assert not aggregator.ordered
    with pytest.raises(SipasError, match="twice"):
        aggregator.add("U", "r2", "E1.1", 3)
    (unit,) = aggregator.result().units
    assert (unit.respondents, unit.answers) == (2, 3)


def test_standard_input_is_counted_in_exact_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _write(["r2,U,E1.1,4", "r1,U,E1.1,2"])
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    aggregator = SipasAggregator()
    aggregator.feed_csv("-")
    assert not aggregator.ordered
    assert aggregator.result().units[0].respondents == 2
