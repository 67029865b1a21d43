"""``report --batch FILE.csv`` ranks the batch on the batch path (no score card per row): the
report is the one made from the batch's score cards, byte for byte, whether or not the unit
reported on is a row of the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pl_helpers import RS_2021

from parindex.analysis.planning.inputs import load_rulesets, read_cards
from parindex.io.registry import Registry
from parindex.report import build_report, to_markdown

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "planning"
BATCH = EXAMPLES / "par-2021-synthetic.csv"


@pytest.fixture(scope="module")
def registry() -> Registry:
    reg = Registry()
    for ruleset in load_rulesets([RS_2021]):
        reg.add(ruleset)
    return reg


@pytest.mark.parametrize("subject", ["row of the batch", "unit outside the batch"])
def test_batch_csv_report_equals_the_report_from_cards(registry: Registry, subject: str) -> None:
    cards = read_cards([BATCH], registry=registry)
    if subject == "row of the batch":
        card = cards[3]
    else:
        card = read_cards([EXAMPLES / "yen-bai-2021.yaml"], registry=registry)[0]
        assert card.unit.id not in {c.unit.id for c in cards}
    from_cards = to_markdown(build_report(card, batch=cards, registry=registry))
    from_csv = to_markdown(build_report(card, batch_csv=BATCH, registry=registry))
    assert "Ranking" in from_cards
    assert from_csv == from_cards
