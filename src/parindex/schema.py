"""JSON Schema of the file formats, with every registered rule kind in the ruleset schema."""

from __future__ import annotations

from typing import Any

from parindex.models import Assessment, Ruleset, ScoreCard
from parindex.parameters import Parameters
from parindex.registry import Registry, default_registry


def json_schema(what: str = "ruleset", registry: Registry | None = None) -> dict[str, Any]:
    if what == "assessment":
        schema = Assessment.model_json_schema()
    elif what == "parameters":
        schema = Parameters.model_json_schema()
    elif what == "scorecard":
        schema = ScoreCard.model_json_schema(mode="serialization")
    else:
        schema = Ruleset.model_json_schema()
        kinds = (registry or default_registry()).rule_kinds
        defs = schema.setdefault("$defs", {})
        refs = []
        for name, kind in sorted(kinds.items()):
            sub = kind.model_json_schema(ref_template="#/$defs/{model}")
            for k, v in sub.pop("$defs", {}).items():
                defs.setdefault(k, v)
            defs[f"rule_{name}"] = sub
            refs.append({"$ref": f"#/$defs/rule_{name}"})
        defs["Rule"] = {"oneOf": refs, "description": "a rule of one of the registered kinds"}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
