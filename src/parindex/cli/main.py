"""Entry point of the ``parindex`` command. Each command module registers its own sub-commands.

Imports are kept lazy (inside handlers) so that ``parindex --help`` and a single ``parindex score``
start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys

# `traceback`, `typing`, the error classes and the catalogue are imported when needed: the
# top-level help in English uses none of them (type checkers treat any TYPE_CHECKING as true).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, NoReturn

#: Modules that add sub-commands; each exposes ``register(subparsers) -> None``.
COMMAND_MODULES: list[str] = [
    "parindex.cli.core",
    "parindex.cli.reproduce",
    "parindex.cli.planning",
    "parindex.cli.authoring",
    "parindex.cli.perf",
    "parindex.cli.examples",
    "parindex.cli.forms",
    "parindex.cli.survey",
    "parindex.cli.history",
]

#: The locales of labels and number formats (``--locale``, ``PARINDEX_LOCALE``).
LOCALES: list[str] = ["en", "vi"]
LOCALE_ENV = "PARINDEX_LOCALE"

EPILOG = """\
examples (they run in any folder: `parindex example NAME` writes a shipped example file here,
`parindex example` lists them all):
  parindex rulesets
  parindex show moha.province --year 2017
  parindex example moha-2017-example.yaml
  parindex score moha-2017-example.yaml
  parindex score moha-2017-example.yaml --format json
  parindex score moha-2017-example.yaml --locale vi
  parindex explain moha-2017-example.yaml 1
  parindex example planning
  parindex rank moha-2017-example.yaml
  parindex gaps planning/lang-son-2021.yaml --ruleset planning/rulesets/example-province-2021.yaml

