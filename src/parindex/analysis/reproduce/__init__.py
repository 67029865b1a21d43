"""Reproduce a published dataset: recompute every row's total, rank and group, and compare.

A *published dataset* is a UTF-8 CSV (:mod:`.published`)::

    ruleset,year,unit,total,rank,group,source,note,appraisal,sipas,leaders,impact
    moha.province,2020,Quảng Ninh,91.04,1,A,http://…,,57.66,9.56,18.83,5

For every row (:mod:`.recompute`), the ruleset version covering the year is found and the view
chosen from the codes present; the total is recomputed from the most detailed points given and
compared with the published one within the tolerance the published numbers imply — each number
its own half-unit (:mod:`.tolerance`). Published numbers outside a bound of the rules are source
conflicts, which only a ``confirmed`` bound turns into a disagreement (:mod:`.conflicts`). A row
whose parts cannot all be computed is still checked for what it allows.

Per batch (ruleset and year): ranks within the complete top of the ranking and the order of every
pair of ranked rows (:mod:`.order`); groups from the ruleset's bands, across the batch, or from
published group counts (:mod:`.groups`). Then each row gets its status — ``agree``, ``disagree``,
``checked`` or ``skipped`` (:mod:`.verdict`) — and every disagreement a diagnosis, a labelled
hypothesis of its cause (:mod:`.diagnosis`). Outputs: :mod:`.render`; the batch groups of every
dimension: :mod:`.dimensions`; bundled datasets: :mod:`.datasets`.
"""

from __future__ import annotations

from parindex.analysis.reproduce.conflicts import Conflict
from parindex.analysis.reproduce.datasets import (
    Dataset,
    GroupCounts,
    datasets_table,
    get_dataset,
    list_datasets,
    load_dataset_sidecar,
)
from parindex.analysis.reproduce.diagnosis import Part, Target, diagnose
from parindex.analysis.reproduce.dimensions import (
    DimensionGroups,
    dimension_groups,
    render_dimension_groups,
)
from parindex.analysis.reproduce.groups import GroupCountCheck
from parindex.analysis.reproduce.published import META, REQUIRED, PublishedRow, read_published
from parindex.analysis.reproduce.render import render_csv, render_json, render_text
from parindex.analysis.reproduce.report import (
    ReproduceReport,
    reproduce_dataset,
    reproduce_file,
    reproduce_rows,
)
from parindex.analysis.reproduce.verdict import (
    JSON_KEYS,
    STATUSES,
    NodeCheck,
    OrderIssue,
    RowResult,
)

__all__ = [
    "JSON_KEYS",
    "META",
    "REQUIRED",
    "STATUSES",
    "Conflict",
    "Dataset",
    "DimensionGroups",
    "GroupCountCheck",
    "GroupCounts",
    "NodeCheck",
    "OrderIssue",
    "Part",
    "PublishedRow",
    "ReproduceReport",
    "RowResult",
    "Target",
    "datasets_table",
    "diagnose",
    "dimension_groups",
    "get_dataset",
    "list_datasets",
    "load_dataset_sidecar",
    "read_published",
    "render_csv",
    "render_dimension_groups",
    "render_json",
    "render_text",
    "reproduce_dataset",
    "reproduce_file",
    "reproduce_rows",
]
