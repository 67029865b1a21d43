"""Ranks from integer keys, vectorised: one batch (:func:`rank_keys`) or many draws at once
(:func:`rank_rows`), under the same tie rules as :func:`parindex.scoring.ranking.ranks`."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from parindex.scoring.fast.fixed import I64


def rank_keys(keys: I64, ties: str) -> I64:
    """Ranks (1 = best; higher key is better) under a tie rule, as
    :func:`parindex.scoring.ranking.ranks` computes them: the sort is stable, so ordinal ranks keep
    the input order among ties.

    Keys are integers (rounded indices or totals in units of the last place), so when their range
    is small the ranks come from counting (O(n)) instead of sorting."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n <= SMALL:
        return np.asarray(rank_few(keys.tolist(), ties), dtype=np.int64)
    if ties != "ordinal":
        lo, hi = int(keys.min()), int(keys.max())
        span = hi - lo + 1
        if span <= max(4 * n, 1 << 16):
            k = keys - lo if lo else keys
            counts = np.bincount(k, minlength=span)
            greater = n - np.cumsum(counts)  # how many keys are above each value
            if ties == "competition":
                table = greater + 1
            elif ties == "modified":
                table = greater + counts
            else:  # dense
                present = counts > 0
                table = int(present.sum()) - np.cumsum(present) + 1
            # every k is in range by construction; "clip" skips the buffered copy "raise" makes
            out: I64 = table.take(k, mode="clip").astype(np.int64, copy=False)
            return out
    order = np.argsort(-keys, kind="stable")
    sk = keys[order]
    pos = np.arange(n, dtype=np.int64)
    new = np.empty(n, dtype=np.bool_)
    new[0] = True
    np.not_equal(sk[1:], sk[:-1], out=new[1:])
    if ties == "competition":
        ranked = np.maximum.accumulate(np.where(new, pos, 0)) + 1
    elif ties == "dense":
        ranked = np.cumsum(new, dtype=np.int64)
    elif ties == "ordinal":
        ranked = pos + 1
    else:  # modified: the worst rank of the block
        last = np.empty(n, dtype=np.bool_)
        last[-1] = True
        last[:-1] = new[1:]
        ends = np.where(last, pos, n)
        ranked = np.minimum.accumulate(ends[::-1])[::-1] + 1
    result = np.empty(n, dtype=np.int64)
    result[order] = ranked
    return result


#: Up to this many keys, ranks are counted in Python: numpy's calls cost more than the counting.
SMALL = 8


def rank_few(keys: list[int], ties: str) -> list[int]:
    """:func:`rank_keys` of a few keys (a list, at most :data:`SMALL` of them), by comparing
    every pair."""
    if ties == "ordinal":  # by key, then by position (a stable sort)
        out = [0] * len(keys)
        for pos, i in enumerate(sorted(range(len(keys)), key=lambda i: -keys[i])):
            out[i] = pos + 1
        return out
    if ties == "dense":
        distinct = set(keys)
        return [1 + sum(k > x for k in distinct) for x in keys]
    if ties == "modified":  # the worst rank of the block: how many keys are at least as good
        return [sum(k >= x for k in keys) for x in keys]
    return [1 + sum(k > x for k in keys) for x in keys]  # competition


def rank_rows(keys: I64, ties: str) -> npt.NDArray[np.int32]:
    """:func:`rank_keys` for every row of a 2-D array at once (one row per draw)."""
    m, n = keys.shape
    out = np.empty((m, n), dtype=np.int32)
    if n == 0:
        return out
    order = np.argsort(-keys, axis=1, kind="stable")
    sk = np.take_along_axis(keys, order, axis=1)
    pos = np.broadcast_to(np.arange(n, dtype=np.int32), (m, n))
    new = np.ones((m, n), dtype=np.bool_)
    np.not_equal(sk[:, 1:], sk[:, :-1], out=new[:, 1:])
    if ties == "competition":
        ranked = np.maximum.accumulate(np.where(new, pos, 0), axis=1) + 1
    elif ties == "dense":
        ranked = np.cumsum(new, axis=1, dtype=np.int32)
    elif ties == "ordinal":
        ranked = pos + 1
    else:  # modified
        last = np.ones((m, n), dtype=np.bool_)
        last[:, :-1] = new[:, 1:]
        ends = np.where(last, pos, n)
        ranked = np.minimum.accumulate(ends[:, ::-1], axis=1)[:, ::-1] + 1
    np.put_along_axis(out, order, ranked.astype(np.int32), axis=1)
    return out


__all__ = ["SMALL", "rank_few", "rank_keys", "rank_rows"]
