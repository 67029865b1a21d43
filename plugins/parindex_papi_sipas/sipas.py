"""SIPAS: satisfaction with public administrative services, from raw survey answers.

The input is a long CSV, one answer per row::

    respondent,unit,item,answer
    r000001,quang-ninh,E1.1,4
    r000001,quang-ninh,E1.2,
    r000001,quang-ninh,E1.G,5

``answer`` is a level on the 1–5 scale (1 = very dissatisfied … 5 = very satisfied) or blank (no
answer). The file is read row by row and never held in memory: per unit and item only six counters
are kept (blank, 1, 2, 3, 4, 5), plus one bit mask of answered items per respondent to reject an
item answered twice. Memory therefore grows with units × items and with respondents, not with rows.

The formula is **not published** (see ``docs/sipas.md``). Every step is a parameter of
:class:`SipasParameters`, whose defaults are the usual reading, labelled unverified:

1. item % = 100 × (answers counted as satisfied, default levels 4 and 5) ÷ (valid answers, i.e.
   blanks excluded);
2. element % = mean of its items' % (or: the % on the element's "in general" item);
3. index = mean of the elements' % (or: mean of all items, or the % on the overall item).

Arithmetic is exact: counts are integers, percentages and means are :class:`fractions.Fraction`.
Only the reported values are rounded, once, to ``places`` decimals (2 by default) with
``rounding`` (half-up by default); the exact fraction is kept alongside.

The 2017 framework (Decision 2640/QĐ-BNV, 10/10/2017: 5 elements, 22 criteria [confirmed]; criteria
per element 4+5+6+3+4 and their wording [unverified]) is defined here, in code, rather than as a
ruleset YAML: a ruleset adds points up a tree, while SIPAS averages percentages, so the ruleset
format would describe it wrongly. Another framework can be given as a small YAML file
(:func:`load_framework`).
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, TextIO

from parindex.api import open_binary, utf8_lines
from parindex.model.errors import CsvFormatError, ParindexError, SchemaError
from parindex.model.i18n import N_, add_templates, localize, localize_numbers
from parindex.model.i18n import gettext as _
from parindex.model.text import safe_cell

__all__ = [
    "SIPAS_2017",
    "ElementDef",
    "ElementResult",
    "Framework",
    "ItemDef",
    "ItemResult",
    "SipasAggregator",
    "SipasError",
    "SipasParameters",
    "SipasResult",
    "UnitResult",
    "aggregate_csv",
    "load_framework",
    "round_fraction",
]

ElementMethod = Literal["mean_of_items", "general_item"]
IndexMethod = Literal["mean_of_elements", "mean_of_items", "overall_item"]
Denominator = Literal["valid", "all"]
Rounding = Literal["half_up", "half_even", "down", "up"]

REQUIRED_COLUMNS = ("respondent", "unit", "item", "answer")
HUNDRED = Fraction(100)


class SipasError(ParindexError):
    """A SIPAS answer file or framework is malformed."""

    kind = "sipas"


# --------------------------------------------------------------------------- framework
@dataclass(frozen=True)
class ItemDef:
    code: str
    en: str
    vi: str | None = None


@dataclass(frozen=True)
class ElementDef:
    code: str
    en: str
    vi: str
    items: tuple[ItemDef, ...]
    #: The code of the element's "in general" question, used when ``element="general_item"``.
    general_item: str | None = None


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    source: str
    url: str | None
    status: str
    levels: int
    elements: tuple[ElementDef, ...]
    #: The code of the overall question ("the service in general"), for ``index="overall_item"``.
    overall_item: str | None = None
    note: str | None = None

    def item_codes(self) -> list[str]:
        """All item codes in framework order: criteria, then general items, then the overall."""
        codes = [item.code for e in self.elements for item in e.items]
        codes += [e.general_item for e in self.elements if e.general_item]
        if self.overall_item:
            codes.append(self.overall_item)
        return codes

    @property
    def criteria_count(self) -> int:
        return sum(len(e.items) for e in self.elements)


def _items(prefix: str, names: Sequence[str]) -> tuple[ItemDef, ...]:
    return tuple(ItemDef(f"{prefix}.{i}", name) for i, name in enumerate(names, start=1))


#: The 2017–2020(25) framework of Decision 2640/QĐ-BNV. Elements and the total of 22 criteria are
#: confirmed; the split 4+5+6+3+4 and the criteria wording are an unverified recollection
#: (``shared/reference/sipas_papi.md`` §2.2) and must be checked against the decision's text.
SIPAS_2017 = Framework(
    id="sipas.2017",
    title="SIPAS 2017 framework (QĐ 2640/QĐ-BNV): 5 elements, 22 criteria",
    source="Quyết định 2640/QĐ-BNV ngày 10/10/2017 (Đề án đo lường sự hài lòng)",
    url="http://thanhtravietnam.vn/tim-hieu-phap-luat/do-luong-su-hai-long-cua-nguoi-dan-to-chuc-doi-voi-su-phuc-vu-cua-cqhcnn-177636",
    status="unverified",
    levels=5,
    elements=(
        ElementDef(
            "E1",
            "Access to public administrative services",
            "Tiếp cận dịch vụ hành chính công của cơ quan hành chính nhà nước",
            _items(
                "E1",
                (
                    "Seating at the service point",
                    "Equipment is sufficient",
                    "Equipment is modern",
                    "Equipment is easy to use",
                ),
            ),
            general_item="E1.G",
        ),
        ElementDef(
            "E2",
            "Administrative procedures",
            "Thủ tục hành chính",
            _items(
                "E2",
                (
                    "Procedure posted in full",
                    "Procedure posted accurately",
                    "Dossier components as regulated",
                    "Fees as regulated",
                    "Processing time as regulated",
                ),
            ),
            general_item="E2.G",
        ),
        ElementDef(
            "E3",
            "Civil servants handling the case",
            "Công chức trực tiếp giải quyết công việc",
            _items(
                "E3",
                (
                    "Polite",
                    "Listens",
                    "Answers fully",
                    "Guides the dossier carefully",
                    "Guidance is easy to understand",
                    "Complies with the rules",
                ),
            ),
            general_item="E3.G",
        ),
        ElementDef(
            "E4",
            "Results of the service",
            "Kết quả cung ứng dịch vụ hành chính công",
            _items(
                "E4",
                (
                    "Result as regulated",
                    "Information in the result is complete",
                    "Information in the result is accurate",
                ),
            ),
            general_item="E4.G",
        ),
        ElementDef(
            "E5",
            "Receiving and handling feedback",
            "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
            _items(
                "E5",
                (
                    "A feedback channel exists",
                    "Feedback is easy to submit",
                    "The agency handles feedback actively",
                    "The result is notified promptly",
                ),
            ),
            general_item="E5.G",
        ),
    ),
    overall_item="G",
    note=(
        "Elements and the total of 22 criteria: confirmed (QĐ 2640/QĐ-BNV). Criteria per element"
        " (4+5+6+3+4), their wording, and the 'in general' items E1.G…E5.G and G: unverified."
    ),
)


def load_framework(path: str | Path) -> Framework:
    """Read a framework from YAML::

    id: sipas.custom
    title: My survey
    source: "..."
    status: unverified
    levels: 5
    overall_item: G            # optional
    elements:
      - code: E1
        en: Access
        vi: Tiếp cận
        general_item: E1.G     # optional
        items: [{code: E1.1, en: Seating}, ...]
    """
    from parindex.api import load_yaml_file  # the core's safe, located YAML reader

    data, lines = load_yaml_file(Path(path))
    where = str(path)

    def fail(message: str, at: tuple[str | int, ...], code: str | None = None) -> SchemaError:
        return SchemaError(
            message,
            file=where,
            line=lines.line_of(at),
            code=code,
            field=".".join(str(p) for p in at) or None,
        )

    def need(mapping: Any, key: str, what: str, at: tuple[str | int, ...]) -> Any:
        if not isinstance(mapping, dict) or key not in mapping:
            raise fail(f"{what} needs {key!r}", at)
        return mapping[key]

    elements: list[ElementDef] = []
    raw_elements = need(data, "elements", "a framework", ())
    if not isinstance(raw_elements, list) or not raw_elements:
        raise fail("'elements' must be a non-empty list", ("elements",))
    for e, raw in enumerate(raw_elements):
        at: tuple[str | int, ...] = ("elements", e)
        code = str(need(raw, "code", "an element", at))
        raw_items = need(raw, "items", f"element {code}", at)
        if not isinstance(raw_items, list) or not raw_items:
            raise fail("'items' must be a non-empty list", (*at, "items"), code)
        items = []
        for i, item in enumerate(raw_items):
            item_code = str(need(item, "code", "an item", (*at, "items", i)))
            items.append(ItemDef(item_code, str(item.get("en", "")), item.get("vi")))
        general = raw.get("general_item")
        elements.append(
            ElementDef(
                code,
                str(raw.get("en", code)),
                str(raw.get("vi", "")),
                tuple(items),
                str(general) if general is not None else None,
            )
        )
    levels = need(data, "levels", "a framework", ())
    if not isinstance(levels, int) or isinstance(levels, bool) or not 2 <= levels <= 11:
        raise fail("'levels' must be an integer from 2 to 11", ("levels",))
    overall = data.get("overall_item")
    framework = Framework(
        id=str(need(data, "id", "a framework", ())),
        title=str(data.get("title", "")),
        source=str(data.get("source", "")),
        url=data.get("url"),
        status=str(data.get("status", "unverified")),
        levels=levels,
        elements=tuple(elements),
        overall_item=str(overall) if overall is not None else None,
        note=data.get("note"),
    )
    codes = framework.item_codes()
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise fail(f"item codes used twice: {', '.join(dupes)}", ("elements",))
    return framework


# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class SipasParameters:
    """Each formula step, as a parameter. The defaults are the usual reading [unverified]."""

    #: Answer levels counted as "satisfied" (default: 4 satisfied, 5 very satisfied).
    satisfied: frozenset[int] = frozenset({4, 5})
    #: ``valid``: blanks are left out of the denominator; ``all``: a blank counts as not satisfied.
    denominator: Denominator = "valid"
    #: How an element's % is formed from its items.
    element: ElementMethod = "mean_of_items"
    #: How the index is formed.
    index: IndexMethod = "mean_of_elements"
    #: Decimals of the reported percentages, and the rounding mode.
    places: int = 2
    rounding: Rounding = "half_up"

    status: str = "unverified"

    def describe(self) -> list[str]:
        sat = ", ".join(str(x) for x in sorted(self.satisfied))
        den = (
            N_("valid (non-blank) answers")
            if self.denominator == "valid"
            else N_("all answer rows, blanks counting as not satisfied")
        )
        element = {
            "mean_of_items": N_("mean of its items' %"),
            "general_item": N_("% on its 'in general' item"),
        }[self.element]
        index = {
            "mean_of_elements": N_("mean of the elements' %"),
            "mean_of_items": N_("mean of all criteria items' %"),
            "overall_item": N_("% on the overall item"),
        }[self.index]
        return [
            f"item % = 100 × answers at levels {{{sat}}} ÷ {den} [unverified]",
            f"element % = {element} [unverified]",
            f"index = {index} [unverified]",
            f"reported to {self.places} decimals, rounding {self.rounding.replace('_', '-')};"
            " computed exactly (fractions) before that",
        ]


_MODES = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
}


def round_fraction(value: Fraction, places: int = 2, mode: Rounding = "half_up") -> Decimal:
    """Round an exact fraction to ``places`` decimals, exactly (no binary floats, no context)."""
    scaled = value * 10**places
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor  # in [0, 1)
    if rest == 0:
        digits = floor
    elif mode == "down":
        digits = floor if floor >= 0 else floor + 1
    elif mode == "up":
        digits = floor + 1 if floor >= 0 else floor
    else:
        half = Fraction(1, 2)
        if rest > half:
            digits = floor + 1
        elif rest < half:
            digits = floor
        elif mode == "half_up":  # away from zero
            digits = floor + 1 if value > 0 else floor
        else:
            digits = floor + (floor % 2)
    return Decimal(digits).scaleb(-places)


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ItemResult:
    code: str
    counts: tuple[int, ...]  # index 0: blanks; 1..levels: answers at that level
    satisfied: int
    denominator: int
    exact: Fraction | None

    @property
    def blanks(self) -> int:
        return self.counts[0]

    @property
    def valid(self) -> int:
        return sum(self.counts[1:])


@dataclass(frozen=True)
class ElementResult:
    code: str
    method: ElementMethod
    exact: Fraction | None
    items_used: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class UnitResult:
    unit: str
    respondents: int
    answers: int
    items: dict[str, ItemResult]
    elements: dict[str, ElementResult]
    exact: Fraction | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SipasResult:
    framework: Framework
    parameters: SipasParameters
    units: tuple[UnitResult, ...]
    rows: int
    file: str | None = None

    def rounded(self, value: Fraction | None) -> Decimal | None:
        if value is None:
            return None
        return round_fraction(value, self.parameters.places, self.parameters.rounding)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: percentages as rounded decimal strings, plus exact fractions."""

        def num(value: Fraction | None) -> str | None:
            got = self.rounded(value)
            return None if got is None else format(got, "f")

        def exact(value: Fraction | None) -> str | None:
            return None if value is None else f"{value.numerator}/{value.denominator}"

        return {
            "framework": self.framework.id,
            "framework_status": self.framework.status,
            "parameters": {
                "satisfied": sorted(self.parameters.satisfied),
                "denominator": self.parameters.denominator,
                "element": self.parameters.element,
                "index": self.parameters.index,
                "places": self.parameters.places,
                "rounding": self.parameters.rounding,
                "status": self.parameters.status,
                "formula": self.parameters.describe(),
            },
            "rows": self.rows,
            "units": [
                {
                    "unit": u.unit,
                    "respondents": u.respondents,
                    "answers": u.answers,
                    "index": num(u.exact),
                    "index_exact": exact(u.exact),
                    "elements": {
                        code: {
                            "percent": num(e.exact),
                            "exact": exact(e.exact),
                            "method": e.method,
                            "items": list(e.items_used),
                            "note": e.note,
                        }
                        for code, e in u.elements.items()
                    },
                    "items": {
                        code: {
                            "percent": num(i.exact),
                            "exact": exact(i.exact),
                            "satisfied": i.satisfied,
                            "denominator": i.denominator,
                            "blanks": i.blanks,
                            "counts": {str(level): n for level, n in enumerate(i.counts) if level},
                        }
                        for code, i in u.items.items()
                    },
                    "notes": list(u.notes),
                }
                for u in self.units
            ],
        }


