"""``parindex rank big.csv`` without building an assessment per row.

Reading a 10,000-row CSV into assessment objects costs far more than scoring it (every cell
becomes a validated model). :func:`rank_csv` reads the common case straight into integer columns:
one ruleset and year, every cell of every node column a plain decimal number (``12``, ``-0.5``,
``3.25``; at most 15 digits). Anything else — an empty cell, ``n/a``, ``1e3``, a malformed row, a
duplicated unit, a value the rules reject — is handed to the standard reader and scorer
(:func:`parindex.api.score_csv`), so the result, or the error and its file and line, is exactly
what ``api.rank(api.score_csv(path))`` gives.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Literal

import numpy as np

from parindex.model.documents import ScoreCard, TieRule, Unit
from parindex.model.errors import ParindexError
from parindex.scoring.fast.batch import compiled_for, default_rule
from parindex.scoring.fast.kernel import (
    MAX_FLOAT_MAGNITUDE,
    FixedColumn,
    Scored,
    rank_keys,
    score_plan,
)
from parindex.scoring.ranking import TIE_RULES, RankedEntry, RankedTable


class _Irregular(Exception):
    """The file needs the standard reader."""


def rank_csv(
    path: str | Path,
    *,
    ties: TieRule | None = None,
    params: str | Path | None = None,
    registry: Any = None,
    default_ties: Literal["competition", "ruleset"] = "competition",
) -> RankedTable:
    """Rank the rows of a CSV (columns ruleset, year, unit, then node codes holding points) —
    the same table as ``api.rank(api.score_csv(path, params=...), ties)``.

    Without ``ties``, ``default_ties="ruleset"`` uses the ruleset's tie rule (as ``parindex rank``
    does), ``"competition"`` the API's default."""
    try:
        return _fast(path, ties, params, registry, default_ties)
    except _Irregular:
        from parindex.scoring import scorer as api
        from parindex.scoring.scorer import score_csv

        cards = score_csv(path, params=params, registry=registry)
        if ties is None and default_ties == "ruleset" and cards:
            ties = api.get_ruleset(
                cards[0].ruleset, cards[0].year, params=params, registry=registry
            ).ranking.ties
        return api.rank(cards, ties)


