"""``parindex test --quiet``: only failures and the summary.

The example scores 87.75 (its header adds up its fields): a case expecting 87.75 passes, one
expecting 90 fails."""

from __future__ import annotations

from pathlib import Path

from cli_options import EXAMPLES, Cli


def _case(path: Path, name: str, total: str) -> Path:
    text = (EXAMPLES / "moha-2017-example.yaml").read_text(encoding="utf-8")
    body = text[text.index("ruleset:") :]
    inner = "\n".join("  " + line if line else line for line in body.splitlines())
    path.write_text(
        f"name: {name}\nassessment:\n{inner}\nexpect:\n  total: {total}\n", encoding="utf-8"
    )
    return path


def test_quiet_prints_failures_and_the_summary_only(cli: Cli, tmp_path: Path) -> None:
    good = _case(tmp_path / "good.case.yaml", "right total", "87.75")
    bad = _case(tmp_path / "bad.case.yaml", "wrong total", "90")
    loud = cli("test", good, bad)
    quiet = cli("test", good, bad, "--quiet")
    assert loud.code == quiet.code == 1
    assert f"PASS right total ({good}:1)" in loud.out.splitlines()
    assert not any(line.startswith("PASS") for line in quiet.out.splitlines())
    for out in (loud.out, quiet.out):
        lines = out.splitlines()
        assert lines[-1] == "1 passed, 1 failed"
        assert f"FAIL case 'wrong total' ({bad}:1): 1 of 1 checks failed" in lines
        assert "  total: expected 90, got 87.75" in lines
    assert [line for line in loud.out.splitlines() if not line.startswith("PASS")] == (
        quiet.out.splitlines()
    )
    only_good = cli("test", good, "-q")
    assert (only_good.code, only_good.out.splitlines()) == (0, ["1 passed, 0 failed"])
