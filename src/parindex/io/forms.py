"""Reading a filled self-assessment form (phiếu tự đánh giá) back into an assessment.

A form is the workbook ``parindex form`` writes (:mod:`parindex.report.forms`): a cover sheet
naming the ruleset version, its content hash, the year and the unit; one sheet per top-level node
with one row per node; a summary sheet of subtotals. Only what the unit and the appraiser type is
read: the self-assessed value, the appraised value and its reason, and the evidence documents.
Every total is computed again by the engine; the summary sheet's formulas are never read, so a
subtotal edited by hand changes nothing.

What is read as what:

* a blank cell is a missing input (the assessment's ``missing`` policy, from the cover, applies);
* a number is the number; text holding a number is read too, with a comma as the decimal mark
  (``2,5`` is 2.5, as Vietnamese spreadsheets show it);
* "không phát sinh", "KPS", "n/a", "not applicable" mark an item that did not arise;
* extra rows with an empty code column carry further evidence documents of the node above.

Every problem names the file, the sheet, the cell and the node code (``form.xlsx: Lĩnh vực 3!F12:
[node 3.2.1] …``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parindex.io.files import input_name
from parindex.io.xlsx import Sheet, column_letter, read_sheet
from parindex.io.yamlfile import nfc
from parindex.model.decimals import NumberError, canonical, to_decimal
from parindex.model.documents import Assessment, Entry, Evidence, Node, Ruleset, Unit, Value
from parindex.model.errors import (
    AssessmentError,
    InputFileError,
    InputValueError,
    MissingInputError,
    ParindexError,
)

COVER_SHEET = "Hướng dẫn"
SUMMARY_SHEET = "Tổng hợp"
#: The cover's rows: machine key (column A), label (column B), value (column C).
COVER_KEYS = (
    ("ruleset", "Bộ tiêu chí / Ruleset"),
    ("version", "Phiên bản / Version"),
    ("content_hash", "Mã kiểm tra nội dung / Content hash"),
    ("year", "Năm đánh giá / Evaluation year"),
    ("unit", "Mã đơn vị / Unit id"),
    ("unit_name", "Tên đơn vị / Unit name"),
    ("unit_kind", "Loại đơn vị / Unit kind"),
    ("missing", "Ô để trống / Blank inputs"),
    ("parameters", "Tham số năm / Yearly parameters"),
)
COVER_VALUE_COLUMN = 3

#: The columns of a field sheet: key, Vietnamese and English header.
COLUMNS = (
    ("code", "Mã", "Code"),
    ("title", "Tiêu chí", "Criterion"),
    ("maximum", "Điểm tối đa", "Maximum"),
    ("rule", "Cách chấm điểm", "Scoring rule"),
    ("input", "Nhập", "Input"),
    ("self", "Tự đánh giá", "Self-assessed"),
    ("appraised", "Thẩm định", "Appraised"),
    ("reason", "Lý do thẩm định", "Reason"),
    ("ev_number", "Số văn bản", "Document number"),
    ("ev_date", "Ngày", "Date"),
    ("ev_issuer", "Cơ quan ban hành", "Issuer"),
    ("ev_title", "Trích yếu", "Title"),
    ("ev_link", "Liên kết / tên tệp", "Link or file name"),
)
COLUMN = {key: i + 1 for i, (key, _, _) in enumerate(COLUMNS)}
HEADER_ROW = 1
FIRST_ROW = 2
#: What marks an item that did not arise (compared in lower case, NFC).
NOT_APPLICABLE_WORDS = frozenset({"không phát sinh", "kps", "n/a", "na", "not applicable"})
NOT_APPLICABLE_TEXT = "không phát sinh"

_COMMA_DECIMAL = re.compile(r"[+-]?\d+,\d+")
_VI_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_CHANGED = "the form's structure was changed; make a new one with `parindex form`"
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\']")


def field_sheet_name(code: str, number: int) -> str:
    """The sheet of the ``number``-th top-level node: ``Lĩnh vực 3``; by its number when the code
    is too long for Excel's 31 characters (two long codes must not share a truncated name)."""
    name = _SHEET_UNSAFE.sub("-", f"Lĩnh vực {code}")
    return name if len(name) <= 31 else f"Lĩnh vực {number}"


