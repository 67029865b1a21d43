"""Spreadsheet import: a criteria table (CSV or XLSX) turned into a YAML ruleset.

The layout (documented in ``docs/authoring.md``): one header row, then one row per node.

=============  ==========================================================================
column         what it holds (header names in English or Vietnamese, any case/diacritics)
=============  ==========================================================================
code           ``code``, ``mã``, ``STT``: the node code, ``1``, ``1.1``, ``1.1.4``; a child's
               code extends its parent's, and the parent's row comes first
title          ``title``, ``tiêu chí``, ``nội dung``, ``lĩnh vực/tiêu chí/tiêu chí thành
               phần``: the title in Vietnamese (``title_en``: in English)
maximum        ``maximum``, ``điểm tối đa``: a number (``14.5`` or ``14,5``); empty when the
               decision does not publish one
rule           ``rule``, ``quy tắc``, ``cách chấm``: how a leaf is scored (below); empty: the
               points are entered directly
optional       ``method`` (appraisal/survey/external, or tự đánh giá/điều tra XHH), ``status``,
               ``note``/``ghi chú``, ``clause``/``điều khoản``, ``lead_agency``/``cơ quan chủ trì``
=============  ==========================================================================

Rules, written as the tables write them::

    choice: Ban hành kịp thời = 1; Ban hành không kịp thời = 0.5; Không ban hành = 0
    tiers: > 90% = 2; 70% - 90% = 1; < 70% = 0
    points                      points: step=0.25
    proportional: target=100    count: per_item=0.5, cap=2    deduction: per_violation=0.25
    {kind: ..., ...}            any rule as YAML

In ``tiers``, a band is ``> a``, ``>= a``/``≥ a``, ``< b``, ``<= b``/``≤ b``, ``a - b`` (both ends
included, as "từ a đến b" reads), or an interval ``[a, b)``, ``(a, b]``...; text after the numbers
("> 90% kế hoạch") is kept as the band's label. In ``choice``, an option written as text gets a
key made from it (``Ban hành kịp thời`` → ``ban_hanh_kip_thoi``) and keeps the text as its label.

Rows that cannot be interpreted are reported with their row number and left out (a bad value is
left out of an otherwise good row); the ruleset built from the rest is then validated as a whole
(sums of maxima, tiers) and its problems are reported against the rows.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from parindex.authoring.office_rows import normalise as normalise_office_rows
from parindex.authoring.office_rows import spread_merged
from parindex.io.loading import RuleKinds, ruleset_from_data
from parindex.io.xls_ods import CALAMINE_SUFFIXES, read_other_sheet
from parindex.io.xlsx import XLSX_SUFFIXES, read_sheet
from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, load_yaml, read_text
from parindex.model.decimals import NumberError, canonical, to_decimal
from parindex.model.errors import CsvFormatError, InputFileError, ParindexError
from parindex.model.text import code_problem

#: Accepted header names (compared after folding case and diacritics) for each column.
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "ma", "ma so", "ma tieu chi", "stt", "so tt", "tt"),
    "title": (
        "title",
        "title_vi",
        "tieu chi",
        "ten tieu chi",
        "noi dung",
        "linh vuc/tieu chi/tieu chi thanh phan",
        "linh vuc, tieu chi, tieu chi thanh phan",
        "linh vuc/tieu chi",
    ),
    "title_en": ("title_en", "english title", "title (en)"),
    "maximum": ("maximum", "max", "diem toi da", "so diem toi da", "diem chuan"),
    "rule": ("rule", "quy tac", "cach cham", "cach cham diem", "cach tinh diem"),
    "method": ("method", "phuong phap", "hinh thuc danh gia"),
    "status": ("status", "trang thai"),
    "note": ("note", "ghi chu"),
    "clause": ("clause", "dieu khoan", "can cu"),
    "lead_agency": ("lead_agency", "lead agency", "co quan chu tri", "don vi chu tri"),
}
_METHODS = {
    "appraisal": "appraisal",
    "tu danh gia": "appraisal",
    "tham dinh": "appraisal",
    "survey": "survey",
    "dieu tra xhh": "survey",
    "dieu tra xa hoi hoc": "survey",
    "dtxhh": "survey",
    "external": "external",
}
_NUM = r"[-+]?\d+(?:[.,]\d+)?"


@dataclass(frozen=True)
class RowProblem:
    """A row (1-based, as the spreadsheet numbers it) or cell that could not be used."""

    row: int | None
    message: str
    column: str | None = None
    code: str | None = None

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "table"
        if self.column:
            where += f", column {self.column}"
        if self.code:
            where += f" ({self.code})"
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    data: dict[str, Any]
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: int = 0
    #: The spreadsheet row of each node code.
    row_of: dict[str, int] = field(default_factory=dict)

    @property
    def nodes(self) -> int:
        def count(nodes: list[dict[str, Any]]) -> int:
            return sum(1 + count(n.get("children", [])) for n in nodes)

        return count(self.data.get("nodes", []))

    def to_yaml(self, source_name: str | None = None) -> str:
        head = [
            "# Imported by `parindex import-table`"
            + (f" from {source_name}" if source_name else "")
            + ". Check every title, maximum and rule",
            "# against the decision before setting `status: confirmed`.",
        ]
        if self.problems:
            head.append("# Rows that could not be used (fix the table and import again):")
            head.extend(f"#   {p}" for p in self.problems)
        return "\n".join(head) + "\n" + dump_yaml(self.data)


# ----------------------------------------------------------------------------------------- YAML
class _Flow(dict[str, Any]):
    """A mapping written on one line (bands, options)."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # indent list items under their key, as parindex's own YAML files do
        return super().increase_indent(flow, False)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = canonical(value)
    tag = "tag:yaml.org,2002:int" if re.fullmatch(r"-?\d+", text) else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(_Flow, _represent_flow)


