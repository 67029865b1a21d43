"""Whether the fused loops (:mod:`parindex.scoring.fast.fused_loops`, numba) are used.

They are when numba is installed (``pip install parindex[numba]``), the batch (or chunk) has at
least :data:`MIN_UNITS` units, and ``PARINDEX_NUMBA`` is not ``0``. Otherwise every column takes
the pure-numpy path, which gives the same integers: the fused loops compute exactly what
:func:`~parindex.scoring.fast.fixed.fixed_from_floats` and a lookup-table ``take`` compute, in one
pass instead of eight. numba is imported on first use, never by ``import parindex``.
"""

from __future__ import annotations

import os
from types import ModuleType

#: Below this many units numba's call overhead outweighs the passes it saves.
MIN_UNITS = 2048

_LOOPS: list[ModuleType | None] = []


def loops(n: int) -> ModuleType | None:
    """The compiled loops for a batch of ``n`` units, or None when numpy is to be used."""
    if n < MIN_UNITS or os.environ.get("PARINDEX_NUMBA", "1") == "0":
        return None
    if not _LOOPS:
        try:
            from parindex.scoring.fast import fused_loops
        except ImportError:  # numba is an optional extra
            _LOOPS.append(None)
        else:
            _LOOPS.append(fused_loops)
    return _LOOPS[0]


__all__ = ["MIN_UNITS", "loops"]
