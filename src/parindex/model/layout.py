"""Tables for people that fit the terminal: text columns wrap in their cells, long headings go
over two lines, and ``--wide`` keeps one line per row.

In the model layer (it needs only ``tabulate``) so that every renderer fits tables the same way:
the report layer's tables (:mod:`parindex.report.table` re-exports these), the reproduction table
of :mod:`parindex.analysis.reproduce` and the plugins' commands.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence

#: The width of output that goes to no terminal (a pipe, a file, the tests).
DEFAULT_WIDTH = 100
#: A wrapped column keeps at least this many characters (a title stays readable).
MIN_WRAPPED = 12
#: The narrowest a text column gets, when a table of many columns fits no other way.
TIGHTEST = 6
#: The space ``tabulate``'s "simple" style puts between two columns.
_GAP = 2


def terminal_width(wide: bool = False) -> int | None:
    """The columns to fit: ``$COLUMNS``, else the terminal's, else :data:`DEFAULT_WIDTH`; None
    with ``wide`` (``--wide``: one line per row, however long)."""
    if wide:
        return None
    return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def column_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int | None,
    wrap: Sequence[int],
    spare: Sequence[int] = (),
    pad: int = 2,
) -> list[int | None] | None:
    """``tabulate``'s column widths for a table that fits ``width`` columns, or None when it fits
    already (or ``width`` is None). The columns in ``wrap`` (long text: titles, rules, what
    changed) are narrowed first, widest first, never below :data:`MIN_WRAPPED`; then the
    ``spare`` ones (the column naming the row), only if that was not enough; then headings wrap
    over two lines where a column's cells are narrower than its heading. ``pad``: the spaces
    ``tabulate`` adds to a heading (its ``MIN_PADDING``)."""
    if width is None or not headers:
        return None
    cells = [
        max((max(map(len, str(r[i]).split("\n")), default=0) for r in rows), default=0)
        for i in range(len(headers))
    ]
    # tabulate pads a heading by ``pad``; a heading wraps at its spaces
    heads = [len(h) + pad for h in headers]
    words = [_two_lines(h) + pad for h in headers]
    current = [max(c, h) for c, h in zip(cells, heads, strict=True)]
    floors = [
        min(current[i], max(MIN_WRAPPED, words[i]))
        if i in wrap or i in spare
        else max(cells[i], words[i])
        for i in range(len(headers))
    ]
    over = sum(current) + _GAP * (len(current) - 1) - width
    if over <= 0:
        return None
    text = [i for i in [*wrap, *spare] if i < len(headers)]
    # headings of short columns over two lines first (nothing is lost), then the text columns
    others = [i for i in range(len(headers)) if i not in text]
    pools = (others, [i for i in wrap if i < len(headers)], list(spare), text)
    for n, pool in enumerate(pools):
        if n == 3:  # still too wide (many columns): text columns go below MIN_WRAPPED
            # never narrower than the heading's longest word: a heading is not cut mid-word
            floors = [
                max(TIGHTEST, _longest_word(headers[i]) + pad) if i in text else f
                for i, f in enumerate(floors)
            ]
        while over > 0:
            open_ = [i for i in pool if current[i] > floors[i]]
            if not open_:
                break
            widest = max(open_, key=lambda i: (current[i], -i))
            current[widest] -= 1
            over -= 1
    natural = [max(c, h) for c, h in zip(cells, heads, strict=True)]
    return [w if w < natural[i] else None for i, w in enumerate(current)]


def _longest_word(heading: str) -> int:
    return max(map(len, heading.split()), default=0)


def _two_lines(heading: str) -> int:
    """The narrowest width at which ``heading`` wraps onto at most two lines."""
    size = _longest_word(heading)
    while len(textwrap.wrap(heading, size) or [""]) > 2:
        size += 1
    return size


def grid(
    rows: Sequence[Sequence[object]],
    headers: Sequence[str],
    *,
    style: str = "simple",
    width: int | None = None,
    wrap: Sequence[int] = (),
    spare: Sequence[int] = (),
) -> str:
    """A table for people, its ``wrap`` columns (then the ``spare`` ones) wrapped in their cells,
    and long headings over two lines, to fit ``width``. A table of many columns that does not fit
    otherwise, or fits only on more lines, loses the padding ``tabulate`` puts after its headings
    (two spaces a column)."""
    text, squeezed = _grid(rows, headers, style, width, wrap, spare, pad=2)
    if width is None or style != "simple" or not (squeezed or _widest(text) > width):
        return text
    # unpadded headings leave the text columns more room: taken when the padded table does not
    # fit, or fits only with text columns narrower than MIN_WRAPPED, and is shorter
    tight, _ = _grid(rows, headers, style, width, wrap, spare, pad=0)
    if _widest(text) > width or len(tight.splitlines()) < len(text.splitlines()):
        return tight
    return text


def _widest(text: str) -> int:
    return max(map(len, text.splitlines()), default=0)


def _grid(
    rows: Sequence[Sequence[object]],
    headers: Sequence[str],
    style: str,
    width: int | None,
    wrap: Sequence[int],
    spare: Sequence[int],
    pad: int,
) -> tuple[str, bool]:
    """The table, and whether a text column had to go below :data:`MIN_WRAPPED`."""
    cells = [["" if v is None else str(v) for v in r] for r in rows]
    heads = list(headers)
    limits = column_widths(heads, cells, width, wrap, spare, pad) if style == "simple" else None
    squeezed = limits is not None and any(
        limit is not None and limit < MIN_WRAPPED
        for i, limit in enumerate(limits)
        if i in wrap or i in spare
    )
    if limits is not None:
        cells = [
            [
                c if limits[i] is None else "\n".join(_wrap(c, limits[i] or 0))
                for i, c in enumerate(r)
            ]
            for r in cells
        ]
        heads = [
            h if limit is None or len(h) + pad <= limit else "\n".join(_wrap(h, limit - pad))
            for h, limit in zip(heads, limits, strict=True)
        ]
    import tabulate  # not at import: --help needs no table

    padding, tabulate.MIN_PADDING = tabulate.MIN_PADDING, pad
    try:
        text = str(tabulate.tabulate(cells, headers=heads, tablefmt=style, disable_numparse=True))
        return text, squeezed
    finally:
        tabulate.MIN_PADDING = padding


def _wrap(text: str, size: int) -> list[str]:
    out: list[str] = []
    for part in text.split("\n"):
        out += textwrap.wrap(part, size) or [""]
    return out


__all__ = [
    "DEFAULT_WIDTH",
    "MIN_WRAPPED",
    "TIGHTEST",
    "column_widths",
    "grid",
    "terminal_width",
]
