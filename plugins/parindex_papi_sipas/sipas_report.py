"""SIPAS output: the text table, the long CSV, and the rows of every percentage."""

from __future__ import annotations

import csv
import io
import shutil
import sys
import textwrap
from collections.abc import Iterator
from fractions import Fraction
from typing import TextIO

from parindex.model.i18n import gettext as _
from parindex.model.i18n import localize, localize_numbers
from parindex.model.text import safe_cell
from parindex_papi_sipas.sipas_results import SipasResult

__all__ = ["iter_answer_rows", "render_text", "write_items_csv"]


def render_text(result: SipasResult) -> str:
    """A plain-text table: one line per unit with the index and the elements."""
    out = io.StringIO()
    fw = result.framework
    # a shipped framework's title is in the catalogue; a framework file's is shown as written
    # (an empty one too: gettext("") would give the catalogue's header)
    title = _(fw.title) if fw.title else fw.title
    out.write(f"SIPAS — {title} [{_(fw.status)}]\n")
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
