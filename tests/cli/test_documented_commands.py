"""Every command line the program and its documentation show runs as shown.

The commands are extracted, not listed here: the examples of ``parindex --help`` and of each
command's help epilog, the shell blocks of README.md and docs/*.md (```bash, ```sh, ```shell and
unlabelled blocks: lines starting ``parindex ``; ```console and unlabelled blocks: lines starting
``$ parindex ``), and the quick start of ``help(parindex)``. Each source is one session, run in
order in a folder of its own: the help examples in an empty folder (they get their files with
``parindex example``, as a user of an installed parindex would), the Markdown files in a folder
holding a copy of the repository's examples/ and rulesets/ (the documented working folder is the
repository root). Output files are relative to that folder, so nothing is written in the checkout.

A command must exit 0, unless the document says it fails: a ``# comment`` on its line saying
"refused", "rejected", "error" or "fails" (exit 1, or the status given as "exit N"), or, in a
console transcript, a shown output line right after it starting ``parindex: error:`` (exit 1).
Commands shown after a ``$ pip install`` in the same document need the package that command
installs; for those the command line is only checked to parse.
"""

from __future__ import annotations

import doctest
import glob
import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import parindex
from parindex.cli.main import build_parser, main

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SHELL_LANGS = {"bash", "sh", "shell", "console", ""}
SHELL_OPERATORS = {"&&", "||", "|", ";", ">", ">>", "2>", "&>", "<"}
FAILS = re.compile(r"\b(refused|rejected|error|fails?)\b", re.IGNORECASE)
ENV_ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")


@dataclass
class Shown:
    """One command line as shown: where, what, and the exit status the document gives it."""

    where: str
    line: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    expect: int = 0
    parse_only: bool = False
    #: the output a console transcript shows under the command (``…`` lines: an elision)
    shown: list[str] = field(default_factory=list)


def _split_comment(text: str) -> tuple[str, str]:
    """``command  # comment`` → (command, comment); a ``#`` inside quotes is not a comment."""
    blanked = re.sub(r"'[^']*'|\"[^\"]*\"", lambda m: "x" * len(m.group()), text)
    hit = re.search(r"(?:^|\s)#", blanked)
    if hit is None:
        return text, ""
    return text[: hit.start()], text[hit.end() :]


def parse_command(where: str, line: str, output_after: str = "") -> Shown:
    """``parindex ARGS  # comment`` (prompt, environment assignments and shell operators
    allowed) as argv, with the documented exit status."""
    text, comment = _split_comment(line.strip().removeprefix("$ "))
    tokens = shlex.split(text)
    for i, tok in enumerate(tokens):
        if tok in SHELL_OPERATORS:
            tokens = tokens[:i]
            break
    env = {}
    while tokens and ENV_ASSIGNMENT.match(tokens[0]):
        name, _, value = tokens.pop(0).partition("=")
        env[name] = value
    assert tokens and tokens[0] == "parindex", f"{where}: not a parindex command: {line}"
    expect = 0
    status = re.search(r"\bexit (?:status )?(\d+)", comment)
    if status:
        expect = int(status.group(1))
    elif FAILS.search(comment) or output_after.startswith("parindex: error:"):
        expect = 1
    return Shown(where, line.strip(), tokens[1:], env, expect)


