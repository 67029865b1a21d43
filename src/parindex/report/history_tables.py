"""A unit's history as a report :class:`Table` (for workbooks and reports): one row a year."""

from __future__ import annotations

from collections.abc import Sequence

from parindex.analysis.history import HistoryRow
from parindex.model.documents import Text
from parindex.report.table import Cell, Column, Table


def _t(vi: str, en: str) -> Text:
    return Text(vi=vi, en=en)


def history_table(
    rows: Sequence[HistoryRow], notes: Sequence[str] = (), locale: str = "en"
) -> Table:
    """Index, rank, group and components per year, the change (as numbers, and in words as the
    plans write it, in ``locale``), the region; numbers stay exact (a workbook formats them)."""
    comps = list(dict.fromkeys(c for r in rows for c in r.point.components))
    columns = (
        Column("unit", _t("Đơn vị", "Unit")),
        Column("year", _t("Năm", "Year")),
        Column("ruleset", _t("Bộ tiêu chí", "Ruleset")),
        Column("index", _t("Chỉ số", "Index"), 2),
        Column("rank", _t("Hạng", "Rank")),
        Column("group", _t("Nhóm", "Group"), vocabulary=True),
        *(Column(c, _t(c, c), 2) for c in comps),
        Column("since", _t("So với năm", "Since")),
        Column("change_points", _t("Tăng/giảm điểm", "Points change"), 2),
        Column("change_places", _t("Tăng/giảm bậc", "Places change")),
        Column("change", _t("So với năm trước", "Change")),
        Column("region", _t("Vùng", "Region")),
        Column("region_rank", _t("Hạng trong vùng", "Rank in region")),
        Column("region_average", _t("Trung bình vùng", "Regional average"), 2),
        Column("label", _t("Ghi chú", "Label"), vocabulary=True),
    )
    body: list[tuple[Cell, ...]] = []
    for r in rows:
        p, c = r.point, r.change
        body.append(
            (
                p.unit,
                p.year,
                p.ruleset,
                p.index,
                p.rank,
                p.group,
                *(p.components.get(k) for k in comps),
                None if c is None else c.since,
                None if c is None else c.points,
                None if c is None else c.places,
                None if c is None else c.text(locale),
                r.region,
                r.region_rank,
                r.region_average,
                r.label,
            )
        )
    extra = [n for r in rows for n in r.point.notes]
    return Table(
        "history",
        _t("Kết quả qua các năm", "Results year by year"),
        columns,
        tuple(body),
        (*notes, *extra),
    )


__all__ = ["history_table"]
