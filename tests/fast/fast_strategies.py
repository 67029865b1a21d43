"""Hypothesis strategies: random valid rulesets and assessments for them (some invalid on purpose).

Numbers are drawn coarse (few decimals, a few "awkward" values such as 0.375 and targets such as
3) so that totals often fall exactly on a rounding boundary — half-cent ties, and ties reached
through an inexact Decimal division — where the fast path and the Decimal engine could disagree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

MAXIMA = [
    Decimal(x)
    for x in (
        "1",
        "2",
        "0.5",
        "0.375",
        "1.25",
        "3",
        "0.015",
        "10",
        "2.5",
        "0.3",
        "7",
        "1.005",
        "0.75",
        "4.5",
        "0.125",
    )
]
TARGETS = [Decimal(x) for x in ("1", "3", "0.3", "100", "2.5", "7", "0.8", "6")]
STEPS = [Decimal(x) for x in ("0.25", "0.5", "0.005", "1")]
KINDS = [
    "points",
    "given",
    "choice",
    "tiers",
    "proportional",
    "count",
    "deduction",
    "survey_scale",
    "percent_points",
]


def dec(draw: Any, places: int = 3, lo: int = 0, hi: int = 400) -> Decimal:
    k = draw(st.integers(lo, hi))
    p = draw(st.integers(0, places))
    return Decimal(k).scaleb(-p)


def _leaf(draw: Any, code: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    maximum: Decimal | None = draw(st.sampled_from(MAXIMA))
    if kind in ("points", "given") and draw(st.integers(0, 7)) == 0:
        maximum = None  # not published: the node is then unbounded
    node: dict[str, Any] = {"code": code}
    if maximum is not None:
        node["maximum"] = maximum
    if draw(st.integers(0, 9)) == 0:
        node["method"] = "survey"
    if kind == "given":
        return node
    if kind == "points":
        rule: dict[str, Any] = {"kind": "points"}
        if draw(st.booleans()):
            rule["step"] = draw(st.sampled_from(STEPS))
    elif kind == "choice":
        n = draw(st.integers(1, 4))
        opts = {}
        assert maximum is not None
        for i in range(n):
            frac = Decimal(draw(st.integers(0, 8))) / 8
            opts[f"o{i}"] = (maximum * frac).normalize()
        rule = {"kind": "choice", "options": opts}
    elif kind == "tiers":
        rule = _tiers(draw, maximum)
    elif kind == "proportional":
        rule = {"kind": "proportional", "target": draw(st.sampled_from(TARGETS))}
    elif kind == "count":
        rule = {"kind": "count", "per_item": draw(st.sampled_from(STEPS))}
        if draw(st.booleans()):
            rule["cap"] = maximum
    elif kind == "deduction":
        rule = {"kind": "deduction", "per_violation": draw(st.sampled_from([*STEPS, Decimal(3)]))}
    elif kind == "survey_scale":
        levels = draw(st.integers(3, 7))
        rule = {"kind": "survey_scale", "levels": levels, "lowest": draw(st.sampled_from([0, 1]))}
    else:
        rule = {
            "kind": "percent_points",
            "scale": draw(st.sampled_from([Decimal(100), Decimal(30), Decimal("2.5")])),
        }
    node["rule"] = rule
    return node


def _tiers(draw: Any, maximum: Decimal | None) -> dict[str, Any]:
    assert maximum is not None
    ncuts = draw(st.integers(0, 3))
    cuts = sorted({dec(draw, 2, 0, 120) for _ in range(ncuts)})
    with_domain = draw(st.booleans())
    bands = []
    edges: list[Decimal | None] = [None, *cuts, None]
    if with_domain:
        lo = Decimal(0)
        hi = Decimal(130)
        cuts = [c for c in cuts if lo < c < hi]
        edges = [lo, *cuts, hi]
    upper_incl = [draw(st.booleans()) for _ in edges]
    for i in range(len(edges) - 1):
        band: dict[str, Any] = {
            "points": (maximum * Decimal(draw(st.integers(0, 4))) / 4).normalize()
        }
        lo_e, hi_e = edges[i], edges[i + 1]
        if lo_e is not None:
            band["min"] = lo_e
            band["min_inclusive"] = True if (with_domain and i == 0) else not upper_incl[i]
        if hi_e is not None:
            band["max"] = hi_e
            last = i == len(edges) - 2
            band["max_inclusive"] = True if (with_domain and last) else upper_incl[i + 1]
        bands.append(band)
    order = draw(st.permutations(list(range(len(bands)))))
    rule: dict[str, Any] = {"kind": "tiers", "bands": [bands[i] for i in order]}
    if with_domain:
        rule["domain"] = {"min": Decimal(0), "max": Decimal(130)}
    return rule


def _tree(draw: Any, code: str, depth: int) -> dict[str, Any]:
    if depth >= 2 or draw(st.integers(0, 2)) == 0:
        return _leaf(draw, code)
    n = draw(st.integers(1, 3))
    children = [_tree(draw, f"{code}.{i + 1}", depth + 1) for i in range(n)]
    node: dict[str, Any] = {"code": code, "children": children}
    maxima = [c.get("maximum") for c in children]
    if all(m is not None for m in maxima) and draw(st.integers(0, 4)) > 0:
        node["maximum"] = sum((m for m in maxima if m is not None), Decimal(0))
    return node


@st.composite
def rulesets(draw: Any) -> dict[str, Any]:
    ntop = draw(st.integers(1, 4))
    tops = [_tree(draw, str(i + 1), 0) for i in range(ntop)]
    data: dict[str, Any] = {
        "id": "gen.test",
        "version": "1",
        "years": [2024],
        "unit_kind": "province",
        "source": {"document": "generated"},
        "rounding": {
            "places": draw(st.integers(0, 3)),
            "mode": draw(st.sampled_from(["half_up", "half_even", "down", "up"])),
        },
        "not_applicable": draw(st.sampled_from(["exclude", "full", "zero"])),
        "ranking": {"ties": draw(st.sampled_from(["competition", "dense", "ordinal", "modified"]))},
        "nodes": tops,
    }
    maxima = [t.get("maximum") for t in tops]
    if all(m is not None for m in maxima) and draw(st.booleans()):
        data["maximum"] = sum((m for m in maxima if m is not None), Decimal(0))
    ncuts = draw(st.integers(0, 3))
    if ncuts:
        cuts = sorted({dec(draw, 2, 1, 99) for _ in range(ncuts)})
        groups = [{"label": "Z", "min": Decimal(0), "published": draw(st.booleans())}]
        for i, c in enumerate(cuts):
            groups.append(
                {"label": chr(ord("A") + i), "min": c, "min_inclusive": draw(st.booleans())}
            )
        data["groups"] = groups
    return data


def leaves(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n in nodes:
        if n.get("children"):
            out.extend(leaves(n["children"]))
        else:
            out.append(n)
    return out


def internal(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n in nodes:
        if n.get("children"):
            out.append(n)
            out.extend(internal(n["children"]))
    return out


def _measure(draw: Any, rule: dict[str, Any]) -> Decimal:
    kind = rule["kind"]
    if kind == "tiers":
        edges = [b[k] for b in rule["bands"] for k in ("min", "max") if k in b]
        if edges and draw(st.booleans()):
            return Decimal(draw(st.sampled_from(edges)))
        return dec(draw, 3, -5, 140)
    if kind == "proportional":
        t = rule["target"]
        if draw(st.booleans()):
            return Decimal(draw(st.sampled_from([t, t / 2, t * 2, Decimal(1), Decimal(2), 0])))
        return dec(draw, 3, -10, 400)
    if kind == "survey_scale":
        return (
            dec(draw, 2, 0, 800) / 100 if draw(st.booleans()) else Decimal(draw(st.integers(0, 8)))
        )
    s = rule["scale"]
    return (
        draw(st.sampled_from([s, s / 2, s / 3 * 3, Decimal(0)]))
        if draw(st.booleans())
        else dec(draw, 3, -5, 300) / 2
    )


def _value(draw: Any, leaf: dict[str, Any]) -> Any:
    rule = leaf.get("rule")
    maximum = leaf.get("maximum")
    if draw(st.integers(0, 14)) == 0:
        return "not_applicable"
    if rule is not None and rule["kind"] != "points" and draw(st.integers(0, 12)) == 0:
        return {"points": dec(draw, 3, 0, 300)}  # points given directly, bypassing the rule
    if rule is None or rule["kind"] == "points":
        if maximum is not None and draw(st.integers(0, 5)) > 0:
            k = draw(st.integers(0, 8))
            return {"points": (maximum * k / 8).normalize()}
        return {"points": dec(draw, 3, -2, 50)}
    kind = rule["kind"]
    if kind == "choice":
        keys = list(rule["options"])
        return {
            "choice": draw(
                st.sampled_from([*keys, "nope"])
                if draw(st.integers(0, 9)) == 0
                else st.sampled_from(keys)
            )
        }
    if kind in ("count", "deduction"):
        return {"count": draw(st.integers(0, 12))}
    return {"measure": _measure(draw, rule)}


@st.composite
def assessments(draw: Any, data: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """``n`` assessments with one signature (most) or a few other shapes."""
    leafs = leaves(data["nodes"])
    inner = internal(data["nodes"])
    shape = draw(st.integers(0, 5))
    direct = draw(st.sampled_from(inner)) if inner and shape == 0 else None
    out = []
    for i in range(n):
        inputs: dict[str, Any] = {}
        for leaf in leafs:
            if direct is not None and leaf["code"].startswith(direct["code"] + "."):
                continue
            if shape == 1 and draw(st.integers(0, 5)) == 0:
                continue  # missing leaf
            inputs[leaf["code"]] = _value(draw, leaf)
        if direct is not None:
            m = direct.get("maximum")
            inputs[direct["code"]] = (
                (m * draw(st.integers(0, 8)) / 8).normalize() if m is not None else dec(draw, 2)
            )
        if shape == 2 and inputs and draw(st.integers(0, 4)) == 0:
            code = draw(st.sampled_from(sorted(inputs)))
            v = inputs[code]
            if isinstance(v, dict):
                inputs[code] = {"self": v, "appraised": v}
        a: dict[str, Any] = {"ruleset": data["id"], "year": 2024, "unit": f"u{i}", "inputs": inputs}
        if shape == 1:
            a["missing"] = "zero"
        out.append(a)
    return out
