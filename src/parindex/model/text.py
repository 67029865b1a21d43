"""The rules for text read from users: Unicode normal form, refused characters, the code grammar.

Text typed on different systems may spell the same letters with different code points (``á`` as
one composed character, or ``a`` followed by a combining accent); every text parindex reads is
brought to normal form NFC, so both spellings are the same key, code or unit name. Control
characters (other than tab, line feed and carriage return) and the invisible bidirectional
overrides are refused: a NUL cuts a string short in many programs, and an override makes text
display as something other than what it is.

A node code is one or more segments of ASCII letters and digits joined by single dots: ``1``,
``1.3.2``, PAPI's ``D8.1``, Sơn La's ``TD`` and ``XHH``, a view's ``appraisal`` or ``1.rest``.
Nothing else is a code, so look-alikes such as ``1..2``, ``1. 2``, ``1.2 `` (a trailing space) or
``2.١`` (an Arabic-Indic digit) are refused rather than read as a code of their own.

Writing: :func:`safe_cell` is the one rule for every CSV cell parindex writes, so that a unit named
``=HYPERLINK(…)`` is text in a spreadsheet, not a formula.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from parindex.model.i18n import N_

#: Characters refused in any text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: The code grammar (ASCII only: ``[A-Za-z0-9]`` matches no other script's letters or digits).
CODE = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*")
CODE_FORM = N_("segments of ASCII letters and digits joined by single dots (1, 1.3.2, D8.1, TD)")


def find_control(text: str) -> int | None:
    """The index of the first refused character of ``text``, or None."""
    found = CONTROL.search(text)
    return found.start() if found is not None else None


def describe_char(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: a character that cannot be shown as itself."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def clean_text(text: str) -> str:
    """``text`` in normal form NFC; a refused character is a :class:`ValueError` naming it."""
    bad = find_control(text)
    if bad is not None:
        raise ValueError(
            f"control character {describe_char(text[bad])} at position {bad + 1} is not allowed"
            " in text"
        )
    return unicodedata.normalize("NFC", text)


def code_problem(code: str) -> str | None:
    """Why ``code`` is not a node code, or None when it is one."""
    if CODE.fullmatch(code):
        return None
    odd = next((c for c in code if not (c.isascii() and (c.isalnum() or c == "."))), None)
    if odd is not None:
        what = (
            N_("a space") if odd == " " else repr(odd) if odd.isprintable() else describe_char(odd)
        )
        if odd.isdigit():
            what = f"the digit {odd!r} ({unicodedata.name(odd, 'not ASCII')}), not an ASCII digit"
        return f"code {code!r} is not a node code: it holds {what}; a code is {CODE_FORM}"
    if not code:
        what = N_("it is empty")
    elif ".." in code:
        what = N_("two dots in a row")
    elif code.startswith(".") or code.endswith("."):
        what = N_("it starts or ends with a dot")
    else:  # pragma: no cover - every other string is covered above
        what = "it does not follow the grammar"
    return f"code {code!r} is not a node code: {what}; a code is {CODE_FORM}"


def check_code(code: str) -> str:
    """``code`` when it follows the grammar; otherwise a :class:`ValueError` saying why."""
    problem = code_problem(code)
    if problem is not None:
        raise ValueError(problem)
    return code


def text_of(value: object) -> str:
    """``str(value)``, whatever ``value`` is: an integer of more than 4,300 digits cannot be
    turned into text by ``str`` (Python refuses, with a ValueError), so it is described."""
    try:
        return value if isinstance(value, str) else str(value)
    except ValueError:
        bits = value.bit_length() if isinstance(value, int) else 0
        return f"<a whole number of about {int(bits * 0.30103) + 1} digits>"


def shown(value: object, limit: int = 60) -> str:
    """``value`` as text for a message, shortened to ``limit`` characters."""
    text = text_of(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------------- writing cells
#: What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A cell that is only a number (also written 1.234,5 or 12%): no formula can hide in it.
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*(?:[eE][+-]?\d+)?%?")


def safe_cell(value: object) -> object:
    """A cell as parindex writes it to CSV: text that a spreadsheet would run as a formula (it
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``, which
    spreadsheets show as text; a number (``-3.25``) stays a number.

    A carriage return inside text becomes a line feed: Python's csv writer quotes a cell holding a
    line feed, but not one holding only a carriage return, which a reader takes as the end of the
    row (and the rest of the cell as a row of its own)."""
    if not isinstance(value, str):
        return value
    runs = value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + value if runs else value


def safe_row(row: Iterable[object]) -> list[object]:
    return [safe_cell(v) for v in row]


def safe_rows(rows: Iterable[Iterable[object]]) -> Iterator[list[object]]:
    for row in rows:
        yield safe_row(row)


# ----------------------------------------------------------------------------- writing Markdown
# A "&" that would start an HTML character reference (&lt; &#60;) is escaped; others stay as
# written ("Sở TT&TT"), since they cannot change what the text shows.
_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_ANGLES = str.maketrans({"<": "&lt;", ">": "&gt;"})
_BREAKS = re.compile("[\r\n\u2028\u2029]+")


def md_text(text: object) -> str:
    """User text for Markdown: ``<`` and ``>`` as ``&lt;`` and ``&gt;``, so that a unit named
    ``<script>…`` is shown as text, never run as HTML."""
    return _REFERENCE.sub("&amp;", str(text)).translate(_ANGLES)


def md_line(text: object) -> str:
    """User text for one Markdown line (a heading, a list item): escaped, line breaks as spaces."""
    return _BREAKS.sub(" ", md_text(text))


def md_cell(text: object) -> str:
    """User text for a Markdown table cell: escaped, on one line, ``|`` escaped."""
    return md_line(text).replace("|", "\\|")


__all__ = [
    "CODE",
    "CODE_FORM",
    "CONTROL",
    "check_code",
    "clean_text",
    "code_problem",
    "describe_char",
    "find_control",
    "md_cell",
    "md_line",
    "md_text",
    "safe_cell",
    "safe_row",
    "safe_rows",
    "shown",
    "text_of",
]
