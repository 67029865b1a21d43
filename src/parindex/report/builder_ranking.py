"""A report's ranking section from a ranking held as columns (``rank_columns``'s), without the
entry, unit and decimals per row that its :class:`RankedTable` would make.

The chart and the table are those :func:`parindex.report.svg.ranking_chart` and
:func:`parindex.report.planning_tables.ranking_table` make of ``columns.table()``: each
distinct total or index is made a decimal (and written) once, and rows share those objects —
200,000 units of a batch hold a few thousand distinct values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from parindex.model.decimals import HUNDRED
from parindex.report import planning_tables as T
from parindex.report.numbers import number
from parindex.report.svg import Bar, ChartSpec, Mark, _axis_for, ranking_spec
from parindex.report.table import Table
from parindex.scoring.ranking import RankedColumns, RankedTable


def standing(columns: RankedColumns, unit_id: str) -> int | None:
    """The rank of ``unit_id`` (None when it is not ranked)."""
    try:
        return columns.ranks[columns.ids.index(unit_id)]
    except ValueError:
        return None


def own_scores(columns: RankedColumns, unit_id: str) -> list[tuple[Decimal, Decimal | None]]:
    """The total and index of every row of ``unit_id`` (as the table's entries hold them)."""
    return [
        (_decimal(columns.totals[i], columns.scale), _index(columns, i))
        for i, u in enumerate(columns.ids)
        if u == unit_id
    ]


def ranking_chart(
    columns: RankedColumns,
    highlight: str | None,
    locale: str = "en",
    marks: Sequence[Mark] = (),
    places: int | None = None,
) -> ChartSpec:
    """:func:`parindex.report.svg.ranking_chart` of ``columns.table()``."""
    keys = columns.indices if columns.by == "index" else columns.totals
    value = _decimals(keys, columns.scale)
    if columns.by == "index" and not all(columns.known):
        raise ValueError("ranked by index, yet an index is unknown")  # rank_columns never does
    top, low = value[max(keys)], value[min(keys)]
    # svg.ranking_chart's own axis and words, so that both charts keep to one rule
    ceiling = HUNDRED if columns.by == "index" and top > Decimal(90) else None
    # the axis depends only on the extremes (and the marks)
    axis = _axis_for([low, top, *(m.value for m in marks)], ceiling)
    notes: dict[tuple[int, str | None], str] = {}
    bars = []
    for r, i, n, k, g in zip(
        columns.ranks, columns.ids, columns.names, keys, columns.groups, strict=True
    ):
        note = notes.get((k, g))
        if note is None:
            note = number(value[k], places, locale=locale) + (f" · {g}" if g else "")
            notes[k, g] = note
        bars.append(Bar(f"{r}. {n}", value[k], note, i == highlight))
    return ranking_spec(columns.ruleset, columns.year, columns.by, bars, axis, marks)


def ranking_table(columns: RankedColumns, places: int | None = None) -> Table:
    """:func:`parindex.report.planning_tables.ranking_table` of ``columns.table()``."""
    # the columns and notes come from the table function itself, given the ranking's header
    head = RankedTable(
        ruleset=columns.ruleset,
        year=columns.year,
        by=columns.by,
        ties=columns.ties,
        tie_rule=columns.tie_rule,
        unranked=columns.unranked,
    )
    totals = _decimals(columns.totals, columns.scale)
    indices = _decimals(columns.indices, columns.scale)
    known = zip(columns.indices, columns.known, strict=True)
    rows = tuple(
        zip(
            columns.ranks,
            columns.ids,
            columns.names,
            [indices[x] if k else None for x, k in known],
            [totals[t] for t in columns.totals],
            columns.groups,
            strict=True,
        )
    )
    return replace(T.ranking_table(head, places), rows=rows)


def _decimals(values: Sequence[int], scale: int) -> dict[int, Decimal]:
    """Each distinct integer as the decimal at ``scale`` places that ``RankedColumns.table``
    makes of it."""
    return {v: _decimal(v, scale) for v in set(values)}


def _decimal(value: int, scale: int) -> Decimal:
    return Decimal(value).scaleb(-scale)


def _index(columns: RankedColumns, i: int) -> Decimal | None:
    return _decimal(columns.indices[i], columns.scale) if columns.known[i] else None


__all__ = ["own_scores", "ranking_chart", "ranking_table", "standing"]
