"""Helpers of the option tests: ``Run``, the ``Cli`` type, paths of the example files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


Cli = Callable[..., Run]


#: A responsibility map with two sections for moha.province: field 1 to agency A in the first;
#: fields 1 and 2 to agency B in the second.
TWO_SECTION_MAP = """\
responsibility_map: two-sections
province: {vi: Tỉnh minh họa, en: Example province}
year: 2017
source: {document: "illustrative"}
status: unverified
sections:
  first:
    title: {vi: Một, en: One}
    rulesets: [moha.province]
    entries:
      - {codes: ["1"], lead: Cơ quan A, clause: "1"}
  second:
    title: {vi: Hai, en: Two}
    rulesets: [moha.province]
    entries:
      - {codes: ["1", "2"], lead: Cơ quan B, clause: "2"}
"""