def _joined(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """(first line, last line, text) with backslash continuations joined."""
    i = 0
    while i < len(lines):
        start, text = i, lines[i]
        while text.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            text = text.rstrip()[:-1] + " " + lines[i].strip()
        yield start, i, text
        i += 1


def commands_in_help(where: str, text: str) -> list[Shown]:
    return [
        parse_command(where, line)
        for _, _, line in _joined(text.splitlines())
        if line.strip().startswith("parindex ")
    ]


def commands_in_markdown(path: Path, root: Path = REPO) -> list[Shown]:
    """The commands of the shell blocks of ``path``, in order."""
    shown: list[Shown] = []
    installed = False
    lines = path.read_text(encoding="utf-8").splitlines()
    name = path.relative_to(root).as_posix()
    i = 0
    while i < len(lines):
        fence = re.match(r"^\s*```(\S*)\s*$", lines[i])
        i += 1
        if not fence:
            continue
        lang, body_start = fence.group(1), i
        while i < len(lines) and not lines[i].strip().startswith("```"):
            i += 1
        body = lines[body_start:i]
        i += 1  # the closing fence
        if lang not in SHELL_LANGS:
            continue
        for first, last, line in _joined(body):
            stripped = line.strip()
            prompted = stripped.startswith("$ ")
            command = stripped.removeprefix("$ ")
            if prompted and re.match(r"(\S+/)?pip3? install\b", command):
                installed = True
            if lang == "console" and not prompted:
                continue  # the output of the command above
            words = [t for t in command.split() if not ENV_ASSIGNMENT.match(t)]
            if words[:1] != ["parindex"]:
                continue
            after = body[last + 1].strip() if last + 1 < len(body) else ""
            cmd = parse_command(f"{name}:{body_start + first + 1}", stripped, after)
            cmd.parse_only = installed
            if prompted:
                cmd.shown = _transcript(body[last + 1 :])
            shown.append(cmd)
    return shown


def _transcript(rest: list[str]) -> list[str]:
    """The output lines shown after a ``$`` command line, up to the next one."""
    out = []
    for line in rest:
        if line.strip().startswith("$ "):
            break
        out.append(line.rstrip())
    return out


def _squashed(text: str) -> str:
    return " ".join(text.split())


def _shows(line: str, printed: str) -> bool:
    """Whether ``printed`` is what the shown ``line`` says (see :func:`transcript_mismatches`)."""
    if "…" not in line:
        return printed == line
    if line.endswith("…") and line.count("…") == 1:
        return printed.startswith(line[:-1].rstrip())
    at, flat = 0, _squashed(printed)
    for part in (_squashed(p) for p in line.split("…")):
        found = flat.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def transcript_mismatches(shown: list[str], printed: str) -> list[str]:
    """The shown lines that the printed output does not have, in the shown order.

    Every shown line must equal a printed line exactly (trailing blanks aside), later than the
    line matched before it, except that ``…`` marks what the document leaves out: a line that is
    only ``…`` stands for printed lines left out; a line ending in ``…`` is cut short (what comes
    before it must begin a printed line); a line with ``…`` inside leaves out columns (its parts
    must appear in that order in one printed line, runs of blanks read as one). A note after
    ``←`` (``… 0  ← on stderr``) is the document's, not the program's; blank lines are not
    compared."""
    lines = [line.rstrip() for line in printed.splitlines()]
    missing = []
    at = 0
    for line in shown:
        want = re.sub(r"\s+←.*$", "", line).rstrip()
        if not want.strip() or want.strip() == "…":
            continue
        found = next((i for i in range(at, len(lines)) if _shows(want, lines[i])), None)
        if found is None:
            missing.append(line)
        else:
            at = found + 1
    return missing


def transcript_width(shown: list[str]) -> int:
    """The terminal width a transcript was taken at: 100 columns (the width used when output is
    not a terminal), or as wide as its widest line."""
    return max([100, *(len(line) for line in shown)])


def _subparsers() -> dict[str, object]:
    import argparse

    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def help_sessions() -> dict[str, list[Shown]]:
    sessions = {"parindex --help": commands_in_help("parindex --help", build_parser().epilog or "")}
    for name, sub in sorted(_subparsers().items()):
        epilog = getattr(sub, "epilog", None) or ""
        found = commands_in_help(f"parindex {name} --help", epilog)
        if found:
            sessions[f"parindex {name} --help"] = found
    return sessions


def doc_sessions() -> dict[str, list[Shown]]:
    out = {}
    for path in DOCS:
        found = commands_in_markdown(path)
        if found:
            out[path.relative_to(REPO).as_posix()] = found
    return out


def docstring_parts() -> tuple[list[Shown], str]:
    """The ``$ parindex`` lines and the doctest of ``parindex.__doc__``'s quick start."""
    doc = parindex.__doc__ or ""
    commands = [
        parse_command("help(parindex)", line)
        for line in doc.splitlines()
        if line.strip().startswith("$ parindex ")
    ]
    return commands, doc


HELP = help_sessions()
DOCS_FOUND = doc_sessions()


def _checkout_copy(folder: Path) -> None:
    """The documented working folder: the repository root (examples and rulesets copied, the
    rest linked, read only; docs/reliability.md shows errors on files of tests/badinput)."""
    for name in ("examples", "rulesets"):
        shutil.copytree(REPO / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("plugins", "schemas", "docs", "tests", "README.md", "pyproject.toml"):
        (folder / name).symlink_to(REPO / name)


def _expand(args: list[str]) -> list[str]:
    """Glob patterns expanded as a shell would (a pattern matching nothing stays as is)."""
    out: list[str] = []
    for arg in args:
        matches = sorted(glob.glob(arg)) if glob.has_magic(arg) else []
        out += matches or [arg]
    return out


#: Exit status and stderr of commands that depend on nothing in their folder (same command line,
#: same environment: the same result), so that one shown in several documents runs once.
_RESULTS: dict[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], tuple[int, str, str]] = {}
_WRITERS = {"example", "new-ruleset", "write-schemas", "import-table", "report"}
_OUTPUT_OPTIONS = {"-o", "--output", "--svg", "--html", "--export"}


def _cache_key(argv: list[str], env: dict[str, str]) -> object:
    """The key of a command that reads no file of its folder and writes none, else None."""
    if not argv or argv[0] in _WRITERS or _OUTPUT_OPTIONS & set(argv):
        return None
    if any(Path(a).exists() for a in argv if not a.startswith("-")):
        return None
    return (tuple(argv), tuple(sorted(env.items())))


def _run_session(
    commands: list[Shown],
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> list[str]:
    monkeypatch.chdir(folder)
    monkeypatch.setenv("COLUMNS", "120")
    for name in ("PARINDEX_LOCALE", "PARINDEX_DEBUG", "PARINDEX_DISABLE_PLUGINS"):
        monkeypatch.delenv(name, raising=False)
    failures = []
    for cmd in commands:
        argv = _expand(cmd.argv)
        if cmd.parse_only:
            try:
                build_parser().parse_args(argv)
            except SystemExit as exc:
                failures.append(f"{cmd.where}: does not parse (exit {exc.code}): {cmd.line}")
            continue
        width = {"COLUMNS": str(transcript_width(cmd.shown))} if cmd.shown else {}
        key = _cache_key(argv, {**cmd.env, **width})
        if key in _RESULTS:
            code, out, err = _RESULTS[key]  # type: ignore[index]
        else:
            with monkeypatch.context() as env:
                for name, value in {**width, **cmd.env}.items():
                    env.setenv(name, value)
                try:
                    code = main(argv)
                except SystemExit as exc:  # argparse: a wrong command line, --help
                    code = exc.code if isinstance(exc.code, int) else 1
            out, err = capsys.readouterr()
            if key is not None:
                _RESULTS[key] = (code, out, err)  # type: ignore[index]
        if code != cmd.expect:
            failures.append(
                f"{cmd.where}: exit {code}, documented {cmd.expect}: {cmd.line}\n"
                + "\n".join(err.strip().splitlines()[-3:])
            )
        missing = transcript_mismatches(cmd.shown, out + err)
        if missing:
            failures.append(
                f"{cmd.where}: {len(missing)} shown line(s) not printed as shown: {cmd.line}\n"
                + "\n".join(f"  {line!r}" for line in missing[:5])
            )
    return failures


@pytest.mark.parametrize("source", sorted(HELP))
def test_help_examples_run_in_an_empty_folder(
    source: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    failures = _run_session(HELP[source], tmp_path, monkeypatch, capsys)
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("source", sorted(DOCS_FOUND))
def test_documented_commands_run_from_the_checkout(
    source: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _checkout_copy(tmp_path)
    failures = _run_session(DOCS_FOUND[source], tmp_path, monkeypatch, capsys)
    assert failures == [], "\n".join(failures)


def test_the_quick_start_of_help_parindex_runs_in_an_empty_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    commands, doc = docstring_parts()
    assert commands, "help(parindex) shows no parindex command"
    assert commands[0].argv[0] == "example", "the quick start gets its file first"
    failures = _run_session(commands, tmp_path, monkeypatch, capsys)
    assert failures == [], "\n".join(failures)
    test = doctest.DocTestParser().get_doctest(doc, {}, "parindex", None, 0)
    assert test.examples, "help(parindex) has no Python example"
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=lambda s: None)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"


def test_every_source_is_found() -> None:
    # The extraction must not quietly find nothing: these sources are known to show commands.
    assert len(HELP["parindex --help"]) >= 5
    for command in ("sensitivity", "sipas", "reproduce", "gaps", "diff", "example"):
        assert f"parindex {command} --help" in HELP, command
    assert "README.md" in DOCS_FOUND and len(DOCS_FOUND["README.md"]) >= 10
    assert {"docs/performance.md", "docs/rulesets.md", "docs/planning.md"} <= set(DOCS_FOUND)


def test_every_help_example_uses_only_files_it_can_get() -> None:
    # A help example runs where an installed parindex is: no path into a source checkout.
    for source, commands in HELP.items():
        for cmd in commands:
            for arg in cmd.argv:
                assert not arg.startswith(("examples/", "rulesets/", "plugins/")), (source, arg)


@pytest.mark.parametrize(
    ("line", "after", "argv", "env", "expect"),
    [
        ("parindex rulesets   # every ruleset", "", ["rulesets"], {}, 0),
        (
            "parindex show sonla.department --year 2026  # refused: lists the years",
            "",
            ["show", "sonla.department", "--year", "2026"],
            {},
            1,
        ),
        ("$ parindex validate x.yaml", "parindex: error: x:3", ["validate", "x.yaml"], {}, 1),
        ("$ parindex validate x.yaml", "x.yaml: valid ruleset", ["validate", "x.yaml"], {}, 0),
        (
            "$ A_B=2 parindex reproduce f.csv --strict && echo ok",
            "",
            ["reproduce", "f.csv", "--strict"],
            {"A_B": "2"},
            0,
        ),
        ("parindex x -f json  # prints an error, exit 2", "", ["x", "-f", "json"], {}, 2),
        ('parindex sipas a.csv -s "4,5"', "", ["sipas", "a.csv", "-s", "4,5"], {}, 0),
    ],
)
def test_parse_command(
    line: str, after: str, argv: list[str], env: dict[str, str], expect: int
) -> None:
    cmd = parse_command("here", line, after)
    assert (cmd.argv, cmd.env, cmd.expect) == (argv, env, expect)


def test_markdown_extraction(tmp_path: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text(
        "text `parindex inline` is not a command\n"
        "```bash\nparindex a   # first\n# parindex not-this\n```\n"
        "```console\n$ parindex b \\\n    --long\nparindex: error: b failed\n"
        "parindex c is output\n```\n"
        "```python\nparindex.score('x')\n```\n"
        "```yaml\nparindex d\n```\n"
        "```\nparindex e\n$ pip install thing\n$ X=1 parindex f\n```\n",
        encoding="utf-8",
    )
    found = commands_in_markdown(doc, tmp_path)
    assert [(c.where, c.argv, c.env, c.expect, c.parse_only) for c in found] == [
        ("d.md:3", ["a"], {}, 0, False),
        ("d.md:7", ["b", "--long"], {}, 1, False),
        ("d.md:19", ["e"], {}, 0, False),
        ("d.md:21", ["f"], {"X": "1"}, 0, True),
    ]


def test_glob_patterns_are_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("b.yaml", "a.yaml", "c.csv"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert _expand(["rank", "*.yaml", "none*.x"]) == ["rank", "a.yaml", "b.yaml", "none*.x"]


@pytest.mark.parametrize(
    ("shown", "missing"),
    [
        (["a  b", "c"], []),
        (["a b", "c"], ["a b"]),  # spacing is part of the line
        (["a  b"], []),
        (["c", "a  b"], ["a  b"]),  # in the printed order only
        (["a "], ["a "]),  # a line is not a prefix of a longer one
        (["a  …"], []),  # unless cut short
        (["…", "x  ← on stderr"], []),
        (["a … b", "y … 2"], []),  # columns left out, blanks squashed
        (["a … q"], ["a … q"]),
        (["", "c"], []),
    ],
)
def test_transcript_lines_are_compared_whole(shown: list[str], missing: list[str]) -> None:
    printed = "a  b\nc\nx\ny 1 2\n"
    assert transcript_mismatches(shown, printed) == missing


def test_transcript_width_is_that_of_the_widest_line() -> None:
    assert transcript_width([]) == 100
    assert transcript_width(["x" * 99]) == 100
    assert transcript_width(["x" * 130, "y"]) == 130


def test_console_transcripts_are_extracted_with_their_output(tmp_path: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text(
        "```console\n$ parindex a\nline 1\n…\n$ parindex b\n```\n```bash\nparindex c\n```\n",
        encoding="utf-8",
    )
    found = commands_in_markdown(doc, tmp_path)
    assert [(c.argv, c.shown) for c in found] == [
        (["a"], ["line 1", "…"]),
        (["b"], []),
        (["c"], []),
    ]
