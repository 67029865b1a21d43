"""The ``version`` and ``years`` a ruleset file declares, read from its YAML events alone.

The registry resolves a year by reading these two keys of every version file and parsing only
the one that covers the year (parsing, validating and checking a version file costs ~10× this
scan). The scan is exact or it gives up: only a top-level block of plain keys is read, ``version``
must be a quoted string or a plain word, ``years`` a sequence of plain whole numbers, and a file
with anything else there (an amendment's ``extends``, a merge key, a tag, an anchor, an alias, a
key given twice, a YAML error) gives ``None``, for which the registry reads every version as it
always did. A file whose header is read is still parsed and checked in full before it is used,
and the registry compares what it declares with what was scanned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import yaml

from parindex.io.yamlfile import read_text
from parindex.model.errors import ParindexError

try:  # pragma: no cover - depends on how PyYAML was built
    _Parser: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Parser = yaml.SafeLoader

#: A plain ``version`` the full reader takes as this same text (not a number, date or boolean).
_PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_NOT_TEXT = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
#: A plain year the full reader takes as this integer (no sign, no leading zero, no ``_``).
_PLAIN_WHOLE = re.compile(r"[1-9][0-9]{0,17}")
#: The style of a plain scalar event (libyaml's parser gives "", PyYAML's own None).
_PLAIN = (None, "")


@dataclass(frozen=True)
class Header:
    """What a ruleset file says it is: its version and the years it covers."""

    version: str
    years: tuple[int, ...]


def read_header(path: object) -> Header | None:
    """The header of the ruleset file at ``path``, or None when it cannot be read exactly."""
    try:
        text = read_text(str(path))
    except (ParindexError, OSError):
        return None
    return header_of(text)


def header_of(text: str) -> Header | None:
    """The header of a ruleset document given as text (see the module's description)."""
    parser = _Parser(text)
    try:
        return _scan(parser)
    except (yaml.YAMLError, _GiveUp):
        return None
    finally:
        parser.dispose()


class _GiveUp(Exception):
    """The document is not of the simple form whose header the scan reads exactly."""


def _next(parser: yaml.SafeLoader) -> yaml.Event:
    if not parser.check_event():
        raise _GiveUp
    event: yaml.Event = parser.get_event()  # type: ignore[no-untyped-call]
    return event


def _scan(parser: yaml.SafeLoader) -> Header | None:
    _expect(_next(parser), yaml.StreamStartEvent)
    _expect(_next(parser), yaml.DocumentStartEvent)
    _plain_collection(_next(parser), yaml.MappingStartEvent)
    version: str | None = None
    years: tuple[int, ...] | None = None
    seen: set[str] = set()
    while True:
        event = _next(parser)
        if isinstance(event, yaml.MappingEndEvent):
            break
        key = _plain_scalar(event)
        if key in seen or key in ("extends", "<<"):
            raise _GiveUp  # twice (invalid anyway), an amendment or a merge: the full reader
        seen.add(key)
        if key == "version":
            version = _version(_next(parser))
        elif key == "years":
            years = _years(parser)
        else:
            _skip(parser, _next(parser))
    if version is None or not years:
        return None
    return Header(version, years)


def _expect(event: yaml.Event, kind: type[yaml.Event]) -> None:
    if not isinstance(event, kind):
        raise _GiveUp


def _plain_collection(event: yaml.Event, kind: type[yaml.Event]) -> None:
    _expect(event, kind)
    if getattr(event, "anchor", None) is not None or not getattr(event, "implicit", False):
        raise _GiveUp  # an anchor may be aliased elsewhere; a tag may change what it holds


def _plain_scalar(event: yaml.Event) -> str:
    if (
        not isinstance(event, yaml.ScalarEvent)
        or event.anchor is not None
        or event.style not in _PLAIN
        or event.implicit != (True, False)
    ):
        raise _GiveUp
    return str(event.value)


def _version(event: yaml.Event) -> str:
    if not isinstance(event, yaml.ScalarEvent) or event.anchor is not None:
        raise _GiveUp
    if event.style in ("'", '"') and event.implicit[1]:
        value = str(event.value)
    elif event.style in _PLAIN and event.implicit == (True, False):
        value = str(event.value)
        if not _PLAIN_WORD.fullmatch(value) or value.lower() in _NOT_TEXT:
            raise _GiveUp  # a plain scalar the reader may take as something other than text
    else:
        raise _GiveUp
    return unicodedata.normalize("NFC", value)


def _years(parser: yaml.SafeLoader) -> tuple[int, ...]:
    _plain_collection(_next(parser), yaml.SequenceStartEvent)
    out: list[int] = []
    while True:
        event = _next(parser)
        if isinstance(event, yaml.SequenceEndEvent):
            return tuple(out)
        value = _plain_scalar(event)
        if not _PLAIN_WHOLE.fullmatch(value):
            raise _GiveUp
        out.append(int(value))


def _skip(parser: yaml.SafeLoader, event: yaml.Event) -> None:
    """Consume the value that starts with ``event``."""
    if isinstance(event, yaml.AliasEvent):
        raise _GiveUp  # a top-level value taken from an anchor: the header may be in it
    depth = 1 if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) else 0
    while depth:
        event = _next(parser)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


__all__ = ["Header", "header_of", "read_header"]
