"""Targets: what a province's plan promises, written so that it can be checked against scores.

The kinds cover the targets the sources set (Yên Bái 186/KH-UBND 2021, section II.2): an index,
total or node value (``value``); a group of the ruleset's bands (``group``); a rank (``rank``); a
rise in rank against last year (``rank_rise``); the history targets plans set from last year's
results and the region (``region_rank``, ``places_gained``, ``points_gained``); a value measured
elsewhere, such as a satisfaction rate (``measure``, read from a measures file); and the kinds
a plugin's batch grouping brings (:class:`parindex.model.group_rules.Grouping`), such as a group
across the batch or no dimension in a group. See docs/planning.md.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field, ValidationError, create_model, model_validator

from parindex.analysis.planning.errors import TargetsFileError
from parindex.io.loading import schema_error
from parindex.io.registry import Registry, default_registry
from parindex.io.yamlfile import load_yaml_file
from parindex.model.documents import Dec, Frozen, Source, Status
from parindex.model.errors import ParindexError, SchemaError
from parindex.model.group_rules import (
    BatchDimensionsTarget,
    BatchGroupTarget,
    BatchTargetBase,
    Rulesets,
)
from parindex.model.group_rules import TargetBase as _Base
from parindex.model.locations import LineMap

COMPARATORS: dict[str, str] = {"at_least": "≥", "above": ">", "at_most": "≤", "below": "<"}


class _Compared(_Base):
    at_least: Dec | None = None
    above: Dec | None = None
    at_most: Dec | None = None
    below: Dec | None = None

    @model_validator(mode="after")
    def _one_comparator(self) -> _Compared:
        given = [k for k in COMPARATORS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of at_least, above, at_most, below"
                f" (got {', '.join(given) or 'none'})"
            )
        return self

    @property
    def comparator(self) -> tuple[str, Decimal]:
        for key in COMPARATORS:
            value = getattr(self, key)
            if value is not None:
                return key, value
        raise AssertionError("validated")  # pragma: no cover


class ValueTarget(_Compared):
    """The index, the total, or one node's points or percentage, against a threshold."""

    kind: Literal["value"]
    rulesets: Rulesets = Field(min_length=1)
    of: str = "index"
    measure: Literal["points", "percent"] = "points"


class GroupTarget(_Base):
    """At least the named group of the ruleset's bands (A best)."""

    kind: Literal["group"]
    rulesets: Rulesets = Field(min_length=1)
    at_least: str


class RankTarget(_Base):
    """A rank no worse than ``at_most`` in the batch."""

    kind: Literal["rank"]
    rulesets: Rulesets = Field(min_length=1)
    at_most: int = Field(ge=1)


class Previous(Frozen):
    year: int
    rank: int = Field(ge=1)
    of: int | None = Field(None, ge=1)
    source: str


class RankRiseTarget(_Base):
    """A rise of at least ``by`` ranks on last year's published rank."""

    kind: Literal["rank_rise"]
    rulesets: Rulesets = Field(min_length=1)
    by: int = Field(ge=1)
    previous: Previous

    @model_validator(mode="after")
    def _reachable(self) -> RankRiseTarget:
        if self.previous.rank - self.by < 1:
            raise ValueError(f"rising {self.by} ranks from rank {self.previous.rank} is impossible")
        return self

    @property
    def at_most(self) -> int:
        return self.previous.rank - self.by


class Baseline(Frozen):
    """Last year's published values, for when last year's score cards are not at hand."""

    year: int
    index: Dec | None = None
    rank: int | None = Field(None, ge=1)
    of: int | None = Field(None, ge=1)
    source: str


class RegionRankTarget(_Base):
    """A rank no worse than ``at_most`` among the provinces of the unit's region (the whole
    region must be in the batch: a rank among some of them would mislead)."""

    kind: Literal["region_rank"]
    rulesets: Rulesets = Field(min_length=1)
    at_most: int = Field(ge=1)
    regions: str = "vn-regions-2023"


class PlacesGainedTarget(_Base):
    """At least ``at_least`` places gained on last year's rank: from last year's cards in the
    scores given, or from ``previous`` (a published rank)."""

    kind: Literal["places_gained"]
    rulesets: Rulesets = Field(min_length=1)
    at_least: int = Field(ge=1)
    previous: Baseline | None = None

    @model_validator(mode="after")
    def _has_rank(self) -> PlacesGainedTarget:
        if self.previous is not None and self.previous.rank is None:
            raise ValueError("previous needs the rank of that year")
        return self


