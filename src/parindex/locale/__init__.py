"""The compiled message catalogues (``<lang>/LC_MESSAGES/parindex.mo``) and the step that builds
them from the ``.po`` files next to them: ``python tools/compile_catalogues.py`` (``--check``
fails when a ``.mo`` is out of date). No extra tool is needed: the ``.po`` subset parindex writes
(``msgid``, ``msgstr``, ``msgctxt``-free, with ``msgid_plural``/``msgstr[n]``) and the ``.mo``
layout are small.

The ``.mo`` bytes depend only on the ``.po`` content (entries sorted by msgid, no hash table), so
the check compares bytes.
"""

from __future__ import annotations

import ast
import struct
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOMAIN = "parindex"


@dataclass(frozen=True)
class Entry:
    msgid: str
    msgstr: str
    plural: str | None = None
    #: Plural translations (``msgstr[0]``, ``msgstr[1]``…) when ``plural`` is set.
    forms: tuple[str, ...] = ()
    fuzzy: bool = False


def _unquote(line: str, where: str) -> str:
    text = line.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{where}: expected a quoted string, got {text!r}")
    value = ast.literal_eval(text)  # a .po string is a C string literal; the same escapes
    if not isinstance(value, str):  # pragma: no cover - a quoted literal is a str
        raise ValueError(f"{where}: not a string")
    return value


def parse_po(text: str, name: str = "<po>") -> list[Entry]:
    """The entries of a ``.po`` file (the header, msgid ``""``, included)."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    key: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal fields, key, fuzzy
        if "msgid" in fields:
            forms = tuple(fields[k] for k in sorted(fields) if k.startswith("msgstr["))
            entries.append(
                Entry(
                    fields["msgid"],
                    fields.get("msgstr", forms[0] if forms else ""),
                    fields.get("msgid_plural"),
                    forms,
                    fuzzy,
                )
            )
        fields, key, fuzzy = {}, None, False

    for number, line in enumerate(text.splitlines(), 1):
        where = f"{name}:{number}"
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            if key is not None and "msgstr" in "".join(fields):
                flush()
            if stripped.startswith("#,") and "fuzzy" in stripped:
                fuzzy = True
        elif stripped.startswith('"'):
            if key is None:
                raise ValueError(f"{where}: a string continues no keyword")
            fields[key] += _unquote(stripped, where)
        else:
            word, _, rest = stripped.partition(" ")
            if word == "msgid" and any(k.startswith("msgstr") for k in fields):
                flush()
            if word not in {"msgid", "msgid_plural", "msgstr"} and not word.startswith("msgstr["):
                raise ValueError(f"{where}: unknown keyword {word!r}")
            key = word
            fields[key] = _unquote(rest, where)
    flush()
    return entries


def compile_mo(entries: list[Entry]) -> bytes:
    """The GNU ``.mo`` bytes of ``entries`` (untranslated and fuzzy entries left out, as msgfmt
    does, so that they fall back to the English msgid)."""
    pairs: dict[bytes, bytes] = {}
    for e in entries:
        if e.fuzzy and e.msgid:
            continue
        if e.plural is not None:
            if not all(e.forms):
                continue
            key = (e.msgid + "\0" + e.plural).encode()
            pairs[key] = "\0".join(e.forms).encode()
        elif e.msgstr:
            pairs[e.msgid.encode()] = e.msgstr.encode()
    keys = sorted(pairs)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + 8 * count
    data_at = translations_at + 8 * count
    table_o: list[int] = []
    table_t: list[int] = []
    blob = b""
    for k in keys:
        table_o += [len(k), data_at + len(blob)]
        blob += k + b"\0"
    for k in keys:
        v = pairs[k]
        table_t += [len(v), data_at + len(blob)]
        blob += v + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at)
    return head + struct.pack(f"<{4 * count}I", *table_o, *table_t) + blob


def catalogues() -> list[tuple[Path, Path]]:
    """Every (``.po``, ``.mo``) pair shipped."""
    return [(po, po.with_suffix(".mo")) for po in sorted(HERE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))]


def stale() -> list[tuple[Path, bytes]]:
    """Every ``.mo`` that differs from its freshly compiled ``.po``, with the bytes it should hold
    (``tools/compile_catalogues.py`` writes them, through parindex's atomic writer)."""
    out = []
    for po, mo in catalogues():
        data = compile_mo(parse_po(po.read_text(encoding="utf-8"), str(po)))
        if not mo.is_file() or mo.read_bytes() != data:
            out.append((mo, data))
    return out


def build(check: bool = False) -> list[Path]:
    """The stale ``.mo`` files (see :func:`stale`); this module writes nothing: ``check`` is kept
    for callers that ask explicitly for the read-only check."""
    del check  # writing lives in tools/compile_catalogues.py (outputs go through parindex.io)
    return [mo for mo, _ in stale()]


__all__ = ["Entry", "build", "catalogues", "compile_mo", "parse_po", "stale"]
