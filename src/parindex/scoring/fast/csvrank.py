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

from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from parindex.model.documents import ScoreCard, TieRule
from parindex.model.errors import ParindexError
from parindex.model.text import clean_text, find_control
from parindex.scoring.fast.batch import compiled_for, default_rule
from parindex.scoring.fast.kernel import (
    I64,
    FixedColumn,
    Scored,
    rank_keys,
    score_plan,
)
from parindex.scoring.ranking import RankedColumns, RankedTable


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
    return rank_columns(
        path, ties=ties, params=params, registry=registry, default_ties=default_ties
    ).table()


def rank_columns(
    path: str | Path,
    *,
    ties: TieRule | None = None,
    params: str | Path | None = None,
    registry: Any = None,
    default_ties: Literal["competition", "ruleset"] = "competition",
) -> RankedTable | RankedColumns:
    """:func:`rank_csv`'s ranking as it is first made: columns when the file was read the fast
    way (a renderer can print them without an entry per unit; ``.table()`` gives the table),
    the standard path's table otherwise."""
    try:
        return _columns(path, ties, params, registry, default_ties)
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
    """The fast reading's table (:class:`_Irregular` when the file needs the standard one)."""
    return _columns(path, ties, params, registry, default_ties).table()


def _columns(
    path: str | Path,
    ties: TieRule | None,
    params: str | Path | None,
    registry: Any,
    default_ties: str,
) -> RankedColumns:
    from parindex.io.assessment_csv import META, REQUIRED
    from parindex.io.loading import assessment_from_data
    from parindex.io.yamlfile import read_text
    from parindex.scoring import engine
    from parindex.scoring import scorer as api

    text = read_text(path)
    header, meta, body, values = _read_table(text, META)
    at = {h: i for i, h in enumerate(header)}
    if any(c not in header for c in REQUIRED) or "view" in header:
        raise _Irregular
    cols = list(zip(*meta, strict=True))
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
    if len(set(ids)) != len(ids) or not all(ids):
        raise _Irregular
    names = [c.strip() for c in cols[at["unit_name"]]] if "unit_name" in at else [""] * len(ids)
    codes = header[len(meta[0]) :]

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
            "inputs": dict(zip(codes, body[i].split(","), strict=True)),
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
    labels = [g.label for g in compiled.groups]
    order = np.argsort(ranks, kind="stable")
    named = [names[i] or ids[i] for i in order.tolist()]
    ordered_ids = [ids[i] for i in order.tolist()]
    try:
        ordered_ids, named = _clean(ordered_ids), _clean(named)
    except ValueError:  # a refused character (a control character): the reference reader says where
        raise _Irregular from None
    return RankedColumns(
        ruleset=ruleset.id,
        year=year,
        by="index" if by_index else "total",
        ties=rule_name,
        ranks=ranks[order].tolist(),
        ids=ordered_ids,
        names=named,
        totals=scored.totals[order].tolist(),
        indices=scored.indices[order].tolist(),
        known=scored.known[order].tolist(),
        groups=[None if g < 0 else labels[g] for g in scored.groups[order].tolist()],
        tied=tied[order].tolist(),
        scale=compiled.places,
    )


def _clean(texts: list[str]) -> list[str]:
    """``texts`` as a unit's ``CleanStr`` fields validate them: NFC, control characters refused
    (a :class:`ValueError`). ASCII without a refused character is its own normal form: the
    whole list is checked at once."""
    joined = "".join(texts)
    if joined.isascii() and find_control(joined) is None:
        return texts
    return [clean_text(t) for t in texts]


