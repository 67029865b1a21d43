#!/usr/bin/env python3
"""The peer benchmark (../shared/bench/: a naive Decimal loop, OpenFisca-Core and parindex on the
same 100-leaf ruleset), run with this folder's parindex adapter.

The shared scripts are imported from where they are, not copied; only the adapter is this
project's (the shared one names ``parindex.fast``, which moved to ``parindex.scoring.fast``).
Run from the project root, in a separate venv with OpenFisca-Core and parindex installed
(../shared/bench/README.md; ``peers-venv/`` is git-ignored). The ``numba`` extra gives the batch
path its fused loops (without it the pure-numpy path is timed); editable, so the venv follows
the working tree::

    python3 -m venv peers-venv && peers-venv/bin/pip install -q openfisca-core -e ".[numba]"
    peers-venv/bin/python benchmarks/peers/run.py 1 100 10000 100000
    peers-venv/bin/python benchmarks/peers/run.py --naive-max 100000 1000000

``BENCH_REF_CACHE=DIR`` keeps the naive reference's cents for N ≥ 100,000 there (by default
``.bench-ref-cache/`` in the current folder).

The arguments are run_peers.py's. ``PEERS_DIR`` points to another copy of the shared folder.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("PEERS_DIR", HERE.parents[1].parent / "shared" / "bench"))


def main() -> None:
    sys.path[:0] = [str(HERE), str(SHARED)]  # this folder first: its adapter is the one imported
    import parindex_adapter  # noqa: F401  (cached: run_peers.py's own import finds this one)

    import parindex.scoring.fast

    # run_peers.py imports the old module name up front (so that no peer's build time includes
    # imports); it gets the module that name moved to
    sys.modules.setdefault("parindex.fast", parindex.scoring.fast)
    sys.argv[0] = str(SHARED / "run_peers.py")
    runpy.run_path(str(SHARED / "run_peers.py"), run_name="__main__")


if __name__ == "__main__":
    main()
