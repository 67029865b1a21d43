"""Plugin isolation with real, broken plugin packages discovered through entry points.

The packages (see rel_plugin_fixtures.py) are written to a temporary folder with a ``*.dist-info``
whose ``entry_points.txt`` publishes them; ``parindex`` runs in a subprocess with ``PYTHONPATH``
pointing there, so discovery is exactly that of installed distributions.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import rel_plugin_fixtures as plugin_fixtures

from parindex.io.plugins import PluginHost, hookimpl

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "moha-2017-example.yaml"

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plugin_fixtures.install(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def run(site: Path) -> Run:
    def go(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        base = {
            k: v
            for k, v in os.environ.items()
            if k not in {"PARINDEX_DISABLE_PLUGINS", "PARINDEX_DEBUG"}
        }
        full = {
            **base,
            "PYTHONPATH": os.pathsep.join(
                [str(site), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
            "COLUMNS": "100",
            **env,
        }
        return subprocess.run(
            [sys.executable, "-m", "parindex.cli.main", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=full,
            cwd=site,
        )

    return go


def section(text: str, plugin: str) -> str:
    """The lines of ``plugin``'s entry in the Problems section."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  {plugin} ("))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith("    ")), len(lines)
    )
    return "\n".join(lines[start:end])


def row(text: str, plugin: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(plugin + " "))


def test_plugins_command_names_every_failure(run: Run) -> None:
    proc = run("plugins")
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for good in ("core_rules", "vn"):
        assert row(out, good).split()[1] == "loaded"
    assert "failed" in row(out, "broken_import")
    assert "import failed: RuntimeError: boom while importing" in section(out, "broken_import")
    assert "failed" in row(out, "exit_import")
    assert "SystemExit(7)" in section(out, "exit_import")
    assert "failed" in row(out, "hook_raises")
    assert "parindex_rulesets failed: ValueError: cannot list my rulesets" in section(
        out, "hook_raises"
    )
    rulesets = section(out, "rulesets")
    assert "loaded, 1 problem" in row(out, "rulesets")
    assert "invalid ruleset skipped:" in rulesets and "extra.bad/2020.yaml" in rulesets
    kinds = section(out, "bad_kinds")
    assert "rule kind 'points' is already registered" in kinds
    assert "'not a class' is not a Rule subclass" in kinds
    assert "'parindex_rulesetz', which is not a parindex hook" in section(out, "typo_hook")
    assert "invalid ruleset object 'extra.object'" in section(out, "invalid_object")
    assert "PARINDEX_DISABLE_PLUGINS" in out


def test_long_problem_lists_stay_readable(run: Run) -> None:
    out = run("plugins", COLUMNS="80").stdout
    problems = out[out.index("Problems:") :]
    # every problem line is wrapped to the terminal (long file paths are never cut)
    for line in problems.splitlines():
        words = line.split()
        assert len(line) <= 80 or len(words) <= 3, line


def test_many_problems_are_capped_per_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import parindex.io.registry
    import parindex_core_rules
    from parindex.cli.main import main
    from parindex.io.plugins import RulesetSource
    from parindex.io.registry import Registry

    paths = []
    for i in range(30):
        path = tmp_path / f"r{i}.yaml"
        path.write_text(
            plugin_fixtures.BAD_RULESET.replace("extra.bad", f"extra.bad{i}"), encoding="utf-8"
        )
        paths.append(RulesetSource(path))
    many = _plugin("many_bad", parindex_rulesets=lambda: paths)
    reg = Registry([parindex_core_rules, many], entry_points=False)
    monkeypatch.setattr(parindex.io.registry, "_DEFAULT", reg)
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    entry = section(out, "many_bad")
    assert entry.count("invalid ruleset skipped") == 20
    assert "… and 10 more" in entry
    assert "loaded, 30 problems" in row(out, "many_bad")


