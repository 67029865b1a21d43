"""Fuzzing the CSV readers: the rank table, SIPAS answers and published datasets."""

from __future__ import annotations

import atexit
import contextlib
import io
import itertools
import shutil
import tempfile
from pathlib import Path

from fuzz_make import fuzz
from fuzz_strategies import any_text, corrupted, csv_cell, csv_text
from hypothesis import strategies as st

import parindex_core_rules
from parindex import api
from parindex.errors import ParindexError
from parindex.registry import Registry
from parindex.reproduce import read_published, reproduce_rows
from parindex.sipas import SIPAS_2017, aggregate_csv
from parindex.tables import rows_from_csv_text

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
    for _, assessment in rows_from_csv_text(text, file="fuzz.csv"):
        with contextlib.suppress(ParindexError):
            api.score(assessment, registry=REG)


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
