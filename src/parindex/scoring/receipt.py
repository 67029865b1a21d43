"""What a score card's receipt states about how it was made: the rounding rule and the
ruleset's content hash."""

from __future__ import annotations

import hashlib
import json

from parindex.model.documents import Ruleset

ROUNDING_RULE = (
    "node points exact; total and index rounded once at the end to {places} places ({mode});"
    " group and rank use the rounded index"
)


def content_hash(ruleset: Ruleset) -> str:
    """sha256 of the ruleset's canonical JSON: two rulesets with equal content share it."""
    cached = _HASHES.get(id(ruleset))
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    payload = json.dumps(
        ruleset.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    digest = "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()
    _HASHES[id(ruleset)] = (ruleset, digest)
    return digest


_HASHES: dict[int, tuple[Ruleset, str]] = {}


__all__ = ["ROUNDING_RULE", "content_hash"]
