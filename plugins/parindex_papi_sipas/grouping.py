"""PAPI's four groups as a :class:`parindex.model.group_rules.Grouping`, for the
``parindex_group_rules`` hook: the labels, the rules of :mod:`parindex_papi_sipas.groups`, the
``papi`` rulesets they apply to, and PAPI's target kinds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from parindex.model.group_rules import GroupedBatch, Grouping, GroupRule
from parindex.model.i18n import N_
from parindex_papi_sipas.groups import (
    GROUP_RULES,
    LABELS,
    LABELS_VI,
    RULE_TEXT,
    UNPUBLISHED,
    PapiRule,
    batch_groups,
)
from parindex_papi_sipas.targets import PAPI_TARGET_KINDS


def _rule(name: PapiRule) -> GroupRule:
    def assign(values: Mapping[str, Decimal], cuts: Sequence[Decimal] | None) -> GroupedBatch:
        return batch_groups(values, name, cuts)

    return GroupRule(
        name, RULE_TEXT[name], published=False, assign=assign, takes_cuts=name == "fixed"
    )


PAPI_GROUPING = Grouping(
    name="papi",
    title=N_("PAPI groups"),  # marked for the catalogue; translated where it is shown
    noun=N_("PAPI group"),
    labels=LABELS,
    rules=tuple(_rule(name) for name in GROUP_RULES),
    rulesets=("papi",),
    note=UNPUBLISHED,
    translations={"vi": LABELS_VI},
    option="--papi-groups",
    target_kinds=PAPI_TARGET_KINDS,
)

__all__ = ["PAPI_GROUPING"]
