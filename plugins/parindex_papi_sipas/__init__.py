"""PAPI and SIPAS support as a parindex plugin (entry point group ``parindex``).

Provides, through the hooks a third-party plugin would use:

* the ``papi_subdimension`` rule kind (:mod:`parindex_papi_sipas.kinds`);
* PAPI's four batch-relative groups — quartiles and the other cut rules, for the ``papi``
  rulesets, with PAPI's target kinds (:mod:`.groups`, :mod:`.grouping`, :mod:`.targets`);
* SIPAS satisfaction from raw survey answers (:mod:`.sipas`);
* the ``sipas`` and ``papi-groups`` commands and ``reproduce --papi-groups`` (:mod:`.commands`).

The PAPI rulesets themselves live in the project's ``rulesets/papi/`` (shipped with
``parindex_vn``).
"""

from __future__ import annotations

from parindex.hookspecs import CommandRegistrar, GroupingRegistrar, hookimpl
from parindex.model.rules import Rule
from parindex_papi_sipas.kinds import PAPI_KINDS, PapiSubdimension

__all__ = [
    "PAPI_KINDS",
    "PapiSubdimension",
    "parindex_group_rules",
    "parindex_register_commands",
    "parindex_rule_kinds",
]


@hookimpl
def parindex_rule_kinds() -> list[type[Rule]]:
    return list(PAPI_KINDS)


@hookimpl
def parindex_group_rules(register: GroupingRegistrar) -> None:
    from parindex_papi_sipas.grouping import PAPI_GROUPING

    register(PAPI_GROUPING)


@hookimpl
def parindex_register_commands(register: CommandRegistrar) -> None:
    from parindex_papi_sipas.commands import register_commands

    register_commands(register)
