"""The HTML report in a real headless browser (Chromium): the charts must render.

Skipped when no Chromium is installed (CI installs Debian's `chromium`; see the report)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pl_helpers import RS_2021, count_colour, example_cards, read_png

from parindex.analysis.planning.inputs import load_rulesets
from parindex.io.files import atomic_write_text
from parindex.report import build_report, to_html
from parindex.report.svg import HIGHLIGHT_FILL, PROFILE_FILL, RANK_FILL, TRACK_FILL

BROWSER = next(
    (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
)
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="Chromium is not installed (apt-get install chromium); the HTML report is not rendered",
)


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                BROWSER,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--force-color-profile=srgb",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=120,
            check=False,
        )


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cards = example_cards("yen-bai-2021.yaml", "par-2021-synthetic.csv")
    doc = build_report(cards[0], batch=cards[1:], rulesets=load_rulesets([RS_2021]))
    path = tmp_path_factory.mktemp("report") / "report.html"
    atomic_write_text(path, to_html(doc))
    return path


def test_screenshot_shows_the_charts(report_file: Path) -> None:
    shot = report_file.parent / "shot.png"
    out = chromium(
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        report_file.as_uri(),
        cwd=report_file.parent,
    )
    assert shot.is_file(), out.stderr[-2000:]
    width, height, rows = read_png(shot)
    assert (width, height) == (1200, 1600)
    # The profile chart (8 blue bars of 20 px, the shortest 75 % of 490 px) sits in the upper
    # half of the page; the ranking chart's grey bars and Yên Bái's red bar below it.
    blue = count_colour(rows, PROFILE_FILL, region=(0, 0, 1200, 900))
    assert blue > 8 * 20 * 300, blue
    assert count_colour(rows, TRACK_FILL) > 1000  # the grey tracks behind the blue bars
    assert count_colour(rows, RANK_FILL) > 20 * 12 * 150
    red = count_colour(rows, HIGHLIGHT_FILL)
    assert red > 12 * 150, red  # Yên Bái's bar: 12 px high, over 150 px long


def test_svg_survives_rendering(report_file: Path) -> None:
    out = chromium("--dump-dom", report_file.as_uri(), cwd=report_file.parent)
    dom = out.stdout
    assert dom.count('<svg class="chart"') == 2, out.stderr[-2000:]
    assert dom.count("<rect") >= 8 * 2 + 63  # profile bars and tracks, ranking bars
    assert "<script" not in dom
