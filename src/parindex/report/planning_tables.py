"""Planning results as :class:`Table` objects (Vietnamese and English labels)."""

from __future__ import annotations

from decimal import Decimal

from parindex.analysis.planning.agency import AgencyReport
from parindex.analysis.planning.compare import Comparison
from parindex.analysis.planning.evaluate import TargetsReport
from parindex.analysis.planning.gaps import GapReport
from parindex.analysis.planning.tree import lost_points
from parindex.model.decimals import round_to
from parindex.model.documents import ScoreCard, Text
from parindex.model.i18n import N_, gettext, localize
from parindex.report.table import Cell, Column, Table
from parindex.scoring.ranking import RankedTable

#: The two sides of a comparison of stages (A and B for two cards are shown as they are).
STAGES = (N_("self-assessed"), N_("appraised"))


def T(vi: str, en: str) -> Text:
    return Text(vi=vi, en=en)


CODE = Column("code", T("Mã", "Code"))
TITLE = Column("title", T("Tiêu chí", "Criterion"))
POINTS = Column("points", T("Điểm", "Points"))
MAXIMUM = Column("maximum", T("Tối đa", "Maximum"))
PERCENT = Column("percent", T("%", "%"), 2)
LOST = Column("lost", T("Điểm bị mất", "Points lost"))
SHARE = Column("share", T("Tỷ trọng (%)", "Share (%)"), 2)
METHOD = Column("method", T("Phương pháp", "Method"), vocabulary=True)


def _share(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_to(value, 2)


def _points(places: int | None) -> tuple[Column, Column]:
    """The points and points-lost columns with the ruleset's decimal places (None: exact)."""
    if places is None:
        return POINTS, LOST
    return Column("points", POINTS.label, places), Column("lost", LOST.label, places)


#: With last year's card: what the same code lost then, and whether it is lost again.
LOST_BEFORE = Column("lost_before", T("Điểm bị mất năm trước", "Lost last year"))
AGAIN = Column(
    "again",
    T("Mất điểm lại", "Lost again"),
    legend=N_("✓ lost points in both years; ✗ only this year"),
)


def gaps_table(report: GapReport, locale: str = "en", places: int | None = None) -> Table:
    points, lost = _points(places)
    cols: tuple[Column, ...] = (CODE, TITLE, points, MAXIMUM, lost, SHARE, METHOD)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (g.code, g.title.best(locale), g.points, g.maximum, g.lost, _share(g.share), g.method)
        for g in report.rows
    )
    if report.previous_year is not None:
        cols += (Column("lost_before", LOST_BEFORE.label, places), AGAIN)
        rows = tuple((*r, g.lost_before, g.again) for r, g in zip(rows, report.rows, strict=True))
    return Table(
        "gaps", T("Các tiêu chí bị mất điểm", "Points lost by node"), cols, rows, report.notes
    )


def agency_table(report: AgencyReport, locale: str = "en", places: int | None = None) -> Table:
    rows = tuple(
        (
            t.agency,
            t.english,
            t.lost,
            _share(t.share),
            ", ".join(i.code for i in t.items) or "—",
            "; ".join(t.support) or None,
        )
        for t in report.agencies
    )
    cols = (
        Column("agency", T("Cơ quan chủ trì", "Lead agency"), vocabulary=True),
        Column("english", T("Tên tiếng Anh", "In English")),
        _points(places)[1],
        SHARE,
        Column("items", T("Tiêu chí bị mất điểm", "Items that lost points")),
        Column("support", T("Cơ quan phối hợp", "Supporting agencies")),
    )
    return Table(
        "agencies",
        T("Điểm bị mất theo cơ quan chủ trì", "Points lost by lead agency"),
        cols,
        rows,
        report.notes,
    )


#: The words of the basis column: the map states the assignment, or it was inferred.
BASES = (N_("stated"), N_("inferred"))


def agency_items_table(
    report: AgencyReport, locale: str = "en", places: int | None = None
) -> Table:
    rows = tuple(
        (
            t.agency,
            i.code,
            i.title.best(locale),
            i.points,
            i.maximum,
            i.lost,
            _share(i.share),
            i.via,
            i.clause,
            i.basis,
        )
        for t in report.agencies
        for i in t.items
    )
    cols = (
        Column("agency", T("Cơ quan chủ trì", "Lead agency"), vocabulary=True),
        CODE,
        TITLE,
        *_points(places)[:1],
        MAXIMUM,
        _points(places)[1],
        SHARE,
        Column("via", T("Theo mã", "Assigned via")),
        Column("clause", T("Điều khoản", "Clause")),
        Column("basis", T("Căn cứ", "Basis"), vocabulary=True),
    )
    return Table("agency_items", T("Chi tiết theo cơ quan", "Items by agency"), cols, rows)


def targets_table(report: TargetsReport) -> Table:
    rows = tuple(
        (
            r.id,
            r.title.vi,
            r.requirement,
            r.actual,
            r.met,
            r.margin,
            r.margin_unit,
            r.plan.extra_points if r.plan else None,
            r.clause,
        )
        for r in report.results
    )
    cols = (
        Column("id", T("Mục tiêu", "Target")),
        Column("title", T("Nội dung (nguyên văn)", "Wording")),
        Column("requirement", T("Yêu cầu", "Requirement"), vocabulary=True),
        Column("actual", T("Kết quả", "Result"), vocabulary=True),
        Column("met", T("Đạt", "Met"), legend=N_("✓ target met; ✗ not met")),
        Column("margin", T("Chênh lệch", "Margin")),
        Column("margin_unit", T("Đơn vị", "Unit"), vocabulary=True),
        Column("extra_points", T("Điểm cần thêm", "Extra points needed")),
        Column("clause", T("Điều khoản", "Clause")),
    )
    notes = tuple(f"{r.id}: {n}" for r in report.results for n in r.notes) + report.notes
    return Table("targets", T("Đánh giá mục tiêu", "Targets"), cols, rows, notes)


