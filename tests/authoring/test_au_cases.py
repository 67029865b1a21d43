"""YAML test cases: the format, ``parindex test``, and the pytest plugin (``*.case.yaml``)."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from parindex.authoring.yamltests import load_cases, run_case, run_cases
from parindex.cli.main import main
from parindex.model.errors import SchemaError

FIXTURES = Path(__file__).parent / "fixtures"
AMEND = FIXTURES / "amend" / "amend-2014.yaml"

# A case on the amendment fixture with three wrong expectations (worked out by hand):
# 1.2.1 measure 90 → band [70, 90] → 1.5 (not 3); 9.9 is not a node; total 1 + 1.5 + 1 + 2.5 + 0
# = 6 of 10 → index 60 → no group (not A). 1.2 = 1.5 + 1 = 2.5 and total 6 are right.
FAILING = f"""\
name: wrong expectations
ruleset_file: {AMEND}
assessment:
  ruleset: test.amend
  year: 2014
  unit: u
  inputs: {{"1.1": {{choice: late}}, "1.2.1": {{measure: 90}}, "1.2.2": 1, "2.1": 2.5,
           "2.3": {{choice: "no"}}}}
expect:
  points: {{"1.2.1": 3, "1.2": 2.5, "9.9": 1}}
  total: 6
  group: A
