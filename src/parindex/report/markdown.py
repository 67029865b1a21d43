"""A report as Markdown: headings and labels in Vietnamese and English, tables as pipe tables,
charts as text bars (Markdown has no portable way to carry SVG)."""

from __future__ import annotations

from parindex.report.builder import Document
from parindex.report.svg import to_text_chart
from parindex.report.table import bilingual, to_text


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(doc: Document) -> str:
    out = [f"# {bilingual(doc.title)}", ""]
    for label, value in doc.facts:
        out.append(f"- **{bilingual(label)}**: {_md_escape(value)}")
    out.append("")
    for w in doc.warnings:
        out += [f"> {w}", ""]
    for sec in doc.sections:
        out += [f"## {bilingual(sec.title)}", ""]
        for p in sec.paragraphs:
            out += [p, ""]
        for chart in sec.charts:
            out += [
                f"_{bilingual(chart.caption)}_",
                "",
                "```text",
                to_text_chart(chart.spec),
                "```",
                "",
            ]
        for table in sec.tables:
            out += [
                f"### {bilingual(table.title)}",
                "",
                to_text(table, "pipe", doc.locale, headers="bilingual"),
                "",
            ]
            out += [f"- {_md_escape(note)}" for note in table.notes]
            if table.notes:
                out.append("")
    out += ["---", ""]
    out += [f"_{_md_escape(line)}_  " for line in doc.footer]
    return "\n".join(out).rstrip() + "\n"


__all__ = ["to_markdown"]
