"""The message catalogue: every user-facing English string, looked up in the current locale.

English is the source language: a message is written in English in the code, marked with
:func:`_` (or :func:`N_` where it is only collected, for a template translated later), and
translated through the stdlib :mod:`gettext` catalogue ``parindex/locale/<lang>/LC_MESSAGES/
parindex.mo`` (compiled from the ``.po`` file next to it by ``python tools/compile_catalogues.py``).

The locale is a context variable, so one process can render for several readers (a server, the
tests) without a global switch: the command line sets it once from ``--locale``,
``$PARINDEX_LOCALE`` or ``$LANG`` (:func:`locale_from_env`).

Messages with fields are templates written with ``{name}`` placeholders and filled with
``str.format`` *after* translation, so a translator may reorder the fields. Errors are built in
many modules as finished English sentences; :func:`localize` translates such a sentence when it
is shown, by matching it against the templates of :data:`TEMPLATES` (so an error object keeps its
English text for programs and logs, and a reader in ``vi`` sees it in Vietnamese).
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar, Token
from decimal import Decimal
from functools import cache
from pathlib import Path

from parindex.model.decimals import fmt

#: The locales parindex speaks; the first is the source language of the catalogue.
LOCALES: tuple[str, ...] = ("en", "vi")
DOMAIN = "parindex"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LOCALE_ENV = "PARINDEX_LOCALE"

_current: ContextVar[str] = ContextVar("parindex_locale", default="en")


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (a template kept in a
    table and translated when shown)."""
    return message


class UnknownLocaleError(ValueError):
    """A locale parindex does not speak. A ValueError, not a ParindexError: the error module
    renders its messages through this one, which therefore imports nothing from it; the command
    line refuses an unknown locale itself (exit 2) before any is set."""


def check_locale(locale: str) -> str:
    if locale not in LOCALES:
        raise UnknownLocaleError(
            f"{locale!r} is not a known locale; the locales are: {', '.join(LOCALES)}"
        )
    return locale


def set_locale(locale: str) -> Token[str]:
    """Make ``locale`` current (checked); the token restores the previous one."""
    return _current.set(check_locale(locale))


def current_locale() -> str:
    return _current.get()


@contextlib.contextmanager
def using_locale(locale: str) -> Iterator[str]:
    token = set_locale(locale)
    try:
        yield locale
    finally:
        _current.reset(token)


def locale_from_env(environ: Mapping[str, str]) -> str:
    """``$PARINDEX_LOCALE`` (an unknown value is an :class:`UnknownLocaleError` listing the
    known ones),
    else the language of ``$LC_ALL``/``$LANG`` when parindex speaks it (``vi_VN.UTF-8`` → vi),
    else en. A system locale parindex does not speak (``C``, ``fr_FR``) is not an error: it is
    set for every program, not asked of parindex."""
    raw = environ.get(LOCALE_ENV, "").strip()
    if raw:
        return check_locale(raw)
    for name in ("LC_ALL", "LANG"):
        lang = environ.get(name, "").strip().split(".")[0].split("_")[0].lower()
        if lang:
            return lang if lang in LOCALES else LOCALES[0]
    return LOCALES[0]


@cache
def _catalogue(locale: str) -> _gettext.NullTranslations:
    if locale == LOCALES[0]:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale], fallback=True)


def gettext(message: str, locale: str | None = None) -> str:
    """``message`` in ``locale`` (default: the current one); itself when not translated."""
    return _catalogue(locale or _current.get()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int, locale: str | None = None) -> str:
    return _catalogue(locale or _current.get()).ngettext(singular, plural, n)


