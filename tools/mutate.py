"""A small mutation-testing runner for parindex's core (a slow job, not part of every CI run).

Each mutant is one small change to one core module — a comparison flipped or loosened, an integer
constant off by one, a ``not`` removed, ``and``/``or`` swapped, ``min``/``max`` swapped, half-up
rounding swapped for half-even — applied to a scratch copy of ``src`` and ``plugins`` (never the
working tree). The chosen tests then run against the copy; the mutant is *killed* when they fail,
*survives* when they pass. The score is killed ÷ (mutants − the equivalent ones listed in
:data:`EQUIVALENT`, which no test can kill because they change no behaviour).

    nice -n 10 python tools/mutate.py                    # every module in MODULES
    nice -n 10 python tools/mutate.py --module model/decimals.py --module scoring/ranking.py
    python tools/mutate.py --list                        # the mutants only, nothing is run
    python tools/mutate.py --survivors-of run.log        # again, only a former run's survivors

Results are printed one per line and written as JSON to ``--report`` (default
``mutation-report.json`` in the scratch folder). See docs/testing.md, "Mutation score".
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def atomic_write_text(path: Path, text: str) -> None:
    """Write through a temporary file and a rename, so a killed run never leaves half a module.

    Not parindex's own writer: this process must never import parindex (see :func:`_warm`), or
    every forked test run would use the working tree's modules instead of the mutated copy."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)


#: Core modules (paths under src/parindex, or plugins/…) and the tests that guard each, quick hand
#: tests first: pytest runs with -x, so most mutants die in seconds, before the slow property tests.
_KILLS = "tests/mutation_kills"
_CORE_TESTS = [
    *(f"tests/properties/{name}.py" for name in ("test_boundary_hand", "test_located_errors")),
    *(f"tests/properties/{name}.py" for name in ("test_tolerance_edges", "test_decimals_edges")),
    *(f"tests/properties/{name}.py" for name in ("test_ranking_edges", "test_kind_edges")),
    "tests/core/test_engine.py",
    "tests/core/test_ranking.py",
    "tests/core/test_loading.py",
    "tests/properties",
]
_KIND_TESTS = [
    f"{_KILLS}/test_kinds_kills.py",
    "tests/properties/test_kind_edges.py",
    "tests/properties/test_boundary_hand.py",
    "tests/properties/test_located_errors.py",
    "tests/core/test_engine.py",
    "tests/core/test_loading.py",
    "tests/properties/test_kind_oracles.py",
    "tests/fast/test_every_kind.py",
]
_KERNEL_TESTS = [
    f"{_KILLS}/test_kill_kernels.py",
    f"{_KILLS}/test_kernels_kills.py",
    f"{_KILLS}/test_kinds_kills.py",
    "tests/fast/test_fast_kernel.py",
    "tests/properties/test_boundary_hand.py",
    "tests/fast/test_every_kind.py",
    "tests/properties/test_kind_oracles.py",
]
_ENGINE_TESTS = [
    f"{_KILLS}/test_engine_kills.py",
    "tests/core/test_engine.py",
    "tests/properties/test_boundary_hand.py",
    "tests/properties/test_located_errors.py",
    "tests/properties/test_kind_edges.py",
    "tests/core/test_loading.py",
    "tests/core/test_api_batch.py",
    "tests/properties/test_every_node.py",
    "tests/properties/test_group_boundaries.py",
]
_REPRODUCE_TESTS = [
    f"{_KILLS}/test_reproduce_kills.py",
    "tests/properties/test_tolerance_edges.py",
    "tests/reproduce",
]
_REPRODUCE = (
    "tolerance",
    "verdict",
    "groups",
    "order",
    "conflicts",
    "dimensions",
    "published",
    "recompute",
    "diagnosis",
    "datasets",
    "render",
    "report",
)
MODULES: dict[str, list[str]] = {
    "model/decimals.py": _CORE_TESTS,
    "model/validation.py": _CORE_TESTS,
    "scoring/ranking.py": _CORE_TESTS,
    "plugins/parindex_core_rules/kinds.py": _KIND_TESTS,
    "plugins/parindex_core_rules/kernels.py": _KERNEL_TESTS,
    "model/kernels.py": ["tests/core/test_cov_kernels.py", *_KERNEL_TESTS],
    **{f"scoring/{name}.py": _ENGINE_TESTS for name in ("engine", "walk", "construct")},
    "scoring/entries.py": [
        f"{_KILLS}/test_kill_entries.py",
        *_ENGINE_TESTS,
        "tests/core/test_entries_later.py",
    ],
    **{f"scoring/{name}.py": _ENGINE_TESTS for name in ("receipt", "failures")},
    **{f"analysis/reproduce/{name}.py": _REPRODUCE_TESTS for name in _REPRODUCE},
}

