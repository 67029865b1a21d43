"""Each fuzz check becomes two tests: a short one (the default suite, CI) and a long one
(``-m slow``; PARINDEX_FUZZ_EXAMPLES examples each, default 20,000)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fuzz_harness import LONG, SHORT, check, fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

Test = Callable[..., None]


def fuzz(
    strategy: st.SearchStrategy[Any], short: int = SHORT
) -> Callable[[Callable[[Any], None]], tuple[Test, Test]]:
    def make(body: Callable[[Any], None]) -> tuple[Test, Test]:
        name = body.__name__.removeprefix("check_")

        @fuzz_settings(short)
        @given(strategy)
        def short_test(example: Any) -> None:
            check(name, body, example)

        @pytest.mark.slow
        @fuzz_settings(LONG)
        @given(strategy)
        def long_test(example: Any) -> None:
            check(name, body, example)

        return short_test, long_test

    return make
