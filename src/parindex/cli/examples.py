"""``parindex example``: list the shipped example files, or write one (a file or a folder) here.

The examples travel inside the wheel as package data (``parindex/examples``, see the
``force-include`` table of ``pyproject.toml``); from a source checkout (an editable install) they
are read from the checkout's top-level ``examples/`` folder.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

EXAMPLE_EPILOG = """\
examples:
  parindex example
  parindex example moha-2017-example.yaml
  parindex score moha-2017-example.yaml
  parindex example planning -o my-examples
  parindex example --all -o examples

A folder is written with everything in it (planning/ holds its rulesets/). An existing file is
never replaced without --force; nothing is written when one would be.
"""


def N_(message: str) -> str:
    """Marks a message for the catalogue; translated where it is shown (see ``describe``)."""
    return message


#: One line about some top-level examples; the others are described by their first comment line
#: (a CSV by its columns), which keeps an index's own examples described without naming it here.
DESCRIPTIONS: dict[str, str] = {
    "moha-2017-example.yaml": N_("a made-up province under moha.province 2017, at field depth"),
    "moha-2020-quang-ninh.yaml": N_("Quảng Ninh's published PAR INDEX 2020, in four components"),
    "sonla-department-2023.yaml": N_("a made-up Sơn La department, 2023 (needs a --params file)"),
    "ca-mau-2013": N_("Cà Mau's 2013 table (field 1, sub-criterion depth) and an assessment"),
    "planning": N_("gaps, targets, compare, report: an example ruleset, units and batches"),
    "targets": N_("Yên Bái's 2021 targets, for `parindex targets` with planning/"),
    "authoring": N_("the worked example of docs/authoring.md: a table, test cases, an amendment"),
}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "example",
        help="list the shipped example files, or write one here",
        description="With no NAME, list the example files shipped with parindex. With a NAME"
        " (a file or a folder from the list, or a path inside a folder such as"
        " planning/lang-son-2021.yaml), write it into the current folder, or into DIR.",
        epilog=EXAMPLE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("name", nargs="?", help="the example to write (default: list them)")
    p.add_argument(
        "--output",
        "-o",
        metavar="DIR",
        default=".",
        help="the folder to write into (default: the current folder)",
    )
    p.add_argument("--all", action="store_true", help="write every example")
    p.add_argument("--force", action="store_true", help="replace files that already exist")
    p.set_defaults(handler=cmd_example)


# ------------------------------------------------------------------------------- finding them
def _checkout_examples() -> Path | None:
    """``<checkout>/examples`` when this module runs from a source checkout (editable install)."""
    root = Path(__file__).resolve().parents[3]  # <root>/src/parindex/cli/examples.py
    folder = root / "examples"
    if (root / "pyproject.toml").is_file() and folder.is_dir():
        return folder
    return None


def _packaged_examples() -> Traversable | None:
    """``parindex/examples`` inside an installed wheel (package data)."""
    from importlib.resources import files

    folder = files("parindex").joinpath("examples")
    return folder if folder.is_dir() else None


def examples_root() -> Traversable:
    """Where the shipped examples are: the package data of a wheel, else the source checkout."""
    from parindex.model.errors import InputFileError

    found = _packaged_examples() or _checkout_examples()
    if found is None:
        raise InputFileError(
            "the example files are not installed (no parindex/examples in the package and no"
            " source checkout)",
            hint="reinstall parindex from its wheel or its source",
        )
    return found


def _visible(entry: Traversable) -> bool:
    return not entry.name.startswith((".", "__pycache__")) and not entry.name.endswith(".pyc")


def entries(root: Traversable) -> list[Traversable]:
    """The top-level examples, folders after files, each sorted by name."""
    items = [e for e in root.iterdir() if _visible(e)]
    return sorted(items, key=lambda e: (e.is_dir(), e.name))


def walk(entry: Traversable, prefix: PurePosixPath) -> Iterator[tuple[PurePosixPath, Traversable]]:
    """Every file of ``entry`` (itself, if it is a file), with its relative path."""
    if entry.is_file():
        yield prefix, entry
        return
    for child in sorted(entry.iterdir(), key=lambda e: e.name):
        if _visible(child):
            yield from walk(child, prefix / child.name)


def describe(entry: Traversable) -> str:
    from parindex.model.i18n import gettext, ngettext

    if entry.name in DESCRIPTIONS:
        return gettext(DESCRIPTIONS[entry.name])
    if entry.is_dir():
        n = sum(1 for _ in walk(entry, PurePosixPath(entry.name)))
        return ngettext("a folder of {count} file", "a folder of {count} files", n).format(count=n)
    try:
        first = entry.read_text(encoding="utf-8").lstrip().splitlines()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        return ""
    if entry.name.endswith(".csv"):
        columns = ", ".join(c.strip() for c in first.split(","))
        return gettext("a CSV with columns {columns}").format(columns=columns)[:90]
    return first.lstrip("#\"' ").strip()[:90]


def find(root: Traversable, name: str) -> tuple[PurePosixPath, Traversable]:
    """The example called ``name`` (a top-level name, or a relative path inside a folder), with
    its relative path."""
    from parindex.model.errors import InputFileError

    rel = PurePosixPath(name.replace("\\", "/").strip("/"))
    entry: Traversable | None = root
    if not rel.parts or any(p in ("", ".", "..") for p in rel.parts):
        entry = None
    for part in rel.parts:
        if entry is None or not entry.is_dir():
            entry = None
            break
        entry = next((e for e in entry.iterdir() if e.name == part and _visible(e)), None)
    if entry is None:
        known = ", ".join(e.name for e in entries(root))
        raise InputFileError(
            f"no example called {name!r}; the examples are: {known}",
            hint="`parindex example` lists them with what each shows",
        )
    return rel, entry


# ------------------------------------------------------------------------------------ command
def cmd_example(args: argparse.Namespace) -> int:
    root = examples_root()
    if args.name and args.all:
        from parindex.model.errors import ParindexError

        raise ParindexError("give either NAME or --all, not both")
    if not args.name and not args.all:
        _list(root)
        return 0
    chosen = (
        [(PurePosixPath(e.name), e) for e in entries(root)] if args.all else [find(root, args.name)]
    )
    files = [item for rel, entry in chosen for item in walk(entry, rel)]
    written = write(files, Path(args.output), force=args.force)
    for path in written:
        print(path)
    from parindex.model.i18n import ngettext

    wrote = ngettext(
        "wrote {count} example file into {folder}",
        "wrote {count} example files into {folder}",
        len(written),
    )
    print(wrote.format(count=len(written), folder=args.output), file=sys.stderr)
    return 0


def write(files: list[tuple[PurePosixPath, Traversable]], into: Path, *, force: bool) -> list[Path]:
    """Write ``files`` under ``into`` (atomically, each); refuse to replace any without ``force``.

    Every target is checked before anything is written, so a refusal leaves the folder as it was.
    """
    from parindex.api import atomic_write_bytes
    from parindex.model.errors import OutputFileError

    targets = [(into.joinpath(*rel.parts), src) for rel, src in files]
    if not force:
        existing = [str(t) for t, _ in targets if t.exists() or t.is_symlink()]
        if existing:
            more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
            raise OutputFileError(
                f"already exists{more}; nothing was written",
                file=existing[0],
                hint="add --force to replace it, or choose another folder with -o DIR",
            )
    for target, src in targets:
        atomic_write_bytes(target, src.read_bytes(), force=force)
    return [t for t, _ in targets]


def _list(root: Traversable) -> None:
    from parindex.model.i18n import gettext as _
    from parindex.report.table import grid, terminal_width

    rows = []
    for entry in entries(root):
        name = entry.name + ("/" if entry.is_dir() else "")
        rows.append([name, describe(entry)])
    heads = [_("example"), _("what it shows")]
    print(grid(rows, heads, width=terminal_width(), wrap=(1,)))
    print()
    print(_("write one here with: parindex example NAME   (all of them: parindex example --all)"))
