"""Snapshots: the default output of every command on the shipped examples, in en and in vi, as
plain text files under ``tests/i18n/snapshots/`` (``NAME.LOCALE.txt``), at ``COLUMNS=100``.

A change of output shows as a diff of these files in review. After a deliberate change, write
them again and read the diff::

    PARINDEX_UPDATE_SNAPSHOTS=1 .venv/bin/pytest -q tests/i18n/test_snapshots.py

Only what varies between machines is normalised: the checkout's path (``<root>``) and
parindex's version (``<version>``). Everything else (hashes, numbers, wording) is compared
exactly, so the outputs must be deterministic.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from i18n_helpers import COMMANDS, ROOT, run

from parindex._version import __version__

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("PARINDEX_UPDATE_SNAPSHOTS", "") not in {"", "0"}
LOCALES = ("en", "vi")


def normalise(text: str) -> str:
    text = text.replace(str(ROOT), "<root>")
    text = re.sub(rf"(?<![\w.]){re.escape(__version__)}(?![\w.])", "<version>", text)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


#: Commands whose output depends on what the process did before (``plugins`` counts what each
#: plugin has provided so far, and plugins load lazily): run in a process of their own.
FRESH_PROCESS = {"plugins"}


def _output(
    name: str, locale: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    argv = ["--locale", locale, *COMMANDS[name]]
    if name in FRESH_PROCESS:
        done = subprocess.run(
            [sys.executable, "-m", "parindex", *argv], capture_output=True, text=True, check=True
        )
        return normalise(done.stdout)
    return normalise(run(capsys, argv))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_matches_its_snapshot(
    name: str, locale: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = SNAPSHOTS / f"{name}.{locale}.txt"
    out = _output(name, locale, capsys, monkeypatch)
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert path.is_file(), f"no snapshot {path.name}: run with PARINDEX_UPDATE_SNAPSHOTS=1"
    expected = path.read_text(encoding="utf-8")
    assert out == expected, (
        f"parindex {' '.join(COMMANDS[name])} --locale {locale} differs from {path.name};"
        " if the change is meant, run with PARINDEX_UPDATE_SNAPSHOTS=1 and review the diff"
    )


def test_every_snapshot_belongs_to_a_command() -> None:
    # a command removed from the list leaves no stale snapshot behind
    expected = {f"{name}.{locale}.txt" for name in COMMANDS for locale in LOCALES}
    assert {p.name for p in SNAPSHOTS.glob("*.txt")} == expected


def test_the_two_locales_differ_and_vi_uses_its_decimal_comma() -> None:
    # a snapshot pair that is the same text would mean the locale was not applied
    differ = [
        name
        for name in COMMANDS
        if (SNAPSHOTS / f"{name}.en.txt").read_text(encoding="utf-8")
        != (SNAPSHOTS / f"{name}.vi.txt").read_text(encoding="utf-8")
    ]
    assert set(COMMANDS) - set(differ) <= {"schema"}
    score = (SNAPSHOTS / "score.vi.txt").read_text(encoding="utf-8")
    assert "Tổng điểm: 87,75 / 100" in score


def test_output_is_the_same_when_run_again(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # deterministic: no clock, no random order (sensitivity draws with a fixed seed)
    for name in ("sensitivity", "targets", "rank"):
        first = _output(name, "vi", capsys, monkeypatch)
        assert _output(name, "vi", capsys, monkeypatch) == first


def test_normalise_hides_only_the_path_and_the_version() -> None:
    text = f"{ROOT}/examples/x.yaml · parindex {__version__} · 87.75\n"
    assert normalise(text) == "<root>/examples/x.yaml · parindex <version> · 87.75\n"


def test_the_readme_tour_in_vietnamese_shows_the_real_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # every transcript of README.md's Vietnamese section: the lines shown before "…" are the
    # output's first lines, at the 100 columns of output that goes to no terminal
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("In Vietnamese (")[1].split("Reproducing published scores")[0]
    block = section.split("```console\n")[1].split("```")[0]
    sessions = block.split("$ parindex ")[1:]
    assert len(sessions) >= 2
    monkeypatch.setenv("COLUMNS", "100")
    for session in sessions:
        command, *shown = session.splitlines()
        shown = shown[: shown.index("…")] if "…" in shown else shown
        out = run(capsys, command.split()).splitlines()
        assert out[: len(shown)] == shown, command
