"""The worked example of docs/authoring.md, run again: the Cà Mau 2013 table (examples/authoring/)
imported into a package made by new-ruleset, its test cases, the illustrative 2014 amendment and
the diff between the two versions. The numbers asserted are the ones the page shows."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import parindex_core_rules
from parindex import Registry
from parindex.authoring.diff import diff_rulesets
from parindex.authoring.importer import import_table
from parindex.authoring.scaffold import new_ruleset
from parindex.authoring.yamltests import run_cases
from parindex.model.errors import MaximumSumError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "authoring"
HEADER: dict[str, Any] = {
    "id": "camau.department",
    "version": "2013",
    "years": [2013],
    "authority": {"vi": "UBND tỉnh Cà Mau"},
    "unit_kind": "department",
    "source": {"document": "1880/QĐ-UBND"},
    "status": "unverified",
}


def test_the_worked_example(tmp_path: Path) -> None:
    root = tmp_path / "camau-department"
    new_ruleset(root, ruleset_id="camau.department", years=(2013,), document="1880/QĐ-UBND")
    folder = root / "src" / "parindex_camau_department" / "rulesets" / "camau.department"
    kinds = Registry([parindex_core_rules], entry_points=False).rule_kinds
    result = import_table(EXAMPLE / "ca-mau-2013-table.csv", dict(HEADER), kinds)
    assert result.problems == []
    (folder / "2013.yaml").write_text(result.to_yaml("ca-mau-2013-table.csv"), encoding="utf-8")
    (root / "tests" / "2013-example.case.yaml").unlink()
    for name in ("2013-field1.case.yaml", "2014-field1.case.yaml"):
        shutil.copy(EXAMPLE / name, root / "tests" / name)

    # first the amendment without the change to 1.1.3: 1.1 = 1 + 1 + 1 + 2.5 = 5.5, not 5
    text = (EXAMPLE / "2014-amendment.yaml").read_text(encoding="utf-8")
    first_try = text[: text.index('  "1.1.3":')]
    (folder / "2014.yaml").write_text(first_try, encoding="utf-8")
    errors = _registry(root).errors()
    assert len(errors) == 1 and isinstance(errors[0][1], MaximumSumError)
    err = errors[0][1]
    assert (err.code, err.line, err.field) == ("1.1", 10, "overrides.1.1.4")
    assert err.message == (
        "override of 1.1.4 (maximum 2 → 2.5, new rule) breaks the sum of 1.1: children's maxima"
        " add up to 5.5 (1 + 1 + 1 + 2.5), not to the node's maximum 5"
    )

    shutil.copy(EXAMPLE / "2014-amendment.yaml", folder / "2014.yaml")
    registry = _registry(root)
    assert registry.errors() == []
    results = list(run_cases([root / "tests"], registry))
    assert [(r.name, r.passed) for r in results] == [
        ("appraised figures", True),
        ("just above 90% is the top band", True),
        ("exactly 70% is the middle band", True),
        ("below 70% scores nothing", True),
        ("2014-field1", True),
    ], [r.report() for r in results if not r.passed]

    d = diff_rulesets(
        registry.get("camau.department", version="2013"),
        registry.get("camau.department", version="2014"),
    )
    assert {
        c.code: [(x.field, str(x.old), str(x.new)) for x in c.changes if x.field == "maximum"]
        for c in d.changed
    } == {"1.1.3": [("maximum", "1", "0.5")], "1.1.4": [("maximum", "2", "2.5")]}
    assert d.added == () and d.removed == ()
    assert {c.field for c in d.header} == {"years", "source"}


def _registry(root: Path) -> Registry:
    init = root / "src" / "parindex_camau_department" / "__init__.py"
    spec = importlib.util.spec_from_file_location("parindex_camau_department", init)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Registry([parindex_core_rules, module], entry_points=False)
