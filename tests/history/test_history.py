"""History, regions and the 2025 reorganisation: published values and their year-on-year changes,
computed here from the dataset CSV itself, and the reference datasets' coverage."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from parindex import api
from parindex.analysis.regions import name_key
from parindex.cli.main import main
from parindex.model.errors import ParindexError

REPO = Path(__file__).resolve().parents[2]
VN = REPO / "plugins" / "parindex_vn"
PAR = VN / "datasets" / "par-2018-2022.csv"


def _published(unit: str) -> dict[int, tuple[Decimal | None, int | None]]:
    with PAR.open(encoding="utf-8", newline="") as handle:
        return {
            int(r["year"]): (
                Decimal(r["total"]) if r["total"] else None,
                int(r["rank"]) if r["rank"] else None,
            )
            for r in csv.DictReader(handle)
            if r["unit"] == unit
        }


def test_quang_ninh_matches_the_published_values_and_changes() -> None:
    published = _published("Quảng Ninh")
    assert sorted(published) == [2018, 2019, 2020, 2021, 2022]
    rows, _ = api.history("quang-ninh", datasets=["par-2018-2022"])
    assert [r.point.year for r in rows] == sorted(published)
    for previous, row in zip([None, *rows], rows, strict=False):
        total, rank = published[row.point.year]
        assert (row.point.index, row.point.rank) == (total, rank)
        if previous is None:
            assert row.change is None
            continue
        before_total, before_rank = published[previous.point.year]
        assert row.change is not None
        assert row.change.points == total - before_total  # type: ignore[operator]
        assert row.change.places == before_rank - rank  # type: ignore[operator]


def test_changes_are_written_as_the_plans_write_them(capsys: pytest.CaptureFixture[str]) -> None:
    # 2019 → 2020: 91.04 − 90.09 = +0.95, rank 1 → 1; 2021 → 2022: 90.10 − 91.14, rank 2 → 1
    assert main(["--locale", "vi", "history", "Quảng Ninh", "--dataset", "par-2018-2022"]) == 0
    out = capsys.readouterr().out
    assert "+0,95 điểm, ±0 bậc" in out and "−1,04 điểm, +1 bậc" in out
    assert main(["history", "Quảng Ninh", "--dataset", "par-2018-2022", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    texts = [r["change"]["text"] for r in data["rows"] if r["change"]]
    assert "+0.10 points, −1 place" in texts


def test_components_come_from_the_components_dataset() -> None:
    rows, _ = api.history("Quảng Ninh")
    (row2020,) = [r for r in rows if r.point.year == 2020]
    # shared/data/par: 57.66 + 9.56 + 18.83 + 5
    assert row2020.point.components == {
        "appraisal": Decimal("57.66"),
        "sipas": Decimal("9.56"),
        "leaders": Decimal("18.83"),
        "impact": Decimal("5"),
    }


def test_own_score_card_joins_the_history(tmp_path: Path) -> None:
    card = api.score(REPO / "examples" / "moha-2020-quang-ninh.yaml")
    path = tmp_path / "qn-2020.json"
    path.write_text(card.to_json(), encoding="utf-8")
    rows, _ = api.history("Quảng Ninh", files=[path])
    assert [(r.point.year, r.point.index) for r in rows] == [(2020, card.index)]


def test_unknown_unit_is_an_error() -> None:
    with pytest.raises(ParindexError, match="no published"):
        api.history("Atlantis")


def test_every_province_is_in_exactly_one_region() -> None:
    regions = api.load_regions()
    names = regions.provinces()
    assert len(names) == 63 and len({name_key(n) for n in names}) == 63
    assert [len(r.provinces) for r in regions.regions] == [14, 11, 14, 5, 6, 13]
    assert regions.document == "81/2023/QH15" and regions.sources
    # every province named in the bundled PAR datasets has a region
    with PAR.open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            assert regions.region_of(r["unit"]) is not None, r["unit"]


def test_region_rank_only_when_the_region_is_complete() -> None:
    rows, _ = api.history("Quảng Ninh", datasets=["par-2018-2022"])
    assert all("not computable" in (r.region_rank or "") for r in rows)
    regions = api.load_regions()
    from parindex.analysis.history import YearPoint, history

    tn = regions.by_code("TN")
    assert tn is not None
    points = [
        YearPoint(p, 2021, "moha.province", rank=r)
        for p, r in zip(tn.provinces, [40, 12, 55, 12, 30], strict=True)
    ]
    got = {r.point.unit: r.region_rank for r in history(points, None, regions=regions)}
    # national ranks 12, 12, 30, 40, 55 → regional 1, 1, 3, 4, 5 (competition)
    assert got["Gia Lai"] == "rank 1 of 5 in Central Highlands"
    assert got["Đắk Nông"] == "rank 1 of 5 in Central Highlands"
    assert got["Lâm Đồng"] == "rank 3 of 5 in Central Highlands"
    assert got["Đắk Lắk"] == "rank 5 of 5 in Central Highlands"


def test_reorganisation_covers_every_province_once_with_sources() -> None:
    data = yaml.safe_load(
        (VN / "reorganisation-2025" / "vn-provinces-2025.yaml").read_text("utf-8")
    )
    regions = api.load_regions()
    seen = [*data["unchanged"]["provinces"], *data["not_mapped"]]
    seen += [p for m in data["merges"] for p in m["from"]]
    assert sorted(name_key(p) for p in seen) == sorted(name_key(p) for p in regions.provinces())
    assert len(data["unchanged"]["provinces"]) == 11
    assert all(m["source"] in data["sources"] for m in data["merges"])
    # 11 unchanged + 23 new units = 34; only the new units the sources name are mapped
    assert data["units_after"] == 34 and len(data["merges"]) <= 23
    assert data["missing"]


def test_merged_unit_shows_its_predecessors_apart() -> None:
    rows, notes = api.history("Phú Thọ")
    units = {r.point.unit for r in rows}
    assert units == {"Vĩnh Phúc", "Hòa Bình", "Phú Thọ"}
    assert all(r.label and "predecessor of Phú Thọ" in r.label for r in rows)
    # the predecessors' own published values, not a blend
    published = {u: _published(u) for u in units}
    for r in rows:
        assert r.point.index == published[r.point.unit][r.point.year][0]
    assert notes and "not blended" in notes[0]


def test_district_years_end_before_the_reorganisation() -> None:
    with pytest.raises(ParindexError):
        api.get_ruleset("sonla.district", 2025)


def test_district_refusal_gives_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ParindexError) as info:
        api.get_ruleset("sonla.district", 2025)
    assert info.value.hint and "abolished from 1 July 2025" in info.value.hint
    assert "202/2025/QH15" in info.value.hint
    # a province ruleset past its years gets no such reason
    with pytest.raises(ParindexError) as other:
        api.get_ruleset("moha.province", 2030)
    assert not other.value.hint or "abolished" not in other.value.hint


def test_ruleset_version_changes_are_flagged() -> None:
    _, notes = api.history("Quảng Ninh", datasets=["par-2018-2022"])
    v2021 = api.get_ruleset("moha.province", 2021).version
    v2022 = api.get_ruleset("moha.province", 2022).version
    assert v2021 != v2022
    assert any(
        n.startswith("2021 → 2022") and f"@{v2021} moha.province@{v2022}" in n for n in notes
    )
