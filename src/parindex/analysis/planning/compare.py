"""Comparing two score cards: two years, or self-assessed against appraised points.

Per node: points, percentage and maximum in each, and the change. When the two cards were scored
with different ruleset versions, nodes whose rules changed are flagged, so that a drop caused by a
new rule is not read as a drop in performance. Rules are compared on the rulesets themselves when
both are at hand (same content hash as the cards' receipts); otherwise on what the cards record
(maximum, method, the rule's description, the children), and a node whose rule a card does not
show is marked unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from parindex.analysis.planning.errors import PlanningError
from parindex.analysis.planning.inputs import ruleset_of
from parindex.io.registry import Registry
from parindex.model.decimals import CONTEXT, HUNDRED, canonical, round_to
from parindex.model.documents import Dec, Frozen, Node, NodeScore, Ruleset, ScoreCard, Text, Unit
from parindex.scoring.ranking import rank as rank_cards


class Side(Frozen):
    label: str
    unit: Unit
    ruleset: str
    version: str
    year: int
    total: Dec | None
    index: Dec | None
    group: str | None
    rank: int | None = None
    of: int | None = None
    places: int = 2


class NodeDelta(Frozen):
    code: str
    title: Text
    depth: int
    points_a: Dec | None
    points_b: Dec | None
    delta: Dec | None
    percent_a: Dec | None
    percent_b: Dec | None
    percent_delta: Dec | None
    maximum_a: Dec | None
    maximum_b: Dec | None
    #: True: the node's rules changed (or a rule below it did); False: unchanged; None: unknown.
    rules_changed: bool | None
    changes: tuple[str, ...] = ()


class Comparison(Frozen):
    a: Side
    b: Side
    same_rules: bool
    rule_basis: str
    rows: tuple[NodeDelta, ...]
    notes: tuple[str, ...] = ()

    @property
    def total_delta(self) -> Decimal | None:
        return _sub(self.b.total, self.a.total)

    @property
    def index_delta(self) -> Decimal | None:
        return _sub(self.b.index, self.a.index)


def _sub(b: Decimal | None, a: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else CONTEXT.subtract(b, a)


def code_key(code: str) -> tuple[tuple[int, str, int], ...]:
    """Natural order of codes: 1.2 < 1.10, D2 < D10."""
    out = []
    for part in code.split("."):
        head = part.rstrip("0123456789")
        digits = part[len(head) :]
        out.append((0 if not head else 1, head, int(digits) if digits else -1))
    return tuple(out)


def _node_rules(ruleset: Ruleset) -> dict[str, tuple[dict[str, Any], Node]]:
    out = {}
    for _, node in ruleset.all_nodes():
        spec = node.model_dump(
            mode="json", exclude={"title", "note", "source", "status", "children", "lead_agency"}
        )
        spec["children"] = [c.code for c in node.children]
        spec["not_applicable"] = ruleset.na_policy(node)
        out[node.code] = (spec, node)
    return out


def _describe(key: str, a: Any, b: Any) -> str:
    def show(v: Any) -> str:
        if isinstance(v, dict):
            return str(v.get("kind", v))
        if isinstance(v, list):  # the children's codes, as people write them (no Python repr)
            return ", ".join(map(str, v)) or "none"
        return "none" if v is None else str(v)

    return f"{key}: {show(a)} → {show(b)}"


def _rule_changes_from_rulesets(ra: Ruleset, rb: Ruleset) -> tuple[dict[str, list[str]], list[str]]:
    na, nb = _node_rules(ra), _node_rules(rb)
    changes: dict[str, list[str]] = {}
    for code in set(na) | set(nb):
        if code not in na:
            changes[code] = [f"new in {rb.version}"]
        elif code not in nb:
            changes[code] = [f"not in {rb.version}"]
        else:
            (sa, node_a), (sb, node_b) = na[code], nb[code]
            diff = []
            for k in sorted(set(sa) | set(sb)):
                if sa.get(k) == sb.get(k):
                    continue
                if k == "rule":
                    diff.append(
                        _describe(
                            k,
                            node_a.rule.describe() if node_a.rule else None,
                            node_b.rule.describe() if node_b.rule else None,
                        )
                    )
                else:
                    diff.append(_describe(k, sa.get(k), sb.get(k)))
            if diff:
                changes[code] = diff
    notes = []
    for attr in ("rounding", "not_applicable", "maximum", "groups"):
        if getattr(ra, attr) != getattr(rb, attr):
            notes.append(
                f"ruleset {attr} changed between versions {ra.version} and"
                f" {rb.version}: group and index changes may come from it"
            )
    return changes, notes


def rule_changes(ra: Ruleset, rb: Ruleset) -> tuple[dict[str, list[str]], list[str]]:
    """What changed from ruleset ``ra`` to ``rb``: per node code, the changes of its own rule
    (maximum, method, rule, children; new or gone), and notes on the ruleset-wide settings
    (rounding, not-applicable policy, maximum, groups) that changed."""
    return _rule_changes_from_rulesets(ra, rb)


def _rule_changes_from_cards(a: ScoreCard, b: ScoreCard) -> tuple[dict[str, list[str]], set[str]]:
    na, nb = {n.code: n for n in a.nodes}, {n.code: n for n in b.nodes}
    kids_a: dict[str | None, list[str]] = {}
    kids_b: dict[str | None, list[str]] = {}
    for n in a.nodes:
        kids_a.setdefault(n.parent, []).append(n.code)
    for n in b.nodes:
        kids_b.setdefault(n.parent, []).append(n.code)
    changes: dict[str, list[str]] = {}
    unknown: set[str] = set()
    for code in set(na) | set(nb):
        if code not in na:
            changes[code] = [f"new in {b.version}"]
            continue
        if code not in nb:
            changes[code] = [f"not in {b.version}"]
            continue
        x, y = na[code], nb[code]
        diff = []
        if x.stated_maximum != y.stated_maximum:
            diff.append(_describe("maximum", x.stated_maximum, y.stated_maximum))
        if x.method != y.method:
            diff.append(_describe("method", x.method, y.method))
        rule_a = x.trace.rule if x.trace.how == "rule" else None
        rule_b = y.trace.rule if y.trace.how == "rule" else None
        if rule_a is not None and rule_b is not None:
            if rule_a != rule_b:
                diff.append(_describe("rule", rule_a, rule_b))
        elif x.trace.how == y.trace.how == "children":
            if kids_a.get(code, []) != kids_b.get(code, []):
                diff.append("children changed")
        elif not diff:
            unknown.add(code)  # a rule that neither card shows (points given, not applicable)
        if diff:
            changes[code] = diff
    return changes, unknown


def _side(card: ScoreCard, label: str, batch: Sequence[ScoreCard] | None) -> Side:
    rank = of = None
    if batch:
        cards = list(batch) if any(c.unit.id == card.unit.id for c in batch) else [*batch, card]
        table = rank_cards(cards)
        entry = next((e for e in table.entries if e.unit.id == card.unit.id), None)
        rank = entry.rank if entry else None
        of = len(table.entries)
    return Side(
        label=label,
        unit=card.unit,
        ruleset=card.ruleset,
        version=card.version,
        year=card.year,
        total=card.total,
        index=card.index,
        group=card.group,
        rank=rank,
        of=of,
        places=card.receipt.rounding.places,
    )


def compare(
    a: ScoreCard,
    b: ScoreCard,
    rulesets: Sequence[Ruleset] = (),
    batch_a: Sequence[ScoreCard] | None = None,
    batch_b: Sequence[ScoreCard] | None = None,
    registry: Registry | None = None,
) -> Comparison:
    """Node-by-node changes from ``a`` to ``b``, with rule changes flagged."""
    notes: list[str] = []
    if a.unit.id != b.unit.id:
        notes.append(f"the cards are for different units: {a.unit.id} and {b.unit.id}")
    if a.ruleset != b.ruleset:
        notes.append(
            f"the cards use different rulesets ({a.ruleset}, {b.ruleset}): codes are"
            " matched by name only"
        )
    same = a.receipt.content_hash == b.receipt.content_hash
    unknown: set[str] = set()
    if same:
        changes: dict[str, list[str]] = {}
        basis = "same ruleset content (equal hashes): no rule changed"
    else:
        ra, rb = ruleset_of(a, rulesets, registry), ruleset_of(b, rulesets, registry)
        if ra is not None and rb is not None:
            changes, more = _rule_changes_from_rulesets(ra, rb)
            notes.extend(more)
            basis = f"rulesets {ra.id} {ra.version} and {rb.id} {rb.version} compared node by node"
        else:
            changes, unknown = _rule_changes_from_cards(a, b)
            basis = (
                "score cards only (the rulesets are not at hand: give them with --ruleset):"
                " maxima, methods and rule descriptions compared"
            )
    return _build(
        a, b, changes, unknown, same, basis, notes, _side(a, "A", batch_a), _side(b, "B", batch_b)
    )


def _build(
    a: ScoreCard,
    b: ScoreCard,
    changes: dict[str, list[str]],
    unknown: set[str],
    same: bool,
    basis: str,
    notes: list[str],
    side_a: Side,
    side_b: Side,
    points_a: dict[str, Decimal | None] | None = None,
) -> Comparison:
    na: dict[str, NodeScore] = {n.code: n for n in a.nodes}
    nb: dict[str, NodeScore] = {n.code: n for n in b.nodes}
    parents = {n.code: n.parent for n in (*a.nodes, *b.nodes)}
    below: dict[str, list[str]] = {}
    for code in changes:
        cur = parents.get(code)
        while cur is not None:
            below.setdefault(cur, []).append(code)
            cur = parents.get(cur)
    rows = []
    for code in sorted(set(na) | set(nb), key=code_key):
        x, y = na.get(code), nb.get(code)
        ref = y or x
        assert ref is not None
        pa = points_a[code] if points_a is not None else (x.points if x else None)
        pb = y.points if y else None
        own = changes.get(code, [])
        sub = sorted(below.get(code, []), key=code_key)
        what = [*own, *([f"rules changed below: {', '.join(sub)}"] if sub else [])]
        changed: bool | None = bool(what)
        if not what and (code in unknown or any(u in unknown for u in _descendants(code, parents))):
            changed = None
        pct_a = x.percent if x and points_a is None else _pct(pa, x, a.receipt.rounding.places)
        rows.append(
            NodeDelta(
                code=code,
                title=ref.title,
                depth=ref.depth,
                points_a=pa,
                points_b=pb,
                delta=_sub(pb, pa),
                percent_a=pct_a,
                percent_b=y.percent if y else None,
                percent_delta=_sub(y.percent if y else None, pct_a),
                maximum_a=x.maximum if x else None,
                maximum_b=y.maximum if y else None,
                rules_changed=changed,
                changes=tuple(what),
            )
        )
    fell = [r for r in rows if r.delta is not None and r.delta < 0]
    flagged = [r.code for r in fell if r.rules_changed]
    if flagged:
        notes.append(
            f"{len(fell)} node(s) lost points; {len(flagged)} of them had their rules"
            f" changed ({', '.join(flagged)}): those drops may come from the new rules,"
            " not from performance"
        )
    if side_a.group != side_b.group and side_a.group is not None and side_b.group is not None:
        notes.append(f"group changed: {side_a.group or '—'} → {side_b.group or '—'}")
    return Comparison(
        a=side_a, b=side_b, same_rules=same, rule_basis=basis, rows=tuple(rows), notes=tuple(notes)
    )


def _descendants(code: str, parents: dict[str, str | None]) -> list[str]:
    return [c for c in parents if c != code and c.startswith(code + ".")]


def _pct(points: Decimal | None, node: NodeScore | None, places: int) -> Decimal | None:
    if points is None or node is None or not node.maximum:
        return None
    return round_to(CONTEXT.multiply(CONTEXT.divide(points, node.maximum), HUNDRED), places)


def compare_stages(card: ScoreCard) -> Comparison:
    """Self-assessed (A) against appraised (B) points of one card."""
    if card.self_total is None:
        raise PlanningError(
            f"the card of {card.unit.id} has no self-assessed stage to compare"
            " (its assessment gives no self/appraised values)",
            field="inputs",
        )
    points_a = {
        n.code: n.self_points if n.self_points is not None else n.points for n in card.nodes
    }
    side_a = Side(
        label="self-assessed",
        unit=card.unit,
        ruleset=card.ruleset,
        version=card.version,
        year=card.year,
        total=card.self_total,
        index=_index(card, card.self_total),
        group=None,
        places=card.receipt.rounding.places,
    )
    side_b = Side(
        label="appraised",
        unit=card.unit,
        ruleset=card.ruleset,
        version=card.version,
        year=card.year,
        total=card.appraised_total,
        index=card.index,
        group=card.group,
        places=card.receipt.rounding.places,
    )
    notes = [f"{card.changes} input(s) changed by the appraisal"]
    return _build(
        card,
        card,
        {},
        set(),
        True,
        "one card: self-assessed and appraised stages",
        notes,
        side_a,
        side_b,
        points_a,
    )


def _index(card: ScoreCard, total: Decimal) -> Decimal | None:
    if card.maximum is None or card.maximum == 0:
        return None
    return round_to(
        CONTEXT.multiply(CONTEXT.divide(total, card.maximum), HUNDRED),
        card.receipt.rounding.places,
        card.receipt.rounding.mode,
    )


def describe_delta(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = canonical(value)
    return text if value < 0 else f"+{text}"


__all__ = ["Comparison", "NodeDelta", "Side", "code_key", "compare", "compare_stages"]
