"""Fuzzing the loaders: arbitrary and mutated YAML, JSON and bytes; only ParindexError escapes."""

from __future__ import annotations

import atexit
import itertools
import shutil
import tempfile
from pathlib import Path
from typing import Any

import fuzz_harness
from fuzz_make import fuzz
from fuzz_strategies import (
    any_text,
    base_data,
    dump_json,
    dump_yaml,
    mutated,
    mutated_text,
    values,
)
from hypothesis import strategies as st

import parindex_core_rules
from parindex import api
from parindex.analysis.planning.responsibility import map_from_data
from parindex.analysis.planning.targets import targets_from_data
from parindex.io.assessment_csv import assessments_from_csv
from parindex.io.loading import assessment_from_data, ruleset_from_data
from parindex.io.parameters import apply_parameters, parameters_from_data
from parindex.io.registry import Registry
from parindex.io.yamlfile import load_yaml, load_yaml_file
from parindex.testing.strategies import ruleset_data

REPO = Path(__file__).resolve().parents[2]
REG = Registry([parindex_core_rules], entry_points=False)
for _name in ("test.province.yaml", "test.params.yaml"):
    REG.add(api.load_ruleset(REPO / "tests" / "badinput" / "base" / _name, registry=REG))
KINDS = REG.rule_kinds
PARAMS_BASE = REG.get("test.params", 2023)

RULESET = base_data("test.province.yaml")
ASSESSMENT = base_data("assessment.yaml")
PARAMETERS = base_data("params.yaml")
RESPONSIBILITY = load_yaml_file(
    REPO / "plugins" / "parindex_vn" / "responsibility" / "yen-bai-2021.yaml"
)[0]
TARGETS = load_yaml_file(REPO / "examples" / "targets" / "yen-bai-2021.yaml")[0]

TMP = Path(tempfile.mkdtemp(prefix="parindex-fuzz-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
_COUNTER = itertools.count()


def _each(*loads: Any) -> None:
    """Run every loader; each may reject the data, none may raise anything else."""
    fuzz_harness.each(*loads)  # counts each loader's outcome: a swallowed error is no accept


# ----------------------------------------------------------------------------- text and bytes
@fuzz(any_text)
def check_yaml_text(text: str) -> None:
    data, lines = load_yaml(text, file="fuzz.yaml")
    _each(
        lambda: ruleset_from_data(data, KINDS, lines),
        lambda: assessment_from_data(data, lines),
        lambda: parameters_from_data(data, lines),
        lambda: map_from_data(data, lines),
        lambda: targets_from_data(data, lines),
    )


test_yaml_text, test_yaml_text_long = check_yaml_text


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


file_bytes = st.one_of(
    st.binary(max_size=600),
    st.builds(
        _encoded, any_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1258"])
    ),
    mutated_text(RULESET).map(lambda t: t.encode("utf-8")),
)


@fuzz(file_bytes)
def check_file_bytes(blob: bytes) -> None:
    path = TMP / f"f{next(_COUNTER) % 64}.yaml"
    path.write_bytes(blob)
    _each(
        lambda: load_yaml_file(path),
        lambda: assessments_from_csv(path),
        lambda: api.load_ruleset(path, registry=REG),
        lambda: api.score(path, registry=REG),
    )


test_file_bytes, test_file_bytes_long = check_file_bytes


# ----------------------------------------------------------------------------- rulesets
ruleset_inputs = st.one_of(
    mutated(RULESET),
    ruleset_data().flatmap(lambda d: mutated(d)),
    values,
)


@fuzz(ruleset_inputs)
def check_ruleset_data(data: Any) -> None:
    ruleset_from_data(data, KINDS)


test_ruleset_data, test_ruleset_data_long = check_ruleset_data


@fuzz(st.one_of(mutated_text(RULESET), mutated_text(RULESET, dump_json)))
def check_ruleset_text(text: str) -> None:
    data, lines = load_yaml(text, file="fuzz.yaml")
    ruleset_from_data(data, KINDS, lines)


test_ruleset_text, test_ruleset_text_long = check_ruleset_text


# ----------------------------------------------------------------------------- assessments
@fuzz(st.one_of(mutated(ASSESSMENT), mutated_text(ASSESSMENT)))
def check_assessment(example: Any) -> None:
    if isinstance(example, str):
        path = TMP / f"a{next(_COUNTER) % 64}.yaml"
        path.write_text(example, encoding="utf-8")
        api.score(path, registry=REG)
    else:
        api.score(example if isinstance(example, dict) else {"inputs": example}, registry=REG)


test_assessment, test_assessment_long = check_assessment


# ----------------------------------------------------------------------------- parameter files
@fuzz(st.one_of(mutated(PARAMETERS), mutated_text(PARAMETERS)))
def check_parameters(example: Any) -> None:
    if isinstance(example, str):
        data, lines = load_yaml(example, file="fuzz.yaml")
    else:
        data, lines = example, None
    apply_parameters(PARAMS_BASE, parameters_from_data(data, lines), lines)


test_parameters, test_parameters_long = check_parameters


# ----------------------------------------------------------------------------- planning files
@fuzz(
    st.one_of(
        mutated(RESPONSIBILITY),
        mutated(TARGETS),
        mutated_text(RESPONSIBILITY),
        mutated_text(TARGETS),
    )
)
def check_planning_files(example: Any) -> None:
    if isinstance(example, str):
        data, lines = load_yaml(example, file="fuzz.yaml")
    else:
        data, lines = example, None
    _each(lambda: map_from_data(data, lines), lambda: targets_from_data(data, lines))


test_planning_files, test_planning_files_long = check_planning_files


def test_dumpers_round_trip() -> None:
    # the text strategies start from the valid files: their dumps must load back unchanged
    data, lines = load_yaml(dump_yaml(RULESET))
    assert ruleset_from_data(data, KINDS, lines).id == "test.province"
    data, lines = load_yaml(dump_json(ASSESSMENT))
    assert assessment_from_data(data, lines).year == 2020
