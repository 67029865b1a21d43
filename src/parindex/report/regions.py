"""Rankings within regions: one table per region, each saying "rank N of M in REGION"."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from parindex.model.i18n import gettext as _
from parindex.report.card import ranking


def regional_rankings(
    within: Sequence[tuple[Any, Any, int]],
    fmt_name: str = "table",
    locale: str = "en",
    *,
    places: int | None = None,
) -> str:
    """``within`` from :func:`parindex.api.rank_within_regions`. M is the region's number of
    provinces; when the batch holds fewer, the heading says how many were ranked."""
    if fmt_name == "json":
        return json.dumps(
            [
                {
                    "region": region.code,
                    "name": region.name(locale),
                    "provinces": size,
                    "ranked": len(table.entries),
                    "entries": [
                        {
                            "rank": e.rank,
                            "of": size,
                            "unit": e.unit.label,
                            "text": _text(
                                e.rank, size, region.name(locale), locale, len(table.entries)
                            ),
                        }
                        for e in table.entries
                    ],
                }
                for region, table, size in within
            ],
            ensure_ascii=False,
            indent=2,
        )
    parts = []
    for region, table, size in within:
        name = region.name(locale)
        head = _("{name} ({ranked} of {size} provinces ranked)", locale).format(
            name=name, ranked=len(table.entries), size=size
        )
        if fmt_name == "csv":
            body = ranking(table, "csv", locale, places=places)
            lines = body.splitlines()
            extra = [f"{x},{region.code},{size}" for x in lines[1:]]
            parts.append("\n".join([lines[0] + ",region,provinces_in_region", *extra]))
            continue
        body = ranking(table, fmt_name, locale, places=places)
        n = len(table.entries)
        texts = [f"  {e.unit.label}: {_text(e.rank, size, name, locale, n)}" for e in table.entries]
        parts.append("\n".join([head, "", body, *texts]))
    if fmt_name == "csv":
        first, *rest = parts
        return "\n".join([first, *("\n".join(p.splitlines()[1:]) for p in rest)])
    return "\n\n".join(parts)


def _text(rank: int, size: int, name: str, locale: str, ranked: int | None = None) -> str:
    """ "rank N of M in REGION" only when all M provinces were ranked together; otherwise the
    rank among those ranked here, and the region's size."""
    if ranked is not None and ranked < size:
        if locale == "vi":
            return f"xếp thứ {rank}/{ranked} tỉnh được xếp ở đây (vùng {name} có {size} tỉnh)"
        return f"rank {rank} of the {ranked} ranked here ({name} has {size} provinces)"
    if locale == "vi":
        return f"xếp thứ {rank}/{size} trong vùng {name}"
    return f"rank {rank} of {size} in {name}"


__all__ = ["regional_rankings"]
