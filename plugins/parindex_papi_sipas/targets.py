"""PAPI's target kinds for plans: a PAPI group across the batch, and no dimension in a group.

They are evaluated by the core like any batch-group target (the batch's groups recomputed with the
unit's own value, see ``docs/planning.md``); this module only says what a target file may write.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from parindex.model.documents import Dec
from parindex.model.group_rules import BatchDimensionsTarget, BatchGroupTarget, Rulesets
from parindex_papi_sipas.groups import PapiRule

PapiLabel = Literal["best", "high-average", "low-average", "poor"]


class PapiGroupTarget(BatchGroupTarget):
    """At least the named PAPI group (best, high-average, low-average, poor) across the batch."""

    grouping: ClassVar[str] = "papi"
    kind: Literal["papi_group"]
    rulesets: Rulesets = Field(default=("papi",), min_length=1)
    at_least: PapiLabel
    rule: PapiRule = "quartiles"
    cuts: tuple[Dec, Dec, Dec] | None = None


class PapiDimensionsTarget(BatchDimensionsTarget):
    """No top-level node (PAPI dimension) in the named group across the batch."""

    grouping: ClassVar[str] = "papi"
    kind: Literal["papi_dimensions"]
    rulesets: Rulesets = Field(default=("papi",), min_length=1)
    none_in: PapiLabel = "poor"
    rule: PapiRule = "quartiles"
    cuts: tuple[Dec, Dec, Dec] | None = None


PAPI_TARGET_KINDS = (PapiGroupTarget, PapiDimensionsTarget)

__all__ = ["PAPI_TARGET_KINDS", "PapiDimensionsTarget", "PapiGroupTarget", "PapiLabel"]
