"""The 2025 reorganisation dataset (Nghị quyết 202/2025/QH15): every one of the 63 former
provinces exactly once, 34 units after, every row sourced and given a status its sources
support; the loader refuses a file that breaks those rules, with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from parindex import api
from parindex.analysis.history import reorganisation_notes
from parindex.analysis.regions import load_reorganisation, name_key
from parindex.model.errors import SchemaError

REPO = Path(__file__).resolve().parents[2]
FILE = REPO / "plugins" / "parindex_vn" / "reorganisation-2025" / "vn-provinces-2025.yaml"
PAR = REPO / "plugins" / "parindex_vn" / "datasets" / "par-2018-2022.csv"
STATUSES = {"confirmed", "one-source"}


@pytest.fixture(scope="module")
def data() -> dict[str, object]:
    loaded = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _keys(names: object) -> list[str]:
    assert isinstance(names, list)
    return [name_key(str(n)) for n in names]


def test_every_former_province_appears_exactly_once(data: dict[str, object]) -> None:
    unchanged = data["unchanged"]["provinces"]  # type: ignore[index]
    merged = [p for m in data["merges"] for p in m["from"]]  # type: ignore[attr-defined]
    seen = _keys([*unchanged, *merged])
    # the 63 provinces as the regions file lists them (a file written apart from this one)
    provinces = _keys(api.load_regions().provinces())
    assert len(provinces) == 63 == len(set(provinces))
    assert sorted(seen) == sorted(provinces)
    assert not data["not_mapped"]  # every former province has a sourced destination


def test_the_published_ranking_units_are_all_placed(data: dict[str, object]) -> None:
    # the units of the bundled 2020 PAR ranking: every one unchanged or in exactly one merge
    rows = PAR.read_text(encoding="utf-8").splitlines()[1:]
    units = {r.split(",")[2] for r in rows if r.startswith("moha.province,2020,")}
    reorg = load_reorganisation()
    unchanged = set(_keys(list(reorg.unchanged)))
    for unit in units:
        absorbed = reorg.merge_absorbing(unit)
        assert (absorbed is not None) != (name_key(unit) in unchanged), unit


def test_thirty_four_units_after_eleven_unchanged_twenty_three_new(
    data: dict[str, object],
) -> None:
    reorg = load_reorganisation()
    assert len(reorg.unchanged) == 11 and len(reorg.merges) == 23
    after = reorg.units_after()
    assert len(after) == data["units_after"] == 34 == len(set(_keys(after)))
    # 52 former units form the 23 new ones (laodong.vn and the resolution's own count)
    assert sum(len(m.predecessors) for m in reorg.merges) == 52
    assert all(len(m.predecessors) >= 2 for m in reorg.merges)
    # each new unit keeps the name of one of its predecessors (the resolution's naming rule)
    assert all(name_key(m.new) in _keys(list(m.predecessors)) for m in reorg.merges)


def test_every_row_names_sources_that_the_file_records(data: dict[str, object]) -> None:
    sources = data["sources"]
    assert isinstance(sources, dict)
    for key, entry in sources.items():
        assert str(entry["url"]).startswith(("http://", "https://")), key
        assert entry["says"], key
    rows = [data["unchanged"], *data["merges"]]  # type: ignore[list-item]
    used: set[str] = set()
    for row in rows:
        keys = [row["source"], *row.get("also", [])]
        assert all(k in sources for k in keys), row
        assert row["status"] in STATUSES, row
        # confirmed means two or more agreeing sources
        if row["status"] == "confirmed":
            assert len(set(keys)) >= 2, row
        used.update(keys)
    assert used == set(sources)  # no source is recorded without a row resting on it


def test_item_numbers_are_given_only_where_read(data: dict[str, object]) -> None:
    items = [m["item"] for m in data["merges"] if "item" in m]  # type: ignore[attr-defined]
    assert items == [1, 2, 3, 4, 5, 11, 14]
    assert data["missing"]  # what was not read is said


def test_loaded_merges_carry_every_source_address() -> None:
    reorg = load_reorganisation()
    ca_mau = reorg.merge_forming("Cà Mau")
    assert ca_mau is not None
    assert set(ca_mau.predecessors) == {"Bạc Liêu", "Cà Mau"}
    assert ca_mau.source == ca_mau.sources[0] and len(ca_mau.sources) >= 2
    assert reorg.merge_absorbing("TP. Hồ Chí Minh") is reorg.merge_forming("Hồ Chí Minh")
    assert reorg.merge_absorbing("Bình Dương") is reorg.merge_forming("Thành phố Hồ Chí Minh")
    assert reorg.merge_absorbing("Hà Nội") is None and not reorg.is_unmapped("Hà Nội")


def test_notes_cite_the_item_only_when_it_is_known() -> None:
    reorg = load_reorganisation()
    (formed,) = reorganisation_notes("Quảng Ngãi", reorg)
    assert "art. 1 item 11" in formed and "Kon Tum" in formed
    (absorbed,) = reorganisation_notes("Bạc Liêu", reorg)
    assert "part of Cà Mau" in absorbed and "art. 1," in absorbed and "None" not in absorbed


def _broken(tmp_path: Path, change: str, new: str) -> Path:
    text = FILE.read_text(encoding="utf-8")
    assert change in text
    path = tmp_path / "vn-provinces-2025.yaml"
    path.write_text(text.replace(change, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "new", "what"),
    [
        ("source: camau_after,", "source: nowhere,", "unknown source key"),
        ("from: [Bạc Liêu, Cà Mau]", "from: [Bạc Liêu, Cà Mau, An Giang]", "in two merges"),
        ("from: [Bạc Liêu, Cà Mau]", "from: [Bạc Liêu]", "two or more"),
        ("{item: 11,", "{item: eleven,", "whole number"),
    ],
)
def test_a_broken_file_is_refused_at_its_line(
    tmp_path: Path, change: str, new: str, what: str
) -> None:
    path = _broken(tmp_path, change, new)
    with pytest.raises(SchemaError, match=what) as info:
        load_reorganisation(path)
    assert info.value.file == str(path) and info.value.line is not None
    line = path.read_text(encoding="utf-8").splitlines()[info.value.line - 1]
    assert new.split()[0].strip("{") in line or new in line