"""


def test_the_fixture_cases_pass() -> None:
    results = list(run_cases([FIXTURES / "cases"]))
    assert [r.name for r in results] == [
        "amended tiers, all inputs",
        "exactly 90 is in the middle band",
        "the removed node is no longer a code",
    ]
    assert all(r.passed for r in results), [r.report() for r in results]
    # checks counted: 4 points + total + index + group; 1 points + total + group; kind + code
    assert [r.checks for r in results] == [7, 3, 2]


def test_a_failing_case_shows_expected_actual_and_the_trace(tmp_path: Path) -> None:
    path = tmp_path / "wrong.case.yaml"
    path.write_text(FAILING, encoding="utf-8")
    (case,) = load_cases(path)
    result = run_case(case)
    assert not result.passed and result.checks == 5
    assert [m.what for m in result.mismatches] == [
        "1.2.1 Tỷ lệ thực hiện (of 3)",
        "points of 9.9",
        "group",
    ]
    first = result.mismatches[0]
    assert (first.expected, first.actual) == ("3", "1.5")
    assert "→ measure 90 in band [70, 90] → 1.5" in first.trace
    assert "source: 3/QĐ-TEST, 2014-02-01" in first.trace
    report = result.report()
    assert report.startswith(f"case 'wrong expectations' ({path}:1): 3 of 5 checks failed")
    assert "  group: expected A, got none" in report
    assert "got no node 9.9 in the score card" in report


def test_expected_errors_are_compared(tmp_path: Path) -> None:
    path = tmp_path / "e.case.yaml"
    path.write_text(
        f"ruleset_file: {AMEND}\n"
        "assessment: {ruleset: test.amend, year: 2014, unit: u, inputs: {'1.1': {choice: late}}}\n"
        "cases:\n"
        "  - name: right\n"
        "    expect: {error: {kind: missing-input, code: '1.2.1', message: 'have no input'}}\n"
        "  - name: wrong kind\n"
        "    expect: {error: {kind: unknown-code}}\n"
        "  - name: no error expected\n"
        "    inputs: {'1.2.1': {measure: 50}, '1.2.2': 0, '2.1': 0, '2.3': {choice: 'no'}}\n"
        "    expect: {error: {kind: missing-input}}\n",
        encoding="utf-8",
    )
    right, wrong, none = (run_case(c) for c in load_cases(path))
    assert right.passed and right.checks == 3
    assert not wrong.passed
    assert (wrong.mismatches[0].expected, wrong.mismatches[0].actual) == (
        "unknown-code",
        "missing-input",
    )
    # all leaves given: 1 + 0 + 0 + 0 + 0 = 1, no error
    assert not none.passed and none.mismatches[0].actual == "no error"


def test_an_assessment_file_and_a_scoring_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "ruleset: test.amend\nyear: 2014\nunit: u\ninputs:\n  '1.1': {choice: sometimes}\n",
        encoding="utf-8",
    )
    path = tmp_path / "f.case.yaml"
    path.write_text(f"ruleset_file: {AMEND}\nassessment: a.yaml\nexpect: {{total: 1}}\n")
    (case,) = load_cases(path)
    result = run_case(case)
    assert result.error is not None and not result.passed
    # the error names the assessment file and the line of the input
    assert result.error.file == str(tmp_path / "a.yaml") and result.error.line == 5
    assert "unknown option 'sometimes'" in result.report()


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("assessment: {ruleset: x, year: 2014, unit: u}\nexpect: {totl: 3}\n", 2, "expect.totl"),
        ("assessment: {ruleset: x, year: 2014, unit: u}\nexpect: {}\n", 2, "names nothing"),
        ("assessment:\n  ruleset: x\n  year: nine\n  unit: u\nexpect: {total: 1}\n", 3, "year"),
        ("cases: []\n", 1, "cases"),
    ],
)
def test_bad_case_files_are_located(tmp_path: Path, text: str, line: int, what: str) -> None:
    path = tmp_path / "bad.case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        load_cases(path)
    assert info.value.file == str(path) and info.value.line == line
    assert what in str(info.value)


def test_parindex_test_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(FIXTURES / "cases")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "3 passed, 0 failed"
    (tmp_path / "wrong.case.yaml").write_text(FAILING, encoding="utf-8")
    (tmp_path / "broken.case.yaml").write_text("expect: [\n", encoding="utf-8")
    assert main(["test", "-q", str(tmp_path), str(FIXTURES / "cases")]) == 1
    out = capsys.readouterr().out
    assert "FAIL case 'broken.case.yaml'" in out and "invalid YAML" in out
    assert "1.2.1 Tỷ lệ thực hiện (of 3): expected 3, got 1.5" in out
    assert out.splitlines()[-1] == "3 passed, 2 failed"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["test", str(empty)]) == 1
    assert "no cases found" in capsys.readouterr().err


def _plugin_args() -> list[str]:
    """``-p parindex.pytest_plugin`` unless pytest already loads it through the entry point
    (loading it both ways would register it twice)."""
    eps = metadata.entry_points(group="pytest11")
    if any(ep.value == "parindex.pytest_plugin" for ep in eps):
        return []
    return ["-p", "parindex.pytest_plugin"]


def test_pytest_plugin_collects_and_reports(tmp_path: Path) -> None:
    (tmp_path / "wrong.case.yaml").write_text(FAILING, encoding="utf-8")
    for case in (FIXTURES / "cases").glob("*.case.yaml"):
        text = case.read_text(encoding="utf-8").replace(
            "ruleset_file: ../amend/amend-2014.yaml", f"ruleset_file: {AMEND}"
        )
        (tmp_path / case.name).write_text(text, encoding="utf-8")
    (tmp_path / "ignored.yaml").write_text("not: a case\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *_plugin_args(),
            "-p",
            "no:cacheprovider",
            "-v",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr
    assert "amend-2014.case.yaml::amended tiers, all inputs PASSED" in out
    assert "amend-2014.case.yaml::the removed node is no longer a code PASSED" in out
    assert "wrong.case.yaml::wrong expectations FAILED" in out
    assert "1.2.1 Tỷ lệ thực hiện (of 3): expected 3, got 1.5" in out
    assert "→ measure 90 in band [70, 90] → 1.5" in out
    assert "1 failed, 3 passed" in out
    assert "ignored.yaml" not in out


def test_pytest_plugin_reports_a_bad_case_file_as_a_collection_error(tmp_path: Path) -> None:
    (tmp_path / "bad.case.yaml").write_text("assessment: {}\nexpect: {totl: 1}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *_plugin_args(), "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2, proc.stdout
    assert f"parindex: invalid case file: {tmp_path / 'bad.case.yaml'}:2" in proc.stdout
