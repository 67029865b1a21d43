"""Collect the messages marked in parindex's source for the catalogue, by reading the code
(:mod:`ast`), never by running it: ``python -m parindex.locale.extract`` prints the messages that
the ``vi`` catalogue lacks (as ``.po`` entries ready to translate).

A message is the literal first argument of ``_()``, ``gettext()``, ``N_()`` (and the first two of
``ngettext()``), called by name or as an attribute (``i18n.gettext``). A bilingual label
``Text(vi=…, en=…)`` or ``T(vi, en)`` is a message too: its ``vi`` must not be empty.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

from parindex.locale import HERE, parse_po

#: The functions whose literal arguments are messages.
MARKERS = {"_", "gettext", "N_"}
PLURAL_MARKERS = {"ngettext"}
LABELS = {"Text", "T"}


@dataclass(frozen=True)
class Found:
    msgid: str
    file: str
    line: int
    plural: str | None = None


@dataclass(frozen=True)
class Label:
    """A bilingual label in the code; ``vi`` None when it has no literal Vietnamese."""

    en: str | None
    vi: str | None
    file: str
    line: int


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal(node: ast.expr | None) -> str | None:
    """A string literal (implicitly joined pieces included); None for anything computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def scan(path: Path, shown: str | None = None) -> tuple[list[Found], list[Label]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    where = shown or str(path)
    messages: list[Found] = []
    labels: list[Label] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        first = node.args[0] if node.args else None
        if name in MARKERS and (text := _literal(first)) is not None and text:
            messages.append(Found(text, where, node.lineno))
        elif name in PLURAL_MARKERS and len(node.args) >= 2:
            one, many = _literal(node.args[0]), _literal(node.args[1])
            if one and many:
                messages.append(Found(one, where, node.lineno, many))
        elif name in LABELS:
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            vi_node = keywords.get("vi", node.args[0] if node.args else None)
            en_node = keywords.get("en", node.args[1] if len(node.args) > 1 else None)
            if vi_node is None and en_node is None:
                continue  # Text(): an empty label, filled from data
            vi, en = _literal(vi_node), _literal(en_node)
            computed = (vi_node is not None and vi is None) or (en_node is not None and en is None)
            if isinstance(vi_node, ast.JoinedStr) or isinstance(en_node, ast.JoinedStr):
                computed = False  # an f-string label: both sides are written in the code
                vi = vi or ("{…}" if isinstance(vi_node, ast.JoinedStr) else None)
            if not computed:
                labels.append(Label(en, vi, where, node.lineno))
    return messages, labels


def source_files(root: Path) -> list[Path]:
    """parindex's modules and the plugins shipped with it."""
    files = sorted((root / "src" / "parindex").rglob("*.py"))
    files += sorted((root / "plugins").rglob("*.py"))
    return [f for f in files if "templates" not in f.parts]


def extract(root: Path) -> tuple[list[Found], list[Label]]:
    messages: list[Found] = []
    labels: list[Label] = []
    for path in source_files(root):
        found, labelled = scan(path, str(path.relative_to(root)))
        messages += found
        labels += labelled
    return messages, labels


def translations(locale: str) -> dict[str, str]:
    """msgid → msgstr of ``locale``'s ``.po`` (fuzzy entries count as untranslated)."""
    po = HERE / locale / "LC_MESSAGES" / "parindex.po"
    entries = parse_po(po.read_text(encoding="utf-8"), str(po))
    return {e.msgid: ("" if e.fuzzy else e.msgstr or "\0".join(e.forms)) for e in entries}


def missing(root: Path, locale: str = "vi") -> list[Found]:
    known = translations(locale)
    seen: set[str] = set()
    out = []
    for m in extract(root)[0]:
        if not known.get(m.msgid) and m.msgid not in seen:
            seen.add(m.msgid)
            out.append(m)
    return out


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path.cwd()
    lacking = missing(root)
    for m in lacking:
        print(f"#: {m.file}:{m.line}\nmsgid {_po_string(m.msgid)}")
        if m.plural:
            print(f'msgid_plural {_po_string(m.plural)}\nmsgstr[0] ""\n')
        else:
            print('msgstr ""\n')
    return 1 if lacking else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
