"""``parindex new-ruleset``: a plugin package that installs with pip and whose tests pass as made.

The quick tests load the made package in this process; the slow one does what a user does on a
fresh machine: a new venv, ``pip install`` parindex (not editable) and the package, then
``pytest`` the package's folder (it needs the package index: pip builds parindex with hatchling).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import parindex_core_rules
from parindex import Registry, load_ruleset
from parindex.authoring.scaffold import Names, ScaffoldError, new_ruleset, parse_years
from parindex.authoring.yamltests import run_cases
from parindex.cli.main import main

REPO = Path(__file__).resolve().parents[2]


def load_package(root: Path, package: str) -> ModuleType:
    init = root / "src" / package / "__init__.py"
    spec = importlib.util.spec_from_file_location(package, init)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_package_layout_and_names(tmp_path: Path) -> None:
    root = tmp_path / "camau"
    written = new_ruleset(
        root,
        ruleset_id="camau.department",
        years=(2013,),
        authority="UBND tỉnh Cà Mau",
        document="1880/QĐ-UBND",
    )
    assert sorted(str(p.relative_to(root)) for p in written) == [
        "README.md",
        "conftest.py",
        "pyproject.toml",
        "src/parindex_camau_department/__init__.py",
        "src/parindex_camau_department/py.typed",
        "src/parindex_camau_department/rulesets/camau.department/2013.yaml",
        "tests/2013-example.case.yaml",
        "tests/test_parindex_camau_department.py",
    ]
    project = (root / "pyproject.toml").read_text(encoding="utf-8").splitlines()
    assert 'name = "parindex-camau-department"' in project
    entry = project.index("[project.entry-points.parindex]")
    assert project[entry + 1] == 'camau_department = "parindex_camau_department"'
    assert 'dependencies = ["parindex>=0.1.0"]' in project
    rs = load_ruleset(root / "src/parindex_camau_department/rulesets/camau.department/2013.yaml")
    assert (rs.id, rs.version, rs.years, rs.unit_kind) == (
        "camau.department",
        "2013",
        (2013,),
        "department",
    )
    assert rs.authority.vi == "UBND tỉnh Cà Mau" and rs.source.document == "1880/QĐ-UBND"
    assert rs.status == "unverified"


def test_the_example_case_passes_against_the_made_plugin(tmp_path: Path) -> None:
    root = tmp_path / "x"
    new_ruleset(
        root,
        ruleset_id="hue.district",
        years=(2021, 2022, 2023),
        unit_kind="district",
        version="2021",
    )
    plugin = load_package(root, "parindex_hue_district")
    registry = Registry([parindex_core_rules, plugin], entry_points=False)
    assert [r.version for r in registry.versions("hue.district")] == ["2021"]
    results = list(run_cases([root / "tests"], registry))
    assert len(results) == 1 and results[0].passed, results[0].report()
    # the case: 1.1 late 1 + 1.2 at 90% 2 + 2 given 3.25 = 6.25 of 10; checks 4 points + 3
    assert results[0].checks == 7


def test_odd_but_valid_texts_are_quoted(tmp_path: Path) -> None:
    root = tmp_path / "x"
    new_ruleset(
        root,
        ruleset_id="a-b.c_d",
        years=(2020,),
        version="2020.1",
        title='Tiêu chí: "năm" 2020 # 1',
        authority="Sở: Nội vụ",
        package="my_plugin",
    )
    rs = load_ruleset(root / "src/my_plugin/rulesets/a-b.c_d/2020.1.yaml")
    assert rs.title.vi == 'Tiêu chí: "năm" 2020 # 1' and rs.authority.vi == "Sở: Nội vụ"
    assert rs.version == "2020.1"
    assert Names.of("a-b.c_d").dist == "parindex-a-b-c-d"


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2013", (2013,)),
        ("2013,2014", (2013, 2014)),
        ("2021-2025", (2021, 2022, 2023, 2024, 2025)),
        ("2019, 2021–2022", (2019, 2021, 2022)),
    ],
)
def test_parse_years(text: str, years: tuple[int, ...]) -> None:
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["", "13", "2025-2021", "2013,2013", "1850"])
def test_bad_years(text: str) -> None:
    with pytest.raises(ScaffoldError):
        parse_years(text)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "pkg"
    args = ["new-ruleset", str(root), "--id", "camau.department", "--years", "2013"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"made {root}/ with 8 files:")
    assert "rulesets/camau.department/2013.yaml" in out
    assert main(args) == 1  # not over an existing package
    assert "exists and is not an empty folder" in capsys.readouterr().err
    assert main(["new-ruleset", str(tmp_path / "y"), "--id", "Cà Mau", "--years", "2013"]) == 1
    assert "ruleset id 'Cà Mau'" in capsys.readouterr().err


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, **kw)  # type: ignore[call-overload, no-any-return]


@pytest.mark.slow  # about 20 s with a local package index; deselect with -m "not slow"
def test_fresh_environment_install_and_pytest(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", str(venv)]).returncode == 0
    py = venv / "bin" / "python"
    root = tmp_path / "x"
    assert main(["new-ruleset", str(root), "--id", "camau.department", "--years", "2013"]) == 0
    for step in ([str(REPO)], [str(root)], ["pytest"]):
        got = _run([str(py), "-m", "pip", "install", "-q", *step])
        assert got.returncode == 0, f"pip install {step}: {got.stdout}\n{got.stderr}"
    listed = _run([str(venv / "bin" / "parindex"), "rulesets"])
    assert listed.returncode == 0 and "camau.department" in listed.stdout, listed.stderr
    tested = _run([str(py), "-m", "pytest", str(root)], cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    # 3 Python checks and the YAML case
    assert "4 passed" in tested.stdout, tested.stdout
