"""Planning from scores, as the provinces' improvement plans do it: list the points lost, give
each to a lead agency, set targets and check them, compare years, and report.

    from parindex.planning import gaps, by_agency, find_map
    card = parindex.score("assessment.yaml")
    print(gaps(card, depth=2).rows)
    print(by_agency(card, find_map("lang-son-2022")).agencies)
"""

from parindex.planning.agency import AgencyReport, AgencyTotal, by_agency
from parindex.planning.compare import Comparison, NodeDelta, compare, compare_stages
from parindex.planning.errors import (
    PlanningError,
    ResponsibilityMapError,
    ScoreCardFileError,
    TargetsFileError,
)
from parindex.planning.evaluate import TargetResult, TargetsReport, evaluate
from parindex.planning.gaps import Gap, GapReport, gaps, parse_depth
from parindex.planning.inputs import load_rulesets, read_card, read_cards
from parindex.planning.responsibility import ResponsibilityMap, find_map, load_map
from parindex.planning.targets import Measures, Targets, load_measures, load_targets

__all__ = [
    "AgencyReport",
    "AgencyTotal",
    "Comparison",
    "Gap",
    "GapReport",
    "Measures",
    "NodeDelta",
    "PlanningError",
    "ResponsibilityMap",
    "ResponsibilityMapError",
    "ScoreCardFileError",
    "TargetResult",
    "Targets",
    "TargetsFileError",
    "TargetsReport",
    "by_agency",
    "compare",
    "compare_stages",
    "evaluate",
    "find_map",
    "gaps",
    "load_map",
    "load_measures",
    "load_rulesets",
    "load_targets",
    "parse_depth",
    "read_card",
    "read_cards",
]
