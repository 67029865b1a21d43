"""Paths of the documents and of the entries made on a card's first read that no other test took:
a whole number written with too many digits, an input given as true/false or as a value and
stages at once, a code a card does not have, and evidence on an item that did not arise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from parindex import api
from parindex.model.documents import Entry, Evidence, Whole

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sonla-department-2023.yaml"


def test_a_whole_number_text_longer_than_it_can_be_is_refused() -> None:
    whole: TypeAdapter[int] = TypeAdapter(Whole)
    assert whole.validate_python(" 2024 ") == 2024
    # 18 digits at most; with a sign and a space or two a text of 20 characters is still read
    with pytest.raises(ValidationError, match="expected a whole number of at most 18 digits"):
        whole.validate_python("1" * 21)


def test_an_input_given_as_true_or_false_is_refused() -> None:
    with pytest.raises(ValidationError, match="not true/false"):
        Entry.model_validate(True)


def test_an_input_with_a_value_and_stages_is_refused() -> None:
    with pytest.raises(ValidationError, match="give either a value or self/appraised values"):
        Entry.model_validate({"value": 1, "self": 2})


def test_a_code_the_card_does_not_have_is_a_key_error() -> None:
    card = api.score(str(EXAMPLE))
    assert card.node("TD.2").not_applicable
    with pytest.raises(KeyError, match=r"'NO\.SUCH'"):
        card.node("NO.SUCH")


def test_evidence_on_an_item_that_did_not_arise_is_kept() -> None:
    assessment: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert assessment["inputs"]["TD.2"]["not_applicable"] is True
    assessment["inputs"]["TD.2"]["evidence"] = [{"number": "12/BC-STP", "title": "Báo cáo"}]
    card = api.score(assessment)
    entry = card.node("TD.2")
    assert entry.not_applicable and entry.points == 0 and entry.percent is None
    assert entry.trace.how == "not_applicable"
    assert entry.evidence == (Evidence(number="12/BC-STP", title="Báo cáo"),)
    # the other items keep no evidence field at all
    assert all(n.evidence is None for n in card.nodes if n.code != "TD.2")


def test_located_keeps_a_location_already_known() -> None:
    from parindex.model.errors import InputValueError

    err = InputValueError("bad", code="1.2")
    err.located(file="first.yaml", line=3)
    assert err.located(file="second.yaml", line=9, code="9.9") is err
    assert (err.file, err.line, err.code) == ("first.yaml", 3, "1.2")
