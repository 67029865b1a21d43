"""The counters of SIPAS units: answers per item and level, and who answered what.

Per unit and item only ``levels + 1`` counters are kept (blank, 1, …, levels), plus one bit mask of
answered items per respondent (to reject an item answered twice and to count respondents). The
line reader adds to a unit's Python lists (:class:`UnitTally`); the block reader
(:mod:`.sipas_blocks`) adds whole blocks to one numpy array with a row per unit
(:class:`BlockCounts`). A unit's counts are the sum of both, in exact integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["BlockCounts", "UnitTally"]


@dataclass
class UnitTally:
    counts: list[list[int]]  # per item index: [blank, 1, ..., levels], counted line by line
    respondents: dict[str, int] = field(default_factory=dict)  # respondent → bit mask of items
    answers: int = 0  # counted line by line

    @classmethod
    def empty(cls, items: int, levels: int) -> UnitTally:
        return cls([[0] * (levels + 1) for _ in range(items)])


class BlockCounts:
    """The counters added a block at a time: ``array[row, item, level]``, one row per unit."""

    def __init__(self, items: int, levels: int) -> None:
        self.rows: dict[str, int] = {}
        self.array: NDArray[np.int64] = np.zeros((4, items, levels + 1), dtype=np.int64)

    def rows_of(self, units: Sequence[str]) -> NDArray[np.intp]:
        """The rows of ``units``, given rows when new (the array grows by doubling)."""
        rows = [self.rows.setdefault(unit, len(self.rows)) for unit in units]
        if len(self.rows) > len(self.array):
            grown = np.zeros((2 * len(self.rows), *self.array.shape[1:]), dtype=np.int64)
            grown[: len(self.array)] = self.array
            self.array = grown
        return np.asarray(rows, dtype=np.intp)

    def add(self, rows: NDArray[np.intp], counts: NDArray[np.int64]) -> None:
        """Add ``counts[k]`` to the unit of row ``rows[k]`` (the rows are distinct)."""
        self.array[rows] += counts

    def total(self, unit: str, tally: UnitTally) -> tuple[list[list[int]], int]:
        """The unit's counts per item and its answers: ``tally``'s plus the blocks'."""
        row = self.rows.get(unit)
        if row is None:
            return tally.counts, tally.answers
        more = self.array[row]
        counts = [
            [a + b for a, b in zip(mine, theirs, strict=True)]
            for mine, theirs in zip(tally.counts, more.tolist(), strict=True)
        ]
        return counts, tally.answers + int(more.sum())
