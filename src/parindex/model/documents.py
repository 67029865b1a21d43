"""The data model: rulesets, nodes, assessments and score cards (pydantic v2).

Numbers are :class:`~decimal.Decimal` throughout and serialise to JSON as strings, so a score card
survives a JSON round trip exactly. A boolean is never a number and text is never a boolean
(:data:`Whole`, :data:`Flag`); text read from users is in Unicode normal form NFC with no control
characters (:data:`CleanStr`), and a node code follows the grammar of :mod:`parindex.model.text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    SerializeAsAny,
    StrictBool,
    model_validator,
)

from parindex.model.decimals import NumberError, RoundingMode, canonical, to_decimal
from parindex.model.rules import Rule
from parindex.model.text import check_code, clean_text, text_of


def _decimal(value: Any) -> Decimal:
    try:
        return to_decimal(value)
    except NumberError as exc:
        raise ValueError(str(exc)) from None


Dec = Annotated[
    Decimal,
    BeforeValidator(_decimal),
    PlainSerializer(canonical, return_type=str, when_used="json"),
]

#: Whole numbers are read only up to this many digits (a year, a count, a number of places).
WHOLE_DIGITS = 18


def _whole(value: Any) -> Any:
    # pydantic's lax int takes True as 1 (`years: [true, 2021]` covered year 1) and computes a
    # Decimal such as 2.02E+999999999999 as an integer of 10^12 digits (the process hung).
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {str(value).lower()} (a boolean)")
    if isinstance(value, Decimal) and (
        not value.is_finite() or (not value.is_zero() and value.adjusted() >= WHOLE_DIGITS)
    ):
        raise ValueError(f"expected a whole number of at most {WHOLE_DIGITS} digits")
    if isinstance(value, str) and len(value.strip()) > WHOLE_DIGITS + 2:
        raise ValueError(f"expected a whole number of at most {WHOLE_DIGITS} digits")
    return value


#: A whole number that is never a boolean and never huge.
Whole = Annotated[int, BeforeValidator(_whole)]
#: true or false only: not "yes", not 1.
Flag = StrictBool
#: Text in normal form NFC with no control character.
CleanStr = Annotated[str, AfterValidator(clean_text)]
#: A node code: the grammar of :mod:`parindex.model.text`.
Code = Annotated[str, AfterValidator(check_code)]

Status = Literal["confirmed", "derived", "unverified"]
Method = Literal["appraisal", "survey", "external"]
NotApplicablePolicy = Literal["exclude", "full", "zero"]
TieRule = Literal["competition", "dense", "ordinal", "modified"]
UnitKind = Literal["province", "department", "district", "commune", "agency"]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(Frozen):
    """A title in Vietnamese and English."""

    vi: CleanStr | None = None
    en: CleanStr | None = None

    def best(self, locale: str = "en") -> str:
        first, second = (self.vi, self.en) if locale == "vi" else (self.en, self.vi)
        return first or second or ""


def _text(value: Any) -> Any:
    return {"vi": value} if isinstance(value, str) else value


TextField = Annotated[Text, BeforeValidator(_text)]


class Source(Frozen):
    """Where a rule or number comes from: a decision, its date, a clause, a URL."""

    document: CleanStr | None = None
    date: dt.date | None = None
    clause: CleanStr | None = None
    url: CleanStr | None = None
    note: CleanStr | None = None

    def cite(self) -> str:
        parts = [
            p
            for p in (self.document, self.date.isoformat() if self.date else None, self.clause)
            if p
        ]
        text = ", ".join(parts)
        if self.url:
            text = f"{text} <{self.url}>" if text else self.url
        return text or "(no source given)"


class Rounding(Frozen):
    places: Whole = Field(2, ge=0, le=10)
    mode: RoundingMode = "half_up"


class GroupBand(Frozen):
    """One group: all indices from ``min`` (inclusive unless ``min_inclusive`` is false) up to the
    next band's lower bound. ``published: false`` marks a range where the source names no group."""

    label: CleanStr | None
    min: Dec
    min_inclusive: Flag = True
    published: Flag = True
    note: CleanStr | None = None

    @model_validator(mode="after")
    def _label_when_published(self) -> GroupBand:
        if self.published and not self.label:
            raise ValueError("a published group band needs a label")
        return self


