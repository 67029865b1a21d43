"""parindex — rules as code for Vietnam's public-administration indices.

Quick start, in any folder (the example files ship with parindex; ``parindex example`` lists
them, and ``parindex example NAME`` writes one into the current folder)::

    $ parindex example moha-2017-example.yaml
    $ parindex score moha-2017-example.yaml
    $ parindex explain moha-2017-example.yaml 1

and from Python, in the same folder:

>>> import parindex
>>> card = parindex.score("moha-2017-example.yaml")
>>> print(card.total, card.index, card.group)
87.75 87.75 None

Everything the ``parindex`` command does is reachable from here: ``parindex --help`` lists the
commands, ``parindex COMMAND --help`` shows each one's options and examples that run, and
``help(parindex.score)`` (or any other name below) documents the Python API. The guides
(docs/*.md) are in the source distribution.
"""

# The face is lazy (PEP 562): `import parindex` costs almost nothing, and each name imports its
# home module on first use, so `parindex --version` or a plugin importing parindex.model does not
# pay for pydantic, the registry and the engine. Not even `typing` is imported (a sixth of what
# `parindex --help` costs over starting Python): type checkers treat any TYPE_CHECKING as true.
from __future__ import annotations

import importlib

from parindex._version import __version__

TYPE_CHECKING = False

if TYPE_CHECKING:
    from parindex.api import (
        RulesetInfo,
        get_ruleset,
        list_rulesets,
        load_assessment,
        load_ruleset,
        rank,
        rank_assessments,
        read_form,
        score,
        score_form,
        score_many,
        score_summary,
        validate_file,
        with_parameters,
        write_forms,
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

#: Each public name's home module (the names the TYPE_CHECKING block above imports).
_HOMES: dict[str, str] = {
    **dict.fromkeys(
        (
            "RulesetInfo",
            "get_ruleset",
            "list_rulesets",
            "load_assessment",
            "load_ruleset",
            "rank",
            "rank_assessments",
            "read_form",
            "score",
            "score_form",
            "score_many",
            "score_summary",
            "validate_file",
            "with_parameters",
            "write_forms",
        ),
        "parindex.api",
    ),
    "Parameters": "parindex.io.parameters",
    "Registry": "parindex.io.registry",
    "default_registry": "parindex.io.registry",
    **dict.fromkeys(
        ("Assessment", "Node", "NodeScore", "Ruleset", "ScoreCard", "Unit"),
        "parindex.model.documents",
    ),
    **dict.fromkeys(
        (
            "AssessmentError",
            "ParindexError",
            "RulesetError",
            "UnknownRulesetError",
            "YearNotCoveredError",
        ),
        "parindex.model.errors",
    ),
    "Outcome": "parindex.model.rules",
    "Rule": "parindex.model.rules",
    "RankedEntry": "parindex.scoring.ranking",
    "RankedTable": "parindex.scoring.ranking",
}


# Hidden from mypy: it sees the names in the TYPE_CHECKING block, and flags any other name.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        home = _HOMES.get(name)
        if home is not None:
            value = getattr(importlib.import_module(home), name)
        elif name.startswith("_"):
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        else:
            # `import parindex; parindex.api.score(...)` worked when this module imported the API
            try:
                value = importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{__name__}.{name}":
                    raise  # the submodule exists but needs something missing
                raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        globals()[name] = value  # the next lookup is an ordinary attribute
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


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
    "read_form",
    "score",
    "score_form",
    "score_many",
    "score_summary",
    "validate_file",
    "with_parameters",
    "write_forms",
]
