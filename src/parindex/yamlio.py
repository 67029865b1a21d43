"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader is used (C-accelerated where available). On top of it this module:

* reads numbers written with a decimal point as exact :class:`~decimal.Decimal`;
* rejects ``.nan``/``.inf``, duplicate keys, non-UTF-8 bytes and empty documents;
* enforces limits on file size, node count (which also bounds alias expansion) and nesting depth;
* returns a :class:`LineMap` from value paths (``("nodes", 0, "children", 2)``) to line numbers, so
  later validation errors can name the line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from parindex.errors import InputFileError, LimitExceededError, YamlSyntaxError

try:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """Resource limits for reading one file. Raise them with environment variables or arguments."""

    max_bytes: int = int(os.environ.get("PARINDEX_MAX_FILE_BYTES", 20 * 1024 * 1024))
    max_nodes: int = int(os.environ.get("PARINDEX_MAX_YAML_NODES", 500_000))
    max_depth: int = int(os.environ.get("PARINDEX_MAX_YAML_DEPTH", 64))


DEFAULT_LIMITS = Limits()


@dataclass
class LineMap:
    """Line numbers (1-based) of values in a YAML document, keyed by their path."""

    file: str | None = None
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    lowered = text.lower()
    if lowered in {".nan", ".inf", "+.inf", "-.inf"}:
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a finite number", node.start_mark
        )
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the YAML resolver only passes numeric text
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a number", node.start_mark
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def read_text(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """Read a UTF-8 text file within the size limit, with typed errors."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputFileError("file not found", file=p) from None
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror}", file=p) from None
    if p.is_dir():
        raise InputFileError("is a directory, not a file", file=p)
    if size > limits.max_bytes:
        raise LimitExceededError(
            f"file is {size} bytes, more than the limit of {limits.max_bytes}",
            file=p,
            hint="raise it with PARINDEX_MAX_FILE_BYTES",
        )
    data = p.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"not valid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})",
            file=p,
            line=line,
        ) from None
    return text


def load_yaml(
    text: str, *, file: str | Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[Any, LineMap]:
    """Parse one YAML document safely; return the data and where each value is."""
    name = str(file) if file is not None else None
    if len(text.encode("utf-8")) > limits.max_bytes:
        raise LimitExceededError(
            f"document is larger than the limit of {limits.max_bytes} bytes",
            file=name,
            hint="raise it with PARINDEX_MAX_FILE_BYTES",
        )
    if not text.strip():
        raise InputFileError("file is empty", file=name)
    loader = _Loader(text)
    try:
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
    except yaml.YAMLError as exc:  # pragma: no cover - errors without a mark
        raise YamlSyntaxError(f"invalid YAML: {exc}", file=name) from None
    except RecursionError:
        raise LimitExceededError(
            "YAML nesting too deep", file=name, hint="raise PARINDEX_MAX_YAML_DEPTH"
        ) from None
    finally:
        loader.dispose()
    lines = LineMap(file=name)
    _record_lines(node, (), lines.lines)
    return data, lines


def load_yaml_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, LineMap]:
    return load_yaml(read_text(path, limits), file=path, limits=limits)


def _check_shape(root: yaml.Node, limits: Limits, name: str | None) -> None:
    """Count nodes as a full expansion would see them (aliases included), check depth and keys."""
    count = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > limits.max_nodes:
            raise LimitExceededError(
                f"document expands to more than {limits.max_nodes} values"
                " (aliases are counted each time they are used)",
                file=name,
                line=node.start_mark.line + 1,
                hint="raise it with PARINDEX_MAX_YAML_NODES",
            )
        if depth > limits.max_depth:
            raise LimitExceededError(
                f"nesting deeper than {limits.max_depth} levels",
                file=name,
                line=node.start_mark.line + 1,
                hint="raise it with PARINDEX_MAX_YAML_DEPTH",
            )
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
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
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)


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