# ---------------------------------------------------------------------- translating finished text
#: Sentences built elsewhere in English (errors, notes) that :func:`localize` translates.
TEMPLATES: list[str] = [
    N_("ruleset {ruleset} has no version for year {year}; years available: {years}"),
    N_("unknown ruleset {ruleset}; known rulesets: {known}"),
    N_("file not found"),
    N_("ruleset file not found"),
    N_("invalid YAML: {problem}"),
    N_("file is {size} bytes, more than the limit of {limit} bytes"),
    N_("file is larger than the limit of {limit} bytes"),
    N_("standard input is larger than the limit of {limit} bytes"),
    N_("line is longer than the limit of {limit} bytes"),
    N_("{what}, more than the limit of {limit} bytes"),
    N_("{env} is the limit on the {what} (default {default})"),
    N_("maximum not published, so its points are not bounded by one and it has no %"),
    N_("no maximum is published, so there is no %; the rule bounds the points: {rule}"),
    N_("this ruleset publishes no group bands"),
    N_("the total maximum is not known, so no index or group can be computed"),
    N_("every item was excluded as not applicable: no index"),
    N_("evidence required, but no document was given"),
    N_("points given directly; its {count} children were not scored"),
    N_("an excluded item has no published maximum, so the applicable maximum is unknown"),
    N_("{count} leaf node(s) had no input and were scored 0: {codes}"),
    N_("the source publishes no group here"),
    N_("index {index}: {note}"),
    N_("rulesets {a} and {b} compared node by node"),
    N_("rules changed below: {codes}"),
    N_("new in {version}"),
    N_("not in {version}"),
    N_("maximum: {a} → {b}"),
    N_("method: {a} → {b}"),
    N_("rule: {a} → {b}"),
    N_("children: {a} → {b}"),
    N_("children changed"),
    N_("group changed: {a} → {b}"),
    N_("{count} input(s) changed by the appraisal"),
    N_("the cards are for different units: {a} and {b}"),
    N_(
        "{count} node(s) lost points; {flagged} of them had their rules changed ({codes}):"
        " those drops may come from the new rules, not from performance"
    ),
    N_("illustrative value, not a published figure"),
    N_("give either a CSV file or --dataset NAME (one of them)"),
    N_("`parindex datasets` lists the bundled datasets"),
    N_("no node {code} in this score card"),
    N_("points = {value}"),
    N_("measure = {value}"),
    N_("choice = {value}"),
    N_("count = {value}"),
    N_("map {map} is written for {a}; applied to {b} by node code"),
    N_("one card: self-assessed and appraised stages"),
    N_("loaded"),
    N_("disabled"),
    N_("failed"),
    N_("option {option} → {points}"),
    N_("measure {value} in band {band} → {points}"),
    N_("proportional to measure ÷ {target}"),
    N_("rank ≤ {limit} (up ≥ {up} from {rank} in {year})"),
    N_("rank ≤ {limit}"),
    N_("rank {rank} of {count} ({by} {key})"),
    N_("in {group}: {values}"),
    N_("total > {value}"),
    N_("total must reach {value}"),
    N_("satisfaction ≥ {value}"),
    N_("ranks"),
    N_("dimensions"),
    N_("loaded, {count} problem"),
    N_("loaded, {count} problems"),
    N_('equal scores share the best rank and the next rank is skipped ("1224")'),
    N_('equal scores share a rank and no rank is skipped ("1223")'),
    N_('every unit gets its own rank; ties keep the order given ("1234")'),
    N_('equal scores share the worst rank of their block ("1334")'),
    N_(
        "node points exact; total and index rounded once at the end to {places} places ({mode});"
        " group and rank use the rounded index"
    ),
    # targets and what-if plans (parindex.analysis.planning): kept in English in the results
    # (JSON keeps them so), translated when a table or a note shows them (the targets on last
    # year and the region register their own, in planning/history_targets.py)
    N_("node {code} is not scored in the card"),
    N_("{what} is not known (no published maximum)"),
    N_("{what} must reach {value} (the batch's cut points recomputed with that value)"),
    N_("{what} must reach {value}"),
    N_(
        "the ruleset {ruleset} {version} that scored the card is not at hand"
        " (give it with --ruleset FILE)"
    ),
    N_("the card has no index"),
    N_("group {group} starts at index {value}"),
    N_("group {group} (index {index})"),
    N_("group {group} or better"),
    N_("a rank needs the other units' scores: give the whole batch (e.g. a CSV of all provinces)"),
    N_("{unit} could not be ranked"),
    N_("last year's rank is out of {count}; this batch has {size} units"),
    N_("no plugin registers the grouping {name} any more"),
    N_("{what} is not scored for {unit}"),
    N_("not reachable even at the maximum {value}"),
    N_("{noun} of {what} ≥ {group}, rule {rule}"),
    N_("no dimension in {group}, rule {rule}"),
    N_(
        "each dimension in the group must rise to the lowest value that leaves it, with the"
        " batch's cut points recomputed"
    ),
    N_("last year's rank: give last year's batch in --scores, or previous: in the target"),
    N_("last year's index: give last year's card in --scores, or previous: in the target"),
    N_("no value for {name}: give it in a measures file (--measures FILE)"),
    N_("the measures are for {a}, the targets for {b}"),
    N_("no {ruleset} score for {year}; {used} scores used"),
    N_("no score card of {unit} for {rulesets}"),
    N_("no {ruleset} score card of {unit} before {year}"),
    N_("fewer than {rank} distinct keys above: any value reaches it"),
    N_("dense ranking: reach the {nth} distinct key of the other units (ties share the rank)"),
    N_("only {count} other units: any value reaches rank {rank}"),
    N_(
        'competition ranking ("1224"): reach the {nth} highest key of the other units;'
        " a tie shares the better rank"
    ),
    N_('modified ranking ("1334"): a tie takes the worse rank'),
    N_("ordinal ranking: ties are broken by input order, so only a higher key is sure"),
    N_("{why}; exceed the {nth} highest key of the other units"),
    N_("{why}; the maximum is not published, so the extra points cannot be computed"),
    N_("{why}; above the maximum {value}: not reachable"),
    N_("{why}; the lost points listed are not enough (some maxima are not published)"),
    N_(
        "lost points ordered by lost points ÷ effort, largest first (effort 1 unless the"
        " targets file sets one), taken until they cover the extra points: with no efforts"
        " given this is the fewest items; the sources give no cost per item"
    ),
    N_("valid {kind}"),  # parindex validate: the kind of file found valid
    N_("{why}: index {key}"),
    N_("{why}: total {key}"),
    # files, limits and YAML (parindex.io), the engine's refusals, forms read back: finished
    # English sentences in their modules, translated here when shown
    N_("cannot read file: {reason}"),
    N_("cannot write file: {reason}"),
    N_("cannot write here: {reason}"),
    N_("is a directory, not a file"),
    N_("is a directory; give a file name to write to"),
    N_("is {kind}, not a regular file; parindex reads only regular files"),
    N_("save the data to a file, or give - to read standard input"),
    N_("is {kind}; parindex writes only regular files"),
    N_("write to a file, or leave out -o to write to standard output"),
    N_("is one of this command's inputs; writing the output there would destroy it"),
    N_(
        "is one of this command's inputs (read as {file}); writing the output there would"
        " destroy it"
    ),
    N_("give another output file, or add --force to replace it"),
    N_("is read-only (mode {mode}); it is left as it is"),
    N_("give another output file, make it writable, or add --force to replace it"),
    N_("--format xlsx writes a workbook: give its file with -o FILE.xlsx"),
    N_("the ruleset tree has more than {count} nodes"),
    N_("raise it with the environment variable {env} (now {now})"),
    N_("{env}={raw} is not a whole number"),
    N_("{env}={raw} is more than {ceiling}, the most parindex accepts"),
    N_("{env}={raw} must be a positive whole number"),
    N_(
        "duplicate key {name} (first at line {line}); a later value would silently replace the"
        " earlier one"
    ),
    N_(
        "duplicate key {name} (first at line {line}; the two are written with different Unicode"
        " characters but are the same text in normal form (NFC)); a later value would silently"
        " replace the earlier one"
    ),
    N_("control character {char} at position {position} is not allowed in text"),
    N_("control character {char} is not allowed in text"),
    N_("code {code} is not a node code: {what}; a code is {form}"),
    N_("code {code} is not a node code: it holds {what}; a code is {form}"),
    N_("control character {char} at column {column} is not allowed in text"),
    N_("not UTF-8 text: byte {byte} at column {column}"),
    N_("expected a whole number, got {got} (a boolean)"),
    N_(
        "fill in the blank cells (or write “không phát sinh”), or make the form with"
        " `parindex form --missing zero` to score blanks as 0"
    ),
    N_("the digit {digit} ({name}), not an ASCII digit"),
    N_(
        "unit {unit} appears twice for {ruleset} {year} (first at line {line}); a ranking would"
        " count it twice"
    ),
    N_("no {kind} named {name}"),
    N_("shipped: {names}; or give a file path"),
    N_("not a {kind} file (needs 'kind: {kind2}')"),
    N_("assessment is for ruleset {a}, not {b}"),
    N_("{ruleset} version {version} covers {years}, not {year}"),
    N_("total {value} is above the maximum {upper}"),
    N_("{count} leaf node(s) have no input: {codes}"),
    N_("give every leaf an input (or points for its parent), or set `missing: zero`"),
    N_(
        "the form was made for {a} version {va} ({ha}), but is being read with {b} version"
        " {vb} ({hb}); a form is read only with the ruleset content it was made from"
    ),
    N_(
        "give the same --ruleset/--params the form was made with (it was made with parameters:"
        " {params}), or make a new form with `parindex form`"
    ),
    N_(
        "give the same --ruleset/--params the form was made with, or make a new form with"
        " `parindex form`"
    ),
    # the refusals of a ruleset, an assessment or a CSV file (validation, the engine, the
    # readers) and pydantic's own messages on a field
    N_("unknown node code {code} for {ruleset} {version}"),
    N_("codes in this view: {codes}"),
    N_("unknown node code {code} in maxima"),
    N_("points {value} are above the maximum {upper}"),
    N_("points {value} are below the minimum {target}"),
    N_("points {value} are not a multiple of the step {step}"),
    N_("ruleset {ruleset} has no version {version}; versions: {versions}"),
    N_("ruleset {ruleset} {version} has no view {view}; views: {views}"),
    N_(
        "inputs mix codes of several breakdowns ({views}); score each breakdown in its own"
        " assessment"
    ),
    N_("this node's {kind} rule takes a {wanted}, but the input gives a {given}"),
    N_("unknown option {option}; options: {choices}"),
    N_("measure {value} is outside the domain {bands}"),
    N_("inputs are given both for {a} and for its descendant {b}; give one level only"),
    N_("an input needs exactly one of points, measure, choice, count or not_applicable; got {got}"),
    N_("nothing"),
    N_("expected a number, got {got}"),
    N_("expected a finite number, got {got}"),
    N_("number {got} is larger than {upper}"),
    N_(
        "number {got} is out of the range parindex reads (at most 100 digits, exponent within ±100)"
    ),
    N_("{got} is not a finite number"),
    N_("Field required"),
    N_("Input should be a valid boolean"),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid integer, got a number with a fractional part"),
    N_("Input should be greater than or equal to {value}"),
    N_("Input should be greater than {value}"),
    N_("Input should be less than or equal to {value}"),
    N_("Input should be a valid dictionary"),
    N_("Input should be a valid string"),
    N_("Input should be a valid tuple"),
    N_("String should match pattern {pattern}"),
    N_("CSV file is empty"),
    N_("the file is empty"),
    N_("file is empty"),
    N_("file holds no YAML document"),
    N_("missing column(s): {names}"),
    N_("columns: ruleset, year, unit, then one per node code"),
    N_("duplicated column(s): {names}"),
    N_("column {number} has no name"),
    N_("every column needs a name: ruleset, year, unit or a node code"),
    N_("row has {a} cells, header has {b}"),
    N_("row has {a} cells, the header has {b}"),
    N_("year {got} is not a whole number"),
    N_("malformed CSV: {problem}"),
    N_("a quoted cell must end with a quote followed by a comma or the end of the line"),
    N_("unit {unit} appears twice for {ruleset} {year} (lines {a} and {b})"),
    N_("not valid UTF-8 (byte {byte} at offset {offset})"),
    N_("save the file as UTF-8"),
    N_("children's maxima add up to {total} ({parts}), not to the node's maximum {value}"),
    N_(
        "children's maxima add up to {total} ({parts}), not to the node's maximum {value}"
        " (after applying the parameter file)"
    ),
    N_("the children: {parts}"),
    N_(
        "top-level maxima of view {view} add up to {total} ({parts}), not to the ruleset"
        " maximum {value}"
    ),
    N_("code {code} is used twice in view {view} (first at line {line})"),
    N_("code {code} is used twice in views {a} and {b} (first at line {line})"),
    N_("a node has either children or a rule, not both"),
    N_("maximum {value} is negative"),
    N_("maximum {value} is negative (after applying the parameter file)"),
    N_("child code {code} does not extend its parent's code {parent} (expected {expected})"),
    N_("a ruleset must be a mapping, got {got}"),
    N_("an assessment must be a mapping, got {got}"),
    N_("the rule can give {value} points, more than the maximum {upper}"),
    N_("band {band} gives {value} points, more than the maximum {upper}"),
    N_("band {band} is empty"),
    N_("bands {a} and {b} overlap"),
    N_("gap between bands {a} and {b}"),
    N_("unknown rule kind {kind}; known kinds: {kinds}"),
    N_("a plugin may register more kinds; see `parindex plugins`"),
    N_("nesting deeper than {count} levels"),
    N_(
        "document expands to more than {count} values (aliases are counted each time they are used)"
    ),
    N_("a cell is longer than {count} characters"),
    N_("is a quote missing? a quoted cell runs to the next quote"),
    N_("the cell is longer than {count} characters"),
    N_("formula {formula} has no saved value"),
    N_("not a readable XLSX workbook: {problem}"),
    N_("the header cannot be read as CSV: {problem}"),
    N_("the base {file} cannot be read: {reason}"),
    N_("the base {file} is not a valid ruleset: {reason}"),
    N_("a responsibility map must be a mapping"),
    N_(
        "code {code} is assigned twice in section {section} (entries {a} and {b}); write one"
        " entry with both leads (lead: [A, B])"
    ),
    N_("lead agency {agency} is not listed under agencies"),
    N_("add it to `agencies:` (with its English name) or fix the spelling"),
    N_("give exactly one of at_least, above, at_most, below (got {got})"),
    N_("rising {count} ranks from rank {rank} is impossible"),
    N_("target ids must be unique: {ids}"),
    N_("option points may not be negative"),
    N_(
        "bands leave indices below {value} without a group; add a band from 0 (mark it"
        " `published: false` if the source names no group there)"
    ),
    # the loosest (of all that match, the one with the most words of its own is used)
    N_("total {value}"),
    N_("satisfaction {value}"),
]
#: Tried after every template, the plugins' included: it matches any "text (word value)" (a
#: group and the value that put a unit in it), so its fields are matched more narrowly.
LAST_TEMPLATES: dict[str, re.Pattern[str]] = {
    N_("{group} ({what} {value})"): re.compile(
        r"(?P<group>.+) \((?P<what>[^\s()]+) (?P<value>[^\s()]+)\)", re.DOTALL
    ),
}

