"""Gaps: every node below its maximum, with the points it lost and its share of all points lost.

This is the first step of every improvement plan in the sources (Lạng Sơn 156/KH-UBND 2022 lists
"các tiêu chí, tiêu chí thành phần chưa đạt điểm tối đa"): read the scores, list what lost points.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from parindex.analysis.planning.errors import PlanningError
from parindex.analysis.planning.tree import CardTree, lost_points
from parindex.model.decimals import CONTEXT, HUNDRED, ZERO
from parindex.model.documents import Dec, Frozen, Method, ScoreCard, Text, Unit

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


def gaps(card: ScoreCard, depth: int | None = None) -> GapReport:
    """Every node at ``depth`` (None: the scored leaves) that lost points, largest first."""
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
    )


__all__ = ["DEPTHS", "Gap", "GapReport", "gaps", "parse_depth", "share_of"]
