"""SIPAS: satisfaction with public administrative services, from raw survey answers.

The input is a long CSV, one answer per row::

    respondent,unit,item,answer
    r000001,quang-ninh,E1.1,4
    r000001,quang-ninh,E1.2,
    r000001,quang-ninh,E1.G,5

``answer`` is a level on the 1–5 scale (1 = very dissatisfied … 5 = very satisfied) or blank (no
answer). The file is streamed and never held in memory: per unit and item only six counters are
kept (blank, 1, 2, 3, 4, 5). To count respondents and reject an item answered twice, a file whose
units' respondents come one after another in increasing order (as a survey export writes them)
needs only the respondent being read per unit, so memory is bounded by units × items, not by
respondents or rows; a file in any other order is read again keeping one bit mask per respondent.

The formula is **not published** (see ``docs/sipas.md``). Every step is a parameter of
:class:`SipasParameters`, whose defaults are the usual reading, labelled unverified:

1. item % = 100 × (answers counted as satisfied, default levels 4 and 5) ÷ (valid answers, i.e.
   blanks excluded);
2. element % = mean of its items' % (or: the % on the element's "in general" item);
3. index = mean of the elements' % (or: mean of all items, or the % on the overall item).

Arithmetic is exact: counts are integers, percentages and means are :class:`fractions.Fraction`.
Only the reported values are rounded, once, to ``places`` decimals (2 by default) with
``rounding`` (half-up by default); the exact fraction is kept alongside.

This module is the one place to import from; the parts live in modules named for what they do:
the framework (:mod:`.sipas_framework`), the formula's parameters and rounding
(:mod:`.sipas_formula`), the results (:mod:`.sipas_results`), the counters (:mod:`.sipas_counters`),
the CSV reader (:mod:`.sipas_tally`) and its block-at-a-time path (:mod:`.sipas_blocks`), and
the output (:mod:`.sipas_report`).
"""

from __future__ import annotations

from parindex_papi_sipas.sipas_formula import (
    Denominator,
    ElementMethod,
    IndexMethod,
    Rounding,
    SipasParameters,
    round_fraction,
)
from parindex_papi_sipas.sipas_framework import (
    SIPAS_2017,
    ElementDef,
    Framework,
    ItemDef,
    SipasError,
    load_framework,
)
from parindex_papi_sipas.sipas_report import iter_answer_rows, render_text, write_items_csv
from parindex_papi_sipas.sipas_results import (
    HUNDRED,
    ElementResult,
    ItemResult,
    SipasResult,
    UnitResult,
)
from parindex_papi_sipas.sipas_tally import REQUIRED_COLUMNS, SipasAggregator, aggregate_csv

__all__ = [
    "HUNDRED",
    "REQUIRED_COLUMNS",
    "SIPAS_2017",
    "Denominator",
    "ElementDef",
    "ElementMethod",
    "ElementResult",
    "Framework",
    "IndexMethod",
    "ItemDef",
    "ItemResult",
    "Rounding",
    "SipasAggregator",
    "SipasError",
    "SipasParameters",
    "SipasResult",
    "UnitResult",
    "aggregate_csv",
    "iter_answer_rows",
    "load_framework",
    "render_text",
    "round_fraction",
    "write_items_csv",
]