_FIELD = re.compile(r"\{(\w+)\}")

#: The template fields that hold a number (or text with numbers in it: a rule's options, its
#: bands): :func:`localize` prints their decimals in the reader's style (``85.90`` → ``85,90``
#: under vi), keeping the places written. Other fields (codes such as ``1.2``, versions, file
#: names) are left as they are.
NUMBER_FIELDS = frozenset(
    {
        "value", "index", "key", "points", "target", "delta", "needed", "total", "lost",
        "margin", "measure", "step", "options", "bands", "per_item", "cap", "per_violation",
        "scale", "cuts", "upper", "before", "gain", "values",
    }
)  # fmt: skip
#: The template fields that hold names (of options, arguments, nodes, files, commands): shown
#: as written, never looked up in the catalogue (an argument named ``assessment`` stays so).
VERBATIM_FIELDS = frozenset(
    {"names", "name", "option", "matches", "choices", "code", "codes", "file", "command"}
)
#: A decimal written with a point, not part of a code (``6.1.1``) or a word.
_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?!\w|\.\d)")


def localize_numbers(text: str, locale: str | None = None) -> str:
    """The decimals written in ``text`` (``85.90``, ``0.5``) in ``locale``'s style, through the
    one number formatter (:func:`parindex.model.decimals.fmt`: ``85,90`` under vi), with the
    places as written (trailing zeros kept)."""
    locale = locale or _current.get()
    if locale == LOCALES[0]:
        return text

    def one(found: re.Match[str]) -> str:
        digits = found.group(0)
        return fmt(Decimal(digits), len(digits.partition(".")[2]), locale=locale)

    return _DECIMAL.sub(one, text)


