"""``parindex explain --params``: the yearly maxima change every line that shows a maximum.

By hand, with the example maxima (TD.1..TD.8 = 8, 7, 10, 7, 10, 6, 10, 12): TD is 57.00 of
70 − 7 = 63 (TD.2 not applicable, excluded), 57 ÷ 63 = 90.476… → 90.48 %; TD.1 7.50 of 8 is
93.75 %. Without the file the fields have no published maximum, so TD's applicable maximum is
unknown."""

from __future__ import annotations

from cli_options import EXAMPLES, REPO, Cli

PARAMS = REPO / "rulesets" / "sonla.department" / "params" / "2023.example.yaml"
UNIT = EXAMPLES / "sonla-department-2023.yaml"


def _line(text: str, start: str) -> str:
    return next(line.strip() for line in text.splitlines() if line.strip().startswith(start))


def test_params_give_the_maxima_and_percentages(cli: Cli) -> None:
    plain = cli("explain", UNIT, "--wide")
    assert plain.code == 0
    assert _line(plain.out, "TD Self") == (
        "TD Self-assessed and appraised points: 57.00 of no published maximum"
    )
    got = cli("explain", UNIT, "--params", PARAMS, "--wide")
    assert got.code == 0
    assert (
        _line(got.out, "TD Self") == "TD Self-assessed and appraised points: 57.00 of 63 (90.48 %)"
    )
    assert _line(got.out, "TD.1 ") == (
        "TD.1 Direction and management of administrative reform: 7.50 of 8 (93.75 %)"
    )
    assert "sonla.department 2021+params2023, year 2023" in got.out.splitlines()[0]
