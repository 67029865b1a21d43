"""SIPAS results: the percentages of each item, element and unit, from the answer counts.

Arithmetic is exact: counts are integers, percentages and means are :class:`fractions.Fraction`.
Only the reported values are rounded, once (:meth:`SipasResult.rounded`); the exact fraction is
kept alongside.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from parindex_papi_sipas.sipas_formula import ElementMethod, SipasParameters, round_fraction
from parindex_papi_sipas.sipas_framework import ElementDef, Framework

__all__ = ["ElementResult", "ItemResult", "SipasResult", "UnitResult", "unit_result"]

HUNDRED = Fraction(100)


@dataclass(frozen=True)
class ItemResult:
    code: str
    counts: tuple[int, ...]  # index 0: blanks; 1..levels: answers at that level
    satisfied: int
    denominator: int
    exact: Fraction | None

    @property
    def blanks(self) -> int:
        return self.counts[0]

    @property
    def valid(self) -> int:
        return sum(self.counts[1:])


@dataclass(frozen=True)
class ElementResult:
    code: str
    method: ElementMethod
    exact: Fraction | None
    items_used: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class UnitResult:
    unit: str
    respondents: int
    answers: int
    items: dict[str, ItemResult]
    elements: dict[str, ElementResult]
    exact: Fraction | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SipasResult:
    framework: Framework
    parameters: SipasParameters
    units: tuple[UnitResult, ...]
    rows: int
    file: str | None = None

    def rounded(self, value: Fraction | None) -> Decimal | None:
        if value is None:
            return None
        return round_fraction(value, self.parameters.places, self.parameters.rounding)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: percentages as rounded decimal strings, plus exact fractions."""

        def num(value: Fraction | None) -> str | None:
            got = self.rounded(value)
            return None if got is None else format(got, "f")

        def exact(value: Fraction | None) -> str | None:
            return None if value is None else f"{value.numerator}/{value.denominator}"

        return {
            "framework": self.framework.id,
            "framework_status": self.framework.status,
            "parameters": {
                "satisfied": sorted(self.parameters.satisfied),
                "denominator": self.parameters.denominator,
                "element": self.parameters.element,
                "index": self.parameters.index,
                "places": self.parameters.places,
                "rounding": self.parameters.rounding,
                "status": self.parameters.status,
                "formula": self.parameters.describe(),
            },
            "rows": self.rows,
            "units": [
                {
                    "unit": u.unit,
                    "respondents": u.respondents,
                    "answers": u.answers,
                    "index": num(u.exact),
                    "index_exact": exact(u.exact),
                    "elements": {
                        code: {
                            "percent": num(e.exact),
                            "exact": exact(e.exact),
                            "method": e.method,
                            "items": list(e.items_used),
                            "note": e.note,
                        }
                        for code, e in u.elements.items()
                    },
                    "items": {
                        code: {
                            "percent": num(i.exact),
                            "exact": exact(i.exact),
                            "satisfied": i.satisfied,
                            "denominator": i.denominator,
                            "blanks": i.blanks,
                            "counts": {str(level): n for level, n in enumerate(i.counts) if level},
                        }
                        for code, i in u.items.items()
                    },
                    "notes": list(u.notes),
                }
                for u in self.units
            ],
        }


def _mean(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def unit_result(
    framework: Framework,
    params: SipasParameters,
    unit: str,
    respondents: int,
    answers: int,
    counts: Sequence[Sequence[int]],
) -> UnitResult:
    """A unit's result from its counts, one row per item in framework order
    (:meth:`Framework.item_codes`): ``[blanks, answers at 1, …, answers at levels]``."""
    notes: list[str] = []
    items: dict[str, ItemResult] = {}
    for code, row in zip(framework.item_codes(), counts, strict=True):
        satisfied = sum(row[level] for level in params.satisfied)
        valid = sum(row[1:])
        denominator = valid if params.denominator == "valid" else valid + row[0]
        exact = Fraction(satisfied, denominator) * HUNDRED if denominator else None
        items[code] = ItemResult(code, tuple(row), satisfied, denominator, exact)
    elements: dict[str, ElementResult] = {}
    for element in framework.elements:
        elements[element.code] = _element_result(element, items, params, notes)
    index = _index_result(framework, items, elements, params, notes)
    return UnitResult(unit, respondents, answers, items, elements, index, tuple(notes))


def _element_result(
    element: ElementDef, items: Mapping[str, ItemResult], params: SipasParameters, notes: list[str]
) -> ElementResult:
    if params.element == "general_item":
        assert element.general_item is not None  # checked in check_parameters
        got = items[element.general_item].exact
        if got is None:
            notes.append(f"{element.code}: no valid answer to {element.general_item}")
        return ElementResult(element.code, "general_item", got, (element.general_item,))
    used = [i.code for i in element.items if items[i.code].exact is not None]
    empty = [i.code for i in element.items if items[i.code].exact is None]
    note = None
    if empty:
        note = f"items without valid answers left out: {', '.join(empty)}"
        notes.append(f"{element.code}: {note}")
    values = [items[c].exact for c in used]
    exact = _mean([v for v in values if v is not None]) if used else None
    return ElementResult(element.code, "mean_of_items", exact, tuple(used), note)


def _index_result(
    framework: Framework,
    items: Mapping[str, ItemResult],
    elements: Mapping[str, ElementResult],
    params: SipasParameters,
    notes: list[str],
) -> Fraction | None:
    if params.index == "overall_item":
        assert framework.overall_item is not None
        got = items[framework.overall_item].exact
        if got is None:
            notes.append(f"index: no valid answer to {framework.overall_item}")
        return got
    if params.index == "mean_of_items":
        values = [items[i.code].exact for e in framework.elements for i in e.items]
    else:
        values = [elements[e.code].exact for e in framework.elements]
    present = [v for v in values if v is not None]
    if len(present) != len(values):
        notes.append("index: not computed, some elements or items have no valid answers")
        return None
    return _mean(present)