#: Mutants that change no behaviour, by (module, source line stripped, mutation): why each is
#: equivalent is in docs/testing.md.
EQUIVALENT: dict[tuple[str, str, str], str] = {
    ("scoring/entries.py", "ENTRY, CHILDREN, MISSING, NOT_APPLICABLE = 0, 1, 2, 3", "const 3->4"): (
        "the tags are labels compared for equality only: 4 is as distinct from 0, 1, 2 as 3"
    ),
    ("model/decimals.py", "return Decimal(1).scaleb(-places)", "const 1->2"): (
        "quantize() uses only its argument's exponent: 2E-2 and 1E-2 both mean two places"
    ),
    ("model/decimals.py", "return value.quantize(Decimal(1), context=EXACT)", "const 1->2"): (
        "quantize() uses only its argument's exponent: Decimal(2) and Decimal(1) both mean 0 places"
    ),
    ("scoring/ranking.py", "while pos < len(order):", "cmp0:Lt->LtE"): (
        "the extra pass at pos == len(order) ranks an empty slice and ends the loop"
    ),
    ("scoring/ranking.py", "for offset, i in enumerate(order[pos : end + 1]):", "const 1->2"): (
        "the one extra unit ranked with a group is ranked again, rightly, with its own group"
    ),
    ("scoring/ranking.py", "out = [0] * len(keys)", "const 0->1"): (
        "every position is overwritten: each index of keys appears once in order"
    ),
    (
        "plugins/parindex_core_rules/kinds.py",
        "key=lambda b: (neg_inf if b.min is None else b.min, 0 if b.min_inclusive else 1),",
        "const 1->2",
    ): "the key only orders an inclusive minimum before an exclusive one: 0 < 2 as 0 < 1",
    **{
        ("scoring/construct.py", source, what): (
            "it only sends more calls past the shortcut to model_construct, whose instance the"
            " shortcut is defined (and tested) to equal"
        )
        for source, what in (
            (
                "if self.generic or not self.required <= values.keys() or not values.keys() <="
                " self.names:",
                "cmp0:LtE->Lt",
            ),
            (
                "construct.generic or not construct.required <= names or not names <="
                " construct.names",
                "cmp0:LtE->Lt",
            ),
            (
                "self.generic |= any(not r and not isinstance(d, immutable) for _, r, d in"
                " fields_)",
                "and<->or",
            ),
        )
    },
    (
        "scoring/construct.py",
        "f.alias is not None or f.validation_alias is not None or f.default_factory",
        "and<->or",
    ): (
        "model_construct takes a field's name as well as its alias, and the shortcut takes names"
        " only (an alias goes to model_construct): the same instance; a default factory leaves"
        " no immutable default, which sends the model to model_construct anyway"
    ),
    **{
        ("plugins/parindex_core_rules/kernels.py", source, what): why
        for source, what, why in (
            ("if rn < 0:", "cmp0:Lt->LtE", "a ratio numerator of 0 is set to 0"),
            ("if rn < 0:", "const 0->1", "rn is an integer: rn < 1 is rn <= 0, and 0 is set to 0"),
            ("elif rn > rd:", "cmp0:Gt->GtE", "a ratio numerator equal to rd is set to rd"),
            ("if v <= 0:", "cmp0:LtE->Lt", "v = 0 reduced by gcd(0, den) = den is (0, 1) too"),
            (
                "digits(ratio_coef) <= 34",
                "const 34->35",
                "the check on the product implies this one unless the ratio is clamped, and a"
                " ratio clamped to 1 is exact whatever its digits",
            ),
        )
    },
    ("model/kernels.py", "pre = self.prepare(scale, x, x, 28)", "const 28->29"): (
        "the one-value path reads only the numerators, the denominator and the rejections,"
        " which the precision does not change (it decides only Prepared.exact)"
    ),
    **{
        (module, "if cached is not None and cached[0] is ruleset:", "const 0->1"): (
            "a per-ruleset cache that is never hit: the same table is worked out again"
        )
        for module in (
            "scoring/engine.py",
            "scoring/walk.py",
            "scoring/construct.py",
            "scoring/receipt.py",
        )
    },
}

