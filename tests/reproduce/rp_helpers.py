"""Helpers of the reproduce tests: the synthetic ruleset ``test.mixed`` and file writing."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

#: ``test.mixed``: A = A.1 + A.2 + A.3, B = B.1 + B.2, and C; total = A + B + C; no maxima.
MIXED_TREE: dict[str, tuple[str, ...]] = {"A": ("A.1", "A.2", "A.3"), "B": ("B.1", "B.2"), "C": ()}
MIXED_LEAVES = ("A.1", "A.2", "A.3", "B.1", "B.2", "C")
MIXED_YEAR = 2000


def mixed_ruleset() -> dict[str, object]:
    def node(code: str, children: tuple[str, ...]) -> dict[str, object]:
        out: dict[str, object] = {"code": code, "title": f"node {code}"}
        if children:
            out["children"] = [{"code": c, "title": f"node {c}"} for c in children]
        return out

    return {
        "id": "test.mixed",
        "version": "1",
        "years": [MIXED_YEAR],
        "unit_kind": "province",
        "title": "synthetic: three nodes, two with children, no maxima",
        "source": {"document": "synthetic test ruleset"},
        "status": "confirmed",
        "rounding": {"places": 2, "mode": "half_up"},
        "nodes": [node(code, children) for code, children in MIXED_TREE.items()],
    }


def write(tmp_path: Path, text: str, name: str = "pub.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rounded(value: Decimal, decimals: int) -> str:
    """``value`` rounded half-up to ``decimals`` decimals, written with all of them."""
    return format(value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), "f")


def half(decimals: int) -> Decimal:
    """Half a unit of the last of ``decimals`` decimals: 0.005 for 2."""
    return Decimal(5).scaleb(-(decimals + 1))
