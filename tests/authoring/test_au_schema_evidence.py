"""The assessment schema accepts what the model accepts for an input with its documents, and
refuses what the model refuses: `{points: 2, evidence: [...]}` is the value and its evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parindex.model.documents import Entry

jsonschema = pytest.importorskip("jsonschema")
SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "assessment.schema.json"

ENTRIES: list[tuple[Any, bool]] = [
    ({"points": 2, "evidence": [{"number": "12/QĐ-UBND"}]}, True),
    ({"choice": "late", "evidence": [{"file": "bien-ban.pdf"}]}, True),
    ({"value": {"points": 2}, "evidence": [{"title": "Báo cáo"}]}, True),
    ({"points": 1, "evidence": [{"number": "1"}], "bogus": 1}, False),
    ({"evidence": [{"number": "1"}]}, False),  # documents without a value
]


def _model_accepts(entry: Any) -> bool:
    try:
        Entry.model_validate(entry)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(("entry", "valid"), ENTRIES)
def test_schema_and_model_agree_on_inputs_with_evidence(entry: Any, valid: bool) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    doc = {"ruleset": "moha.province", "year": 2023, "unit": "a", "inputs": {"1.1": entry}}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    assert (errors == []) is valid, [e.message for e in errors]
    assert _model_accepts(entry) is valid