_SWAP_CMP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
_SWAP_NAME = {"min": "max", "max": "min"}
_SWAP_TEXT = {
    "half_up": "half_even",
    "half_even": "half_up",
    "ROUND_HALF_UP": "ROUND_HALF_EVEN",
    "ROUND_HALF_EVEN": "ROUND_HALF_UP",
}


@dataclass(frozen=True)
class Mutant:
    module: str
    number: int  # the mutation site's position in the module's walk
    line: int
    what: str
    source: str  # the original line, stripped


def _path(module: str) -> Path:
    return Path(module) if module.startswith("plugins/") else Path("src/parindex") / module


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        value = first.value if isinstance(first, ast.Expr) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):  # a docstring
            out.add(id(value))
    return out


def _sites(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Each node a mutation applies to, and a description, in a fixed order."""
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _SWAP_CMP:
                    yield node, f"cmp{i}:{type(op).__name__}->{_SWAP_CMP[type(op)].__name__}"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "drop not"
        elif isinstance(node, ast.BoolOp):
            yield node, "and<->or"
        elif isinstance(node, ast.Constant) and type(node.value) is int and id(node) not in skip:
            yield node, f"const {node.value}->{node.value + 1}"
        elif isinstance(node, ast.Constant) and node.value in _SWAP_TEXT and id(node) not in skip:
            yield node, f"text {node.value}->{_SWAP_TEXT[str(node.value)]}"
        elif isinstance(node, ast.Attribute) and node.attr in _SWAP_TEXT:
            yield node, f"attr {node.attr}->{_SWAP_TEXT[node.attr]}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _SWAP_NAME
        ):
            yield node, f"call {node.func.id}->{_SWAP_NAME[node.func.id]}"


def _apply(node: ast.AST, what: str) -> None:
    if what.startswith("cmp") and isinstance(node, ast.Compare):
        i = int(what[3 : what.index(":")])
        node.ops[i] = _SWAP_CMP[type(node.ops[i])]()
    elif what == "and<->or" and isinstance(node, ast.BoolOp):
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif what.startswith("const") and isinstance(node, ast.Constant):
        node.value = node.value + 1
    elif what.startswith("text") and isinstance(node, ast.Constant):
        node.value = _SWAP_TEXT[node.value]
    elif what.startswith("attr") and isinstance(node, ast.Attribute):
        node.attr = _SWAP_TEXT[node.attr]
    elif what.startswith("call") and isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        node.func.id = _SWAP_NAME[node.func.id]
    else:
        raise ValueError(what)


class _DropNot(ast.NodeTransformer):
    def __init__(self, target: ast.AST) -> None:
        self.target = target

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        return node.operand if node is self.target else node


def mutants(module: str) -> list[Mutant]:
    text = (REPO / _path(module)).read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    return [
        Mutant(module, n, node.lineno, what, lines[node.lineno - 1].strip())  # type: ignore[attr-defined]
        for n, (node, what) in enumerate(_sites(tree))
    ]


def mutated_source(m: Mutant) -> str:
    tree = ast.parse((REPO / _path(m.module)).read_text(encoding="utf-8"))
    node, what = list(_sites(tree))[m.number]
    if what == "drop not":
        tree = _DropNot(node).visit(tree)
    else:
        _apply(node, what)
    return ast.unparse(ast.fix_missing_locations(tree))


def _run_forked(scratch: Path, tests: list[str], timeout: int) -> str:
    """Run pytest in a forked child of this process, which has imported the heavy third-party
    libraries once (numpy, pydantic, hypothesis) but never parindex: the child imports parindex
    from the scratch copy, first on its path. Saves most of a pytest start per mutant."""
    pid = os.fork()
    if pid == 0:  # the child
        try:
            sys.path[:0] = [str(scratch / "src"), str(scratch / "plugins")]
            os.chdir(REPO)
            log = os.open(scratch / "last-run.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(log, 1)
            os.dup2(log, 2)
            import pytest

            code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests])
            os._exit(int(code))
        except BaseException:
            os._exit(99)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return {0: "survived", 99: "runner error"}.get(code, "killed")
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return "killed (timeout)"
        time.sleep(0.05)


def _warm() -> None:
    """Import what every test run needs, except parindex itself (see :func:`_run_forked`)."""
    for name in ("numpy", "pydantic", "hypothesis", "yaml", "pytest", "openpyxl"):
        with contextlib.suppress(ImportError):
            __import__(name)
    assert not any(m == "parindex" or m.startswith("parindex") for m in sys.modules)


def _run_tests(scratch: Path, tests: list[str], timeout: int) -> str:
    if hasattr(os, "fork"):
        return _run_forked(scratch, tests, timeout)
    env = {
        **os.environ,
        "PYTHONPATH": f"{scratch / 'src'}{os.pathsep}{scratch / 'plugins'}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    try:
        done = subprocess.run(
            [*cmd, *tests], cwd=REPO, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "killed (timeout)"
    return "survived" if done.returncode == 0 else "killed"


_LOG_LINE = re.compile(r"^\s*survived  (\S+?):\d+: (.+?)    (.*)$")


def _survivors(path: Path) -> set[tuple[str, str, str]]:
    """(module, source line, mutation) of each survivor in a JSON report or a printed log."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        results = json.loads(text)["results"]
        return {
            (r["module"], r["source"], r["what"]) for r in results if r["outcome"] == "survived"
        }
    return {(m[1], m[3], m[2]) for line in text.splitlines() if (m := _LOG_LINE.match(line))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--module", action="append", choices=sorted(MODULES), help="default: all")
    ap.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    ap.add_argument("--limit", type=int, default=0, help="at most this many mutants per module")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per test run")
    ap.add_argument("--scratch", type=Path, help="scratch folder (default: a new temporary one)")
    ap.add_argument("--report", type=Path, help="JSON report (default: in the scratch folder)")
    ap.add_argument(
        "--survivors-of", type=Path, help="run only the mutants that survived in this report"
    )
    args = ap.parse_args(argv)
    chosen = args.module or list(MODULES)
    todo = [m for mod in chosen for m in mutants(mod)[: args.limit or None]]
    if args.survivors_of:
        keep = _survivors(args.survivors_of)
        todo = [m for m in todo if (m.module, m.source, m.what) in keep]
    if args.list:
        for m in todo:
            print(f"{m.module}:{m.line}: {m.what}    {m.source}")
        print(f"{len(todo)} mutants")
        return 0
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="parindex-mutate-"))
    for part in ("src", "plugins"):
        shutil.rmtree(scratch / part, ignore_errors=True)
        shutil.copytree(REPO / part, scratch / part, ignore=shutil.ignore_patterns("__pycache__"))
    for data in ("rulesets", "examples", "schemas", "docs"):  # found relative to the plugins
        link = scratch / data
        if not link.exists():
            link.symlink_to(REPO / data)
    if hasattr(os, "fork"):
        _warm()
    for tests in {tuple(MODULES[m]) for m in chosen}:  # the unmutated copy must pass the tests,
        # (longer allowed: it runs every test, where most mutants stop at the first failure)
        control = _run_tests(scratch, list(tests), 3 * args.timeout)  # or a "kill" means nothing
        if control != "survived":
            print(f"{' '.join(tests)} fail without any mutation ({control}): fix that first")
            log = scratch / "last-run.log"
            if log.exists():
                print(log.read_text(encoding="utf-8", errors="replace")[-3000:])
            return 2
    results = []
    start = time.time()
    for m in todo:
        target = scratch / _path(m.module)
        original = target.read_text(encoding="utf-8")
        key = (m.module, m.source, m.what)
        if key in EQUIVALENT:
            outcome = "equivalent"
        else:
            atomic_write_text(target, mutated_source(m))
            try:
                outcome = _run_tests(scratch, MODULES[m.module], args.timeout)
            finally:
                atomic_write_text(target, original)
        results.append({**asdict(m), "outcome": outcome})
        print(f"{outcome:>17}  {m.module}:{m.line}: {m.what}    {m.source}", flush=True)
    killed = sum(r["outcome"].startswith("killed") for r in results)
    equivalent = sum(r["outcome"] == "equivalent" for r in results)
    scored = len(results) - equivalent
    score = 100 * killed / scored if scored else 100.0
    print(
        f"mutants: {len(results)}; killed {killed}; survived {scored - killed};"
        f" equivalent {equivalent}; score {score:.1f}% of non-equivalent"
        f" ({time.time() - start:.0f} s)"
    )
    report = args.report or scratch / "mutation-report.json"
    atomic_write_text(report, json.dumps({"score": score, "results": results}, indent=1))
    print(f"report: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
