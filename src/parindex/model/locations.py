"""Where a value came from: line numbers of values in a document, keyed by their path."""

from __future__ import annotations

from dataclasses import dataclass, field

#: The path of a value in a document: mapping keys and list indices from the root.
Path_ = tuple[str | int, ...]


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
