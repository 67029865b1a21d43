"""parindex — rules as code for Vietnam's public-administration indices.

Quick start::

    import parindex
    card = parindex.score("examples/moha-2017-example.yaml")
    print(card.total, card.index, card.group)

Everything the ``parindex`` command does is reachable from here.
"""

from parindex._version import __version__
from parindex.api import (
    RulesetInfo,
    get_ruleset,
    list_rulesets,
    load_assessment,
    load_ruleset,
    rank,
    rank_assessments,
    score,
    score_many,
    score_summary,
    validate_file,
    with_parameters,
)
from parindex.errors import (
    AssessmentError,
    ParindexError,
    RulesetError,
    UnknownRulesetError,
    YearNotCoveredError,
)
from parindex.models import Assessment, Node, NodeScore, Ruleset, ScoreCard, Unit
from parindex.parameters import Parameters
from parindex.ranking import RankedEntry, RankedTable
from parindex.registry import Registry, default_registry
from parindex.rules import Outcome, Rule

__all__ = [
    "Assessment",
    "AssessmentError",
    "Node",
    "NodeScore",
    "Outcome",
    "Parameters",
    "ParindexError",
    "RankedEntry",
    "RankedTable",
    "Registry",
    "Rule",
    "Ruleset",
    "RulesetError",
    "RulesetInfo",
    "ScoreCard",
    "Unit",
    "UnknownRulesetError",
    "YearNotCoveredError",
    "__version__",
    "default_registry",
    "get_ruleset",
    "list_rulesets",
    "load_assessment",
    "load_ruleset",
    "rank",
    "rank_assessments",
    "score",
    "score_many",
    "score_summary",
    "validate_file",
    "with_parameters",
]
