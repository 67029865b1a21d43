"""``python -m parindex``, ``--version`` (parindex, plugins, Python), and the options accepted
before or after the command: ``--locale``, ``--debug``; ``PARINDEX_LOCALE`` checked."""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import parindex
import parindex.cli.main
from parindex.cli.main import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = str(REPO / "examples" / "moha-2017-example.yaml")


def _plugins() -> list[metadata.EntryPoint]:
    return sorted(metadata.entry_points(group="parindex"), key=lambda e: e.name)


def _check_version_text(text: str) -> None:
    lines = text.splitlines()
    assert lines[0] == f"parindex {parindex.__version__}"
    assert _plugins(), "the test environment has the built-in plugins installed"
    for ep in _plugins():
        assert ep.dist is not None
        row = next(line for line in lines if line.split()[:1] == [ep.name])
        assert row.split() == [ep.name, ep.value, ep.dist.name, ep.dist.version]
    assert lines[-1].startswith(f"Python {platform.python_version()} ")


def test_version_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    _check_version_text(capsys.readouterr().out)


def test_version_through_the_parser_too(capsys: pytest.CaptureFixture[str]) -> None:
    # not the fast path: with another option before it, argparse's action prints the same text
    with pytest.raises(SystemExit) as stop:
        main(["--debug", "--version"])
    assert stop.value.code == 0
    _check_version_text(capsys.readouterr().out)


def test_version_marks_disabled_plugins(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = _plugins()[0].name
    monkeypatch.setenv("PARINDEX_DISABLE_PLUGINS", name)
    assert main(["--version"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.split()[0] == name)
    assert row.endswith("(disabled)")


def test_python_m_parindex_version_in_a_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "parindex", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    _check_version_text(proc.stdout)


def test_version_imports_no_command_module_nor_pydantic_nor_numpy() -> None:
    script = (
        "import sys\n"
        "from parindex.cli.main import main\n"
        "main(['--version'])\n"
        "loaded = [m for m in ('numpy', 'pydantic', 'parindex.cli.core', 'parindex.cli.perf')"
        " if m in sys.modules]\n"
        "print('LOADED', loaded)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "LOADED []"


def test_python_m_parindex_runs_a_command(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "parindex", "score", EXAMPLE, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"total": "87.75"' in proc.stdout


def _score(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_locale_before_or_after_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PARINDEX_LOCALE", raising=False)
    before = _score(["--locale", "vi", "score", EXAMPLE], capsys)
    after = _score(["score", EXAMPLE, "--locale", "vi"], capsys)
    english = _score(["score", EXAMPLE], capsys)
    assert before == after
    assert "87,75" in after and "87,75" not in english and "87.75" in english


def test_the_locale_after_the_command_wins(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PARINDEX_LOCALE", raising=False)
    out = _score(["--locale", "vi", "score", EXAMPLE, "--locale", "en"], capsys)
    assert "87.75" in out and "87,75" not in out


def test_a_wrong_locale_after_the_command_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["score", EXAMPLE, "--locale", "fr"])
    assert stop.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_debug_after_the_command_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PARINDEX_DEBUG", raising=False)
    assert main(["score", "no/such.yaml", "--locale", "vi", "--debug"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "no/such.yaml" in err
    assert main(["score", "no/such.yaml"]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_parindex_locale_sets_the_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PARINDEX_LOCALE", "vi")
    assert "87,75" in _score(["score", EXAMPLE], capsys)
    assert "87.75" in _score(["score", EXAMPLE, "--locale", "en"], capsys)


@pytest.mark.parametrize("value", ["xx", "VI", "en_US"])
def test_an_unknown_parindex_locale_is_an_error_listing_the_locales(
    value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PARINDEX_LOCALE", value)
    with pytest.raises(SystemExit) as stop:
        main(["score", EXAMPLE])
    assert stop.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"PARINDEX_LOCALE={value!r} is not a known locale" in err
    assert "en, vi" in err


def test_an_unknown_parindex_locale_is_an_error_in_a_real_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "parindex", "score", EXAMPLE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PARINDEX_LOCALE": "xx", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2
    assert "PARINDEX_LOCALE='xx'" in proc.stderr and "en, vi" in proc.stderr


def test_a_command_with_its_own_locale_option_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pi_own_locale.py").write_text(
        "def register(sub):\n"
        "    p = sub.add_parser('own-locale')\n"
        "    p.add_argument('--locale', dest='own', choices=['fr', 'de'], default='fr')\n"
        "    p.set_defaults(handler=lambda args: print(args.own, args.locale) or 0)\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(
        parindex.cli.main,
        "COMMAND_MODULES",
        [*parindex.cli.main.COMMAND_MODULES, "pi_own_locale"],
    )
    monkeypatch.delenv("PARINDEX_LOCALE", raising=False)
    assert main(["--locale", "vi", "own-locale", "--locale", "de"]) == 0
    out, err = capsys.readouterr()
    assert out.split() == ["de", "vi"] and "warning" not in err


def test_every_command_accepts_locale_and_debug_after_it() -> None:
    parser = parindex.cli.main.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in action.choices.items():
        options = {o for a in sub._actions for o in a.option_strings}
        assert {"--locale", "--debug"} <= options, name
