"""Plugins that misbehave, round 2 (issue 14, class 8), with real packages found through entry
points, in a subprocess as a user runs parindex.

* a plugin's ``print()`` while it is imported, or in a hook, goes to standard error: the
  command's standard output (``score -f json``) stays what the command writes;
* two plugins giving the same ruleset id and version with different content: the conflict is
  reported under both names in ``parindex plugins``, the version is listed nowhere, and asking for
  it is refused, naming both, until the user picks one (disables the other, or gives the file);
* the same content from two plugins is no conflict: it is used once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import rel_plugin_fixtures as plugin_fixtures

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "moha-2017-example.yaml"

Run = Callable[..., subprocess.CompletedProcess[str]]


def runner(site: Path) -> Run:
    def go(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith("PARINDEX_")}
        path = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
        return subprocess.run(
            [sys.executable, "-m", "parindex.cli.main", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**base, "PYTHONPATH": path, "COLUMNS": "100", **env},
            cwd=site,
            check=False,
        )

    return go


@pytest.fixture(scope="module")
def noisy(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return runner(plugin_fixtures.install(tmp_path_factory.mktemp("noisy"), ["pi_noisy"]))


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Path]:
    site = plugin_fixtures.install(tmp_path_factory.mktemp("twins"), ["pi_twin_a", "pi_twin_b"])
    return runner(site), site


def test_plugin_output_never_reaches_the_commands_output(noisy: Run) -> None:
    proc = noisy("score", str(EXAMPLE), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    card = json.loads(proc.stdout)  # standard output is the score card alone
    assert card["total"] == "87.75"
    assert "NOISE WHILE IMPORTING" in proc.stderr and "NOISE IN A HOOK" in proc.stderr
    assert "NOISE" not in proc.stdout


def test_a_conflict_is_reported_by_plugin_name(twins: tuple[Run, Path]) -> None:
    run, _ = twins
    out = run("plugins").stdout
    assert "twin_a (loaded, 1 problem)" in out and "twin_b (loaded, 1 problem)" in out
    flat = " ".join(out.split())
    assert "ruleset extra.twin version 2020 is also provided, different, by twin_b" in flat
    assert "ruleset extra.twin version 2020 is also provided, different, by twin_a" in flat
    listed = run("rulesets").stdout
    assert "extra.twin" not in listed  # not listed once, nor three times


def test_an_ambiguous_version_is_refused_naming_both(twins: tuple[Run, Path]) -> None:
    run, site = twins
    proc = run("score", str(site / "twin-assessment.yaml"))
    assert proc.returncode == 1, proc.stderr
    first = proc.stderr.splitlines()[0]
    assert "extra.twin version 2020 is provided by more than one plugin" in first
    assert "twin_a, twin_b" in first and "PARINDEX_DISABLE_PLUGINS" in first
    shown = run("show", "extra.twin")
    assert shown.returncode == 1 and "more than one plugin" in shown.stderr


def test_picking_one_by_disabling_the_other(twins: tuple[Run, Path]) -> None:
    run, site = twins
    for disabled, first_max in (("twin_b", "6"), ("twin_a", "4")):
        proc = run(
            "score", str(site / "twin-assessment.yaml"), "-f", "json",
            PARINDEX_DISABLE_PLUGINS=disabled,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        card = json.loads(proc.stdout)
        assert card["nodes"][0]["maximum"] == first_max


def test_identical_content_from_two_plugins_is_used_once(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    site = plugin_fixtures.install(tmp_path_factory.mktemp("same"), ["pi_twin_a", "pi_twin_same"])
    run = runner(site)
    proc = run("score", str(site / "twin-assessment.yaml"), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"] == "6"
    assert run("rulesets").stdout.count("extra.twin") == 1
