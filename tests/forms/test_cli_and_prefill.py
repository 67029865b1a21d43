"""The `form` command, pre-filled forms, and filled forms through `score` and `rank`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from formfill import REPO, fill

from parindex import api
from parindex.cli.main import main
from parindex.model.documents import Assessment

SONLA = REPO / "examples/sonla-department-2023.yaml"
SONLA_PARAMS = REPO / "rulesets/sonla.department/params/2023.example.yaml"


@pytest.mark.parametrize(
    ("example", "params", "ruleset_file"),
    [
        ("moha-2017-example.yaml", None, None),
        ("sonla-department-2023.yaml", SONLA_PARAMS, None),
        # a ruleset from a file, with choices and tiers
        ("ca-mau-2013/assessment.yaml", None, REPO / "examples/ca-mau-2013/ruleset.yaml"),
    ],
)
def test_a_prefilled_form_reads_back_to_the_same_score(
    tmp_path: Path, example: str, params: Path | None, ruleset_file: Path | None
) -> None:
    source = REPO / "examples" / example
    assessment = api.load_assessment(source)
    if ruleset_file is not None:
        ruleset = api.load_ruleset(ruleset_file)
    else:
        ruleset = api.get_ruleset(assessment.ruleset, assessment.year)
    want = api.score(source, ruleset, params=params)
    if params is not None:
        ruleset = api.with_parameters(ruleset, params, assessment.year)
    [form] = api.write_forms(ruleset, assessment.year, out=tmp_path / "f.xlsx", prefill=source)
    got = api.score_form(form, ruleset)
    assert got.model_dump(exclude={"receipt"}) == want.model_dump(exclude={"receipt"})


def test_form_score_and_rank_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["form", "moha.province", "--year", "2017", "--unit", "a=Tỉnh A", "--unit", "b"]
    assert main([*argv, "-o", "forms"]) == 0
    assert capsys.readouterr().out.split() == ["forms/a.xlsx", "forms/b.xlsx"]
    points = {"1": 9, "2": 8, "3": 13, "4": 10, "5": 14, "6": 6, "7": 13, "8": 12}
    fill(tmp_path / "forms/a.xlsx", {c: {"self": p} for c, p in points.items()})
    fill(tmp_path / "forms/b.xlsx", {c: {"self": p - 1} for c, p in points.items()})
    assert main(["score", "forms/a.xlsx"]) == 0
    out = capsys.readouterr().out
    assert "Total: 85.00 / 100" in out  # 9 + 8 + 13 + 10 + 14 + 6 + 13 + 12
    assert main(["rank", "forms/"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split() for line in lines if line[:1].isdigit()]
    # b scores 8 points less: 77.00
    assert [r[:1] + r[-3:-1] for r in rows] == [["1", "85.00", "85.00"], ["2", "77.00", "77.00"]]


def test_score_of_a_bad_form_exits_1_naming_the_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["form", "moha.province", "--year", "2017", "--unit", "a", "-o", "a.xlsx"]) == 0
    fill(tmp_path / "a.xlsx", {"1": {"self": 11}})
    assert main(["score", "a.xlsx"]) == 1
    err = capsys.readouterr().err
    assert "a.xlsx: Lĩnh vực 1!F2: [node 1] points 11 are above the maximum 10" in err


def test_prefill_refuses_an_input_on_a_parent(tmp_path: Path) -> None:
    from parindex.model.errors import AssessmentError

    ruleset = api.with_parameters(api.get_ruleset("sonla.department", 2023), SONLA_PARAMS, 2023)
    bad = Assessment.model_validate(
        {"ruleset": "sonla.department", "year": 2023, "unit": "so-a", "inputs": {"TD": 50}}
    )
    with pytest.raises(AssessmentError, match="leaf criteria only"):
        api.write_forms(ruleset, 2023, out=tmp_path, prefill=bad)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)",
)
def test_libreoffice_opens_and_renders_a_form(tmp_path: Path) -> None:
    assessment = api.load_assessment(SONLA)
    ruleset = api.with_parameters(api.get_ruleset("sonla.department", 2023), SONLA_PARAMS, 2023)
    [form] = api.write_forms(ruleset, 2023, out=tmp_path / "so.xlsx", prefill=assessment)
    profile = (tmp_path / "profile").as_uri()  # a profile of its own: no lock, no first-run dialog
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(form),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "so.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 2
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # the Vietnamese renders as itself, and the typed values are there
    assert "PHIẾU TỰ ĐÁNH GIÁ" in text
    assert "sonla.department" in text
    assert "Báo cáo CCHC quý III gửi muộn" in text


def test_rank_mixes_forms_and_yaml_but_not_one_unit_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    moha = str(REPO / "examples/moha-2017-example.yaml")
    assert main(["form", "moha.province", "--from", moha, "-o", "f/t.xlsx"]) == 0
    capsys.readouterr()
    assert main(["rank", "f/", moha]) == 1
    assert "unit 'tinh-minh-hoa' is given twice" in capsys.readouterr().err


def test_rank_forms_of_a_ruleset_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    ruleset = str(REPO / "examples/ca-mau-2013/ruleset.yaml")
    source = str(REPO / "examples/ca-mau-2013/assessment.yaml")
    assert main(["form", ruleset, "--from", source, "-o", "f/a.xlsx"]) == 0
    capsys.readouterr()
    assert main(["rank", "f/", "--ruleset", ruleset, "--format", "csv"]) == 0
    want = api.score(source, api.load_ruleset(ruleset))
    rows = capsys.readouterr().out.splitlines()
    assert rows[1].split(",")[0] == "1" and f"{want.total:.2f}" in rows[1]
