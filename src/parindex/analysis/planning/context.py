"""What a target is checked against: the score cards at hand, the unit, and the shared plan step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from parindex.analysis.planning.inputs import ruleset_of
from parindex.analysis.planning.targets import Measures, Targets
from parindex.analysis.planning.whatif import Plan, plan_points, points_for_index
from parindex.io.registry import Registry
from parindex.model.decimals import HUNDRED
from parindex.model.documents import Ruleset, ScoreCard


class Context:
    def __init__(
        self,
        targets: Targets,
        cards: Sequence[ScoreCard],
        measures: Measures | None,
        rulesets: Sequence[Ruleset],
        registry: Registry | None,
    ) -> None:
        self.targets = targets
        self.cards = cards
        self.measures = measures
        self.rulesets = rulesets
        self.registry = registry
        self.unit = targets.targets_for.id

    def batch(self, rulesets: Sequence[str]) -> tuple[list[ScoreCard], list[str]]:
        """The cards of the first listed ruleset that has a card for the unit, in the target
        year when there is one."""
        notes: list[str] = []
        for rid in rulesets:
            mine = [c for c in self.cards if c.ruleset == rid]
            if not any(c.unit.id == self.unit for c in mine):
                continue
            years = sorted({c.year for c in mine if c.unit.id == self.unit})
            year = self.targets.year if self.targets.year in years else years[-1]
            if year != self.targets.year:
                notes.append(f"no {rid} score for {self.targets.year}; {year} scores used")
            return [c for c in mine if c.year == year], notes
        return [], [f"no score card of {self.unit} for {', '.join(rulesets)}"]

    def before(self, card: ScoreCard) -> tuple[list[ScoreCard], list[str]]:
        """The batch of the unit's latest year before ``card``'s, under the same ruleset id
        (last year's results, to measure a gain against); noted when it is not the year before."""
        years = [
            c.year
            for c in self.cards
            if c.ruleset == card.ruleset and c.unit.id == self.unit and c.year < card.year
        ]
        if not years:
            return [], [f"no {card.ruleset} score card of {self.unit} before {card.year}"]
        year = max(years)
        notes = [] if year == card.year - 1 else [f"no {card.year - 1} scores; {year} used"]
        return [c for c in self.cards if c.ruleset == card.ruleset and c.year == year], notes

    def own(self, batch: Sequence[ScoreCard]) -> ScoreCard:
        return next(c for c in batch if c.unit.id == self.unit)

    def effort(self) -> Mapping[str, Decimal]:
        return self.targets.effort

    def ruleset(self, card: ScoreCard) -> Ruleset | None:
        return ruleset_of(card, self.rulesets, self.registry)

    def plan_key(self, card: ScoreCard, needed: Decimal, of: str, why: str) -> Plan:
        """The plan that raises the card's index (``of`` = "index") or total to ``needed``:
        the one step the value, group, rank and history targets share."""
        if of == "index":
            total = points_for_index(card, needed)
            extra = None if total is None else total - card.total_exact
            return plan_points(card, needed, "index", extra, why, self.effort(), ceiling=HUNDRED)
        return plan_points(
            card, needed, of, needed - card.total_exact, why, self.effort(), ceiling=card.maximum
        )


__all__ = ["Context"]
