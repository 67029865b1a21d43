"""Building score-card entries fast: a shortcut past pydantic's per-call ``model_construct``
walk, and the part of each node's entry that depends on the ruleset alone, worked out once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex.model.documents import Node, NodeScore, Ruleset, Trace


class _Construct:
    """``cls.model_construct`` for the engine's already-valid values, without pydantic's generic
    per-call walk over every field's aliases and defaults (a card builds ~280 such objects, and
    that walk was a third of its cost). The instance is the one ``model_construct`` makes: the
    fields in declaration order (serialisation follows it), the defaults of the fields not given,
    and the given names as the fields set. A model this shortcut does not cover (aliases, default
    factories, a post-init hook, extra fields allowed) goes through ``model_construct``."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls
        fields = cls.__pydantic_fields__
        self.generic = bool(
            cls.__pydantic_post_init__
            or cls.__pydantic_root_model__
            or cls.model_config.get("extra") == "allow"
            or any(
                f.alias is not None or f.validation_alias is not None or f.default_factory
                for f in fields.values()
            )
        )
        fields_ = [(name, f.is_required(), f.default) for name, f in fields.items()]
        immutable = (type(None), bool, int, str, tuple, Decimal)
        self.generic |= any(not r and not isinstance(d, immutable) for _, r, d in fields_)
        # every field in declaration order, the required ones as placeholders that each call
        # overwrites (updating a copy keeps the order); the defaults are immutable, so shared
        self.template = {name: default for name, _, default in fields_}
        self.required = frozenset(name for name, r, _ in fields_ if r)
        self.names = frozenset(self.template)

    def __call__(self, **values: Any) -> Any:
        if self.generic or not self.required <= values.keys() or not values.keys() <= self.names:
            return self.cls.model_construct(**values)
        given = self.template.copy()
        given.update(values)
        return _make(self.cls, given, set(values))

    def prefilled(self, fixed: dict[str, Any], later: tuple[str, ...]) -> _Prefilled:
        """A maker of instances whose fields ``fixed`` are known now and ``later`` per call."""
        return _Prefilled(self, fixed, later)


class _Prefilled:
    """``construct(**fixed, **values)`` with the fixed part merged into the template once: the
    same instance, fields and fields set, for the cost of one dict copy per call."""

    __slots__ = ("cls", "construct", "fields_set", "fixed", "generic", "given", "later")

    def __init__(self, construct: _Construct, fixed: dict[str, Any], later: tuple[str, ...]):
        names = {*fixed, *later}
        self.cls = construct.cls
        self.construct = construct
        self.fixed = fixed
        self.later = frozenset(later)
        self.generic = (
            construct.generic or not construct.required <= names or not names <= construct.names
        )
        self.given = {**construct.template, **fixed}  # template keys first: declaration order
        self.fields_set = frozenset(names)

    def __call__(self, **values: Any) -> Any:
        if self.generic or values.keys() != self.later:
            return self.construct(**self.fixed, **values)
        given = self.given.copy()
        given.update(values)
        return _make(self.cls, given, set(self.fields_set))


def _make(cls: type[Any], fields: dict[str, Any], fields_set: set[str]) -> Any:
    m = _new(cls)
    _set(m, "__dict__", fields)
    _set(m, "__pydantic_fields_set__", fields_set)
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


_new = object.__new__
_set = object.__setattr__


_node_score = _Construct(NodeScore)
_trace = _Construct(Trace)


@dataclass(frozen=True, slots=True)
class _Static:
    """What a node's score card entries take from the ruleset alone, worked out once per ruleset
    (the citation and the rule's description are formatted strings; every card repeated them)."""

    base: dict[str, Any]
    status: str
    description: str | None  # node.rule.describe(), if the node has a rule


def _statics(ruleset: Ruleset) -> dict[int, _Static]:
    """Node id → its static part, cached per ruleset object (kept alive with it, as the content
    hashes are, so that an id is never reused while cached)."""
    cached = _STATICS.get(id(ruleset))
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    table = {id(node): _static_of(ruleset, node) for _, node in ruleset.all_nodes()}
    _STATICS[id(ruleset)] = (ruleset, table)
    return table


def _static_of(ruleset: Ruleset, node: Node) -> _Static:
    status = ruleset.status_of(node)
    return _Static(
        base={
            "code": node.code,
            "title": node.title,
            "stated_maximum": node.maximum,
            "method": node.method,
            "status": status,
            "maximum_status": node.maximum_status,
            "source": ruleset.source_of(node).cite(),
            "lead_agency": node.lead_agency,
        },
        status=status,
        description=node.rule.describe() if node.rule is not None else None,
    )


_STATICS: dict[int, tuple[Ruleset, dict[int, _Static]]] = {}


__all__ = ["_Construct", "_Prefilled", "_Static", "_node_score", "_static_of", "_statics", "_trace"]
