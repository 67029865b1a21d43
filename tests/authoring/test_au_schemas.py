"""JSON Schema files: the committed ones in schemas/ are current, and they accept every YAML file
the project ships (shorthands included) while rejecting a misspelt key, as an editor would."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from parindex.authoring.schemas import SCHEMA_NAMES, json_schema, schema_files
from parindex.cli.main import main
from parindex.io.yamlfile import load_yaml_file

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "schemas"


def test_committed_schema_files_equal_freshly_generated_ones() -> None:
    fresh = schema_files()
    assert sorted(fresh) == sorted(f"{n}.schema.json" for n in SCHEMA_NAMES)
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    stale = sorted(n for n in fresh if committed.get(n) != fresh[n])
    assert not stale, f"out of date: {stale}; regenerate with `parindex write-schemas schemas`"
    assert set(committed) == set(fresh)


def test_write_schemas_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["write-schemas", str(SCHEMAS), "--check"]) == 0
    assert main(["write-schemas", str(tmp_path), "--check"]) == 1
    assert "is missing or out of date" in capsys.readouterr().err
    assert main(["write-schemas", str(tmp_path)]) == 0
    assert main(["write-schemas", str(tmp_path), "--check"]) == 0


def _plain(value: Any) -> Any:
    """YAML data as an editor's schema validator sees it (dates are text there)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _kind(path: Path, data: dict[str, Any]) -> str | None:
    if path.name.endswith(".case.yaml"):
        return "case"
    for key, kind in (
        ("extends", "amendment"),
        ("responsibility_map", "responsibility"),
        ("targets_for", "targets"),
        ("measures_for", "measures"),
        ("parameters_for", "parameters"),
    ):
        if key in data:
            return kind
    if data.get("kind") in ("survey-map", "survey-points"):
        # read by their own loaders (parindex.model.survey_map, parindex.io.survey_fragment),
        # tested in tests/survey
        return None
    if "nodes" in data and "id" in data:
        return "ruleset"
    if "ruleset" in data and "inputs" in data:
        return "assessment"
    return None  # another format (e.g. a dataset description)


def _shipped() -> list[Path]:
    # (other test folders hold files that are invalid on purpose)
    roots = ["rulesets", "examples", "plugins", "tests/authoring/fixtures", "tests/core/fixtures"]
    return sorted(p for r in roots for p in (REPO / r).rglob("*.yaml") if p.is_file())


def test_every_shipped_yaml_file_validates_against_its_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validators = {n: jsonschema.Draft202012Validator(json_schema(n)) for n in SCHEMA_NAMES}
    seen: dict[str, int] = {}
    for path in _shipped():
        data, _ = load_yaml_file(path)
        kind = _kind(path, data) if isinstance(data, dict) else None
        if kind is None:
            continue
        seen[kind] = seen.get(kind, 0) + 1
        errors = [
            f"{list(e.absolute_path)}: {e.message}"
            for e in validators[kind].iter_errors(_plain(data))
        ]
        assert not errors, f"{path} ({kind}): {errors[:3]}"
    for kind in ("ruleset", "amendment", "assessment", "parameters", "case"):
        assert seen.get(kind), f"no {kind} file was checked"


@pytest.mark.parametrize(
    ("what", "data", "path"),
    [
        (
            "ruleset",
            {
                "id": "x",
                "version": "1",
                "years": [1],
                "unit_kind": "province",
                "source": {},
                "nodes": [{"code": "1", "maximun": 2}],
            },
            ["nodes", 0],
        ),
        (
            "ruleset",
            {
                "id": "x",
                "version": "1",
                "years": [1],
                "unit_kind": "province",
                "source": {},
                "nodes": [{"code": "1", "rule": {"kind": "tiers"}}],
            },
            ["nodes", 0, "rule"],
        ),
        (
            "assessment",
            {"ruleset": "x", "year": 2020, "unit": "u", "inputs": {"1": {"choise": "a"}}},
            ["inputs", "1"],
        ),
        (
            "amendment",
            {
                "extends": "a.yaml",
                "version": "2",
                "years": [2],
                "source": {},
                "overrides": {"1": {"maximum": 2, "kind": "x"}},
            },
            ["overrides", "1"],
        ),
    ],
)
def test_a_misspelt_key_is_rejected(what: str, data: dict[str, Any], path: list[Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    errors = list(jsonschema.Draft202012Validator(json_schema(what)).iter_errors(data))
    assert errors and list(errors[0].absolute_path) == path


def test_shorthands_are_accepted() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assessment = {
        "ruleset": "x",
        "year": 2020,
        "unit": "u",
        "inputs": {
            "1": 9.5,
            "2": "not_applicable",
            "3": {"measure": 90},
            "4": {"self": 1, "appraised": {"points": 0.5, "reason": "late"}},
        },
    }
    jsonschema.validate(assessment, json_schema("assessment"))
    ruleset = {
        "id": "x",
        "version": "1",
        "years": [2020],
        "unit_kind": "province",
        "source": {},
        "title": "Bộ tiêu chí",
        "nodes": [
            {
                "code": "1",
                "title": "Lĩnh vực 1",
                "maximum": "2.5",
                "rule": {"kind": "choice", "options": {"a": 2.5}},
            }
        ],
    }
    jsonschema.validate(ruleset, json_schema("ruleset"))
    json.dumps(json_schema("case"))  # serialisable