def add_templates(*templates: str) -> None:
    """Let a plugin's own sentences be translated at rendering time like the core's (the core
    knows no index, so an index's phrases are registered by the plugin that says them)."""
    TEMPLATES.extend(t for t in templates if t not in TEMPLATES)


#: Names that come from data with their own translations (a region's English and Vietnamese
#: names, from its reference file): locale → English name → name. A template's field that holds
#: exactly such a name is shown in the reader's language.
_NAMES: dict[str, dict[str, str]] = {}


def add_names(locale: str, names: Mapping[str, str]) -> None:
    """Let names read from data (``{"Red River Delta": "Đồng bằng sông Hồng"}``) be shown in
    ``locale`` where a sentence built in English holds one: the catalogue cannot list them."""
    _NAMES.setdefault(check_locale(locale), {}).update(names)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = _FIELD.split(template)  # literal, name, literal, name, …
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(regex, re.DOTALL)


def localize(text: str, locale: str | None = None) -> str:
    """``text``, an English sentence that one of :data:`TEMPLATES` produced (or a message of the
    catalogue), in ``locale``; any other text unchanged. When several templates match, the one
    with the most words of its own wins (the more specific sentence). The fields keep their
    values; a field that is itself such a sentence (an error's hint, a word such as ``index``)
    is translated too."""
    locale = locale or _current.get()
    if locale == LOCALES[0]:
        return text
    exact = gettext(text, locale)
    if exact != text:  # a message of the catalogue, word for word, before any template
        return exact
    # of the templates that match, the one that says most in its own words: "points = {how},
    # rounded to {places} decimals ({mode})" before "points = {value}", whatever their order
    best: tuple[int, str, re.Match[str]] | None = None
    for template in TEMPLATES:
        found = _pattern(template).fullmatch(text)
        said = len(_FIELD.sub("", template))
        if found is not None and (best is None or said > best[0]):
            best = (said, template, found)
    for template, pattern in LAST_TEMPLATES.items():
        if best is None and (found := pattern.fullmatch(text)) is not None:
            best = (0, template, found)
    if best is not None:
        _, template, found = best
        fields = {k: _field(k, v, locale) for k, v in found.groupdict().items()}
        return gettext(template, locale).format(**fields)
    # "CODE: sentence" or "field: sentence" (a note on a node, an error on a field)
    head, sep, rest = text.partition(": ")
    if sep and head and " " not in head:
        translated = localize(rest, locale)
        if translated != rest:
            return f"{head}: {translated}"
    # sentences joined by "; " (a plan's explanation and its caveats): each on its own
    parts = text.split("; ")
    if len(parts) > 1:
        shown = [localize(part, locale) for part in parts]
        if shown != parts:
            return "; ".join(shown)
    return gettext(text, locale)  # a message of the catalogue, word for word


