"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader is used (C-accelerated where available). On top of it this module:

* reads numbers written with a decimal point as exact :class:`~decimal.Decimal`;
* rejects ``.nan``/``.inf``, duplicate keys, non-UTF-8 bytes and empty documents, and the YAML 1.1
  number forms that would silently change a value (``1:30`` read as 90, ``010`` read as 8);
* turns every failure of the parser or of a value constructor into a :class:`YamlSyntaxError`
  naming the line (never a raw ``ValueError``);
* enforces limits on file size, node count (which also bounds alias expansion), nesting depth
  (checked on the event stream *before* the document is composed, so a deeply nested file cannot
  exhaust the C stack) and the number of nodes in a ruleset tree (the limits themselves are in
  :mod:`parindex.io.limits`, re-exported here);
* returns a :class:`LineMap` from value paths (``("nodes", 0, "children", 2)``) to line numbers, so
  later validation errors can name the line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from parindex.io.files import input_name, open_input
from parindex.io.limits import DEFAULT_LIMITS, LIMIT_SPECS, Limits, LimitSpec, env_whole_number
from parindex.model.errors import InputFileError, LimitExceededError, YamlSyntaxError
from parindex.model.locations import LineMap, Path_
from parindex.model.text import clean_text

try:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


#: Written numbers are read only up to this many significant digits and this exponent (±).
MAX_NUMBER_DIGITS = 100
MAX_NUMBER_EXPONENT = 100


# ------------------------------------------------------------------------------------- loader
class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A value constructor that fails with a plain Python error (``2017-13-45`` as a date,
        # ``!!int abc``, ``!!bool maybe``) becomes a located YAML error.
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, LookupError, AttributeError, ArithmeticError) as exc:
            tag = str(node.tag).rsplit(":", 1)[-1]
            shown = node.value if isinstance(node, yaml.ScalarNode) else type(node).__name__
            raise ConstructorError(
                None,
                None,
                f"cannot read {shown!r} as {tag} ({type(exc).__name__}: {exc})",
                node.start_mark,
            ) from None


def _number_error(node: yaml.Node, message: str) -> ConstructorError:
    return ConstructorError(None, None, message, node.start_mark)


def _check_number(node: yaml.Node, text: str, value: Decimal) -> Decimal:
    if not value.is_finite():
        raise _number_error(node, f"{text!r} is not a finite number")
    digits = len(value.as_tuple().digits)
    if digits > MAX_NUMBER_DIGITS or abs(value.adjusted()) > MAX_NUMBER_EXPONENT:
        raise _number_error(
            node,
            f"number {text[:40]!r}{'…' if len(text) > 40 else ''} is out of the range"
            f" parindex reads (at most {MAX_NUMBER_DIGITS} digits, exponent within"
            f" ±{MAX_NUMBER_EXPONENT})",
        )
    return value


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    lowered = text.lower()
    if lowered in {".nan", ".inf", "+.inf", "-.inf"}:
        raise _number_error(node, f"{text!r} is not a finite number")
    if ":" in text:
        raise _number_error(
            node,
            f"{text!r} is a YAML 1.1 base-60 number; quote it if it is"
            " text, or write the number in decimal",
        )
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise _number_error(node, f"{text!r} is not a number") from None
    return _check_number(node, text, value)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    body = text.replace("_", "").lstrip("+-")
    if ":" in body:
        raise _number_error(
            node,
            f"{text!r} would be read as a YAML 1.1 base-60 number; quote it"
            " if it is text (e.g. a time), or write the number in decimal",
        )
    if len(body) > 1 and body[0] == "0" and body[1].isdigit():
        raise _number_error(
            node,
            f"{text!r} would be read as a YAML 1.1 octal number; quote it"
            f' if it is a code ("{text}"), or write it without leading zeros',
        )
    if len(body) > MAX_NUMBER_DIGITS:
        raise _number_error(
            node, f"whole number {text[:40]!r}… has more than {MAX_NUMBER_DIGITS} digits"
        )
    try:
        value: int = SafeConstructor.construct_yaml_int(loader, node)
    except (ValueError, IndexError):
        raise _number_error(node, f"{text!r} is not a whole number") from None
    return value


