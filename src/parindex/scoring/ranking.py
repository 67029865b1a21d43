"""Ranking and classifying a batch of score cards, with an explicit tie rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import get_args

from pydantic import Field

from parindex.model.documents import Dec, Frozen, ScoreCard, TieRule, Unit
from parindex.model.errors import ParindexError
from parindex.scoring.construct import _Construct

TIE_RULES: dict[str, str] = {
    "competition": 'equal scores share the best rank and the next rank is skipped ("1224")',
    "dense": 'equal scores share a rank and no rank is skipped ("1223")',
    "ordinal": 'every unit gets its own rank; ties keep the order given ("1234")',
    "modified": 'equal scores share the worst rank of their block ("1334")',
}
assert set(TIE_RULES) == set(get_args(TieRule))


class RankedEntry(Frozen):
    rank: int
    unit: Unit
    key: Dec | None
    total: Dec
    index: Dec | None
    group: str | None
    tied: bool = False


class RankedTable(Frozen):
    ruleset: str
    year: int | None
    by: str
    ties: TieRule
    tie_rule: str
    entries: tuple[RankedEntry, ...] = Field(default=())
    unranked: tuple[str, ...] = ()

    def table(self) -> RankedTable:
        """Itself (a :class:`RankedColumns` makes its table): either kind of ranking answers."""
        return self


@dataclass(frozen=True, eq=False)
class RankedColumns:
    """A ranking held as columns in rank order, each unit's total and index as integers at
    ``scale`` decimals (an unknown index: ``known`` false): what ``rank_csv`` works out, before
    100,000 entries, units and decimals are made. :meth:`table` makes the :class:`RankedTable`
    (once), the one ``api.rank`` gives; a renderer may read the columns instead."""

    ruleset: str
    year: int | None
    by: str
    ties: TieRule
    ranks: list[int]
    ids: list[str]
    names: list[str]
    totals: list[int]
    indices: list[int]
    known: list[bool]
    groups: list[str | None]
    tied: list[bool]
    scale: int
    unranked: tuple[str, ...] = ()  # a unit without a key is never ranked (as in a table)
    _built: list[RankedTable] = field(default_factory=list, repr=False)

    @property
    def tie_rule(self) -> str:
        return TIE_RULES[self.ties]

    def table(self) -> RankedTable:
        if not self._built:
            self._built.append(self._make())
        return self._built[0]

    def _make(self) -> RankedTable:
        entry, unit = _Construct(RankedEntry), _Construct(Unit)
        places = -self.scale
        decimal = {v: Decimal(v).scaleb(places) for v in (*self.totals, *self.indices)}
        by_index = self.by == "index"
        entries = []
        for r, i, n, t, x, k, g, tie in zip(
            self.ranks,
            self.ids,
            self.names,
            self.totals,
            self.indices,
            self.known,
            self.groups,
            self.tied,
            strict=True,
        ):
            total = decimal[t]
            index = decimal[x] if k else None
            entries.append(
                entry(
                    rank=r,
                    unit=unit(id=i, name=n),
                    key=index if by_index else total,
                    total=total,
                    index=index,
                    group=g,
                    tied=tie,
                )
            )
        return RankedTable(
            ruleset=self.ruleset,
            year=self.year,
            by=self.by,
            ties=self.ties,
            tie_rule=self.tie_rule,
            entries=tuple(entries),
            unranked=self.unranked,
        )


def ranks(keys: Sequence[Decimal], ties: TieRule = "competition") -> list[int]:
    """Ranks (1 = best) of ``keys``, higher is better, under the named tie rule."""
    order = sorted(range(len(keys)), key=lambda i: -keys[i])  # stable: ties keep input order
    out = [0] * len(keys)
    pos = 0
    dense = 0
    while pos < len(order):
        end = pos
        while end + 1 < len(order) and keys[order[end + 1]] == keys[order[pos]]:
            end += 1
        dense += 1
        for offset, i in enumerate(order[pos : end + 1]):
            if ties == "competition":
                out[i] = pos + 1
            elif ties == "dense":
                out[i] = dense
            elif ties == "ordinal":
                out[i] = pos + offset + 1
            else:
                out[i] = end + 1
        pos = end + 1
    return out


def rank(
    cards: Sequence[ScoreCard],
    ties: TieRule | None = None,
    key: Callable[[ScoreCard], Decimal | None] | None = None,
) -> RankedTable:
    """Rank score cards of one ruleset and year by index (by total where no index is known)."""
    if not cards:
        raise ParindexError("nothing to rank: no score cards given")
    rulesets = {c.ruleset for c in cards}
    if len(rulesets) > 1:
        raise ParindexError(
            f"cannot rank score cards of different rulesets together: {', '.join(sorted(rulesets))}"
        )
    years = {c.year for c in cards}
    if len(years) > 1:
        raise ParindexError(f"cannot rank different years together: {sorted(years)}")
    seen_ids = Counter(c.unit.id for c in cards)
    dup = {i for i, n in seen_ids.items() if n > 1}
    if dup:
        raise ParindexError(f"unit id(s) appear more than once: {', '.join(sorted(dup))}")
    by = "index" if all(c.index is not None for c in cards) else "total"
    getter: Callable[[ScoreCard], Decimal | None] = key or (
        (lambda c: c.index) if by == "index" else (lambda c: c.total)
    )
    rule: TieRule = ties or "competition"
    keyed = [(c, k) for c in cards if (k := getter(c)) is not None]
    unranked = tuple(c.unit.id for c in cards if getter(c) is None)
    rks = ranks([k for _, k in keyed], rule)
    counts: dict[Decimal, int] = {}
    for _, k in keyed:
        counts[k] = counts.get(k, 0) + 1
    entries = sorted(
        (
            RankedEntry(
                rank=r,
                unit=c.unit,
                key=k,
                total=c.total,
                index=c.index,
                group=c.group,
                tied=counts[k] > 1,
            )
            for r, (c, k) in zip(rks, keyed, strict=True)
        ),
        key=lambda e: e.rank,
    )
    return RankedTable(
        ruleset=cards[0].ruleset,
        year=cards[0].year,
        by="custom" if key else by,
        ties=rule,
        tie_rule=TIE_RULES[rule],
        entries=tuple(entries),
        unranked=unranked,
    )