def _mean(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


# --------------------------------------------------------------------------- aggregation
@dataclass
class _UnitTally:
    counts: list[list[int]]  # per item index: [blank, 1, ..., levels]
    respondents: dict[str, int] = field(default_factory=dict)  # respondent → bit mask of items
    answers: int = 0


class SipasAggregator:
    """Streaming tallies of answers per unit and item. Feed rows with :meth:`add` or
    :meth:`feed_csv`; read the result with :meth:`result` (any number of times)."""

    def __init__(
        self,
        framework: Framework = SIPAS_2017,
        parameters: SipasParameters | None = None,
    ) -> None:
        self.framework = framework
        self.parameters = parameters or SipasParameters()
        _check_parameters(framework, self.parameters)
        self._codes = framework.item_codes()
        self._index = {code: i for i, code in enumerate(self._codes)}
        self._units: dict[str, _UnitTally] = {}
        self.rows = 0
        self._answer_values = {str(level): level for level in range(1, framework.levels + 1)}

    # -- feeding ---------------------------------------------------------------------------
    def add(self, unit: str, respondent: str, item: str, answer: int | None) -> None:
        """Count one answer (``None`` for a blank). Raises :class:`SipasError` for bad values."""
        position = self._index.get(item)
        if position is None:
            raise SipasError(
                f"unknown item {item!r} (not in framework {self.framework.id})",
                field="item",
                hint="items: " + ", ".join(self._codes),
            )
        if answer is not None and not 1 <= answer <= self.framework.levels:
            raise SipasError(
                f"answer {answer} is outside 1–{self.framework.levels}", field="answer"
            )
        tally = self._units.get(unit)
        if tally is None:
            tally = _UnitTally([[0] * (self.framework.levels + 1) for _ in self._codes])
            self._units[unit] = tally
        bit = 1 << position
        seen = tally.respondents.get(respondent, 0)
        if seen & bit:
            raise SipasError(
                f"respondent {respondent!r} of unit {unit!r} answered item {item!r} twice",
                field="item",
            )
        tally.respondents[respondent] = seen | bit
        tally.counts[position][0 if answer is None else answer] += 1
        tally.answers += 1
        self.rows += 1

    def feed_csv(self, source: str | Path | TextIO, *, name: str | None = None) -> None:
        """Stream a CSV file (path or open text stream) into the tallies."""
        if isinstance(source, (str, Path)):
            with open_binary(source) as handle:
                self.feed_lines(utf8_lines(handle, name or str(source)), name or str(source))
        else:
            self.feed_lines(source, name or getattr(source, "name", None) or "<stream>")

    def feed_lines(self, lines: Iterable[str], name: str = "<lines>") -> None:
        """Stream CSV text lines (header first), e.g. from a generator or a socket."""
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            raise CsvFormatError(
                "the file is empty; expected a header " + ",".join(REQUIRED_COLUMNS),
                file=name,
                line=1,
            ) from None
        except csv.Error as exc:
            raise CsvFormatError(f"cannot read the header: {exc}", file=name, line=1) from None
        columns = [h.strip().lower().lstrip("\ufeff") for h in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise CsvFormatError(
                f"missing column(s) {', '.join(missing)}; the header is {','.join(header)}",
                file=name,
                line=1,
                hint="columns: respondent, unit, item, answer",
            )
        ri, ui, ii, ai = (columns.index(c) for c in REQUIRED_COLUMNS)
        width = max(ri, ui, ii, ai) + 1
        # The hot loop: the same checks as add(), inlined. Anything unusual goes through
        # _add_text, which raises the located error.
        index, units, levels = self._index, self._units, self._answer_values
        size = self.framework.levels + 1
        counted = 0
        try:
            for row in reader:
                if len(row) < width:
                    if not any(cell.strip() for cell in row):
                        continue  # a blank line
                    raise CsvFormatError(
                        f"expected at least {width} fields, got {len(row)}",
                        file=name,
                        line=reader.line_num,
                    )
                respondent, unit = row[ri].strip(), row[ui].strip()
                item, answer = row[ii].strip(), row[ai].strip()
                position = index.get(item)
                level = levels.get(answer, -1) if answer else 0
                if position is None or level < 0 or not respondent or not unit:
                    self._add_text((respondent, unit, item, answer), name, reader.line_num)
                    raise AssertionError("unreachable: _add_text raises")  # pragma: no cover
                tally = units.get(unit)
                if tally is None:
                    tally = _UnitTally([[0] * size for _ in self._codes])
                    units[unit] = tally
                bit = 1 << position
                seen = tally.respondents.get(respondent, 0)
                if seen & bit:
                    self._add_text((respondent, unit, item, answer), name, reader.line_num)
                    raise AssertionError("unreachable: _add_text raises")  # pragma: no cover
                tally.respondents[respondent] = seen | bit
                tally.counts[position][level] += 1
                tally.answers += 1
                counted += 1
        except csv.Error as exc:
            raise CsvFormatError(str(exc), file=name, line=reader.line_num) from None
        finally:
            self.rows += counted

    def _add_text(self, row: Sequence[str], file: str | None, line: int) -> None:
        respondent, unit, item, answer = (cell.strip() for cell in row)
        if not respondent:
            raise SipasError("empty respondent", file=file, line=line, field="respondent")
        if not unit:
            raise SipasError("empty unit", file=file, line=line, field="unit")
        if answer:
            level = self._answer_values.get(answer)
            if level is None:
                raise SipasError(
                    f"answer {answer!r} is not a level 1–{self.framework.levels} or blank",
                    file=file,
                    line=line,
                    field="answer",
                    code=item or None,
                )
        else:
            level = None
        try:
            self.add(unit, respondent, item, level)
        except SipasError as exc:
            exc.located(file=file, line=line, code=item or None)
            raise

    # -- results ---------------------------------------------------------------------------
    def result(self, *, file: str | None = None) -> SipasResult:
        units = tuple(self._unit_result(name, self._units[name]) for name in sorted(self._units))
        return SipasResult(self.framework, self.parameters, units, self.rows, file)

    def _unit_result(self, unit: str, tally: _UnitTally) -> UnitResult:
        params = self.parameters
        notes: list[str] = []
        items: dict[str, ItemResult] = {}
        for code, counts in zip(self._codes, tally.counts, strict=True):
            satisfied = sum(counts[level] for level in params.satisfied)
            valid = sum(counts[1:])
            denominator = valid if params.denominator == "valid" else valid + counts[0]
            exact = Fraction(satisfied, denominator) * HUNDRED if denominator else None
            items[code] = ItemResult(code, tuple(counts), satisfied, denominator, exact)
        elements: dict[str, ElementResult] = {}
        for element in self.framework.elements:
            elements[element.code] = _element_result(element, items, params, notes)
        index = _index_result(self.framework, items, elements, params, notes)
        return UnitResult(
            unit, len(tally.respondents), tally.answers, items, elements, index, tuple(notes)
        )


def _element_result(
    element: ElementDef, items: Mapping[str, ItemResult], params: SipasParameters, notes: list[str]
) -> ElementResult:
    if params.element == "general_item":
        assert element.general_item is not None  # checked in _check_parameters
        got = items[element.general_item].exact
        if got is None:
            notes.append(f"{element.code}: no valid answer to {element.general_item}")
        return ElementResult(element.code, "general_item", got, (element.general_item,))
    used = [i.code for i in element.items if items[i.code].exact is not None]
    empty = [i.code for i in element.items if items[i.code].exact is None]
    note = None
    if empty:
        note = f"items without valid answers left out: {', '.join(empty)}"
        notes.append(f"{element.code}: {note}")
    values = [items[c].exact for c in used]
    exact = _mean([v for v in values if v is not None]) if used else None
    return ElementResult(element.code, "mean_of_items", exact, tuple(used), note)


def _index_result(
    framework: Framework,
    items: Mapping[str, ItemResult],
    elements: Mapping[str, ElementResult],
    params: SipasParameters,
    notes: list[str],
) -> Fraction | None:
    if params.index == "overall_item":
        assert framework.overall_item is not None
        got = items[framework.overall_item].exact
        if got is None:
            notes.append(f"index: no valid answer to {framework.overall_item}")
        return got
    if params.index == "mean_of_items":
        values = [items[i.code].exact for e in framework.elements for i in e.items]
    else:
        values = [elements[e.code].exact for e in framework.elements]
    present = [v for v in values if v is not None]
    if len(present) != len(values):
        notes.append("index: not computed, some elements or items have no valid answers")
        return None
    return _mean(present)


def _check_parameters(framework: Framework, params: SipasParameters) -> None:
    if not params.satisfied:
        raise SipasError("'satisfied' needs at least one answer level", field="satisfied")
    bad = sorted(x for x in params.satisfied if not 1 <= x <= framework.levels)
    if bad:
        raise SipasError(
            f"'satisfied' levels {bad} are outside 1–{framework.levels}", field="satisfied"
        )
    if not 0 <= params.places <= 10:
        raise SipasError("'places' must be from 0 to 10", field="places")
    if params.element == "general_item":
        lacking = [e.code for e in framework.elements if not e.general_item]
        if lacking:
            raise SipasError(
                f"element = general_item, but elements {', '.join(lacking)} have no general item",
                field="element",
            )
    if params.index == "overall_item" and not framework.overall_item:
        raise SipasError(
            "index = overall_item, but the framework has no overall item", field="index"
        )


def aggregate_csv(
    source: str | Path | TextIO,
    parameters: SipasParameters | None = None,
    framework: Framework = SIPAS_2017,
) -> SipasResult:
    """Stream one answer file and return the per-unit result."""
    aggregator = SipasAggregator(framework, parameters)
    aggregator.feed_csv(source)
    name = str(source) if isinstance(source, (str, Path)) else None
    return aggregator.result(file=name)


# --------------------------------------------------------------------------- output
# the formula's lines (SipasParameters.describe) under --locale vi
add_templates(
    N_("item % = 100 × answers at levels {levels} ÷ {answers} [unverified]"),
    N_("element % = {how} [unverified]"),
    N_("index = {how} [unverified]"),
    N_("reported to {places} decimals, rounding {mode}; computed exactly (fractions) before that"),
)


def render_text(result: SipasResult) -> str:
    """A plain-text table: one line per unit with the index and the elements."""
    out = io.StringIO()
    fw = result.framework
    out.write(f"SIPAS — {fw.title} [{_(fw.status)}]\n")
    width = max(40, shutil.get_terminal_size((100, 24)).columns)  # 100 when not a terminal
    for line in result.parameters.describe():  # English (JSON keeps it), shown translated
        for part in textwrap.wrap(
            localize(line), width, initial_indent="  ", subsequent_indent="    "
        ):
            out.write(part + "\n")
    codes = [e.code for e in fw.elements]
    head = [_("unit"), _("respondents"), _("index"), *codes]
    rows = [head]

    def cell(value: Fraction | None) -> str:
        got = result.rounded(value)
        return "—" if got is None else localize_numbers(format(got, "f"))

    for unit in result.units:
        rows.append(
            [
                unit.unit,
                str(unit.respondents),
                cell(unit.exact),
                *(cell(unit.elements[c].exact) for c in codes),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    for r in rows:
        cells = (
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        out.write("  ".join(cells).rstrip() + "\n")
    for unit in result.units:
        for note in unit.notes:
            out.write(f"{_('note')}: {unit.unit}: {localize(note)}\n")
    tail = _("{rows} answer rows, {units} units").format(rows=result.rows, units=len(result.units))
    out.write(tail + "\n")
    return out.getvalue()


def write_items_csv(result: SipasResult, stream: TextIO = sys.stdout) -> None:
    """Long CSV: unit, level (item/element/index), code, percent, satisfied, denominator."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["unit", "level", "code", "percent", "satisfied", "denominator", "blanks"])

    def num(value: Fraction | None) -> str:
        got = result.rounded(value)
        return "" if got is None else format(got, "f")

    for unit in result.units:
        name = safe_cell(unit.unit)  # a unit named =HYPERLINK(…) stays text in a spreadsheet
        writer.writerow([name, "index", "index", num(unit.exact), "", "", ""])
        for code, e in unit.elements.items():
            writer.writerow([name, "element", safe_cell(code), num(e.exact), "", "", ""])
        for code, i in unit.items.items():
            writer.writerow(
                [name, "item", safe_cell(code), num(i.exact), i.satisfied, i.denominator, i.blanks]
            )


def iter_answer_rows(result: SipasResult) -> Iterator[tuple[str, str, Fraction | None]]:
    """(unit, code, exact %) for every item, element and index — handy for tests and exports."""
    for unit in result.units:
        yield unit.unit, "index", unit.exact
        for code, e in unit.elements.items():
            yield unit.unit, code, e.exact
        for code, i in unit.items.items():
            yield unit.unit, code, i.exact
