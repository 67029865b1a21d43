"""Lost points by lead agency: the gaps of a score card totalled per agency of a responsibility map.

Every lost point is counted once: the card's lost points are split down the tree as far as the
maxima allow (:meth:`CardTree.finest_partition`), each part goes to the lead of the most specific
map entry above it, and parts no entry covers go to "not stated". So the agencies' totals add up
to the points lost (except points lost in top-level nodes without a published maximum, which
cannot be computed and are reported).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from parindex.analysis.planning.gaps import share_of
from parindex.analysis.planning.responsibility import (
    NOT_STATED,
    ResponsibilityMap,
    Section,
    codes_not_in,
    resolve,
)
from parindex.analysis.planning.tree import CardTree
from parindex.model.decimals import ZERO
from parindex.model.documents import Dec, Frozen, ScoreCard, Text, Unit
from parindex.model.i18n import N_, add_templates

# A note of the agency report, translated when shown.
add_templates(
    N_(
        "its lost points cannot be split below it (no published maxima, or scored as a whole),"
        " so they all go to {agency}; the map assigns parts of it to: {agencies}"
    )
)


class AgencyItem(Frozen):
    code: str
    title: Text
    points: Dec | None
    maximum: Dec | None
    lost: Dec
    share: Dec | None
    via: str | None
    named: bool
    basis: str | None
    clause: str | None


class AgencyTotal(Frozen):
    agency: str
    lead: tuple[str, ...]
    english: str | None
    lost: Dec
    share: Dec | None
    support: tuple[str, ...]
    items: tuple[AgencyItem, ...]


class AgencyReport(Frozen):
    unit: Unit
    ruleset: str
    version: str
    year: int
    map_id: str
    map_source: str
    section: str
    total_lost: Dec | None
    attributed: Dec
    agencies: tuple[AgencyTotal, ...]
    unknown: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _english(rmap: ResponsibilityMap | None, lead: tuple[str, ...]) -> str | None:
    if rmap is None or not lead:
        return None
    names = [rmap.english(a) for a in lead]
    return " + ".join(n for n in names if n) or None


def by_agency(
    card: ScoreCard, rmap: ResponsibilityMap | None = None, section: str | None = None
) -> AgencyReport:
    """Lost points per lead agency. Without a map, the nodes' own ``lead_agency`` is used."""
    tree = CardTree(card)
    total_lost, notes = tree.total_lost()
    parts, unknown = tree.finest_partition()
    sec: Section | None = None
    sec_name = "(ruleset lead_agency)"
    if rmap is not None:
        sec_name, sec, more = rmap.section_for(card.ruleset, section)
        notes.extend(more)
        missing = codes_not_in(sec, [n.code for n in card.nodes])
        if missing:
            notes.append(
                f"{len(missing)} code(s) of the map are not scored in this card (not in"
                " the ruleset, or scored through an ancestor): " + ", ".join(missing)
            )
    groups: dict[str, list[AgencyItem]] = {}
    leads: dict[str, tuple[str, ...]] = {}
    support: dict[str, list[str]] = {}
    if sec is not None:  # every lead the map names is listed, even with nothing lost
        for entry in sec.entries:
            groups.setdefault(entry.lead_label, [])
            leads.setdefault(entry.lead_label, entry.lead)
    index = tree.by_code()
    for node, lost in parts:
        if sec is not None:
            res = resolve(sec, tree, node.code)
            label, lead = res.lead_label, res.assignment.lead if res.assignment else ()
            item = AgencyItem(
                code=node.code,
                title=node.title,
                points=node.points,
                maximum=node.maximum,
                lost=lost,
                share=share_of(lost, total_lost),
                via=res.via,
                named=res.named,
                basis=res.assignment.basis if res.assignment and res.assignment.lead else None,
                clause=res.assignment.clause if res.assignment else None,
            )
            if res.assignment is not None:
                sup = support.setdefault(label, [])
                sup.extend(s for s in res.assignment.support if s not in sup)
            below = sorted(
                {
                    e.lead_label
                    for e in sec.entries
                    for c in e.codes
                    if c.startswith(node.code + ".") and e.lead_label != label
                }
            )
            if below and lost > 0:
                notes.append(
                    f"{node.code}: its lost points cannot be split below it (no"
                    " published maxima, or scored as a whole), so they all go to"
                    f" {label}; the map assigns parts of it to: {', '.join(below)}"
                )
        else:
            via = next((c for c in tree.ancestors(node.code) if index[c].lead_agency), None)
            owner = index[via].lead_agency if via else None
            lead = (owner,) if owner else ()
            label = owner or NOT_STATED
            item = AgencyItem(
                code=node.code,
                title=node.title,
                points=node.points,
                maximum=node.maximum,
                lost=lost,
                share=share_of(lost, total_lost),
                via=via,
                named=via == node.code,
                basis="ruleset" if via else None,
                clause=None,
            )
        leads.setdefault(label, lead)
        groups.setdefault(label, []).append(item)
    totals = []
    for label, items in groups.items():
        lost_sum = sum((i.lost for i in items), ZERO)
        listed = tuple(sorted((i for i in items if i.lost > 0), key=lambda i: -i.lost))
        totals.append(
            AgencyTotal(
                agency=label,
                lead=leads[label],
                english=_english(rmap, leads[label]),
                lost=lost_sum,
                share=share_of(lost_sum, total_lost),
                support=tuple(support.get(label, ())),
                items=listed,
            )
        )
    first = {label: i for i, label in enumerate(groups)}
    totals.sort(key=lambda t: (t.agency == NOT_STATED, -t.lost, first[t.agency]))
    attributed: Decimal = sum((t.lost for t in totals), ZERO)
    if unknown:
        notes.append(
            "lost points of top-level node(s) without a published maximum cannot be"
            f" computed or attributed: {', '.join(unknown)}"
        )
    return AgencyReport(
        unit=card.unit,
        ruleset=card.ruleset,
        version=card.version,
        year=card.year,
        map_id=rmap.id if rmap else "(none)",
        map_source=rmap.source.cite() if rmap else "the ruleset's lead_agency",
        section=sec_name,
        total_lost=total_lost,
        attributed=attributed,
        agencies=tuple(totals),
        unknown=tuple(unknown),
        notes=tuple(notes),
    )


def lead_of(
    card: ScoreCard,
    codes: Sequence[str],
    rmap: ResponsibilityMap | None = None,
    section: str | None = None,
) -> dict[str, str]:
    """The lead agency of each of ``codes``, found as :func:`by_agency` finds it: the most
    specific map entry at or above the node, else the ruleset's ``lead_agency``; "not stated"
    when neither names one."""
    tree = CardTree(card)
    if rmap is not None and (section is not None or rmap.covers(card.ruleset)):
        _, sec, _ = rmap.section_for(card.ruleset, section)
        return {code: resolve(sec, tree, code).lead_label for code in codes}
    # a map with no section for this ruleset (a plan's PAR map, a PAPI target): the ruleset's own
    index = tree.by_code()
    out = {}
    for code in codes:
        via = next((c for c in tree.ancestors(code) if index[c].lead_agency), None)
        out[code] = (index[via].lead_agency if via else None) or NOT_STATED
    return out


__all__ = ["AgencyItem", "AgencyReport", "AgencyTotal", "by_agency", "lead_of"]
