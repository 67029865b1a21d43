"""Property testing for rulesets and rule-kind plugins (needs hypothesis: ``parindex[testing]``).

One line in a plugin's tests runs the whole suite — bounds, additivity, rounding, groups, JSON round
trip, monotonicity, not-applicable invariants, determinism and ranking — on generated valid
assessments::

    from parindex.testing import check_ruleset_properties

    def test_properties():
        check_ruleset_properties("my.ruleset", registry=my_registry)

or, with one pytest test per property::

    from parindex.testing import property_suite

    TestMyRuleset = property_suite("my.ruleset", registry=my_registry)

The strategies are public too: :func:`rulesets` (generated valid rulesets with every standard rule
kind) and :func:`assessments` (valid assessments of any ruleset, plugin kinds included), and the
invariants are plain functions in :mod:`parindex.testing.invariants`. See ``docs/testing.md``.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "parindex.testing needs hypothesis; install it with `pip install parindex[testing]`"
        " (or `pip install hypothesis`)"
    ) from exc

from parindex.testing import invariants
from parindex.testing.invariants import check_card
from parindex.testing.strategies import (
    STANDARD_KINDS,
    InputStrategy,
    MonotonePair,
    NotApplicablePair,
    assessments,
    batches,
    drawn_assessments,
    monotone_pairs,
    not_applicable_pairs,
    ruleset_data,
    rulesets,
)
from parindex.testing.suite import (
    PROPERTIES,
    check_ruleset_properties,
    property_suite,
)

__all__ = [
    "PROPERTIES",
    "STANDARD_KINDS",
    "InputStrategy",
    "MonotonePair",
    "NotApplicablePair",
    "assessments",
    "batches",
    "check_card",
    "check_ruleset_properties",
    "drawn_assessments",
    "invariants",
    "monotone_pairs",
    "not_applicable_pairs",
    "property_suite",
    "ruleset_data",
    "rulesets",
]
