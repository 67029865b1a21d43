"""Fuzzing the CSV readers: the rank table, SIPAS answers and published datasets."""

from __future__ import annotations

import atexit
import io
import itertools
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fuzz_harness import each
from fuzz_make import fuzz
from fuzz_strategies import any_text, corrupted, csv_cell, csv_text
from hypothesis import strategies as st

import parindex_core_rules
from parindex import api
from parindex.analysis.reproduce import read_published, reproduce_rows
from parindex.api import score_csv
from parindex.io.assessment_csv import rows_from_csv_text
from parindex.io.registry import Registry
from parindex.model.errors import ParindexError
from parindex.scoring.fast import rank_csv
from parindex_papi_sipas.sipas import SIPAS_2017, aggregate_csv

REPO = Path(__file__).resolve().parents[2]
REG = Registry([parindex_core_rules], entry_points=False)
REG.add(api.load_ruleset(REPO / "tests" / "badinput" / "base" / "test.province.yaml", registry=REG))
DATASET = (REPO / "plugins" / "parindex_vn" / "datasets" / "par-2020-components.csv").read_text(
    encoding="utf-8"
)
TMP = Path(tempfile.mkdtemp(prefix="parindex-fuzz-csv-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
_COUNTER = itertools.count()


@fuzz(st.one_of(csv_text(), any_text))
def check_rank_csv(text: str) -> None:
    rows = rows_from_csv_text(text, file="fuzz.csv")
    each(*(lambda a=a: api.score(a, registry=REG) for _, a in rows))  # counted row by row


test_rank_csv, test_rank_csv_long = check_rank_csv

ITEMS = [item.code for element in SIPAS_2017.elements for item in element.items]
sipas_cell = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "", "0", "6", "4.0", "x"]), csv_cell
)


@st.composite
def sipas_text(draw: st.DrawFn) -> str:
    header = draw(
        st.sampled_from(
            [
                "respondent,unit,item,answer",
                "respondent,unit,item",
                "unit,respondent,answer,item",
                "respondent,unit,item,answer,x",
            ]
        )
    )
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        rows.append(
            ",".join(
                [
                    draw(st.sampled_from(["r1", "r2", "r3", ""])),
                    draw(st.sampled_from(["a", "b", ""])),
                    draw(st.one_of(st.sampled_from(ITEMS), csv_cell)),
                    draw(sipas_cell),
                ]
            )
        )
    return "\n".join([header, *rows]) + "\n"


@fuzz(st.one_of(sipas_text(), any_text))
def check_sipas_csv(text: str) -> None:
    aggregate_csv(io.StringIO(text))


test_sipas_csv, test_sipas_csv_long = check_sipas_csv


@fuzz(st.one_of(corrupted(DATASET, max_edits=4), csv_text(), any_text))
def check_published_csv(text: str) -> None:
    path = TMP / f"d{next(_COUNTER) % 64}.csv"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    rows = read_published(path)
    if rows:
        reproduce_rows(rows, file=str(path))


test_published_csv, test_published_csv_long = check_published_csv


# ----------------------------------------------------------------------------- the compiled reader
@st.composite
def rank_table_text(draw: st.DrawFn) -> str:
    """Rank tables the compiled reader takes on itself (plain decimals within each node's bounds),
    with now and then a cell or a row it must hand over to the reference reader."""
    odd = st.sampled_from(["-1", "7", "4.3", "-0", "00", "1.", ".5", "+1", "1e0", "n/a", "", "x"])
    columns = [
        st.integers(0, 4).map(str),  # 1.1, maximum 4
        st.decimals(min_value=0, max_value=6, places=1).map(str),  # 1.2, maximum 6
        st.integers(0, 20).map(lambda q: str(q / 4)),  # 2.1, maximum 5 in steps of 0.25
        st.decimals(min_value=0, max_value=5, places=2).map(str),  # 2.2, maximum 5
    ]
    header = "ruleset,year,unit,1.1,1.2,2.1,2.2"
    units = draw(st.lists(st.sampled_from("abcdefghij"), min_size=1, max_size=8, unique=True))
    rows = []
    for unit in units:
        cells = [draw(odd) if draw(st.integers(0, 30)) == 0 else draw(c) for c in columns]
        year = "2020" if draw(st.integers(0, 40)) else "2021"
        rows.append(",".join(["test.province", year, unit, *cells]))
    return "\n".join([header, *rows]) + "\n"


def _table(table: Any) -> Any:
    return [(e.unit.id, e.rank, e.total, e.index, e.group, e.tied) for e in table.entries]


@fuzz(st.one_of(rank_table_text(), rank_table_text(), csv_text()))
def check_fast_rank_csv(text: str) -> None:
    """`parindex rank FILE.csv` (the compiled reader) gives exactly the reference result: the
    same table, or the same error at the same place."""
    path = TMP / f"r{next(_COUNTER) % 64}.csv"
    path.write_text(text, encoding="utf-8")
    try:
        fast = rank_csv(path, registry=REG)
    except ParindexError as err:
        try:
            api.rank(score_csv(path, registry=REG))
        except ParindexError as ref:
            assert (type(err), err.line, err.code) == (type(ref), ref.line, ref.code), (err, ref)
            raise
        raise AssertionError(
            f"the compiled reader refused what the reference accepts: {err}"
        ) from None
    try:
        reference = api.rank(score_csv(path, registry=REG))
    except ParindexError as ref:  # the other direction: not a "rejected" example, a failure
        raise AssertionError(
            f"the compiled reader accepted what the reference refuses: {ref}"
        ) from None
    assert _table(fast) == _table(reference)


test_fast_rank_csv, test_fast_rank_csv_long = check_fast_rank_csv
