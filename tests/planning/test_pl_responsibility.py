"""Responsibility maps: the format, its checks and the maps shipped with parindex."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from parindex.analysis.planning.errors import ResponsibilityMapError
from parindex.analysis.planning.responsibility import (
    builtin_names,
    find_map,
    load_map,
    map_from_data,
)

SHIPPED = ["hung-yen-2022", "lang-son-2022", "yen-bai-2021"]

MINIMAL = """\
responsibility_map: test-map
province: Tỉnh thử
year: 2022
source: {document: 1/KH-UBND, date: 2022-01-01}
sections:
  par:
    title: PAR
    rulesets: [test.small]
    entries:
      - codes: ["F1"]
        lead: Sở A
        clause: "II.1"
      - codes: ["F1.2.2"]
        lead: Sở B
        clause: "II.2"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_three_source_maps_are_shipped() -> None:
    assert builtin_names() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_map_names_its_source_and_every_entry_its_clause(name: str) -> None:
    rmap = find_map(name)
    assert rmap.source.document
    for section in rmap.sections.values():
        for entry in section.entries:
            assert entry.clause.strip()
            # an assignment the text does not make is "not stated" and says why
            if not entry.lead:
                assert entry.note, f"{name}: {entry.codes} has no lead and no note"


def test_lang_son_map_gives_the_codes_the_plan_names() -> None:
    section = find_map("lang-son-2022").sections["par"]
    lead = {c: e.lead for e in section.entries for c in e.codes}
    # 156/KH-UBND II.1: 1.1; 1.3.2; 4.1.2; 5.3.1; 5.5.2; 5.7.2 to Sở Nội vụ
    for code in ["1.1", "1.3.2", "4.1.2", "5.3.1", "5.5.2", "5.7.2", "1", "4", "5"]:
        assert lead[code] == ("Sở Nội vụ",)
    assert lead["3.4.1"] == lead["3"] == ("Văn phòng UBND tỉnh",)  # II.3
    assert lead["3.2.6"] == ("Sở Thông tin và Truyền thông",)  # II.5.1, a field-3 code
    assert lead["8.3.1"] == ("Sở Kế hoạch và Đầu tư",)  # II.6.2.1
    assert lead["8"] == ()  # II.6 names no single lead


def test_yen_bai_map_has_papi_sub_dimensions_with_joint_leads() -> None:
    section = find_map("yen-bai-2021").sections["papi"]
    lead = {c: e.lead for e in section.entries for c in e.codes}
    assert lead["D1.4"] == ("Sở Nội vụ", "Sở Tài chính")  # III.3.1 (4) and III.3.3
    assert lead["D6.3"] == ("Sở Công Thương", "Sở Giao thông vận tải")  # III.3.11, III.3.12
    assert lead["D8"] == ("Sở Thông tin và Truyền thông",)  # III.3.4
    assert lead["D5.3"] == ()  # no clause gives it to an agency


def test_hung_yen_map_states_no_lead_because_the_annex_is_missing() -> None:
    rmap = find_map("hung-yen-2022")
    entries = rmap.sections["papi"].entries
    assert [c for e in entries for c in e.codes] == [f"D{i}" for i in range(1, 9)]
    assert all(e.lead == () for e in entries)
    assert rmap.coordinator is not None and rmap.coordinator.agency == "Sở Nội vụ"


def test_find_map_by_file(tmp_path: Path) -> None:
    rmap = find_map(str(write(tmp_path, MINIMAL)))
    assert rmap.id == "test-map" and rmap.sections["par"].entries[1].lead == ("Sở B",)


def test_unknown_map_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ResponsibilityMapError, match="lang-son-2022"):
        find_map("lang-son-2021")


def test_a_code_assigned_twice_is_an_error_with_its_line(tmp_path: Path) -> None:
    text = MINIMAL.replace('codes: ["F1.2.2"]', 'codes: ["F1.2.2", "F1"]')
    path = write(tmp_path, text)
    with pytest.raises(ResponsibilityMapError) as info:
        load_map(path)
    err = info.value
    assert err.code == "F1" and err.file == str(path)
    assert err.line == 13  # the line of the second entry's codes
    assert "assigned twice" in str(err) and f"{path}:13" in str(err)


def test_an_entry_without_clause_is_an_error_naming_its_code(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace('        clause: "II.2"\n', ""))
    with pytest.raises(ResponsibilityMapError) as info:
        load_map(path)
    assert info.value.code == "F1.2.2"
    assert info.value.line == 13  # the entry (its clause is missing)
    assert "clause" in (info.value.field or "")


def test_a_lead_missing_from_the_agency_list_is_an_error(tmp_path: Path) -> None:
    text = MINIMAL.replace("sections:", "agencies:\n  Sở A: {en: Dept A}\nsections:")
    with pytest.raises(ResponsibilityMapError, match="'Sở B' is not listed") as info:
        load_map(write(tmp_path, text))
    assert info.value.code == "F1.2.2"


def test_a_map_without_source_document_is_refused() -> None:
    data = yaml.safe_load(MINIMAL)
    data["source"] = {"date": "2022-01-01"}
    with pytest.raises(ResponsibilityMapError, match=r"source\.document"):
        map_from_data(data)


def test_section_choice() -> None:
    rmap = map_from_data(yaml.safe_load(MINIMAL))
    name, _, notes = rmap.section_for("test.small")
    assert name == "par" and notes == []
    name, _, notes = rmap.section_for("other.set")  # one section: used, with a note
    assert name == "par" and "applied to other.set" in notes[0]
    with pytest.raises(ResponsibilityMapError, match="no section 'papi'"):
        rmap.section_for("test.small", "papi")
    two = find_map("yen-bai-2021")
    with pytest.raises(ResponsibilityMapError, match="--section"):
        two.section_for("other.set")
