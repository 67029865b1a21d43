"""English that used to reach a reader under ``--locale vi`` and is now Vietnamese: each check
runs the command (or raises the error) in both locales and asserts the Vietnamese words under vi,
the English ones under en (the source language is unchanged), and no English phrase under vi."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from i18n_helpers import COMMANDS, EX, PL, ROOT, RS

from parindex.cli.main import main
from parindex.model.errors import ParindexError
from parindex.model.i18n import add_names, localize, using_locale


@pytest.fixture(autouse=True)
def _unwrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100000")  # one line per table row: a cell's text stays whole


def _run(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 0) -> tuple[str, str]:
    assert main(argv) == code
    out, err = capsys.readouterr()
    return out, err


def _both(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 0) -> tuple[str, str]:
    """stdout + stderr of ``argv`` under en, then under vi."""
    en = "".join(_run(capsys, ["--locale", "en", *argv], code))
    vi = "".join(_run(capsys, ["--locale", "vi", *argv], code))
    return " ".join(en.split()), " ".join(vi.split())  # unwrapped: phrases stay whole


HISTORY_TARGETS = [
    "targets",
    str(EX / "targets" / "lang-son-2021-history.yaml"),
    "--scores",
    str(PL / "lang-son-2020.yaml"),
    str(PL / "lang-son-2021.yaml"),
    "--ruleset",
    str(RS / "example-province-2020.yaml"),
    "--ruleset",
    str(RS / "example-province-2021.yaml"),
]


def test_a_region_in_a_target_sentence_is_named_in_the_readers_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    en, vi = _both(capsys, HISTORY_TARGETS)
    # the register (vn-regions-2023) names the region both ways; Lạng Sơn's region has 14
    assert "1 of the 14 provinces of Northern Midlands and Mountains are in the batch" in en
    assert "1 trong 14 tỉnh của vùng Trung du và miền núi phía Bắc có trong lô" in vi
    assert "Northern Midlands" not in vi


def test_the_rank_within_a_region_heading(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["rank", str(EX / "history" / "par-2020-top10-components.csv"), "--within", "region"]
    en, vi = _both(capsys, argv)
    assert "(1 of 14 provinces ranked)" in en
    assert "(đã xếp hạng 1/14 tỉnh của vùng)" in vi and "provinces ranked" not in vi


def test_add_names_translates_a_name_only_where_a_field_holds_it_whole() -> None:
    add_names("vi", {"Test Region": "Tây Thử"})
    text = "2 of the 5 provinces of Test Region are in the batch"
    assert localize(text, "vi") == "2 trong 5 tỉnh của vùng Tây Thử có trong lô"
    assert localize(text, "en") == text
    # a longer field holding the name among other words is not a name
    other = "2 of the 5 provinces of Test Region North are in the batch"
    assert "Test Region North" in localize(other, "vi")


def test_a_survey_fragment_error_under_vi(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["validate", str(EX / "surveys" / "bad-fragment.yaml")]
    en, vi = _both(capsys, argv, code=1)
    assert "input XHH: 31.50 points is above the maximum 30" in en
    assert "đầu vào XHH: 31,50 điểm vượt điểm tối đa 30" in vi
    assert "above the maximum" not in vi


def test_a_fragment_that_is_not_one_is_refused_in_both_languages(tmp_path: Path) -> None:
    from parindex.io.survey_fragment import read_fragment_file

    path = tmp_path / "f.yaml"
    path.write_text("kind: assessment\nruleset: x\n", encoding="utf-8")
    with pytest.raises(ParindexError) as info:
        read_fragment_file(path)
    assert "not a survey fragment (needs 'kind: survey-points')" in str(info.value)
    with using_locale("vi"):
        shown = str(info.value)
    assert "không phải tệp phần điểm điều tra (cần có 'kind: survey-points')" in shown
    assert info.value.message.startswith("not a survey fragment")  # programs keep the English


def test_the_notes_of_listed_survey_fragments(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "score",
        str(EX / "surveys" / "sonla-department-2023-listed.yaml"),
        "--params",
        str(ROOT / "rulesets" / "sonla.department" / "params" / "2023.example.yaml"),
    ]
    en, vi = _both(capsys, argv)
    assert "survey XHH: question value = mean of its valid answers on the 1–5 scale" in en
    assert "điều tra XHH: giá trị câu hỏi = trung bình các câu trả lời hợp lệ trên thang 1–5" in vi
    assert "question value" not in vi and "[unverified]" not in vi


def test_reproduce_skips_and_papi_group_notes(capsys: pytest.CaptureFixture[str]) -> None:
    en, vi = _both(capsys, ["reproduce", "--dataset", "papi-2011-2016"])
    assert "skipped: no total and no node points published" in en
    assert "papi 2016 groups of the total: cuts 37.3166875, 35.722712, 34.7601" in en
    assert "bỏ qua: không công bố tổng điểm và điểm từng tiêu chí" in vi
    assert "papi 2016, nhóm theo tổng điểm: ngưỡng 37,3166875, 35,722712, 34,7601" in vi
    assert "(quy tắc khác: --papi-groups)" in vi
    assert "bỏ qua: 2 (2 không có tổng điểm và điểm từng tiêu chí)" in vi
    for english in ("groups of the total", "no total and no node points", "another rule"):
        assert english not in vi


def test_gaps_names_its_depth_and_its_notes(capsys: pytest.CaptureFixture[str]) -> None:
    card = str(PL / "lang-son-2021.yaml")
    ruleset = str(RS / "example-province-2021.yaml")
    en, vi = _both(capsys, ["gaps", card, "--ruleset", ruleset, "--depth", "criterion"])
    assert "listed at depth criterion: 12.89 in 15 node(s)" in en
    assert "liệt kê ở cấp tiêu chí: 12,89 ở 15 tiêu chí" in vi
    en, vi = _both(capsys, ["report", str(EX / "moha-2020-quang-ninh.yaml"), "-f", "markdown"])
    assert "3 node(s) have no published maximum, so their lost points are unknown" in en
    assert "3 tiêu chí chưa có điểm tối đa công bố, nên không biết số điểm bị mất" in vi
    assert "so their lost points" not in vi and "the rows account for" not in vi


def test_the_agency_basis_column(capsys: pytest.CaptureFixture[str]) -> None:
    en, vi = _both(capsys, COMMANDS["gaps-agency"])
    assert "II.1 stated" in en
    assert "II.1 nêu rõ" in vi and "stated" not in vi


def test_history_across_the_reorganisation(capsys: pytest.CaptureFixture[str]) -> None:
    en, vi = _both(capsys, ["history", "Phú Thọ"])
    assert "Vĩnh Phúc (predecessor of Phú Thọ from 2025-07-01)" in en
    assert "formed from Vĩnh Phúc, Hòa Bình, Phú Thọ (202/2025/QH15 art. 1 item 4" in en
    assert "Vĩnh Phúc (tiền thân của Phú Thọ từ 2025-07-01)" in vi
    assert "hợp nhất từ Vĩnh Phúc, Hòa Bình, Phú Thọ (khoản 4 Điều 1, 202/2025/QH15" in vi
    for english in ("predecessor of", "formed from", "art. 1", "shown apart"):
        assert english not in vi


def test_what_example_says_it_wrote(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["example", "moha-2017-example.yaml", "-o", str(tmp_path), "--force"]
    en, vi = _both(capsys, argv)
    assert f"wrote 1 example file into {tmp_path}" in en
    assert f"đã ghi 1 tệp ví dụ vào {tmp_path}" in vi


def test_the_not_applicable_policy_in_show(capsys: pytest.CaptureFixture[str]) -> None:
    en, vi = _both(capsys, ["show", "moha.province", "--year", "2022"])
    assert "not applicable: exclude; ties: competition" in en
    assert "không phát sinh: loại khỏi điểm tối đa (exclude);" in vi


def test_refusing_to_overwrite_an_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    card = tmp_path / "a.yaml"
    card.write_bytes((EX / "moha-2017-example.yaml").read_bytes())
    en, vi = _both(capsys, ["score", str(card), "-o", str(card)], code=1)
    assert "is one of this command's inputs; writing the output there would destroy it" in en
    assert "là một đầu vào của lệnh này; ghi kết quả vào đó sẽ xóa mất nó" in vi
    assert "hãy cho một tệp kết quả khác, hoặc thêm --force để ghi đè" in vi


@pytest.mark.parametrize(
    ("case", "english", "vietnamese"),
    [
        # a code in a sentence stays as written: '2.1', never '2,1'
        ("assessment-duplicate-code.yaml", "duplicate key '2.1'", "khóa '2.1' bị lặp"),
        ("ruleset-code-double-dot.yaml", "two dots in a row", "có hai dấu chấm liền nhau"),
        ("ruleset-years-boolean.yaml", "got true (a boolean)", "nhưng là true (giá trị đúng/sai)"),
        ("ruleset-rule-missing-parameter.yaml", "bands: Field required", "thiếu trường bắt buộc"),
    ],
)
def test_errors_of_the_bad_input_corpus(
    case: str, english: str, vietnamese: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ROOT / "tests" / "badinput" / "cases" / case
    en, vi = _both(capsys, ["validate", str(path)], code=1)
    assert english in en
    assert vietnamese in vi and english not in vi


def test_the_summary_line_printed_after_a_machine_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["reproduce", "--dataset", "papi-2011-2016", "--format", "json"]
    _, en = _run(capsys, ["--locale", "en", *argv])
    _, vi = _run(capsys, ["--locale", "vi", *argv])
    assert "rows: 378; recomputed: 376 (agreeing: 376, disagreeing: 0); checked only: 0" in en
    assert "skipped: 2 (2 no total and no node points)" in en
    assert "số dòng: 378; tính lại: 376 (khớp: 376, không khớp: 0); chỉ kiểm tra: 0" in vi
    assert "bỏ qua: 2 (2 không có tổng điểm và điểm từng tiêu chí)" in vi
    assert "recomputed" not in vi and "PAPI groups" not in vi


def test_the_shipped_sipas_frameworks_title(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["example", "sipas-answers.csv"]) == 0
    capsys.readouterr()
    en, vi = _both(capsys, ["sipas", "sipas-answers.csv"])
    assert "SIPAS — SIPAS 2017 framework (QĐ 2640/QĐ-BNV): 5 elements, 22 criteria" in en
    assert "SIPAS — Khung SIPAS 2017 (QĐ 2640/QĐ-BNV): 5 yếu tố, 22 tiêu chí" in vi
    assert "framework" not in vi


def test_a_framework_files_title_is_shown_as_written_even_empty(tmp_path: Path) -> None:
    """Not looked up: gettext("") is the catalogue's header, not an empty title."""
    from parindex_papi_sipas.sipas import SIPAS_2017, aggregate_csv
    from parindex_papi_sipas.sipas_report import render_text

    untitled = dataclasses.replace(SIPAS_2017, title="")
    src = tmp_path / "a.csv"
    src.write_text("unit,respondent,item,answer\nU,r1,E1.1,5\n", encoding="utf-8")
    with using_locale("vi"):
        text = render_text(aggregate_csv(src, framework=untitled))
    assert text.startswith("SIPAS —  [")
    assert "Content-Type" not in text and "Project-Id" not in text