def _fast(
    path: str | Path,
    ties: TieRule | None,
    params: str | Path | None,
    registry: Any,
    default_ties: str,
) -> RankedTable:
    from parindex.io.assessment_csv import META, REQUIRED
    from parindex.io.loading import assessment_from_data
    from parindex.io.yamlfile import read_text
    from parindex.scoring import engine
    from parindex.scoring import scorer as api

    text = read_text(path)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        raise _Irregular from None
    if not rows:
        raise _Irregular
    header = [h.strip() for h in rows[0]]
    if (
        any(not h for h in header)
        or len(set(header)) != len(header)
        or any(c not in header for c in REQUIRED)
        or "view" in header
    ):
        raise _Irregular
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    if not body or any(len(r) != len(header) for r in body):
        raise _Irregular
    # no quoted line breaks: then row i is on line i + 1 for the error messages of the fallback
    if any("\n" in c or "\r" in c for r in rows for c in r):
        raise _Irregular
    cols = list(zip(*body, strict=True))
    at = {h: i for i, h in enumerate(header)}
    rid = {c.strip() for c in cols[at["ruleset"]]}
    years = {c.strip() for c in cols[at["year"]]}
    if len(rid) != 1 or len(years) != 1:
        raise _Irregular
    year_text = next(iter(years))
    if not (year_text.isascii() and year_text.isdigit()):
        raise _Irregular  # int() also reads ٢٠٢٠: the reference reader refuses it, located
    year = int(year_text)
    ruleset_id = next(iter(rid))
    ids = [c.strip() for c in cols[at["unit"]]]
    if len(set(ids)) != len(ids):
        raise _Irregular
    names = [c.strip() for c in cols[at["unit_name"]]] if "unit_name" in at else [""] * len(ids)
    codes = [h for h in header if h not in META]
    values = {code: _numbers([c.strip() for c in cols[at[code]]]) for code in codes}

    try:
        ruleset = api.get_ruleset(ruleset_id, year, params=params, registry=registry)
    except ParindexError:
        raise _Irregular from None
    compiled = compiled_for(ruleset)
    nodes = {n.code: n for n in ruleset.iter_nodes()}
    if any(c not in nodes for c in codes):
        raise _Irregular  # another view, or an unknown code: the standard path decides
    plan = compiled.plan("main", (tuple(sorted((c, "points") for c in codes)), "error"))
    if plan.static_error is not None or plan.unsupported is not None:
        raise _Irregular
    n = len(ids)
    rule = default_rule()

    def fallback(i: int) -> ScoreCard:
        data = {
            "ruleset": ruleset_id,
            "year": year,
            "unit": {"id": ids[i], "name": names[i] or ids[i]},
            "inputs": {code: body[i][at[code]].strip() for code in codes},
        }
        return engine.score(ruleset, assessment_from_data(data), rule)

    scored: Scored = score_plan(compiled, plan, values, n, fallback)
    if not bool(scored.valid.all()):
        raise _Irregular  # the standard path raises the located error
    rule_name: TieRule = ties or (
        ruleset.ranking.ties if default_ties == "ruleset" else "competition"
    )
    by_index = bool(scored.known.all())
    keys = scored.indices if by_index else scored.totals
    ranks = rank_keys(keys, rule_name)
    uniq, counts = np.unique(keys, return_counts=True)
    tied = counts[np.searchsorted(uniq, keys)] > 1
    places = compiled.places
    labels = [g.label for g in compiled.groups]
    entries = []
    for i in np.argsort(ranks, kind="stable").tolist():
        total = _dec(int(scored.totals[i]), places)
        index = _dec(int(scored.indices[i]), places) if scored.known[i] else None
        g = int(scored.groups[i])
        try:
            unit = Unit(id=ids[i], name=names[i] or ids[i])
        except ValueError:  # a refused name (a control character): the reference reader says where
            raise _Irregular from None
        entries.append(
            RankedEntry.model_construct(
                rank=int(ranks[i]),
                unit=unit,
                key=index if by_index else total,
                total=total,
                index=index,
                group=None if g < 0 else labels[g],
                tied=bool(tied[i]),
            )
        )
    return RankedTable(
        ruleset=ruleset.id,
        year=year,
        by="index" if by_index else "total",
        ties=rule_name,
        tie_rule=TIE_RULES[rule_name],
        entries=tuple(entries),
        unranked=(),
    )


def _dec(value: int, places: int) -> Any:
    from decimal import Decimal

    return Decimal(value).scaleb(-places)


def _numbers(cells: list[str]) -> FixedColumn:
    """Plain decimal numbers (``-12.50``) as exact integers; anything else is irregular."""
    try:
        raw = np.asarray(cells, dtype="S")  # non-ASCII text is irregular
    except UnicodeEncodeError:
        raise _Irregular from None
    neg = np.char.startswith(raw, b"-")
    body = np.where(neg, np.char.lstrip(raw, b"-"), raw)
    if bool((np.char.count(raw, b"-") > neg).any()):
        raise _Irregular
    digits = np.char.replace(body, b".", b"", count=1)
    if not bool(np.char.isdigit(digits).all()):  # also rejects an empty cell and a second dot
        raise _Irregular
    ndig = np.char.str_len(digits)
    if bool((ndig > 15).any()):
        raise _Irregular
    dot = np.char.find(body, b".")
    places = np.where(dot >= 0, np.char.str_len(body) - dot - 1, 0)
    s = int(places.max()) if len(places) else 0
    x = raw.astype(np.float64)
    p = float(10**s)
    y = np.rint(x * p)
    if not bool((y / p == x).all()) or bool((np.abs(y) >= MAX_FLOAT_MAGNITUDE).any()):
        raise _Irregular
    if bool((np.abs(x) > 1e12).any()):
        raise _Irregular  # the reader's magnitude limit: let it say so
    yi = y.astype(np.int64)
    return FixedColumn(yi, s, int(yi.min()), int(yi.max()))


__all__ = ["rank_csv"]
