"""``parindex targets --format``: the same results as a table, CSV, JSON and Markdown.

By hand, from the example data: rank 25 against "rank ≤ 22" misses by 22 − 25 = −3 places and is
inside the top 30 by 30 − 25 = 5; PAPI 41.7 against "> 50" is −8.3; satisfaction 88.6 % against
90 % is −1.4."""

from __future__ import annotations

import csv
import io
import json

from cli_options import EXAMPLES, Cli

PLANNING = EXAMPLES / "planning"
ARGS = (
    EXAMPLES / "targets" / "yen-bai-2021.yaml",
    "--scores",
    PLANNING / "yen-bai-2021.yaml",
    PLANNING / "par-2021-synthetic.csv",
    PLANNING / "yen-bai-2021-papi.yaml",
    PLANNING / "papi-2021-synthetic.csv",
    "--measures",
    PLANNING / "yen-bai-2021-measures.yaml",
    "--ruleset",
    PLANNING / "rulesets" / "example-province-2021.yaml",
)
EXPECTED = {
    "par-rank-rise": (False, "-3"),
    "par-top-30": (True, "5"),
    "papi-above-50": (False, "-8.3"),
    "satisfaction-90": (False, "-1.4"),
}


def test_format_json_csv_markdown_agree(cli: Cli) -> None:
    as_json = cli("targets", *ARGS, "--format", "json")
    assert as_json.code == 0, as_json.err
    results = {r["id"]: (r["met"], r["margin"]) for r in json.loads(as_json.out)["results"]}
    assert len(results) == 6
    assert {k: results[k] for k in EXPECTED} == EXPECTED

    as_csv = cli("targets", *ARGS, "--format", "csv")
    rows = {
        r["id"]: (r["met"] == "True", r["margin"]) for r in csv.DictReader(io.StringIO(as_csv.out))
    }
    assert rows == results

    md = cli("targets", *ARGS, "--format", "markdown").out.splitlines()
    assert "met: 1 of 6" in md
    cells = [[c.strip() for c in line.split("|")[1:-1]] for line in md if line.startswith("|")]
    marks = {c[0]: (c[4] == "✓", c[5]) for c in cells if len(c) == 9 and c[0] in results}
    assert marks == results
