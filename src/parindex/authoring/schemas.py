"""JSON Schema of the file formats, with every registered rule kind in the ruleset schema.

The schemas describe the files as people write them, shorthands included (a title may be a plain
string, an input a bare number, a unit just its id), so an editor validating YAML as it is typed
accepts everything parindex accepts. ``parindex write-schemas`` writes them all to ``schemas/``.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from parindex.io.parameters import Parameters
from parindex.io.registry import Registry, default_registry
from parindex.model.documents import Assessment, Ruleset, ScoreCard

#: The schemas ``parindex write-schemas`` writes, each as ``<name>.schema.json``.
SCHEMA_NAMES = (
    "ruleset",
    "amendment",
    "assessment",
    "parameters",
    "case",
    "responsibility",
    "targets",
    "measures",
    "scorecard",
)

_STRING: dict[str, Any] = {"type": "string"}
_NUMBER: dict[str, Any] = {"type": "number"}
_INTEGER: dict[str, Any] = {"type": "integer"}
_NULL: dict[str, Any] = {"type": "null"}

#: Shorthands a model accepts in place of its object form (pydantic cannot see them: they are
#: turned into the object form by "before" validators). Every use of the model accepts them.
_SHORTHANDS: dict[str, list[dict[str, Any]]] = {
    "Text": [_STRING],  # title: "Kế hoạch CCHC năm"
    "Unit": [_STRING],  # unit: quang-ninh
    "UnitRef": [_STRING],  # targets_for: yen-bai
    "Value": [_NUMBER, _STRING],  # 9.5, "9.5" or not_applicable
    # "1.1": {choice: on_time}, or with its documents: {choice: on_time, evidence: [...]}
    "Entry": [_NUMBER, _STRING, {"$ref": "#/$defs/Value"}, {"$ref": "#/$defs/ValueWithEvidence"}],
    "BaseRef": [_STRING],  # extends: 2013.yaml
    "MeasureValue": [_NUMBER, _STRING],  # satisfaction: 90.5
}
#: Shorthands of single properties: (model, property) → alternatives to the written form.
_PROPERTY_SHORTHANDS: dict[tuple[str, str], list[dict[str, Any]]] = {
    ("Assignment", "codes"): [_STRING, _INTEGER],  # codes: "1.1" or codes: 3
    ("Assignment", "lead"): [_STRING, _NULL],  # lead: Sở Nội vụ
    ("Assignment", "support"): [_STRING, _NULL],
    **{
        (model, "rulesets"): [_STRING]  # rulesets: moha.province
        for model in (
            "ValueTarget",
            "GroupTarget",
            "RankTarget",
            "RankRiseTarget",
            "Section",
        )
    },
}


class _Generator(GenerateJsonSchema):
    """pydantic's schema generator, with decimals described as parindex reads them.

    parindex reads every number with its own parser
    (:func:`parindex.model.decimals.to_decimal`), which accepts exponents and surrounding blanks
    (``"1e3"``, ``" 2.5"``). pydantic 2.12 and 2.13 give a decimal's string form a ``pattern`` that
    refuses those, so an editor would flag files parindex accepts; other versions give none. The
    pattern is dropped, and the schemas are the same with every supported pydantic.
    """

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        result = super().decimal_schema(schema)
        for branch in [result, *result.get("anyOf", [])]:
            if branch.get("type") == "string":
                branch.pop("pattern", None)
        return result


def _model_schema(model: type[BaseModel], **kwargs: Any) -> dict[str, Any]:
    return model.model_json_schema(schema_generator=_Generator, **kwargs)


def _with_rules(schema: dict[str, Any], registry: Registry | None) -> None:
    """Add every registered rule kind under ``$defs`` and make ``Rule`` one of them."""
    kinds = (registry or default_registry()).rule_kinds
    defs = schema.setdefault("$defs", {})
    refs = []
    for name, kind in sorted(kinds.items()):
        sub = _model_schema(kind, ref_template="#/$defs/{model}")
        for k, v in sub.pop("$defs", {}).items():
            defs.setdefault(k, v)
        defs[f"rule_{name}"] = sub
        refs.append({"$ref": f"#/$defs/rule_{name}"})
    defs["Rule"] = {"oneOf": refs, "description": "a rule of one of the registered kinds"}


def _widen(node: Any, defs: dict[str, Any]) -> Any:
    """Replace each reference to a model with shorthands by "the shorthands or the model"."""
    if isinstance(node, list):
        return [_widen(v, defs) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.removeprefix("#/$defs/")
        if name in _SHORTHANDS and name in defs:
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {"anyOf": [*_SHORTHANDS[name], {"$ref": ref}], **rest}
    return {k: _widen(v, defs) for k, v in node.items()}


def _editor_friendly(schema: dict[str, Any], batch_kinds: tuple[str, ...] = ()) -> dict[str, Any]:
    """``batch_kinds``: the plugins' batch target models, whose ``rulesets`` may be one string."""
    shorthands = {**_PROPERTY_SHORTHANDS, **{(m, "rulesets"): [_STRING] for m in batch_kinds}}
    defs = schema.get("$defs", {})
    widened = {k: (v if k == "$defs" else _widen(v, defs)) for k, v in schema.items()}
    # a model's own definition keeps its object form; references to it gain the shorthands
    widened["$defs"] = {name: _widen(d, defs) for name, d in defs.items()}
    entry, value = widened["$defs"].get("Entry"), widened["$defs"].get("Value")
    if entry is not None and value is not None:
        # Entry's "before" validator reads {points: 2, evidence: [...]} as the value and its
        # documents: the value's own properties plus the entry's evidence
        widened["$defs"]["ValueWithEvidence"] = {
            **value,
            "title": "ValueWithEvidence",
            "properties": {**value["properties"], "evidence": entry["properties"]["evidence"]},
            "required": [*value.get("required", []), "evidence"],
            "minProperties": 2,  # documents alone are no value
        }
        # the object form needs a value too (the model refuses an "empty input")
        entry["anyOf"] = [{"required": [key]} for key in ("value", "self", "appraised")]
    for (model, prop), alternatives in shorthands.items():
        target = widened["$defs"].get(model, {}).get("properties", {}).get(prop)
        if target is not None:
            props = widened["$defs"][model]["properties"]
            meta = {k: v for k, v in target.items() if k in {"title", "description", "default"}}
            body = {k: v for k, v in target.items() if k not in meta}
            props[prop] = {"anyOf": [*alternatives, body], **meta}
    return widened


