"""Survey points fragments: reading one, merging it into an assessment, and the assessment's own
list of fragments (``survey:``), resolved relative to the assessment file.

A fragment (``kind: survey-points``, written by ``parindex survey -o DIR``) holds the inputs of a
ruleset's survey nodes for one unit, with every formula step and its status. It lives in the io
layer, below scoring, so that scoring an assessment *file* that lists its fragments merges them
wherever the file is read (``score``, ``validate``, ``rank``, the planning commands), exactly as
``score --survey`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parindex.io.yamlfile import DEFAULT_LIMITS, Limits, load_yaml_file
from parindex.model.documents import Assessment, ScoreCard
from parindex.model.errors import AssessmentError, ParindexError, SchemaError
from parindex.model.i18n import N_, add_templates
from parindex.model.locations import LineMap
from parindex.model.survey_map import STEP_TEMPLATES

FRAGMENT_KIND = "survey-points"

# The errors and notes of this module, translated when shown (the notes quote the map's steps).
add_templates(
    *STEP_TEMPLATES,
    N_("not a survey fragment (needs 'kind: {kind}')"),
    N_("a survey fragment needs {name}"),
    N_("the fragment's unit needs an id"),
    N_("'year' must be a whole number, got {got}"),
    N_("'inputs' must be a mapping"),
    N_("input {code}: give exactly one of points or measure"),
    N_("survey {code}: {what} [unverified]"),
    N_("survey map {map} is an EXAMPLE, not a published split"),
    N_("the survey fragment is for {what} {theirs}, the assessment for {mine}"),
    N_("node(s) {codes} are given both in the assessment and by the survey"),
    N_("'survey' lists survey fragment files: one path or a list of paths"),
    N_("survey entry {entry} is not a file path"),
    N_("listed at {file}"),
)


@dataclass(frozen=True)
class Fragment:
    ruleset: str
    year: int
    view: str | None
    unit: str
    inputs: dict[str, dict[str, str]]
    unverified: tuple[str, ...]
    notes: tuple[str, ...]
    file: str | None


def is_fragment(data: Any) -> bool:
    """Whether plain data (as read from YAML or JSON) says it is a survey fragment."""
    return isinstance(data, dict) and data.get("kind") == FRAGMENT_KIND


def fragment_from_data(data: Any, file: str | None = None, line_of: Any = None) -> Fragment:
    """Read a fragment written by ``parindex survey`` (or by hand)."""

    def fail(message: str, *key: str) -> SchemaError:
        line = line_of(key) if line_of else None
        return SchemaError(message, file=file, line=line, field=key[0])

    if not is_fragment(data):
        raise fail(f"not a survey fragment (needs 'kind: {FRAGMENT_KIND}')", "kind")
    for key in ("ruleset", "year", "unit", "inputs"):
        if key not in data:
            raise fail(f"a survey fragment needs {key!r}", key)
    unit = data["unit"]
    unit_id = unit.get("id") if isinstance(unit, dict) else unit
    if unit_id is None or str(unit_id).strip() == "":
        raise fail("the fragment's unit needs an id", "unit")
    year = data["year"]
    if isinstance(year, bool) or not isinstance(year, int):
        raise fail(f"'year' must be a whole number, got {year!r}", "year")
    inputs = data["inputs"]
    if not isinstance(inputs, dict):
        raise fail("'inputs' must be a mapping", "inputs")
    checked: dict[str, dict[str, str]] = {}
    for code, entry in inputs.items():
        if not isinstance(entry, dict) or len(entry) != 1 or next(iter(entry)) not in _GIVEN:
            raise fail(f"input {code}: give exactly one of points or measure", "inputs", code)
        ((given, amount),) = entry.items()
        checked[str(code)] = {given: str(amount)}
    unverified: list[str] = []
    notes: list[str] = []
    map_info = data.get("map") or {}
    steps = data.get("steps") or {}
    for code, step in steps.items() if isinstance(steps, dict) else ():
        formula = step.get("formula", []) if isinstance(step, dict) else []
        weak = [f for f in formula if isinstance(f, dict) and f.get("status") == "unverified"]
        if weak:
            unverified.append(str(code))
            for f in weak:
                notes.append(f"survey {code}: {f.get('what')} [unverified]")
    if isinstance(map_info, dict) and map_info.get("example"):
        notes.append(f"survey map {map_info.get('id')} is an EXAMPLE, not a published split")
    return Fragment(
        str(data["ruleset"]),
        year,
        str(data["view"]) if data.get("view") else None,
        str(unit_id),
        checked,
        tuple(unverified),
        tuple(notes),
        file,
    )


_GIVEN = ("points", "measure")


def read_fragment_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Fragment:
    """A fragment file (YAML or JSON), its errors located in it."""
    data, lines = load_yaml_file(path, limits)
    return fragment_from_data(data, str(path), lines.line_of)


def merge_fragment(assessment: Assessment, fragment: Fragment) -> Assessment:
    """The assessment with the fragment's inputs added; a mismatch or a node given twice is an
    error naming the fragment."""
    for what, mine, theirs in (
        ("ruleset", assessment.ruleset, fragment.ruleset),
        ("year", assessment.year, fragment.year),
        ("unit", assessment.unit.id, fragment.unit),
        ("view", assessment.view, fragment.view),
    ):
        if mine != theirs:
            raise AssessmentError(
                f"the survey fragment is for {what} {theirs!r}, the assessment for {mine!r}",
                field=what,
                file=fragment.file,
            )
    twice = sorted(set(assessment.inputs) & set(fragment.inputs))
    if twice:
        raise AssessmentError(
            f"node(s) {', '.join(twice)} are given both in the assessment and by the survey",
            code=twice[0],
            file=fragment.file,
        )
    data = assessment.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["inputs"] = {**data.get("inputs", {}), **fragment.inputs}
    return Assessment.model_validate(data)


def mark_card(card: ScoreCard, fragment: Fragment) -> ScoreCard:
    """The card with the survey's unverified steps flagged and described."""
    codes = tuple(dict.fromkeys((*card.unverified_codes, *fragment.unverified)))
    return card.model_copy(
        update={
            "unverified": card.unverified or bool(fragment.unverified),
            "unverified_codes": codes,
            "notes": (*card.notes, *fragment.notes),
        }
    )


