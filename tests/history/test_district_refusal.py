"""No district level from 1 July 2025: `form` refuses a district for 2025 and later, with the
reason the bundled reorganisation dataset cites (Resolution 202/2025/QH15, the amended
Constitution), whether the ruleset is an installed one or a file that claims the year."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex import api
from parindex.cli.main import main
from parindex.model.errors import ConfigError, YearNotCoveredError

REPO = Path(__file__).resolve().parents[2]
DISTRICT = REPO / "rulesets" / "sonla.district" / "2021.yaml"


def test_form_for_an_installed_district_ruleset_in_2025(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["form", "sonla.district", "--year", "2025", "-o", str(tmp_path / "f.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "no version for year 2025; years available: 2021, 2022, 2023, 2024" in err
    assert "abolished from 1 July 2025" in err and "202/2025/QH15" in err
    assert not (tmp_path / "f.xlsx").exists()


def test_a_district_ruleset_file_claiming_2025_is_refused(tmp_path: Path) -> None:
    text = DISTRICT.read_text(encoding="utf-8")
    assert "years: [2021, 2022, 2023, 2024]" in text
    claimed = tmp_path / "district-2025.yaml"
    years = text.replace("years: [2021, 2022, 2023, 2024]", "years: [2021, 2022, 2023, 2024, 2025]")
    claimed.write_text(years, encoding="utf-8")
    ruleset = api.load_ruleset(claimed)
    with pytest.raises(ConfigError) as info:
        api.write_forms(ruleset, 2025, out=tmp_path / "f.xlsx")
    assert not (tmp_path / "f.xlsx").exists()
    assert info.value.field == "--year"
    assert "no district forms for 2025" in info.value.message
    assert "202/2025/QH15" in info.value.message
    # 2024 is still a district year
    assert api.write_forms(ruleset, 2024, out=tmp_path / "f.xlsx") == [tmp_path / "f.xlsx"]


def test_a_province_form_for_2025_is_not_refused_for_that_reason() -> None:
    with pytest.raises(YearNotCoveredError) as info:
        api.get_ruleset("sonla.department", 2026)
    assert not info.value.hint or "abolished" not in info.value.hint
