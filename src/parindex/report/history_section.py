"""What a report shows of a unit's history: a line, the chart, and the year-by-year table.

The chart is drawn from the rows of the unit itself (a merged unit's predecessors are in the
table, each under its own name, never joined into one line); each year is shaded with the group
bands of the ruleset version that covers it, when a plugin provides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from parindex.analysis.history import HistoryRow
from parindex.io.registry import Registry, default_registry
from parindex.model.documents import Ruleset, Text
from parindex.model.errors import ParindexError
from parindex.model.i18n import gettext
from parindex.report.history_chart import Band, LineChart, Year, line_chart
from parindex.report.history_tables import history_table
from parindex.report.numbers import number
from parindex.report.table import Table

_TOP = Decimal(100)


def _bands(
    ruleset: str, year: int, registry: Registry, given: Sequence[Ruleset] = ()
) -> tuple[Band, ...]:
    """The published group bands of the version covering ``year`` (a ruleset file given, else a
    plugin's), best first; none when no version is at hand: nothing is drawn rather than a
    guess."""
    rs = next((r for r in given if r.id == ruleset and year in r.years), None)
    if rs is None:
        try:
            rs = registry.get(ruleset, year)
        except ParindexError:
            return ()
    published = sorted((b for b in rs.groups if b.published and b.label), key=lambda b: -b.min)
    out, high = [], _TOP
    for b in published:
        out.append(Band(str(b.label), b.min, high))
        high = b.min
    return tuple(out)


def history_parts(
    rows: Sequence[HistoryRow],
    notes: Sequence[str],
    locale: str = "en",
    registry: Registry | None = None,
    rulesets: Sequence[Ruleset] = (),
) -> tuple[tuple[str, ...], LineChart | None, Table]:
    """(paragraphs, chart, table) of the history section."""
    reg = registry or default_registry()
    own = [r for r in rows if r.label is None]
    years = tuple(
        Year(
            r.point.year,
            r.point.index,
            r.point.rank,
            r.change.text(locale) if r.change else "",
            _bands(r.point.ruleset, r.point.year, reg, rulesets) if r.point.ruleset else (),
        )
        for r in own
    )
    title = Text(vi="Chỉ số và thứ hạng qua các năm", en="Index and rank year by year")
    chart = line_chart("history-chart", title, years, locale) if len(years) >= 2 else None
    paragraphs = []
    if own:
        last = own[-1]
        index = number(last.point.index, 2, locale=locale) if last.point.index else "—"
        fields = {"unit": last.point.unit, "year": last.point.year, "index": index}
        if last.change is None:
            line = gettext("{unit} {year}: index {index}.", locale).format(**fields)
        else:
            line = gettext("{unit} {year}: index {index}, {change} on {since}.", locale).format(
                **fields, change=last.change.text(locale), since=last.change.since
            )
        paragraphs.append(line)
    return tuple(paragraphs), chart, history_table(rows, notes, locale)


__all__ = ["history_parts"]
