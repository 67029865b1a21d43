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
from parindex.io.parameters import Parameters
from parindex.io.registry import Registry, default_registry
from parindex.model.documents import Assessment, Node, NodeScore, Ruleset, ScoreCard, Unit
from parindex.model.errors import (
    AssessmentError,
    ParindexError,
    RulesetError,
    UnknownRulesetError,
    YearNotCoveredError,
)
from parindex.model.rules import Outcome, Rule
from parindex.scoring.ranking import RankedEntry, RankedTable

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
