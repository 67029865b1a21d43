"""Hypothesis profiles for the whole suite.

CI and a plain ``pytest`` run the ``ci`` profile: derandomised (every property test draws the same
examples on every machine), no example database, so a red run is always reproducible with the
same command. ``PARINDEX_HYPOTHESIS_PROFILE=explore pytest`` draws fresh random examples and keeps
a database, to go on looking for failures; hypothesis prints the seed of any failure
(``--hypothesis-seed=N`` replays it), and each one found becomes an explicit example.
The profile in force is printed in pytest's header.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)

_PROFILE = os.environ.get("PARINDEX_HYPOTHESIS_PROFILE", "ci")
if _PROFILE not in {"ci", "explore"}:
    raise SystemExit(
        f"PARINDEX_HYPOTHESIS_PROFILE={_PROFILE!r}: the profiles are 'ci' and 'explore'"
    )
settings.load_profile(_PROFILE)
