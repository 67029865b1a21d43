"""The layers of docs/architecture.md hold: import-linter's contracts (.importlinter) are kept, no
module of parindex imports itself through others, and the two faces (``parindex`` and
``parindex.api``) import what they name only when it is used."""

from __future__ import annotations

import ast
import configparser
import importlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / ".importlinter"
SRC = REPO / "src" / "parindex"


def _contracts() -> dict[str, str]:
    """Contract id → name, as written in .importlinter."""
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    prefix = "importlinter:contract:"
    return {s[len(prefix) :]: parser[s]["name"] for s in parser.sections() if s.startswith(prefix)}


#: Contracts broken by work that other changes are still finishing; each names what remains.
#: strict: the day a contract is kept, its test fails until the marker is removed.
UNFINISHED: dict[str, str] = {}


@pytest.fixture(scope="module")
def lint_output() -> str:
    """One run of import-linter over every contract (the graph is built once)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO / "plugins")])}
    code = (
        "import sys; from importlinter.cli import lint_imports;"
        f" sys.exit(lint_imports(config_filename={str(CONFIG)!r}, no_cache=True))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    out = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout)  # older import-linters colour their report
    assert "Contracts:" in out, f"import-linter did not run:\n{out}\n{proc.stderr}"
    return out


def _params() -> list[object]:
    return [
        pytest.param(
            name,
            id=cid,
            marks=[pytest.mark.xfail(strict=True, reason=UNFINISHED[cid])]
            if cid in UNFINISHED
            else [],
        )
        for cid, name in sorted(_contracts().items())
    ]


def test_the_contracts_are_the_documented_ones() -> None:
    # the layers contract and docs/architecture.md describe the same thing; a new contract gets a
    # test of its own below without any change here
    assert {"layers", "no-cycles", "cli-through-the-face", "core-knows-no-plugin"} <= set(
        _contracts()
    )
    assert set(UNFINISHED) <= set(_contracts())


@pytest.mark.parametrize("name", _params())
def test_contract_is_kept(lint_output: str, name: str) -> None:
    lines = lint_output.splitlines()
    verdicts = [line for line in lines if line.startswith(name + " ")]
    assert verdicts, f"contract {name!r} not in the report:\n{lint_output}"
    if not verdicts[0].endswith("KEPT"):
        section = lint_output[lint_output.find("Broken contracts") :]
        pytest.fail(f"{verdicts[0]}\n{section}")


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle_and_only_cycles() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set(), "f": {"f"}}
    assert _cycles(edges) == [["a", "b", "c"]]


def test_no_module_of_parindex_imports_itself_through_others() -> None:
    # every module, not only siblings: a cycle through two packages is one too
    import grimp

    graph = grimp.build_graph("parindex", cache_dir=None)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _cycles(edges) == []


# ------------------------------------------------------------------------------------ the faces
def _type_checking_imports(path: Path) -> dict[str, tuple[str, str]]:
    """Name bound → (module, name there), for the imports under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom) and stmt.module is not None
                for alias in stmt.names:
                    out[alias.asname or alias.name] = (stmt.module, alias.name)
    return out


def test_the_api_face_table_is_what_mypy_and_import_linter_see() -> None:
    # The CLI's names are imported on first use through COMMAND_LINE_FACE, which import-linter
    # cannot see; the TYPE_CHECKING block it does see must name the same modules.
    import parindex.api as api

    assert _type_checking_imports(SRC / "api.py") == api.COMMAND_LINE_FACE
    assert set(api.COMMAND_LINE_FACE) <= set(api.__all__)
    for name, (module, attr) in api.COMMAND_LINE_FACE.items():
        assert getattr(api, name) is getattr(importlib.import_module(module), attr), name


def test_the_package_face_names_every_public_name_once() -> None:
    import parindex

    homes = _type_checking_imports(SRC / "__init__.py")
    assert set(parindex.__all__) == {*homes, "__version__"}
    for name, (module, attr) in homes.items():
        assert getattr(parindex, name) is getattr(importlib.import_module(module), attr), name


def _fresh(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return proc.stdout.strip()


def test_import_parindex_imports_no_dependency_until_a_name_is_used() -> None:
    loaded = (
        "print(sorted(m for m in ('pydantic', 'numpy', 'yaml', 'parindex.api')"
        " if m in sys.modules))"
    )
    assert _fresh(f"import sys, parindex; {loaded}") == "[]"
    # the first use imports the name's home (and what it needs), not more
    assert _fresh(f"import sys, parindex; parindex.ParindexError; {loaded}") == "[]"
    assert _fresh(f"import sys, parindex; parindex.score; {loaded}") == (
        "['parindex.api', 'pydantic', 'yaml']"
    )


def test_the_api_imports_an_analysis_only_when_a_command_uses_it() -> None:
    loaded = (
        "print(sorted(m for m in ('numpy', 'parindex.analysis', 'parindex.authoring')"
        " if m in sys.modules))"
    )
    assert _fresh(f"import sys, parindex.api; {loaded}") == "[]"
    assert _fresh(f"import sys, parindex.api; parindex.api.gaps; {loaded}") == (
        "['parindex.analysis']"
    )


def test_from_parindex_import_each_public_name_in_a_fresh_process() -> None:
    import parindex

    names = ", ".join(n for n in parindex.__all__)
    assert _fresh(f"from parindex import {names}; print('ok')") == "ok"
    # attribute access to a submodule still works without importing it first
    assert _fresh("import parindex; print(parindex.api.score.__name__)") == "score"
    unknown = "nosuch"
    with pytest.raises(AttributeError, match="no attribute 'nosuch'"):
        getattr(parindex, unknown)
