"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader is used (C-accelerated where available). On top of it this module:

* reads numbers written with a decimal point as exact :class:`~decimal.Decimal`;
* rejects ``.nan``/``.inf``, duplicate keys, non-UTF-8 bytes and empty documents, and the YAML 1.1
  number forms that would silently change a value (``1:30`` read as 90, ``010`` read as 8);
* turns every failure of the parser or of a value constructor into a :class:`YamlSyntaxError`
  naming the line (never a raw ``ValueError``);
* enforces limits on file size, node count (which also bounds alias expansion), nesting depth
  (checked on the event stream *before* the document is composed, so a deeply nested file cannot
  exhaust the C stack) and the number of nodes in a ruleset tree;
* returns a :class:`LineMap` from value paths (``("nodes", 0, "children", 2)``) to line numbers, so
  later validation errors can name the line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from parindex.model.errors import ConfigError, InputFileError, LimitExceededError, YamlSyntaxError
from parindex.model.locations import LineMap, Path_

try:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


# ------------------------------------------------------------------------------------- limits
@dataclass(frozen=True)
class LimitSpec:
    """One resource limit: its environment variable, default and what it counts."""

    name: str
    env: str
    default: int
    what: str


LIMIT_SPECS: tuple[LimitSpec, ...] = (
    LimitSpec(
        "max_bytes", "PARINDEX_MAX_FILE_BYTES", 20 * 1024 * 1024, "size of one input file in bytes"
    ),
    LimitSpec(
        "max_nodes",
        "PARINDEX_MAX_YAML_NODES",
        500_000,
        "values in one YAML document,"
        " aliases counted each time they are used (bounds alias-expansion bombs)",
    ),
    LimitSpec("max_depth", "PARINDEX_MAX_YAML_DEPTH", 64, "nesting depth of a YAML document"),
    LimitSpec(
        "max_ruleset_nodes",
        "PARINDEX_MAX_RULESET_NODES",
        10_000,
        "nodes in one ruleset tree (items of all `nodes:` and `children:` lists)",
    ),
)
_SPECS = {s.name: s for s in LIMIT_SPECS}

#: Written numbers are read only up to this many significant digits and this exponent (±).
MAX_NUMBER_DIGITS = 100
MAX_NUMBER_EXPONENT = 100


def _env_limit(spec: LimitSpec) -> int:
    raw = os.environ.get(spec.env)
    if raw is None or not raw.strip():
        return spec.default
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        raise ConfigError(
            f"{spec.env}={raw!r} is not a whole number",
            hint=f"{spec.env} is the limit on the {spec.what} (default {spec.default})",
        ) from None
    if value <= 0:
        raise ConfigError(
            f"{spec.env}={raw!r} must be a positive whole number", hint=f"default {spec.default}"
        )
    return value


class Limits:
    """Resource limits for reading one file.

    A limit given as an argument is used as is; one left out is read from its environment variable
    (see :data:`LIMIT_SPECS`) each time it is needed, so ``PARINDEX_MAX_FILE_BYTES=50000000
    parindex ...`` raises it for one run.
    """

    __slots__ = ("_given",)

    def __init__(
        self,
        max_bytes: int | None = None,
        max_nodes: int | None = None,
        max_depth: int | None = None,
        max_ruleset_nodes: int | None = None,
    ) -> None:
        given = {
            "max_bytes": max_bytes,
            "max_nodes": max_nodes,
            "max_depth": max_depth,
            "max_ruleset_nodes": max_ruleset_nodes,
        }
        for name, value in given.items():
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value <= 0
            ):
                raise ConfigError(f"limit {name} must be a positive whole number, got {value!r}")
        self._given: dict[str, int] = {k: v for k, v in given.items() if v is not None}

    def get(self, name: str) -> int:
        if name in self._given:
            return self._given[name]
        return _env_limit(_SPECS[name])

    def hint(self, name: str) -> str:
        spec = _SPECS[name]
        if name in self._given:
            return f"the limit was set in code (Limits({name}=...)); {spec.env} applies otherwise"
        return f"raise it with the environment variable {spec.env} (now {self.get(name)})"

    @property
    def max_bytes(self) -> int:
        return self.get("max_bytes")

    @property
    def max_nodes(self) -> int:
        return self.get("max_nodes")

    @property
    def max_depth(self) -> int:
        return self.get("max_depth")

    @property
    def max_ruleset_nodes(self) -> int:
        return self.get("max_ruleset_nodes")

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v}" for k, v in self._given.items())
        return f"Limits({inner})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Limits) and other._given == self._given

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._given.items())))


DEFAULT_LIMITS = Limits()


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


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


# ------------------------------------------------------------------------------------- reading
def read_text(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """Read a UTF-8 text file within the size limit, with typed errors.

    At most ``max_bytes + 1`` bytes are read, so a file that grows while it is read, a pipe or a
    device such as ``/dev/zero`` cannot exhaust memory.
    """
    p = Path(path)
    max_bytes = limits.max_bytes
    try:
        if p.is_dir():
            raise InputFileError("is a directory, not a file", file=p)
        size = p.stat().st_size
        if size > max_bytes:
            raise _too_large(p, f"file is {size} bytes", limits)
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputFileError("file not found", file=p) from None
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror or exc}", file=p) from None
    if len(data) > max_bytes:
        raise _too_large(p, "file is larger than the limit", limits)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"not valid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})",
            file=p,
            line=line,
            hint="save the file as UTF-8",
        ) from None
    return text


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
    return load_yaml(read_text(path, limits), file=path, limits=limits)


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
            seen: dict[str, int] = {}
            pushed: list[tuple[yaml.Node, int, int, int]] = []
            for key, value in node.value:
                sub_role = 0
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    k = str(key.value)
                    if k in seen:
                        raise YamlSyntaxError(
                            f"duplicate key {k!r} (first at line {seen[k]}); a later value would"
                            " silently replace the earlier one",
                            file=name,
                            line=key.start_mark.line + 1,
                        )
                    seen[k] = key.start_mark.line + 1
                    if k in _TREE_KEYS and isinstance(value, yaml.SequenceNode):
                        sub_role = 1
                pushed.append((key, depth + 1, 0, line))
                pushed.append((value, depth + 1, sub_role, line))
            stack.extend(reversed(pushed))
        elif isinstance(node, yaml.SequenceNode):
            item_role = 2 if role == 1 else 0
            stack.extend((child, depth + 1, item_role, line) for child in reversed(node.value))


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
                    stack.append((value, (*p, str(key.value))))
        elif isinstance(cur, yaml.SequenceNode):
            for i, child in enumerate(cur.value):
                stack.append((child, (*p, i)))
