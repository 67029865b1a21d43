"""Explaining a score card in words: where every point came from."""

from __future__ import annotations

import textwrap

from parindex.model.decimals import fmt
from parindex.model.documents import NodeScore, ScoreCard
from parindex.model.errors import UnknownCodeError
from parindex.model.i18n import gettext as _
from parindex.model.i18n import localize, using_locale


def _line(n: NodeScore, locale: str, places: int, sources: dict[str, int] | None) -> list[str]:
    pts = fmt(n.points, places, locale=locale) if n.points is not None else "—"
    mx = fmt(n.maximum, locale=locale) if n.maximum is not None else _("no published maximum")
    pct = f" ({fmt(n.percent, places, locale=locale)} %)" if n.percent is not None else ""
    of = _("{points} of {maximum}").format(points=pts, maximum=mx)
    head = f"{'  ' * n.depth}{n.code} {n.title.best(locale)}: {of}{pct}"
    if n.status == "unverified":
        head += "  ⚠ " + _("unverified")
    t = n.trace
    pad = "  " * n.depth + "    "
    out = [head]
    if t.how == "rule":
        shown = localize(t.input or "")
        rule = localize(t.rule or "")  # describe() is English; shown in the reader's locale
        out.append(pad + _("input {input}; rule {rule}").format(input=shown, rule=rule))
        if t.detail:
            out.append(f"{pad}→ {localize(t.detail)}")
    elif t.how == "given":
        out.append(pad + _("{input} (given directly)").format(input=localize(t.input or "")))
    elif t.how == "children":
        out.append(pad + _("sum of {codes}").format(codes=t.detail))
    elif t.how == "not_applicable":
        out.append(f"{pad}{localize(t.detail or '')}")
    else:
        out.append(pad + _("no input: scored 0"))
    if n.self_points is not None:
        out.append(
            pad
            + _("self-assessed {self}, appraised {appraised}").format(
                self=fmt(n.self_points, places, locale=locale), appraised=pts
            )
            + (f": {t.reason}" if t.reason else "")
        )
    for doc in n.evidence or ():
        out.append(pad + _("evidence: {document}").format(document=doc.cite()))
    if sources is None:
        out.append(pad + _("source: {source}").format(source=n.source))
    elif n.source:  # a footnote, numbered on first use
        mark = sources.setdefault(n.source, len(sources) + 1)
        out.append(pad + _("source: {source}").format(source=f"[{mark}]"))
    return out


def explain(
    card: ScoreCard, code: str | None = None, locale: str = "en", *, width: int | None = None
) -> str:
    """Every node's points and how they were found, in ``locale``. With ``width`` (not None)
    each source is a numbered footnote, printed once at the end, and long lines wrap."""
    with using_locale(locale):
        return _explain(card, code, locale, width)


def _explain(card: ScoreCard, code: str | None, locale: str, width: int | None) -> str:
    places = card.receipt.rounding.places
    sources: dict[str, int] | None = {} if width is not None else None
    nodes = list(card.nodes)
    if code is not None:
        try:
            root = card.node(code)
        except KeyError:
            raise UnknownCodeError(f"no node {code!r} in this score card", code=code) from None
        keep = {root.code}
        for n in nodes:
            if n.parent in keep:
                keep.add(n.code)
        nodes = [n for n in nodes if n.code in keep]
    # the version is often named for its first year: "2013, 2013" said once
    year = "" if card.version == str(card.year) else f", {_('year')} {card.year}"
    lines = [f"{card.unit.label} — {card.ruleset} {card.version}{year}"]
    for n in nodes:
        lines.extend(_line(n, locale, places, sources))
    if code is None:
        idx = fmt(card.index, places, locale=locale) if card.index is not None else "—"
        mx = fmt(card.maximum, locale=locale) if card.maximum is not None else _("unknown")
        lines.append(
            _("total {total} of {maximum}; index {index}; group {group}").format(
                total=fmt(card.total, places, locale=locale),
                maximum=mx,
                index=idx,
                group=_group(card.group),
            )
        )
        lines.append(localize(card.receipt.rule))
        if card.unverified:
            lines.append(
                "⚠ "
                + _("unverified rules contributed")
                + ": "
                + ", ".join(_(c) if c == "(ruleset)" else c for c in card.unverified_codes)
            )
        lines.extend(f"{_('note')}: {localize(n)}" for n in card.notes)
    if sources:
        lines += ["", _("Source") + ":"]
        lines += [f"[{mark}] {text}" for text, mark in sources.items()]
    if width is None:
        return "\n".join(lines)
    return "\n".join(_fit(line, width) for line in lines)


def _group(label: str | None) -> str:
    from parindex.model.i18n import gettext

    return gettext(label) if label else "—"


def _fit(line: str, width: int) -> str:
    """``line`` wrapped to ``width`` under its own indentation (plus two)."""
    if len(line) <= width:
        return line
    indent = " " * (len(line) - len(line.lstrip(" ")))
    return "\n".join(
        textwrap.wrap(
            line,
            width,
            initial_indent="",
            subsequent_indent=indent + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    )
