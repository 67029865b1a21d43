"""A small table type shared by the command line, the reports and the exports.

Cells hold exact values (Decimal, int, str, bool or None); they are formatted only when rendered:
for people with the locale's decimal sign, for programs (CSV, JSON) canonically and exactly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tabulate import tabulate

from parindex.io.files import atomic_write_text
from parindex.model.documents import Text
from parindex.model.text import md_cell, md_line, md_text, safe_row
from parindex.report.numbers import exact, number

Cell = str | Decimal | int | bool | None


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    #: Decimal places for people (None: as exact as the value is).
    places: int | None = None


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
    table: Table, style: str = "simple", locale: str = "en", headers: str = "locale"
) -> str:
    """``style`` is a tabulate format (simple, pipe, …); ``headers`` 'locale' or 'bilingual'."""
    heads = [
        bilingual(c.label) if headers == "bilingual" else label(c.label, locale)
        for c in table.columns
    ]
    rows = [
        [show(v, locale, c.places) for v, c in zip(r, table.columns, strict=True)]
        for r in table.rows
    ]
    if not rows:
        return "(none)"
    if style == "pipe":  # Markdown: user text must not become HTML or break the table
        heads = [md_cell(h) for h in heads]
        rows = [[md_cell(v) for v in r] for r in rows]
    return str(tabulate(rows, headers=heads, tablefmt=style, disable_numparse=True))


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


__all__ = [
    "Cell",
    "Column",
    "Table",
    "bilingual",
    "export_tables",
    "label",
    "md_cell",
    "md_line",
    "md_text",
    "raw",
    "show",
    "to_csv",
    "to_json",
    "to_json_data",
    "to_text",
]
