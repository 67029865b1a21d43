"""What a cold ``parindex score`` imports and builds (issue 17, cold start): the amendment
machinery only for a ruleset with ``extends``, the survey fragments only for an assessment that
lists some, the batch groupings only for a batch, and of the command line only the command it
names (the others are listed, as the whole parser lists them)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from parindex.cli.main import _Inert, _OnlyNamed, build_parser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "moha-2017-example.yaml"
BASE = ROOT / "examples" / "ca-mau-2013" / "ruleset.yaml"
LISTED = ROOT / "examples" / "surveys" / "sonla-department-2023-listed.yaml"

#: Imported only when a ruleset amends another or an assessment lists survey fragments
#: (io.loading), or a batch is grouped (io.registry).
LAZY = (
    "parindex.io.amend",
    "parindex.io.amend_blame",
    "parindex.io.amendment",
    "parindex.io.survey_fragment",
    "parindex.model.group_rules",
)

# What the interpreter (or a coverage measurement started by a .pth file) imported before
# parindex does not count: the check is on what the command itself imports.
CHILD = """
import sys
before = set(sys.modules)
import contextlib, io, json
from parindex.cli.main import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    code = main(sys.argv[1:])
lazy = {lazy!r}
print(json.dumps({{"code": code, "out": out.getvalue(), "err": err.getvalue(),
                  "imported": [m for m in lazy if m in sys.modules and m not in before]}}))
"""


def _run(*argv: str) -> dict[str, object]:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C"}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD.format(lazy=LAZY), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    found: dict[str, object] = json.loads(proc.stdout)
    return found


def test_score_imports_no_amendment_machinery_survey_fragment_or_grouping() -> None:
    found = _run("score", str(EXAMPLE), "--format", "json")
    assert found["code"] == 0, found["err"]
    assert json.loads(str(found["out"]))["total"] == "87.75"  # 9.5+8.75+13+10.25+14.5+6+13.75+12
    assert found["imported"] == []


def test_a_ruleset_that_amends_another_still_loads_the_machinery(tmp_path: Path) -> None:
    # the control: the same check sees the modules when a file needs them
    (tmp_path / "2013.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    amendment = tmp_path / "2014.yaml"
    amendment.write_text(
        'extends: 2013.yaml\nversion: "2014"\nyears: [2014]\n'
        "source: {document: 999/QĐ-UBND, date: 2014-03-01}\n",
        encoding="utf-8",
    )
    found = _run("validate", str(amendment))
    assert found["code"] == 0, found["err"]
    assert "valid ruleset" in str(found["out"])
    imported = found["imported"]
    assert isinstance(imported, list)
    assert {"parindex.io.amend", "parindex.io.amendment"} <= set(imported)


def test_an_assessment_that_lists_survey_fragments_still_loads_them() -> None:
    found = _run("score", str(LISTED), "--format", "json")
    assert found["code"] == 0, found["err"]
    card = json.loads(str(found["out"]))
    assert card["unverified_codes"]  # the listed fragment's unverified survey steps are flagged
    assert found["imported"] == ["parindex.io.survey_fragment"]


def _choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_other_commands_of_the_named_commands_module_are_only_listed() -> None:
    choices = _choices(build_parser(command="score"))
    whole = _choices(build_parser())
    assert list(choices) == list(whole)
    # show, validate, rank … (parindex.cli.core, like score) share the option-less stand-in
    assert choices["show"] is choices["rank"] is choices["validate"]
    assert choices["show"]._actions[1:] == []  # only its -h
    assert choices["score"] is not choices["show"]
    assert choices["score"].format_help() == whole["score"].format_help()
    assert choices["score"].parse_args(["x.yaml", "--form", "json"]).format == "json"


def _sub() -> argparse._SubParsersAction:  # type: ignore[type-arg]
    return argparse.ArgumentParser(prog="p").add_subparsers(dest="command")


def test_only_named_keeps_what_argparse_records_for_a_listed_command() -> None:
    sub, listed = _sub(), argparse.ArgumentParser(prog="p COMMAND")
    only = _OnlyNamed(sub, {"a"}, listed)
    built = only.add_parser("a", help="the built one")
    other = only.add_parser("b", help="a listed one", aliases=["bee"], description="unused")
    hidden = only.add_parser("c")  # no help: argparse lists no line for it
    assert isinstance(built, argparse.ArgumentParser) and built.prog == "p a"
    assert isinstance(other, _Inert) and isinstance(hidden, _Inert)
    assert sub.choices == {"a": built, "b": listed, "bee": listed, "c": listed}
    assert [(a.dest, a.metavar, a.help) for a in sub._choices_actions] == [
        ("a", "a", "the built one"),
        ("b", "b (bee)", "a listed one"),
    ]
    assert sub._parser_class is argparse.ArgumentParser  # put back after each listed command
    # a name taken twice is refused as argparse refuses it, listed or not
    with pytest.raises(argparse.ArgumentError, match="conflicting subparser: b"):
        only.add_parser("b", help="again")
    with pytest.raises(argparse.ArgumentError, match="conflicting subparser: a"):
        only.add_parser("a")


def test_the_inert_parser_takes_any_configuration() -> None:
    inert = _Inert()
    group = inert.add_mutually_exclusive_group(required=True)
    assert group.add_argument("--x", type=int) is inert
    assert inert.set_defaults(handler=print) is inert
