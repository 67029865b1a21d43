"""The reference scoring engine: exact Decimal arithmetic, one stated rounding rule.

Rounding rule (stated in every score card's receipt): points at every node are kept exact; the
total and the index (total ÷ applicable maximum × 100) are each rounded once, at the end, to the
ruleset's places with its mode (2 places, half-up by default); node percentages are rounded the same
way for display; the group and the rank are decided on the rounded index.

This module checks an assessment against its ruleset and assembles the card; the tree walk is
:mod:`~parindex.scoring.walk`, the entries' construction :mod:`~parindex.scoring.construct`, the
receipt's parts :mod:`~parindex.scoring.receipt`, a failing rule's error
:mod:`~parindex.scoring.failures` (their public names are re-exported here).
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal

from parindex._version import __version__
from parindex.model.decimals import (
    CONTEXT,
    EXACT,
    HUNDRED,
    MAX_MAGNITUDE,
    ZERO,
    canonical,
    exact_sum,
    round_to,
)
from parindex.model.documents import Assessment, Receipt, Ruleset, ScoreCard
from parindex.model.errors import (
    AssessmentError,
    ConflictingInputError,
    InputValueError,
    MissingInputError,
    ParindexError,
    PointsAboveMaximumError,
    UnknownCodeError,
)
from parindex.model.rules import Rule
from parindex.model.validation import classify
from parindex.scoring.entries import NOT_APPLICABLE
from parindex.scoring.failures import rule_failure
from parindex.scoring.receipt import ROUNDING_RULE, content_hash
from parindex.scoring.walk import _Pass


def _choose_view(ruleset: Ruleset, assessment: Assessment) -> str:
    if assessment.view is not None:
        if assessment.view not in ruleset.view_names:
            raise AssessmentError(
                f"ruleset {ruleset.id} {ruleset.version} has no view {assessment.view!r};"
                f" views: {', '.join(ruleset.view_names)}",
                field="view",
            )
        return assessment.view
    views = set()
    where = _views_of_codes(ruleset)
    for code in assessment.inputs:
        found = where.get(code)
        if found is not None:
            views.add(found)
    if len(views) > 1:
        raise ConflictingInputError(
            f"inputs mix codes of several breakdowns ({', '.join(sorted(views))}); score each"
            " breakdown in its own assessment",
            field="inputs",
        )
    return views.pop() if views else "main"


def _views_of_codes(ruleset: Ruleset) -> dict[str, str]:
    """Code → the view ``ruleset.find(code)`` names, worked out once per ruleset object."""
    cached = _VIEWS.get(id(ruleset))
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    table: dict[str, str] = {}
    for name, node in ruleset.all_nodes():
        table.setdefault(node.code, name)
    if len(_VIEWS) >= 64:  # rulesets made on the fly (parameters, studies) must not pile up
        _VIEWS.clear()
    _VIEWS[id(ruleset)] = (ruleset, table)
    return table


_VIEWS: dict[int, tuple[Ruleset, dict[str, str]]] = {}


def _check_codes(ruleset: Ruleset, assessment: Assessment, view: str) -> None:
    codes, inner, inner_codes = _code_index(ruleset, view)
    unknown = [c for c in assessment.inputs if c not in codes]
    if unknown:
        c = unknown[0]
        other = ruleset.find(c)
        hint = (
            f"{c} belongs to view {other[0]!r}"
            if other
            else f"codes in this view: {', '.join(list(codes)[:12])}"
            + (" …" if len(codes) > 12 else "")
        )
        raise UnknownCodeError(
            f"unknown node code {c!r} for {ruleset.id} {ruleset.version}"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""),
            code=c,
            hint=hint,
        )
    # an input on a node and on one of its descendants is ambiguous
    given = assessment.inputs
    if given.keys().isdisjoint(inner_codes):
        return
    for code, below_all in inner:
        if code in given:
            below = [d for d in below_all if d in given]
            if below:
                raise ConflictingInputError(
                    f"inputs are given both for {code} and for its descendant"
                    f" {below[0]}; give one level only",
                    code=below[0],
                )


def _code_index(ruleset: Ruleset, view: str) -> _CodeIndex:
    """The view's codes in tree order; each node with children, in tree order, with its
    descendants' codes; and those nodes' codes: worked out once per ruleset object and view."""
    key = (id(ruleset), view)
    cached = _CODE_INDEX.get(key)
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    codes: dict[str, None] = {}
    inner: list[tuple[str, tuple[str, ...]]] = []
    for top in ruleset.view_nodes(view):
        for node in top.walk():
            codes[node.code] = None
            if node.children:
                inner.append((node.code, tuple(d.code for d in node.walk() if d is not node)))
    index = (codes, tuple(inner), frozenset(code for code, _ in inner))
    if len(_CODE_INDEX) >= 64:  # rulesets made on the fly (parameters, studies) must not pile up
        _CODE_INDEX.clear()
    _CODE_INDEX[key] = (ruleset, index)
    return index


_CodeIndex = tuple[dict[str, None], tuple[tuple[str, tuple[str, ...]], ...], frozenset[str]]
_CODE_INDEX: dict[tuple[int, str], tuple[Ruleset, _CodeIndex]] = {}


def score(
    ruleset: Ruleset, assessment: Assessment, default_rule: type[Rule] | None = None
) -> ScoreCard:
    """Score one assessment. Raises a located :class:`ParindexError` for any bad input.

    Every operation, the rules' included, runs in :data:`parindex.model.decimals.CONTEXT`, so the
    result does not depend on the caller's decimal context.
    """
    with decimal.localcontext(CONTEXT):
        return _score(ruleset, assessment, default_rule)


def _score(ruleset: Ruleset, assessment: Assessment, default_rule: type[Rule] | None) -> ScoreCard:
    if assessment.ruleset != ruleset.id:
        raise AssessmentError(
            f"assessment is for ruleset {assessment.ruleset!r}, not {ruleset.id!r}", field="ruleset"
        )
    if assessment.year not in ruleset.years:
        raise AssessmentError(
            f"{ruleset.id} version {ruleset.version} covers {', '.join(map(str, ruleset.years))},"
            f" not {assessment.year}",
            field="year",
        )
    if assessment.version is not None and assessment.version != ruleset.version:
        raise AssessmentError(
            f"assessment asks for version {assessment.version!r}, ruleset is {ruleset.version!r}",
            field="version",
        )
    view = _choose_view(ruleset, assessment)
    _check_codes(ruleset, assessment, view)

    final = _Pass(ruleset, assessment, default_rule, use_self=False)
    tops = final.run_view(view)
    if final.missing and assessment.missing == "error":
        shown = ", ".join(final.missing[:10]) + (" …" if len(final.missing) > 10 else "")
        raise MissingInputError(
            f"{len(final.missing)} leaf node(s) have no input: {shown}",
            code=final.missing[0],
            hint="give every leaf an input (or points for its parent), or set `missing: zero`",
        )
    total_exact = exact_sum(r[0] for r in tops)
    _within_card_range(final.records, total_exact)
    stated = ruleset.maximum
    top_max = [r[1] for r in tops]
    excluded: Decimal | None = ZERO
    for _, _, ex in tops:
        excluded = None if excluded is None or ex is None else EXACT.add(excluded, ex)
    if stated is not None and excluded is not None:
        maximum: Decimal | None = EXACT.subtract(stated, excluded)
    elif stated is None and all(m is not None for m in top_max):
        maximum = exact_sum(m for m in top_max if m is not None)
    else:
        maximum = None
    notes = list(final.notes)
    if maximum is not None and total_exact > maximum:
        raise PointsAboveMaximumError(f"total {total_exact} is above the maximum {maximum}")
    places, mode = ruleset.rounding.places, ruleset.rounding.mode
    index = None
    group = None
    if maximum is None:
        notes.append("the total maximum is not known, so no index or group can be computed")
    elif maximum == 0:
        notes.append("every item was excluded as not applicable: no index")
    else:
        index = round_to(
            CONTEXT.multiply(CONTEXT.divide(total_exact, maximum), HUNDRED), places, mode
        )
        band = classify(index, ruleset.groups)
        if band is not None and band.published:
            group = band.label
        elif band is not None:
            notes.append(f"index {index}: {band.note or 'the source publishes no group here'}")
        elif not ruleset.groups:
            notes.append("this ruleset publishes no group bands")
    for tag, slot, _, node_max, *_ in final.records:
        if node_max is None and slot.node.maximum is None and tag != NOT_APPLICABLE:
            notes.append(
                f"{slot.code}: maximum not published, so its points are not bounded by one"
                " and it has no %"
            )
    if final.missing:
        notes.append(
            f"{len(final.missing)} leaf node(s) had no input and were scored 0:"
            f" {', '.join(final.missing[:10])}"
        )
    unverified = list(dict.fromkeys(final.unverified))
    if ruleset.status == "unverified" and not unverified:
        unverified = ["(ruleset)"]

    self_total = appraised_total = None
    staged = [
        e for e in assessment.inputs.values() if e.self_ is not None or e.appraised is not None
    ]
    changes = sum(1 for e in staged if e.changed)  # changed: both stages given, and different
    has_stages = bool(staged)
    self_points: dict[str, Decimal] | None = None
    if has_stages:
        selfp = _Pass(ruleset, assessment, default_rule, use_self=True)
        self_tops = selfp.run_view(view)
        self_exact = exact_sum(r[0] for r in self_tops)
        _within_card_range(selfp.records, self_exact, stage="self-assessed ")
        self_total = round_to(self_exact, places, mode)
        appraised_total = round_to(total_exact, places, mode)
        self_points = selfp.points()

    # every check has passed: the entries (%, traces' words) are made when the card is read
    return ScoreCard.entries_later(
        lambda: final.entries(self_points),
        unit=assessment.unit,
        ruleset=ruleset.id,
        version=ruleset.version,
        year=assessment.year,
        view=view,
        total=round_to(total_exact, places, mode),
        total_exact=total_exact,
        maximum=maximum,
        index=index,
        group=group,
        self_total=self_total,
        appraised_total=appraised_total,
        changes=changes,
        unverified=bool(unverified),
        unverified_codes=tuple(unverified),
        notes=tuple(notes),
        receipt=Receipt(
            ruleset_id=ruleset.id,
            ruleset_version=ruleset.version,
            content_hash=content_hash(ruleset),
            library_version=__version__,
            rounding=ruleset.rounding,
            rule=ROUNDING_RULE.format(places=places, mode=mode),
        ),
    )


def _within_card_range(
    records: Sequence[tuple[object, ...]], total: Decimal, stage: str = ""
) -> None:
    """A score card holds numbers up to MAX_MAGNITUDE, as inputs are: points that add up past it
    (nodes with no published maximum bound nothing) are refused here, naming the node, rather
    than by the card's own validation with no location."""
    for record in records:
        points = record[2]
        if record[3] is not None:  # bounded by its maximum, itself a number within range
            continue
        if isinstance(points, Decimal) and points.copy_abs() > MAX_MAGNITUDE:
            code = getattr(record[1], "code", None)
            raise InputValueError(
                f"the {stage}points of this node add up to {canonical(points)}, larger than"
                f" {MAX_MAGNITUDE:E}, the largest number a score card holds",
                code=code,
                hint="a node with no published maximum bounds nothing: check the inputs' units",
            )
    if total.copy_abs() > MAX_MAGNITUDE:
        raise InputValueError(
            f"the {stage}total adds up to {canonical(total)}, larger than {MAX_MAGNITUDE:E},"
            " the largest number a score card holds",
            hint="a node with no published maximum bounds nothing: check the inputs' units",
        )


__all__ = ["ROUNDING_RULE", "ParindexError", "content_hash", "rule_failure", "score"]
