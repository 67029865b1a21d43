"""Vietnam's official rulesets (MoHA provincial PAR INDEX, Sơn La, PAPI, SIPAS) as a plugin.

The YAML files live in the repository's top-level ``rulesets/`` folder; the wheel carries them
inside this package (``parindex_vn/rulesets``), so they travel with a plain ``pip install``.
"""

from __future__ import annotations

from pathlib import Path

from parindex.io.plugins import RulesetSource, hookimpl, rulesets_in
from parindex_vn.datasets import parindex_datasets  # noqa: F401  (hookimpl: published datasets)


def rulesets_dir() -> Path:
    installed = Path(__file__).parent / "rulesets"
    if installed.is_dir():
        return installed
    # a source checkout (editable install): <repo>/plugins/parindex_vn → <repo>/rulesets
    return Path(__file__).resolve().parents[2] / "rulesets"


@hookimpl
def parindex_rulesets() -> list[RulesetSource]:
    return rulesets_in(rulesets_dir())