def dump_yaml(data: Any) -> str:
    """YAML as parindex writes it: key order kept, exact decimals, Unicode as is."""
    text: str = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000, indent=2
    )
    return text


# -------------------------------------------------------------------------------------- reading
def fold(text: str) -> str:
    """Lower case, no diacritics (đ → d), single spaces: for matching headers and making keys."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip().lower()


def slug(text: str) -> str:
    """A choice key from option text: ``Ban hành kịp thời`` → ``ban_hanh_kip_thoi``."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # a spreadsheet keeps 15 significant digits (a saved 0.1 + 0.2 shows as 0.3): so here
        shown = format(value, ".15g")
        if "e" in shown:
            shown = repr(value)
        return shown.removesuffix(".0")
    return str(value).strip()


Merged = tuple[tuple[int, int, int, int], ...]


def read_table(
    path: str | Path, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[list[str]], Merged]:
    """The table's rows as text cells, and its merged ranges (a workbook's; none in a CSV).
    CSV (comma or semicolon, UTF-8), XLSX (openpyxl), XLS or ODS (python-calamine)."""
    p = Path(path)
    if p.suffix.lower() in XLSX_SUFFIXES + CALAMINE_SUFFIXES:
        read = read_sheet if p.suffix.lower() in XLSX_SUFFIXES else read_other_sheet
        got = read(p, sheet, limits)
        return [[_cell(v) for v in row] for row in got.rows], got.merged
    return read_rows(p, sheet, limits), ()


