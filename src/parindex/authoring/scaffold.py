"""``parindex new-ruleset``: a plugin package for a new ruleset, ready to install and test.

The package (``pip install DIR``) offers its rulesets through the ``parindex`` entry point; its
tests pass as made: the skeleton ruleset is valid, and an example ``*.case.yaml`` scores it.
Templates live in ``parindex/authoring/templates`` (``string.Template``, ``$name`` fields).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

from parindex._version import __version__
from parindex.io.files import atomic_write_text
from parindex.model.errors import ParindexError

UNIT_KINDS = ("province", "department", "district", "commune", "agency")


class ScaffoldError(ParindexError):
    """The package cannot be made as asked (bad id, years, or a folder already in use)."""

    kind = "scaffold"


def parse_years(text: str) -> tuple[int, ...]:
    """``2013``, ``2013,2014`` or ``2021-2025`` (both ends included) as a tuple of years."""
    years: list[int] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        m = re.fullmatch(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?", part)
        if not m:
            raise ScaffoldError(
                f"years {text!r}: write a year (2013), a list (2013,2014) or a range (2021-2025)",
                field="years",
            )
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise ScaffoldError(f"years {part!r}: the range runs backwards", field="years")
        years.extend(range(first, last + 1))
    if not years:
        raise ScaffoldError("no years given", field="years")
    if len(set(years)) != len(years):
        raise ScaffoldError(f"years {text!r} name a year twice", field="years")
    if any(y < 1900 or y > 2200 for y in years):
        raise ScaffoldError(f"years {text!r}: expected years between 1900 and 2200", field="years")
    return tuple(years)


@dataclass(frozen=True)
class Names:
    """The names the package is made with, all derived from the ruleset id."""

    ruleset_id: str
    dist: str  # the distribution (pip) name
    package: str  # the import name
    entry: str  # the entry point's name in the ``parindex`` group

    @classmethod
    def of(cls, ruleset_id: str, package: str | None = None) -> Names:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", ruleset_id):
            raise ScaffoldError(
                f"ruleset id {ruleset_id!r}: use lower-case letters, digits, dots, - and _"
                " (authority.unit_kind, e.g. camau.department)",
                field="id",
            )
        flat = re.sub(r"[.\-]", "_", ruleset_id)
        pkg = package or f"parindex_{flat}"
        if not pkg.isidentifier():
            raise ScaffoldError(f"package name {pkg!r} is not a Python identifier", field="package")
        return cls(ruleset_id, f"parindex-{flat.replace('_', '-')}", pkg, flat)


def _yaml_str(text: str) -> str:
    # A double-quoted JSON string is a valid YAML scalar, whatever the text holds.
    return json.dumps(text, ensure_ascii=False)


def _template(name: str) -> Template:
    return Template(
        (resources.files(__package__ or "parindex.authoring") / "templates" / name).read_text(
            encoding="utf-8"
        )
    )


def new_ruleset(
    directory: str | Path,
    *,
    ruleset_id: str,
    years: tuple[int, ...],
    version: str | None = None,
    unit_kind: str = "department",
    package: str | None = None,
    authority: str | None = None,
    title: str | None = None,
    document: str | None = None,
) -> list[Path]:
    """Make the package in ``directory`` (new or empty); return the files written."""
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError("exists and is not an empty folder: choose a new one", file=target)
    if unit_kind not in UNIT_KINDS:
        raise ScaffoldError(
            f"unit kind {unit_kind!r} is not one of {', '.join(UNIT_KINDS)}", field="unit_kind"
        )
    names = Names.of(ruleset_id, package)
    version = version or str(years[0])
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.+-]*", version):
        raise ScaffoldError(f"version {version!r}: letters, digits, . + - _ only", field="version")
    title = title or f"Chỉ số cải cách hành chính ({ruleset_id})"
    years_text = (
        str(years[0])
        if len(years) == 1
        else (
            f"{years[0]}–{years[-1]}"
            if list(years) == list(range(years[0], years[-1] + 1))
            else ", ".join(map(str, years))
        )
    )
    fields = {
        "ruleset_id": ruleset_id,
        "dist": names.dist,
        "package": names.package,
        "entry": names.entry,
        "version": version,
        "version_yaml": _yaml_str(version),
        "years_yaml": "[" + ", ".join(map(str, years)) + "]",
        "years_text": years_text,
        "years_arg": ",".join(map(str, years)),
        "first_year": str(years[0]),
        "unit_kind": unit_kind,
        "authority": _yaml_str(authority or "(cơ quan ban hành)"),
        "title": _yaml_str(title),
        "document": _yaml_str(document or "(số quyết định)"),
        "description": _yaml_str(f"parindex rulesets for {ruleset_id} ({years_text})"),
        "parindex_version": __version__,
    }
    layout = {
        "pyproject.toml": "pyproject.toml.tmpl",
        "README.md": "README.md.tmpl",
        "conftest.py": "conftest.py.tmpl",
        f"src/{names.package}/__init__.py": "package_init.py.tmpl",
        f"src/{names.package}/py.typed": None,
        f"src/{names.package}/rulesets/{ruleset_id}/{version}.yaml": "ruleset.yaml.tmpl",
        f"tests/{version}-example.case.yaml": "example.case.yaml.tmpl",
        f"tests/test_{names.package}.py": "test_package.py.tmpl",
    }
    written = []
    for rel, tmpl in layout.items():
        text = "" if tmpl is None else _template(tmpl).substitute(fields)
        path = target / rel
        atomic_write_text(path, text)
        written.append(path)
    return written


__all__ = ["Names", "ScaffoldError", "new_ruleset", "parse_years"]