@dataclass(frozen=True)
class Cover:
    """What the cover sheet says the form was made for."""

    ruleset: str
    version: str
    content_hash: str
    year: int
    unit: Unit
    missing: str
    parameters: str | None


@dataclass
class FilledForm:
    """A form read back: the assessment, and the cell of every input for locating errors."""

    file: str
    cover: Cover
    assessment: Assessment
    #: node code → (sheet, self-assessed cell, appraised cell or None when no appraised value)
    cells: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    #: leaf codes whose input cell was blank
    missing: tuple[str, ...] = ()

    def locate(self, err: ParindexError, self_at_fault: bool = False) -> ParindexError:
        """Place an error about a node at the node's cell of this form: the appraised cell when
        there is an appraised value, unless ``self_at_fault`` (the self-assessed value is)."""
        err.located(file=self.file)
        if isinstance(err, MissingInputError):  # the engine's hint speaks of YAML keys
            err.hint = (
                "fill in the blank cells (or write “không phát sinh”), or make the form with"
                " `parindex form --missing zero` to score blanks as 0"
            )
        if err.code in self.cells and err.sheet is None:
            sheet, own, appraised = self.cells[err.code]
            err.sheet, err.cell = sheet, own if self_at_fault else appraised or own
        return err


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def _sheet(path: str | Path, name: str) -> Sheet:
    return read_sheet(path, name)


def _cell(rows: list[list[Any]], row: int, column: int) -> Any:
    """The value at spreadsheet row ``row``, column ``column`` (1-based), None when empty."""
    if row - 1 >= len(rows):
        return None
    cells = rows[row - 1]
    return cells[column - 1] if column - 1 < len(cells) else None


def read_cover(path: str | Path) -> Cover:
    """The cover sheet of the form at ``path``."""
    name = input_name(path)
    sheet = _sheet(path, COVER_SHEET)
    found: dict[str, tuple[Any, int]] = {}
    for number, row in enumerate(sheet.rows, 1):
        key = _text(row[0]) if row else ""
        if key in dict(COVER_KEYS):
            found[key] = (
                row[COVER_VALUE_COLUMN - 1] if len(row) >= COVER_VALUE_COLUMN else None,
                number,
            )

    def get(key: str, required: bool = True) -> str:
        value, number = found.get(key, (None, 0))
        text = _text(value)
        if required and not text:
            cell = f"C{number}" if number else None
            raise InputFileError(
                f"the cover sheet gives no {dict(COVER_KEYS)[key]!r}",
                file=name,
                sheet=COVER_SHEET,
                cell=cell,
                hint="this is not a form written by `parindex form`, or its cover was changed",
            )
        return text

    year_text = get("year")
    if not year_text.isdigit():
        raise InputFileError(
            f"the year on the cover is {year_text!r}, not a year",
            file=name,
            sheet=COVER_SHEET,
            cell=f"C{found['year'][1]}",
        )
    missing = get("missing", required=False).split(" ")[0] or "error"
    try:
        unit = Unit(
            id=get("unit"),
            name=get("unit_name", required=False) or None,
            kind=get("unit_kind", required=False) or None,
        )
    except ValidationError as exc:
        raise InputFileError(
            f"the unit on the cover is not valid: {exc.errors()[0]['msg']}",
            file=name,
            sheet=COVER_SHEET,
            cell=f"C{found['unit'][1]}",
        ) from None
    return Cover(
        ruleset=get("ruleset"),
        version=get("version"),
        content_hash=get("content_hash"),
        year=int(year_text),
        unit=unit,
        missing=missing if missing in ("error", "zero") else "error",
        parameters=get("parameters", required=False) or None,
    )


