"""Tables of plain one-line cells in one pass: the text ``tabulate`` gives, without its per-cell
type detection.

``tabulate`` finds each cell's type, strips it, measures it (with ``wcwidth`` when installed) and
pads it one call at a time: most of ``parindex rank``'s time for 100,000 rows. When every cell
and header is *plain* — printable, one line, no space at either end, and every character one
column wide under any width function (ASCII, or Latin/Vietnamese letters and common punctuation,
no combining marks) — a cell's width is its length, and the table is the columns' widths and one
format string per row. Anything else (colour codes, a line break, a wide or combining character)
goes to ``tabulate`` itself, so the text is always ``tabulate``'s (tests/core/test_tabulated.py
compares both on generated tables).

Cells are written as given: a Markdown (``pipe``) table's user text must come escaped with
:func:`parindex.model.text.md_cell` (as :func:`parindex.report.card.ranking` does)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from typing import TypeVar

from tabulate import tabulate

from parindex.model.text import md_cell

#: The formats written here, as ``tabulate`` names them.
STYLES = ("simple", "pipe")
#: ``tabulate``'s MIN_PADDING: a column is at least its header and two more.
_HEADER_PADDING = 2
#: A cell's characters joined by this (never in a plain cell) for the checks on a whole column.
_JOIN = "\x00"
#: What :func:`parindex.model.text.md_cell` changes; a column without any is its own escape.
_MD_SPECIAL = re.compile("[&<>|\r\n\u2028\u2029]")

V = TypeVar("V")


def tabulated(rows: Sequence[Sequence[object]], headers: Sequence[str], style: str) -> str:
    """``tabulate(rows, headers=headers, tablefmt=style, disable_numparse=True)`` for ``style``
    in :data:`STYLES` and cells of ``str``, ``int`` or None: every column left-aligned, a cell
    as ``str`` gives it (None as an empty cell)."""
    if style not in STYLES:
        raise ValueError(f"style {style!r} is not one of {', '.join(STYLES)}")
    if not rows or any(len(r) != len(headers) for r in rows):
        return str(tabulate(rows, headers=headers, tablefmt=style, disable_numparse=True))
    # tabulate shows a missing cell as an empty one
    columns = [["" if c is None else str(c) for c in col] for col in zip(*rows, strict=True)]
    return _written(rows, columns, headers, style)


def tabulated_columns(columns: Sequence[list[str]], headers: Sequence[str], style: str) -> str:
    """:func:`tabulated` of the rows that ``columns`` (of texts, one per header, all of one
    length) make, given as columns: a renderer that works a column at a time need not make
    the rows."""
    if style not in STYLES:
        raise ValueError(f"style {style!r} is not one of {', '.join(STYLES)}")
    if len(columns) != len(headers) or len({len(c) for c in columns}) != 1:
        raise ValueError("one column per header, all of one length")
    if not columns[0]:
        return tabulated([], headers, style)
    return _written(None, columns, headers, style)


def _written(
    rows: Sequence[Sequence[object]] | None,
    columns: Sequence[list[str]],
    headers: Sequence[str],
    style: str,
) -> str:
    """The table of ``columns`` (``rows``, None: made from the columns when needed)."""
    if not _all_plain(headers, columns):
        if rows is None:
            rows = list(zip(*columns, strict=True))
        return str(tabulate(rows, headers=headers, tablefmt=style, disable_numparse=True))
    widths = [
        max(len(h) + _HEADER_PADDING, max(map(len, col)))
        for h, col in zip(headers, columns, strict=True)
    ]
    if style == "simple":
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        head = [line.format(*headers).rstrip(), "  ".join("-" * w for w in widths)]
    else:
        line = "|" + "|".join(f" {{:<{w}}} " for w in widths) + "|"
        head = [line.format(*headers), "|" + "|".join(":" + "-" * (w + 1) for w in widths) + "|"]
    fmt = line.format
    body = [fmt(*cells).rstrip() for cells in zip(*columns, strict=True)]
    return "\n".join(head + body)


def _all_plain(headers: Sequence[str], columns: Sequence[list[str]]) -> bool:
    """Every header and cell plain (see the module's docstring); checked a column at a time."""
    for cells in (list(headers), *columns):
        text = _JOIN.join(cells)
        if text.count(_JOIN) != len(cells) - 1:
            return False  # a cell holds the joiner itself
        # a space next to the joiner or at an end is a cell that tabulate would strip
        if text.startswith(" ") or text.endswith(" ") or f" {_JOIN}" in text:
            return False
        if f"{_JOIN} " in text:
            return False
        plain = text.replace(_JOIN, "")
        if not plain.isprintable():
            return False
        if not plain.isascii() and not all(_narrow(c) for c in set(plain)):
            return False
    return True


def each_once(write: Callable[[V], str], cells: Sequence[V]) -> list[str]:
    """``[write(c) for c in cells]``, calling ``write`` once per distinct cell: a text by its
    value, anything else by its object (equal cells may be written differently: ``True`` and
    ``1``, ``1`` and ``Decimal(1)`` at two places; one object is always written the same). A
    ranking's 200,000 rows share a few thousand totals."""
    kinds = set(map(type, cells))
    keys: Sequence[Hashable]
    if kinds == {str}:
        keys = cells
    elif str not in kinds:
        keys = list(map(id, cells))
    else:
        keys = [c if type(c) is str else id(c) for c in cells]
    # one cell per key (the last: the same text, or the same object, as every other)
    one_each = dict(zip(keys, cells, strict=True))
    memo = {k: write(c) for k, c in one_each.items()}
    return list(map(memo.__getitem__, keys))


def md_cells(cells: list[str]) -> list[str]:
    """:func:`parindex.model.text.md_cell` of each cell, checked for the whole column at once:
    a column holding nothing it escapes (the common case) is returned as it is."""
    if _MD_SPECIAL.search(_JOIN.join(cells)) is None:
        return cells
    return [md_cell(c) for c in cells]


@lru_cache(maxsize=4096)
def _narrow(char: str) -> bool:
    """One column wide under ``len`` and ``wcwidth`` alike: below the first East Asian wide
    block (U+1100), Latin Extended Additional (Vietnamese) and Greek Extended, or the general
    punctuation of U+2010–U+205E (dashes, quotes, ellipsis); never a combining mark."""
    code = ord(char)
    in_range = code < 0x1100 or 0x1E00 <= code < 0x2000 or 0x2010 <= code <= 0x205E
    return in_range and not unicodedata.category(char).startswith("M")


__all__ = ["STYLES", "each_once", "md_cells", "tabulated", "tabulated_columns"]
