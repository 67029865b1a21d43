"""Resource limits on reading input: what each limit counts, its environment variable, default
and ceiling (:data:`LIMIT_SPECS`), and the :class:`Limits` a reader is given.

A limit left out of :class:`Limits` is read from its environment variable each time it is needed;
a bad setting is a :class:`~parindex.model.errors.ConfigError` naming the variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from parindex.model.errors import ConfigError
from parindex.model.i18n import N_


@dataclass(frozen=True)
class LimitSpec:
    """One resource limit: its environment variable, default, the largest value accepted (so a
    38-digit setting is a clear error, not an overflow deep inside) and what it counts."""

    name: str
    env: str
    default: int
    what: str
    ceiling: int = 2**40


LIMIT_SPECS: tuple[LimitSpec, ...] = (
    LimitSpec(
        "max_bytes",
        "PARINDEX_MAX_FILE_BYTES",
        20 * 1024 * 1024,
        N_("size of one input file in bytes"),
    ),
    LimitSpec(
        "max_nodes",
        "PARINDEX_MAX_YAML_NODES",
        500_000,
        N_(
            "values in one YAML document,"
            " aliases counted each time they are used (bounds alias-expansion bombs)"
        ),
        ceiling=10**9,
    ),
    # (libyaml refuses flow nesting beyond 1000 by itself, and says so; deeper block nesting than
    # Python's stack allows is reported as too deep)
    LimitSpec(
        "max_depth", "PARINDEX_MAX_YAML_DEPTH", 64, N_("nesting depth of a YAML document"), 10**6
    ),
    LimitSpec(
        "max_ruleset_nodes",
        "PARINDEX_MAX_RULESET_NODES",
        10_000,
        N_("nodes in one ruleset tree (items of all `nodes:` and `children:` lists)"),
        ceiling=10**8,
    ),
    LimitSpec(
        "max_line_bytes",
        "PARINDEX_MAX_LINE_BYTES",
        1024 * 1024,
        N_(
            "length of one line of a streamed CSV file (published datasets, survey answers)"
            " in bytes"
        ),
        ceiling=2**31,
    ),
    LimitSpec(
        "max_cell_chars",
        "PARINDEX_MAX_CELL_CHARS",
        131_072,
        N_("length of one spreadsheet (XLSX) cell in characters"),
        ceiling=2**31,
    ),
    LimitSpec(
        "max_rows", "PARINDEX_MAX_ROWS", 100_000, N_("rows of one spreadsheet (XLSX) sheet"), 10**8
    ),
    LimitSpec(
        "max_columns",
        "PARINDEX_MAX_COLUMNS",
        1_000,
        N_("columns of one spreadsheet (XLSX) sheet"),
        ceiling=16_384,  # Excel's own: column XFD
    ),
)
_SPECS = {s.name: s for s in LIMIT_SPECS}


def env_whole_number(env: str, default: int, ceiling: int, what: str) -> int:
    """A positive whole number from the environment variable ``env`` (``default`` when unset);
    anything else - text, zero, a negative number, more than ``ceiling`` - is a
    :class:`ConfigError` naming the variable."""
    raw = os.environ.get(env)
    if raw is None or not raw.strip():
        return default
    text = raw.strip().replace("_", "")
    about = f"{env} is the limit on the {what} (default {default})"
    if not text.isascii() or not text.lstrip("+-").isdigit():
        raise ConfigError(f"{env}={raw!r} is not a whole number", hint=about) from None
    if len(text.lstrip("+-0")) > len(str(ceiling)) or int(text) > ceiling:
        raise ConfigError(
            f"{env}={raw[:40]!r}{'…' if len(raw) > 40 else ''} is more than {ceiling},"
            " the most parindex accepts",
            hint=about,
        )
    value = int(text)
    if value <= 0:
        raise ConfigError(f"{env}={raw!r} must be a positive whole number", hint=about)
    return value


def _env_limit(spec: LimitSpec) -> int:
    return env_whole_number(spec.env, spec.default, spec.ceiling, spec.what)


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
        max_line_bytes: int | None = None,
        max_cell_chars: int | None = None,
        max_rows: int | None = None,
        max_columns: int | None = None,
    ) -> None:
        given = {
            "max_bytes": max_bytes,
            "max_nodes": max_nodes,
            "max_depth": max_depth,
            "max_ruleset_nodes": max_ruleset_nodes,
            "max_line_bytes": max_line_bytes,
            "max_cell_chars": max_cell_chars,
            "max_rows": max_rows,
            "max_columns": max_columns,
        }
        for name, value in given.items():
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value <= 0
            ):
                raise ConfigError(f"limit {name} must be a positive whole number, got {value!r}")
            if value is not None and value > _SPECS[name].ceiling:
                raise ConfigError(
                    f"limit {name}={value} is more than {_SPECS[name].ceiling},"
                    " the most parindex accepts"
                )
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

    @property
    def max_line_bytes(self) -> int:
        return self.get("max_line_bytes")

    @property
    def max_cell_chars(self) -> int:
        return self.get("max_cell_chars")

    @property
    def max_rows(self) -> int:
        return self.get("max_rows")

    @property
    def max_columns(self) -> int:
        return self.get("max_columns")

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v}" for k, v in self._given.items())
        return f"Limits({inner})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Limits) and other._given == self._given

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._given.items())))


DEFAULT_LIMITS = Limits()


__all__ = ["DEFAULT_LIMITS", "LIMIT_SPECS", "LimitSpec", "Limits", "env_whole_number"]
