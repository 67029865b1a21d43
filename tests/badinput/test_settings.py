"""Class 9 of issue 14: every setting is validated, with a clear error naming the variable.

A 38-digit PARINDEX_MAX_FILE_BYTES made parindex exit 3 (an OverflowError deep in a read); every
limit now has a largest accepted value, and text, zero, a negative or an over-long number is a
ConfigError (exit 1) naming the variable, its default and what it limits.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.cli.main import main
from parindex.io.yamlfile import LIMIT_SPECS, Limits, load_yaml_file
from parindex.model.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "moha-2017-example.yaml"
BAD_VALUES = ["lots", "0", "-5", "1.5", "9" * 38, "9" * 5000, "١٠٠", "1e6"]


@pytest.mark.parametrize("spec", LIMIT_SPECS, ids=lambda s: s.env)
@pytest.mark.parametrize("raw", BAD_VALUES, ids=lambda r: r[:12])
def test_a_bad_limit_setting_is_a_clear_error(
    spec: object, raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parindex.io.yamlfile import LimitSpec

    assert isinstance(spec, LimitSpec)
    monkeypatch.setenv(spec.env, raw)
    with pytest.raises(ConfigError) as info:
        Limits().get(spec.name)
    text = str(info.value)
    assert spec.env in text and str(spec.default) in text
    assert len(text) < 400  # a 5,000-digit value is not echoed back whole


@pytest.mark.parametrize("spec", LIMIT_SPECS, ids=lambda s: s.env)
def test_the_largest_accepted_value_is_accepted_and_one_more_is_not(
    spec: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parindex.io.yamlfile import LimitSpec

    assert isinstance(spec, LimitSpec)
    monkeypatch.setenv(spec.env, str(spec.ceiling))
    assert Limits().get(spec.name) == spec.ceiling
    monkeypatch.setenv(spec.env, f"{spec.ceiling + 1:_}")  # underscores are allowed, as in Python
    with pytest.raises(ConfigError, match="is more than"):
        Limits().get(spec.name)


def test_a_38_digit_file_limit_exits_1_not_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PARINDEX_MAX_FILE_BYTES", "9" * 38)
    code = main(["score", str(EXAMPLE)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.startswith("parindex: error: PARINDEX_MAX_FILE_BYTES='99999")
    assert "is more than 1099511627776" in err and "internal error" not in err


def test_a_huge_accepted_limit_does_not_reserve_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    # 1 TiB is accepted; reading a small file with it must not try to reserve 1 TiB.
    monkeypatch.setenv("PARINDEX_MAX_FILE_BYTES", str(2**40))
    data, _ = load_yaml_file(EXAMPLE)
    assert data["year"] == 2017


def test_limits_in_code_are_checked_the_same_way() -> None:
    with pytest.raises(ConfigError, match="is more than"):
        Limits(max_bytes=2**41)
    with pytest.raises(ConfigError, match="positive whole number"):
        Limits(max_rows=True)  # type: ignore[arg-type]


def test_property_examples_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from parindex.testing.suite import default_examples

    monkeypatch.setenv("PARINDEX_PROPERTY_EXAMPLES", "many")
    with pytest.raises(ConfigError, match="PARINDEX_PROPERTY_EXAMPLES='many'"):
        default_examples()
    monkeypatch.setenv("PARINDEX_PROPERTY_EXAMPLES", "50")
    assert default_examples() == 50
