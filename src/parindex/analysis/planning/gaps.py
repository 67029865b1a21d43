"""Gaps: every node below its maximum, with the points it lost and its share of all points lost.

This is the first step of every improvement plan in the sources (Lạng Sơn 156/KH-UBND 2022 lists
"các tiêu chí, tiêu chí thành phần chưa đạt điểm tối đa"): read the scores, list what lost points.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from parindex.analysis.planning.errors import PlanningError
from parindex.analysis.planning.tree import CardTree, lost_points
from parindex.model.decimals import CONTEXT, HUNDRED, ZERO, canonical
from parindex.model.documents import Dec, Frozen, Method, ScoreCard, Text, Unit
from parindex.model.i18n import N_, add_templates

# The notes of a comparison with last year's card, translated when shown.
add_templates(
    N_("lost again (also lost in {year}): {count} of {rows} node(s), {points} points this year"),
    N_(
        "the previous card was scored under {a}, this one under {b}: codes are matched as"
        " written, and a rule may have changed (parindex compare shows which)"
    ),
    N_("the previous card is for {a}, this one for {b}"),
    N_("the previous card is for {year}, not before {current}"),
    N_("{count} node(s) have no published maximum, so their lost points are unknown: {codes}"),
    N_(
        "the rows account for {points} of the {lost} points lost; the rest cannot be placed at"
        " this depth (maxima not published below it)"
    ),
)

#: Names of the depths of a PAR INDEX tree (lĩnh vực → tiêu chí → tiêu chí thành phần).
DEPTHS: dict[str, int | None] = {"field": 0, "criterion": 1, "sub-criterion": 2, "leaf": None}


def parse_depth(text: str) -> int | None:
    """``field``, ``criterion``, ``sub-criterion``, ``leaf`` or a number (0 = top level)."""
    if text in DEPTHS:
        return DEPTHS[text]
    if text.isdigit():
        return int(text)
    raise PlanningError(
        f"unknown depth {text!r}; use {', '.join(DEPTHS)} or a number (0 = top)", field="depth"
    )


def share_of(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """``part`` as an exact percentage of ``whole`` (None when the whole is unknown or zero)."""
    if whole is None or whole == 0:
        return None
    return CONTEXT.multiply(CONTEXT.divide(part, whole), HUNDRED)


class Gap(Frozen):
    code: str
    title: Text
    depth: int
    parent: str | None
    points: Dec | None
    maximum: Dec | None
    percent: Dec | None
    lost: Dec
    share: Dec | None = Field(description="exact % of all points lost")
    method: Method
    not_applicable: bool = False
    lead_agency: str | None = None
    #: Points the same code lost in the previous card (None: not compared, or not there).
    lost_before: Dec | None = None

    @property
    def again(self) -> bool:
        """Lost points in both years: what the plans call a weakness not yet overcome."""
        return self.lost_before is not None and self.lost_before > 0


class GapReport(Frozen):
    unit: Unit
    ruleset: str
    version: str
    year: int
    view: str
    depth: int | None
    total: Dec
    maximum: Dec | None
    total_lost: Dec | None
    listed_lost: Dec
    rows: tuple[Gap, ...]
    unknown: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: The year of the card compared with (``previous``), when one was given.
    previous_year: int | None = None

    @property
    def again(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.rows if g.again)

    @property
    def lost_again(self) -> Decimal:
        return sum((g.lost for g in self.again), ZERO)


def _lost_before(
    card: ScoreCard, previous: ScoreCard, rows: list[Gap]
) -> tuple[list[Gap], list[str]]:
    """The rows with what each code lost in ``previous``, and what the reader must know to
    trust the match (codes are matched as written: a renumbered criterion is not followed)."""
    before = {n.code: n for n in previous.nodes}
    notes = []
    if previous.unit.id != card.unit.id:
        notes.append(f"the previous card is for {previous.unit.id}, this one for {card.unit.id}")
    if previous.year >= card.year:
        notes.append(f"the previous card is for {previous.year}, not before {card.year}")
    if (previous.ruleset, previous.version) != (card.ruleset, card.version):
        notes.append(
            f"the previous card was scored under {previous.ruleset} {previous.version}, this one"
            f" under {card.ruleset} {card.version}: codes are matched as written, and a rule"
            " may have changed (parindex compare shows which)"
        )
    out = []
    for g in rows:
        node = before.get(g.code)
        lost = lost_points(node) if node is not None else None
        out.append(g.model_copy(update={"lost_before": lost}))
    again = [g for g in out if g.again]
    notes.append(
        f"lost again (also lost in {previous.year}): {len(again)} of {len(out)} node(s),"
        f" {canonical(sum((g.lost for g in again), ZERO))} points this year"
    )
    return out, notes


def gaps(card: ScoreCard, depth: int | None = None, previous: ScoreCard | None = None) -> GapReport:
    """Every node at ``depth`` (None: the scored leaves) that lost points, largest first; with
    ``previous`` (last year's card), what each of them lost then too."""
    tree = CardTree(card)
    total_lost, notes = tree.total_lost()
    order = {n.code: i for i, n in enumerate(card.nodes)}
    rows: list[Gap] = []
    unknown: list[str] = []
    listed = ZERO
    for n in tree.at_depth(depth):
        lost = lost_points(n)
        if lost is None:
            unknown.append(n.code)
            continue
        listed += lost
        if lost <= 0:
            continue
        rows.append(
            Gap(
                code=n.code,
                title=n.title,
                depth=n.depth,
                parent=n.parent,
                points=n.points,
                maximum=n.maximum,
                percent=n.percent,
                lost=lost,
                share=share_of(lost, total_lost),
                method=n.method,
                not_applicable=n.not_applicable,
                lead_agency=n.lead_agency,
            )
        )
    rows.sort(key=lambda g: (-g.lost, order[g.code]))
    if unknown:
        notes.append(
            f"{len(unknown)} node(s) have no published maximum, so their lost points are"
            f" unknown: {', '.join(unknown[:12])}" + (" …" if len(unknown) > 12 else "")
        )
    if total_lost is not None and listed != total_lost:
        notes.append(
            f"the rows account for {listed} of the {total_lost} points lost; the rest"
            " cannot be placed at this depth (maxima not published below it)"
        )
    if previous is not None:
        rows, more = _lost_before(card, previous, rows)
        notes.extend(more)
    return GapReport(
        unit=card.unit,
        ruleset=card.ruleset,
        version=card.version,
        year=card.year,
        view=card.view,
        depth=depth,
        total=card.total,
        maximum=card.maximum,
        total_lost=total_lost,
        listed_lost=listed,
        rows=tuple(rows),
        unknown=tuple(unknown),
        notes=tuple(notes),
        previous_year=previous.year if previous is not None else None,
    )


__all__ = ["DEPTHS", "Gap", "GapReport", "gaps", "parse_depth", "share_of"]
