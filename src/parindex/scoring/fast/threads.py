"""The threads a large batch is added on: the fused loops release the GIL, so the chunks of a
batch in its steady state (:func:`parindex.scoring.fast.kernel.score_plan`) are shared out to
every core the process may use. Each chunk writes only its own units, so the result does not
depend on how many threads there are or which took which chunk.

``PARINDEX_THREADS`` sets the number (1: no worker threads). By default it is the number of
cores the process may run on (at most :data:`MAX_THREADS`) less the cores other work keeps busy
(the one-minute load average beyond this process's own one, rounded): on a shared machine whose
other core is taken, a second thread would only wait for it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from parindex.model.errors import ParindexError

#: More threads than this gain nothing on the loops' memory traffic.
MAX_THREADS = 8

#: the worker pool and how many workers it has (made at the first batch that needs workers)
_POOL: list[tuple[int, ThreadPoolExecutor]] = []


def count() -> int:
    """How many threads a batch is added on."""
    given = os.environ.get("PARINDEX_THREADS", "").strip()
    if given:
        if not given.isdigit() or int(given) < 1:
            raise ParindexError(f"PARINDEX_THREADS must be a whole number ≥ 1, not {given!r}")
        return min(int(given), MAX_THREADS)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        busy = int(max(0.0, os.getloadavg()[0] - 1.0) + 0.5)
    except OSError:  # no load average on this system
        busy = 0
    return max(1, min((cores or 1) - busy, MAX_THREADS))


def run_spans(job: Callable[[int, int], int], spans: list[tuple[int, int]]) -> bool:
    """``job(start, stop)`` for every span, spans taken in turn by whichever thread is free;
    True when every call returned a negative number (the fused loops' "all read")."""
    k = min(count(), len(spans))
    if k <= 1:
        return all(job(a, b) < 0 for a, b in spans)
    lock = threading.Lock()
    todo: Iterator[tuple[int, int]] = iter(spans)
    failed: list[int] = []

    def work() -> None:
        while not failed:
            with lock:
                span = next(todo, None)
            if span is None:
                return
            if job(*span) >= 0:
                failed.append(1)

    if not _POOL or _POOL[0][0] < k - 1:
        if _POOL:  # a smaller pool: its idle workers end, and no thread is left behind
            _POOL[0][1].shutdown(wait=False)
        _POOL[:] = [(k - 1, ThreadPoolExecutor(max_workers=k - 1, thread_name_prefix="parindex"))]
    futures = [_POOL[0][1].submit(work) for _ in range(k - 1)]
    work()
    for f in futures:
        f.result()
    return not failed


__all__ = ["MAX_THREADS", "count", "run_spans"]