class Ranking(Frozen):
    ties: TieRule = "competition"


class Evidence(Frozen):
    """One evidence document (tài liệu kiểm chứng) given for an input: a decision, a report."""

    number: CleanStr | None = None  # số văn bản, e.g. 123/QĐ-UBND
    date: dt.date | None = None
    issuer: CleanStr | None = None  # cơ quan ban hành
    title: CleanStr | None = None  # trích yếu
    url: CleanStr | None = None
    file: CleanStr | None = None  # the name of an attached file

    @model_validator(mode="after")
    def _identified(self) -> Evidence:
        if not (self.number or self.title or self.url or self.file):
            raise ValueError("an evidence document needs a number, a title, a URL or a file name")
        return self

    def cite(self) -> str:
        parts = [self.number, self.date.isoformat() if self.date else None, self.issuer, self.title]
        text = ", ".join(p for p in parts if p)
        link = self.url or self.file
        return f"{text} <{link}>" if text and link else text or link or ""


def _none(value: object) -> bool:
    return value is None


class Node(Frozen):
    """A field, criterion or sub-criterion."""

    code: Code = Field(min_length=1, max_length=64)
    title: TextField = Text()
    maximum: Dec | None = None
    minimum: Dec | None = None
    method: Method = "appraisal"
    status: Status | None = None
    source: Source | None = None
    lead_agency: CleanStr | None = None
    not_applicable: NotApplicablePolicy | None = None
    note: CleanStr | None = None
    #: Where the maximum comes from when it is not the node's own source (a yearly parameter file).
    maximum_source: Source | None = None
    maximum_status: Status | None = None
    rule: SerializeAsAny[Rule] | None = None
    children: tuple[Node, ...] = ()
    #: ``required``: a scored leaf without an evidence document is flagged (the appraiser decides).
    #: Left out of the serialised ruleset when not set, so that content hashes stay as they were.
    evidence: Literal["required"] | None = Field(None, exclude_if=_none)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


class View(Frozen):
    """Another breakdown of the same total (e.g. score components instead of fields)."""

    title: TextField = Text()
    nodes: tuple[Node, ...]


