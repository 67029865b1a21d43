"""Monte Carlo sensitivity: draws are scored exactly, results are reproducible, the CLI works."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from parindex import api
from parindex.analysis.sensitivity import SensitivityError, Spec, run
from parindex.cli.main import main
from parindex.report.sensitivity_chart import sensitivity_svg
from parindex.scoring import engine
from parindex.scoring.fast import rank_keys
from parindex.scoring.fast.kernel import rank_rows
from parindex_core_rules.kinds import PointsRule

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "plugins" / "parindex_vn" / "datasets" / "par-2020-components.csv"


def _ruleset() -> Any:
    return api.load_ruleset(
        {
            "id": "t.sens",
            "version": "1",
            "years": [2024],
            "unit_kind": "province",
            "source": {"document": "test"},
            "maximum": 30,
            "rounding": {"places": 2, "mode": "half_up"},
            "groups": [
                {"label": "A", "min": 80},
                {"label": "B", "min": 50},
                {"label": "C", "min": 0},
            ],
            "nodes": [
                {
                    "code": "1",
                    "maximum": 10,
                    "method": "survey",
                    "rule": {"kind": "survey_scale", "levels": 5, "lowest": 1},
                },
                {"code": "2", "maximum": 10, "method": "survey"},
                {
                    "code": "3",
                    "maximum": 10,
                    "rule": {
                        "kind": "tiers",
                        "domain": {"min": 0, "max": 1},
                        "bands": [
                            {"min": 0, "max": "0.5", "points": 2},
                            {"min": "0.5", "max": "0.8", "points": 6},
                            {"min": "0.8", "max": 1, "max_inclusive": True, "points": 10},
                        ],
                    },
                },
            ],
        }
    )


def _units(rs: Any, n: int = 12) -> list[Any]:
    rng = np.random.default_rng(7)
    out = []
    for i in range(n):
        out.append(
            api.load_assessment(
                {
                    "ruleset": rs.id,
                    "year": 2024,
                    "unit": f"u{i:02d}",
                    "inputs": {
                        "1": {"measure": str(round(float(rng.uniform(1, 5)), 2))},
                        "2": str(round(float(rng.uniform(0, 10)), 2)),
                        "3": {"measure": str(round(float(rng.uniform(0, 1)), 2))},
                    },
                }
            )
        )
    return out


def test_without_perturbation_every_draw_is_the_base_ranking() -> None:
    rs = _ruleset()
    items = _units(rs)
    res = run(rs, items, Spec(draws=30, seed=3))
    table = api.rank([api.score(a, rs) for a in items], rs.ranking.ties)
    by_id = {e.unit.id: e for e in table.entries}
    for u in res.units:
        e = by_id[u.unit.id]
        assert u.base_rank == e.rank == u.median_rank == u.rank_p05 == u.rank_p95
        assert u.group_probability == {e.group: 1.0}


def test_perturbed_draws_are_scored_as_the_engine_scores_them() -> None:
    rs = _ruleset()
    items = _units(rs, 6)
    seen: list[tuple[dict[str, Any], Any, Any]] = []
    run(
        rs,
        items,
        Spec(draws=15, seed=1, survey_se=Decimal("0.4"), chunk=15),
        observe=lambda x, t, i: seen.append((x, t, i)),
    )
    ((inputs, totals, indices),) = seen
    for d in range(15):
        for u, a in enumerate(items):
            values = {**{c: v for c, v in a.inputs.items()}}
            new = dict(values)
            for code, (arr, scale) in inputs.items():
                value = Decimal(int(arr[d, u])).scaleb(-scale)
                kind = "measure" if code == "1" else "points"
                new[code] = {kind: value}
            b = api.load_assessment(
                {
                    "ruleset": rs.id,
                    "year": 2024,
                    "unit": a.unit.id,
                    "inputs": {
                        k: (
                            v
                            if isinstance(v, dict)
                            else v.final.model_dump(exclude_none=True, exclude_defaults=True)
                        )
                        for k, v in new.items()
                    },
                }
            )
            card = engine.score(rs, b, PointsRule)
            assert Decimal(int(totals[d, u])).scaleb(-2) == card.total
            assert Decimal(int(indices[d, u])).scaleb(-2) == card.index


def test_reproducible_with_a_seed() -> None:
    rs = _ruleset()
    items = _units(rs)
    spec = Spec(
        draws=400, seed=5, survey_se=Decimal("0.5"), tier_sd=Decimal("0.05"), group_sd=Decimal(2)
    )
    a, b = run(rs, items, spec), run(rs, items, spec)
    assert a == b
    c = run(rs, items, Spec(**{**spec.__dict__, "seed": 6}))
    assert c != a
    assert any(u.rank_p05 != u.rank_p95 for u in a.units)
    for u in a.units:
        assert u.rank_p05 <= u.median_rank <= u.rank_p95
        assert abs(sum(u.group_probability.values()) - 1) < 1e-9


def test_rank_rows_equals_rank_keys_row_by_row() -> None:
    rng = np.random.default_rng(0)
    keys = rng.integers(0, 6, (50, 9)).astype(np.int64)
    for ties in ("competition", "dense", "ordinal", "modified"):
        got = rank_rows(keys, ties)
        for row in range(50):
            assert got[row].tolist() == rank_keys(keys[row], ties).tolist()


def test_bad_requests_are_errors() -> None:
    rs = _ruleset()
    items = _units(rs, 3)
    with pytest.raises(SensitivityError):
        run(rs, items, Spec(draws=5, se={"9": Decimal(1)}))
    with pytest.raises(SensitivityError):
        run(rs, [], Spec(draws=5))


def test_chart_is_plain_deterministic_svg() -> None:
    rs = _ruleset()
    res = run(rs, _units(rs), Spec(draws=200, seed=2, survey_se=Decimal("0.5")))
    svg = sensitivity_svg(res)
    assert svg == sensitivity_svg(res)
    assert svg.startswith('<svg class="chart"') and "<script" not in svg and "href" not in svg
    assert "xmlns" not in svg and "xmlns" in sensitivity_svg(res, standalone=True)
    assert svg.count("<circle") == len(res.units)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg = tmp_path / "s.svg"
    html = tmp_path / "s.html"
    code = main(
        [
            "sensitivity",
            str(CSV),
            "--se",
            "0.3",
            "--group-sd",
            "0.5",
            "--draws",
            "300",
            "--seed",
            "1",
            "--format",
            "json",
            "--svg",
            str(svg),
            "--html",
            str(html),
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["draws"] == 300 and len(data["units"]) == 10
    assert svg.read_text().startswith("<svg xmlns=")
    assert '<svg class="chart"' in html.read_text()
    assert main(["sensitivity", str(CSV), "--se", "x=y"]) == 1
