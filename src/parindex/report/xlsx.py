"""Tables as an XLSX workbook: one sheet per table, and a sheet "Nguồn" with the receipt.

What a spreadsheet user needs from a result: real numbers (a cell holds 87.11, shown with two
decimals by a number format, in the reader's own decimal mark), a frozen header row, columns wide
enough to read, a filter on every header, and where the numbers come from. Text written from user
input (a unit's name, a reason) that a spreadsheet would take for a formula (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is neutralised by the rule of every CSV parindex
writes (:func:`parindex.model.text.safe_cell`), and always stored as text; numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parindex.analysis.reproduce.report import ReproduceReport
from parindex.analysis.reproduce.verdict import JSON_KEYS
from parindex.model.documents import ScoreCard, Text
from parindex.model.i18n import gettext, localize
from parindex.model.text import safe_cell
from parindex.report.appraisal import evidence_table
from parindex.report.card import labels
from parindex.report.table import GROUP_NAMES, Cell, Column, Table, group_name
from parindex.scoring.ranking import RankedTable

SOURCES_SHEET = "Nguồn"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_MAX_WIDTH = 60
_PAIR = ("Mục / Item", "Giá trị / Value")


def points_format(places: int) -> str:
    """``0.00`` for two places: the cell keeps its exact value, the format shows it rounded."""
    return "0" if places == 0 else "0." + "0" * places


@dataclass(frozen=True)
class SheetTable:
    """One sheet: a header row and rows of values (Decimal, int, text or None)."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    #: number format by column index (0-based), for the columns of numbers
    formats: Mapping[int, str] = field(default_factory=dict)


def _put(sheet: Worksheet, row: int, column: int, value: object) -> None:
    cell = sheet.cell(row, column)
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = str(value).lower()
        cell.data_type = "s"
    elif isinstance(value, (int, Decimal)):
        cell.value = value  # openpyxl writes a Decimal's own digits: exact
    elif isinstance(value, float):  # pragma: no cover - parindex's numbers are Decimal
        cell.value = value
    else:
        text = str(safe_cell(str(value)))
        cell.value = text
        cell.data_type = "s"  # text, even if it looks like a formula