def read_rows(
    path: str | Path, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> list[list[str]]:
    """The table's rows as text cells (merged ranges left as the workbook stores them: the
    value in the first cell). CSV (comma or semicolon, UTF-8), XLSX, XLS or ODS."""
    p = Path(path)
    if p.suffix.lower() in XLSX_SUFFIXES + CALAMINE_SUFFIXES:
        return read_table(p, sheet, limits)[0]
    if p.suffix.lower() not in {".csv", ".txt"}:
        raise InputFileError(
            f"cannot read {p.suffix or 'this'} files",
            file=p,
            hint="give a .csv, .xlsx, .xls or .ods file",
        )
    text = read_text(p, limits)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        return [
            [c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise CsvFormatError(f"not a readable CSV table: {exc}", file=p) from None


# -------------------------------------------------------------------------------------- parsing
class RuleTextError(ValueError):
    """A rule cell that cannot be read."""


def _number(text: str) -> Decimal:
    text = text.strip().rstrip("%").strip()
    if re.fullmatch(r"[-+]?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        return to_decimal(text)
    except NumberError:
        raise RuleTextError(f"{text!r} is not a number") from None


def _split_items(body: str) -> list[tuple[str, str]]:
    items = []
    for part in re.split(r"[;\n]", body):
        part = part.strip()
        if not part:
            continue
        cut = max(part.rfind("="), part.rfind(":"))
        if cut <= 0:
            raise RuleTextError(f"{part!r} has no points: write it as `condition = points`")
        items.append((part[:cut].strip(), part[cut + 1 :].strip()))
    if not items:
        raise RuleTextError("no options or bands are given")
    return items


def parse_band(text: str) -> dict[str, Any]:
    """One tier condition: ``> 90%``, ``>= 90``, ``< 70``, ``70 - 90``, ``[70, 90)`` ..."""
    t = re.sub(r"^(từ|tu)\s+", "", text.strip(), flags=re.IGNORECASE)
    t = t.replace("≥", ">=").replace("≤", "<=")
    m = re.match(rf"^(>=|<=|>|<)\s*({_NUM})\s*%?", t)
    if m:
        op, value = m.group(1), _number(m.group(2))
        if op.startswith(">"):
            return {"min": value, "min_inclusive": op == ">="}
        return {"max": value, "max_inclusive": op == "<="}
    m = re.match(rf"^([\[(])\s*({_NUM})?\s*%?\s*[,;]\s*({_NUM})?\s*%?\s*([\])])", t)
    if m:
        band: dict[str, Any] = {}
        if m.group(2) is not None:
            band.update(min=_number(m.group(2)), min_inclusive=m.group(1) == "[")
        if m.group(3) is not None:
            band.update(max=_number(m.group(3)), max_inclusive=m.group(4) == "]")
        return band
    m = re.match(rf"^({_NUM})\s*%?\s*(?:-|–|—|\.\.|đến|den|to)\s*({_NUM})\s*%?", t)
    if m:
        return {
            "min": _number(m.group(1)),
            "max": _number(m.group(2)),
            "max_inclusive": True,
        }
    raise RuleTextError(
        f"{text!r} is not a band: write > a, >= a, < b, <= b, a - b or an interval like [a, b)"
    )


def _band_entry(band: dict[str, Any], points: Decimal, label: str) -> _Flow:
    out = _Flow()
    for key in ("min", "max"):
        if key in band:
            out[key] = band[key]
    # write inclusivity only where it differs from the format's defaults
    if "min" in band and band.get("min_inclusive") is False:
        out["min_inclusive"] = False
    if "max" in band and band.get("max_inclusive") is True:
        out["max_inclusive"] = True
    out["points"] = points
    out["label"] = label
    return out


def parse_rule(text: str, kinds: RuleKinds) -> dict[str, Any]:
    """A rule cell as rule data (``{kind: ..., ...}``), checked against its kind's parameters."""
    text = text.strip()
    if text.startswith("{"):
        try:
            data, _ = load_yaml(text)
        except ParindexError as err:
            raise RuleTextError(f"not valid YAML: {err.message}") from None
        if not isinstance(data, dict):
            raise RuleTextError("a rule written as YAML must be a mapping")
        rule = data
    else:
        head, _, body = text.partition(":")
        kind = fold(head).replace(" ", "_")
        if kind not in kinds:
            raise RuleTextError(
                f"unknown rule kind {head.strip()!r}; kinds: {', '.join(sorted(kinds))}"
            )
        if kind == "choice":
            rule = _choice(body)
        elif kind == "tiers":
            rule = _tiers(body)
        else:
            rule = {"kind": kind, **_params(body)}
    kind_name = rule.get("kind")
    if not isinstance(kind_name, str) or kind_name not in kinds:
        raise RuleTextError(f"unknown rule kind {kind_name!r}; kinds: {', '.join(sorted(kinds))}")
    try:
        kinds[kind_name].model_validate(rule)
    except ValidationError as exc:
        raise RuleTextError(_first_line(str(exc))) from None
    return rule


def _first_line(message: str) -> str:
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    return "; ".join(lines[1:3]) if len(lines) > 1 else message


def _choice(body: str) -> dict[str, Any]:
    options: dict[str, Decimal] = _Flow()
    labels: dict[str, str] = {}
    for left, right in _split_items(body):
        key = left if re.fullmatch(r"[a-z0-9_]+", left) else slug(left)
        if not key:
            raise RuleTextError(f"option {left!r} has no letters or digits to make a key from")
        if key in options:
            raise RuleTextError(f"two options make the same key {key!r}")
        options[key] = _number(right)
        if key != left:
            labels[key] = left
    rule: dict[str, Any] = {"kind": "choice", "options": options}
    if labels:
        rule["labels"] = labels
    return rule


def _tiers(body: str) -> dict[str, Any]:
    bands = []
    percent = False
    for left, right in _split_items(body):
        percent = percent or "%" in left
        bands.append(_band_entry(parse_band(left), _number(right), left))
    rule: dict[str, Any] = {"kind": "tiers"}
    if percent:
        rule["unit"] = "percent"
    rule["bands"] = bands
    return rule


def _params(body: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in re.split(r"[,;]\s*(?=[A-Za-z_]+\s*=)", body.strip()):
        part = part.strip()
        if not part:
            continue
        key, eq, value = part.partition("=")
        if not eq:
            raise RuleTextError(f"{part!r}: write parameters as name=value")
        value = value.strip()
        try:
            out[key.strip()] = _number(value)
        except RuleTextError:
            out[key.strip()] = value
    return out


# --------------------------------------------------------------------------------------- import
@dataclass
class _Row:
    number: int
    code: str
    node: dict[str, Any]


def _header(rows: Sequence[Sequence[str]]) -> tuple[int, dict[str, int], list[str]]:
    aliases = {alias: name for name, names in COLUMNS.items() for alias in names}
    for i, row in enumerate(rows[:30]):
        found: dict[str, int] = {}
        ignored: list[str] = []
        for j, cell in enumerate(row):
            name = aliases.get(fold(cell).rstrip(":"))
            if name is not None and name not in found:
                found[name] = j
            elif cell.strip():
                ignored.append(cell.strip())
        if "code" in found and ("title" in found or "maximum" in found):
            return i, found, ignored
    raise CsvFormatError(
        "no header row found: the table needs a column `code` (or Mã/STT) and a column `title`"
        " (or Tiêu chí) or `maximum` (or Điểm tối đa) in one of its first 30 rows"
    )


def import_rows(
    rows: Sequence[Sequence[str]],
    header: dict[str, Any],
    kinds: RuleKinds,
    merged: Merged = (),
) -> ImportResult:
    """Build ruleset data from table rows. ``header`` holds the ruleset-level fields (id, version,
    years, unit_kind, title, source, ...); ``merged``: the workbook's merged ranges."""
    start, cols, ignored = _header(rows)
    spread = spread_merged(rows, merged, start, cols, fold)
    office = normalise_office_rows(spread.rows, start, cols, fold)  # Roman numerals, totals …
    rows = office.rows
    short = {"authority", "title"}  # written on one line, as in parindex's own files
    result = ImportResult(
        data={k: _Flow(v) if k in short and isinstance(v, dict) else v for k, v in header.items()}
    )
    if ignored:
        result.notes.append(f"columns not used: {', '.join(ignored)}")
    result.notes.extend(spread.notes)
    result.notes.extend(office.notes)

    def cell(row: Sequence[str], name: str) -> str:
        j = cols.get(name)
        return row[j].strip() if j is not None and j < len(row) else ""

    by_code: dict[str, _Row] = {}
    tops: list[dict[str, Any]] = []
    for i, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(c.strip() for c in row):
            continue
        result.rows += 1

        def problem(
            message: str, column: str | None = None, code: str | None = None, _i: int = i
        ) -> None:
            result.problems.append(RowProblem(_i, message, column, code))

        code = cell(row, "code").rstrip(".").strip()
        if not code:
            problem("no code: row left out (if it continues the title above, join the cells)")
            continue
        bad_code = code_problem(code)
        if bad_code is not None:
            problem(bad_code, "code")
            continue
        if code in by_code:
            problem(f"code {code} is already used in row {by_code[code].number}", "code", code)
            continue
        parent = _parent(code, by_code)
        if parent is None and "." in code and code.rsplit(".", 1)[0] not in by_code:
            problem(
                f"the parent {code.rsplit('.', 1)[0]} of {code} is not in a row above: row left"
                " out",
                "code",
                code,
            )
            continue
        node: dict[str, Any] = {"code": code}
        title_vi, title_en = cell(row, "title"), cell(row, "title_en")
        if title_vi or title_en:
            node["title"] = _Flow({k: v for k, v in (("vi", title_vi), ("en", title_en)) if v})
        raw_max = cell(row, "maximum")
        if raw_max:
            try:
                node["maximum"] = _number(raw_max)
            except RuleTextError as exc:
                problem(f"maximum {raw_max!r} is not a number: left out ({exc})", "maximum", code)
        for name, convert in _OPTIONAL.items():
            raw = cell(row, name)
            if raw:
                try:
                    node[name] = convert(raw)
                except RuleTextError as exc:
                    problem(f"{exc}: left out", name, code)
        clause = cell(row, "clause")
        if clause:
            node["source"] = _Flow({**_plain(header.get("source")), "clause": clause})
        raw_rule = cell(row, "rule")
        if raw_rule:
            try:
                node["rule"] = parse_rule(raw_rule, kinds)
            except RuleTextError as exc:
                problem(f"rule not understood: {exc}; left out", "rule", code)
        by_code[code] = _Row(i, code, node)
        result.row_of[code] = i
        if parent is None:
            tops.append(node)
        else:
            if "rule" in parent.node:
                problem(f"{parent.code} has a rule, so it cannot have children", "code", code)
            parent.node.setdefault("children", []).append(node)
    result.data["nodes"] = tops
    if not tops:
        result.problems.append(RowProblem(None, "the table has no usable rows"))
    _check_total(result, tops, office.stated_total, office.total_row)
    return result


def _check_total(
    result: ImportResult, tops: list[dict[str, Any]], stated: str | None, row: int | None
) -> None:
    """A total row's maximum against the sum of the fields' maxima: a disagreement is a problem
    (one of the two is mistyped), not a row silently dropped."""
    if not stated or not tops:
        return
    try:
        total = _number(stated)
    except RuleTextError:
        result.problems.append(RowProblem(row, f"total {stated!r} is not a number", "maximum"))
        return
    maxima = [n.get("maximum") for n in tops]
    if any(m is None for m in maxima):
        missing = ", ".join(n["code"] for n in tops if n.get("maximum") is None)
        result.notes.append(
            f"row {row}: the total {canonical(total)} is not checked: no maximum for {missing}"
        )
        return
    added = sum((m for m in maxima if m is not None), Decimal(0))
    if added != total:
        result.problems.append(
            RowProblem(
                row,
                f"the total row states {canonical(total)}, but the maxima of"
                f" {', '.join(n['code'] for n in tops)} add up to {canonical(added)}",
                "maximum",
            )
        )


def _parent(code: str, by_code: dict[str, _Row]) -> _Row | None:
    parts = code.split(".")
    for n in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in by_code:
            return by_code[candidate]
    return None


def _method(raw: str) -> str:
    got = _METHODS.get(fold(raw))
    if got is None:
        raise RuleTextError(f"method {raw!r} is not appraisal, survey or external")
    return got


def _status(raw: str) -> str:
    value = fold(raw)
    if value not in {"confirmed", "derived", "unverified"}:
        raise RuleTextError(f"status {raw!r} is not confirmed, derived or unverified")
    return value


def _plain(source: Any) -> dict[str, Any]:
    """The ruleset's source without its clause and note, for a row's own clause."""
    if not isinstance(source, dict):
        return {}
    return {k: v for k, v in source.items() if k in {"document", "date", "url"} and v is not None}


_OPTIONAL: dict[str, Callable[[str], Any]] = {
    "method": _method,
    "status": _status,
    "note": str,
    "lead_agency": str,
}


def import_table(
    path: str | Path,
    header: dict[str, Any],
    kinds: RuleKinds,
    *,
    sheet: str | None = None,
) -> ImportResult:
    """Read a criteria table and build a ruleset from it; then validate the ruleset as a whole and
    add its problems (sums of maxima, tiers, ...) to the result, each against its row."""
    rows, merged = read_table(path, sheet)
    try:
        result = import_rows(rows, header, kinds, merged)
    except ParindexError as err:
        raise err.located(file=path) from None
    if result.data["nodes"]:
        try:
            ruleset_from_data(result.data, kinds)
        except ParindexError as err:
            for e in [err, *err.related]:
                row = result.row_of.get(e.code) if e.code else None
                what = e.message if not e.field or e.code else f"{e.field}: {e.message}"
                result.problems.append(RowProblem(row, what, None, e.code))
    return result


__all__ = [
    "COLUMNS",
    "ImportResult",
    "RowProblem",
    "dump_yaml",
    "import_rows",
    "import_table",
    "parse_band",
    "parse_rule",
    "read_rows",
    "read_table",
    "slug",
]