def whatif_table(report: TargetsReport, locale: str = "en") -> Table:
    rows = tuple(
        (
            r.id,
            rec.code,
            rec.title.best(locale),
            rec.lead,
            rec.method,
            rec.lost,
            rec.effort,
            rec.take,
        )
        for r in report.results
        if r.plan
        for rec in r.plan.recover
    )
    cols = (
        Column("target", T("Mục tiêu", "Target")),
        CODE,
        TITLE,
        Column("lead", T("Cơ quan chủ trì", "Lead agency"), vocabulary=True),
        METHOD,
        LOST,
        Column("effort", T("Công sức", "Effort")),
        Column("win_back", T("Điểm cần lấy lại", "Points to win back")),
    )
    notes = tuple(f"{r.id}: {r.plan.explanation}" for r in report.results if r.plan)
    return Table(
        "whatif",
        T("Giả định: lấy lại điểm ở đâu", "What-if: where to win points back"),
        cols,
        rows,
        notes,
    )


def compare_table(
    cmp: Comparison, locale: str = "en", changed_only: bool = False, depth: int | None = None
) -> Table:
    rows = tuple(
        (
            r.code,
            r.title.best(locale),
            r.points_a,
            r.points_b,
            r.delta,
            r.percent_a,
            r.percent_b,
            r.rules_changed,
            "; ".join(localize(c, locale) for c in r.changes) or None,
        )
        for r in cmp.rows
        if (depth is None or r.depth <= depth)
        and (not changed_only or r.delta != 0 or r.rules_changed is not False)
    )
    a_vi, b_vi = gettext(cmp.a.label, "vi"), gettext(cmp.b.label, "vi")
    cols = (
        CODE,
        TITLE,
        Column("points_a", T(f"Điểm {a_vi}", f"Points {cmp.a.label}"), cmp.b.places),
        Column("points_b", T(f"Điểm {b_vi}", f"Points {cmp.b.label}"), cmp.b.places),
        Column("delta", T("Thay đổi", "Change"), cmp.b.places),
        Column("percent_a", T(f"% {a_vi}", f"% {cmp.a.label}"), 2),
        Column("percent_b", T(f"% {b_vi}", f"% {cmp.b.label}"), 2),
        Column(
            "rules_changed",
            T("Quy tắc thay đổi", "Rules changed"),
            symbols=("≠", "="),
            legend=N_("≠ the node's rules (or those of a node below it) changed; = the same rules"),
        ),
        Column("changes", T("Thay đổi quy tắc", "What changed")),
    )
    return Table(
        "compare", T("So sánh theo tiêu chí", "Node-by-node comparison"), cols, rows, cmp.notes
    )


def compare_summary_table(cmp: Comparison, places: int | None = None) -> Table:
    places = cmp.b.places if places is None else places
    rows = []
    for s in (cmp.a, cmp.b):
        rows.append(
            (
                s.label,
                s.unit.label,
                f"{s.ruleset} {s.version}",
                s.year,
                s.total,
                s.index,
                s.group,
                s.rank,
                s.of,
            )
        )
    cols = (
        Column("side", T("Bên", "Side"), vocabulary=True),
        Column("unit", T("Đơn vị", "Unit")),
        Column("ruleset", T("Bộ tiêu chí", "Ruleset")),
        Column("year", T("Năm", "Year")),
        Column("total", T("Tổng điểm", "Total"), places),
        Column("index", T("Chỉ số", "Index"), places),
        Column("group", T("Nhóm", "Group"), vocabulary=True),
        Column("rank", T("Xếp hạng", "Rank")),
        Column("of", T("Trên tổng số", "Of")),
    )
    return Table(
        "compare_summary",
        T("Tổng quan so sánh", "Comparison summary"),
        cols,
        tuple(rows),
        (cmp.rule_basis,),
    )


def ranking_table(table: RankedTable, places: int | None = None) -> Table:
    rows = tuple(
        (e.rank, e.unit.id, e.unit.label, e.index, e.total, e.group) for e in table.entries
    )
    cols = (
        Column("rank", T("Xếp hạng", "Rank")),
        Column("unit_id", T("Mã đơn vị", "Unit id")),
        Column("unit", T("Đơn vị", "Unit")),
        Column("index", T("Chỉ số", "Index"), places),
        Column("total", T("Tổng điểm", "Total"), places),
        Column("group", T("Nhóm", "Group"), vocabulary=True),
    )
    return Table(
        "ranking",
        T("Bảng xếp hạng", "Ranking"),
        cols,
        rows,
        (f"ranked by {table.by}; ties: {table.ties} — {table.tie_rule}",),
    )


def profile_table(card: ScoreCard, locale: str = "en") -> Table:
    places = card.receipt.rounding.places
    rows = tuple(
        (n.code, n.title.best(locale), n.points, n.maximum, n.percent, lost_points(n))
        for n in card.nodes
        if n.parent is None
    )
    return Table(
        "profile",
        T("Kết quả theo lĩnh vực, chỉ số nội dung", "Profile by field or dimension"),
        (CODE, TITLE, _points(places)[0], MAXIMUM, PERCENT, _points(places)[1]),
        rows,
    )


__all__ = [
    "agency_items_table",
    "agency_table",
    "compare_summary_table",
    "compare_table",
    "gaps_table",
    "profile_table",
    "ranking_table",
    "targets_table",
    "whatif_table",
]
