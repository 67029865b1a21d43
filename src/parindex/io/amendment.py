"""Amendments: a ruleset version written as changes to an earlier one.

An amendment file names its base (``extends``) and lists what changes, by node code::

    extends: {ruleset: camau.department, version: "2013"}   # or a file: extends: 2013.yaml
    version: "2014"
    years: [2014]
    source: {document: 999/QĐ-UBND, date: 2014-03-01}     # the document that makes the change
    overrides:
      "1.1.4": {maximum: 1.5, rule: {kind: tiers, bands: [...]}}
      "1.2":   {title: {vi: ..., en: ...}}
    add:
      - {parent: "1.2", node: {code: "1.2.3", title: ..., maximum: 0.5}}
    remove: ["1.3"]

Any ruleset-level field (``title``, ``groups``, ``maximum``, ...) given in the file replaces the
base's. This module is the file's model and its parsing; :mod:`parindex.io.amend` loads the base
and applies the changes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from parindex.io.schema_errors import schema_error
from parindex.model.documents import (
    Dec,
    Frozen,
    GroupBand,
    Method,
    NotApplicablePolicy,
    Ranking,
    Rounding,
    Source,
    Status,
    TextField,
    UnitKind,
    Whole,
)
from parindex.model.errors import SchemaError
from parindex.model.locations import LineMap

#: Node fields an override may change. ``code`` and ``children`` are changed with add/remove.
OVERRIDE_FIELDS = (
    "title",
    "maximum",
    "minimum",
    "method",
    "status",
    "source",
    "lead_agency",
    "not_applicable",
    "note",
    "maximum_source",
    "maximum_status",
    "rule",
)
#: Override fields that change what a node *is* (rather than its citation or commentary): a node
#: changed in one of these takes the amendment's source and status unless the override gives them.
SUBSTANTIVE_FIELDS = frozenset(
    {"title", "maximum", "minimum", "method", "lead_agency", "not_applicable", "rule"}
)
#: Top-level keys that belong to the amendment itself rather than to the resulting ruleset.
AMENDMENT_KEYS = ("extends", "overrides", "add", "remove")


def _text_key(value: object) -> object:
    # YAML reads an unquoted 1.1 or 2022 as a number; codes and versions are text.
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    return value


class BaseRef(Frozen):
    """What an amendment extends: a registered ruleset version, or a YAML file (a path relative to
    the amendment file)."""

    ruleset: str | None = None
    version: str | None = None
    file: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"file": data}
        if isinstance(data, dict) and "version" in data:
            return {**data, "version": _text_key(data["version"])}
        return data

    @model_validator(mode="after")
    def _one_kind(self) -> BaseRef:
        if self.file is not None and (self.ruleset is not None or self.version is not None):
            raise ValueError("give either a file, or a ruleset and a version, not both")
        if self.file is None and (self.ruleset is None or self.version is None):
            raise ValueError(
                'extends needs a ruleset and a version ({ruleset: moha.province, version: "2022"})'
                " or a file path relative to this file"
            )
        return self

    def describe(self) -> str:
        return self.file if self.file is not None else f"{self.ruleset}@{self.version}"


class NodeOverride(Frozen):
    """New values for some fields of one node. A field written as ``null`` is cleared (e.g.
    ``maximum: null``: the maximum is no longer published; ``rule: null``: points are entered)."""

    title: TextField | None = None
    maximum: Dec | None = None
    minimum: Dec | None = None
    method: Method | None = None
    status: Status | None = None
    source: Source | None = None
    lead_agency: str | None = None
    not_applicable: NotApplicablePolicy | None = None
    note: str | None = None
    maximum_source: Source | None = None
    maximum_status: Status | None = None
    rule: dict[str, Any] | None = Field(
        None, description="a whole rule ({kind: ..., ...}); it replaces the base's rule"
    )
    evidence: Literal["required"] | None = None


class Addition(Frozen):
    """A new node (with any children) under ``parent``, or at the top of ``view`` (default: the
    main tree). It goes after the sibling ``after``, or last."""

    parent: str | None = None
    view: str | None = None
    after: str | None = None
    node: dict[str, Any]

    @model_validator(mode="before")
    @classmethod
    def _codes_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: _text_key(v) if k in {"parent", "after"} else v for k, v in data.items()}
        return data


class Amendment(Frozen):
    """An amendment file: the base, the new version's identity, and the changes."""

    extends: BaseRef
    id: str | None = Field(
        None, pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="default: the base's id"
    )
    version: str
    years: tuple[Whole, ...] = Field(min_length=1)
    source: Source = Field(description="the document that makes the amendment")
    authority: TextField | None = None
    unit_kind: UnitKind | None = None
    title: TextField | None = None
    status: Status | None = None
    maximum: Dec | None = None
    rounding: Rounding | None = None
    not_applicable: NotApplicablePolicy | None = None
    groups: tuple[GroupBand, ...] | None = None
    ranking: Ranking | None = None
    note: str | None = None
    overrides: dict[str, NodeOverride] = Field(default_factory=dict)
    add: tuple[Addition, ...] = ()
    remove: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _codes_as_text(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("overrides"), dict):
            data["overrides"] = {str(_text_key(k)): v for k, v in data["overrides"].items()}
        if isinstance(data.get("remove"), list):
            data["remove"] = [_text_key(c) for c in data["remove"]]
        return data

    @field_validator("overrides")
    @classmethod
    def _not_empty(cls, value: dict[str, NodeOverride]) -> dict[str, NodeOverride]:
        empty = [code for code, ov in value.items() if not ov.model_fields_set]
        if empty:
            raise ValueError(f"override of {empty[0]} changes nothing")
        return value


#: Ruleset fields an amendment may set directly.
HEADER_FIELDS = tuple(f for f in Amendment.model_fields if f not in AMENDMENT_KEYS)


def is_amendment(data: Any) -> bool:
    return isinstance(data, dict) and "extends" in data


def parse_amendment(data: Any, lines: LineMap | None = None) -> Amendment:
    lines = lines or LineMap()
    if not isinstance(data, dict):
        raise SchemaError("an amendment must be a mapping", file=lines.file, line=1)
    for key in ("nodes", "views"):
        if key in data:
            raise SchemaError(
                f"an amendment does not restate `{key}`: change nodes with `overrides`, `add`"
                " and `remove`",
                file=lines.file,
                line=lines.line_of((key,)),
                field=key,
            )
    try:
        return Amendment.model_validate(data)
    except ValidationError as exc:
        err = schema_error(exc, data, lines, what="amendment")
        for e in [err, *err.related]:
            parts = (e.field or "").split(".")
            if e.code is None and len(parts) > 1 and parts[0] == "overrides":
                e.code = _override_code(parts[1:], data)
        raise err from None


def _override_code(parts: list[str], data: dict[str, Any]) -> str:
    # "overrides.1.1.4.maximum" → "1.1.4": the longest prefix that is an overridden code.
    overrides = data.get("overrides") or {}
    keys = {str(k) for k in overrides} if isinstance(overrides, dict) else set()
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in keys:
            return candidate
    return parts[0]


__all__ = [
    "AMENDMENT_KEYS",
    "HEADER_FIELDS",
    "OVERRIDE_FIELDS",
    "SUBSTANTIVE_FIELDS",
    "Addition",
    "Amendment",
    "BaseRef",
    "NodeOverride",
    "is_amendment",
    "parse_amendment",
]
