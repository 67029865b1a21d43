"""Fuzzing the shapes of issue 14: look-alike codes and keys, booleans and whole numbers.

Valid files with codes replaced by look-alikes (a Unicode digit, a decomposed accent, a space, a
second dot), booleans by ``yes`` or ``1``, years and counts by ``true`` or a huge Decimal, keys by
their decomposed twins. Only ParindexError may escape; and whatever is accepted obeys the rules:
every code follows the grammar, every text is in NFC, no boolean stands where a number is.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from fuzz_make import fuzz
from fuzz_strategies import base_data, shaped, shaped_text, unicode_codes
from hypothesis import strategies as st

import parindex_core_rules
from parindex import api
from parindex.io.loading import assessment_from_data, ruleset_from_data
from parindex.io.registry import Registry
from parindex.io.yamlfile import load_yaml
from parindex.model.documents import Assessment, Ruleset
from parindex.model.text import CODE, check_code, find_control

REPO = Path(__file__).resolve().parents[2]
REG = Registry([parindex_core_rules], entry_points=False)
REG.add(api.load_ruleset(REPO / "tests" / "badinput" / "base" / "test.province.yaml", registry=REG))
KINDS = REG.rule_kinds
RULESET = base_data("test.province.yaml")
ASSESSMENT = base_data("assessment.yaml")


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (*_texts(k), *_texts(v))]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


def _check_ruleset(ruleset: Ruleset) -> None:
    for _, node in ruleset.all_nodes():
        assert CODE.fullmatch(node.code), node.code
    assert all(type(y) is int for y in ruleset.years), ruleset.years
    assert type(ruleset.rounding.places) is int
    for band in ruleset.groups:
        assert type(band.min_inclusive) is bool and type(band.published) is bool
    for text in _texts(ruleset.model_dump()):
        assert unicodedata.is_normalized("NFC", text) and find_control(text) is None, repr(text)


def _check_assessment(assessment: Assessment) -> None:
    assert type(assessment.year) is int
    for entry in assessment.inputs.values():
        for value in (entry.value, entry.self_, entry.appraised):
            if value is not None:
                assert value.count is None or type(value.count) is int
                assert type(value.not_applicable) is bool
    for text in _texts(assessment.model_dump()):
        assert unicodedata.is_normalized("NFC", text) and find_control(text) is None, repr(text)


@fuzz(unicode_codes)
def check_code_grammar(code: str) -> None:
    try:
        check_code(code)
    except ValueError:
        assert not CODE.fullmatch(code)
        return
    assert code.isascii() and ".." not in code and code.strip() == code


test_code_grammar, test_code_grammar_long = check_code_grammar


@fuzz(st.one_of(shaped(RULESET), shaped_text(RULESET)))
def check_shaped_ruleset(example: Any) -> None:
    if isinstance(example, str):
        data, lines = load_yaml(example, file="fuzz.yaml")
        ruleset = ruleset_from_data(data, KINDS, lines)
    else:
        ruleset = ruleset_from_data(example, KINDS)
    _check_ruleset(ruleset)


test_shaped_ruleset, test_shaped_ruleset_long = check_shaped_ruleset


@fuzz(st.one_of(shaped(ASSESSMENT), shaped_text(ASSESSMENT)))
def check_shaped_assessment(example: Any) -> None:
    if isinstance(example, str):
        data, lines = load_yaml(example, file="fuzz.yaml")
        assessment = assessment_from_data(data, lines)
    else:
        assessment = assessment_from_data(example)
    _check_assessment(assessment)
    card = api.score(assessment, registry=REG)
    assert type(card.year) is int
    for node in card.nodes:
        assert node.points is None or not (node.points.is_zero() and node.points.is_signed())


test_shaped_assessment, test_shaped_assessment_long = check_shaped_assessment
