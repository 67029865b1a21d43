"""Every branch of ``reproduce.groups``: rule names, rule notes, fixed bands that give no group,
the published group counts (ranks beyond them, rows without a rank) and the counts' summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from rp_helpers import mixed_ruleset, write

from parindex import Registry, load_ruleset
from parindex.analysis.reproduce import GroupCounts, PublishedRow, RowResult, reproduce_file
from parindex.analysis.reproduce.groups import (
    GroupCountCheck,
    apply_counts,
    band_group,
    check_rule_name,
    rule_for,
    rule_note,
)
from parindex.model.errors import ParindexError
from parindex.model.group_rules import GroupedBatch, Grouping, GroupRule

#: ``cov.bands``: X (max 6) + Y (max 4) = 10; A from index 80, B from 50, no group published below
#: (down to 0: a negative index is in no band at all).
BANDS = {
    "id": "cov.bands",
    "version": "1",
    "years": [2001],
    "unit_kind": "province",
    "title": "synthetic: two bands, none below 50",
    "source": {"document": "synthetic test ruleset"},
    "status": "confirmed",
    "maximum": 10,
    "rounding": {"places": 2, "mode": "half_up"},
    "groups": [
        {"label": "A", "min": 80},
        {"label": "B", "min": 50},
        {"label": None, "min": 0, "published": False},
    ],
    "nodes": [
        {"code": "X", "title": "x", "maximum": 6},
        {"code": "Y", "title": "y", "maximum": 4},
    ],
}


@pytest.fixture(scope="module")
def reg() -> Registry:
    registry = Registry()
    registry.add(load_ruleset(BANDS))
    return registry


def _row(unit: str, *, rank: int | None = None, group: str | None = None) -> PublishedRow:
    return PublishedRow(
        line=2,
        ruleset="cov.bands",
        year=2001,
        unit=unit,
        unit_name=None,
        total=None,
        rank=rank,
        group=group,
        source=None,
        note=None,
        view=None,
        values={},
        decimals=0,
    )


def _result(
    unit: str, *, rank: int | None = None, group: str | None = None, computed: str | None = None
) -> RowResult:
    r = RowResult(_row(unit, rank=rank, group=group), status="checked")
    r.computed_group = computed
    return r


def _never(values: Mapping[str, Decimal], cuts: Sequence[Decimal] | None) -> GroupedBatch:
    raise AssertionError("not called by these tests")


def _grouping(note: str = "", option: str | None = None) -> Grouping:
    rules = (
        GroupRule("halves", "halves: above or below the median", False, _never),
        GroupRule("thirds", "thirds by rank", True, _never),
        GroupRule("cut", "at cut points", False, _never, takes_cuts=True),
    )
    return Grouping(
        name="cov",
        title="COV groups",
        noun="COV group",
        labels=("top", "bottom"),
        rules=rules,
        rulesets=("cov.bands",),
        note=note,
        option=option,
    )


# ------------------------------------------------------------------------- rule names and notes
def test_a_rule_name_not_offered_by_any_grouping_is_refused_with_the_choices(
    reg: Registry,
) -> None:
    check_rule_name(None, reg)  # the defaults, and a rule that cuts a batch alone: accepted
    check_rule_name("quartiles", reg)
    with pytest.raises(ParindexError) as err:
        check_rule_name("median", reg)
    assert err.value.field == "group_rule"
    # PAPI's rules that need nothing but the batch ("fixed" takes cut points: not offered)
    assert err.value.message == (
        "group rule 'median' cannot be used here; choose one of quartiles, equal-counts,"
        " equal-width"
    )
    with pytest.raises(ParindexError) as err:
        check_rule_name("fixed", reg)
    assert "choose one of quartiles" in err.value.message


def test_without_any_grouping_no_rule_name_can_be_chosen() -> None:
    bare = Registry([], entry_points=False)
    with pytest.raises(ParindexError) as err:
        check_rule_name("quartiles", bare)
    assert err.value.message == "group rule 'quartiles' cannot be used here; choose one of none"


def test_a_rule_is_taken_by_name_unless_it_needs_cut_points() -> None:
    g = _grouping()
    assert rule_for(g, None).name == "halves"  # the first rule without cut points
    assert rule_for(g, "thirds").name == "thirds"
    assert rule_for(g, "cut").name == "halves"  # needs cut points: the default instead
    assert rule_for(g, "unknown").name == "halves"


def test_the_rule_note_adds_the_standing_and_the_option_only_when_given() -> None:
    rule = _grouping().default_rule
    assert rule_note(_grouping(), rule) == "COV groups: halves: above or below the median"
    assert (
        rule_note(_grouping(note="not published"), rule)
        == "COV groups: halves: above or below the median; not published"
    )
    assert (
        rule_note(_grouping(option="--cov-groups"), rule)
        == "COV groups: halves: above or below the median (another rule: --cov-groups)"
    )
    assert rule_note(_grouping("not published", "--cov-groups"), rule) == (
        "COV groups: halves: above or below the median; not published (another rule: --cov-groups)"
    )


# -------------------------------------------------------------------------------- fixed bands
def test_an_index_in_no_published_band_gets_no_group_and_a_note_when_one_is_published(
    reg: Registry,
) -> None:
    ruleset = reg.get("cov.bands", 2001)
    published = _result("P", group="B")
    assert band_group(ruleset, Decimal("49.99"), published) is None  # the unpublished band
    assert band_group(ruleset, Decimal("-0.01"), published) is None  # below every band
    assert published.notes == [
        "group not checked: no group is published at index 49.99",
        "group not checked: no group is published at index -0.01",
    ]
    silent = _result("Q")
    assert band_group(ruleset, Decimal("49.99"), silent) is None
    assert band_group(ruleset, Decimal("-0.01"), silent) is None
    assert silent.notes == []
    # on the band minima (inclusive): the band itself
    assert band_group(ruleset, Decimal("50"), silent) == "B"
    assert band_group(ruleset, Decimal("80"), silent) == "A"
    assert band_group(ruleset, Decimal("79.99"), silent) == "B"


def test_no_index_gives_no_group_and_no_note(reg: Registry) -> None:
    r = _result("P", group="A")
    assert band_group(reg.get("cov.bands", 2001), None, r) is None
    assert r.notes == []


def test_an_unpublished_band_gives_no_group(reg: Registry) -> None:
    # moha.province 2021 publishes no group below 70 (a band with published: false)
    ruleset = reg.get("moha.province", 2021)
    r = _result("P", group="C")
    assert band_group(ruleset, Decimal("69.99"), r) is None
    assert r.notes == ["group not checked: no group is published at index 69.99"]
    assert band_group(ruleset, Decimal("70.00"), r) == "C"


def test_rows_whose_index_is_in_no_published_band_are_reported_not_failed(
    tmp_path: Path, reg: Registry
) -> None:
    f = write(
        tmp_path,
        "ruleset,year,unit,total,group,X,Y\n"
        "cov.bands,2001,P,,B,3,1.5\n"
        "cov.bands,2001,N,-0.5,B,,\n",  # a negative total: an index below every band
    )
    p, n = reproduce_file(f, registry=reg).rows
    # 3 + 1.5 = 4.5 of 10: index 45.00, under B's minimum of 50
    assert p.computed_index == Decimal("45.00") and p.computed_group is None
    assert "group not checked: no group is published at index 45.00" in p.notes
    assert p.group_agrees is None and p.status == "agree"
    # -0.5 of 10: index -5.00
    assert n.computed_index == Decimal("-5.00") and n.computed_group is None
    assert "group not checked: no group is published at index -5.00" in n.notes
    assert n.group_agrees is None and n.status == "checked"


# ---------------------------------------------------------------------- published group counts
COUNTS = GroupCounts("cov.bands", 2001, (("A", 2), ("B", 3)), source="synthetic list")


def test_a_rank_beyond_the_published_counts_is_noted_and_a_row_without_rank_skipped() -> None:
    beyond = _result("P", rank=6)  # the counts hold 2 + 3 = 5 units
    unranked = _result("Q")
    last = _result("R", rank=5)
    check = apply_counts([beyond, unranked, last], COUNTS)
    assert beyond.notes == ["rank 6 is beyond the 5 units of the published counts"]
    assert beyond.computed_group is None and not beyond.group_checked
    assert unranked.notes == [] and unranked.computed_group is None
    assert last.computed_group == "B" and last.group_checked
    assert (check.from_ranks, check.grouped, check.misplaced) == (1, 0, 0)


def test_the_computed_rank_is_preferred_to_the_published_one() -> None:
    r = _result("P", rank=5)
    r.computed_rank = 1
    apply_counts([r], COUNTS)
    assert r.computed_group == "A"
    assert r.notes == ["group A: rank 1 under the published counts (A 2, B 3)"]


def test_the_summary_of_counts_with_no_group_computed_names_the_ranks_used() -> None:
    check = apply_counts([_result("P", rank=1), _result("Q", rank=3)], COUNTS)
    assert check.text() == (
        "cov.bands 2001 group counts: published A 2, B 3; no group computed from bands or"
        " across the batch; 2 rows grouped by rank from the published counts; source:"
        " synthetic list"
    )
    assert check.agrees and check.differ == []


def test_the_summary_of_a_complete_batch_that_agrees() -> None:
    rows = [_result(u, computed=g) for u, g in zip("PQRST", "AaBBB", strict=True)]
    check = apply_counts(rows, GroupCounts("cov.bands", 2001, (("A", 2), ("B", 3))))
    # "a" is A written loosely: counted under the label first met
    assert check.computed == {"A": 2, "B": 3} and check.complete
    assert check.text() == (
        "cov.bands 2001 group counts: published A 2, B 3; computed for all rows: A 2, B 3; agree"
    )


def test_the_summary_of_a_partial_batch_with_no_group_over_its_count() -> None:
    rows = [_result("P", computed="A"), _result("Q", computed="B")]
    check = apply_counts(rows, COUNTS)
    assert not check.complete and check.over == [] and check.agrees
    assert check.text() == (
        "cov.bands 2001 group counts: published A 2, B 3; computed for 2 of 5 rows: A 1, B 1;"
        " no group over its count; source: synthetic list"
    )


def test_the_summary_of_misplaced_rows_and_a_group_over_its_count() -> None:
    rows = [_result(u, rank=i, computed="A") for i, u in enumerate("PQR", start=1)]
    check = apply_counts(rows, COUNTS)
    # rank 3 falls in B (A holds ranks 1-2); three A rows where 2 are published
    assert check.misplaced == 1 and check.over == ["A"] and not check.agrees
    assert rows[2].counts_group == "B"
    assert rows[2].counts_text == (
        "rank 3 falls in group B under the published counts (A 2, B 3), computed group A"
    )
    assert check.text() == (
        "cov.bands 2001 group counts: published A 2, B 3; computed for 3 of 5 rows: A 3;"
        " 1 rows in another group than their rank gives; DISAGREE: A; source: synthetic list"
    )


def test_a_complete_batch_with_a_missing_group_differs_on_it() -> None:
    rows = [_result(u, computed="A") for u in "PQ"]
    check = apply_counts(rows, GroupCounts("cov.bands", 2001, (("A", 1), ("B", 1))))
    assert isinstance(check, GroupCountCheck)
    # both counts differ: A 2 against 1, B 0 against 1
    assert check.complete and check.differ == ["A", "B"] and not check.agrees


def test_a_published_group_under_a_ruleset_without_bands_is_noted(
    tmp_path: Path, reg: Registry
) -> None:
    registry = Registry()
    registry.add(load_ruleset(mixed_ruleset()))
    f = write(
        tmp_path, "ruleset,year,unit,total,group\ntest.mixed,2000,P,5,A\ntest.mixed,2000,Q,4,\n"
    )
    p, q = reproduce_file(f, registry=registry).rows
    assert p.computed_group is None and p.group_agrees is None
    assert "group not checked: test.mixed 1 publishes no group bands" in p.notes
    assert not any(n.startswith("group not checked") for n in q.notes)


# ----------------------------------------------------------------------- groups across a batch
PAPI_TOTALS = "ruleset,year,unit,total,group\n" + "".join(
    f"papi,2016,{unit},{total},{group}\n"
    for unit, total, group in (("P1", "30", ""), ("P2", "35", "poor"), ("P3", "40", ""),
                               ("P4", "45", "best"))
)  # fmt: skip


@pytest.mark.parametrize("rule", [None, "equal-counts"])
def test_papi_totals_are_grouped_across_their_batch(
    tmp_path: Path, reg: Registry, rule: str | None
) -> None:
    report = reproduce_file(write(tmp_path, PAPI_TOTALS), registry=reg, group_rule=rule)
    rows = {r.row.unit: r for r in report.rows}
    # quartiles of 30, 35, 40, 45 (type 7): 33.75, 37.5, 41.25; equal counts of 4 ranks: one
    # each; both put one province in each group
    assert [rows[u].computed_group for u in ("P4", "P3", "P2", "P1")] == [
        "best",
        "high-average",
        "low-average",
        "poor",
    ]
    assert all(r.group_checked for r in report.rows)
    assert rows["P4"].status == "checked" and rows["P2"].status == "disagree"
    assert report.checked == report.rows
    name = rule or "quartiles"
    assert report.group_notes[0].startswith(f"PAPI groups: {name.replace('-', ' ')}: ")
    assert report.group_notes[0].endswith(
        "; PAPI does not publish its group cut rule [unverified] (another rule: --papi-groups)"
    )
    assert report.group_notes[1].startswith("papi 2016 groups of the total: ")


def test_the_rule_of_a_grouping_is_noted_once_for_several_years(
    tmp_path: Path, reg: Registry
) -> None:
    text = PAPI_TOTALS + PAPI_TOTALS.split("\n", 1)[1].replace("papi,2016", "papi,2015")
    report = reproduce_file(write(tmp_path, text), registry=reg)
    assert len(report.rows) == 8
    rule_notes = [n for n in report.group_notes if n.startswith("PAPI groups: ")]
    assert len(rule_notes) == 1 and report.group_notes[0] == rule_notes[0]
    assert [n.split(":")[0] for n in report.group_notes[1:]] == [
        "papi 2015 groups of the total",
        "papi 2016 groups of the total",
    ]
