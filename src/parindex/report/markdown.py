"""A report as Markdown: headings and labels in Vietnamese and English, tables as pipe tables,
charts as text bars (Markdown has no portable way to carry SVG)."""

from __future__ import annotations

from parindex.model.i18n import localize
from parindex.report.builder import Document
from parindex.report.svg import to_text_chart
from parindex.report.table import bilingual, md_line, md_text, to_text


def _md_escape(text: str) -> str:
    # every text here may hold a unit name or a title: no HTML, no broken line or table
    return md_line(text).replace("|", "\\|")


def to_markdown(doc: Document) -> str:
    out = [f"# {_md_escape(bilingual(doc.title))}", ""]
    for label, value in doc.facts:
        out.append(f"- **{_md_escape(bilingual(label))}**: {_md_escape(value)}")
    out.append("")
    for w in doc.warnings:
        out += [f"> {_md_escape(w)}", ""]
    for sec in doc.sections:
        out += [f"## {_md_escape(bilingual(sec.title))}", ""]
        for p in sec.paragraphs:
            out += [md_text(p), ""]
        for chart in sec.charts:
            drawn = to_text_chart(chart.spec)
            fence = "```"
            while fence in drawn:  # a label holding ``` must not end the block early
                fence += "`"
            out += [
                f"_{_md_escape(bilingual(chart.caption))}_",
                "",
                f"{fence}text",
                drawn,
                fence,
                "",
            ]
        for table in sec.tables:
            out += [
                f"### {_md_escape(bilingual(table.title))}",
                "",
                to_text(table, "pipe", doc.locale, headers="bilingual"),
                "",
            ]
            out += [f"- {_md_escape(localize(note, doc.locale))}" for note in table.notes]
            if table.notes:
                out.append("")
    out += ["---", ""]
    out += [f"_{_md_escape(line)}_  " for line in doc.footer]
    return "\n".join(out).rstrip() + "\n"


__all__ = ["to_markdown"]
