"""SIPAS counted a block at a time equals SIPAS counted line by line: the same counts, respondents
and results, or the same error naming the same file, line and item — wherever the blocks are cut,
with a byte order mark, CRLF line ends, quoted cells, blank lines and errors in the middle."""

from __future__ import annotations

import io
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex import api
from parindex.io import csvlines
from parindex.io.yamlfile import DEFAULT_LIMITS
from parindex.model.errors import ParindexError
from parindex_papi_sipas import sipas_blocks
from parindex_papi_sipas.sipas import (
    SIPAS_2017,
    ElementDef,
    Framework,
    ItemDef,
    SipasAggregator,
    SipasError,
    aggregate_csv,
)
from parindex_papi_sipas.sipas_blocks import SPACES, LookUp

#: 70 items with codes longer than 8 bytes and 11 levels: several words per cell and per mask,
#: two-digit answers.
WIDE = Framework(
    id="wide",
    title="wide",
    source="test",
    url=None,
    status="unverified",
    levels=11,
    elements=tuple(
        ElementDef(
            f"element-{e}",
            f"element {e}",
            "",
            tuple(ItemDef(f"question-{e}.{i}", "q") for i in range(14)),
        )
        for e in range(5)
    ),
)

UNITS = ["u1", "Quảng Ninh", "Đà Nẵng", "a-unit-named-at-length"]


def _outcome(framework: Framework, feed: Callable[[SipasAggregator], None]) -> tuple[Any, ...]:
    aggregator = SipasAggregator(framework)
    try:
        feed(aggregator)
    except ParindexError as err:
        return ("error", type(err), str(err), err.line)
    return ("ok", aggregator.rows, aggregator.result().to_dict())


def _by_blocks(data: bytes, block: int) -> Callable[[SipasAggregator], None]:
    def feed(aggregator: SipasAggregator) -> None:
        saved = csvlines.BLOCK_BYTES
        csvlines.BLOCK_BYTES = block
        try:
            aggregator.feed_blocks(api.utf8_blocks(io.BytesIO(data), "f.csv"), "f.csv")
        finally:
            csvlines.BLOCK_BYTES = saved

    return feed


def _by_lines(data: bytes) -> Callable[[SipasAggregator], None]:
    """The reference: csv.reader over the file read line by line."""

    def feed(aggregator: SipasAggregator) -> None:
        aggregator.feed_lines(csvlines._line_by_line(data, "f.csv", DEFAULT_LIMITS, 0), "f.csv")

    return feed


ODD = [
    "{r},{u},{i},7",  # not a level
    "{r},{u},Z9,1",  # unknown item
    "",  # a blank line
    '{r},"{u}",{i},{a}',  # a quoted cell
    '{r},"{u}\n{u}",{i},{a}',  # a quoted cell over two lines
    "{r},{u},{i}, {a}",  # a space at a cell's edge (the line reader strips it)
    "{r},{u},{i},{a}\u3000",  # an ideographic space, stripped too
    ",{u},{i},{a}",  # an empty respondent
    "{r},",  # a short line
    "{r},{u},{i},{a},extra",  # a wider line
    "{r},{u}\x01,{i},{a}",  # a control character
    "{r},{u}\udcff,{i},{a}",  # not UTF-8 (written as the byte 0xff)
    "{r},{u}\r,{i},{a}",  # a lone carriage return
    "{r},{nfd},{i},{a}",  # the unit in another normal form: the same unit
    "{r},{u},{i},{a}",  # an item answered twice, when the respondent answered it already
]


@st.composite
def answer_files(draw: st.DrawFn) -> tuple[Framework, bytes]:
    framework = draw(st.sampled_from([SIPAS_2017, WIDE]))
    rng = random.Random(draw(st.integers(0, 2**32)))
    codes = framework.item_codes()
    order = draw(st.permutations(["respondent", "unit", "item", "answer"]))
    extra = draw(st.booleans())  # a column the reader does not use
    header = [*order, "note"] if extra else list(order)
    lines = [",".join(header)]
    answers = ["", *map(str, range(1, framework.levels + 1))]
    for person in range(draw(st.integers(0, 30))):
        unit = UNITS[person % len(UNITS)] if rng.random() < 0.9 else rng.choice(UNITS)
        who = f"r{rng.randrange(40)}" if rng.random() < 0.1 else f"r{person}"
        for item in rng.sample(codes, rng.randint(1, min(len(codes), 12))):
            cells = {"respondent": who, "unit": unit, "item": item, "answer": rng.choice(answers)}
            lines.append(",".join([*(cells[c] for c in order), *(["n"] if extra else [])]))
    for odd in draw(st.lists(st.sampled_from(ODD), max_size=2)):
        if len(lines) < 2:
            break
        at = rng.randrange(1, len(lines) + 1)
        model = lines[rng.randrange(1, len(lines))].split(",")
        named = dict(zip(order, model, strict=False))
        line = odd.format(
            r=named.get("respondent", "r0"),
            u=named.get("unit", "u1"),
            i=named.get("item", codes[0]),
            a=named.get("answer", ""),
            nfd=unicodedata.normalize("NFD", "Quảng Ninh"),
        )
        lines.insert(at, line)
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(lines) + (end if draw(st.booleans()) else "")
    data = text.encode("utf-8", "surrogateescape")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data  # a byte order mark
    return framework, data


