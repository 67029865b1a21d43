"""Running a check on fuzzed input and classifying what escaped.

Only documented parindex errors (:class:`parindex.model.errors.ParindexError` and its
subclasses) may escape a loader, the scorer or a CSV reader. :func:`check` runs one example and
counts its outcome: ``accepted`` (no error), ``rejected`` (a ParindexError; with :func:`each`,
every loader's), ``partly rejected`` (some of several loaders refused it), ``known`` (an exception
matching a known core bug listed in :data:`KNOWN_CORE_BUGS`, with a strict xfail in the bad-input
corpus; counted, not hidden) or ``unexpected`` (anything else: the example fails and Hypothesis
shrinks it). The counts are printed at the end of the run and, with
``PARINDEX_FUZZ_REPORT=file.json``, written to a file.
"""

from __future__ import annotations

import os
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, settings

from parindex.io.yamlfile import env_whole_number
from parindex.model.errors import ParindexError

#: Examples per test in the short run (the default test suite, CI).
SHORT = env_whole_number("PARINDEX_FUZZ_SHORT", 300, 10**7, "examples per check, short run")
#: Examples per test in the long run (``-m slow``, or whenever PARINDEX_FUZZ_EXAMPLES is set);
#: 11 tests, so the default is 220,000 examples in all.
LONG = env_whole_number("PARINDEX_FUZZ_EXAMPLES", 20_000, 10**9, "examples per check, long run")

STATS: dict[str, Counter[str]] = defaultdict(Counter)
#: One example input per (test, outcome) that was not accepted or rejected, for the report.
SAMPLES: dict[str, str] = {}


def _frames(exc: BaseException) -> list[tuple[str, str]]:
    return [
        (frame.f_code.co_filename.replace(os.sep, "/"), frame.f_code.co_name)
        for frame, _ in traceback.walk_tb(exc.__traceback__)
    ]


#: Known core bugs (in files this test suite does not own), by name. Each has a strict xfail case
#: in tests/badinput/cases.yaml; remove the entry when the bug is fixed.
KNOWN_CORE_BUGS: dict[str, Callable[[BaseException], bool]] = {
    # none at present; the two found (decimals.to_decimal raising decimal.Overflow on a huge
    # exponent, reproduce.read_published letting csv.Error escape from the header) are fixed
}


def known_bug(exc: BaseException) -> str | None:
    for name, matches in KNOWN_CORE_BUGS.items():
        if matches(exc):
            return name
    return None


def _show(args: tuple[Any, ...]) -> str:
    try:
        return repr(args)[:300]
    except ValueError:  # e.g. an integer too long to print
        return "<cannot be printed>"


#: What each loader did with the example now running, when it runs several (see :func:`each`).
_PARTS: list[str] = []


def each(*loads: Callable[[], Any]) -> None:
    """Run every loader on one example; each may reject it, none may raise anything else.

    The example is counted ``accepted`` only when every loader accepted it, ``rejected`` when
    every one refused it, and ``partly rejected`` otherwise: an error swallowed so that the next
    loader can run must not make the example look accepted."""
    for load in loads:
        try:
            load()
        except ParindexError:
            _PARTS.append("rejected")
        else:
            _PARTS.append("accepted")


def _outcome() -> str:
    parts = set(_PARTS)
    if not parts or parts == {"accepted"}:
        return "accepted"
    return "rejected" if parts == {"rejected"} else "partly rejected"


def check(test: str, func: Callable[..., Any], *args: Any) -> None:
    """Run ``func(*args)``; only a ParindexError (or a known core bug) may escape."""
    _PARTS.clear()
    try:
        func(*args)
    except ParindexError:
        STATS[test]["rejected"] += 1
        return
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        bug = known_bug(exc)
        if bug is not None:
            STATS[test][f"known core bug: {bug}"] += 1
            SAMPLES.setdefault(f"{test}: {bug}", _show(args))
            return
        STATS[test]["unexpected"] += 1
        SAMPLES.setdefault(f"{test}: {type(exc).__name__}", _show(args))
        raise
    STATS[test][_outcome()] += 1


#: PARINDEX_FUZZ_SHRINK=0 reports a failing example as found, without shrinking it first.
SHRINK = os.environ.get("PARINDEX_FUZZ_SHRINK", "1") not in {"", "0"}


def fuzz_settings(examples: int) -> settings:
    phases = [p for p in Phase if SHRINK or p is not Phase.shrink]
    return settings(
        max_examples=examples,
        phases=phases,
        deadline=None,
        database=None,
        # the short run is the same on every machine; the long run explores
        derandomize=examples <= SHORT,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
