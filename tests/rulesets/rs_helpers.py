"""Helpers for the ruleset tests (a uniquely named module, so that it cannot be confused with
another folder's conftest). Expected values in these tests are worked out by hand from the rules,
with the arithmetic in a comment next to each; they are never computed by calling parindex.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def D(text: str) -> Decimal:
    """An exact decimal from text (never from a float)."""
    return Decimal(text)


def assessment(
    ruleset: str,
    year: int,
    inputs: dict[str, Any],
    *,
    view: str | None = None,
    unit: str = "test-unit",
) -> dict[str, Any]:
    """A plain-data assessment, as a YAML file would give it."""
    data: dict[str, Any] = {
        "ruleset": ruleset,
        "year": year,
        "unit": {"id": unit},
        "inputs": inputs,
    }
    if view is not None:
        data["view"] = view
    return data