class PointsGainedTarget(_Base):
    """An index at least ``at_least`` points above last year's: from last year's card in the
    scores given, or from ``previous`` (a published index)."""

    kind: Literal["points_gained"]
    rulesets: Rulesets = Field(min_length=1)
    at_least: Dec
    previous: Baseline | None = None

    @model_validator(mode="after")
    def _has_index(self) -> PointsGainedTarget:
        if self.previous is not None and self.previous.index is None:
            raise ValueError("previous needs the index of that year")
        return self


class MeasureTarget(_Compared):
    """A value measured outside the score cards (e.g. a satisfaction rate), from a measures file."""

    kind: Literal["measure"]
    name: str
    unit: str | None = None


if TYPE_CHECKING:
    Target = (
        ValueTarget
        | GroupTarget
        | RankTarget
        | RankRiseTarget
        | RegionRankTarget
        | PlacesGainedTarget
        | PointsGainedTarget
        | BatchTargetBase
        | MeasureTarget
    )
else:
    # The kinds every targets file may use. A file is read with :func:`targets_model`, which adds
    # the kinds of the registered groupings (:class:`BatchTargetBase` subclasses).
    Target = Annotated[
        ValueTarget
        | GroupTarget
        | RankTarget
        | RankRiseTarget
        | RegionRankTarget
        | PlacesGainedTarget
        | PointsGainedTarget
        | MeasureTarget,
        Field(discriminator="kind"),
    ]
#: The kinds of the core; plugins' batch kinds come after them, then ``measure``.
CORE_KINDS: tuple[type[_Base], ...] = (
    ValueTarget,
    GroupTarget,
    RankTarget,
    RankRiseTarget,
    RegionRankTarget,
    PlacesGainedTarget,
    PointsGainedTarget,
)


class UnitRef(Frozen):
    id: str = Field(min_length=1)
    name: str | None = None