def json_schema(what: str = "ruleset", registry: Registry | None = None) -> dict[str, Any]:
    """The JSON Schema of one file format (one of :data:`SCHEMA_NAMES`)."""
    batch_kinds: tuple[str, ...] = ()
    if what == "assessment":
        schema = _model_schema(Assessment)
        # read by the file loader (parindex.io.survey_fragment), not a field of the model
        schema["properties"]["survey"] = _SURVEY_LIST
    elif what == "parameters":
        schema = _model_schema(Parameters)
    elif what == "scorecard":
        schema = _model_schema(ScoreCard, mode="serialization")
    elif what == "amendment":
        schema = _amendment_schema(registry)
    elif what == "case":
        schema = _case_schema()
    elif what == "responsibility":
        from parindex.analysis.planning.responsibility import ResponsibilityMap

        schema = _model_schema(ResponsibilityMap)
    elif what == "targets":
        from parindex.analysis.planning.targets import batch_target_kinds, targets_model

        schema = _model_schema(targets_model(registry))
        batch_kinds = tuple(k.__name__ for k in batch_target_kinds(registry))
    elif what == "measures":
        from parindex.analysis.planning.targets import Measures

        schema = _model_schema(Measures)
    elif what == "ruleset":
        schema = _model_schema(Ruleset)
        _with_rules(schema, registry)
    else:
        raise ValueError(f"no schema {what!r}; schemas: {', '.join(SCHEMA_NAMES)}")
    if what != "scorecard":  # the score card is output: it has no shorthands
        schema = _editor_friendly(schema, batch_kinds)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


_SURVEY_LIST: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ],
    "description": "survey points fragment file(s) (from `parindex survey -o DIR`) merged into"
    " this assessment, each path relative to this file",
}


def _amendment_schema(registry: Registry | None) -> dict[str, Any]:
    from parindex.io.amend import Amendment

    schema = _model_schema(Amendment)
    base = _model_schema(Ruleset)
    _with_rules(base, registry)
    defs = schema.setdefault("$defs", {})
    for name, definition in base["$defs"].items():
        defs.setdefault(name, definition)
    defs["NodeOverride"]["properties"]["rule"] = {
        "anyOf": [{"$ref": "#/$defs/Rule"}, _NULL],
        "description": "a whole rule; it replaces the base's rule (null: points are entered)",
    }
    defs["Addition"]["properties"]["node"] = {"$ref": "#/$defs/Node"}
    return schema


def _case_schema() -> dict[str, Any]:
    from parindex.authoring.yamltests import CaseFileSpec, CaseSpec

    one = _model_schema(CaseSpec, ref_template="#/$defs/{model}")
    many = _model_schema(CaseFileSpec, ref_template="#/$defs/{model}")
    assessment = _model_schema(Assessment, ref_template="#/$defs/{model}")
    defs: dict[str, Any] = {}
    for part in (one, many, assessment):
        defs.update(part.pop("$defs", {}))
    defs["CaseSpec"] = one
    defs["CaseFileSpec"] = many
    defs["Assessment"] = assessment
    inline = {"anyOf": [{"$ref": "#/$defs/Assessment"}, _STRING, _NULL]}
    for model in ("CaseSpec", "CaseFileSpec"):
        defs[model]["properties"]["assessment"] = {
            **inline,
            "description": "the assessment, inline, or the path of an assessment file",
        }
    return {
        "title": "parindex test case file (*.case.yaml)",
        "anyOf": [{"$ref": "#/$defs/CaseSpec"}, {"$ref": "#/$defs/CaseFileSpec"}],
        "$defs": defs,
    }


def schema_files(registry: Registry | None = None) -> dict[str, str]:
    """Every schema as the text of its file, by file name."""
    return {
        f"{name}.schema.json": json.dumps(json_schema(name, registry), ensure_ascii=False, indent=2)
        + "\n"
        for name in SCHEMA_NAMES
    }
