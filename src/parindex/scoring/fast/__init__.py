"""The compiled batch path: many units scored at once with exact integer arithmetic (numpy).

The reference Decimal engine (:mod:`parindex.scoring.engine`) defines a correct score; this package
must agree with it after the ruleset's rounding, unit by unit — totals, indices, groups and ranks —
and does, by construction (see :mod:`parindex.scoring.fast.kernel`) and by property tests over
generated rulesets and assessments, for every registered rule kind (``tests/fast/``).

Rule kinds bring their own batch kernels (:meth:`parindex.model.rules.Rule.compile`); this package
knows none by name, and leaves a kind without a kernel to the reference engine, unit by unit.

* :func:`score_batch` — arrays of inputs (one per node code) → totals, indices, groups, ranks;
* :func:`rank_batch` — assessments → the same :class:`~parindex.scoring.ranking.RankedTable` as
  ``api.rank(api.score_many(...))``;
* :func:`score_assessments` — assessments → a :class:`BatchResult` (no per-node score cards);
* :func:`rank_csv` — a CSV file straight to the ranked table (``parindex rank big.csv``);
* :func:`score_one` — one assessment's total, index and group in Python integers (no numpy).

Importing this package imports numpy; ``import parindex`` does not.
"""

from parindex.scoring.fast.batch import (
    compiled_for,
    input_codes,
    rank_batch,
    score_assessments,
    score_batch,
)
from parindex.scoring.fast.compile import CompiledRuleset, Plan, compile_ruleset
from parindex.scoring.fast.csvrank import rank_csv
from parindex.scoring.fast.kernel import (
    BatchResult,
    FixedColumn,
    fixed_from_decimals,
    fixed_from_floats,
    rank_keys,
    round_div,
)
from parindex.scoring.fast.scalar import OneScore, score_one

__all__ = [
    "BatchResult",
    "CompiledRuleset",
    "FixedColumn",
    "OneScore",
    "Plan",
    "compile_ruleset",
    "compiled_for",
    "fixed_from_decimals",
    "fixed_from_floats",
    "input_codes",
    "rank_batch",
    "rank_csv",
    "rank_keys",
    "round_div",
    "score_assessments",
    "score_batch",
    "score_one",
]
