"""The node tree of a score card, and the points each node lost (exactly: maximum − points)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from parindex.model.decimals import CONTEXT, ZERO
from parindex.model.documents import NodeScore, ScoreCard


def lost_points(node: NodeScore) -> Decimal | None:
    """Points below the node's (applicable) maximum; None when the maximum is not published."""
    if node.maximum is None or node.points is None:
        return None
    return CONTEXT.subtract(node.maximum, node.points)


@dataclass(frozen=True)
class CardTree:
    """Parent/child links of a score card's nodes, in the card's (pre-)order."""

    card: ScoreCard

    @property
    def nodes(self) -> tuple[NodeScore, ...]:
        return self.card.nodes

    def by_code(self) -> dict[str, NodeScore]:
        return {n.code: n for n in self.card.nodes}

    def children(self) -> dict[str | None, list[NodeScore]]:
        out: dict[str | None, list[NodeScore]] = {}
        for n in self.card.nodes:
            out.setdefault(n.parent, []).append(n)
        return out

    def tops(self) -> list[NodeScore]:
        return self.children().get(None, [])

    def ancestors(self, code: str) -> list[str]:
        """``code`` and its ancestors, nearest first."""
        index = self.by_code()
        out = []
        cur: str | None = code
        while cur is not None:
            out.append(cur)
            node = index.get(cur)
            cur = node.parent if node is not None else None
        return out

    def at_depth(self, depth: int | None) -> Iterator[NodeScore]:
        """The nodes that cut the tree at ``depth`` (0 = top level; None = the scored leaves):
        every node at that depth plus every shallower node that has no scored children."""
        kids = self.children()
        for n in self.card.nodes:
            is_leaf = not kids.get(n.code)
            if (depth is None and is_leaf) or (
                depth is not None and (n.depth == depth or (n.depth < depth and is_leaf))
            ):
                yield n

    def total_lost(self) -> tuple[Decimal | None, list[str]]:
        """All points lost, and notes. From the card's maximum when it is known, else the sum
        over the top-level nodes whose maximum is."""
        notes: list[str] = []
        if self.card.maximum is not None:
            return CONTEXT.subtract(self.card.maximum, self.card.total_exact), notes
        known = [lost_points(n) for n in self.tops()]
        if all(v is None for v in known):
            notes.append(
                "no maximum is published for the total or any top-level node, so no"
                " lost points can be computed"
            )
            return None, notes
        missing = [n.code for n, v in zip(self.tops(), known, strict=True) if v is None]
        if missing:
            notes.append(
                "the total maximum is not published; lost points are summed over the"
                f" top-level nodes that have one (not {', '.join(missing)})"
            )
        return sum((v for v in known if v is not None), ZERO), notes

    def finest_partition(self) -> tuple[list[tuple[NodeScore, Decimal]], list[str]]:
        """Split every top-level node's lost points down the tree as far as maxima allow.

        A node is split into its children only when every child's lost points are known and add
        up exactly to the node's; otherwise the node is kept whole. So the parts always add up to
        the lost points of the top-level nodes that have a maximum. Returns the parts and the codes
        of top-level nodes whose lost points are unknown."""
        kids = self.children()
        parts: list[tuple[NodeScore, Decimal]] = []
        unknown: list[str] = []

        def visit(node: NodeScore) -> None:
            lost = lost_points(node)
            if lost is None:
                unknown.append(node.code)
                return
            below = kids.get(node.code, [])
            child_lost = [lost_points(c) for c in below]
            if (
                below
                and all(v is not None for v in child_lost)
                and sum((v for v in child_lost if v is not None), ZERO) == lost
            ):
                for c in below:
                    visit(c)
            else:
                parts.append((node, lost))

        for top in self.tops():
            visit(top)
        return parts, unknown


__all__ = ["CardTree", "lost_points"]
