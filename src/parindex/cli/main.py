"""Entry point of the ``parindex`` command. Each command module registers its own sub-commands.

Imports are kept lazy (inside handlers) so that ``parindex --help`` and a single ``parindex score``
start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

#: Modules that add sub-commands; each exposes ``register(subparsers) -> None``.
COMMAND_MODULES: list[str] = [
    "parindex.cli.core",
    "parindex.cli.reproduce",
    "parindex.cli.planning",
    "parindex.cli.authoring",
    "parindex.cli.perf",
]

EPILOG = """\
examples:
  parindex rulesets
  parindex show moha.province --year 2017
  parindex score examples/moha-2017-example.yaml
  parindex score examples/moha-2017-example.yaml --format json
  parindex explain examples/moha-2017-example.yaml 1
  parindex rank examples/*.yaml

Exit status: 0 on success, 1 when the input is invalid (the message names the file, line and
node code), 2 for a wrong command line, 3 for an internal error. Add --debug (or set
PARINDEX_DEBUG=1) to see a traceback.
Documentation: docs/ in the source distribution (concepts.md, format.md, api.md).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parindex",
        description="Score, explain, rank and plan Vietnam's public-administration indices"
        " (PAR INDEX, SIPAS, PAPI) from rulesets as code.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from parindex._version import __version__

    parser.add_argument("--version", action="version", version=f"parindex {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback on errors (for developers)"
    )
    parser.add_argument(
        "--locale",
        choices=["en", "vi"],
        default=os.environ.get("PARINDEX_LOCALE", "en"),
        help="language of labels and number format: vi prints 87,11"
        " (default: en, or $PARINDEX_LOCALE)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _BROKEN_MODULES.clear()
    for name in COMMAND_MODULES:
        try:
            importlib.import_module(name).register(sub)
        except Exception as exc:  # a broken command module must not take the others down
            _BROKEN_MODULES.append((name, exc))
    # `--debug` is accepted after the command too (`parindex score x.yaml --debug`).
    for command in sub.choices.values():
        with contextlib.suppress(argparse.ArgumentError):
            command.add_argument(
                "--debug",
                action="store_true",
                default=argparse.SUPPRESS,
                help="show a traceback on errors (for developers)",
            )
    return parser


#: Command modules that failed to load, with the error (reported by ``main``).
_BROKEN_MODULES: list[tuple[str, BaseException]] = []


def _debug_requested(argv: Sequence[str]) -> bool:
    return "--debug" in argv or os.environ.get("PARINDEX_DEBUG", "") not in {"", "0"}


def _report_broken_modules(debug: bool) -> None:
    for name, exc in _BROKEN_MODULES:
        if debug:
            traceback.print_exception(exc)
        print(
            f"parindex: warning: the commands of {name} are unavailable: it failed to load"
            f" ({type(exc).__name__}: {exc})",
            file=sys.stderr,
        )


def _print_error(err: Any) -> None:
    print(f"parindex: error: {err}", file=sys.stderr)
    for other in err.related[:20]:
        print(f"parindex: error: {other}", file=sys.stderr)
    if len(err.related) > 20:
        print(f"parindex: … and {len(err.related) - 20} more", file=sys.stderr)


def _blame(exc: BaseException) -> str | None:
    """The plugin whose code raised ``exc``, if any (its innermost frame in a plugin module)."""
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
    debug = _debug_requested(argv)
    from parindex.errors import ParindexError

    try:
        parser = build_parser()
        _report_broken_modules(debug)
        args = parser.parse_args(argv)
        debug = debug or bool(getattr(args, "debug", False))
        if not getattr(args, "handler", None):
            parser.print_help()
            return 2
        code: int = args.handler(args)
        return code
    except ParindexError as err:
        if debug:
            traceback.print_exc()
        _print_error(err)
        return 1
    except KeyboardInterrupt:
        if debug:
            traceback.print_exc()
        print("parindex: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as exc:
        # A file that cannot be read or written, outside parindex's own readers: a user error.
        if debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"parindex: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        if debug:
            traceback.print_exc()
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
