"""Where each node of a ruleset sits: its view and its parent, by code.

An amendment names nodes by code only; applying it, and comparing two versions, need to know
where a code sits in the trees.
"""

from __future__ import annotations

from dataclasses import dataclass

from parindex.model.documents import Node, Ruleset


@dataclass(frozen=True)
class Place:
    """Where a node sits: its view and its parent's code (None at the top)."""

    view: str
    parent: str | None
    node: Node


def places(ruleset: Ruleset) -> dict[str, Place]:
    """Every node of every view, by code, in tree order."""
    out: dict[str, Place] = {}

    def visit(nodes: tuple[Node, ...], parent: str | None, view: str) -> None:
        for node in nodes:
            out.setdefault(node.code, Place(view, parent, node))
            visit(node.children, node.code, view)

    for view in ruleset.view_names:
        visit(ruleset.view_nodes(view), None, view)
    return out


__all__ = ["Place", "places"]