class Ruleset(Frozen):
    """A criteria table of one authority, for one unit kind, covering some evaluation years."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    version: CleanStr
    years: tuple[Whole, ...] = Field(min_length=1)
    authority: TextField = Text()
    unit_kind: UnitKind
    title: TextField = Text()
    source: Source
    status: Status = "confirmed"
    maximum: Dec | None = None
    rounding: Rounding = Rounding()
    not_applicable: NotApplicablePolicy = "exclude"
    groups: tuple[GroupBand, ...] = ()
    ranking: Ranking = Ranking()
    note: CleanStr | None = None
    nodes: tuple[Node, ...] = Field(min_length=1)
    views: dict[CleanStr, View] = Field(default_factory=dict)
    _code_table: tuple[int, dict[str, tuple[str, Node]]] | None = PrivateAttr(None)

    # ------------------------------------------------------------------ navigation
    def view_nodes(self, view: str | None = None) -> tuple[Node, ...]:
        if view is None or view == "main":
            return self.nodes
        return self.views[view].nodes

    @property
    def view_names(self) -> list[str]:
        return ["main", *self.views]

    def iter_nodes(self, view: str | None = None) -> Iterator[Node]:
        for top in self.view_nodes(view):
            yield from top.walk()

    def all_nodes(self) -> Iterator[tuple[str, Node]]:
        for name in self.view_names:
            for node in self.iter_nodes(name):
                yield name, node

    def find(self, code: str) -> tuple[str, Node] | None:
        """The view and node with ``code`` (looked up in a table built once per ruleset)."""
        return self._by_code().get(code)

    def _by_code(self) -> dict[str, tuple[str, Node]]:
        # The owner's id travels with the table because model_copy() copies private attributes:
        # a copy with other nodes must not reuse its original's table.
        cached = self._code_table
        if cached is None or cached[0] != id(self):
            table: dict[str, tuple[str, Node]] = {}
            for name, node in self.all_nodes():
                table.setdefault(node.code, (name, node))
            cached = (id(self), table)
            self._code_table = cached
        return cached[1]

    def status_of(self, node: Node) -> Status:
        return node.status or self.status

    def source_of(self, node: Node) -> Source:
        return node.source or self.source

    def na_policy(self, node: Node) -> NotApplicablePolicy:
        return node.not_applicable or self.not_applicable


# ---------------------------------------------------------------------- assessments
class Unit(Frozen):
    id: CleanStr = Field(min_length=1)
    name: CleanStr | None = None
    kind: UnitKind | None = None

    @property
    def label(self) -> str:
        return self.name or self.id


def _unit(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


class Value(Frozen):
    """One input: exactly one of points, measure, choice, count, or not applicable."""

    points: Dec | None = None
    measure: Dec | None = None
    choice: CleanStr | None = None
    # (the bound before the validator, so that the JSON Schema states it as "minimum")
    count: Annotated[int, Field(ge=0), BeforeValidator(_whole)] | None = None
    not_applicable: Flag = False
    reason: CleanStr | None = None
    note: CleanStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("expected points, a measure, a choice or a count, not true/false")
        if isinstance(data, (int, float, Decimal)) or (
            isinstance(data, str) and data.strip() not in {"not_applicable", "n/a", "na"}
        ):
            return {"points": data}
        if isinstance(data, str):
            return {"not_applicable": True}
        return data

    @model_validator(mode="after")
    def _exactly_one(self) -> Value:
        given = [
            k for k in ("points", "measure", "choice", "count") if getattr(self, k) is not None
        ]
        if self.not_applicable:
            given.append("not_applicable")
        if len(given) != 1:
            what = ", ".join(given) if given else "nothing"
            raise ValueError(
                "an input needs exactly one of points, measure, choice, count or"
                f" not_applicable; got {what}"
            )
        return self

    @property
    def given(self) -> str:
        if self.not_applicable:
            return "not_applicable"
        for k in ("points", "measure", "choice", "count"):
            if getattr(self, k) is not None:
                return k
        raise AssertionError("validated to hold one input")  # pragma: no cover

    def raw(self) -> Decimal | str:
        if self.choice is not None:
            return self.choice
        if self.count is not None:
            return Decimal(self.count)
        got = self.points if self.points is not None else self.measure
        assert got is not None
        return got

    def describe(self) -> str:
        if self.not_applicable:
            return "not applicable"
        return f"{self.given} = {self.raw()}"


class Entry(Frozen):
    """The input for one node: a single value, or self-assessed and appraised values."""

    value: Value | None = None
    self_: Value | None = Field(None, alias="self")
    appraised: Value | None = None
    #: The evidence documents given for this input (left out of dumps when there are none).
    evidence: tuple[Evidence, ...] | None = Field(None, exclude_if=_none)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, data: Any) -> Any:
        if isinstance(data, dict) and ("self" in data or "appraised" in data or "self_" in data):
            return data
        if isinstance(data, dict) and set(data) == {"value", "evidence"}:
            return data
        if isinstance(data, dict) and "evidence" in data and "value" not in data:
            # `{points: 2, evidence: [...]}`: the evidence is the entry's, the rest is its value
            rest = {k: v for k, v in data.items() if k != "evidence"}
            return {"value": rest, "evidence": data["evidence"]}
        if isinstance(data, dict) and "value" in data and len(data) == 1:
            return data
        return {"value": data}

    @model_validator(mode="after")
    def _some(self) -> Entry:
        if self.value is None and self.self_ is None and self.appraised is None:
            raise ValueError("empty input")
        if self.value is not None and (self.self_ is not None or self.appraised is not None):
            raise ValueError("give either a value or self/appraised values, not both")
        return self

    @property
    def final(self) -> Value:
        got = self.appraised or self.value or self.self_
        assert got is not None
        return got

    @property
    def self_assessed(self) -> Value:
        got = self.self_ or self.value or self.appraised
        assert got is not None
        return got

    @property
    def changed(self) -> bool:
        """Whether the council changed the value itself; a reason or a note on an unchanged
        value is its words on the value, not a change (``(N changed)`` counts values)."""
        if self.self_ is None or self.appraised is None:
            return False
        return _what_given(self.self_) != _what_given(self.appraised)


def _what_given(value: Value) -> tuple[object, ...]:
    return (value.points, value.measure, value.choice, value.count, value.not_applicable)


class Assessment(Frozen):
    """The inputs for one unit in one year under one ruleset."""

    ruleset: CleanStr
    year: Whole = Field(ge=1900, le=2200)
    unit: Annotated[Unit, BeforeValidator(_unit)]
    view: CleanStr | None = None
    version: CleanStr | None = None
    missing: Literal["error", "zero"] = "error"
    source: Source | None = None
    note: CleanStr | None = None
    inputs: dict[CleanStr, Entry] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _codes_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("inputs"), dict):
            data = {**data, "inputs": {text_of(k): v for k, v in data["inputs"].items()}}
        return data


# ---------------------------------------------------------------------- results
class Trace(Frozen):
    """How a node's points were obtained."""

    how: Literal["rule", "given", "children", "not_applicable", "missing"]
    input: str | None = None
    rule: str | None = None
    matched: str | None = None
    detail: str | None = None
    source: str | None = None
    reason: str | None = None