def test_the_rest_keeps_working(run: Run) -> None:
    proc = run("score", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert "87.75" in proc.stdout
    listed = run("rulesets").stdout
    assert "extra.good" in listed and "moha.province" in listed
    assert "extra.bad" not in listed and "extra.object" not in listed
    # the standard 'points' kind is still the core one, not the plugin's impostor
    shown = run("show", "extra.good")
    assert shown.returncode == 0, shown.stderr


def test_an_invalid_plugin_ruleset_is_a_clear_error_when_asked_for(run: Run) -> None:
    proc = run("show", "extra.bad")
    assert proc.returncode == 1
    assert proc.stderr.startswith("parindex: error: ")
    assert "extra.bad/2020.yaml" in proc.stderr and "add up to 11" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_plugin_bug_while_scoring_names_the_plugin(run: Run, site: Path) -> None:
    # Issue 14: a rule whose evaluate() raises something other than ValueError is a located
    # error (exit 1) naming the plugin, the rule kind, the node and the input's line.
    proc = run("score", str(site / "explode-assessment.yaml"))
    assert proc.returncode == 1, proc.stderr
    first = proc.stderr.splitlines()[0]
    assert first.startswith("parindex: error: ") and "explode-assessment.yaml:4: [node 1]" in first
    assert "'explode' rule of plugin explode (pi_explode) failed: KeyError" in first
    assert "PARINDEX_DISABLE_PLUGINS=explode" in first
    assert "Traceback" not in proc.stderr
    debug = run("--debug", "score", str(site / "explode-assessment.yaml"))
    assert "Traceback (most recent call last)" in debug.stderr
    assert "pi_explode/__init__.py" in debug.stderr


def test_disable_plugins_by_name(run: Run) -> None:
    proc = run("plugins", PARINDEX_DISABLE_PLUGINS="exit_import, broken_import,nosuch")
    out = proc.stdout
    assert row(out, "exit_import").split()[1] == "disabled"
    assert row(out, "broken_import").split()[1] == "disabled"
    # a disabled plugin is not even imported: no import error is reported for it
    assert "boom while importing" not in out and "SystemExit" not in out
    assert "Disabled by PARINDEX_DISABLE_PLUGINS: broken_import, exit_import" in out
    assert "PARINDEX_DISABLE_PLUGINS names no installed plugin: nosuch" in out
    assert row(out, "core_rules").split()[1] == "loaded"


def test_disable_every_plugin(run: Run) -> None:
    out = run("plugins", PARINDEX_DISABLE_PLUGINS="*").stdout
    states = {
        line.split()[0]: line.split()[1]
        for line in out.splitlines()[2:]
        if line.strip() and not line.startswith(("Disabled", "What", "PARINDEX"))
    }
    assert states and set(states.values()) == {"disabled"}
    proc = run("score", str(EXAMPLE), PARINDEX_DISABLE_PLUGINS="*")
    assert proc.returncode == 1
    assert "unknown ruleset 'moha.province'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_disabling_the_broken_plugin_fixes_the_score(run: Run, site: Path) -> None:
    proc = run("score", str(site / "explode-assessment.yaml"), PARINDEX_DISABLE_PLUGINS="explode")
    assert proc.returncode == 1
    assert "unknown ruleset 'extra.explode'" in proc.stderr


# ------------------------------------------------------------------------ in-process, given in code
def _plugin(name: str, **hooks: Callable[[], Any]) -> SimpleNamespace:
    return SimpleNamespace(__name__=name, **{k: hookimpl(v) for k, v in hooks.items()})


@pytest.mark.parametrize(
    "answer, problem",
    [
        (lambda: 5, "returned int, not a list"),
        (lambda: "rulesets/x.yaml", "returned str, not a list"),
        (lambda: (x for x in [1, 2, 1 / 0]), "ZeroDivisionError"),
        (lambda: exec("raise SystemExit(2)"), "SystemExit(2)"),
    ],
)
def test_bad_hook_answers_are_reported(answer: Callable[[], Any], problem: str) -> None:
    host = PluginHost([_plugin("odd", parindex_rulesets=answer)], entry_points=False)
    assert list(host.collect("parindex_rulesets")) == []
    st = host.status["odd"]
    assert st.state == "failed"
    assert any(problem in e for e in st.errors), st.errors


def test_keyboard_interrupt_in_a_plugin_is_not_swallowed() -> None:
    def stop() -> list[Any]:
        raise KeyboardInterrupt

    host = PluginHost([_plugin("stop", parindex_rulesets=stop)], entry_points=False)
    with pytest.raises(KeyboardInterrupt):
        list(host.collect("parindex_rulesets"))


def test_one_failing_plugin_does_not_hide_the_others() -> None:
    host = PluginHost(
        [
            _plugin("bad", parindex_datasets=lambda: 1 / 0),
            _plugin("good", parindex_datasets=lambda: ["a.dataset.yaml"]),
        ],
        entry_points=False,
    )
    assert list(host.collect("parindex_datasets")) == [("good", "a.dataset.yaml")]
    assert host.status["bad"].state == "failed" and host.status["good"].state == "loaded"
    assert host.status["good"].provides == {"parindex_datasets": 1}
