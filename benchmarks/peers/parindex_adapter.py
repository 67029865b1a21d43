"""parindex peer for run_peers.py: the synthetic JSON ruleset scored by parindex's batch path.

(The project's copy of ../shared/bench/parindex_adapter.py, updated for the move of
``parindex.fast`` to ``parindex.scoring.fast``; nothing else changed. benchmarks/peers/run.py
runs the shared benchmark with it.)

build(ruleset_json) -> model   (not in the per-batch time; timed separately as "build")
    1. converts the JSON to a parindex ruleset with the project's own converter
       (benchmarks/convert_synthetic.py of the parindex checkout, imported by path: JSON -> YAML
       text), reads it with the public ``parindex.load_ruleset`` (YAML file -> validated Ruleset),
    2. compiles it once with the public ``parindex.scoring.fast.compile_ruleset``.

score_batch(model, inputs) -> (totals, indices)   (the per-batch time)
    ``parindex.scoring.fast.score_batch(compiled, {code: array})`` -- the public array entry point
    (``parindex.scoring.fast.__all__``; docs/performance.md "Entry points"). It reads each float64
    column as the decimal it prints as, scores in exact int64 fixed point, and returns a
    BatchResult with totals and indices in integer cents (already rounded half-up, as the ruleset
    says), groups and ranks. Timed with it: clamping the ``points`` columns to [0, max]
    (``numpy.clip``), because the synthetic semantics clamp direct points while parindex rejects
    points above a leaf's maximum (benchmarks/convert_synthetic.py says so); a user with these
    semantics would have to do it. Not timed: nothing else -- the returned arrays are BatchResult's
    own int64 cents, wrapped in ``Cents`` (a zero-copy ndarray view) so that run_peers.py compares
    them as exact cents.

Run from the project root (the default PARINDEX_SRC is the current folder); set
PARINDEX_SRC to point elsewhere. Only benchmarks/convert_synthetic.py is read from there; parindex
itself is the installed (non-editable) package.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import numpy as np

PARINDEX_SRC = Path(os.environ.get("PARINDEX_SRC", os.getcwd()))


class Cents(np.ndarray):
    """int64 array of exact cents (value x 100); run_peers2.cents() passes it through as is."""


def _converter():
    path = PARINDEX_SRC / "benchmarks" / "convert_synthetic.py"
    spec = importlib.util.spec_from_file_location("parindex_convert_synthetic", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Model:
    def __init__(self, ruleset, compiled, clamp):
        self.ruleset = ruleset  # parindex.Ruleset
        self.compiled = compiled  # parindex.scoring.fast.CompiledRuleset
        self.clamp = clamp  # {points leaf code: float max}
        self.decimals = None  # or {code: places}: the "told the decimals" variant


def build(ruleset_json, decimals=None):
    import parindex
    from parindex.scoring.fast import compile_ruleset

    yaml_text = _converter().convert(ruleset_json)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.yaml"
        path.write_text(yaml_text, encoding="utf-8")
        ruleset = parindex.load_ruleset(path)
    compiled = compile_ruleset(ruleset)
    clamp = {}

    def walk(node):
        if "rule" in node:
            if node["rule"]["kind"] == "points":
                clamp[node["code"]] = float(node["max"])
        else:
            for ch in node["children"]:
                walk(ch)

    walk(ruleset_json["root"])
    model = Model(ruleset, compiled, clamp)
    model.decimals = decimals
    return model


def build_with_decimals(ruleset_json):
    """Variant: score_batch is told each float column's decimal places (2 for tiers and points,
    3 for proportional -- synth.py's documented input scales), which skips finding the scale."""
    places = {"tiers": 2, "points": 2, "proportional": 3}
    dec = {}

    def walk(node):
        if "rule" in node:
            k = node["rule"]["kind"]
            if k in places:
                dec[node["code"]] = places[k]
        else:
            for ch in node["children"]:
                walk(ch)

    walk(ruleset_json["root"])
    return build(ruleset_json, decimals=dec)


def score_batch(model, inputs):
    from parindex.scoring.fast import score_batch as fast_score_batch

    if model.clamp:
        inputs = dict(inputs)
        for code, mx in model.clamp.items():
            inputs[code] = np.clip(inputs[code], 0.0, mx)
    res = fast_score_batch(model.compiled, inputs, decimals=model.decimals)
    assert res.engine == "fast", res.engine
    return res.totals.view(Cents), res.indices.view(Cents)
