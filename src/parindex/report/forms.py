"""Self-assessment forms (phiếu tự đánh giá, chấm điểm) as XLSX workbooks, one per unit.

The layout is shared with the reader (:mod:`parindex.io.forms`): a cover sheet naming the ruleset
version and its content hash (so that a form made for another version is refused when read back),
one sheet per top-level node with one row per node in tree order, and a summary sheet whose
subtotals are spreadsheet formulas for the reader's convenience only (parindex recomputes them).

Cells that hold the structure (codes, titles, maxima, rules) are protected; the input, appraisal
and evidence cells of each leaf are not. A maximum that is not published is written as words
("chưa công bố"), never as a number. Rules are described by their own ``describe()``, so a rule
kind from a third-party plugin gets a form like any other.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from parindex.io.forms import (
    COLUMN,
    COLUMNS,
    COVER_KEYS,
    COVER_SHEET,
    COVER_VALUE_COLUMN,
    FIRST_ROW,
    HEADER_ROW,
    NOT_APPLICABLE_TEXT,
    SUMMARY_SHEET,
    field_sheet_name,
)
from parindex.model.decimals import canonical, to_decimal
from parindex.model.documents import Assessment, Entry, Node, Ruleset, Unit, Value
from parindex.model.errors import AssessmentError, UnknownCodeError
from parindex.model.text import safe_cell
from parindex.scoring.engine import content_hash

#: The number format of points and maxima (two decimals, as the published tables print them).
POINTS_FORMAT = "0.00"
NOT_PUBLISHED = "chưa công bố / not published"
_INPUT_KIND = {
    "points": "điểm / points",
    "measure": "số đo / measure",
    "choice": "chọn một / pick one",
    "count": "số lượng / count",
}
_WIDTHS = {
    "code": 10,
    "title": 50,
    "maximum": 11,
    "rule": 40,
    "input": 14,
    "self": 13,
    "appraised": 13,
    "reason": 30,
    "ev_number": 16,
    "ev_date": 12,
    "ev_issuer": 22,
    "ev_title": 30,
    "ev_link": 28,
}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_PARENT_FONT = Font(bold=True)
_OPEN = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")

INSTRUCTIONS_VI = (
    "Cách điền phiếu:",
    "1. Mỗi trang “Lĩnh vực” liệt kê các tiêu chí theo thứ tự của bộ tiêu chí; chỉ nhập vào các"
    " ô màu vàng của tiêu chí thành phần (dòng không in đậm).",
    "2. Cột “Tự đánh giá”: nhập điểm, số đo, số lượng hoặc chọn phương án như cột “Nhập” và"
    " “Cách chấm điểm” chỉ dẫn. Số thập phân viết 2,5 hoặc 2.5 đều được.",
    f"3. Tiêu chí không phát sinh: ghi “{NOT_APPLICABLE_TEXT}”. Ô để trống là chưa có số liệu.",
    "4. Tài liệu kiểm chứng: số văn bản, ngày, cơ quan ban hành, trích yếu, liên kết hoặc tên"
    " tệp. Nhiều tài liệu: thêm dòng ngay dưới tiêu chí, để trống cột “Mã”.",
    "5. Hội đồng thẩm định ghi điểm thẩm định và lý do vào hai cột “Thẩm định”, “Lý do”.",
    "6. Trang “Tổng hợp” chỉ để tham khảo: phần mềm tự tính lại mọi điểm tổng từ các ô nhập.",
    "7. Không sửa trang này và các cột mã, tiêu chí, điểm tối đa: phiếu làm cho phiên bản bộ"
    " tiêu chí khác sẽ bị từ chối.",
)
INSTRUCTIONS_EN = (
    "How to fill in this form:",
    "1. Each “Lĩnh vực” sheet lists the criteria in the ruleset's order; type only in the yellow"
    " cells of the leaf criteria (rows not in bold).",
    "2. Column “Self-assessed”: the points, measure, count or option that the “Input” and"
    " “Scoring rule” columns ask for. Decimals may be written 2,5 or 2.5.",
    f"3. An item that did not arise: write “{NOT_APPLICABLE_TEXT}”. A blank cell is a missing"
    " input.",
    "4. Evidence: document number, date, issuer, title, link or file name. More documents: add"
    " rows just below the criterion, leaving the “Code” column empty.",
    "5. The appraisal council writes its value and the reason in “Appraised” and “Reason”.",
    "6. The “Tổng hợp” sheet is for convenience only: parindex recomputes every total from the"
    " input cells.",
    "7. Do not change this sheet or the code, title and maximum columns: a form made for another"
    " version of the ruleset is refused.",
)


def _number(value: Decimal) -> int | float:
    # a cell holds a binary double; the maxima of the published tables (14.5, 0.25) are exact in one
    return int(value) if value == value.to_integral_value() else float(value)


#: What a cell of a form is given.
CellValue = str | int | float | Decimal | dt.date | None


def _text(value: str) -> str:
    return str(safe_cell(value))  # a title starting with "=" is text, not a formula


def _input_kind(node: Node) -> str:
    return node.rule.input_kind if node.rule is not None else "points"


def _describe(node: Node) -> str:
    return node.rule.describe() if node.rule is not None else "points"


def _walk(node: Node, depth: int = 0) -> Iterator[tuple[Node, int]]:
    yield node, depth
    for child in node.children:
        yield from _walk(child, depth + 1)


def form_workbook(
    ruleset: Ruleset,
    year: int,
    unit: Unit | None = None,
    *,
    missing: str = "error",
    parameters: str | None = None,
    prefill: Assessment | None = None,
) -> bytes:
    """The self-assessment workbook of ``unit`` (None: the unit fills in its own id) for ``year``
    under ``ruleset`` (with any yearly parameters already applied), as XLSX bytes.

    ``prefill``: an assessment whose values, reasons and evidence are written into the form (last
    year's figures, or a YAML assessment handed to an appraisal council); its unit is the form's.
    """
    if year not in ruleset.years:
        raise ValueError(f"{ruleset.id} {ruleset.version} does not cover {year}")
    if prefill is not None:
        unit = prefill.unit
        if prefill.year != year:
            raise AssessmentError(f"the assessment is for {prefill.year}, not {year}", field="year")
        _check_prefill(ruleset, prefill)
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = COVER_SHEET
    _cover(cover, ruleset, year, unit, missing, parameters)
    leaf_cells: dict[str, tuple[str, int]] = {}
    for number, top in enumerate(ruleset.view_nodes("main"), 1):
        sheet = book.create_sheet(field_sheet_name(top.code, number))
        _field_sheet(sheet, top, leaf_cells, prefill)
    _summary(book.create_sheet(SUMMARY_SHEET), ruleset, leaf_cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cover(
    sheet: Worksheet,
    ruleset: Ruleset,
    year: int,
    unit: Unit | None,
    missing: str,
    parameters: str | None,
) -> None:
    sheet["A1"] = "PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM / SELF-ASSESSMENT FORM"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _text(ruleset.title.best("vi"))
    sheet["A3"] = _text(ruleset.title.en or "")
    values: dict[str, CellValue] = {
        "ruleset": ruleset.id,
        "version": ruleset.version,
        "content_hash": content_hash(ruleset),
        "year": year,
        "unit": unit.id if unit else None,
        "unit_name": unit.name if unit else None,
        "unit_kind": (unit.kind if unit else None) or ruleset.unit_kind,
        "missing": "error (bắt buộc nhập đủ / every input required)"
        if missing == "error"
        else "zero (tính 0 điểm / scored 0)",
        "parameters": parameters,
    }
    row = 5
    for key, label in COVER_KEYS:
        sheet.cell(row, 1, key)
        sheet.cell(row, 2, label)
        value = values[key]
        cell = sheet.cell(
            row, COVER_VALUE_COLUMN, _text(value) if isinstance(value, str) else value
        )
        if key in ("unit", "unit_name") and unit is None:
            cell.protection = _OPEN  # a blank form: the unit writes its own id and name
            cell.fill = _INPUT_FILL
        row += 1
    row += 1
    sheet.cell(row, 2, "Nguồn / Source").font = _PARENT_FONT
    sheet.cell(row, COVER_VALUE_COLUMN, _text(ruleset.source.cite()))
    row += 2
    for line in (*INSTRUCTIONS_VI, "", *INSTRUCTIONS_EN):
        sheet.cell(row, 2, line).alignment = Alignment(wrap_text=False)
        row += 1
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 80
    sheet.protection.sheet = True


def _field_sheet(
    sheet: Worksheet,
    top: Node,
    leaf_cells: dict[str, tuple[str, int]],
    prefill: Assessment | None = None,
) -> None:
    for key, vi, en in COLUMNS:
        cell = sheet.cell(HEADER_ROW, COLUMN[key], f"{vi}\n{en}")
        cell.font, cell.fill, cell.alignment = _PARENT_FONT, _HEADER_FILL, _WRAP
        sheet.column_dimensions[get_column_letter(COLUMN[key])].width = _WIDTHS[key]
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.freeze_panes = f"{get_column_letter(COLUMN['maximum'])}{FIRST_ROW}"
    validations: dict[str, DataValidation] = {}
    row = FIRST_ROW
    for node, depth in _walk(top):
        sheet.cell(row, COLUMN["code"], node.code)
        title = sheet.cell(row, COLUMN["title"], _text(node.title.best("vi")))
        title.alignment = Alignment(wrap_text=True, vertical="top", indent=depth)
        if node.maximum is not None:
            cell = sheet.cell(row, COLUMN["maximum"], _number(node.maximum))
            cell.number_format = POINTS_FORMAT
        else:
            sheet.cell(row, COLUMN["maximum"], NOT_PUBLISHED)
        if node.is_leaf:
            rule = _describe(node) + ("; cần tài liệu kiểm chứng" if node.evidence else "")
            sheet.cell(row, COLUMN["rule"], _text(rule)).alignment = _WRAP
            sheet.cell(row, COLUMN["input"], _INPUT_KIND.get(_input_kind(node), _input_kind(node)))
            _open_inputs(sheet, row, node, validations)
            leaf_cells[node.code] = (sheet.title, row)
            entry = prefill.inputs.get(node.code) if prefill is not None else None
            if entry is not None:
                row = _write_entry(sheet, row, node, entry, validations)
        else:
            for key in ("code", "title", "maximum"):
                sheet.cell(row, COLUMN[key]).font = _PARENT_FONT
        row += 1
    for validation in validations.values():
        sheet.add_data_validation(validation)
    # the sheet is protected, but rows may be inserted (for further evidence documents)
    sheet.protection.sheet = True
    sheet.protection.insertRows = False
    sheet.protection.formatColumns = False


def _open_inputs(
    sheet: Worksheet,
    row: int,
    node: Node,
    validations: dict[str, DataValidation],
    *,
    evidence_only: bool = False,
) -> None:
    keys = ("self", "appraised", "reason", "ev_number", "ev_date", "ev_issuer", "ev_title")
    for key in keys[3:] if evidence_only else keys:
        cell = sheet.cell(row, COLUMN[key])
        cell.protection, cell.fill = _OPEN, _INPUT_FILL
        if key in ("self", "appraised"):
            cell.number_format = POINTS_FORMAT
        if key == "ev_date":
            cell.number_format = "DD/MM/YYYY"
    link = sheet.cell(row, COLUMN["ev_link"])
    link.protection, link.fill = _OPEN, _INPUT_FILL
    if evidence_only:
        return
    validation = _validation(node)
    if validation is None:
        return
    key = f"{validation.type}|{validation.formula1}|{validation.formula2}"
    if key not in validations:
        validations[key] = validation
    for column in ("self", "appraised"):
        validations[key].add(sheet.cell(row, COLUMN[column]))


def _check_prefill(ruleset: Ruleset, assessment: Assessment) -> None:
    if assessment.ruleset != ruleset.id:
        raise AssessmentError(
            f"the assessment is for ruleset {assessment.ruleset!r}, not {ruleset.id!r}",
            field="ruleset",
        )
    for code in assessment.inputs:
        found = ruleset.find(code)
        if found is None or found[0] != "main":
            raise UnknownCodeError(f"no row of the form holds {code!r}", code=code)
        if not found[1].is_leaf:
            raise AssessmentError(
                "a form takes the inputs of leaf criteria only; this input is given for a"
                " node with sub-criteria",
                code=code,
                hint="give the sub-criteria's inputs instead",
            )


def _cell_value(value: Value) -> str | int | float:
    """A value as an office would type it: a number as a number (when a double holds it
    exactly), an option or "không phát sinh" as text."""
    if value.not_applicable:
        return NOT_APPLICABLE_TEXT
    if value.choice is not None:
        return _text(value.choice)
    if value.count is not None:
        return value.count
    number = value.raw()
    assert isinstance(number, Decimal)
    near = float(number)
    if to_decimal(near) == number:
        return int(number) if number == number.to_integral_value() else near
    return canonical(number)  # text: the reader takes it exactly


def _write_entry(
    sheet: Worksheet, row: int, node: Node, entry: Entry, validations: dict[str, DataValidation]
) -> int:
    """Write ``entry`` into the row of ``node``; further evidence documents go on rows of their
    own below it. Returns the last row written."""
    own = entry.self_assessed
    sheet.cell(row, COLUMN["self"], _cell_value(own))
    if entry.appraised is not None and (entry.changed or entry.appraised.reason):
        sheet.cell(row, COLUMN["appraised"], _cell_value(entry.appraised))
        if entry.appraised.reason:
            sheet.cell(row, COLUMN["reason"], _text(entry.appraised.reason))
    for i, doc in enumerate(entry.evidence or ()):
        if i:
            row += 1
            _open_inputs(sheet, row, node, validations, evidence_only=True)
        cells: dict[str, CellValue] = {
            "ev_number": doc.number,
            "ev_date": doc.date,
            "ev_issuer": doc.issuer,
            "ev_title": doc.title,
            "ev_link": doc.url or doc.file,
        }
        for key, value in cells.items():
            if value is not None:
                sheet.cell(row, COLUMN[key], _text(value) if isinstance(value, str) else value)
    return row


def _validation(node: Node) -> DataValidation | None:
    """Excel's check of an input cell: a list for a choice, a decimal range for points and
    measures, a whole number for a count. A warning only: “không phát sinh” and ``2,5`` typed as
    text are accepted, and read by parindex."""
    kind = _input_kind(node)
    common: dict[str, Any] = {"allow_blank": True, "showErrorMessage": True}
    if kind == "choice":
        options = [*getattr(node.rule, "options", {}), NOT_APPLICABLE_TEXT]
        listed = ",".join(options)
        if any("," in o or '"' in o for o in options) or len(listed) > 250:
            return None  # Excel's inline list cannot hold these; the rule column names them
        return DataValidation(type="list", formula1=f'"{listed}"', errorStyle="warning", **common)
    if kind == "count":
        return DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            errorStyle="warning",
            **common,
        )
    lower = node.minimum if node.minimum is not None else Decimal(0)
    if kind == "points" and node.maximum is not None:
        return DataValidation(
            type="decimal",
            operator="between",
            formula1=canonical(lower),
            formula2=canonical(node.maximum),
            errorStyle="warning",
            error=f"Điểm từ {canonical(lower)} đến {canonical(node.maximum)}",
            **common,
        )
    if kind == "points":
        return DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1=canonical(lower),
            errorStyle="warning",
            **common,
        )
    return DataValidation(
        type="decimal",
        errorStyle="warning",
        operator="between",
        formula1="-1E+15",
        formula2="1E+15",
        **common,
    )


def _summary(sheet: Worksheet, ruleset: Ruleset, leaf_cells: dict[str, tuple[str, int]]) -> None:
    """Subtotals of the points typed directly, as formulas: a convenience for the office only."""
    headers = (
        "Mã / Code",
        "Tiêu chí / Criterion",
        "Điểm tối đa / Maximum",
        "Tự đánh giá / Self-assessed",
        "Thẩm định / Appraised",
    )
    for i, text in enumerate(headers, 1):
        cell = sheet.cell(1, i, text)
        cell.font, cell.fill, cell.alignment = _PARENT_FONT, _HEADER_FILL, _WRAP
    sheet.cell(
        2,
        1,
        "Chỉ cộng các ô nhập điểm trực tiếp; điểm chính thức do phần mềm tính lại."
        " / Sums only points typed directly; parindex recomputes the official score.",
    )
    own = get_column_letter(COLUMN["self"])
    appraised = get_column_letter(COLUMN["appraised"])
    tops = ruleset.view_nodes("main")
    whole = Node(code="0", title=ruleset.title, maximum=ruleset.maximum, children=tops)
    parents = [
        (node, depth, False) for top in tops for node, depth in _walk(top) if not node.is_leaf
    ]
    for row, (node, depth, is_total) in enumerate([*parents, (whole, 0, True)], 3):
        refs = [
            (quote_sheetname(leaf_cells[leaf.code][0]), leaf_cells[leaf.code][1])
            for leaf in node.walk()
            if leaf.is_leaf and _input_kind(leaf) == "points" and leaf.code in leaf_cells
        ]
        sheet.cell(row, 1, "Tổng / Total" if is_total else node.code)
        sheet.cell(row, 2, _text(node.title.best("vi"))).alignment = Alignment(indent=depth)
        if node.maximum is not None:
            sheet.cell(row, 3, _number(node.maximum)).number_format = POINTS_FORMAT
        else:
            sheet.cell(row, 3, NOT_PUBLISHED)
        if refs:
            self_sum = ",".join(f"{s}!{own}{r}" for s, r in refs)
            final = ",".join(
                f'IF({s}!{appraised}{r}="",{s}!{own}{r},{s}!{appraised}{r})' for s, r in refs
            )
            sheet.cell(row, 4, f"=SUM({self_sum})").number_format = POINTS_FORMAT
            sheet.cell(row, 5, f"=SUM({final})").number_format = POINTS_FORMAT
    for column, width in zip("ABCDE", (10, 50, 14, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    sheet.protection.sheet = True


__all__ = ["NOT_PUBLISHED", "POINTS_FORMAT", "form_workbook"]
