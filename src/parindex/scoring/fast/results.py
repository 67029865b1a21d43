"""What scoring a batch gives: per-plan :class:`Scored` rows, and the :class:`BatchResult`
handed to the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt

from parindex.scoring.fast.fixed import I64, Bool


@dataclass
class BatchResult:
    """Scores of a batch. Totals and indices are integers: ``totals[i] / 10**places``.

    ``valid[i]`` is False for a unit the reference engine would reject (only with
    ``errors="mask"``; by default the first such unit's error is raised). ``index_known[i]`` is
    False where the unit has no index (no known maximum, or every item excluded); ``indices`` is
    None when no unit has one. ``groups[i]`` is a position in ``group_labels`` (−1: no group).
    ``ranks`` rank the valid units under the tie rule by index, or by total unless every unit has
    an index (0 for invalid units). ``reference_rows`` lists units scored by the reference engine
    (exact ties reached through an inexact Decimal step, or shapes the fast path leaves to it).
    """

    places: int
    totals: I64
    indices: I64 | None
    index_known: Bool
    groups: npt.NDArray[np.int16]
    group_labels: tuple[str | None, ...]
    ranks: I64
    ranked_by: Literal["index", "total"]
    valid: Bool
    reference_rows: npt.NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    #: "reference" when the numbers did not fit int64 and the whole batch went to the engine
    engine: Literal["fast", "reference"] = "fast"

    def __len__(self) -> int:
        return len(self.totals)

    def total(self, i: int) -> Decimal:
        return Decimal(int(self.totals[i])).scaleb(-self.places)

    def index(self, i: int) -> Decimal | None:
        if self.indices is None or not self.index_known[i]:
            return None
        return Decimal(int(self.indices[i])).scaleb(-self.places)

    def group(self, i: int) -> str | None:
        g = int(self.groups[i])
        return None if g < 0 else self.group_labels[g]


@dataclass
class Scored:
    """Per-unit results before ranking (several plans' results are merged in a batch)."""

    totals: I64
    indices: I64
    known: Bool  # the unit has an index
    groups: npt.NDArray[np.int16]
    valid: Bool
    reference_rows: list[int]
    whole_reference: bool = False

    def put(self, start: int, part: Scored) -> None:
        """Store the results of the chunk of units that begins at unit ``start``."""
        stop = start + len(part.totals)
        self.totals[start:stop] = part.totals
        self.indices[start:stop] = part.indices
        self.known[start:stop] = part.known
        self.groups[start:stop] = part.groups
        self.valid[start:stop] = part.valid
        self.reference_rows.extend(start + i for i in part.reference_rows)
        self.whole_reference = self.whole_reference or part.whole_reference

    @classmethod
    def empty(cls, n: int) -> Scored:
        return cls(
            np.zeros(n, np.int64),
            np.zeros(n, np.int64),
            np.zeros(n, np.bool_),
            np.full(n, -1, np.int16),
            np.zeros(n, np.bool_),
            [],
        )


__all__ = ["BatchResult", "Scored"]
