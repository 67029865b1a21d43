"""Entry point of the ``parindex`` command. Each command module registers its own sub-commands.

Imports are kept lazy (inside handlers) so that ``parindex --help`` and a single ``parindex score``
start fast.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Sequence

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
node code), 2 for a wrong command line. Add --debug to see a traceback.
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
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is None:  # TEMP while command modules are written
            continue
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    from parindex.errors import ParindexError

    try:
        code: int = args.handler(args)
        return code
    except ParindexError as err:
        if args.debug:
            traceback.print_exc()
        print(f"parindex: error: {err}", file=sys.stderr)
        for other in err.related[:20]:
            print(f"parindex: error: {other}", file=sys.stderr)
        if len(err.related) > 20:
            print(f"parindex: … and {len(err.related) - 20} more", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("parindex: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"parindex: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in parindex; run again with --debug and report the traceback.",
                file=sys.stderr,
            )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
