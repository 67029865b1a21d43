"""Vietnam's official rulesets (MoHA provincial PAR INDEX, Sơn La, PAPI, SIPAS) as a plugin, with
the published datasets (:mod:`parindex_vn.datasets`) and the provinces' responsibility maps
(``responsibility/``).

The YAML files live in the repository's top-level ``rulesets/`` folder; the wheel carries them
inside this package (``parindex_vn/rulesets``), so they travel with a plain ``pip install``.
"""

from __future__ import annotations

from pathlib import Path

from parindex.hookspecs import hookimpl
from parindex.model.sources import RulesetSource, rulesets_in
from parindex_vn.datasets import parindex_datasets  # noqa: F401  (hookimpl: published datasets)

RESPONSIBILITY_DIR = Path(__file__).resolve().parent / "responsibility"
#: Sourced reference files (hook ``parindex_reference_data``): survey maps, regions, 2025 mapping.
REFERENCE_DIRS = ("survey_maps", "regions", "reorganisation-2025")


def rulesets_dir() -> Path:
    installed = Path(__file__).parent / "rulesets"
    if installed.is_dir():
        return installed
    # a source checkout (editable install): <repo>/plugins/parindex_vn → <repo>/rulesets
    return Path(__file__).resolve().parents[2] / "rulesets"


@hookimpl
def parindex_rulesets() -> list[RulesetSource]:
    return rulesets_in(rulesets_dir())


@hookimpl
def parindex_responsibility_maps() -> list[Path]:
    """The lead-agency maps of the provinces' plans, found by name (``--responsibility NAME``)."""
    return sorted(RESPONSIBILITY_DIR.glob("*.yaml"))


@hookimpl
def parindex_reference_data() -> list[Path]:
    """Survey maps, the provinces' regions and the 2025 reorganisation, found by name."""
    here = Path(__file__).resolve().parent
    return sorted(p for d in REFERENCE_DIRS for p in (here / d).glob("*.yaml"))
