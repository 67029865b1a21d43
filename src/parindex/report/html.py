"""A report as one self-contained HTML file: inline CSS and inline SVG, no script, no external
asset (no link, img, src, href or url()), Vietnamese and English labels side by side."""

from __future__ import annotations

from html import escape

from parindex.model.documents import Text
from parindex.model.i18n import localize
from parindex.report.builder import Document
from parindex.report.svg import to_svg
from parindex.report.table import Table, show

CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 24px 32px;
       color: #0f172a; background: #ffffff; font-size: 14px; line-height: 1.45; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid #e2e8f0; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.en { color: #475569; font-weight: normal; }
.en::before { content: " · "; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.warn { background: #fef3c7; border-left: 4px solid #d97706; padding: 6px 10px; }
table { border-collapse: collapse; margin: 6px 0 4px; }
th, td { border: 1px solid #cbd5e1; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.yes { color: #15803d; font-weight: bold; }
td.no { color: #b91c1c; font-weight: bold; }
ul.notes { color: #475569; font-size: 12px; margin: 2px 0 10px; }
figure { margin: 8px 0 16px; }
figcaption { color: #475569; font-size: 12px; }
svg.chart text { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11px; fill: #0f172a; }
svg.chart text.hl { font-weight: bold; fill: #b91c1c; }
svg.chart text.tick, svg.chart text.note { fill: #475569; }
svg.chart text.mark { fill: #15803d; font-weight: bold; }
footer { margin-top: 32px; color: #64748b; font-size: 11px; }
"""


def _label(text: Text) -> str:
    vi, en = escape(text.vi or ""), escape(text.en or "")
    if vi and en and vi != en:
        return f'<span class="vi" lang="vi">{vi}</span><span class="en" lang="en">{en}</span>'
    return vi or en


def _table(table: Table, locale: str) -> str:
    out = [f'<h3 id="table-{escape(table.id)}">{_label(table.title)}</h3>']
    if not table.rows:
        out.append("<p>—</p>")
    else:
        out.append("<table>")
        out.append(
            "<thead><tr>"
            + "".join(f"<th>{_label(c.label)}</th>" for c in table.columns)
            + "</tr></thead><tbody>"
        )
        for row in table.rows:
            cells = []
            for value, col in zip(row, table.columns, strict=True):
                cls = ""
                if isinstance(value, bool):
                    cls = ' class="yes"' if value else ' class="no"'
                elif not isinstance(value, str) and value is not None:
                    cls = ' class="num"'
                cells.append(f"<td{cls}>{escape(show(value, locale, col.places))}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
    if table.notes:
        out.append(
            '<ul class="notes">'
            + "".join(f"<li>{escape(localize(n, locale))}</li>" for n in table.notes)
            + "</ul>"
        )
    return "\n".join(out)


def to_html(doc: Document) -> str:
    title = f"{doc.title.vi} · {doc.title.en}"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"vi" if doc.locale == "vi" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_label(doc.title)}</h1>",
        '<dl class="facts">',
    ]
    for label, value in doc.facts:
        out.append(f"<dt>{_label(label)}</dt><dd>{escape(value)}</dd>")
    out.append("</dl>")
    for w in doc.warnings:
        out.append(f'<p class="warn">{escape(w)}</p>')
    for sec in doc.sections:
        out.append(f'<section id="{escape(sec.id)}">')
        out.append(f"<h2>{_label(sec.title)}</h2>")
        out += [f"<p>{escape(p)}</p>" for p in sec.paragraphs]
        for chart in sec.charts:
            out.append(
                f"<figure>{to_svg(chart.spec)}<figcaption>{_label(chart.caption)}"
                "</figcaption></figure>"
            )
        out += [_table(t, doc.locale) for t in sec.tables]
        out.append("</section>")
    out.append("<footer>" + "<br>".join(escape(line) for line in doc.footer) + "</footer>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


__all__ = ["to_html"]