Every command has its own examples: parindex COMMAND --help.
Exit status: 0 on success, 1 when the input is invalid (the message names the file, line and
node code), 2 for a wrong command line, 3 for an internal error. Add --debug (or set
PARINDEX_DEBUG=1) to see a traceback.
Documentation: `parindex COMMAND --help`, `python -m pydoc parindex` (the Python API), the example
files (`parindex example`), and docs/*.md in the source distribution (concepts, format, api).
"""


def build_parser(
    *, load_plugins: bool = True, command: str | None = None
) -> argparse.ArgumentParser:
    """The whole command line. ``load_plugins=False`` (the top-level help): the commands are
    listed from :mod:`parindex.cli.command_list` and the plugins' from their declared names
    (``plugin_commands.add_declared_commands``), and neither a command module nor a plugin is
    imported. ``command`` (the command a command line names): that command, and any command a
    plugin extends, is built in full, every other command is listed only (every module is
    still imported, so that one that fails to load is reported as before, and the module of a
    built command runs its whole ``register``: see :class:`_OnlyNamed`); parsing that command
    line gives what the whole parser gives. A command not in that list (a plugin's, a misspelt
    one) builds every module."""
    parser = _Parser(
        prog="parindex",
        description="Score, explain, rank and plan Vietnam's public-administration indices"
        " from rulesets as code. The indices' rulesets, rule kinds and own commands come from"
        " plugins (`parindex plugins` lists them).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="print the version of parindex, of each plugin and of Python, and exit",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback on errors (for developers)"
    )
    parser.add_argument("--locale", **_LOCALE_OPTION, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _BROKEN_MODULES.clear()
    from parindex.cli import command_list, plugin_commands  # parindex_register_commands

    found = plugin_commands.plugin_registrations() if load_plugins else None
    built = None  # the listed modules that register a wanted command (None: all, in full)
    wanted: set[str] = set()  # the commands built in full when `built` is a set
    if not load_plugins:
        built = set()
    elif command is not None and command_list.module_of(command) is not None:
        wanted = {command, *plugin_commands.extended_commands(found)}
        built = {m for m in map(command_list.module_of, wanted) if m is not None}
    # One parser with no options stands for every command that is only listed (one parser per
    # command costs more than the rest of the top-level help); it never parses a command line.
    listed = _Parser(prog="parindex COMMAND")
    for name in COMMAND_MODULES:
        commands = command_list.COMMANDS.get(name)
        try:
            if commands is None or built is None:
                importlib.import_module(name).register(sub)
                continue
            if name in built:
                importlib.import_module(name).register(_OnlyNamed(sub, wanted, listed))
                continue
            if load_plugins:
                importlib.import_module(name)
        except Exception as exc:  # a broken command module must not take the others down
            _BROKEN_MODULES.append((name, exc))
            continue
        for command_name, text in commands:  # what `add_parser(name, help=text)` records
            sub._choices_actions.append(sub._ChoicesPseudoAction(command_name, (), text))
            sub._name_parser_map[command_name] = listed
    if found is not None:
        _BROKEN_MODULES.extend(plugin_commands.add_plugin_commands(sub, found))
    else:
        plugin_commands.add_declared_commands(sub)
    # `--debug` and `--locale` are accepted after the command too (`parindex score x.yaml
    # --debug --locale vi`). SUPPRESS: when not given there, the value before the command stays.
    # A command that defines an option of the same name keeps its own. (Not needed for the
    # top-level help, which runs no command, nor for a command that is only listed.)
    for each in sub.choices.values() if load_plugins else ():
        if each is listed:
            continue
        with contextlib.suppress(argparse.ArgumentError):
            each.add_argument(
                "--debug",
                action="store_true",
                default=argparse.SUPPRESS,
                help="show a traceback on errors (for developers)",
            )
        with contextlib.suppress(argparse.ArgumentError):
            each.add_argument("--locale", **_LOCALE_OPTION, default=argparse.SUPPRESS)
        _add_force(each)
    _translate_help(parser)
    return parser


class _OnlyNamed:
    """The sub-parsers as a command module's ``register`` sees them when the command line names
    one of its commands: ``add_parser`` builds the ``wanted`` commands as usual; any other name
    goes through argparse's own ``add_parser`` too (its conflict checks, its line in the list of
    commands, its aliases) but is mapped to ``listed``, the option-less stand-in, and the module
    configures an inert parser: this command line never parses those options, and building
    them was most of what the parser cost (``parindex score`` built all eight core commands)."""

    def __init__(self, sub: Any, wanted: set[str], listed: argparse.ArgumentParser) -> None:
        self._sub = sub
        self._wanted = wanted
        self._listed = listed

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if name in self._wanted:
            return self._sub.add_parser(name, **kwargs)
        real = self._sub._parser_class
        self._sub._parser_class = lambda **_: self._listed
        try:
            self._sub.add_parser(name, **kwargs)
        finally:
            self._sub._parser_class = real
        return _Inert()


class _Inert:
    """Takes every call a command module makes on a parser (``add_argument``, ``set_defaults``,
    a group) and does nothing: the parser of a command that is only listed."""

    def __getattr__(self, name: str) -> Any:
        def absorb(*args: Any, **kwargs: Any) -> _Inert:
            return self

        return absorb


# ------------------------------------------------------------------ help in the reader's locale
class _TranslatedHelp(argparse.HelpFormatter):
    """Looks every text of a help page up in the catalogue when the page is formatted (in the
    locale current then): descriptions, epilogs, each option's and command's help, argparse's
    own headings. The command modules write English and need no marker; the test
    ``tests/i18n/test_help.py`` walks the parser for a help text the catalogue lacks."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return _tr(super()._get_help_string(action))

    def add_text(self, text: str | None) -> None:
        super().add_text(_tr(text))

    def start_section(self, heading: str | None) -> None:
        super().start_section(_tr(heading))

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _tr("usage: ") if prefix is None else prefix)


def N_(message: str) -> str:
    """Marks a message for the catalogue (as :func:`parindex.model.i18n.N_`, without importing
    the model for ``--help``)."""
    return message


#: argparse's own error sentences (Python 3.11+), as templates of the catalogue: a wrong command
#: line is reported in the reader's locale too (``localize`` matches them, fields kept).
ARGPARSE_TEMPLATES = [
    N_("the following arguments are required: {names}"),
    N_("unrecognized arguments: {names}"),
    N_("one of the arguments {names} is required"),
    N_("argument {name}: {problem}"),
    N_("invalid choice: {value} (choose from {choices})"),
    N_("invalid {kind} value: {value}"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("not allowed with argument {name}"),
    N_("ambiguous option: {option} could match {matches}"),
    N_("ignored explicit argument {value}"),
]


class _Parser(argparse.ArgumentParser):
    """Reports a wrong command line (exit 2) in the reader's locale: argparse's sentences and
    the commands' own ``parser.error`` messages go through the catalogue's templates."""

    def error(self, message: str) -> NoReturn:
        from parindex.model.i18n import add_templates, gettext, localize

        add_templates(*ARGPARSE_TEMPLATES)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {gettext('error')}: {localize(message)}\n")


def _tr(text: str | None) -> str | None:
    if not text or text == argparse.SUPPRESS or "parindex.model.i18n" not in sys.modules:
        return text  # (not imported: no locale was set, so the text is the English source)
    from parindex.model.i18n import gettext

    return gettext(text)


_TRANSLATING: dict[type, type] = {}


def _translating(cls: Any) -> Any:
    """``cls`` (a parser's formatter class: raw description or not) that translates too."""
    if not isinstance(cls, type) or issubclass(cls, _TranslatedHelp):
        return cls
    if cls not in _TRANSLATING:
        _TRANSLATING[cls] = type(f"Translated{cls.__name__}", (_TranslatedHelp, cls), {})
    return _TRANSLATING[cls]


def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """``parser`` and every sub-command's parser below it, each once, in the order of the
    help."""
    out = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                out += parsers(child)
    return out


def _translate_help(parser: argparse.ArgumentParser) -> None:
    for each in parsers(parser):
        each.formatter_class = _translating(each.formatter_class)


def _locale_of_help(argv: Sequence[str]) -> str:
    """The locale of a help page or a command-line error, known before the command line is
    parsed (argparse prints ``--help`` while parsing): the last ``--locale`` on the line, else
    the environment's; en when that is not a known locale (the error is reported later)."""
    chosen = None
    for i, token in enumerate(argv):
        if token == "--":
            break
        if token == "--locale" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif token.startswith("--locale="):
            chosen = token.partition("=")[2]
    if chosen is None:
        chosen = _env_locale(os.environ)
    return chosen if chosen in LOCALES else "en"


def _env_locale(environ: Any) -> str:
    """:func:`parindex.model.i18n.locale_from_env` without importing the catalogue (an unknown
    ``$PARINDEX_LOCALE`` read as en: the command line reports it later); a test checks the two
    agree."""
    raw = environ.get(LOCALE_ENV, "").strip()
    if raw:
        return raw if raw in LOCALES else "en"
    for name in ("LC_ALL", "LANG"):
        lang = environ.get(name, "").strip().split(".")[0].split("_")[0].lower()
        if lang:
            return lang if lang in LOCALES else LOCALES[0]
    return LOCALES[0]


def _help_locale(locale: str) -> contextlib.AbstractContextManager[Any]:
    """``using_locale(locale)`` for the help printed while parsing. English with the catalogue
    not yet imported needs nothing: no locale can have been set, and English is the source."""
    if locale == LOCALES[0] and "parindex.model.i18n" not in sys.modules:
        return contextlib.nullcontext()
    from parindex.model.i18n import using_locale

    return using_locale(locale)


def _add_force(command: argparse.ArgumentParser) -> None:
    """Every command that writes a file (``-o``) refuses to replace one of its inputs or a
    read-only file (parindex.io.files); ``--force`` replaces it all the same."""
    if "--output" in command._option_string_actions:
        with contextlib.suppress(argparse.ArgumentError):
            command.add_argument(
                "--force",
                action="store_true",
                help="replace the output file even if it is one of the inputs or read-only",
            )


_LOCALE_OPTION: dict[str, Any] = {
    "choices": LOCALES,
    "help": "language of labels, messages and number format: vi prints 87,11"
    f" (default: ${LOCALE_ENV}, else $LANG when it is vi_*, else en)",
}


def _resolve_locale(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--locale`` if given, else ``$PARINDEX_LOCALE`` (checked: an unknown value is a command
    line error, exit 2), else the language of ``$LANG`` when parindex speaks it, else en."""
    if getattr(args, "locale", None) is not None:
        return
    raw = os.environ.get(LOCALE_ENV, "").strip()
    if raw and raw not in LOCALES:
        parser.error(
            f"{LOCALE_ENV}={raw!r} is not a known locale; the locales are: {', '.join(LOCALES)}"
        )
    from parindex.model.i18n import locale_from_env  # then $LC_ALL / $LANG (vi_VN.UTF-8 → vi)

    args.locale = locale_from_env(os.environ)


def version_text() -> str:
    """parindex's version, each plugin's distribution and version, and Python's.

    Read from the installed metadata only: no plugin is imported (so this stays fast and works
    when a plugin is broken)."""
    import platform

    from parindex._version import __version__
    from parindex.cli.plugin_commands import installed_entry_points

    lines = [f"parindex {__version__}"]
    try:
        found = sorted(installed_entry_points({"parindex"}), key=lambda e: e.name)
    except Exception as exc:  # pragma: no cover - broken metadata
        found = []
        lines.append(f"plugins: cannot be listed ({type(exc).__name__}: {exc})")
    disabled = {p.strip() for p in os.environ.get("PARINDEX_DISABLE_PLUGINS", "").split(",")}
    rows = []
    for ep in found:
        where = f"{ep.dist} {ep.version}" if ep.dist else "distribution unknown"
        off = " (disabled)" if ep.name in disabled or "*" in disabled else ""
        rows.append((ep.name, ep.value, where + off))
    if rows:
        lines.append("plugins:")
        widths = [max(len(r[i]) for r in rows) for i in range(2)]
        lines += [f"  {a:<{widths[0]}}  {b:<{widths[1]}}  {c}" for a, b, c in rows]
    else:
        lines.append("plugins: none found")
    impl = platform.python_implementation()
    lines.append(f"Python {platform.python_version()} ({impl}) on {sys.platform}")
    return "\n".join(lines)


class _VersionAction(argparse.Action):
    """``--version``: the text is built only when asked for (it reads installed metadata)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("help", "print the version and exit")
        super().__init__(
            option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, **kwargs
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        sys.stdout.write(version_text() + "\n")
        parser.exit()


#: Command modules that failed to load, with the error (reported by ``main``).
_BROKEN_MODULES: list[tuple[str, BaseException]] = []


def _named_command(argv: Sequence[str]) -> str | None:
    """The command the command line names, if any (else it asks for the top-level help, which
    needs no plugin loaded). ``--locale`` is the only top-level option that takes a value."""
    skip = False
    for i, token in enumerate(argv):
        if skip:
            skip = False
        elif len(token) > 2 and "--locale".startswith(token):  # argparse takes `--loc vi` too
            skip = True
        elif token == "--":
            return argv[i + 1] if i + 1 < len(argv) else ""
        elif not token.startswith("-"):
            return token
    return None


def _debug_requested(argv: Sequence[str]) -> bool:
    return "--debug" in argv or os.environ.get("PARINDEX_DEBUG", "") not in {"", "0"}


def _report_broken_modules(debug: bool) -> None:
    for name, exc in _BROKEN_MODULES:
        if debug:
            import traceback

            traceback.print_exception(exc)
        print(
            f"parindex: warning: the commands of {name} are unavailable: it failed to load"
            f" ({type(exc).__name__}: {exc})",
            file=sys.stderr,
        )


def _print_error(err: Any, locale: str = "en") -> None:
    # str(err) translates its message when a locale is current (ParindexError.__str__)
    from parindex.model.i18n import gettext, using_locale

    with using_locale(locale):
        print(f"parindex: {gettext('error')}: {err}", file=sys.stderr)
        for other in err.related[:20]:
            print(f"parindex: {gettext('error')}: {other}", file=sys.stderr)
        if len(err.related) > 20:
            more = gettext("… and {count} more").format(count=len(err.related) - 20)
            print(f"parindex: {more}", file=sys.stderr)


def _blame(exc: BaseException) -> str | None:
    """The plugin whose code raised ``exc``, if any (its innermost frame in a plugin module)."""
    import traceback

    try:
        from importlib import metadata

        owners = {
            ep.value.split(":")[0].split(".")[0]: ep.name
            for ep in metadata.entry_points(group="parindex")
        }
    except Exception:  # pragma: no cover - broken metadata: no blame
        return None
    owners.pop("parindex", None)
    blamed = None
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        module = str(frame.f_globals.get("__name__", "")).split(".")[0]
        if module in owners:
            blamed = f"{owners[module]} ({module})"
    return blamed


def _silence_stdout() -> None:
    # The reader of our output went away (``parindex rulesets | head``): stop writing quietly.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    0 success; 1 invalid input or setting (one ``parindex: error:`` line per problem, naming the
    file, line and node code; never a traceback); 2 a wrong command line; 3 an internal error (a
    bug in parindex or in a plugin, which is named); 130 interrupted. ``--debug`` (anywhere on
    the line) or ``PARINDEX_DEBUG=1`` adds the traceback.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # fast: no command module is imported
        sys.stdout.write(version_text() + "\n")
        return 0
    debug = _debug_requested(argv)
    locale = "en"  # of the error messages, once the command line is read
    try:
        named = _named_command(argv)
        parser = build_parser(load_plugins=named is not None, command=named)
        _report_broken_modules(debug)
        with _help_locale(_locale_of_help(argv)):  # --help is printed while parsing
            args = parser.parse_args(argv)
        debug = debug or bool(getattr(args, "debug", False))
        _resolve_locale(parser, args)
        locale = args.locale
        from parindex.model.i18n import using_locale

        if not getattr(args, "handler", None):
            with using_locale(locale):
                parser.print_help()
            return 2
        from parindex.api import protect_inputs

        with using_locale(args.locale), protect_inputs(force=bool(getattr(args, "force", False))):
            code: int = args.handler(args)
        return code
    except KeyboardInterrupt:
        if debug:
            _print_traceback()
        print("parindex: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        return _failed(exc, debug, locale)


def _failed(exc: Exception, debug: bool, locale: str) -> int:
    """The exit status of a command that raised ``exc``, with its message (see :func:`main`).
    (The error classes are imported only when a command fails.)"""
    from parindex.model.errors import ParindexError

    if isinstance(exc, ParindexError):
        if debug:
            _print_traceback()
        _print_error(exc, locale if locale in LOCALES else "en")
        return 1
    if isinstance(exc, BrokenPipeError):
        _silence_stdout()
        return 0
    if isinstance(exc, OSError):
        # A file that cannot be read or written, outside parindex's own readers: a user error.
        if debug:
            _print_traceback()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"parindex: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    if debug:
        _print_traceback()
    plugin = _blame(exc)
    culprit = (
        f"This is a bug in the plugin {plugin}; disable it with"
        f" PARINDEX_DISABLE_PLUGINS={plugin.split(' ')[0]} or report it to its authors"
        if plugin
        else "This is a bug in parindex; report it"
    )
    print(
        f"parindex: internal error: {type(exc).__name__}: {exc}\n{culprit}"
        + ("." if debug else " (run again with --debug to see the traceback)."),
        file=sys.stderr,
    )
    return 3


def _print_traceback() -> None:
    """The traceback of the exception being handled (``--debug``)."""
    import traceback

    traceback.print_exc()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
