"""The counters of SIPAS units: answers per item and level, and who answered what.

Per unit and item only ``levels + 1`` counters are kept (blank, 1, …, levels). The line reader adds
to a unit's Python lists (:class:`UnitTally`); the block reader (:mod:`.sipas_blocks`) adds whole
blocks to one numpy array with a row per unit (:class:`BlockCounts`). A unit's counts are the sum
of both, in exact integers.

Who answered what (to count respondents and to reject an item answered twice) is kept in one of
two ways. In *ordered* mode a unit keeps only the respondent being read and that respondent's bit
mask of items: it holds while every unit's respondents come one after another, each in one run of
lines, in the order of :func:`comes_after` (a file written respondent by respondent, with
increasing numbers). Memory is then bounded by units × items, whatever the number of
respondents. The first respondent out of that order is reported (:class:`OutOfOrder`) and the
reader starts again in *exact* mode, which keeps one bit mask per respondent of every unit
(``respondents``), for a file in any order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["BlockCounts", "OutOfOrder", "UnitTally", "comes_after"]


class OutOfOrder(Exception):
    """A respondent came out of ordered mode's order: the file must be read in exact mode.

    Internal to the reader, never shown: the reader catches it and starts again."""


def comes_after(respondent: str, last: str) -> bool:
    """Whether ``respondent`` comes after ``last`` in ordered mode's order: shorter first, then
    by code point, so that ``r9`` comes before ``r10`` as it does before ``r11``."""
    return len(respondent) > len(last) or (len(respondent) == len(last) and respondent > last)


@dataclass
class UnitTally:
    counts: list[list[int]]  # per item index: [blank, 1, ..., levels], counted line by line
    #: exact mode: respondent → bit mask of items; None in ordered mode
    respondents: dict[str, int] | None = None
    last: str = ""  # ordered mode: the respondent being read ("" before the first)
    mask: int = 0  # ordered mode: the items ``last`` answered
    people: int = 0  # ordered mode: the respondents counted
    answers: int = 0  # counted line by line

    @classmethod
    def empty(cls, items: int, levels: int, *, exact: bool) -> UnitTally:
        return cls([[0] * (levels + 1) for _ in range(items)], {} if exact else None)

    @property
    def respondent_count(self) -> int:
        return self.people if self.respondents is None else len(self.respondents)


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
