"""Ranks and order within one batch (the rows of one ruleset and year).

Two checks:

* **Computed ranks.** Datasets often give a partial ranking (the top ten and the last place). A
  recomputed rank is only meaningful within the complete top of the ranking: if the published
  ranks of the rows with a total run 1, 2, …, m without a gap (ties allowed), ranks are compared
  for those rows and for rows whose recomputed rank is at most m; other rows get no computed rank.
  A batch with no published rank at all is taken as complete; ranks are given for information.
* **Order.** For every pair of rows with a published rank, the better-ranked row must be able to
  score at least as high: each published total stands for a value within half a unit of its last
  digit, so the order is contradicted when the better-ranked row's value plus its half-unit is still
  at or below the other's value minus its half-unit (83.32 ranked 11th, 83.33 ranked 12th: 83.325 ≤
  83.325, contradicted; 83.3 ranked 11th, 83.32 ranked 12th: 83.35 > 83.315, possible).
"""

from __future__ import annotations

from parindex.analysis.reproduce.verdict import OrderIssue, RowResult
from parindex.model.decimals import EXACT
from parindex.scoring.ranking import ranks


def rank_batch(batch: list[RowResult], ties: str) -> None:
    """Computed ranks within one ruleset and year, limited to the complete top of the ranking."""
    keyed = [r for r in batch if r.rank_key is not None]
    for r in batch:
        if r.rank_key is None and r.row.rank is not None:
            r.notes.append("no rank: the row has no total to rank by")
    if not keyed:
        return
    computed = ranks([r.rank_key for r in keyed if r.rank_key is not None], ties)  # type: ignore[arg-type]
    published = sorted(r.row.rank for r in keyed if r.row.rank is not None)
    if not published:
        for r, rank in zip(keyed, computed, strict=True):
            r.computed_rank = rank
            r.notes.append(f"rank among the {len(keyed)} rows of this year (no rank published)")
        return
    complete = 0  # the longest prefix 1, 2, … of published ranks (ties allowed)
    for i, rank in enumerate(published, start=1):
        if rank == i or (i > 1 and rank == published[i - 2] and rank <= i):
            complete = i
        else:
            break
    for r, rank in zip(keyed, computed, strict=True):
        in_top = (r.row.rank is not None and r.row.rank <= complete) or rank <= complete
        if in_top:
            r.computed_rank = rank
            r.rank_checked = r.row.rank is not None
        else:
            r.notes.append(
                f"no rank: the rows give a complete ranking only down to {complete}"
                if complete
                else "no rank: the rows do not include rank 1"
            )


def check_order(batch: list[RowResult]) -> None:
    """Record, on each row, a row it is ranked against whose total contradicts the ranks.

    For every row the most contradicting counterpart on each side is kept: among the rows ranked
    worse, the one whose lowest possible value is highest; among the rows ranked better, the one
    whose highest possible value is lowest. A row in a contradicted pair is therefore always
    reported (with its worst counterpart), in O(n log n) for n rows.
    """
    ranked = sorted(
        (r for r in batch if r.row.rank is not None and r.order_value is not None),
        key=lambda r: (r.row.rank or 0, r.row.line),
    )
    n = len(ranked)
    if n < 2:
        return
    high = [EXACT.add(r.order_value, r.order_half) for r in ranked]  # type: ignore[arg-type]
    low = [EXACT.subtract(r.order_value, r.order_half) for r in ranked]  # type: ignore[arg-type]
    # first[i]: where the tie group of row i starts; after[i]: where the next rank starts
    first = [0] * n
    for i in range(1, n):
        first[i] = first[i - 1] if ranked[i].row.rank == ranked[i - 1].row.rank else i
    after = [n] * n
    for i in range(n - 2, -1, -1):
        after[i] = after[i + 1] if ranked[i].row.rank == ranked[i + 1].row.rank else i + 1
    # suffix[i]: the index, from i on, of the highest `low`; prefix[i]: up to i, the lowest `high`
    suffix = list(range(n))
    for i in range(n - 2, -1, -1):
        if low[suffix[i + 1]] > low[i]:
            suffix[i] = suffix[i + 1]
    prefix = list(range(n))
    for i in range(1, n):
        if high[prefix[i - 1]] < high[i]:
            prefix[i] = prefix[i - 1]
    for i, r in enumerate(ranked):
        if after[i] < n:
            j = suffix[after[i]]
            if high[i] <= low[j]:
                r.order_issues.append(_issue(ranked[j], above=True))
        if first[i] > 0:
            j = prefix[first[i] - 1]
            if high[j] <= low[i]:
                r.order_issues.append(_issue(ranked[j], above=False))


def _issue(other: RowResult, *, above: bool) -> OrderIssue:
    assert other.row.rank is not None and other.order_value is not None
    return OrderIssue(other.row.unit, other.row.rank, other.order_value, above)