_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
#: A group label followed by its words in Vietnamese (``Grouping.words``).
_WORDED = re.compile(r"(\S+) \((.+)\)")


def _field(name: str, value: str, locale: str) -> str:
    """A template's field in ``locale``: a sentence translated, a number in the locale's
    style (:data:`NUMBER_FIELDS`), an English ordinal (``22nd``, field ``nth``) said the
    locale's way."""
    if name in VERBATIM_FIELDS:
        return value
    if (named := _NAMES.get(locale, {}).get(value)) is not None:
        return named
    if name == "nth" and (found := _ORDINAL.fullmatch(value)):
        return gettext("{n}th", locale).format(n=found.group(1))
    if name == "group" and (found := _WORDED.fullmatch(value)):
        label, words = found.groups()
        if gettext(label, locale) != label:  # "high-average (nhóm trung bình cao)": the words
            return words
    shown = localize(value, locale)
    return localize_numbers(shown, locale) if name in NUMBER_FIELDS else shown


__all__ = [
    "LOCALES",
    "LOCALE_ENV",
    "NUMBER_FIELDS",
    "N_",
    "TEMPLATES",
    "VERBATIM_FIELDS",
    "UnknownLocaleError",
    "add_names",
    "add_templates",
    "check_locale",
    "current_locale",
    "gettext",
    "locale_from_env",
    "localize",
    "localize_numbers",
    "ngettext",
    "set_locale",
    "using_locale",
]