def _unit(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


class Targets(Frozen):
    targets_for: Annotated[UnitRef, BeforeValidator(_unit)]
    year: int = Field(ge=1990, le=2200)
    source: Source
    status: Status = "confirmed"
    note: str | None = None
    #: Relative effort of winning back a node's points (its own or its nearest ancestor's; 1 by
    #: default). The sources give no cost per item, so by default "cheapest" means fewest items.
    effort: dict[str, Dec] = Field(default_factory=dict)
    targets: tuple[Target, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Targets:
        ids = [t.id for t in self.targets]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"target ids must be unique: {', '.join(dup)}")
        if any(v <= 0 for v in self.effort.values()):
            raise ValueError("every effort must be above 0")
        return self


class MeasureValue(Frozen):
    value: Dec
    unit: str | None = None
    source: Source | None = None
    note: str | None = None


def _measure(value: Any) -> Any:
    return {"value": value} if not isinstance(value, dict) else value


class Measures(Frozen):
    measures_for: Annotated[UnitRef, BeforeValidator(_unit)]
    year: int = Field(ge=1990, le=2200)
    source: Source | None = None
    note: str | None = None
    values: dict[str, Annotated[MeasureValue, BeforeValidator(_measure)]] = Field(min_length=1)


def _retype(err: SchemaError, data: Any) -> TargetsFileError:
    code = err.code
    if code is None and err.field and err.field.startswith("targets."):
        try:
            code = str(data["targets"][int(err.field.split(".")[1])]["id"])
        except (KeyError, IndexError, TypeError, ValueError):
            code = None
    return TargetsFileError(
        err.message, file=err.file, line=err.line, code=code, field=err.field, hint=err.hint
    )


def _validate(model: type[Targets] | type[Measures], data: Any, lines: LineMap, what: str) -> Any:
    if not isinstance(data, dict):
        raise TargetsFileError(f"a {what} file must be a mapping", file=lines.file, line=1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = schema_error(exc, data, lines, what=what)
        first = _retype(err, data)
        first.related = [_retype(e, data) for e in err.related]  # type: ignore[arg-type]
        raise first from None


def batch_target_kinds(registry: Registry | None = None) -> tuple[type[BatchTargetBase], ...]:
    """The target kinds the registered groupings bring; a malformed one is reported, not used."""
    reg = registry or default_registry()
    known: tuple[type[Any], ...] = (*CORE_KINDS, MeasureTarget)
    taken = {_kind_of(k) for k in known}
    kinds: list[type[BatchTargetBase]] = []
    for grouping in reg.groupings.values():
        offered: tuple[object, ...] = grouping.target_kinds  # a plugin may hand anything
        for kind in offered:
            if not (
                isinstance(kind, type)
                and issubclass(kind, (BatchGroupTarget, BatchDimensionsTarget))
            ):
                problem = "is not a subclass of BatchGroupTarget or BatchDimensionsTarget"
            else:
                name = _kind_of(kind)
                problem = (
                    "has no kind of its own (a Literal)"
                    if name is None
                    else f"uses the kind {name!r}, which is taken"
                    if name in taken
                    else f"names the grouping {kind.grouping!r}, not {grouping.name!r}"
                    if kind.grouping != grouping.name
                    else ""
                )
                if not problem:
                    taken.add(name)
                    kinds.append(kind)
                    continue
            plugin = reg.grouping_plugins.get(grouping.name, grouping.name)
            reg.host.report(plugin, f"target kind {kind!r} of grouping {grouping.name!r} {problem}")
    return tuple(kinds)


def _kind_of(model: type[Any]) -> str | None:
    """The ``Literal`` value of a target model's ``kind``."""
    field = model.model_fields.get("kind")
    args: tuple[Any, ...] = getattr(field.annotation, "__args__", ()) if field is not None else ()
    return args[0] if len(args) == 1 and isinstance(args[0], str) else None


def targets_model(registry: Registry | None = None) -> type[Targets]:
    """The :class:`Targets` model with every registered target kind (what a file is read with)."""
    return _targets_model(batch_target_kinds(registry))


@lru_cache(maxsize=16)
def _targets_model(kinds: tuple[type[BatchTargetBase], ...]) -> type[Targets]:
    if not kinds:
        return Targets
    members: tuple[Any, ...] = (*CORE_KINDS, *kinds, MeasureTarget)
    # Union[...] of a runtime tuple: the kinds are known only once the plugins are loaded.
    item: Any = Annotated[Union[members], Field(discriminator="kind")]  # noqa: UP007
    model: type[Targets] = create_model(
        "Targets",
        __base__=Targets,
        __module__=__name__,
        targets=(tuple[item, ...], Field(min_length=1)),
    )
    return model


def targets_from_data(
    data: Any, lines: LineMap | None = None, registry: Registry | None = None
) -> Targets:
    result: Targets = _validate(targets_model(registry), data, lines or LineMap(), "targets")
    return result


def load_targets(path: str | Path, registry: Registry | None = None) -> Targets:
    return load_targets_with_lines(path, registry)[0]


def load_targets_with_lines(
    path: str | Path, registry: Registry | None = None
) -> tuple[Targets, LineMap]:
    """The targets and where each value is in the file (to locate later errors)."""
    data, lines = load_yaml_file(path)
    return targets_from_data(data, lines, registry), lines


def locate(err: ParindexError, targets: Targets, lines: LineMap) -> ParindexError:
    """Give an evaluation error about a target (``err.code`` is its id) the file and line."""
    for i, t in enumerate(targets.targets):
        if t.id == err.code:
            path: tuple[str | int, ...] = ("targets", i)
            if err.field:
                path = (*path, err.field)
            return err.located(file=lines.file, line=lines.line_of(path))
    return err.located(file=lines.file)


def measures_from_data(data: Any, lines: LineMap | None = None) -> Measures:
    result: Measures = _validate(Measures, data, lines or LineMap(), "measures")
    return result


def load_measures(path: str | Path) -> Measures:
    data, lines = load_yaml_file(path)
    return measures_from_data(data, lines)


__all__ = [
    "COMPARATORS",
    "CORE_KINDS",
    "Baseline",
    "GroupTarget",
    "MeasureTarget",
    "MeasureValue",
    "Measures",
    "PlacesGainedTarget",
    "PointsGainedTarget",
    "RankRiseTarget",
    "RankTarget",
    "RegionRankTarget",
    "Target",
    "Targets",
    "ValueTarget",
    "batch_target_kinds",
    "load_measures",
    "load_targets",
    "load_targets_with_lines",
    "locate",
    "measures_from_data",
    "targets_from_data",
    "targets_model",
]