def _read_table(
    text: str, meta_names: set[str]
) -> tuple[list[str], list[list[str]], list[str], dict[str, FixedColumn]]:
    """The common shape, read without a Python object per cell: a header whose description
    columns (``meta_names``) come first, then node codes; one row per line, no quoting, every
    node cell a plain decimal number. Gives the header, each row's description cells, each row's
    number cells as one text, and the numbers as columns; anything else is irregular."""
    if '"' in text:
        raise _Irregular  # quoting: the csv module's reading decides
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            raise _Irregular
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    header = [h.strip() for h in lines[0].split(",")]
    if any(not h for h in header) or len(set(header)) != len(header):
        raise _Irregular
    k = 0
    while k < len(header) and header[k] in meta_names:
        k += 1
    codes = header[k:]
    if not codes or any(c in meta_names for c in codes) or k == 0:
        raise _Irregular
    meta: list[list[str]] = []
    body: list[str] = []
    for line in lines[1:]:
        if not line.strip():
            continue  # a blank line (the reference reader skips it too)
        parts = line.split(",", k)
        if len(parts) != k + 1:
            raise _Irregular
        body.append(parts.pop())
        meta.append(parts)
    if not body:
        raise _Irregular
    try:
        block = "\n".join(body).encode("ascii")
    except UnicodeEncodeError:
        raise _Irregular from None
    values = _decimal_cells(block, len(body), len(codes))
    return header, meta, body, dict(zip(codes, values, strict=True))


#: The bytes a number cell may hold (besides the separators): digits, a point, a minus sign.
_NUMBER_BYTES = np.zeros(256, dtype=np.bool_)
_NUMBER_BYTES[list(b"0123456789.-,\n")] = True
#: The widest cell read here: 15 characters hold at most 15 digits, which a float64 keeps exactly.
_WIDTH = 15


#: Bytes of number cells read at once (whole rows): every work array of a piece (~30 bytes per
#: byte read) stays in the processor's cache, instead of ~1.5 GB passing through memory for
#: 100,000 rows of 100 cells.
_BLOCK_BYTES = 1 << 16
_POWERS = 10.0 ** np.arange(_WIDTH + 1)
_INT_POWERS = 10 ** np.arange(_WIDTH + 1, dtype=np.int64)
#: Each byte's digit (0 for anything else).
_DIGIT = np.zeros(256, dtype=np.int64)
_DIGIT[48:58] = np.arange(10)