def listed_fragments(data: Any, lines: LineMap) -> tuple[Any, tuple[Fragment, ...]]:
    """An assessment's data without its ``survey:`` list, and the fragments that list names
    (one path or a list of paths, each relative to the assessment file). A fragment that cannot
    be read is an error at the line of its entry in the assessment, with the fragment's own."""
    if not isinstance(data, dict) or "survey" not in data:
        return data, ()
    listed = data["survey"]
    rest = {k: v for k, v in data.items() if k != "survey"}
    entries = [listed] if isinstance(listed, str) else listed
    if not isinstance(entries, list) or not entries:
        raise SchemaError(
            "'survey' lists survey fragment files: one path or a list of paths",
            file=lines.file,
            line=lines.line_of(("survey",)),
            field="survey",
        )
    folder = Path(lines.file).parent if lines.file else Path()
    located: list[tuple[str, int | None]] = []  # every entry checked before any file is read
    for i, entry in enumerate(entries):
        at = ("survey",) if isinstance(listed, str) else ("survey", i)
        line = lines.line_of(at) or lines.line_of(("survey",))
        if not isinstance(entry, str) or not entry.strip():
            raise SchemaError(
                f"survey entry {entry!r} is not a file path",
                file=lines.file,
                line=line,
                field="survey",
            )
        located.append((entry, line))
    fragments: list[Fragment] = []
    for entry, line in located:
        try:
            fragments.append(read_fragment_file(folder / entry))
        except ParindexError as err:
            listed_at = f"{lines.file}:{line}" if lines.file and line else lines.file
            err.hint = f"listed at {listed_at}" + (f"; {err.hint}" if err.hint else "")
            raise
    return rest, tuple(fragments)


__all__ = [
    "FRAGMENT_KIND",
    "Fragment",
    "fragment_from_data",
    "is_fragment",
    "listed_fragments",
    "mark_card",
    "merge_fragment",
    "read_fragment_file",
]
