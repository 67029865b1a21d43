"""Assembling a report: one unit's score card with its gaps, charts, agencies, targets and
comparison, as a :class:`Document` that the Markdown and HTML writers render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from parindex.analysis.history import HistoryRow
from parindex.analysis.planning.agency import by_agency
from parindex.analysis.planning.compare import Comparison
from parindex.analysis.planning.evaluate import TargetsReport
from parindex.analysis.planning.gaps import gaps
from parindex.analysis.planning.inputs import read_cards, ruleset_of
from parindex.analysis.planning.responsibility import ResponsibilityMap
from parindex.io.registry import Registry
from parindex.model.documents import Ruleset, ScoreCard, Text
from parindex.model.errors import ParindexError
from parindex.model.i18n import gettext, localize
from parindex.report import builder_ranking as R
from parindex.report import planning_tables as T
from parindex.report import svg
from parindex.report.appraisal import changed, self_points
from parindex.report.card import appraisal_summary
from parindex.report.history_chart import LineChart
from parindex.report.history_section import history_parts
from parindex.report.numbers import number
from parindex.report.table import Table
from parindex.scoring.ranking import RankedColumns, RankedTable
from parindex.scoring.ranking import rank as rank_cards


@dataclass(frozen=True)
class Chart:
    spec: svg.ChartSpec | LineChart
    caption: Text


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    paragraphs: tuple[str, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Document:
    title: Text
    facts: tuple[tuple[Text, str], ...]
    sections: tuple[Section, ...]
    warnings: tuple[str, ...] = ()
    footer: tuple[str, ...] = field(default=())
    locale: str = "en"

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


def _t(vi: str, en: str) -> Text:
    return Text(vi=vi, en=en)


def _ranked(card: ScoreCard, batch: Sequence[ScoreCard], rs: Ruleset | None) -> RankedTable | None:
    peers = [c for c in batch if c.ruleset == card.ruleset and c.year == card.year]
    if not any(c.unit.id == card.unit.id for c in peers):
        peers.append(card)
    if len(peers) < 2:
        return None
    return rank_cards(peers, rs.ranking.ties if rs else None)


def _ranked_csv(
    card: ScoreCard, path: str | Path, rs: Ruleset | None, registry: Registry | None
) -> RankedTable | RankedColumns | None:
    """What :func:`_ranked` makes of the cards of a batch CSV, from the batch path: the ranking
    is all the report takes from a batch, and a score card per row cost ~1 h for 200,000 rows.
    The fast ranking is the one ``rank`` makes of those cards (``rank_csv``'s contract), kept as
    columns when the file was read the fast way (no entry per row); it is used when it is the
    table ``_ranked`` would make — one ruleset and year, the card's, with the card's unit in it
    at the card's total and index — and the cards are read otherwise."""
    from parindex.scoring.fast.csvrank import rank_columns

    ties = rs.ranking.ties if rs else None
    try:
        ranked = rank_columns(path, ties=ties, registry=registry)
    except ParindexError:  # e.g. other rulesets in the file, which _ranked leaves out
        return _ranked(card, read_cards([path], registry=registry), rs)
    if isinstance(ranked, RankedColumns):
        own, count = R.own_scores(ranked, card.unit.id), len(ranked.ids)
    else:
        own = [(e.total, e.index) for e in ranked.entries if e.unit.id == card.unit.id]
        count = len(ranked.entries)
    if (
        ranked.ruleset == card.ruleset
        and ranked.year == card.year
        and own == [(card.total, card.index)]
        and count >= 2
    ):
        return ranked
    return _ranked(card, read_cards([path], registry=registry), rs)


def _standing(ranked: RankedTable | RankedColumns, unit_id: str) -> tuple[int | None, int]:
    """The unit's rank (None: not in the ranking) and the number of units ranked."""
    if isinstance(ranked, RankedColumns):
        return R.standing(ranked, unit_id), len(ranked.ids)
    entry = next((e for e in ranked.entries if e.unit.id == unit_id), None)
    return (entry.rank if entry else None), len(ranked.entries)


def build_report(
    card: ScoreCard,
    *,
    locale: str = "en",
    depth: int | None = None,
    batch: Sequence[ScoreCard] = (),
    rmap: ResponsibilityMap | None = None,
    section: str | None = None,
    targets: TargetsReport | None = None,
    comparison: Comparison | None = None,
    rulesets: Sequence[Ruleset] = (),
    registry: Registry | None = None,
    batch_csv: str | Path | None = None,
    previous: ScoreCard | None = None,
    history: Sequence[HistoryRow] = (),
    history_notes: Sequence[str] = (),
) -> Document:
    """``batch_csv``: the other units as one batch CSV (instead of ``batch``), ranked without a
    score card per row; the rulesets then come from the registry. ``previous``: last year's
    card, whose lost points mark the gaps lost again. ``history``: the unit's years (rows of
    :func:`parindex.analysis.history.history`), charted with their group bands."""
    places = card.receipt.rounding.places
    rs = ruleset_of(card, rulesets, registry)
    if batch_csv is not None:
        ranked = _ranked_csv(card, batch_csv, rs, registry)
    else:
        ranked = _ranked(card, batch, rs)
    gap = gaps(card, depth, previous)
    own_rank, count = _standing(ranked, card.unit.id) if ranked is not None else (None, 0)

    def n(value: Decimal | None, p: int | None = None) -> str:
        return number(value, p, locale=locale)

    facts: list[tuple[Text, str]] = [
        (_t("Đơn vị", "Unit"), card.unit.label),
        (
            _t("Bộ tiêu chí", "Ruleset"),
            f"{card.ruleset} {card.version}" + (f" ({rs.title.best(locale)})" if rs else ""),
        ),
        (_t("Năm", "Year"), str(card.year)),
        (_t("Tổng điểm", "Total"), f"{n(card.total, places)} / {n(card.maximum)}"),
        (_t("Chỉ số", "Index"), n(card.index, places)),
        (_t("Nhóm", "Group"), card.group or "—"),
        (_t("Điểm bị mất", "Points lost"), n(gap.total_lost)),
    ]
    if own_rank is not None:
        facts.append((_t("Xếp hạng", "Rank"), f"{own_rank} / {count}"))
    warnings = []
    if card.unverified:
        warnings.append(
            "⚠ unverified rules contributed to this score (chưa kiểm chứng): "
            + ", ".join(card.unverified_codes[:20])
            + (" …" if len(card.unverified_codes) > 20 else "")
        )
    sections = [
        Section(
            "profile",
            _t("Kết quả theo lĩnh vực, chỉ số nội dung", "Profile by field or dimension"),
            charts=(
                Chart(
                    svg.profile_chart(card, locale),
                    _t(
                        "Tỷ lệ điểm đạt của mỗi lĩnh vực (thanh xanh) trên điểm tối đa (nền xám)",
                        "Each field's points as a share of its maximum (blue) on"
                        " the maximum (grey)",
                    ),
                ),
            ),
            tables=(T.profile_table(card, locale),),
        )
    ]
    if ranked is not None:
        marks = tuple(
            svg.Mark(b.min, f"{b.label} ≥ {number(b.min, locale=locale)}")
            for b in (rs.groups if rs else ())
            if b.published and b.label and ranked.by == "index"
        )
        if isinstance(ranked, RankedColumns):
            spec = R.ranking_chart(ranked, card.unit.id, locale, marks, places)
            table = R.ranking_table(ranked, places)
        else:
            spec = svg.ranking_chart(ranked, card.unit.id, locale, marks, places)
            table = T.ranking_table(ranked, places)
        lo, hi = spec.axis.low, spec.axis.high
        spec = svg.ChartSpec(
            spec.chart_id,
            spec.title,
            spec.bars,
            spec.axis,
            spec.fill,
            marks=tuple(m for m in marks if lo <= m.value <= hi),
            bar_height=spec.bar_height,
            gap=spec.gap,
            label_width=spec.label_width,
        )
        sections.append(
            Section(
                "ranking",
                _t("Xếp hạng", "Ranking"),
                paragraphs=(
                    gettext(
                        "{unit}: {rank} / {count}; ranked by {by}, ties {ties} ({rule}).", locale
                    ).format(
                        unit=card.unit.label,
                        rank="—" if own_rank is None else own_rank,
                        count=count,
                        by=gettext(ranked.by, locale),
                        ties=ranked.ties,
                        rule=gettext(ranked.tie_rule, locale),
                    ),
                ),
                charts=(
                    Chart(
                        spec,
                        _t(
                            "Đơn vị được báo cáo tô màu đỏ; đường xanh lá: ngưỡng nhóm",
                            "The unit reported in red; green lines: group thresholds",
                        ),
                    ),
                ),
                tables=(table,),
            )
        )
    depth_names = {
        None: _t("mức chi tiết nhất", "leaf"),
        0: _t("lĩnh vực", "field"),
        1: _t("tiêu chí", "criterion"),
        2: _t("tiêu chí thành phần", "sub-criterion"),
    }
    depth_name = depth_names[depth].best(locale) if depth in depth_names else str(depth)
    sections.append(
        Section(
            "gaps",
            _t("Các tiêu chí bị mất điểm", "Points lost"),
            paragraphs=(
                gettext(
                    "Depth: {depth}. Points lost in all: {lost}; listed: {listed}.", locale
                ).format(
                    depth=depth_name,
                    lost=n(gap.total_lost, places),
                    listed=n(gap.listed_lost, places),
                ),
                *(
                    [
                        gettext(
                            "Lost again (also lost in {year}): {count} node(s), {points} points"
                            " this year.",
                            locale,
                        ).format(
                            year=gap.previous_year,
                            count=len(gap.again),
                            points=n(gap.lost_again, places),
                        )
                    ]
                    if gap.previous_year is not None
                    else []
                ),
            ),
            tables=(T.gaps_table(gap, locale, places),),
        )
    )
    if rmap is not None:
        agencies = by_agency(card, rmap, section)
        check = (
            gettext("= points lost ✓", locale)
            if agencies.total_lost == agencies.attributed
            else gettext("of {lost} points lost", locale).format(
                lost=n(agencies.total_lost, places)
            )
        )
        sections.append(
            Section(
                "agencies",
                _t("Điểm bị mất theo cơ quan chủ trì", "Points lost by lead agency"),
                paragraphs=(
                    gettext(
                        "Map {map} ({province} {year}), section {section}; source: {source}.",
                        locale,
                    ).format(
                        map=rmap.id,
                        province=rmap.province.best(locale),
                        year=rmap.year,
                        section=agencies.section,
                        source=rmap.source.cite(),
                    ),
                    gettext("Sum over agencies: {sum} {check}.", locale).format(
                        sum=n(agencies.attributed, places), check=check
                    ),
                ),
                tables=(
                    T.agency_table(agencies, locale, places),
                    T.agency_items_table(agencies, locale, places),
                ),
            )
        )
    if targets is not None:
        sections.append(
            Section(
                "targets",
                _t("Mục tiêu", "Targets"),
                paragraphs=(
                    gettext(
                        "Targets of {unit} for {year}; source: {source}. Met: {met} of {count}.",
                        locale,
                    ).format(
                        unit=targets.unit.name or targets.unit.id,
                        year=targets.year,
                        source=targets.source,
                        met=targets.met,
                        count=len(targets.results),
                    ),
                ),
                tables=(T.targets_table(targets), T.whatif_table(targets, locale)),
            )
        )
    if comparison is not None:
        sections.append(
            Section(
                "compare",
                _t("So sánh", "Comparison"),
                paragraphs=(comparison.rule_basis,),
                tables=(
                    T.compare_summary_table(comparison),
                    T.compare_table(comparison, locale, changed_only=True),
                ),
            )
        )
    if history:
        paragraphs, line, table = history_parts(history, history_notes, locale, registry, rulesets)
        caption = _t(
            "Chỉ số (xanh, trục trái) và hạng (xám, nét đứt, trục phải); nền: nhóm của từng năm",
            "Index (blue, left axis) and rank (grey, dashed, right axis); shading: each"
            " year's groups",
        )
        charts = (Chart(line, caption),) if line is not None else ()
        title = _t("Qua các năm", "Year by year")
        sections.append(Section("history", title, paragraphs, charts, (table,)))
    sections += _appraisal_sections(card, locale)
    footer = (
        *[f"{gettext('Note', locale)}: {localize(x, locale)}" for x in card.notes],
        f"{gettext('Receipt', locale)}: {card.receipt.ruleset_id} {card.receipt.ruleset_version}"
        f" {card.receipt.content_hash} · parindex {card.receipt.library_version} ·"
        f" {localize(card.receipt.rule, locale)}",
    )
    title = _t(
        f"Báo cáo chỉ số — {card.unit.label} {card.year}",
        f"Index report — {card.unit.label} {card.year}",
    )
    return Document(title, tuple(facts), tuple(sections), tuple(warnings), footer, locale)


def _appraisal_sections(card: ScoreCard, locale: str) -> list[Section]:
    """Self-assessed and appraised points with the council's reasons, and the evidence given,
    each only when there is something to show. Written as lines, not tables: the tables of a
    report are its exports (``--export DIR``), and these are the card's own (``rank --changes``,
    the workbooks)."""
    out = []
    places = card.receipt.rounding.places
    lines = [
        f"{n.code} {n.title.best(locale)}: {number(self_points(n), places, locale=locale)} →"
        f" {number(n.points, places, locale=locale)}"
        + (f" — {n.trace.reason}" if n.trace.reason else "")
        for n in card.nodes
        if changed(n)
    ]
    if lines:
        title = _t("Thay đổi khi thẩm định", "Changes made by the appraisal")
        out.append(Section("appraisal", title, (appraisal_summary(card, locale), *lines)))
    evidence = [
        f"{n.code}: {doc.cite()}" for n in card.nodes for doc in n.evidence or () if doc.cite()
    ]
    if evidence:
        out.append(Section("evidence", _t("Tài liệu kiểm chứng", "Evidence"), tuple(evidence)))
    return out


__all__ = ["Chart", "Document", "Section", "build_report"]
