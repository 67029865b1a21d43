"""The appraisal council's view and the evidence given, as :class:`Table` objects.

One row per input the council changed, for one unit or a whole batch: self-assessed and appraised
points, the change and the reason. The same rows serve the terminal, CSV, JSON, the HTML report and
the workbooks, so that a change listed in one is listed in all. Evidence documents, one row each,
are listed the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from parindex.model.decimals import EXACT
from parindex.model.documents import NodeScore, ScoreCard, Text
from parindex.report.table import Column, Table

#: How a leaf got its points when an input was read (not a sum, not a missing input).
_READ = ("rule", "given", "not_applicable")


def _t(vi: str, en: str) -> Text:
    return Text(vi=vi, en=en)


_UNIT = (
    Column("unit_id", _t("Mã đơn vị", "Unit id")),
    Column("unit", _t("Đơn vị", "Unit")),
)


def changed(node: NodeScore) -> bool:
    """An input the appraisal changed: its points differ, or the council gave a reason."""
    return node.trace.how in _READ and (node.self_points is not None or bool(node.trace.reason))


def self_points(node: NodeScore) -> Decimal | None:
    """The self-assessed points (the points themselves where the appraisal kept them)."""
    return node.points if node.self_points is None else node.self_points


def _delta(node: NodeScore) -> Decimal | None:
    before = self_points(node)
    if node.points is None or before is None:
        return None
    return EXACT.subtract(node.points, before)


def appraisal_table(
    cards: Sequence[ScoreCard],
    locale: str = "en",
    places: int | None = None,
    units: bool | None = None,
) -> Table:
    """Every change of every unit, in the cards' order and then the ruleset's. ``units``: the
    unit columns (by default only for more than one card)."""
    if places is None and cards:
        places = cards[0].receipt.rounding.places
    units = len(cards) != 1 if units is None else units
    rows = tuple(
        (
            *((card.unit.id, card.unit.label) if units else ()),
            n.code,
            n.title.best(locale),
            self_points(n),
            n.points,
            _delta(n),
            n.trace.reason,
        )
        for card in cards
        for n in card.nodes
        if changed(n)
    )
    columns = (
        *(_UNIT if units else ()),
        Column("code", _t("Mã", "Code")),
        Column("title", _t("Tiêu chí", "Criterion")),
        Column("self", _t("Tự đánh giá", "Self-assessed"), places),
        Column("appraised", _t("Thẩm định", "Appraised"), places),
        Column("change", _t("Thay đổi", "Change"), places),
        Column("reason", _t("Lý do", "Reason")),
    )
    return Table(
        "appraisal",
        _t("Thay đổi khi thẩm định", "Changes made by the appraisal"),
        columns,
        rows,
    )


def evidence_table(cards: Sequence[ScoreCard], locale: str = "en") -> Table:
    """One row per evidence document given for an input."""
    rows = tuple(
        (
            card.unit.id,
            n.code,
            n.title.best(locale),
            doc.number,
            doc.date.isoformat() if doc.date else None,
            doc.issuer,
            doc.title,
            doc.url or doc.file,
        )
        for card in cards
        for n in card.nodes
        for doc in n.evidence or ()
    )
    columns = (
        Column("unit_id", _t("Mã đơn vị", "Unit id")),
        Column("code", _t("Mã", "Code")),
        Column("title", _t("Tiêu chí", "Criterion")),
        Column("number", _t("Số văn bản", "Document number")),
        Column("date", _t("Ngày", "Date")),
        Column("issuer", _t("Cơ quan ban hành", "Issuer")),
        Column("document", _t("Trích yếu", "Document title")),
        Column("link", _t("Đường dẫn / tệp", "Link or file")),
    )
    return Table("evidence", _t("Tài liệu kiểm chứng", "Evidence documents"), columns, rows)


__all__ = ["appraisal_table", "changed", "evidence_table", "self_points"]
