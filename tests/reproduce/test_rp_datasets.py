"""Dataset sidecars: the ``group_counts`` field, read exactly or refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rp_helpers import write

from parindex.analysis.reproduce import GroupCounts, load_dataset_sidecar
from parindex.model.errors import SchemaError

HEAD = "name: d\ntitle: t\nfile: d.csv\n"


def test_group_counts_are_read_in_order_with_their_source(tmp_path: Path) -> None:
    side = write(
        tmp_path,
        HEAD
        + "group_counts:\n"
        + "  - ruleset: papi\n    year: 2020\n"
        + "    counts: {best: 16, high-average: 16, low-average: 15, poor: 16}\n"
        + "    source: https://example.org/papi-2020\n"
        + "  - {ruleset: moha.province, year: 2021, counts: {A: 3, B: 59, C: 1}}\n",
        "d.dataset.yaml",
    )
    ds = load_dataset_sidecar(side)
    assert ds.group_counts == (
        GroupCounts(
            "papi",
            2020,
            (("best", 16), ("high-average", 16), ("low-average", 15), ("poor", 16)),
            "https://example.org/papi-2020",
        ),
        GroupCounts("moha.province", 2021, (("A", 3), ("B", 59), ("C", 1)), None),
    )
    assert ds.counts_for("papi", 2020) is ds.group_counts[0]
    assert ds.counts_for("papi", 2021) is None
    assert ds.group_counts[0].population == 63
    assert ds.group_counts[1].text() == "A 3, B 59, C 1"


def test_a_sidecar_without_group_counts_has_none(tmp_path: Path) -> None:
    assert load_dataset_sidecar(write(tmp_path, HEAD, "d.dataset.yaml")).group_counts == ()


@pytest.mark.parametrize(
    ("body", "line", "field", "message"),
    [
        ("group_counts: 5\n", 4, "group_counts", "must be a list"),
        ("group_counts:\n  - 5\n", 5, "group_counts", "must be a mapping"),
        ("group_counts:\n  - {year: 2020, counts: {A: 1}}\n", 5, "ruleset", "ruleset id"),
        (
            "group_counts:\n  - ruleset: papi\n    year: twenty\n    counts: {A: 1}\n",
            6,
            "year",
            "year",
        ),
        ("group_counts:\n  - {ruleset: papi, year: 2020, counts: {}}\n", 5, "counts", "counts"),
        (
            "group_counts:\n  - ruleset: papi\n    year: 2020\n    counts:\n      A: 2\n"
            "      B: -1\n",
            9,
            "counts",
            "whole number ≥ 0",
        ),
        (
            "group_counts:\n  - {ruleset: papi, year: 2020, counts: {A: 1.5}}\n",
            5,
            "counts",
            "whole number",
        ),
        (
            "group_counts:\n  - {ruleset: papi, year: 2020, counts: {A: 1}, sorce: x}\n",
            5,
            "group_counts",
            "unknown key",
        ),
        (
            "group_counts:\n  - {ruleset: papi, year: 2020, counts: {A: 1}}\n"
            "  - {ruleset: papi, year: 2020, counts: {A: 2}}\n",
            6,
            "group_counts",
            "twice",
        ),
    ],
)
def test_bad_group_counts_name_the_line_and_field(
    tmp_path: Path, body: str, line: int, field: str, message: str
) -> None:
    side = write(tmp_path, HEAD + body, "d.dataset.yaml")
    with pytest.raises(SchemaError, match=message) as info:
        load_dataset_sidecar(side)
    assert (info.value.file, info.value.line, info.value.field) == (str(side), line, field)
