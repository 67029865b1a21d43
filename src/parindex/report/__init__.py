"""Every renderer: score cards, rulesets and rankings as text, CSV and JSON (:mod:`~.card`);
planning reports as tables, Markdown and one self-contained HTML file with inline SVG charts
(:mod:`~.builder`, :mod:`~.markdown`, :mod:`~.html`, :mod:`~.svg`); the sensitivity chart
(:mod:`~.sensitivity_chart`); CSV/JSON exports of every table (:mod:`~.table`).

They share one number formatter (:mod:`~.numbers`) and one set of SVG elements
(:mod:`~.svg_elements`), so a number or a chart looks the same wherever it is drawn."""

# Lazy (PEP 562): `parindex score` renders a card with `parindex.report.card` and must not pay
# for the planning report's modules (the builder imports the planning analyses).
import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parindex.report.builder import Document, Section, build_report
    from parindex.report.html import to_html
    from parindex.report.markdown import to_markdown
    from parindex.report.table import Column, Table, export_tables

_HOMES = {
    "Document": "builder",
    "Section": "builder",
    "build_report": "builder",
    "to_html": "html",
    "to_markdown": "markdown",
    "Column": "table",
    "Table": "table",
    "export_tables": "table",
}

if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
        globals()[name] = value
        return value


__all__ = [
    "Column",
    "Document",
    "Section",
    "Table",
    "build_report",
    "export_tables",
    "to_html",
    "to_markdown",
]
