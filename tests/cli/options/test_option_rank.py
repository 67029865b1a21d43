"""``parindex rank``: --params, --output and --force (``--ties``: tests/meta/test_surface_cases.py).

By hand (examples/sonla-department-2023.yaml, header): total 83.40; with the example maxima the
applicable maximum is 93 (TD.2 not applicable, excluded), index 89.677… → 89.68, group B."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from cli_options import EXAMPLES, REPO, Cli

UNIT = EXAMPLES / "sonla-department-2023.yaml"
PARAMS = REPO / "rulesets" / "sonla.department" / "params" / "2023.example.yaml"


def _entries(text: str) -> list[tuple[int, str, str | None, str | None]]:
    return [(e["rank"], e["total"], e["index"], e["group"]) for e in json.loads(text)["entries"]]


def test_params_give_the_index_and_group(cli: Cli) -> None:
    plain = cli("rank", UNIT, "--format", "json")
    assert plain.code == 0
    assert _entries(plain.out) == [(1, "83.4", None, None)]
    got = cli("rank", UNIT, "--params", PARAMS, "--format", "json")
    assert got.code == 0
    assert _entries(got.out) == [(1, "83.4", "89.68", "B")]


def test_output_writes_the_file_and_force_replaces_a_read_only_one(
    cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "ranked.json"
    argv = ("rank", UNIT, "--params", PARAMS, "--format", "json", "--output", out)
    got = cli(*argv)
    assert got.code == 0 and got.out == ""
    assert _entries(out.read_text(encoding="utf-8")) == [(1, "83.4", "89.68", "B")]
    out.write_text("{}", encoding="utf-8")
    os.chmod(out, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    refused = cli(*argv)
    assert refused.code == 1 and "read-only" in refused.err
    assert out.read_text(encoding="utf-8") == "{}"
    assert cli(*argv, "--force").code == 0
    assert _entries(out.read_text(encoding="utf-8")) == [(1, "83.4", "89.68", "B")]
