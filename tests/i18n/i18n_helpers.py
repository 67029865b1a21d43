"""The default output of every command on the shipped examples, run in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EX = ROOT / "examples"
PL = EX / "planning"
RS = PL / "rulesets"

#: name -> the command line (without --locale), on the shipped examples.
COMMANDS: dict[str, list[str]] = {
    "rulesets": ["rulesets"],
    "show": ["show", "moha.province", "--year", "2022"],
    "show-papi": ["show", "papi", "--year", "2016"],
    "score": ["score", str(EX / "moha-2017-example.yaml")],
    "score-papi": ["score", str(EX / "papi-2016-ha-noi.yaml")],
    "explain": [
        "explain",
        str(EX / "ca-mau-2013" / "assessment.yaml"),
        "--ruleset",
        str(EX / "ca-mau-2013" / "ruleset.yaml"),
    ],
    "rank": ["rank", str(EX / "moha-2017-example.yaml")],
    "gaps": [
        "gaps",
        str(PL / "lang-son-2021.yaml"),
        "--ruleset",
        str(RS / "example-province-2021.yaml"),
    ],
    "gaps-agency": [
        "gaps",
        str(PL / "lang-son-2021.yaml"),
        "--ruleset",
        str(RS / "example-province-2021.yaml"),
        "--by",
        "agency",
        "--responsibility",
        "lang-son-2022",
    ],
    "targets": [
        "targets",
        str(EX / "targets" / "yen-bai-2021.yaml"),
        "--scores",
        str(PL / "yen-bai-2021.yaml"),
        str(PL / "par-2021-synthetic.csv"),
        str(PL / "yen-bai-2021-papi.yaml"),
        str(PL / "papi-2021-synthetic.csv"),
        "--measures",
        str(PL / "yen-bai-2021-measures.yaml"),
        "--ruleset",
        str(RS / "example-province-2021.yaml"),
    ],
    "compare": [
        "compare",
        str(PL / "lang-son-2020.yaml"),
        str(PL / "lang-son-2021.yaml"),
        "--ruleset",
        str(RS / "example-province-2020.yaml"),
        "--ruleset",
        str(RS / "example-province-2021.yaml"),
        "--depth",
        "sub-criterion",
    ],
    "compare-stages": [
        "compare",
        str(PL / "lang-son-2021.yaml"),
        "--ruleset",
        str(RS / "example-province-2021.yaml"),
    ],
    "reproduce": ["reproduce", "--dataset", "par-2020-components"],
    "papi-groups": ["papi-groups", "--dataset", "papi-2011-2016", "--year", "2016"],
    "datasets": ["datasets"],
    "plugins": ["plugins"],
    "validate": ["validate", str(ROOT / "rulesets" / "moha.province" / "2022.yaml")],
    "diff": ["diff", "moha.province@2022", "moha.province@2024"],
    "sipas": ["sipas", str(EX / "sipas-answers.csv")],
    "survey": [
        "survey",
        str(EX / "surveys" / "sonla-answers.csv"),
        "--ruleset",
        "sonla.department",
        "--year",
        "2023",
        "--map",
        "sonla-department-xhh-example",
    ],
    "history": ["history", "Quảng Ninh"],
    "example": ["example"],
    "sensitivity": [
        "sensitivity",
        str(PL / "papi-2021-synthetic.csv"),
        "--se",
        "0.05",
        "--draws",
        "200",
        "--seed",
        "1",
    ],
    "report": ["report", str(EX / "moha-2017-example.yaml"), "--format", "markdown"],
}

#: The commands whose output fits the terminal (``--wide`` keeps one-line rows): all but the
#: Markdown report, a document for a Markdown viewer, whose table rows are one line each.
FITTED = [name for name in COMMANDS if name != "report"]


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """The standard output of ``parindex ARGV``, which must succeed."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, f"parindex {' '.join(argv)}: exit {code}\n{err}"
    return out
