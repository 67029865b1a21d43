"""``--help`` and command-line errors in the reader's locale: every help text of the parser has a
``vi`` translation, and the help page of every command under ``vi`` holds none of them in
English."""

from __future__ import annotations

import argparse
import re

import pytest

from parindex.cli.main import ARGPARSE_TEMPLATES, build_parser, main, parsers
from parindex.locale.extract import translations
from parindex.model.i18n import using_locale

#: argparse's headings: written by argparse, translated by the formatter all the same.
HEADINGS = ["usage: ", "positional arguments", "options"]


def help_texts(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Every text of ``parser``'s help page → where it is said (descriptions, epilogs, group
    titles, each option's and each sub-command's help)."""
    found: dict[str, str] = {}
    prog = parser.prog
    for text, what in ((parser.description, "description"), (parser.epilog, "epilog")):
        if text:
            found.setdefault(text, f"{prog}: {what}")
    for group in parser._action_groups:
        for text in (group.title, group.description):
            if text:
                found.setdefault(text, f"{prog}: group")
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            found.setdefault(action.help, f"{prog} {'/'.join(action.option_strings)}")
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.help:
                    found.setdefault(choice.help, f"{prog} {choice.dest}")
    return found


def every_parser() -> list[argparse.ArgumentParser]:
    # the top-level help is built without the plugins (their commands from declared names)
    return parsers(build_parser()) + parsers(build_parser(load_plugins=False))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_help_text_has_a_vietnamese_translation() -> None:
    vi = translations("vi")
    lacking = {
        text: where
        for parser in every_parser()
        for text, where in help_texts(parser).items()
        if not vi.get(text)
    }
    lacking.update({h: "argparse" for h in HEADINGS if not vi.get(h)})
    assert lacking == {}, "help texts without vi (add them to locale/vi/.../parindex.po):\n" + (
        "\n".join(f"{where}: {text!r}" for text, where in lacking.items())
    )


def test_the_walk_finds_a_help_text_the_catalogue_lacks() -> None:
    # the check above must be able to fail: a new option's help is found and is untranslated
    parser = build_parser()
    score = parser._subparsers._group_actions[0].choices["score"]  # type: ignore[union-attr]
    score.add_argument("--brand-new", help="a help text nobody translated")
    texts = {t for p in parsers(parser) for t in help_texts(p)}
    assert "a help text nobody translated" in texts
    assert "a help text nobody translated" not in translations("vi")


def _page(parser: argparse.ArgumentParser, locale: str) -> str:
    with using_locale(locale):
        return parser.format_help()


@pytest.mark.parametrize("parser", every_parser(), ids=lambda p: p.prog)
def test_every_help_page_under_vi_has_no_english_help_text(
    parser: argparse.ArgumentParser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    vi = translations("vi")
    page = _words(_page(parser, "vi"))
    english = _words(_page(parser, "en"))
    left, checked = [], 0
    for text in help_texts(parser):
        # a text of prose (not a bare command line or a name): its English must be gone, and
        # its translation printed (argparse rewraps it: compared word by word)
        if not re.search(r"[a-z]{4,} [a-z]{2,}", text):
            continue
        said = _words(text.replace("%%", "%"))
        if said not in english:
            continue  # the title of an empty group: argparse does not show it
        if said in page:
            left.append(said)
        else:
            assert _words(vi[text].replace("%%", "%")) in page, text
            checked += 1
    assert left == []
    assert checked >= 1  # -h's help at least was found translated
    for heading in ("usage:", "options:", "positional arguments:"):
        assert heading not in page
    assert "cách dùng: " in page and "tùy chọn:" in page


@pytest.mark.parametrize(
    ("argv", "environ"),
    [
        (["--locale", "vi", "score", "--help"], {}),
        (["score", "--help", "--locale", "vi"], {}),  # the locale after --help, after the command
        (["score", "--locale=vi", "--help"], {}),
        (["score", "--help"], {"PARINDEX_LOCALE": "vi"}),
        (["score", "--help"], {"LANG": "vi_VN.UTF-8"}),
    ],
)
def test_help_is_printed_in_the_locale_asked_for(
    argv: list[str],
    environ: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("PARINDEX_LOCALE", "LANG", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: parindex score")
    assert "chấm theo tệp bộ tiêu chí này thay cho bộ đã cài" in out  # --ruleset's help


def test_help_stays_english_by_default_and_under_an_unknown_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("PARINDEX_LOCALE", "LANG", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    assert capsys.readouterr().out.startswith("usage: parindex score")
    monkeypatch.setenv("PARINDEX_LOCALE", "xx")  # refused when a command runs; help in en
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    assert "score against this ruleset file" in capsys.readouterr().out


def test_top_level_help_without_a_command_is_translated(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--locale", "vi"]) == 2  # no command: the help, exit 2
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: parindex")
    assert "chấm điểm một bản đánh giá" in out  # the score command's line
    assert "Mã thoát: 0 khi thành công" in out  # the epilog


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["score"], "parindex score: lỗi: thiếu các tham số bắt buộc: assessment"),
        (
            ["score", "x.yaml", "--format", "foo"],
            "parindex score: lỗi: tham số --format/-f: lựa chọn không hợp lệ: 'foo' (chọn một",
        ),
        (["score", "x.yaml", "--bogus"], "parindex: lỗi: tham số không nhận ra: --bogus"),
        (["show", "moha.province", "--year"], "tham số --year: cần một giá trị"),
    ],
)
def test_command_line_errors_under_vi(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--locale", "vi", *argv])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert err.startswith("cách dùng: ")
    with pytest.raises(SystemExit):
        main(argv)  # and in English without --locale
    assert "error: " in capsys.readouterr().err


def test_argparse_templates_are_translated() -> None:
    vi = translations("vi")
    assert all(vi.get(t) for t in ARGPARSE_TEMPLATES)
