"""Strategies for fuzzing: arbitrary and YAML-shaped text, nasty numbers, arbitrary data, and
mutations of valid rulesets, assessments, parameter files and CSV tables."""

from __future__ import annotations

import copy
import datetime as dt
import json
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

BASE = Path(__file__).resolve().parents[1] / "badinput" / "base"


def base_data(name: str) -> Any:
    return yaml.safe_load((BASE / name).read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- numbers and text
NASTY_TEXT = [
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "-inf",
    ".nan",
    ".inf",
    "1e400",
    "-1e400",
    "1e999999999999999999",
    "1e-999999999",
    "1e-40",
    "9" * 60,
    "9" * 5000,
    "0." + "0" * 80 + "1",
    "0x10",
    "0b11",
    "0o17",
    "010",
    "1:30",
    "1_000",
    "1,5",
    "１２",
    "٣",
    "+5",
    "-0",
    "0e0",
    "1e",
    "e5",
    ".",
    "-",
    "",
    " ",
    " 5 ",
    "1E+1",
    "4.9999999999999999999999999",
    "n/a",
    "na",
    "not_applicable",
    "yes",
    "no",
    "true",
    "null",
    "~",
    "2020-02-30",
    "\x00",
    "\u2028",
    "\ufeff",
    "5\x00",
    "1.1.1",
    "🙂",
    "𝟓",
]
nasty_text = st.sampled_from(NASTY_TEXT)

# Numbers as a YAML or JSON reader can hand them over: parindex's YAML reader rejects more than
# 100 digits or an exponent beyond ±100 (a Decimal such as 1E+999999999999 given to an integer
# field makes pydantic compute the integer: the process hangs), so data-level fuzzing stays within
# that; huge exponents are fuzzed as text (NASTY_TEXT), which is how they arrive.
_BIG = Decimal("1e100")
numbers = st.one_of(
    st.integers(-10, 120),
    st.integers(-(10**100), 10**100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-_BIG, max_value=_BIG, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-100, max_value=100, places=3),
    st.sampled_from(
        [
            Decimal("NaN"),
            Decimal("sNaN"),
            Decimal("Infinity"),
            Decimal("-Infinity"),
            Decimal("-0"),
            Decimal("1E-100"),
            Decimal("1E+100"),
            -(10**30),
            2**63,
        ]
    ),
    # (no integer beyond 100 digits: YAML and JSON text cannot produce one - parindex's YAML reader
    # rejects them - and Python cannot even print one beyond 4300 digits)
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    nasty_text,
    st.text(max_size=12),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.binary(max_size=6),
)

keys = st.one_of(
    st.text(max_size=10),
    st.integers(-3, 20),
    nasty_text,
    st.sampled_from(
        [
            "code",
            "maximum",
            "rule",
            "kind",
            "children",
            "nodes",
            "points",
            "measure",
            "choice",
            "count",
            "self",
            "appraised",
            "not_applicable",
            "bands",
            "min",
            "max",
            "options",
            "step",
        ]
    ),
)

values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=12,
)

YAML_TOKENS = [
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "- ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: ",
    "<<: *a",
    "!!int ",
    "!!float ",
    "!!str ",
    "!!bool ",
    "!!null ",
    "!!binary ",
    "!!timestamp ",
    "!!set ",
    "!!omap ",
    "!!pairs ",
    "!!map ",
    "!!seq ",
    "!!python/object:os.system ",
    "!local ",
    "|\n  ",
    ">-\n  ",
    "'",
    '"',
    "# c\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n---\n",
    "%TAG !e! tag:e.com,2000:\n---\n",
    "\\x00",
    "\\u00e9",
    "\t",
    "\r\n",
    "\x85",
    "\u2028",
    "\ufeff",
    "id",
    "nodes",
    "children",
    "code",
    "maximum",
    "rule",
    "kind",
    "tiers",
    "choice",
    "inputs",
    "year",
    "ruleset",
    "unit",
    "maxima",
    "parameters_for",
    *NASTY_TEXT,
]

yaml_like_text = st.lists(
    st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=4)), max_size=60
).map("".join)

