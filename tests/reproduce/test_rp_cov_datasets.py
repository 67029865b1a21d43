"""Dataset sidecars refused at their line, and what ``list_datasets`` does with odd plugin answers
(issue 19, item 9)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rp_helpers import write

from parindex import Registry
from parindex.analysis.reproduce import (
    Dataset,
    datasets_table,
    get_dataset,
    list_datasets,
    load_dataset_sidecar,
)
from parindex.hookspecs import hookimpl
from parindex.model.errors import ParindexError, SchemaError

HEAD = "name: d\ntitle: t\nfile: d.csv\n"


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("- name: d\n- file: d.csv\n", None, "must be a mapping"),
        ("title: t\nfile: d.csv\n", "name", "needs 'name'"),
        ("name: d\ntitle: t\n", "file", "needs 'file'"),
        ("name: d\nfile: 5\n", "file", "needs 'file'"),  # a number is not a file name
    ],
)
def test_a_sidecar_without_its_name_or_file_is_refused(
    tmp_path: Path, text: str, field: str | None, message: str
) -> None:
    side = write(tmp_path, text, "d.dataset.yaml")
    with pytest.raises(SchemaError, match=message) as info:
        load_dataset_sidecar(side)
    assert (info.value.file, info.value.line, info.value.field) == (str(side), 1, field)


def test_a_group_counts_source_must_be_a_text(tmp_path: Path) -> None:
    body = "group_counts:\n  - ruleset: papi\n    year: 2020\n    counts: {A: 1}\n    source: 5\n"
    side = write(tmp_path, HEAD + body, "d.dataset.yaml")
    with pytest.raises(SchemaError, match="source must be a text") as info:
        load_dataset_sidecar(side)
    # line 8: the ``source:`` line of the entry
    assert (info.value.line, info.value.field) == (8, "source")


def test_a_sidecar_reads_its_fields_and_sources(tmp_path: Path) -> None:
    side = write(
        tmp_path,
        HEAD
        + "rows: many\nyears: [2012, 2011]\nrulesets: [papi]\n"
        + "sources:\n  - url: https://example.org/a\n  - https://example.org/b\n",
        "d.dataset.yaml",
    )
    ds = load_dataset_sidecar(side, "some-plugin")
    assert ds.path == tmp_path / "d.csv" and ds.sidecar == side
    assert ds.rows is None  # not a whole number: unknown, not guessed
    assert ds.years == (2012, 2011) and ds.rulesets == ("papi",)
    assert ds.sources == ("https://example.org/a", "https://example.org/b")
    assert ds.plugin == "some-plugin"


def _plugin(name: str, answer: Callable[[], list[Any]]) -> SimpleNamespace:
    return SimpleNamespace(__name__=name, parindex_datasets=hookimpl(answer))


def _registry(*plugins: SimpleNamespace) -> Registry:
    return Registry(plugins, entry_points=False)


def test_datasets_may_be_given_as_objects_or_plain_csv_paths(tmp_path: Path) -> None:
    given = Dataset("zeta", "given as an object", tmp_path / "z.csv")
    reg = _registry(_plugin("p", lambda: [given, tmp_path / "alpha.csv", str(tmp_path / "b.csv")]))
    found = list_datasets(reg)
    assert [d.name for d in found] == ["alpha", "b", "zeta"]  # sorted by name
    assert found[2] is given
    # a CSV without a sidecar: named after its file, no title, the plugin recorded
    assert (found[0].title, found[0].path, found[0].plugin) == ("", tmp_path / "alpha.csv", "p")
    assert not reg.host.status["p"].errors


def test_an_answer_that_is_not_a_path_is_reported_and_skipped(tmp_path: Path) -> None:
    reg = _registry(_plugin("odd", lambda: [42, tmp_path / "a.csv"]))
    assert [d.name for d in list_datasets(reg)] == ["a"]
    assert reg.host.status["odd"].errors == ["parindex_datasets returned 42, not a path"]


def test_a_bad_sidecar_is_reported_and_the_others_kept(tmp_path: Path) -> None:
    bad = write(tmp_path, "title: no name\nfile: x.csv\n", "bad.dataset.yaml")
    good = write(tmp_path, HEAD, "d.dataset.yaml")
    reg = _registry(_plugin("mixed", lambda: [bad, good]))
    assert [d.name for d in list_datasets(reg)] == ["d"]
    (problem,) = reg.host.status["mixed"].errors
    assert problem.startswith("dataset skipped: ") and "needs 'name'" in problem
    assert str(bad) in problem


def test_a_dataset_name_given_twice_keeps_the_first_and_reports_the_second(
    tmp_path: Path,
) -> None:
    first = Dataset("same", "first", tmp_path / "1.csv")
    second = Dataset("same", "second", tmp_path / "2.csv")
    reg = _registry(_plugin("twice", lambda: [first, second]))
    (kept,) = list_datasets(reg)
    assert kept is first
    assert reg.host.status["twice"].errors == [
        "dataset 'same' is already provided; second one ignored"
    ]


def test_an_unknown_dataset_names_the_known_ones(tmp_path: Path) -> None:
    reg = _registry(_plugin("p", lambda: [tmp_path / "b.csv", tmp_path / "a.csv"]))
    assert get_dataset("b", reg).path == tmp_path / "b.csv"
    with pytest.raises(ParindexError, match=r"unknown dataset 'c'; datasets: a, b"):
        get_dataset("c", reg)
    with pytest.raises(ParindexError, match=r"datasets: none") as info:
        get_dataset("c", _registry())
    assert info.value.hint == "`parindex datasets` lists them"


def test_the_table_shows_unknown_rows_and_year_ranges(tmp_path: Path) -> None:
    ds = Dataset("d", "t", tmp_path / "d.csv", rows=None, years=(2014, 2011, 2012, 2016, 2017))
    counted = Dataset("e", "u", tmp_path / "e.csv", rows=3, years=(2020,), rulesets=("a", "b"))
    assert datasets_table([ds, counted]) == [
        ["d", "?", "2011–2012, 2014, 2016–2017", "", "t"],
        ["e", "3", "2020", "a, b", "u"],
    ]
