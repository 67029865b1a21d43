"""The ready property suite: every invariant, run with hypothesis against one ruleset (or all the
versions of one id), callable in one line from a plugin's tests."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from parindex.io.registry import Registry, default_registry
from parindex.io.yamlfile import env_whole_number
from parindex.model.documents import Assessment, Ruleset, TieRule
from parindex.testing import invariants as inv
from parindex.testing.strategies import (
    InputStrategy,
    MonotonePair,
    NotApplicablePair,
    assessments,
    batches,
    monotone_pairs,
    not_applicable_pairs,
)

#: Every property of the suite, with what it checks.
PROPERTIES: dict[str, str] = {
    "bounds": "0 ≤ points ≤ maximum at every node, and for the total",
    "additivity": "a parent's points (and, with nothing excluded, its maximum) are the sum of its"
    " children's; the total is the sum of the top-level nodes",
    "rounding": "total and index (total ÷ applicable maximum × 100) are rounded once, as the"
    " ruleset states",
    "groups": "the group is the band that contains the index",
    "json": "a score card survives a JSON round trip unchanged",
    "monotonicity": "a better measure never lowers points; more violations never raise them",
    "not_applicable": "marking an item not applicable follows its policy, moves every ancestor's"
    " maximum and points by exactly the item's change and changes no other node",
    "determinism": "re-scoring (also copies of the ruleset and assessment) gives identical output",
    "ranking": "rank order agrees with index order and ties share a rank, under every tie rule",
}
#: Examples per property unless told otherwise (the environment variable raises or lowers it).
DEFAULT_EXAMPLES = 200
EXAMPLES_ENV = "PARINDEX_PROPERTY_EXAMPLES"
_TIES: tuple[TieRule, ...] = ("competition", "dense", "ordinal", "modified")

T = TypeVar("T")


def default_examples() -> int:
    # a typo or a 38-digit number is a clear ConfigError, not a ValueError or an endless run
    return env_whole_number(EXAMPLES_ENV, DEFAULT_EXAMPLES, 10**7, "examples per property")


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        report_multiple_bugs=False,  # one clear failure (the smallest) per property
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )


RulesetRef = Ruleset | str | os.PathLike[str]


def resolve(
    ruleset: RulesetRef,
    *,
    year: int | None = None,
    version: str | None = None,
    registry: Registry | None = None,
) -> list[Ruleset]:
    """The rulesets to check: the object itself; a YAML file (a path, or a string ending in
    ``.yaml``/``.yml``) read with the registry's rule kinds; or a registered id — one version when
    ``year`` or ``version`` is given, every valid version otherwise."""
    if isinstance(ruleset, Ruleset):
        return [ruleset]
    reg = registry or default_registry()
    if isinstance(ruleset, os.PathLike) or ruleset.endswith((".yaml", ".yml")):
        from parindex.api import load_ruleset

        loaded = load_ruleset(Path(ruleset), registry=reg)
        if year is not None and year not in loaded.years:
            raise ValueError(f"{ruleset} covers {list(loaded.years)}, not {year}")
        return [loaded]
    if year is not None or version is not None:
        return [reg.get(ruleset, year, version)]
    return reg.versions(ruleset)


def _run(
    strategy: st.SearchStrategy[T],
    body: Callable[[T], None],
    examples: int,
    label: str,
    name: str,
) -> None:
    def prop(example: T) -> None:
        note(label)
        body(example)

    # hypothesis keys its example database (and names the failing example) by the test's name:
    # one name per ruleset version and property, so a saved failure replays where it belongs
    prop.__name__ = prop.__qualname__ = name
    _settings(examples)(given(strategy)(prop))()


def check_ruleset_properties(
    ruleset: RulesetRef,
    *,
    year: int | None = None,
    version: str | None = None,
    registry: Registry | None = None,
    examples: int | None = None,
    properties: Iterable[str] | None = None,
    input_strategies: Mapping[str, InputStrategy] | None = None,
    **assessment_options: Any,
) -> list[tuple[str, str, str]]:
    """Run the property suite against ``ruleset`` (a :class:`Ruleset` or a registered id).

    Each property in ``properties`` (all of :data:`PROPERTIES` by default) is checked on
    ``examples`` generated valid assessments (200 by default, or ``$PARINDEX_PROPERTY_EXAMPLES``),
    scored with the registry's engine set-up (``registry`` or the default one, which must know the
    ruleset's rule kinds). A failure raises with the smallest failing assessment hypothesis found.
    ``input_strategies`` and further keyword options go to :func:`~parindex.testing.assessments`.
    Returns the (ruleset id, version, property) triples checked. Do not call it from inside another
    ``@given`` test.
    """
    reg = registry or default_registry()
    n = examples if examples is not None else default_examples()
    chosen = list(properties) if properties is not None else list(PROPERTIES)
    unknown = [p for p in chosen if p not in PROPERTIES]
    if unknown:
        raise ValueError(f"unknown properties {unknown}; known: {', '.join(PROPERTIES)}")
    score = inv.engine_scorer(reg.default_rule())
    opts: dict[str, Any] = {"input_strategies": input_strategies, **assessment_options}
    done: list[tuple[str, str, str]] = []
    for rs in resolve(ruleset, year=year, version=version, registry=reg):
        years = [year] if year is not None else None
        for prop in chosen:
            label = f"property {prop!r} of ruleset {rs.id} {rs.version}: {PROPERTIES[prop]}"
            name = re.sub(r"\W", "_", f"{prop}__{rs.id}__{rs.version}")
            _run(*_property(prop, rs, years, score, opts), n, label, name)
            done.append((rs.id, rs.version, prop))
    return done


def describe(assessment: Assessment) -> str:
    """The inputs of an assessment on one line, e.g. ``1.1: measure = 5; 1.2: not applicable``."""
    parts = []
    for code, entry in assessment.inputs.items():
        text = entry.final.describe()
        if entry.self_ is not None and entry.appraised is not None:
            text = f"{text} (self-assessed {entry.self_.describe()})"
        parts.append(f"{code}: {text}")
    head = f"{assessment.ruleset} {assessment.year} view {assessment.view or 'main'}"
    if assessment.missing == "zero":
        head += " (missing: zero)"
    return f"{head} — " + ("; ".join(parts) or "no inputs")


def _property(
    prop: str, rs: Ruleset, years: list[int] | None, score: inv.Scorer, opts: dict[str, Any]
) -> tuple[st.SearchStrategy[Any], Callable[[Any], None]]:
    year = years[0] if years else None
    single = assessments(rs, year, **opts)

    def on_card(check: Callable[[Ruleset, Any], None]) -> Callable[[Assessment], None]:
        def body(a: Assessment) -> None:
            note(describe(a))
            check(rs, score(rs, a))

        return body

    if prop == "bounds":
        return single, on_card(lambda _rs, card: inv.check_bounds(card))
    if prop == "additivity":

        def additive(r: Ruleset, card: Any) -> None:
            inv.check_additivity(r, card)
            inv.check_maxima(r, card)

        return single, on_card(additive)
    if prop == "rounding":
        return single, on_card(inv.check_rounding)
    if prop == "groups":
        return single, on_card(inv.check_group)
    if prop == "json":
        return single, on_card(lambda _rs, card: inv.check_json_round_trip(card))
    if prop == "determinism":
        return single, lambda a: inv.check_deterministic(rs, a, score)
    if prop == "monotonicity":

        def monotone(pair: MonotonePair) -> None:
            note(f"lower:  {describe(pair.lower)}\nhigher: {describe(pair.higher)}")
            inv.check_monotone(
                score(rs, pair.lower), score(rs, pair.higher), pair.code, pair.increasing
            )

        return monotone_pairs(rs, year, **opts), monotone
    if prop == "not_applicable":

        def not_applicable(pair: NotApplicablePair) -> None:
            note(f"before: {describe(pair.before)}\nafter:  {describe(pair.after)}")
            inv.check_not_applicable(rs, score(rs, pair.before), score(rs, pair.after), pair.code)

        return not_applicable_pairs(rs, year, **opts), not_applicable
    assert prop == "ranking"

    def ranking(batch: list[Assessment]) -> None:
        for a in batch:
            note(f"{a.unit.id}: {describe(a)}")
        cards = [score(rs, a) for a in batch]
        for ties in _TIES:
            inv.check_ranking(cards, ties)

    return batches(rs, year, max_size=6, **opts), ranking


def property_suite(
    ruleset: RulesetRef, *, properties: Iterable[str] | None = None, **options: Any
) -> type:
    """A pytest test class with one test per property, for one line in a plugin's tests::

        TestMyRuleset = property_suite("my.ruleset", year=2024)

    Options are those of :func:`check_ruleset_properties`. The ruleset is resolved when a test
    runs, not at import, so a broken ruleset fails its tests instead of the collection.
    """
    chosen = list(properties) if properties is not None else list(PROPERTIES)
    unknown = [p for p in chosen if p not in PROPERTIES]
    if unknown:
        raise ValueError(f"unknown properties {unknown}; known: {', '.join(PROPERTIES)}")

    def make(prop: str) -> Callable[[object], None]:
        def test(self: object) -> None:
            check_ruleset_properties(ruleset, properties=[prop], **options)

        test.__name__ = f"test_{prop}"
        test.__doc__ = PROPERTIES.get(prop, prop)
        return test

    attrs: dict[str, Any] = {f"test_{p}": make(p) for p in chosen}
    name = f"{ruleset.id} {ruleset.version}" if isinstance(ruleset, Ruleset) else str(ruleset)
    attrs["__doc__"] = f"parindex property suite for {name}"
    return type("PropertySuite", (), attrs)


__all__ = [
    "DEFAULT_EXAMPLES",
    "EXAMPLES_ENV",
    "PROPERTIES",
    "check_ruleset_properties",
    "default_examples",
    "describe",
    "property_suite",
    "resolve",
]
