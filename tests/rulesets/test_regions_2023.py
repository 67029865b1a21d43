"""The six socio-economic regions (Nghị quyết 81/2023/QH15): every province once, the counts the
resolution gives, every region with sources the file records; bad files refused with a line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from parindex import api
from parindex.analysis.regions import load_regions, name_key
from parindex.model.errors import SchemaError

REPO = Path(__file__).resolve().parents[2]
FILE = REPO / "plugins" / "parindex_vn" / "regions" / "vn-regions-2023.yaml"
PAR = REPO / "plugins" / "parindex_vn" / "datasets" / "par-2018-2022.csv"


def test_every_province_once_in_the_counts_of_the_resolution() -> None:
    regions = load_regions()
    counts = {r.code: len(r.provinces) for r in regions.regions}
    # NQ 81/2023/QH15 Art. 3(1)(a): 14, 11, 14, 5, 6 and 13 provinces
    assert counts == {"TDMNPB": 14, "DBSH": 11, "BTBDHMT": 14, "TN": 5, "DNB": 6, "DBSCL": 13}
    keys = [name_key(p) for p in regions.provinces()]
    assert len(keys) == 63 == len(set(keys))


def test_every_ranked_province_has_a_region() -> None:
    rows = PAR.read_text(encoding="utf-8").splitlines()[1:]
    units = {r.split(",")[2] for r in rows if r.startswith("moha.province,")}
    regions = load_regions()
    assert units and all(regions.region_of(u) is not None for u in units)


def test_every_region_names_recorded_sources() -> None:
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    sources = data["sources"]
    for region in data["regions"]:
        assert len(region["sources"]) >= 2, region["code"]
        assert all(k in sources for k in region["sources"])
    loaded = load_regions()
    assert all(r.sources and all(s.startswith("http") for s in r.sources) for r in loaded.regions)
    assert set(loaded.sources) == {entry["url"] for entry in sources.values()}
    # the resolution's own words, as quoted, give the Northern Midlands list
    tdmnpb = loaded.by_code("TDMNPB")
    assert tdmnpb is not None and sources["nq81_article3_quote"]["url"] in tdmnpb.sources


def test_the_api_loads_the_same_regions() -> None:
    assert api.load_regions().regions == load_regions().regions


@pytest.mark.parametrize(
    ("change", "new", "what"),
    [
        ("sources: [senvang, baobaclieu]\n", "sources: [senvang, nowhere]\n", "unknown source"),
        ("[Kon Tum, Gia Lai,", "[Kon Tum, Cà Mau, Gia Lai,", "in two regions"),
    ],
)
def test_a_broken_file_is_refused_at_its_line(
    tmp_path: Path, change: str, new: str, what: str
) -> None:
    text = FILE.read_text(encoding="utf-8")
    assert change in text
    path = tmp_path / "regions.yaml"
    path.write_text(text.replace(change, new, 1), encoding="utf-8")
    with pytest.raises(SchemaError, match=what) as info:
        load_regions(path)
    assert info.value.file == str(path) and info.value.line is not None
