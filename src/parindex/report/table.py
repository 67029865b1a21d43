"""A small table type shared by the command line, the reports and the exports.

Cells hold exact values (Decimal, int, str, bool or None); they are formatted only when rendered:
for people with the locale's decimal sign, for programs (CSV, JSON) canonically and exactly.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

from parindex.io.files import atomic_write_text
from parindex.model.documents import Text
from parindex.model.i18n import N_, gettext, localize
from parindex.model.layout import (
    DEFAULT_WIDTH,
    MIN_WRAPPED,
    TIGHTEST,
    column_widths,
    grid,
    terminal_width,
)
from parindex.model.text import md_cell, md_line, md_text, safe_row
from parindex.report.numbers import exact, number
from parindex.report.tabulated import each_once, md_cells, tabulated_columns

Cell = str | Decimal | int | bool | None


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    #: Decimal places for people (None: as exact as the value is).
    places: int | None = None
    #: How a yes/no cell is shown to people (yes, no); ✓/✗ by default. CSV and JSON keep
    #: true/false.
    symbols: tuple[str, str] | None = None
    #: What the symbols mean (a catalogue message), printed under a text table that uses them.
    legend: str | None = None
    #: The cells are words of a closed vocabulary (a method, a group) or sentences of the
    #: catalogue's templates: translated for people, canonical in CSV and JSON.
    vocabulary: bool = False


@dataclass(frozen=True)
class Table:
    id: str
    title: Text
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.id}: a row has {len(row)} cells for {len(self.columns)} columns"
                )


def label(text: Text, locale: str) -> str:
    return text.best(locale)


def bilingual(text: Text) -> str:
    if text.vi and text.en and text.vi != text.en:
        return f"{text.vi} · {text.en}"
    return text.vi or text.en or ""


def show(cell: Cell, locale: str = "en", places: int | None = None) -> str:
    """A cell for people."""
    if cell is None:
        return "—"
    if isinstance(cell, bool):
        return "✓" if cell else "✗"
    if isinstance(cell, Decimal):
        return number(cell, places, locale=locale)
    return str(cell)


def raw(cell: Cell) -> str | int | bool | None:
    """A cell for programs: exact decimals as canonical text."""
    if isinstance(cell, Decimal):
        return exact(cell)
    return cell


def to_text(
    table: Table,
    style: str = "simple",
    locale: str = "en",
    headers: str = "locale",
    *,
    width: int | None = None,
    colour: bool = False,
) -> str:
    """``style`` is a tabulate format (simple, pipe, …); ``headers`` 'locale' or 'bilingual'.

    With ``width`` (the "simple" style), the text columns wrap in their cells to fit it; with
    ``colour``, ✓/✗ cells are coloured (for a terminal only: see :func:`colour_enabled`)."""
    heads = [
        bilingual(c.label) if headers == "bilingual" else label(c.label, locale)
        for c in table.columns
    ]
    if not table.rows:
        return gettext("(none)", locale)
    # a column at a time, each distinct cell written once (a ranking's rows share their totals)
    shown = [
        _column(cells, c, locale, colour)
        for c, cells in zip(table.columns, zip(*table.rows, strict=True), strict=True)
    ]
    legends = [
        gettext(c.legend, locale)
        for i, c in enumerate(table.columns)
        if c.legend and any(isinstance(r[i], bool) for r in table.rows)
    ]
    if style == "pipe":  # Markdown: user text must not become HTML or break the table
        heads = [md_cell(h) for h in heads]
        # tabulate's text, in one pass when plain
        text = tabulated_columns([md_cells(c) for c in shown], heads, "pipe")
        return "\n\n".join([text, *(md_line(x) for x in legends)])
    rows = [list(r) for r in zip(*shown, strict=True)]
    text_columns = [
        i
        for i, _c in enumerate(table.columns)
        if all(isinstance(r[i], str) or r[i] is None for r in table.rows)
    ]
    # the first column names the row (a code, an agency): wrapped only when nothing else fits
    wrap = [i for i in text_columns if i > 0]
    spare = [i for i in text_columns if i == 0]
    text = grid(rows, heads, style=style, width=width, wrap=wrap, spare=spare)
    return "\n".join([text, *(["", *legends] if legends else [])])


def _column(cells: Sequence[Cell], column: Column, locale: str, colour: bool) -> list[str]:
    """:func:`_cell` of each cell of a column: texts and integers outside a vocabulary are
    written by ``str``."""
    if not column.vocabulary and set(map(type, cells)) <= {str, int}:
        return list(map(str, cells))
    return each_once(partial(_cell, column=column, locale=locale, colour=colour), cells)


def _cell(value: Cell, column: Column, locale: str, colour: bool) -> str:
    if isinstance(value, bool) and column.symbols is not None:
        return column.symbols[0] if value else column.symbols[1]
    if isinstance(value, bool) and colour:
        return mark(value, colour)
    if column.vocabulary and isinstance(value, str) and value:  # gettext("") is the header
        if value in GROUP_NAMES:
            return group_name(value, locale)
        word = gettext(value, locale)
        return word if word != value else localize(value, locale)
    return show(value, locale, column.places)


def to_csv(table: Table) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.key for c in table.columns])
    for r in table.rows:
        # text a spreadsheet would run (=, +, -, @ first) gets a leading '; numbers stay numbers
        writer.writerow(safe_row("" if v is None else raw(v) for v in r))
    return buf.getvalue()


def to_json_data(table: Table) -> dict[str, object]:
    return {
        "id": table.id,
        "title": {"vi": table.title.vi, "en": table.title.en},
        "columns": [{"key": c.key, "vi": c.label.vi, "en": c.label.en} for c in table.columns],
        "rows": [
            {c.key: raw(v) for c, v in zip(table.columns, r, strict=True)} for r in table.rows
        ],
        "notes": list(table.notes),
    }


def to_json(table: Table) -> str:
    return json.dumps(to_json_data(table), ensure_ascii=False, indent=2) + "\n"


def export_tables(tables: Sequence[Table], folder: str | Path) -> list[Path]:
    """Write every table as ``<id>.csv`` and ``<id>.json`` into ``folder`` (atomically)."""
    out = []
    ids = [t.id for t in tables]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"table ids must be unique: {', '.join(dup)}")
    for t in tables:
        for suffix, text in ((".csv", to_csv(t)), (".json", to_json(t))):
            path = Path(folder) / f"{t.id}{suffix}"
            atomic_write_text(path, text)
            out.append(path)
    return out


# ------------------------------------------------------------------------ fitting the terminal
# The fitting itself is parindex.model.layout, so that renderers below this layer (the
# reproduction table of parindex.analysis, the plugins' commands) fit the terminal the same way.


class Footnotes:
    """Sources (or any long text shared by rows) as ``[1]``, ``[2]``… under a table, each
    printed once: the table keeps the short mark."""

    def __init__(self) -> None:
        self._texts: dict[str, int] = {}

    def mark(self, text: str | None) -> str:
        if not text:
            return ""
        number_ = self._texts.setdefault(text, len(self._texts) + 1)
        return f"[{number_}]"

    def lines(self, width: int | None = None) -> list[str]:
        """``[1] text``, wrapped to ``width`` under its own indent; a URL too long for a line
        gets a line of its own (a cut URL cannot be opened)."""
        out = []
        for text, n in self._texts.items():
            head = f"[{n}] "
            if width is None:
                out.append(head + text)
                continue
            out += textwrap.wrap(
                text.replace("<", "").replace(">", ""),
                width,
                initial_indent=head,
                subsequent_indent=" " * len(head),
                break_long_words=False,
                break_on_hyphens=False,
            )
        return out


# --------------------------------------------------------------------------------- colour
_COLOURS = {"good": "32", "bad": "31", "warn": "33", "mid": "36"}


def colour_enabled(stream: object = None) -> bool:
    """Colour only for a terminal, and never under ``$NO_COLOR`` (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream if stream is not None else sys.stdout, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, tone: str, enabled: bool | None = None) -> str:
    if not text or not (colour_enabled() if enabled is None else enabled):
        return text
    return f"\x1b[{_COLOURS[tone]}m{text}\x1b[0m"


