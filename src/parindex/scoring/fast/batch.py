"""Batch entry points: score arrays of inputs, or rank a list of assessments, on the fast path."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError

from parindex.model.documents import Assessment, Ruleset, ScoreCard, TieRule
from parindex.model.errors import InputValueError, ParindexError
from parindex.model.locations import LineMap
from parindex.model.rules import Rule
from parindex.scoring.fast.compile import (
    Column,
    CompiledRuleset,
    Given,
    MissingPolicy,
    Plan,
    Signature,
    compile_ruleset,
)
from parindex.scoring.fast.kernel import (
    BatchResult,
    Errors,
    FixedColumn,
    RawColumn,
    Scored,
    Scratch,
    Unsupported,
    apply_reference,
    fixed_from_decimals,
    rank_keys,
    score_plan,
)
from parindex.scoring.fast.ranks import SMALL, rank_few
from parindex.scoring.fast.small import SMALL_BATCH, score_small_batch
from parindex.scoring.ranking import TIE_RULES, RankedEntry, RankedTable

I64 = npt.NDArray[np.int64]

_CACHE: dict[int, tuple[Ruleset, CompiledRuleset]] = {}


def compiled_for(ruleset: Ruleset | CompiledRuleset) -> CompiledRuleset:
    """The compiled form of ``ruleset`` (cached per ruleset object)."""
    if isinstance(ruleset, CompiledRuleset):
        return ruleset
    got = _CACHE.get(id(ruleset))
    if got is not None and got[0] is ruleset:
        return got[1]
    compiled = compile_ruleset(ruleset)
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[id(ruleset)] = (ruleset, compiled)
    return compiled


def default_rule() -> type[Rule] | None:
    """The rule the engine applies to a leaf without one: the registered ``points`` kind (None
    when no plugin registers it; the engine then says so)."""
    from parindex.io.registry import default_registry

    return default_registry().rule_kinds.get("points")


def input_codes(ruleset: Ruleset | CompiledRuleset, view: str | None = None) -> list[str]:
    """The leaf codes of ``view`` in tree order: the column order of a 2-D input array."""
    c = compiled_for(ruleset)
    plan = c.plan(c.view_name(view), c.leaf_signature(view))
    return list(plan.codes)


# ---------------------------------------------------------------------- arrays
def score_batch(
    ruleset: Ruleset | CompiledRuleset,
    inputs: Mapping[str, Any] | npt.NDArray[Any],
    *,
    view: str | None = None,
    kinds: Mapping[str, Given] | None = None,
    missing: MissingPolicy = "error",
    decimals: int | Mapping[str, int] | None = None,
    errors: Errors = "raise",
    ties: TieRule | None = None,
    units: Sequence[str] | None = None,
    year: int | None = None,
) -> BatchResult:
    """Score many units at once; every total, index and group equals the reference engine's.

    ``inputs`` maps node codes to arrays of one value per unit — measures and points as floats
    (read as the decimals they print as: ``0.29`` is 29 hundredths) or integers, options as keys
    (text) or positions (integers), counts as integers, or :class:`FixedColumn` — or is a 2-D
    array whose columns follow :func:`input_codes`. Each code takes its rule's input by default;
    ``kinds`` overrides that (e.g. ``{"1.2": "points"}`` gives points directly). ``decimals``
    fixes the scale of float inputs (faster than finding it).

    With ``errors="raise"`` (the default) the first invalid unit raises exactly the error the
    reference engine raises for it; with ``"mask"`` invalid units are marked in ``valid``.
    """
    compiled = compiled_for(ruleset)
    rs = compiled.ruleset
    vname = compiled.view_name(view)
    if isinstance(inputs, np.ndarray):
        codes = input_codes(compiled, view)
        if inputs.ndim != 2 or inputs.shape[1] != len(codes):
            raise ValueError(f"a 2-D input array needs {len(codes)} columns: {', '.join(codes)}")
        data: Mapping[str, Any] = {c: inputs[:, j] for j, c in enumerate(codes)}
    else:
        data = inputs
    plan = _plan_for(compiled, vname, view, data, kinds, missing)
    try:  # arrays have a length, a FixedColumn's is that of its values
        lengths = set(map(len, data.values()))
    except TypeError:
        lengths = {len(v.values) if isinstance(v, FixedColumn) else len(v) for v in data.values()}
    if len(lengths) > 1:
        raise ValueError(f"input arrays differ in length: {sorted(lengths)}")
    n = lengths.pop() if lengths else 0
    yr = year if year is not None else rs.years[0]

    def name(i: int) -> str:
        return str(units[i]) if units is not None else f"row-{i}"

    def fallback(i: int) -> ScoreCard:
        from parindex.scoring import engine

        assessment = _row_assessment(rs, vname, plan, i, name(i), yr, missing, data)
        return engine.score(rs, assessment, default_rule())

    # a few units: Python integers, the same fields as numpy's (None: numpy decides)
    scored = (
        score_small_batch(compiled, plan, data, n, decimals, fallback) if n <= SMALL_BATCH else None
    )
    if scored is None:
        columns = {col.code: _column_input(data[col.code], col, decimals) for col in plan.columns}

        def load(col: Column, scratch: Scratch) -> FixedColumn | RawColumn:
            return columns[col.code]

        scored = score_plan(compiled, plan, load, n, fallback)
        if plan.static_error is not None and n:
            fallback(0)  # raises the engine's error
    result = _finish(compiled, scored, ties)
    if errors == "raise" and not result.valid.all():
        i = int(np.flatnonzero(~result.valid)[0])
        try:
            fallback(i)
        except ParindexError as err:
            err.message = f"unit {name(i)!r} (row {i}): {err.message}"
            raise
        raise AssertionError(f"fast path rejected row {i}, the reference engine accepted it")
    return result


def _plan_for(
    compiled: CompiledRuleset,
    vname: str,
    view: str | None,
    data: Mapping[str, Any],
    kinds: Mapping[str, Given] | None,
    missing: MissingPolicy,
) -> Plan:
    """The plan of arrays for ``data``'s codes: each takes its rule's input unless ``kinds``
    says otherwise (looked up by the codes in the order given when ``kinds`` is not given)."""
    key = (vname, tuple(data), missing) if not kinds else None
    plans = compiled.cache.get("array plans")
    if plans is None:
        plans = compiled.cache["array plans"] = {}
    got = plans.get(key) if key is not None else None
    if got is not None:
        assert isinstance(got, Plan)
        return got
    rs = compiled.ruleset
    nodes = compiled.cache.get(f"nodes of {vname}")
    if nodes is None:  # once per compiled ruleset and view: a walk of the tree costs per call
        nodes = compiled.cache[f"nodes of {vname}"] = {n.code: n for n in rs.iter_nodes(view)}
    items: list[tuple[str, Given]] = []
    for code in data:
        node = nodes.get(code)
        if node is None:
            raise ParindexError(
                f"unknown node code {code!r} for {rs.id} {rs.version} (view {vname!r})", code=code
            )
        default: Given = (
            node.rule.input_kind if node.rule is not None and not node.children else "points"
        )
        items.append((code, (kinds or {}).get(code, default)))
    signature: Signature = (tuple(sorted(items)), missing)
    plan = compiled.plan(vname, signature)
    if key is not None:
        if len(plans) > 256:
            plans.clear()
        plans[key] = plan
    return plan


def _column_input(
    values: Any, col: Column, decimals: int | Mapping[str, int] | None
) -> FixedColumn | RawColumn:
    """One column as the kernel reads it: read chunk by chunk as it is scored (a
    :class:`RawColumn`), unless it is fixed point already."""
    if isinstance(values, FixedColumn):
        return values
    dec = decimals.get(col.code) if isinstance(decimals, Mapping) else decimals
    return RawColumn(np.asarray(values), dec)


def _row_value(raw: Any, i: int) -> Any:
    if isinstance(raw, FixedColumn):
        return raw.decimal(i)
    v = np.asarray(raw)[i]
    if isinstance(v, np.floating):
        return Decimal(repr(float(v)))  # the decimal the float prints as (as YAML reads it)
    if isinstance(v, (np.integer, np.bool_)):
        return int(v)
    return v.item() if isinstance(v, np.generic) else v


def _row_assessment(
    rs: Ruleset,
    view: str,
    plan: Plan,
    i: int,
    unit: str,
    year: int,
    missing: MissingPolicy,
    data: Mapping[str, Any],
) -> Assessment:
    """Row ``i`` of array inputs as an assessment, for the reference engine."""
    inputs: dict[str, Any] = {}
    for col in plan.columns:
        v = _row_value(data[col.code], i)
        if col.input == "choice":
            if isinstance(v, int):
                key = col.options[v] if 0 <= v < len(col.options) else f"(position {v})"
            else:
                key = str(v)
            inputs[col.code] = {"choice": key}
        elif col.input == "count":
            cnt = int(v)
            if cnt != v or cnt < 0:
                raise InputValueError(f"count {v} is not a whole number ≥ 0", code=col.code)
            inputs[col.code] = {"count": cnt}
        else:
            inputs[col.code] = {col.input: v}
    for code, kind in plan.signature[0]:
        if kind == "not_applicable":
            inputs[code] = {"not_applicable": True}
    data = {
        "ruleset": rs.id,
        "year": year,
        "unit": {"id": unit},
        "missing": missing,
        "view": None if view == "main" else view,
        "inputs": inputs,
    }
    try:
        return Assessment.model_validate(data)
    except ValidationError as exc:  # e.g. points beyond the model's limit: the engine's refusal
        from parindex.io.schema_errors import schema_error

        raise schema_error(exc, data, LineMap(), what="assessment") from None


def _finish(compiled: CompiledRuleset, scored: Scored, ties: TieRule | None) -> BatchResult:
    if len(scored.valid) <= SMALL:
        return _finish_few(compiled, scored, ties)
    valid = scored.valid
    all_known = bool(scored.known[valid].all()) if bool(valid.any()) else False
    by: Literal["index", "total"] = "index" if all_known else "total"
    keys = scored.indices if all_known else scored.totals
    rule = ties or compiled.ties
    if bool(valid.all()):
        ranks = rank_keys(keys, rule)
    else:
        ranks = np.zeros(len(keys), dtype=np.int64)
        ranks[valid] = rank_keys(keys[valid], rule)
    return BatchResult(
        places=compiled.places,
        totals=scored.totals,
        indices=scored.indices if bool(scored.known.any()) else None,
        index_known=scored.known,
        groups=scored.groups,
        group_labels=_group_labels(compiled),
        ranks=ranks,
        ranked_by=by,
        valid=valid,
        reference_rows=np.asarray(sorted(scored.reference_rows), dtype=np.intp),
        engine="reference" if scored.whole_reference else "fast",
    )


def _finish_few(compiled: CompiledRuleset, scored: Scored, ties: TieRule | None) -> BatchResult:
    """:func:`_finish` of a few units, in Python lists: each numpy call costs more than the
    work (the same fields, of the same dtypes)."""
    valid: list[bool] = scored.valid.tolist()
    known: list[bool] = scored.known.tolist()
    good = [i for i, v in enumerate(valid) if v]
    all_known = bool(good) and all(known[i] for i in good)
    by: Literal["index", "total"] = "index" if all_known else "total"
    keys: list[int] = (scored.indices if all_known else scored.totals).tolist()
    ranks = [0] * len(valid)
    for i, r in zip(good, rank_few([keys[i] for i in good], ties or compiled.ties), strict=True):
        ranks[i] = r
    return BatchResult(
        places=compiled.places,
        totals=scored.totals,
        indices=scored.indices if any(known) else None,
        index_known=scored.known,
        groups=scored.groups,
        group_labels=_group_labels(compiled),
        ranks=np.array(ranks, dtype=np.int64),
        ranked_by=by,
        valid=scored.valid,
        reference_rows=np.array(sorted(scored.reference_rows), dtype=np.intp),
        engine="reference" if scored.whole_reference else "fast",
    )


def _group_labels(compiled: CompiledRuleset) -> tuple[str | None, ...]:
    got = compiled.cache.get("group labels")
    if got is None:
        got = compiled.cache["group labels"] = tuple(g.label for g in compiled.groups)
    assert isinstance(got, tuple)
    return got


# ---------------------------------------------------------------------- assessments
def _value_kind(a: Assessment, code: str) -> Given | None:
    entry = a.inputs[code]
    v = entry.value
    if v is None:
        return None  # self-assessed / appraised stages: the reference engine scores it
    return v.given  # type: ignore[return-value]


def _extract(
    plan: Plan, group: list[tuple[int, Assessment]]
) -> tuple[dict[str, FixedColumn], list[int], list[int]]:
    """Columns for the units of one plan: (columns, their unit numbers, units that do not fit
    the plan — a value of another kind, or self-assessed/appraised stages)."""
    kinds = dict(plan.signature[0])
    odd: set[int] = set()
    na = [code for code, kind in kinds.items() if kind == "not_applicable"]
    codes = [c.code for c in plan.columns]
    attrs = [c.input for c in plan.columns]
    got: list[list[Any]] = [[] for _ in codes]
    pairs = list(zip(codes, attrs, got, strict=True))
    # unit by unit: an assessment's values lie together in memory, a column's do not
    for pos, (_, a) in enumerate(group):
        inputs = a.inputs
        for code in na:
            v = inputs[code].value
            if v is None or not v.not_applicable:
                odd.add(pos)
        for code, attr, out in pairs:
            v = inputs[code].value
            x = None if v is None else getattr(v, attr)
            if x is None:
                odd.add(pos)
            out.append(x)
    keep = [pos for pos in range(len(group)) if pos not in odd]
    fixed: dict[str, FixedColumn] = {}
    for col, vals in zip(plan.columns, got, strict=True):
        vals2 = [vals[pos] for pos in keep] if odd else vals
        if col.input == "choice":
            where = {k: i for i, k in enumerate(col.options)}
            fixed[col.code] = FixedColumn(
                np.asarray([where.get(v, -1) for v in vals2], dtype=np.int64), 0
            )
        elif col.input == "count":
            fixed[col.code] = FixedColumn(np.asarray(vals2, dtype=np.int64), 0)
        else:
            fixed[col.code] = fixed_from_decimals(vals2)
    return fixed, [group[pos][0] for pos in keep], sorted(group[pos][0] for pos in odd)


def rank_batch(
    ruleset: Ruleset | CompiledRuleset,
    assessments: Sequence[Assessment],
    ties: TieRule | None = None,
    *,
    fallback: Callable[[int], ScoreCard] | None = None,
) -> RankedTable:
    """Score and rank assessments of one ruleset version: the same :class:`RankedTable` as
    ``api.rank(api.score_many(assessments), ties)``, and the same error for the first invalid
    assessment (raised by ``fallback(i)``, by default the reference engine on assessment i).

    Assessments with self-assessed/appraised stages, or of another ruleset or year, are scored by
    ``fallback``; so are the rare units whose exact total lies on a rounding tie reached through
    an inexact Decimal step (see :mod:`parindex.scoring.fast.kernel`).
    """
    compiled = compiled_for(ruleset)
    result = score_assessments(compiled, assessments, fallback=fallback)
    return _ranked_table(compiled, assessments, result, ties or "competition")


def score_assessments(
    ruleset: Ruleset | CompiledRuleset,
    assessments: Sequence[Assessment],
    *,
    fallback: Callable[[int], ScoreCard] | None = None,
    errors: Errors = "raise",
) -> BatchResult:
    """Totals, indices and groups of ``assessments`` (one ruleset version), without score cards."""
    import gc

    # Reading a million values allocates millions of small objects, and the cyclic garbage
    # collector would traverse every live assessment again and again: none of them form cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _score_assessments(ruleset, assessments, fallback, errors)
    finally:
        if enabled:
            gc.enable()


def _score_assessments(
    ruleset: Ruleset | CompiledRuleset,
    assessments: Sequence[Assessment],
    fallback: Callable[[int], ScoreCard] | None,
    errors: Errors,
) -> BatchResult:
    from parindex.scoring import engine

    compiled = compiled_for(ruleset)
    rs = compiled.ruleset

    def reference(i: int) -> ScoreCard:
        if fallback is not None:
            return fallback(i)
        return engine.score(rs, assessments[i], default_rule())

    n = len(assessments)
    out = Scored.empty(n)
    slow: list[int] = []
    work: list[tuple[tuple[Any, ...], list[tuple[int, Assessment]], bool]] = []
    by_key: dict[tuple[Any, ...], list[tuple[int, Assessment]]] = {}
    for i, a in enumerate(assessments):
        if (
            a.ruleset != rs.id
            or a.year not in rs.years
            or (a.version is not None and a.version != rs.version)
        ):
            slow.append(i)
            continue
        by_key.setdefault((tuple(a.inputs), a.missing, a.view), []).append((i, a))
    work.extend((key, group, False) for key, group in by_key.items())
    while work:
        key, group, exact = work.pop()
        codes = key[0]
        first = group[0][1]
        kinds = [_value_kind(first, c) for c in codes]
        fixed: dict[str, FixedColumn] = {}
        rows: list[int] = []
        plan: Plan | None = None
        if any(k is None for k in kinds):  # stages: regroup unit by unit
            odd = [i for i, _ in group]
        else:
            try:
                view = engine._choose_view(rs, first)
                engine._check_codes(rs, first, view)
            except ParindexError:
                slow.extend(i for i, _ in group)
                continue
            sig: Signature = (
                tuple(sorted(zip(codes, kinds, strict=True))),  # type: ignore[arg-type]
                key[1],
            )
            plan = compiled.plan(view, sig)
            try:
                fixed, rows, odd = _extract(plan, group)
            except Unsupported:
                slow.extend(i for i, _ in group)
                continue
        if odd:
            if exact:
                slow.extend(odd)
            else:  # units whose inputs have other kinds than the first's: group them exactly
                sub: dict[tuple[Any, ...], list[tuple[int, Assessment]]] = {}
                for i in odd:
                    a = assessments[i]
                    ks = tuple(_value_kind(a, c) for c in codes)
                    if None in ks:
                        slow.append(i)
                    else:
                        sub.setdefault((*key, ks), []).append((i, a))
                work.extend((k, g, True) for k, g in sub.items())
        if not rows or plan is None:
            continue
        scored = score_plan(compiled, plan, fixed, len(rows), _shifted(reference, rows))
        idx = np.asarray(rows, dtype=np.intp)
        out.totals[idx] = scored.totals
        out.indices[idx] = scored.indices
        out.known[idx] = scored.known
        out.groups[idx] = scored.groups
        out.valid[idx] = scored.valid
        out.reference_rows.extend(rows[j] for j in scored.reference_rows)
    if slow:
        apply_reference(compiled, sorted(slow), out, reference)
    if errors == "raise":
        bad = np.flatnonzero(~out.valid)
        if len(bad):
            i = int(bad[0])
            reference(i)  # raises the engine's error for the first invalid assessment
            raise AssertionError(f"fast path rejected assessment {i}; the engine accepted it")
    return _finish(compiled, out, None)


def _shifted(reference: Callable[[int], ScoreCard], rows: list[int]) -> Callable[[int], ScoreCard]:
    def call(j: int) -> ScoreCard:
        return reference(rows[j])

    return call


def _ranked_table(
    compiled: CompiledRuleset, assessments: Sequence[Assessment], result: BatchResult, ties: TieRule
) -> RankedTable:
    if not assessments:
        raise ParindexError("nothing to rank: no score cards given")
    years = {a.year for a in assessments}
    if len(years) > 1:
        raise ParindexError(f"cannot rank different years together: {sorted(years)}")
    ids = [a.unit.id for a in assessments]
    seen: set[str] = set()
    dup: set[str] = set()
    for u in ids:
        (dup if u in seen else seen).add(u)
    if dup:
        raise ParindexError(f"unit id(s) appear more than once: {', '.join(sorted(dup))}")
    by_index = result.ranked_by == "index" and result.indices is not None
    keys = result.indices if by_index and result.indices is not None else result.totals
    ranks = rank_keys(keys, ties)
    uniq, counts = np.unique(keys, return_counts=True)
    tied = counts[np.searchsorted(uniq, keys)] > 1
    order = np.argsort(ranks, kind="stable")
    entries = []
    for i in order.tolist():
        total = result.total(i)
        index = result.index(i)
        entries.append(
            RankedEntry.model_construct(
                rank=int(ranks[i]),
                unit=assessments[i].unit,
                key=index if by_index else total,
                total=total,
                index=index,
                group=result.group(i),
                tied=bool(tied[i]),
            )
        )
    return RankedTable(
        ruleset=compiled.ruleset.id,
        year=assessments[0].year,
        by=result.ranked_by,
        ties=ties,
        tie_rule=TIE_RULES[ties],
        entries=tuple(entries),
        unranked=(),
    )


__all__ = [
    "compiled_for",
    "input_codes",
    "rank_batch",
    "score_assessments",
    "score_batch",
]
