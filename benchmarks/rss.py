"""Resident memory of this process (Linux ``/proc/self``), for the benchmarks' child processes.

Peaks are read from ``VmHWM``, not ``ru_maxrss``: on Linux a child's ``ru_maxrss`` starts at its
parent's size (it is kept across fork and exec), so a child of a large parent (``run_all.py``
after its in-process rows) would report the parent's peak and hide what it added itself. Imports
nothing but the standard library, so importing it moves no baseline.
"""

from __future__ import annotations

import resource


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_kib() -> int:
    """The peak resident memory so far (since :func:`reset_peak`, when it worked), in KiB."""
    got = _status_kib("VmHWM")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss if got is None else got


def current_kib() -> int:
    """The resident memory now, in KiB."""
    got = _status_kib("VmRSS")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss if got is None else got


def reset_peak() -> bool:
    """Start the peak again from the memory now (Linux ≥ 4.0: ``5`` to ``clear_refs``); False
    when that cannot be done, the peak then being the process's since it started."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def trim() -> None:
    """Give the memory the C allocator holds free back to the system (glibc ``malloc_trim``), so
    that a baseline read next counts only memory in use: freed memory kept in the heap would be
    reused by what is measured and hide what it adds."""
    import contextlib
    import ctypes
    import ctypes.util

    with contextlib.suppress(OSError, AttributeError, TypeError):  # not glibc: nothing to do
        ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim(0)
