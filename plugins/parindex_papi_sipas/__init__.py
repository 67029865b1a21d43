"""PAPI and SIPAS support as a parindex plugin (entry point group ``parindex``).

Provides the ``papi_subdimension`` rule kind. The PAPI rulesets themselves live in the project's
``rulesets/papi/`` (shipped with ``parindex_vn``); batch groups are :mod:`parindex.scoring.batch_groups`,
SIPAS aggregation is :mod:`parindex.analysis.sipas`.
"""

from __future__ import annotations

from parindex.io.plugins import hookimpl
from parindex.model.rules import Rule
from parindex_papi_sipas.kinds import PAPI_KINDS, PapiSubdimension

__all__ = ["PAPI_KINDS", "PapiSubdimension", "parindex_rule_kinds"]


@hookimpl
def parindex_rule_kinds() -> list[type[Rule]]:
    return list(PAPI_KINDS)