#: The PAPI groups (relative to each year's provinces), in the words the plans use.
GROUP_NAMES = {
    "best": N_("best"),
    "high-average": N_("high-average"),
    "low-average": N_("low-average"),
    "poor": N_("poor"),
}
_GROUP_TONES = {"A": "good", "best": "good", "B": "mid", "high-average": "mid", "C": "warn"}


def group_name(label: str | None, locale: str | None = None, colour: bool = False) -> str:
    """A group label for people: PAPI's named groups translated, letter groups as published;
    coloured (on a terminal) when ``colour``."""
    if not label:
        return "—"
    text = gettext(GROUP_NAMES[label], locale) if label in GROUP_NAMES else label
    if colour:
        return paint(text, _GROUP_TONES.get(label, "bad"))
    return text


def mark(ok: bool | None, colour: bool = False) -> str:
    """✓ or ✗ (met / not met, changed / unchanged is never a ✗: see the legends)."""
    if ok is None:
        return "—"
    text = "✓" if ok else "✗"
    return paint(text, "good" if ok else "bad") if colour else text


__all__ = [
    "DEFAULT_WIDTH",
    "MIN_WRAPPED",
    "TIGHTEST",
    "Cell",
    "Column",
    "Footnotes",
    "Table",
    "bilingual",
    "colour_enabled",
    "column_widths",
    "export_tables",
    "grid",
    "group_name",
    "label",
    "mark",
    "md_cell",
    "md_line",
    "md_text",
    "paint",
    "raw",
    "show",
    "terminal_width",
    "to_csv",
    "to_json",
    "to_json_data",
    "to_text",
]
