"""Explaining a score card in words: where every point came from."""

from __future__ import annotations

from parindex.model.decimals import fmt
from parindex.model.documents import NodeScore, ScoreCard
from parindex.model.errors import UnknownCodeError


def _line(n: NodeScore, locale: str, places: int) -> list[str]:
    pts = fmt(n.points, places, locale=locale) if n.points is not None else "—"
    mx = fmt(n.maximum, locale=locale) if n.maximum is not None else "no published maximum"
    pct = f" ({fmt(n.percent, locale=locale)}%)" if n.percent is not None else ""
    head = f"{'  ' * n.depth}{n.code} {n.title.best(locale)}: {pts} of {mx}{pct}"
    if n.status == "unverified":
        head += "  ⚠ unverified"
    t = n.trace
    pad = "  " * n.depth + "    "
    out = [head]
    if t.how == "rule":
        out.append(f"{pad}input {t.input}; rule {t.rule}")
        if t.detail:
            out.append(f"{pad}→ {t.detail}")
    elif t.how == "given":
        out.append(f"{pad}{t.input} (given directly)")
    elif t.how == "children":
        out.append(f"{pad}sum of {t.detail}")
    elif t.how == "not_applicable":
        out.append(f"{pad}{t.detail}")
    else:
        out.append(f"{pad}no input: scored 0")
    if n.self_points is not None:
        out.append(
            f"{pad}self-assessed {fmt(n.self_points, places, locale=locale)}, appraised"
            f" {pts}" + (f": {t.reason}" if t.reason else "")
        )
    out.append(f"{pad}source: {n.source}")
    return out


def explain(card: ScoreCard, code: str | None = None, locale: str = "en") -> str:
    places = card.receipt.rounding.places
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
    lines = [f"{card.unit.label} — {card.ruleset} {card.version}, {card.year}"]
    for n in nodes:
        lines.extend(_line(n, locale, places))
    if code is None:
        idx = fmt(card.index, places, locale=locale) if card.index is not None else "—"
        mx = fmt(card.maximum, locale=locale) if card.maximum is not None else "unknown"
        lines.append(
            f"total {fmt(card.total, places, locale=locale)} of {mx}; index {idx};"
            f" group {card.group or '—'}"
        )
        lines.append(card.receipt.rule)
        if card.unverified:
            lines.append("⚠ unverified rules contributed: " + ", ".join(card.unverified_codes))
        lines.extend(f"note: {n}" for n in card.notes)
    return "\n".join(lines)
