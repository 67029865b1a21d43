"""Planning from scores, as the provinces' improvement plans do it: list the points lost, give
each to a lead agency, set targets and check them, compare years, and report.

    from parindex.analysis.planning import gaps, by_agency, find_map
    card = parindex.score("assessment.yaml")
    print(gaps(card, depth=2).rows)
    print(by_agency(card, find_map("lang-son-2022")).agencies)
"""

from parindex.analysis.planning.agency import AgencyReport, AgencyTotal, by_agency
from parindex.analysis.planning.compare import Comparison, NodeDelta, compare, compare_stages
from parindex.analysis.planning.errors import (
    PlanningError,
    ResponsibilityMapError,
    ScoreCardFileError,
    TargetsFileError,
)
from parindex.analysis.planning.evaluate import TargetResult, TargetsReport, evaluate
from parindex.analysis.planning.gaps import Gap, GapReport, gaps, parse_depth
from parindex.analysis.planning.inputs import load_rulesets, read_card, read_cards
from parindex.analysis.planning.responsibility import ResponsibilityMap, find_map, load_map
from parindex.analysis.planning.targets import Measures, Targets, load_measures, load_targets

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
