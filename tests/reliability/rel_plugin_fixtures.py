"""Real plugin packages, broken in different ways, installed into a temporary folder.

:func:`install` writes each package and one ``*.dist-info`` folder whose ``entry_points.txt``
publishes them under the ``parindex`` group, so that a ``parindex`` run with ``PYTHONPATH``
pointing at the folder discovers them exactly as it would installed distributions.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

GOOD_RULESET = """\
id: extra.good
version: "2020"
years: [2020]
unit_kind: province
title: {en: A valid ruleset from a third-party plugin}
source: {document: EXTRA/2020}
maximum: 10
nodes:
  - {code: "1", maximum: 6}
  - {code: "2", maximum: 4}
"""

BAD_RULESET = """\
id: extra.bad
version: "2020"
years: [2020]
unit_kind: province
title: {en: An invalid ruleset (the maxima add up to 11)}
source: {document: EXTRA/2020}
maximum: 10
nodes:
  - {code: "1", maximum: 6}
  - {code: "2", maximum: 5}
"""

EXPLODING_RULESET = """\
id: extra.explode
version: "2020"
years: [2020]
unit_kind: province
title: {en: A ruleset using a rule kind whose code is broken}
source: {document: EXTRA/2020}
maximum: 10
nodes:
  - {code: "1", maximum: 10, rule: {kind: explode}}
"""

EXPLODING_ASSESSMENT = """\
ruleset: extra.explode
year: 2020
unit: u
inputs: {"1": {measure: 5}}
"""

PACKAGES: dict[str, str] = {
    # raises while being imported
    "pi_broken_import": "raise RuntimeError('boom while importing')\n",
    # calls sys.exit while being imported
    "pi_exit_import": "import sys\nsys.exit(7)\n",
    # a hook that raises
    "pi_hook_raises": """\
        from parindex.io.plugins import hookimpl

        @hookimpl
        def parindex_rulesets():
            raise ValueError('cannot list my rulesets')
        """,
    # one valid and one invalid ruleset file
    "pi_rulesets": """\
        from pathlib import Path
        from parindex.io.plugins import hookimpl, rulesets_in

        @hookimpl
        def parindex_rulesets():
            return rulesets_in(Path(__file__).parent / 'rulesets')
        """,
    # returns things that are not rule kinds, and a kind whose name is taken
    "pi_bad_kinds": """\
        from typing import Literal
        from parindex.io.plugins import hookimpl
        from parindex.model.rules import Outcome, Rule

        class Points(Rule):
            kind: Literal['points'] = 'points'

            def evaluate(self, value, maximum):
                return Outcome(value)

        @hookimpl
        def parindex_rule_kinds():
            return [int, 'not a class', Points]
        """,
    # a misspelt hook name
    "pi_typo_hook": """\
        from parindex.io.plugins import hookimpl

        @hookimpl
        def parindex_rulesetz():
            return []
        """,
    # a Ruleset object that is structurally invalid
    "pi_invalid_object": """\
        from parindex.model.documents import Ruleset
        from parindex.io.plugins import hookimpl

        @hookimpl
        def parindex_rulesets():
            return [Ruleset.model_validate({
                'id': 'extra.object', 'version': '1', 'years': [2020], 'unit_kind': 'province',
                'source': {'document': 'X'}, 'maximum': 10,
                'nodes': [{'code': '1', 'maximum': 6}, {'code': '2', 'maximum': 6}]})]
        """,
    # a rule kind whose evaluate() has a bug, and a ruleset that uses it
    "pi_explode": """\
        from pathlib import Path
        from typing import ClassVar, Literal
        from parindex.io.plugins import hookimpl, rulesets_in
        from parindex.model.rules import Rule

        class Explode(Rule):
            kind: Literal['explode'] = 'explode'
            input_kind: ClassVar[str] = 'measure'

            def evaluate(self, value, maximum):
                return {}['no such key']

        @hookimpl
        def parindex_rule_kinds():
            return [Explode]

        @hookimpl
        def parindex_rulesets():
            return rulesets_in(Path(__file__).parent / 'rulesets')
        """,
}


# Issue 14, class 8: a plugin that prints, and two plugins that give the same ruleset version.
# (Installed only when named: see test_rel_plugins_round2.py.)
ROUND2: dict[str, str] = {
    "pi_noisy": """\
        print('NOISE WHILE IMPORTING')
        from parindex.io.plugins import hookimpl

        @hookimpl
        def parindex_rulesets():
            print('NOISE IN A HOOK')
            return []
        """,
    "pi_twin_a": """\
        from pathlib import Path
        from parindex.io.plugins import hookimpl, rulesets_in

        @hookimpl
        def parindex_rulesets():
            return rulesets_in(Path(__file__).parent / 'rulesets')
        """,
}
ROUND2["pi_twin_b"] = ROUND2["pi_twin_a"]
ROUND2["pi_twin_same"] = ROUND2["pi_twin_a"]


def twin_ruleset(first: str) -> str:
    """extra.twin 2020, with field 1 worth ``first`` of 10 points."""
    return (
        'id: extra.twin\nversion: "2020"\nyears: [2020]\nunit_kind: province\n'
        "title: {en: The same id and version from two plugins}\nsource: {document: TWIN}\n"
        f'maximum: 10\nnodes:\n  - {{code: "1", maximum: {first}}}\n'
        f'  - {{code: "2", maximum: {10 - int(first)}}}\n'
    )


TWIN_CONTENT = {"pi_twin_a": "6", "pi_twin_b": "4", "pi_twin_same": "6"}
TWIN_ASSESSMENT = 'ruleset: extra.twin\nyear: 2020\nunit: u\ninputs: {"1": 3, "2": 3}\n'


def install(root: Path, names: list[str] | None = None) -> Path:
    """Write the plugin packages (all, or ``names``) and their entry points under ``root``."""
    names = list(PACKAGES) if names is None else names
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        pkg = root / name
        pkg.mkdir(exist_ok=True)
        code = PACKAGES.get(name) or ROUND2[name]
        (pkg / "__init__.py").write_text(textwrap.dedent(code), encoding="utf-8")
        if name in TWIN_CONTENT:
            folder = pkg / "rulesets" / "extra.twin"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "2020.yaml").write_text(twin_ruleset(TWIN_CONTENT[name]), encoding="utf-8")
            (root / "twin-assessment.yaml").write_text(TWIN_ASSESSMENT, encoding="utf-8")
    rulesets = root / "pi_rulesets" / "rulesets"
    if "pi_rulesets" in names:
        for rid, text in (("extra.good", GOOD_RULESET), ("extra.bad", BAD_RULESET)):
            (rulesets / rid).mkdir(parents=True, exist_ok=True)
            (rulesets / rid / "2020.yaml").write_text(text, encoding="utf-8")
    if "pi_explode" in names:
        folder = root / "pi_explode" / "rulesets" / "extra.explode"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "2020.yaml").write_text(EXPLODING_RULESET, encoding="utf-8")
        (root / "explode-assessment.yaml").write_text(EXPLODING_ASSESSMENT, encoding="utf-8")
    dist = root / "parindex_test_plugins-0.1.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: parindex-test-plugins\nVersion: 0.1\n", encoding="utf-8"
    )
    entry_points = "[parindex]\n" + "".join(f"{n.removeprefix('pi_')} = {n}\n" for n in names)
    (dist / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    return root