def _digit_values(buf: npt.NDArray[np.uint8], ends: I64) -> I64:
    """The digits of each cell of ``buf`` (cells end at ``ends``, each followed by one
    separator; every cell at least one byte) read as one integer, ignoring a point and a sign:
    each digit times ten to the number of digits after it in its cell, summed per cell as the
    difference of a running sum at the cell's ends. The running sum may pass 2**63 on a long
    piece and wrap; a difference of two wrapped sums is still exact (modulo 2**64), and every
    cell's value is below 10**15."""
    is_digit = (buf >= 48) & (buf <= 57)
    after = np.cumsum(is_digit, dtype=np.int32)  # digits up to and including each byte
    starts = np.empty(len(ends), dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    last = after[ends - 1]  # digits up to each cell's last byte
    seg = np.empty(len(ends), dtype=np.int64)  # bytes of each cell with its separator
    seg[:-1] = starts[1:] - starts[:-1]
    seg[-1] = len(buf) - starts[-1]
    exponent = np.repeat(last, seg) - after
    np.clip(exponent, 0, _WIDTH, out=exponent)  # (separators and points only: no digit there)
    terms = _INT_POWERS[exponent]
    terms *= _DIGIT[buf]  # 0 for anything but a digit
    running = np.cumsum(terms)
    out: I64 = running[ends - 1]
    out[1:] -= running[ends[:-1]]  # the sum up to each cell's separator before it
    return out


def _decimal_cells(block: bytes, rows: int, m: int) -> list[FixedColumn]:
    """``rows`` lines of ``m`` comma-separated plain decimals (``-12.50``, ``3``, ``.5``) as exact
    integer columns, at each column's largest number of decimal places; irregular unless every
    cell is ``-?digits?(.digits?)`` with one to 15 characters and at least one digit.

    The shape is checked on the bytes at once (where the separators, points and minus signs
    are), a piece of whole rows at a time; a cell of at most 15 characters has at most 15
    digits, which a float64 keeps exactly."""
    buf = np.frombuffer(block, dtype=np.uint8)
    if not bool(_NUMBER_BYTES[buf].all()):
        raise _Irregular
    newlines = np.flatnonzero(buf == 10)
    if len(newlines) != rows - 1:
        raise _Irregular
    line_starts = np.empty(rows, dtype=np.int64)
    line_starts[0] = 0
    line_starts[1:] = newlines + 1
    # one column's values side by side, written a piece at a time (a piece's transpose stays in
    # the cache; the whole table's would pass ~1.6 GB through memory for 100,000 rows)
    ints = np.empty((m, rows), dtype=np.int64)
    at = np.empty((m, rows), dtype=np.int8)  # decimal places: at most 14
    step = max(1, _BLOCK_BYTES // (int(line_starts[1]) if rows > 1 else len(buf) + 1))
    for a in range(0, rows, step):
        b = min(rows, a + step)
        first = int(line_starts[a])
        last = int(line_starts[b]) - 1 if b < rows else len(buf)
        digits, places = _piece(buf[first:last], b - a, m)
        ints[:, a:b] = digits.T
        at[:, a:b] = places.T
    scale = at.max(axis=1).astype(np.int64)
    mixed = np.flatnonzero((at != scale[:, None].astype(np.int8)).any(axis=1))
    for j in mixed.tolist():  # a column whose cells have different numbers of places
        shift = scale[j] - at[j].astype(np.int64)
        # at the column's scale every value must keep to 15 digits (as a float64 would); a
        # column at one number of places does: a cell holds at most 15 digits
        if float((np.abs(ints[j]) * _POWERS[shift]).max()) >= 1e15:
            raise _Irregular
        ints[j] *= _INT_POWERS[shift]
    lo_, hi_ = ints.min(axis=1), ints.max(axis=1)
    # the reader's magnitude limit (below 3 places): let it say so
    limit = np.where(scale < 3, 10**12 * _INT_POWERS[np.minimum(scale, 2)], np.iinfo(np.int64).max)
    if bool((np.maximum(hi_, -lo_) > limit).any()):
        raise _Irregular
    lo, hi = lo_.tolist(), hi_.tolist()
    return [FixedColumn(ints[j], int(scale[j]), lo[j], hi[j]) for j in range(m)]


def _piece(buf: npt.NDArray[np.uint8], rows: int, m: int) -> tuple[I64, I64]:
    """Whole rows of number cells: each cell's digits as an integer (with its sign) and its
    number of decimal places, ``rows`` × ``m``; irregular when the piece is not that shape."""
    is_sep = (buf == 44) | (buf == 10)
    seps = np.flatnonzero(is_sep)
    ncell = rows * m
    if len(seps) != ncell - 1 or (m > 1 and not bool((buf[seps[m - 1 :: m]] == 10).all())):
        raise _Irregular
    ends = np.empty(ncell, dtype=np.int64)
    ends[:-1] = seps
    ends[-1] = len(buf)
    length = np.empty(ncell, dtype=np.int64)
    length[0] = ends[0]
    np.subtract(ends[1:], ends[:-1] + 1, out=length[1:])
    if bool((length < 1).any()) or bool((length > _WIDTH).any()):
        raise _Irregular
    # the cell each byte is in: the separators before it
    cell_of = np.cumsum(is_sep, dtype=np.int32)
    dots = np.flatnonzero(buf == 46)
    dcell = cell_of[dots]  # the cell each point is in
    if not bool((dcell[1:] > dcell[:-1]).all()):
        raise _Irregular  # two points in a cell
    minus = np.flatnonzero(buf == 45)
    mcell = cell_of[minus]
    if not bool((minus == (ends - length)[mcell]).all()):
        raise _Irregular  # a minus sign anywhere but first
    ndigits = length.copy()
    ndigits[dcell] -= 1
    ndigits[mcell] -= 1
    if bool((ndigits < 1).any()):
        raise _Irregular
    places = np.zeros(ncell, dtype=np.int64)
    places[dcell] = ends[dcell] - dots - 1
    digits = _digit_values(buf, ends)
    digits[mcell] *= -1
    return digits.reshape(rows, m), places.reshape(rows, m)


__all__ = ["rank_columns", "rank_csv"]
