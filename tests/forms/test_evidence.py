"""Evidence documents on inputs, `evidence: required` on nodes, and hashes left unchanged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from formfill import REPO
from pydantic import ValidationError

from parindex import api
from parindex.model.documents import Assessment, Evidence
from parindex.scoring.engine import content_hash

RULESET = {
    "id": "test.evidence",
    "version": "1",
    "years": [2024],
    "unit_kind": "agency",
    "source": {"document": "(test)"},
    "maximum": 3,
    "nodes": [
        {"code": "1", "maximum": 2, "evidence": "required"},
        {"code": "2", "maximum": 1},
    ],
}


def _assessment(inputs: dict[str, object]) -> dict[str, object]:
    return {"ruleset": "test.evidence", "year": 2024, "unit": "u", "inputs": inputs}


def test_evidence_is_read_with_the_input_in_both_shapes() -> None:
    doc = {"number": "12/QĐ-UBND", "date": "2024-03-01", "issuer": "UBND", "url": "https://x.vn/a"}
    a = Assessment.model_validate(
        _assessment(
            {
                "1": {"points": 2, "evidence": [doc]},
                "2": {"self": 1, "appraised": 0.5, "evidence": [{"file": "bc.pdf"}]},
            }
        )
    )
    [first] = a.inputs["1"].evidence or ()
    assert (first.number, first.date, first.issuer) == ("12/QĐ-UBND", dt.date(2024, 3, 1), "UBND")
    assert first.cite() == "12/QĐ-UBND, 2024-03-01, UBND <https://x.vn/a>"
    assert a.inputs["1"].value is not None and a.inputs["1"].value.points == 2
    assert a.inputs["2"].changed and (a.inputs["2"].evidence or ())[0].file == "bc.pdf"


def test_an_evidence_document_must_say_what_it_is() -> None:
    with pytest.raises(ValidationError, match="needs a number, a title, a URL or a file name"):
        Evidence(issuer="UBND tỉnh", date=dt.date(2024, 1, 1))


def test_required_evidence_missing_is_a_note_not_an_error() -> None:
    ruleset = api.load_ruleset(RULESET)
    card = api.score(_assessment({"1": 2, "2": 1}), ruleset)
    assert card.total == 3
    assert "1: evidence required, but no document was given" in card.notes
    given = api.score(
        _assessment({"1": {"points": 2, "evidence": [{"title": "BC"}]}, "2": 1}), ruleset
    )
    assert not any("evidence" in n for n in given.notes)
    # a node that is not applicable needs no evidence
    na = api.score(_assessment({"1": "n/a", "2": 1}), ruleset)
    assert not any("evidence" in n for n in na.notes)


def test_files_without_the_new_fields_serialise_as_before() -> None:
    moha = api.get_ruleset("moha.province", 2017)
    assert "evidence" not in json.dumps(moha.model_dump(mode="json"))
    plain = dict(RULESET, nodes=[{"code": "1", "maximum": 2}, {"code": "2", "maximum": 1}])
    explicit = dict(plain, nodes=[{"code": "1", "maximum": 2, "evidence": None}, plain["nodes"][1]])
    assert content_hash(api.load_ruleset(plain)) == content_hash(api.load_ruleset(explicit))
    assert content_hash(api.load_ruleset(plain)) != content_hash(api.load_ruleset(RULESET))
    a = api.load_assessment(REPO / "examples/moha-2017-example.yaml")
    assert "evidence" not in a.model_dump_json()


def test_an_amendment_can_require_evidence(tmp_path: Path) -> None:
    from parindex.io.amendment import NodeOverride

    assert NodeOverride.model_validate({"evidence": "required"}).evidence == "required"