def _construct_str(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    value = str(loader.construct_scalar(node))
    try:
        return clean_text(value)
    except ValueError as exc:
        raise ConstructorError(None, None, str(exc), node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)

# Booleans as in YAML 1.2's core schema: only true and false. YAML 1.1 also reads yes, no, on
# and off as booleans, so `options: {yes: 1, no: 0}` had keys True and False and the choice "no"
# matched nothing; they stay text.
_BOOL_TAG = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# ------------------------------------------------------------------------------------- reading
def read_text(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """Read a UTF-8 text file within the size limit, with typed errors.

    Only a regular file is read (a named pipe, a device, a socket or a directory is refused before
    it is opened); ``-`` reads standard input. At most ``max_bytes + 1`` bytes are read, so a file
    that grows while it is read cannot exhaust memory. The text is returned in normal form NFC.
    """
    name = input_name(path)
    max_bytes = limits.max_bytes
    with open_input(path, max_bytes, limits.hint("max_bytes")) as fh:
        try:
            data = _read_at_most(fh, max_bytes + 1)
        except OSError as exc:
            raise InputFileError(f"cannot read file: {exc.strerror or exc}", file=name) from None
    if len(data) > max_bytes:
        raise _too_large(name, "file is larger than the limit", limits)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"not valid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})",
            file=name,
            line=line,
            hint="save the file as UTF-8",
        ) from None
    return nfc(text)


def nfc(text: str) -> str:
    """``text`` in Unicode normal form NFC: the same letters typed on different systems (a
    composed ``á``, or ``a`` and a combining accent) are the same text, key, code or unit."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _read_at_most(fh: BinaryIO, count: int) -> bytes:
    # In pieces: read(count) would reserve ``count`` bytes at once, however small the file.
    chunks: list[bytes] = []
    got = 0
    while got < count:
        chunk = fh.read(min(_CHUNK, count - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


_CHUNK = 1 << 20


def _too_large(file: str | Path | None, what: str, limits: Limits) -> LimitExceededError:
    return LimitExceededError(
        f"{what}, more than the limit of {limits.max_bytes} bytes",
        file=file,
        hint=limits.hint("max_bytes"),
    )


def load_yaml(
    text: str, *, file: str | Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[Any, LineMap]:
    """Parse one YAML document safely; return the data and where each value is."""
    name = str(file) if file is not None else None
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        bad_line = text[: exc.start].count("\n") + 1
        raise YamlSyntaxError(
            f"text holds a character that is not valid Unicode ({text[exc.start]!r})",
            file=name,
            line=bad_line,
        ) from None
    if size > limits.max_bytes:
        raise _too_large(name, f"document is {size} bytes", limits)
    if not text.strip():
        raise InputFileError("file is empty", file=name)
    loader = _Loader(text)
    try:
        _check_depth(text, limits, name)
        node = loader.get_single_node()
        if node is None:
            raise InputFileError("file holds no YAML document", file=name)
        _check_shape(node, limits, name)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{exc.context}: {problem}"
        raise YamlSyntaxError(f"invalid YAML: {problem}", file=name, line=line) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, name) from None
    except yaml.YAMLError as exc:  # pragma: no cover - errors without a mark
        raise YamlSyntaxError(f"invalid YAML: {exc}", file=name) from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise LimitExceededError(
            "YAML nesting too deep", file=name, hint=limits.hint("max_depth")
        ) from None
    except (ValueError, TypeError, LookupError, ArithmeticError) as exc:  # pragma: no cover
        raise YamlSyntaxError(f"invalid YAML: {type(exc).__name__}: {exc}", file=name) from None
    finally:
        loader.dispose()
    lines = LineMap(file=name)
    _record_lines(node, (), lines.lines)
    return data, lines


def load_yaml_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, LineMap]:
    """Read and parse one YAML file (``-``: standard input, named ``<stdin>`` in messages)."""
    return load_yaml(read_text(path, limits), file=input_name(path), limits=limits)


def _reader_error(exc: yaml.reader.ReaderError, text: str, name: str | None) -> YamlSyntaxError:
    char = exc.character
    shown = f"#x{char:04x}" if isinstance(char, int) else repr(char)
    position = exc.position if isinstance(exc.position, int) else 0
    line = text[:position].count("\n") + 1
    return YamlSyntaxError(
        f"invalid YAML: character {shown} is not allowed ({exc.reason})", file=name, line=line
    )


_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _check_depth(text: str, limits: Limits, name: str | None) -> None:
    """Reject too deep nesting from the event stream, before a (recursive) composer sees it."""
    max_depth = limits.max_depth
    events = _BaseLoader(text)
    try:
        depth = 0  # the root collection is at depth 1, as in _check_shape
        while events.check_event():
            event = events.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, _OPEN):
                depth += 1
                if depth > max_depth:
                    raise LimitExceededError(
                        f"nesting deeper than {max_depth} levels",
                        file=name,
                        line=event.start_mark.line + 1 if event.start_mark else None,
                        hint=limits.hint("max_depth"),
                    )
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" not in str(exc.problem):
            raise
        # Newer libyaml (PyYAML >= 6.0.3 wheels) scans a whole run of flow indicators ahead and
        # refuses past its own fixed limit before any event reaches the count above; the user
        # still gets parindex's limit error, stated honestly when their limit is above libyaml's.
        mark = exc.problem_mark
        within = max_depth < _PARSER_MAX_DEPTH
        raise LimitExceededError(
            f"nesting deeper than {max_depth} levels"
            if within
            else f"nesting deeper than the YAML parser's own limit of {_PARSER_MAX_DEPTH} levels",
            file=name,
            line=mark.line + 1 if mark is not None else None,
            hint=limits.hint("max_depth") if within else "the parser's limit cannot be raised",
        ) from None
    finally:
        events.dispose()


#: libyaml's fixed flow-nesting limit (MAX_NESTING_LEVEL), enforced by PyYAML's C parser.
_PARSER_MAX_DEPTH = 1000


_TREE_KEYS = frozenset({"nodes", "children"})


def _check_shape(root: yaml.Node, limits: Limits, name: str | None) -> None:
    """Count nodes as a full expansion would see them (aliases included), check depth and keys.

    Also counts ruleset-tree nodes (mappings inside a ``nodes:`` or ``children:`` list) against
    ``max_ruleset_nodes``. The walk is in document order, so the line reported for a limit is that
    of the first value beyond it.
    """
    max_nodes, max_depth = limits.max_nodes, limits.max_depth
    max_tree = limits.max_ruleset_nodes
    count = tree = 0
    visited: set[int] = set()
    # (node, depth, role, line of the parent): role 1 = a nodes/children list, 2 = an item of one.
    # A node met again through an alias is reported at the line of the alias's parent, so an
    # expansion bomb is reported where it expands, not at its first anchor.
    stack: list[tuple[yaml.Node, int, int, int]] = [(root, 1, 0, 1)]
    while stack:
        node, depth, role, parent_line = stack.pop()
        if id(node) in visited:
            line = parent_line
        else:
            visited.add(id(node))
            line = node.start_mark.line + 1
        count += 1
        if count > max_nodes:
            raise LimitExceededError(
                f"document expands to more than {max_nodes} values"
                " (aliases are counted each time they are used)",
                file=name,
                line=line,
                hint=limits.hint("max_nodes"),
            )
        if depth > max_depth:
            raise LimitExceededError(
                f"nesting deeper than {max_depth} levels",
                file=name,
                line=line,
                hint=limits.hint("max_depth"),
            )
        if isinstance(node, yaml.MappingNode):
            if role == 2:
                tree += 1
                if tree > max_tree:
                    raise LimitExceededError(
                        f"the ruleset tree has more than {max_tree} nodes",
                        file=name,
                        line=line,
                        hint=limits.hint("max_ruleset_nodes"),
                    )
            seen: dict[str, tuple[int, str]] = {}
            pushed: list[tuple[yaml.Node, int, int, int]] = []
            for key, value in node.value:
                sub_role = 0
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    k = _key_text(key)
                    if k in seen:
                        first_line, first_raw = seen[k]
                        alike = (
                            ""
                            if first_raw == str(key.value)
                            else "; the two are written with different Unicode characters"
                            " but are the same text in normal form (NFC)"
                        )
                        raise YamlSyntaxError(
                            f"duplicate key {k!r} (first at line {first_line}{alike}); a later"
                            " value would silently replace the earlier one",
                            file=name,
                            line=key.start_mark.line + 1,
                        )
                    seen[k] = (key.start_mark.line + 1, str(key.value))
                    if k in _TREE_KEYS and isinstance(value, yaml.SequenceNode):
                        sub_role = 1
                pushed.append((key, depth + 1, 0, line))
                pushed.append((value, depth + 1, sub_role, line))
            stack.extend(reversed(pushed))
        elif isinstance(node, yaml.SequenceNode):
            item_role = 2 if role == 1 else 0
            stack.extend((child, depth + 1, item_role, line) for child in reversed(node.value))


def _key_text(key: yaml.ScalarNode) -> str:
    """A key as the constructed document holds it (text in NFC)."""
    return unicodedata.normalize("NFC", str(key.value))


def _record_lines(node: yaml.Node, path: Path_, out: dict[Path_, int]) -> None:
    seen: set[int] = set()
    for sub, p in _walk(node, path, seen):
        out.setdefault(p, sub.start_mark.line + 1)


def _walk(node: yaml.Node, path: Path_, seen: set[int]) -> Iterator[tuple[yaml.Node, Path_]]:
    # Each YAML node is visited once: an alias reports the line of its anchor only.
    stack: list[tuple[yaml.Node, Path_]] = [(node, path)]
    while stack:
        cur, p = stack.pop()
        yield cur, p
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, yaml.MappingNode):
            for key, value in cur.value:
                if isinstance(key, yaml.ScalarNode):
                    stack.append((value, (*p, _key_text(key))))
        elif isinstance(cur, yaml.SequenceNode):
            for i, child in enumerate(cur.value):
                stack.append((child, (*p, i)))


__all__ = [
    "DEFAULT_LIMITS",
    "LIMIT_SPECS",
    "MAX_NUMBER_DIGITS",
    "MAX_NUMBER_EXPONENT",
    "LimitSpec",
    "Limits",
    "env_whole_number",
    "load_yaml",
    "load_yaml_file",
    "nfc",
    "read_text",
]
