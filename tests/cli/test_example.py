"""``parindex example``: the shipped examples listed, written into a folder, never overwritten
without --force; found as package data in a wheel and in the checkout's examples/ otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.cli import examples as ex
from parindex.cli.main import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }


def test_from_the_checkout_the_examples_are_its_examples_folder() -> None:
    # This test suite runs from an editable install: src/parindex has no examples/ of its own.
    assert ex._packaged_examples() is None
    assert Path(str(ex.examples_root())) == EXAMPLES


def test_no_name_lists_every_top_level_example(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["example"]) == 0
    out = capsys.readouterr().out
    shown = {line.split()[0] for line in out.splitlines()[2:] if line.strip()}
    expected = {p.name + ("/" if p.is_dir() else "") for p in EXAMPLES.iterdir()}
    assert expected <= shown
    assert "parindex example NAME" in out
    assert list(tmp_path.iterdir()) == []  # listing writes nothing


def test_a_file_is_written_into_the_current_folder_byte_for_byte(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["example", "moha-2017-example.yaml"]) == 0
    written = tmp_path / "moha-2017-example.yaml"
    assert written.read_bytes() == (EXAMPLES / "moha-2017-example.yaml").read_bytes()
    assert capsys.readouterr().out.strip() == "moha-2017-example.yaml"
    assert main(["score", "moha-2017-example.yaml"]) == 0
    assert "87.75" in capsys.readouterr().out


def test_a_folder_is_written_whole_into_dir(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper"
    assert main(["example", "planning", "-o", str(out)]) == 0
    assert _files(out / "planning") == _files(EXAMPLES / "planning")


def test_a_path_inside_a_folder_keeps_its_folders(tmp_path: Path) -> None:
    name = "planning/rulesets/example-province-2021.yaml"
    assert main(["example", name, "-o", str(tmp_path)]) == 0
    assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes()
    assert _files(tmp_path) == {name: (EXAMPLES / name).read_bytes()}


def test_all_writes_every_example(tmp_path: Path) -> None:
    assert main(["example", "--all", "-o", str(tmp_path / "examples")]) == 0
    assert _files(tmp_path / "examples") == _files(EXAMPLES)


def test_an_existing_file_is_not_replaced_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "sipas-answers.csv"
    target.write_text("mine\n", encoding="utf-8")
    assert main(["example", "sipas-answers.csv", "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert str(target) in err and "already exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert main(["example", "sipas-answers.csv", "-o", str(tmp_path), "--force"]) == 0
    assert target.read_bytes() == (EXAMPLES / "sipas-answers.csv").read_bytes()


def test_a_folder_with_one_existing_file_is_not_written_at_all(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mine = tmp_path / "ca-mau-2013" / "ruleset.yaml"
    mine.parent.mkdir()
    mine.write_text("mine\n", encoding="utf-8")
    assert main(["example", "ca-mau-2013", "-o", str(tmp_path)]) == 1
    assert str(mine) in capsys.readouterr().err
    assert _files(tmp_path) == {"ca-mau-2013/ruleset.yaml": b"mine\n"}  # nothing else written


@pytest.mark.parametrize("name", ["no-such-example.yaml", "../pyproject.toml", "planning/nope"])
def test_an_unknown_name_is_an_error_listing_the_examples(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["example", name, "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"no example called {name!r}" in err and "moha-2017-example.yaml" in err
    assert list(tmp_path.iterdir()) == []


def test_name_and_all_together_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["example", "planning", "--all"]) == 1
    assert "either NAME or --all" in capsys.readouterr().err


def test_writes_go_through_the_atomic_writer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from parindex.io import files

    calls: list[Path] = []
    real = files.atomic_write_bytes

    def spy(path: str | Path, data: bytes, **options: bool) -> None:
        calls.append(Path(path))
        real(path, data, **options)

    monkeypatch.setattr(files, "atomic_write_bytes", spy)
    assert main(["example", "ca-mau-2013", "-o", str(tmp_path)]) == 0
    expected = [tmp_path / "ca-mau-2013" / name for name in _files(EXAMPLES / "ca-mau-2013")]
    assert sorted(calls) == sorted(expected)


def _fake_package(root: Path) -> Path:
    """An installed wheel's layout: site-packages/parindex/examples/..."""
    package = root / "site-packages" / "parindex"
    (package / "examples" / "folder").mkdir(parents=True)
    (package / "examples" / "only-in-the-wheel.yaml").write_text("# a wheel file\n", "utf-8")
    (package / "examples" / "folder" / "inner.csv").write_text("a,b\n", "utf-8")
    return package


def test_in_a_wheel_the_package_data_is_used(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import importlib.resources

    package = _fake_package(tmp_path)
    monkeypatch.setattr(importlib.resources, "files", lambda name: package)
    assert Path(str(ex.examples_root())) == package / "examples"
    assert main(["example"]) == 0
    out = capsys.readouterr().out
    assert "only-in-the-wheel.yaml" in out and "folder/" in out
    assert "moha-2017-example.yaml" not in out
    dest = tmp_path / "out"
    assert main(["example", "folder", "-o", str(dest)]) == 0
    assert (dest / "folder" / "inner.csv").read_text("utf-8") == "a,b\n"


def test_neither_installed_nor_a_checkout_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(ex, "_packaged_examples", lambda: None)
    monkeypatch.setattr(ex, "_checkout_examples", lambda: None)
    assert main(["example"]) == 1
    assert "example files are not installed" in capsys.readouterr().err


def test_the_wheel_carries_the_examples_as_package_data() -> None:
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include.get("examples") == "parindex/examples"


def test_hidden_files_and_caches_are_not_examples(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import importlib.resources

    package = _fake_package(tmp_path)
    (package / "examples" / "__pycache__").mkdir()
    (package / "examples" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (package / "examples" / ".hidden").write_text("x", "utf-8")
    monkeypatch.setattr(importlib.resources, "files", lambda name: package)
    dest = tmp_path / "out"
    assert main(["example", "--all", "-o", str(dest)]) == 0
    written = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert written == ["folder/inner.csv", "only-in-the-wheel.yaml"]
