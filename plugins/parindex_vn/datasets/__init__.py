"""Published datasets bundled with parindex, for ``parindex reproduce --dataset NAME``.

Each dataset is a CSV in the published-dataset format (see ``docs/reproduce.md``) with a sidecar
``<name>.dataset.yaml`` naming its sources and how it was converted. They are generated from the
research data by ``tools/convert_datasets.py``; do not edit them by hand.
"""

from __future__ import annotations

from pathlib import Path

from parindex.hookspecs import hookimpl

DATASETS_DIR = Path(__file__).resolve().parent


def dataset_files() -> list[Path]:
    """The sidecar file of every bundled dataset, sorted by name."""
    return sorted(DATASETS_DIR.glob("*.dataset.yaml"))


@hookimpl
def parindex_datasets() -> list[Path]:
    return dataset_files()
