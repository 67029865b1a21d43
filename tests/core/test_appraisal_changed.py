"""What counts as an appraisal change: the value (docs/forms.md: "where the appraised value
differs from the self-assessed one"), not the council's words on an unchanged value."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from test_engine import FULL_INPUTS, assess

from parindex import Registry, score
from parindex.model.documents import Entry


@pytest.mark.parametrize(
    ("own", "appraised", "changed"),
    [
        ({"points": 2}, {"points": 2, "reason": "đã đối chiếu biên bản"}, False),
        ({"points": 2}, {"points": "2.00"}, False),  # the same number written otherwise
        ({"points": 2, "note": "tự ghi"}, {"points": 2}, False),
        ({"points": 2}, {"points": 1.5, "reason": "thiếu kiểm chứng"}, True),
        ({"choice": "late"}, {"choice": "on_time"}, True),
        ({"points": 1}, {"not_applicable": True}, True),
        ({"measure": 90}, {"points": 90}, True),  # a measure is not the same input as points
    ],
)
def test_entry_changed_compares_the_values(
    own: dict[str, Any], appraised: dict[str, Any], changed: bool
) -> None:
    entry = Entry.model_validate({"self": own, "appraised": appraised})
    assert entry.changed is changed


def test_a_single_value_is_never_a_change() -> None:
    assert not Entry.model_validate({"points": 2}).changed
    assert not Entry.model_validate({"appraised": {"points": 2}}).changed


def test_a_reason_on_a_kept_value_is_not_counted_but_stays_on_the_card(
    registry: Registry,
) -> None:
    kept = {"self": {"points": 2}, "appraised": {"points": 2, "reason": "đủ tài liệu"}}
    card = score(assess({**FULL_INPUTS, "2.3": kept}), registry=registry)
    assert card.changes == 0
    # 14.45 with 1.5 at 2.3 (tests/core/test_engine.py); with 2 kept: 14.95 in both stages
    assert card.self_total == card.appraised_total == D("14.95")
    assert card.node("2.3").trace.reason == "đủ tài liệu"
    changed = {"self": {"points": 2}, "appraised": {"points": 1.5, "reason": "thiếu"}}
    card = score(assess({**FULL_INPUTS, "2.3": changed}), registry=registry)
    assert card.changes == 1