class NodeScore(Frozen):
    code: str
    title: Text
    parent: str | None
    depth: int
    points: Dec | None
    maximum: Dec | None
    stated_maximum: Dec | None
    percent: Dec | None
    self_points: Dec | None = None
    method: Method
    status: Status
    maximum_status: Status | None = None
    source: str
    lead_agency: str | None = None
    not_applicable: bool = False
    trace: Trace
    #: The evidence documents given for the input (left out of dumps when there are none).
    evidence: tuple[Evidence, ...] | None = Field(None, exclude_if=_none)


class Receipt(Frozen):
    ruleset_id: str
    ruleset_version: str
    content_hash: str
    library_version: str
    rounding: Rounding
    rule: str


class LaterEntries:
    """A score card's entries still to be made: ``build()`` makes them on the card's first read
    (see :meth:`ScoreCard.entries_later`)."""

    __slots__ = ("build",)

    def __init__(self, build: Callable[[], tuple[NodeScore, ...]]) -> None:
        self.build = build


# every way to a card's fields goes through one of these: the attribute, the instance dict
# (pydantic's serialisers, copies, equality, hash, repr and pickling read it) and the private
# slot (read first by equality, copies and pickling)
_FIELD_STORAGE = frozenset({"nodes", "__dict__", "__pydantic_private__"})
_get = object.__getattribute__
_put = object.__setattr__


class ScoreCard(Frozen):
    unit: Unit
    ruleset: str
    version: str
    year: int
    view: str
    total: Dec
    total_exact: Dec
    maximum: Dec | None
    index: Dec | None
    group: str | None
    self_total: Dec | None = None
    appraised_total: Dec | None = None
    changes: int = 0
    unverified: bool
    unverified_codes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    nodes: tuple[NodeScore, ...]
    receipt: Receipt

    @classmethod
    def entries_later(cls, build: Callable[[], tuple[NodeScore, ...]], **fields: Any) -> ScoreCard:
        """A card validated from ``fields`` whose ``nodes`` are ``build()``, called once, when
        the card is first read in any way (an attribute, a dump, a copy, a comparison): scoring
        a card whose entries nobody reads then costs its totals, not its 139 entries. The card
        is in every other respect the one ``cls(**fields, nodes=build())`` makes."""
        card = cls(**fields, nodes=())  # the placeholder keeps the fields' order
        _put(card, "__pydantic_private__", LaterEntries(build))
        return card

    if not TYPE_CHECKING:  # hidden from type checkers: attributes keep their declared types

        def __getattribute__(self, name: str) -> Any:
            if name in _FIELD_STORAGE:
                later = _get(self, "__pydantic_private__")
                if type(later) is LaterEntries:
                    nodes = later.build()
                    _get(self, "__dict__")["nodes"] = nodes
                    _put(self, "__pydantic_private__", None)
            return _get(self, name)

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        self._entries()
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        self._entries()
        return super().model_dump_json(**kwargs)

    def _entries(self) -> tuple[NodeScore, ...]:
        # read before a dump: an entry that cannot be made raises its own error (a rule kind's,
        # located at its node), not pydantic's serialisation error wrapped around it
        return self.nodes

    def node(self, code: str) -> NodeScore:
        for n in self.nodes:
            if n.code == code:
                return n
        raise KeyError(code)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> ScoreCard:
        return cls.model_validate_json(text)