def _number(value: Any, kind: str, where: dict[str, Any]) -> Decimal:
    if isinstance(value, bool):
        raise InputValueError(f"expected a {kind}, got {value!r}", **where)
    if isinstance(value, (int, float)):
        return to_decimal(value)
    text = _text(value)
    if _COMMA_DECIMAL.fullmatch(text):
        text = text.replace(",", ".")
    try:
        return to_decimal(text)
    except NumberError as exc:
        raise InputValueError(
            f"expected a {kind} (a number), got {text[:40]!r}: {exc}",
            hint=f"type a number, or {NOT_APPLICABLE_TEXT!r} for an item that did not arise",
            **where,
        ) from None


def _value(node: Node, raw: Any, reason: str | None, where: dict[str, Any]) -> Value | None:
    """The input of ``node`` from one cell, or None when the cell is blank."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str) and _text(raw).lower() in NOT_APPLICABLE_WORDS:
        return Value(not_applicable=True, reason=reason)
    kind = node.rule.input_kind if node.rule is not None else "points"
    data: dict[str, Any] = {"reason": reason}
    if kind == "choice":
        data["choice"] = (
            canonical(to_decimal(raw))
            if isinstance(raw, (int, float)) and not isinstance(raw, bool)
            else _text(raw)
        )
    elif kind == "count":
        number = _number(raw, "count", where)
        if number != number.to_integral_value() or number < 0:
            raise InputValueError(
                f"a count is a whole number ≥ 0, got {canonical(number)}", **where
            )
        data["count"] = int(number)
    else:
        data[kind] = _number(raw, kind, where)
    try:
        return Value.model_validate(data)
    except ValidationError as exc:
        raise InputValueError(exc.errors()[0]["msg"], **where) from None


def _date(value: Any, where: dict[str, Any]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    vi = _VI_DATE.fullmatch(text)
    try:
        if vi:  # Vietnamese order: day/month/year
            return dt.date(int(vi.group(3)), int(vi.group(2)), int(vi.group(1)))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputValueError(
            f"the date {text[:40]!r} is not a date", hint="write 12/05/2021 or 2021-05-12", **where
        ) from None


def _evidence(row: list[Any], where: dict[str, Any]) -> Evidence | None:
    def at(key: str) -> Any:
        i = COLUMN[key] - 1
        return row[i] if i < len(row) else None

    texts = {k: _text(at(k)) for k in ("ev_number", "ev_issuer", "ev_title", "ev_link")}
    day = _date(at("ev_date"), where)
    if not any(texts.values()) and day is None:
        return None
    link = texts["ev_link"]
    is_url = link.lower().startswith(("http://", "https://"))
    try:
        return Evidence(
            number=texts["ev_number"] or None,
            date=day,
            issuer=texts["ev_issuer"] or None,
            title=texts["ev_title"] or None,
            url=link if is_url else None,
            file=link if link and not is_url else None,
        )
    except ValidationError as exc:
        message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        raise InputValueError(message, **where) from None


@dataclass
class _Leaf:
    node: Node
    sheet: str
    row: int
    self_value: Value | None = None
    appraised: Value | None = None
    evidence: list[Evidence] = field(default_factory=list)


def read_form(path: str | Path, ruleset: Ruleset, cover: Cover | None = None) -> FilledForm:
    """The assessment in the filled form at ``path``, read with ``ruleset`` (the one the form was
    made from: the caller checks the cover's content hash)."""
    name = input_name(path)
    cover = cover or read_cover(path)
    leaves: dict[str, _Leaf] = {}
    seen: set[str] = set()
    for index, top in enumerate(ruleset.view_nodes("main"), 1):
        title = field_sheet_name(top.code, index)
        sheet = _sheet(path, title)
        nodes = {n.code: n for n in top.walk()}
        current: _Leaf | None = None
        for number in range(FIRST_ROW, len(sheet.rows) + 1):
            row = sheet.rows[number - 1]
            code = _text(_cell(sheet.rows, number, COLUMN["code"]))
            where_row: dict[str, Any] = {"file": name, "sheet": title}
            if code:
                node = nodes.get(code)
                if node is None:
                    raise InputFileError(
                        f"code {code!r} is not a node of {top.code} in {ruleset.id}"
                        f" {ruleset.version}",
                        cell=f"A{number}",
                        hint=_CHANGED,
                        **where_row,
                    )
                seen.add(code)
                current = None
                if not node.is_leaf:
                    continue
                current = _Leaf(node, title, number)
                leaves[code] = current
                reason = _text(_cell(sheet.rows, number, COLUMN["reason"])) or None
                for key in ("self", "appraised"):
                    column = COLUMN[key]
                    where = {**where_row, "code": code, "cell": f"{column_letter(column)}{number}"}
                    value = _value(
                        node,
                        _cell(sheet.rows, number, column),
                        reason if key == "appraised" else None,
                        where,
                    )
                    setattr(current, "self_value" if key == "self" else "appraised", value)
            where_ev: dict[str, Any] = {
                **where_row,
                "code": current.node.code if current else None,
                "cell": f"{column_letter(COLUMN['ev_number'])}{number}",
            }
            document = _evidence(row, where_ev)
            if document is not None:
                if current is None:
                    raise InputValueError(
                        "an evidence document on a row that belongs to no criterion",
                        hint="put evidence on the criterion's row, or on rows just below it",
                        **where_ev,
                    )
                current.evidence.append(document)
    absent = [n.code for n in ruleset.iter_nodes("main") if n.code not in seen]
    if absent:
        raise InputFileError(
            f"the form has no row for node(s) {', '.join(absent[:10])}",
            file=name,
            hint=_CHANGED,
        )
    return _assemble(name, cover, ruleset, leaves)


def _assemble(name: str, cover: Cover, ruleset: Ruleset, leaves: dict[str, _Leaf]) -> FilledForm:
    inputs: dict[str, Entry] = {}
    cells: dict[str, tuple[str, str, str | None]] = {}
    missing: list[str] = []
    own_column = column_letter(COLUMN["self"])
    appraised_column = column_letter(COLUMN["appraised"])
    for code, leaf in leaves.items():
        own, appraised = leaf.self_value, leaf.appraised
        evidence = tuple(leaf.evidence) or None
        cells[code] = (leaf.sheet, f"{own_column}{leaf.row}", None)
        if own is None and appraised is None:
            missing.append(code)
            continue
        if appraised is not None and own is not None and _same(own, appraised):
            # the appraiser confirmed the unit's value: no change (a reason given is kept as note)
            note = appraised.reason
            own = own.model_copy(update={"note": note}) if note else own
            appraised = None
        if appraised is None:
            inputs[code] = Entry(value=own, evidence=evidence)
        else:
            cells[code] = (leaf.sheet, f"{own_column}{leaf.row}", f"{appraised_column}{leaf.row}")
            inputs[code] = Entry.model_validate(
                {"self": own, "appraised": appraised, "evidence": evidence}
            )
    try:
        assessment = Assessment(
            ruleset=cover.ruleset,
            year=cover.year,
            unit=cover.unit,
            version=cover.version,
            missing=cover.missing,
            source=None,
            inputs=inputs,
        )
    except ValidationError as exc:  # pragma: no cover - every part was validated above
        raise AssessmentError(str(exc), file=name) from None
    return FilledForm(name, cover, assessment, cells, tuple(missing))


def _same(a: Value, b: Value) -> bool:
    return a.given == b.given and (a.not_applicable or a.raw() == b.raw())


__all__ = [
    "COLUMN",
    "COLUMNS",
    "COVER_KEYS",
    "COVER_SHEET",
    "NOT_APPLICABLE_TEXT",
    "SUMMARY_SHEET",
    "Cover",
    "FilledForm",
    "field_sheet_name",
    "read_cover",
    "read_form",
]