def _fill(sheet: Worksheet, table: SheetTable) -> None:
    widths = [len(str(h)) for h in table.headers]
    for column, header in enumerate(table.headers, 1):
        cell = sheet.cell(1, column)
        _put(sheet, 1, column, header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(table.rows, 2):
        for c, value in enumerate(values, 1):
            _put(sheet, r, c, value)
            if c - 1 in table.formats and isinstance(value, (int, Decimal)):
                sheet.cell(r, c).number_format = table.formats[c - 1]
            if c <= len(widths):
                widths[c - 1] = max(widths[c - 1], len(str(value)) if value is not None else 0)
    for c, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(c)].width = min(width + 2, _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    if table.headers:
        last = get_column_letter(len(table.headers))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"


def workbook(tables: Sequence[SheetTable], sources: Sequence[tuple[str, object]]) -> bytes:
    """The workbook of ``tables``, then the sheet "Nguồn" of (label, value) rows."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    taken = {SOURCES_SHEET.casefold()}
    for table in tables:
        _fill(book.create_sheet(_unique(table.name, taken)), table)
    _fill(book.create_sheet(SOURCES_SHEET), SheetTable(SOURCES_SHEET, _PAIR, sources))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(name: str) -> str:
    for bad in "[]:*?/\\":
        name = name.replace(bad, "-")
    return name[:31] or "Sheet"


def _unique(name: str, taken: set[str]) -> str:
    """A sheet name not yet in ``taken`` (compared as spreadsheets do: case-insensitively)."""
    base, n = _sheet_name(name), 1
    got = base
    while got.casefold() in taken:
        n += 1
        got = f"{base[: 31 - len(str(n)) - 1]} {n}"
    taken.add(got.casefold())
    return got


def _shown(value: Cell, column: Column, locale: str) -> object:
    """A report cell as a workbook cell: numbers stay numbers; a yes/no, a word of a closed
    vocabulary and a group are shown as the text table shows them."""
    if isinstance(value, bool):
        yes, no = column.symbols or ("✓", "✗")
        return yes if value else no
    if column.vocabulary and isinstance(value, str) and value:  # gettext("") is the header
        if value in GROUP_NAMES:
            return group_name(value, locale)
        word = gettext(value, locale)
        return word if word != value else localize(value, locale)
    return value


def sheet_of(table: Table, locale: str = "en", places: int | None = None) -> SheetTable:
    """A report :class:`Table` as a sheet: headers in ``locale``, each column of numbers with
    its own decimal places (``places``, the ruleset's, for a column that states none)."""
    headers = [c.label.best(locale) for c in table.columns]
    rows = [
        [_shown(v, c, locale) for v, c in zip(row, table.columns, strict=True)]
        for row in table.rows
    ]
    formats: dict[int, str] = {}
    for i, column in enumerate(table.columns):
        digits = column.places if column.places is not None else places
        if digits is not None and any(isinstance(r[i], Decimal) for r in table.rows):
            formats[i] = points_format(digits)
    return SheetTable(table.title.best(locale), headers, rows, formats)


def tables_workbook(
    tables: Sequence[Table],
    sources: Sequence[tuple[str, object]],
    locale: str = "en",
    places: int | None = None,
) -> bytes:
    """Report tables, one sheet each (empty ones too: "nothing lost" is a result), then
    "Nguồn": ``sources`` and every table's notes."""
    notes = [
        (table.title.best(locale), localize(note, locale))
        for table in tables
        for note in table.notes
    ]
    return workbook([sheet_of(t, locale, places) for t in tables], [*sources, *notes])


def card_sources(card: ScoreCard, locale: str = "en") -> list[tuple[str, object]]:
    """What a card's numbers come from: its unit, its receipt and every source it cites."""
    L = labels(locale)
    cited = dict.fromkeys(n.source for n in card.nodes if n.source)
    return [
        (L["unit"], card.unit.label),
        *_receipt(card),
        *((L["source"], s) for s in cited),
    ]


def _receipt(card: ScoreCard) -> list[tuple[str, object]]:
    r = card.receipt
    return [
        ("ruleset", r.ruleset_id),
        ("version", r.ruleset_version),
        ("content_hash", r.content_hash),
        ("parindex", r.library_version),
        ("rounding", r.rule),
    ]


def scorecard_workbook(card: ScoreCard, locale: str = "en") -> bytes:
    """A score card: a summary sheet, the nodes, and the receipt with every source cited."""
    L = labels(locale)
    fmt = points_format(card.receipt.rounding.places)
    staged = card.self_total is not None
    summary = [
        (L["unit"], card.unit.label),
        ("unit id", card.unit.id),
        (L["ruleset"], f"{card.ruleset} {card.version}"),
        (L["year"], card.year),
        (L["total"], card.total),
        (L["max"], card.maximum if card.maximum is not None else L["none"]),
        (L["index"], card.index),
        (L["group"], card.group),
    ]
    if staged:
        summary += [
            (L["self"], card.self_total),
            (L["appraised"], card.appraised_total),
            ("changes", card.changes),
        ]
    summary += [(L["notes"], note) for note in card.notes]
    headers = [L["code"], L["title"], L["points"], L["max"], L["pct"], L["how"]]
    if staged:
        headers += [L["self"], gettext("Reason", locale)]
    rows = []
    for n in card.nodes:
        row: list[object] = [
            n.code,
            n.title.best(locale),
            n.points,
            n.maximum
            if n.maximum is not None
            else (L["none"] if n.stated_maximum is None else None),
            n.percent,
            "not_applicable" if n.not_applicable else n.trace.how,
        ]
        if staged:
            row += [n.self_points, n.trace.reason]
        rows.append(row)
    formats = {2: fmt, 3: fmt, 4: fmt, 6: fmt}
    sources = dict.fromkeys(n.source for n in card.nodes)
    tables = [
        SheetTable(L["total"], _PAIR, summary, {1: fmt}),
        SheetTable(L["points"], headers, rows, formats),
    ]
    evidence = evidence_table([card], locale)
    if evidence.rows:
        tables.append(sheet_of(evidence, locale))
    return workbook(tables, [*_receipt(card), *((L["source"], s) for s in sources)])


def ranking_workbook(
    table: RankedTable, locale: str = "en", cards: Sequence[ScoreCard] = ()
) -> bytes:
    """A ranking; with the score cards, also every appraisal change of every unit (the council's
    view) and the receipts."""
    L = labels(locale)
    fmt = points_format(cards[0].receipt.rounding.places if cards else 2)
    rows = [[e.rank, e.unit.id, e.unit.label, e.total, e.index, e.group] for e in table.entries]
    tables = [
        SheetTable(
            L["rank"],
            [L["rank"], "unit id", L["unit"], L["total"], L["index"], L["group"]],
            rows,
            {3: fmt, 4: fmt},
        )
    ]
    changes = [
        [
            c.unit.label,
            n.code,
            n.title.best(locale),
            n.points if n.self_points is None else n.self_points,
            n.points,
            n.trace.reason,
        ]
        for c in cards
        for n in c.nodes
        if n.trace.reason is not None
    ]
    if changes:
        tables.append(
            SheetTable(
                L["appraised"],
                [
                    L["unit"],
                    L["code"],
                    L["title"],
                    L["self"],
                    L["appraised"],
                    gettext("Reason", locale),
                ],
                changes,
                {3: fmt, 4: fmt},
            )
        )
    evidence = evidence_table(cards, locale)
    if evidence.rows:
        tables.append(sheet_of(evidence, locale))
    sources: list[tuple[str, object]] = [
        ("ruleset", table.ruleset),
        (L["year"], table.year),
        ("ranked by", table.by),
        ("ties", f"{table.ties}: {table.tie_rule}"),
    ]
    receipts = {(c.receipt.ruleset_version, c.receipt.content_hash) for c in cards}
    sources += [("content_hash", f"{v} {h}") for v, h in sorted(receipts)]
    return workbook(tables, sources)


def reproduction_workbook(report: ReproduceReport, locale: str = "en") -> bytes:
    """A reproduced dataset: one row per published row (published and computed totals, ranks,
    groups, the verdict and why), then the file, the dataset's sources and the summary."""
    rows = []
    for r in report.rows:
        obj = r.to_json()
        numbers = {k: None if obj[k] is None else Decimal(obj[k]) for k in _REPRODUCED_NUMBERS}
        rows.append(
            [
                *(numbers.get(k, obj[k]) for k in _REPRODUCED),
                " | ".join(c.text() for c in r.conflicts) or None,
                obj["diagnosis"],
                r.reason,
            ]
        )
    # a published number keeps the decimals it was published with: no format hides or adds any
    table = SheetTable(
        Text(vi="Kết quả tái lập", en="Reproduced rows").best(locale),
        [*_REPRODUCED, "conflicts", "diagnosis", "reason"],
        rows,
    )
    sources: list[tuple[str, object]] = [("file", report.file)]
    if report.dataset is not None:
        sources.append(("dataset", f"{report.dataset.name}: {report.dataset.title}"))
        sources += [("source", s) for s in report.dataset.sources]
    sources += [("note", n) for n in report.group_notes]
    sources += [("group counts", c.text()) for c in report.count_checks]
    sources.append(("summary", report.summary()))
    return workbook([table], sources)


#: The scalar columns of ``reproduce --format json``, in its order (the lists follow them).
_REPRODUCED = tuple(k for k in JSON_KEYS if k not in ("conflicts", "diagnosis"))
_REPRODUCED_NUMBERS = ("published_total", "computed_total", "difference", "tolerance")


__all__ = [
    "SOURCES_SHEET",
    "SheetTable",
    "card_sources",
    "points_format",
    "ranking_workbook",
    "reproduction_workbook",
    "scorecard_workbook",
    "sheet_of",
    "tables_workbook",
    "workbook",
]
