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
from functools import cache
from pathlib import Path

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
    # the loosest last: the templates are tried in this order
    N_("total {value}"),
    N_("satisfaction {value}"),
]

_FIELD = re.compile(r"\{(\w+)\}")


def add_templates(*templates: str) -> None:
    """Let a plugin's own sentences be translated at rendering time like the core's (the core
    knows no index, so an index's phrases are registered by the plugin that says them)."""
    TEMPLATES.extend(t for t in templates if t not in TEMPLATES)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = _FIELD.split(template)  # literal, name, literal, name, …
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(regex, re.DOTALL)


def localize(text: str, locale: str | None = None) -> str:
    """``text``, an English sentence that one of :data:`TEMPLATES` produced (or a message of the
    catalogue), in ``locale``; any other text unchanged. The fields keep their values; a field
    that is itself such a sentence (an error's hint, a word such as ``index``) is translated
    too."""
    locale = locale or _current.get()
    if locale == LOCALES[0]:
        return text
    for template in TEMPLATES:
        found = _pattern(template).fullmatch(text)
        if found is not None:
            fields = {k: localize(v, locale) for k, v in found.groupdict().items()}
            return gettext(template, locale).format(**fields)
    # "CODE: sentence" or "field: sentence" (a note on a node, an error on a field)
    head, sep, rest = text.partition(": ")
    if sep and head and " " not in head:
        translated = localize(rest, locale)
        if translated != rest:
            return f"{head}: {translated}"
    return gettext(text, locale)  # a message of the catalogue, word for word


__all__ = [
    "LOCALES",
    "LOCALE_ENV",
    "N_",
    "TEMPLATES",
    "UnknownLocaleError",
    "add_templates",
    "check_locale",
    "current_locale",
    "gettext",
    "locale_from_env",
    "localize",
    "ngettext",
    "set_locale",
    "using_locale",
]