any_text = st.one_of(st.text(max_size=400), yaml_like_text)


# ----------------------------------------------------------------------------- mutations
def _slots(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _slots(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _slots(v, (*path, i))
    return out


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


@st.composite
def mutated(draw: st.DrawFn, base: Any, max_changes: int = 4) -> Any:
    """``base`` with 1 to ``max_changes`` random changes: a value replaced (by an arbitrary value,
    a nasty number or text, another part of the document), a key removed, a list item repeated
    or dropped, a mapping given an extra key."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, max_changes))):
        slots = _slots(data)
        path = draw(st.sampled_from(slots))
        op = draw(
            st.sampled_from(["replace", "replace", "nasty", "borrow", "delete", "repeat", "extra"])
        )
        if not path:
            if op in {"replace", "nasty"}:
                data = draw(values)
            continue
        parent, last = _get(data, path[:-1]), path[-1]
        if op == "replace":
            parent[last] = draw(values)
        elif op == "nasty":
            parent[last] = draw(st.one_of(nasty_text, numbers))
        elif op == "borrow":
            parent[last] = copy.deepcopy(_get(data, draw(st.sampled_from(slots))))
        elif op == "delete":
            del parent[last]
        elif op == "repeat" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        elif op == "extra" and isinstance(parent, dict):
            parent[draw(keys)] = draw(values)
    return data


def _plain(value: Any) -> Any:
    """Something yaml.safe_dump and json.dumps accept."""
    if isinstance(value, dict):
        return {(k if isinstance(k, (str, int)) else str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float) and value != value:
        return ".nan"
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, int) and abs(value) > 10**100:
        return "9" * 120
    return value


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False)


def dump_json(data: Any) -> str:
    return json.dumps(_plain(data), ensure_ascii=False, default=str)


@st.composite
def corrupted(draw: st.DrawFn, text: str, max_edits: int = 3) -> str:
    """``text`` with a few characters inserted, deleted or replaced at random places."""
    for _ in range(draw(st.integers(0, max_edits))):
        if not text:
            break
        i = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=3)))
        if op == "insert":
            text = text[:i] + piece + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 20)) :]
        else:
            text = text[:i] + piece + text[i + len(piece) :]
    return text


def mutated_text(base: Any, dump: Callable[[Any], str] = dump_yaml) -> st.SearchStrategy[str]:
    return mutated(base).map(dump).flatmap(corrupted)


# ----------------------------------------------------------------------------- CSV
CSV_CELLS = [
    "test.province",
    "2020",
    "2021",
    "a",
    "b",
    "4",
    "4.25",
    "6",
    "1",
    "",
    " ",
    "NaN",
    "1e400",
    "1e999999999999999999",
    "-1",
    "n/a",
    '"',
    '""',
    '"a,b"',
    ",",
    "\n",
    "\r\n",
    "x" * 50,
    "1.1",
    "2.1",
    "unit",
    "year",
    "ruleset",
    "\x00",
    "\ufeff",
    "Quảng Ninh",
]
csv_cell = st.one_of(st.sampled_from(CSV_CELLS), st.text(max_size=6))


@st.composite
def csv_text(draw: st.DrawFn) -> str:
    """A CSV that mostly looks like a rank table (right header, plausible cells) but is not."""
    header = draw(
        st.one_of(
            st.just(["ruleset", "year", "unit", "unit_name", "1.1", "1.2", "2.1", "2.2"]),
            st.lists(
                st.one_of(
                    st.sampled_from(
                        [
                            "ruleset",
                            "year",
                            "unit",
                            "unit_name",
                            "view",
                            "total",
                            "1",
                            "1.1",
                            "1.2",
                            "2.1",
                            "2.2",
                            "9",
                        ]
                    ),
                    csv_cell,
                ),
                max_size=9,
            ),
        )
    )
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            cells = [
                "test.province",
                draw(st.sampled_from(["2020", "2021", "2019", "x"])),
                draw(st.sampled_from(["a", "b", "c", ""])),
            ]
            cells += [draw(csv_cell) for _ in range(max(0, len(header) - 3))]
        else:
            cells = [draw(csv_cell) for _ in range(draw(st.integers(0, len(header) + 1)))]
        rows.append(",".join(cells))
    sep = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return sep.join([",".join(header), *rows]) + draw(st.sampled_from(["", sep]))


# ----------------------------------------------------------------------------- issue 14 shapes
def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


#: Pieces of codes and keys that look like others: a dot too many, spaces (also no-break and
#: zero-width), digits of other scripts (Arabic-Indic ١, full-width １, Roman numeral Ⅰ), letters
#: with accents composed and decomposed, a dotless ı, a bidirectional override, a NUL.
LOOKALIKE = [
    "1", "2", "10", "D", "TD", "x", ".", "..", " ", "\u00a0", "\u200b", "\u0661", "\uff11",
    "\u2160", "\u0301", "\u0111", "\u00e1", _nfd("\u00e1"), _nfd("\u1ea7"), "\u0131", "_", "-",
    "\t", "\n", "\u202e", "\x00", "\x85",
]  # fmt: skip
unicode_codes = st.lists(
    st.one_of(st.sampled_from(LOOKALIKE), st.text(max_size=2)), max_size=6
).map("".join)

#: What a careless file gives where a boolean or a whole number belongs.
BOOLEAN_LIKE: list[Any] = [
    True, False, "yes", "no", "on", "off", "true", "false", "True", "y", "n", 1, 0, "1", "0",
    Decimal(1), Decimal("1.0"), 1.0, -0.0, Decimal("-0"), "-0.0", "2020", 2020.0,
    Decimal("2.02E+999999999999"), "1e-400", None,
]  # fmt: skip
boolean_like = st.sampled_from(BOOLEAN_LIKE)
YAML_BOOLEAN_WORDS = [
    "yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "OFF", "true", "false", "True",
    "FALSE", "~", "null", "-0.0", "1e-400", "0x1", "0o7",
]  # fmt: skip

#: The fields where a boolean, a whole number or a code is expected, and what to put there.
SHAPED_FIELDS = {
    "code": unicode_codes,
    "years": st.lists(boolean_like, min_size=1, max_size=3),
    "year": boolean_like,
    "count": boolean_like,
    "places": boolean_like,
    "min_inclusive": boolean_like,
    "max_inclusive": boolean_like,
    "published": boolean_like,
    "not_applicable": boolean_like,
    "maximum": boolean_like,
    "points": boolean_like,
    "choice": st.one_of(unicode_codes, st.sampled_from(YAML_BOOLEAN_WORDS)),
    "id": unicode_codes,
    "name": unicode_codes,
}


@st.composite
def shaped(draw: st.DrawFn, base: Any, max_changes: int = 3) -> Any:
    """``base`` with 1 to ``max_changes`` of its codes, booleans, years, counts or points replaced
    by look-alikes (a code with a Unicode digit, ``yes`` for a boolean, ``true`` for a year), or
    a mapping's key replaced by a look-alike of it (decomposed accents, a trailing space)."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, max_changes))):
        slots = [p for p in _slots(data) if p and isinstance(p[-1], str)]
        if not slots:
            break
        path = draw(st.sampled_from(slots))
        parent, last = _get(data, path[:-1]), path[-1]
        if last in SHAPED_FIELDS and draw(st.booleans()):
            parent[last] = draw(SHAPED_FIELDS[last])
        else:
            twin = draw(
                st.sampled_from(
                    [_nfd(last), last + " ", last + "\u200b", last.replace("1", "\u0661")]
                )
            )
            parent[twin] = parent.pop(last)
    return data


def shaped_text(base: Any) -> st.SearchStrategy[str]:
    """A shaped document as YAML, with some of its booleans written as YAML 1.1 words."""
    return (
        shaped(base)
        .map(dump_yaml)
        .flatmap(
            lambda text: st.sampled_from(YAML_BOOLEAN_WORDS).map(
                lambda word: text.replace(": true", f": {word}", 1).replace(
                    ": false", f": {word}", 1
                )
            )
        )
    )
