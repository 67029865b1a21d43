"""Reports: planning results as tables, Markdown, a self-contained HTML file with inline SVG
charts, and CSV/JSON exports of every table."""

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
