"""moha.province 2019 (1150/QĐ-BNV): a structure-only version, so 2019 ranks can be checked."""

from __future__ import annotations

from parindex import Registry
from parindex.analysis.reproduce import reproduce_dataset


def test_structure_only_no_invented_number(reg: Registry) -> None:
    rs = reg.get("moha.province", 2019)
    assert rs.version == "2019" and rs.years == (2019,)
    assert rs.source.document == "1150/QĐ-BNV" and rs.status == "unverified"
    assert [n.code for n in rs.nodes] == [str(i) for i in range(1, 9)]
    assert rs.maximum is None and not rs.groups and not rs.views
    for node in rs.nodes:  # no maximum, no rule, no children: nothing is published
        assert node.maximum is None and node.rule is None and not node.children
        assert node.status == "unverified" and node.title.best()
        assert "43 criteria and 95 sub-criteria" in (node.note or "")


def test_2019_published_values_are_ranked_and_ordered(reg: Registry) -> None:
    report = reproduce_dataset("par-2018-2022", registry=reg)
    rows = [r for r in report.rows if r.row.year == 2019]
    assert len(rows) == 8 and all(r.status == "checked" for r in rows)
    ranked = {r.row.unit: r.computed_rank for r in rows if r.computed_rank is not None}
    assert ranked == {"Quảng Ninh": 1, "Hà Nội": 2, "Đồng Tháp": 3, "Hải Phòng": 4, "Long An": 5}
    assert not any(r.order_issues for r in rows)
