"""Every renderer: score cards, rulesets and rankings as text, CSV and JSON (:mod:`~.card`);
planning reports as tables, Markdown and one self-contained HTML file with inline SVG charts
(:mod:`~.builder`, :mod:`~.markdown`, :mod:`~.html`, :mod:`~.svg`); the sensitivity chart
(:mod:`~.sensitivity_chart`); CSV/JSON exports of every table (:mod:`~.table`).

They share one number formatter (:mod:`~.numbers`) and one set of SVG elements
(:mod:`~.svg_elements`), so a number or a chart looks the same wherever it is drawn."""

from parindex.report.builder import Document, Section, build_report
from parindex.report.html import to_html
from parindex.report.markdown import to_markdown
from parindex.report.table import Column, Table, export_tables

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
