"""Responsibility maps: which agency leads (chủ trì) and which support (phối hợp) each node.

A map is one province's plan for one year (Lạng Sơn 156/KH-UBND 2022, Yên Bái 186/KH-UBND 2021,
Hưng Yên 2022): node codes, whole fields or PAPI dimensions, each with a lead agency, the clause
that says so and, where useful, the words quoted. A code not in the map takes the assignment of
its nearest ancestor that is; an assignment the text does not make is written ``lead: null``
("not stated") rather than guessed. See docs/planning.md for the format. Plugins ship maps by
name (``parindex_responsibility_maps``; the Vietnamese ones are in ``parindex_vn``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from parindex.analysis.planning.errors import ResponsibilityMapError
from parindex.analysis.planning.tree import CardTree
from parindex.io.loading import schema_error
from parindex.io.registry import Registry, default_registry
from parindex.io.yamlfile import load_yaml_file
from parindex.model.documents import Frozen, Source, Status, TextField
from parindex.model.errors import ParindexError, SchemaError
from parindex.model.locations import LineMap

NOT_STATED = "not stated"


def _names(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return value


def _codes(value: Any) -> Any:
    if isinstance(value, (str, int)):
        return (str(value),)
    if isinstance(value, list):
        return tuple(str(v) if isinstance(v, int) else v for v in value)
    return value


Names = Annotated[tuple[str, ...], BeforeValidator(_names)]


class Assignment(Frozen):
    """One assignment of the plan: these codes are led by these agencies."""

    codes: Annotated[tuple[str, ...], BeforeValidator(_codes)] = Field(min_length=1)
    #: The lead agency; several when the text names several for the same item; empty (written
    #: ``lead: null``) when the text names none.
    lead: Names = ()
    support: Names = ()
    clause: str = Field(min_length=1)
    quote: str | None = None
    basis: Literal["stated", "inferred"] = "stated"
    note: str | None = None

    @property
    def lead_label(self) -> str:
        return " + ".join(self.lead) if self.lead else NOT_STATED


class Section(Frozen):
    """The part of a map that applies to one index (its codes are that index's codes)."""

    title: TextField
    rulesets: tuple[str, ...] = Field(min_length=1)
    note: str | None = None
    entries: tuple[Assignment, ...] = Field(min_length=1)


class AgencyName(Frozen):
    en: str | None = None
    note: str | None = None


class Coordinator(Frozen):
    """The agency the plan makes responsible for following up the whole plan."""

    agency: str
    clause: str
    quote: str | None = None


class ResponsibilityMap(Frozen):
    responsibility_map: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    province: TextField
    year: int = Field(ge=1990, le=2200)
    source: Source
    status: Status = "confirmed"
    coordinator: Coordinator | None = None
    note: str | None = None
    agencies: dict[str, AgencyName] = Field(default_factory=dict)
    sections: dict[str, Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _source_named(self) -> ResponsibilityMap:
        if not self.source.document:
            raise ValueError("a responsibility map needs source.document (the plan it comes from)")
        return self

    @property
    def id(self) -> str:
        return self.responsibility_map

    def english(self, agency: str) -> str | None:
        info = self.agencies.get(agency)
        return info.en if info else None

    def covers(self, ruleset: str) -> bool:
        """Whether :meth:`section_for` finds a section for ``ruleset`` without being told one."""
        return len(self.sections) == 1 or any(ruleset in s.rulesets for s in self.sections.values())

    def section_for(self, ruleset: str, name: str | None = None) -> tuple[str, Section, list[str]]:
        """The section for score cards of ``ruleset`` (or the named one), and notes."""
        if name is not None:
            if name not in self.sections:
                raise ResponsibilityMapError(
                    f"map {self.id} has no section {name!r}; sections: {', '.join(self.sections)}",
                    field="sections",
                )
            sec = self.sections[name]
            notes = (
                []
                if ruleset in sec.rulesets
                else [
                    f"map section {name!r} is written for {', '.join(sec.rulesets)}; applied to"
                    f" {ruleset} by node code"
                ]
            )
            return name, sec, notes
        for key, sec in self.sections.items():
            if ruleset in sec.rulesets:
                return key, sec, []
        if len(self.sections) == 1:
            key, sec = next(iter(self.sections.items()))
            return (
                key,
                sec,
                [
                    f"map {self.id} is written for {', '.join(sec.rulesets)}; applied"
                    f" to {ruleset} by node code"
                ],
            )
        listing = "; ".join(f"{k} ({', '.join(s.rulesets)})" for k, s in self.sections.items())
        raise ResponsibilityMapError(
            f"map {self.id} has no section for ruleset {ruleset}; sections: {listing}",
            field="sections",
            hint="choose one with --section NAME",
        )


def _check(rmap: ResponsibilityMap, lines: LineMap) -> list[ParindexError]:
    problems: list[ParindexError] = []
    for name, sec in rmap.sections.items():
        seen: dict[str, int] = {}
        for i, entry in enumerate(sec.entries):
            path = ("sections", name, "entries", i)
            for j, code in enumerate(entry.codes):
                if code in seen:
                    problems.append(
                        ResponsibilityMapError(
                            f"code {code} is assigned twice in section {name!r} (entries"
                            f" {seen[code]} and {i}); write one entry with both leads"
                            " (lead: [A, B])",
                            file=lines.file,
                            line=lines.line_of((*path, "codes", j)),
                            code=code,
                            field=f"sections.{name}.entries.{i}.codes",
                        )
                    )
                seen.setdefault(code, i)
            if rmap.agencies:
                for k, agency in enumerate(entry.lead):
                    if agency not in rmap.agencies:
                        problems.append(
                            ResponsibilityMapError(
                                f"lead agency {agency!r} is not listed under agencies",
                                file=lines.file,
                                line=lines.line_of((*path, "lead", k)),
                                code=entry.codes[0],
                                field=f"sections.{name}.entries.{i}.lead",
                                hint="add it to `agencies:` (with its English name) or fix the"
                                " spelling",
                            )
                        )
    return problems


def _retype(err: SchemaError, data: Any) -> ResponsibilityMapError:
    out = ResponsibilityMapError(
        err.message, file=err.file, line=err.line, code=err.code, field=err.field, hint=err.hint
    )
    if err.code is None and err.field and err.field.startswith("sections."):
        parts = err.field.split(".")
        try:
            codes = data["sections"][parts[1]]["entries"][int(parts[3])]["codes"]
            out.code = str(codes[0] if isinstance(codes, list) else codes)
        except (KeyError, IndexError, TypeError, ValueError):
            pass
    return out


def map_from_data(data: Any, lines: LineMap | None = None) -> ResponsibilityMap:
    lines = lines or LineMap()
    if not isinstance(data, dict):
        raise ResponsibilityMapError(
            "a responsibility map must be a mapping", file=lines.file, line=1
        )
    try:
        rmap = ResponsibilityMap.model_validate(data)
    except ValidationError as exc:
        err = schema_error(exc, data, lines, what="responsibility map")
        first = _retype(err, data)
        first.related = [_retype(e, data) for e in err.related]  # type: ignore[arg-type]
        raise first from None
    problems = _check(rmap, lines)
    if problems:
        problems[0].related = problems[1:]
        raise problems[0]
    return rmap


def load_map(path: str | Path) -> ResponsibilityMap:
    data, lines = load_yaml_file(path)
    return map_from_data(data, lines)


def shipped_maps(registry: Registry | None = None) -> dict[str, Path]:
    """The maps the plugins ship (``parindex_responsibility_maps``), by name."""
    return (registry or default_registry()).responsibility_maps


def builtin_names(registry: Registry | None = None) -> list[str]:
    return list(shipped_maps(registry))


def find_map(name_or_path: str, registry: Registry | None = None) -> ResponsibilityMap:
    """A map by file path, or by the name of a map a plugin ships (e.g. ``lang-son-2022``)."""
    path = Path(name_or_path)
    if path.is_file() or name_or_path.endswith((".yaml", ".yml")):
        return load_map(path)
    shipped = shipped_maps(registry).get(name_or_path)
    if shipped is not None and shipped.is_file():
        return load_map(shipped)
    raise ResponsibilityMapError(
        f"no responsibility map {name_or_path!r}: not a file, and not a shipped map",
        field="responsibility",
        hint=f"shipped maps: {', '.join(builtin_names(registry)) or 'none'}",
    )


class Resolved(Frozen):
    """Who answers for one node: the assignment found, and the code it was found at."""

    code: str
    via: str | None
    assignment: Assignment | None

    @property
    def lead_label(self) -> str:
        return self.assignment.lead_label if self.assignment else NOT_STATED

    @property
    def named(self) -> bool:
        """True when the map names this very code (not only an ancestor)."""
        return self.via == self.code


def resolve(section: Section, tree: CardTree, code: str) -> Resolved:
    """The assignment of ``code``: its own, else its nearest ancestor's, else none."""
    index = {c: e for e in section.entries for c in e.codes}
    for candidate in tree.ancestors(code):
        if candidate in index:
            return Resolved(code=code, via=candidate, assignment=index[candidate])
    return Resolved(code=code, via=None, assignment=None)


def codes_not_in(section: Section, codes: Sequence[str]) -> list[str]:
    present = set(codes)
    return [c for e in section.entries for c in e.codes if c not in present]


__all__ = [
    "NOT_STATED",
    "Assignment",
    "Coordinator",
    "Resolved",
    "ResponsibilityMap",
    "Section",
    "builtin_names",
    "codes_not_in",
    "find_map",
    "load_map",
    "map_from_data",
    "resolve",
    "shipped_maps",
]