@settings(max_examples=400, deadline=None)
@given(answer_files(), st.integers(16, 700))
def test_blocks_count_what_lines_count(file: tuple[Framework, bytes], block: int) -> None:
    framework, data = file
    assert _outcome(framework, _by_blocks(data, block)) == _outcome(framework, _by_lines(data))


def _clean(people: int, end: str = "\n") -> str:
    rng = random.Random(people)
    lines = ["respondent,unit,item,answer"]
    for person in range(people):
        unit = UNITS[person % len(UNITS)]
        for item in SIPAS_2017.item_codes():
            lines.append(f"r{person},{unit},{item},{rng.choice(['', '1', '2', '3', '4', '5'])}")
    return end.join(lines) + end


def _counted_by_blocks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted: list[int] = []
    count = sipas_blocks.BlockTally.count

    def spy(self: sipas_blocks.BlockTally, text: str, *args: Any) -> int | None:
        got = count(self, text, *args)
        counted.append(got or 0)
        return got

    monkeypatch.setattr(sipas_blocks.BlockTally, "count", spy)
    return counted


@pytest.mark.parametrize(("bom", "end"), [("", "\n"), ("\ufeff", "\r\n")])
def test_a_plain_file_is_counted_by_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bom: str, end: str
) -> None:
    text = bom + _clean(300, end)
    path = tmp_path / "answers.csv"
    path.write_text(text, encoding="utf-8", newline="")
    monkeypatch.setattr(csvlines, "BLOCK_BYTES", 4096)
    counted = _counted_by_blocks(monkeypatch)
    got = aggregate_csv(path)
    # every line after the header went through the block path (300 respondents × 28 items)
    assert sum(counted) == 300 * 28 and all(counted)
    reference = SipasAggregator()
    reference.feed_lines(io.StringIO(text.lstrip("\ufeff")), str(path))
    assert got.to_dict() == reference.result(file=str(path)).to_dict()
    # the counts are those written: unit u1 has respondents 0, 4, 8, …
    u1 = next(u for u in got.units if u.unit == "u1")
    assert (u1.respondents, u1.answers) == (75, 75 * 28)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("r9999,u1,E1.1,6", "answer '6' is not a level 1–5 or blank"),
        ("r0,u1,E1.1,4", "respondent 'r0' of unit 'u1' answered item 'E1.1' twice"),
        ("r9999,u1,E0,4", "unknown item 'E0'"),
    ],
)
def test_an_error_in_a_later_block_names_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str, message: str
) -> None:
    lines = _clean(300).splitlines()
    lines.insert(5000, bad)  # line 5001 of the file, in a later block
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(csvlines, "BLOCK_BYTES", 4096)
    counted = _counted_by_blocks(monkeypatch)
    with pytest.raises(SipasError) as err:
        aggregate_csv(path)
    assert (err.value.file, err.value.line) == (str(path), 5001)
    assert message in err.value.message
    assert sum(counted) > 4000  # the blocks before it were counted at once


def test_spaces_are_what_strip_removes() -> None:
    stripped = {chr(c) for c in range(0x110000) if chr(c).isspace()} - {"\n"}
    assert set(SPACES) == stripped


def test_look_up_of_long_and_short_texts() -> None:
    table = LookUp(["question-1.10", "G", "question-1.1", ""], [7, 8, 9, 10])
    assert table.words == 2
    cells = ["G", "", "question-1.1", "question-1.10"]
    words = np.zeros((4, 16), dtype=np.uint8)
    for row, cell in zip(words, cells, strict=True):
        row[: len(cell)] = np.frombuffer(cell.encode(), dtype=np.uint8)
    found = table.find(words.view("<u8"))
    assert found is not None and found.tolist() == [8, 10, 9, 7]
    words[0, :2] = np.frombuffer(b"GG", dtype=np.uint8)
    assert table.find(words.view("<u8")) is None


def test_many_units_grow_the_block_counters(monkeypatch: pytest.MonkeyPatch) -> None:
    # 40 units, one respondent each answering every item at level 4 (E1.1 blank): each unit's
    # counts are known without reading the file
    lines = ["respondent,unit,item,answer"]
    for unit in range(40):
        lines += [
            f"r{unit},unit-{unit:02d},{item},{'' if item == 'E1.1' else '4'}"
            for item in SIPAS_2017.item_codes()
        ]
    data = ("\n".join(lines) + "\n").encode()
    counted = _counted_by_blocks(monkeypatch)
    aggregator = SipasAggregator()
    _by_blocks(data, 1 << 16)(aggregator)
    assert counted == [40 * 28]
    result = aggregator.result()
    assert [u.unit for u in result.units] == [f"unit-{n:02d}" for n in range(40)]
    for got in result.units:
        assert (got.respondents, got.answers) == (1, 28)
        assert got.items["E1.1"].counts == (1, 0, 0, 0, 0, 0)
        assert got.items["G"].counts == (0, 0, 0, 0, 1, 0)
