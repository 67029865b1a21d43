"""Typed errors. Every error raised for bad input is a :class:`ParindexError` with a location.

The location (file, line, node code, field) is kept in attributes so that programs can act on it,
and rendered in ``str(error)`` as ``file:line: [code] message`` so that people can.
"""

from __future__ import annotations

from pathlib import Path

from parindex.model.i18n import gettext, localize


class ParindexError(Exception):
    """Base class of every error parindex raises for bad input or configuration."""

    #: A short, stable name for the kind of error (used in JSON output and tests).
    kind = "error"

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        code: str | None = None,
        field: str | None = None,
        hint: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.code = code
        self.field = field
        self.hint = hint
        #: Where in a workbook (sheet name, cell such as ``F12``), for a file that is one.
        self.sheet = sheet
        self.cell = cell
        #: Further errors found in the same pass (``parindex validate`` lists them all).
        self.related: list[ParindexError] = []

    def located(
        self,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        code: str | None = None,
    ) -> ParindexError:
        """Fill in location parts that are still unknown; return self for chaining."""
        if self.file is None and file is not None:
            self.file = str(file)
        if self.line is None and line is not None:
            self.line = line
        if self.code is None and code is not None:
            self.code = code
        return self

    @property
    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        elif self.line:
            parts.append(f"line {self.line}")
        if self.sheet or self.cell:  # `form.xlsx: Lĩnh vực 3!F12`, as spreadsheet programs write
            where = "!".join(p for p in (self.sheet, self.cell) if p)
            return f"{parts[0]}: {where}" if parts else where
        return ":".join(parts)

    def __str__(self) -> str:
        # In the current locale (parindex.model.i18n): the message stays English in `message`.
        text = localize(self.message)
        if self.field:
            text = f"{self.field}: {text}"
        if self.code:
            text = f"[{gettext('node')} {self.code}] {text}"
        if self.location:
            text = f"{self.location}: {text}"
        if self.hint:
            text = f"{text} ({gettext('hint')}: {localize(self.hint)})"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "type": type(self).__name__,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "code": self.code,
            "field": self.field,
            "hint": self.hint,
            # only when set: the error JSON of files that are not workbooks stays as it was
            **({"sheet": self.sheet} if self.sheet else {}),
            **({"cell": self.cell} if self.cell else {}),
        }


# --- reading files -------------------------------------------------------------------------------
class InputFileError(ParindexError):
    """A file cannot be read: missing, not UTF-8, empty."""

    kind = "file"


class YamlSyntaxError(InputFileError):
    kind = "yaml-syntax"


class LimitExceededError(InputFileError):
    """A file exceeds a configured limit (size, nodes, depth, alias expansion)."""

    kind = "limit"


class CsvFormatError(InputFileError):
    kind = "csv"


class OutputFileError(ParindexError):
    """An output file cannot be written (folder not writable, target is a directory, disk full).

    The previous content of the file, if any, is left untouched.
    """

    kind = "output"


class ConfigError(ParindexError):
    """A setting (an environment variable such as ``PARINDEX_MAX_FILE_BYTES``) is invalid."""

    kind = "config"


# --- rulesets ------------------------------------------------------------------------------------
class RulesetError(ParindexError):
    """A ruleset is invalid."""

    kind = "ruleset"


class SchemaError(RulesetError):
    """A value has the wrong type or shape."""

    kind = "schema"


class DuplicateCodeError(RulesetError):
    kind = "duplicate-code"


class CodeStructureError(RulesetError):
    """A node code does not fit the tree (a child's code must extend its parent's)."""

    kind = "code-structure"


class MaximumSumError(RulesetError):
    """Children's maxima do not add up to the parent's."""

    kind = "maximum-sum"


class TierError(RulesetError):
    """Tier bands overlap, leave a gap or are malformed."""

    kind = "tiers"


class BandError(RulesetError):
    """Group bands do not cover 0–100 exactly once."""

    kind = "group-bands"


class UnknownRuleKindError(RulesetError):
    kind = "unknown-rule-kind"


class RuleError(RulesetError):
    """A rule's parameters are inconsistent with its node."""

    kind = "rule"


class UnknownRulesetError(ParindexError):
    kind = "unknown-ruleset"


class YearNotCoveredError(ParindexError):
    """No version of a ruleset covers the requested year."""

    kind = "year-not-covered"

    def __init__(self, ruleset_id: str, year: int, available: list[int], **kw: object) -> None:
        years = ", ".join(str(y) for y in available) or "none"
        super().__init__(
            f"ruleset {ruleset_id!r} has no version for year {year}; years available: {years}",
            **kw,  # type: ignore[arg-type]
        )
        self.ruleset_id = ruleset_id
        self.year = year
        self.available = available


# --- assessments ---------------------------------------------------------------------------------
class AssessmentError(ParindexError):
    """An assessment does not fit its ruleset."""

    kind = "assessment"


class UnknownCodeError(AssessmentError):
    kind = "unknown-code"


class InputValueError(AssessmentError):
    """An input has the wrong kind or an impossible value (negative, NaN, wrong step)."""

    kind = "input"


class PointsAboveMaximumError(InputValueError):
    kind = "points-above-maximum"


class MissingInputError(AssessmentError):
    kind = "missing-input"


class ConflictingInputError(AssessmentError):
    kind = "conflicting-input"


# --- plugins -------------------------------------------------------------------------------------
class PluginError(ParindexError):
    kind = "plugin"
